"""What kind of home the matchpunt should ask the corporations for next, and where.

A quota home that goes back unused (nobody fits it, or its neighbourhood is at its cap)
is owed again. Asking for "a home" gets whatever comes free; asking for the home that the
longest-waiting candidates need gets them housed. So: the municipalities in the order
`Ledger.wanted` gives (behind on its share and wanted first), each with its emptiest
neighbourhood below the cap, and the home that would fit who waits longest there without
any open home that fits them: rooms for the household, the rent within their limit,
ground floor or lift, access, pets. The matchpunt passes it on; `/stand` and
`weerthuis match --wanted` show it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from bot.knowledge.rules import euro
from bot.matching import eligibility
from bot.matching.eligibility import LIMIT_NAMES, persons
from bot.matching.ledger import Ledger
from bot.matching.ranking import options
from bot.matching.terms import Terms
from bot.records.lifecycle import waiting_days

Row = Mapping[str, Any]
# How many places to list, and how many waiting candidates to name per place.
MAX_PLACES = 3
MAX_NAMED = 3


class WantedHome(NamedTuple):
    municipality: str  # id
    neighbourhood: str | None  # slug, below its cap; None when the region lists none open
    candidates: tuple[str, ...]  # who it would house, longest waiting first
    waiting: int  # how many wait for a home there with none open that fits them
    lines: tuple[str, ...]  # the home, in Dutch: "2 tot 3 kamers", "huur tot € 713,02", …
    place: str  # "Velsen, IJmuiden", as the region file names them


def wanted_homes(
    ledger: Ledger,
    neighbourhoods: Mapping[str, Iterable[str]],
    candidates: Iterable[Row],
    dwellings: Iterable[Row],
    terms: Terms,
    *,
    busy: frozenset[str] | set[str] = frozenset(),
    declined: frozenset[tuple[str, str]] | set[tuple[str, str]] = frozenset(),
    limit: int = MAX_PLACES,
) -> list[WantedHome]:
    """Where the next quota home is needed most, best first (only places someone waiting
    could live in), each with the home that would house its longest-waiting candidate whom
    no open home fits. Candidates in an open proposal (`busy`) are on their way; a pair in
    `declined` does not count as fitting. A place where everyone waiting has a fitting home
    open comes with no candidates and no lines: any home will do."""
    available = [d for d in dwellings if d["status"] == "beschikbaar"]
    placeable: dict[str, list[Row]] = defaultdict(list)  # who waits, per municipality
    stuck: dict[str, list[Row]] = defaultdict(list)  # … with no open home that fits
    for candidate in candidates:
        code = candidate["code"]
        if candidate["status"] != "aangemeld" or code in busy:
            continue
        answers = eligibility.for_candidate(candidate, available, terms) if available else []
        served = any(
            not failing and (code, d["code"]) not in declined
            for d, (_, failing) in zip(available, answers, strict=True)
        )
        for municipality in options(candidate, ledger):
            # The rules a place alone decides (wishes, exclusions, the working area).
            place_only = {"municipality": municipality, "facts": {}}
            if not eligibility.why_not(candidate, place_only, terms):
                placeable[municipality].append(candidate)
                if not served:
                    stuck[municipality].append(candidate)
    demand = {m: len(rows) for m, rows in placeable.items()}
    steepness = terms.rules.prioritisation.spread_steepness
    found = []
    for municipality, hood in ledger.wanted(neighbourhoods, demand, steepness):
        if not placeable.get(municipality):
            continue  # nobody waiting could live there: a home there would go unused
        if len(found) == limit:
            break
        rows = sorted(stuck.get(municipality, ()), key=lambda c: _priority(c, terms))
        found.append(
            WantedHome(
                municipality,
                hood,
                tuple(c["code"] for c in rows[:MAX_NAMED]),
                len(rows),
                tuple(home_lines(rows[0], terms)) if rows else (),
                _place(municipality, hood, terms),
            )
        )
    return found


def _place(municipality: str, hood: str | None, terms: Terms) -> str:
    name = terms.municipality(municipality)
    return f"{name}, {terms.neighbourhood(municipality, hood)}" if hood else name


def _priority(candidate: Row, terms: Terms) -> tuple:
    """Longest waiting first, urgency counted as the ranking counts it."""
    bonus = terms.rules.prioritisation.urgency_bonus_days or 0
    urgent = candidate["facts"].get("urgent") == "ja"
    days = waiting_days(candidate, terms.today) + (bonus if urgent else 0)
    return (-days, candidate["created_at"], candidate["code"])


def home_lines(candidate: Row, terms: Terms) -> list[str]:
    """The home that fits `candidate` under the region's rules, one Dutch line per rule
    that asks something of a home."""
    facts, lines = candidate["facts"], []
    needs = facts.get("needs") if isinstance(facts.get("needs"), list) else []
    for rule in terms.rules.eligibility:
        if rule.id == "huishouden_kamers" and (n := persons(facts)) is not None:
            lines.append(_rooms_line(n, rule.params))
        elif rule.id == "verdieping_lift" and "begane_grond_of_lift" in needs:
            lines.append("begane grond of met lift")
        elif rule.id == "toegankelijk" and "toegankelijk" in needs:
            lines.append("toegankelijk voor rolstoel of rollator")
        elif rule.id == "huisdieren" and "huisdier" in needs:
            lines.append("huisdieren toegestaan")
        elif rule.id == "passend_toewijzen" and (line := _rent_line(facts, terms)):
            lines.append(line)
    return [line for line in lines if line]


def _rooms_line(n: int, params: Mapping[str, Any]) -> str:
    least = eligibility.rooms_for(params.get("min_rooms") or {}, n, beyond=True) or 1
    most = eligibility.rooms_for(params.get("max_rooms") or {}, n, beyond=False)
    if most is None:
        return f"minstens {least} kamers" if least > 1 else ""
    if most == least:
        return f"{least} kamer" if least == 1 else f"{least} kamers"
    return f"{least} tot {most} kamers"


def _rent_line(facts: Row, terms: Terms) -> str | None:
    limit_key = facts.get("rent_limit")
    if limit_key == "anders":
        own = facts.get("max_rent")
        if isinstance(own, int | float) and not isinstance(own, bool):
            return f"huur tot {euro(float(own))} (eigen maximum)"
        return None
    limits = terms.limits(terms.today.year)
    if not isinstance(limit_key, str) or limits is None or limit_key not in limits.amounts:
        return None
    return f"huur tot {euro(limits.amounts[limit_key])} ({LIMIT_NAMES.get(limit_key, limit_key)})"


def as_json(found: Sequence[WantedHome]) -> dict[str, Any]:
    return {
        "wanted": [
            {
                "municipality": w.municipality,
                "neighbourhood": w.neighbourhood,
                "place": w.place,
                "candidates": list(w.candidates),
                "waiting": w.waiting,
                "home": list(w.lines),
            }
            for w in found
        ]
    }
