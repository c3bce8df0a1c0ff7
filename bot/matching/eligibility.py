"""Whether a candidate fits a dwelling, one plain-Dutch line per criterion.

Each check looks at the facts both registrations already hold and says "✓ …" or "✗ …", so a
coordinator can read why a home is offered or left out. A check that a record cannot answer
(a fact not asked yet) is not made: it never excludes anyone. The regional rules as data
(household against rooms, rent limits per year, caps) come next; these checks need none.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Check:
    criterion: str  # a stable id, for tests and for the rules that come
    ok: bool
    line: str  # "✓ Haarlem is een gewenste gemeente"


def _money(amount: float) -> str:
    whole, cents = f"{amount:,.2f}".split(".")
    return f"€ {whole.replace(',', '.')},{cents}"


def _municipality(candidate: Row, dwelling: Row, names: Mapping[str, str]) -> Check | None:
    wanted = candidate["facts"].get("municipalities") or []
    if not wanted:
        return None
    place = dwelling["municipality"]
    name = names.get(place, place)
    if place in wanted:
        return Check("gemeente", True, f"✓ {name} is een gewenste gemeente")
    return Check("gemeente", False, f"✗ {name} hoort niet bij de gewenste gemeenten")


def _excluded(candidate: Row, dwelling: Row, names: Mapping[str, str]) -> Check | None:
    place = dwelling["municipality"]
    if place in (candidate["facts"].get("excluded") or []):
        return Check("uitgesloten", False, f"✗ {names.get(place, place)} is uitgesloten")
    return None


def _floor(candidate: Row, dwelling: Row, names: Mapping[str, str]) -> Check | None:
    if "begane_grond_of_lift" not in (candidate["facts"].get("needs") or []):
        return None
    floor, lift = dwelling["facts"].get("floor"), dwelling["facts"].get("lift")
    if floor is None:
        return None
    if floor == 0:
        return Check("verdieping", True, "✓ op de begane grond")
    if lift == "ja":
        return Check("verdieping", True, f"✓ verdieping {floor}, met lift")
    return Check(
        "verdieping", False, f"✗ begane grond of lift nodig (verdieping {floor}, geen lift)"
    )


def _accessible(candidate: Row, dwelling: Row, names: Mapping[str, str]) -> Check | None:
    if "toegankelijk" not in (candidate["facts"].get("needs") or []):
        return None
    accessible = dwelling["facts"].get("accessible")
    if accessible is None:
        return None
    if accessible == "ja":
        return Check("toegankelijk", True, "✓ toegankelijk voor rolstoel of rollator")
    return Check("toegankelijk", False, "✗ toegankelijke woning nodig (rolstoel/rollator)")


def _rent(candidate: Row, dwelling: Row, names: Mapping[str, str]) -> Check | None:
    # Only the candidate's own maximum is an amount today; the limits of passend toewijzen
    # become data with their year and source in the regional rules.
    facts = candidate["facts"]
    rent = dwelling["facts"].get("net_rent")
    if facts.get("rent_limit") != "anders" or facts.get("max_rent") is None or rent is None:
        return None
    limit = float(facts["max_rent"])
    if float(rent) <= limit:
        return Check("huur", True, f"✓ huur {_money(float(rent))}, binnen {_money(limit)}")
    return Check("huur", False, f"✗ huur {_money(float(rent))} boven het maximum {_money(limit)}")


CHECKS: tuple[Callable[[Row, Row, Mapping[str, str]], Check | None], ...] = (
    _municipality,
    _excluded,
    _floor,
    _accessible,
    _rent,
)


def checks(candidate: Row, dwelling: Row, names: Mapping[str, str] | None = None) -> list[Check]:
    """Every criterion that applies to this pair, in a fixed order. `names` turns
    municipality ids into names for the lines."""
    found = (check(candidate, dwelling, names or {}) for check in CHECKS)
    return [c for c in found if c is not None]


def fits(candidate: Row, dwelling: Row) -> bool:
    return all(c.ok for c in checks(candidate, dwelling))


def why_not(candidate: Row, dwelling: Row, names: Mapping[str, str] | None = None) -> list[str]:
    """The lines of the criteria that fail; empty when the dwelling fits."""
    return [c.line for c in checks(candidate, dwelling, names) if not c.ok]
