"""Whether a candidate fits a dwelling, one plain-Dutch line per criterion.

The region's allocation rules (`allocation_rules.eligibility`, in the region file) name the
rules and their order; each rule here looks at the facts both registrations hold and says
"✓ …" or "✗ …", so a coordinator can read why a home is offered or left out. A rule that a
record cannot answer (a fact not asked) is not applied: it never excludes anyone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, NamedTuple

from bot.knowledge.rules import EligibilityRule, euro
from bot.matching.terms import Terms

Row = Mapping[str, Any]

LIMIT_NAMES = {
    "lage_aftoppingsgrens": "de lage aftoppingsgrens",
    "hoge_aftoppingsgrens": "de hoge aftoppingsgrens",
    "liberalisatiegrens": "de liberalisatiegrens",
}


class Check(NamedTuple):
    # A tuple, not a dataclass: thousands are made per ranking, and a tuple is made fastest.
    criterion: str  # the rule id of the region file ("huishouden_kamers")
    ok: bool
    line: str  # "✓ Haarlem is een gewenste gemeente"


def persons(facts: Mapping[str, Any]) -> int | None:
    """How many people move in: one adult for alleenstaand and for a household with
    children (plus the children), two for a couple. The form does not ask whether a
    household with children has one or two adults, so this is the smallest it can be."""
    household = facts.get("household")
    if household == "gezin":
        children = facts.get("children")
        return 1 + (children if isinstance(children, int) and 0 < children < 20 else 1)
    return _ADULTS.get(household) if isinstance(household, str) else None


_ADULTS = {"alleenstaand": 1, "stel": 2}


def _people(n: int) -> str:
    return "1 persoon" if n == 1 else f"{n} personen"


def _rooms(n: int) -> str:
    return "1 kamer" if n == 1 else f"{n} kamers"


def rooms_for(table: Mapping[int, int], n: int, *, beyond: bool) -> int | None:
    """The entry for `n` persons: the largest key not above it. Past the largest key the
    last entry holds when `beyond`, else there is none."""
    if not table:
        return None
    if n > max(table) and not beyond:
        return None
    known = [k for k in table if k <= n]
    return table[max(known)] if known else None


# Each rule is a pair: `key(candidate facts, dwelling)` picks the little a candidate brings to the
# question (cheap, hashable), and `judge(key, dwelling, rule, terms)` writes the line. Ranking
# thousands of candidates for one dwelling then writes each distinct line once
# (`for_dwelling`).


def listed(facts: Row, key: str) -> list:
    """A list fact; anything else (a fact that was never a list) counts as none."""
    value = facts.get(key)
    return value if isinstance(value, list) else []


def _scalar(value: Any) -> Any:
    """A fact as a key: text, a number or None; anything else as its text."""
    return value if value is None or isinstance(value, str | int | float) else str(value)


def _municipality_key(facts: Row, d: Row) -> Any:
    wanted = listed(facts, "municipalities")
    return d["municipality"] in wanted if wanted else None


def _municipality(key: Any, d: Row, rule: EligibilityRule, terms: Terms) -> Check | None:
    if key is None:
        return None
    name = terms.municipality(d["municipality"])
    if key:
        return Check(rule.id, True, f"✓ {name} is een gewenste gemeente")
    return Check(rule.id, False, f"✗ {name} hoort niet bij de gewenste gemeenten")


def _excluded_key(facts: Row, d: Row) -> Any:
    return d["municipality"] in listed(facts, "excluded")


def _excluded(key: Any, d: Row, rule: EligibilityRule, terms: Terms) -> Check | None:
    if key:
        return Check(rule.id, False, f"✗ {terms.municipality(d['municipality'])} is uitgesloten")
    return None


def _household_key(facts: Row, d: Row) -> Any:
    return persons(facts)


def _household(n: Any, d: Row, rule: EligibilityRule, terms: Terms) -> Check | None:
    rooms = d["facts"].get("rooms")
    if n is None or rooms is None:
        return None
    rooms = int(rooms)
    least = rooms_for(rule.params.get("min_rooms") or {}, n, beyond=True)
    most = rooms_for(rule.params.get("max_rooms") or {}, n, beyond=False)
    said = f"{_people(n)}, {_rooms(rooms)}"
    if least is not None and rooms < least:
        return Check(rule.id, False, f"✗ {said}: minstens {_rooms(least)} nodig")
    if most is not None and rooms > most:
        return Check(rule.id, False, f"✗ {said}: te groot, hoogstens {_rooms(most)}")
    return Check(rule.id, True, f"✓ {said}")


def _needs(need: str) -> Callable[[Row, Row], Any]:
    def key(facts: Row, d: Row) -> Any:
        needs = facts.get("needs")
        return need in needs if isinstance(needs, list) else False

    return key


def _floor(needed: Any, d: Row, rule: EligibilityRule, terms: Terms) -> Check | None:
    floor, lift = d["facts"].get("floor"), d["facts"].get("lift")
    if not needed or floor is None:
        return None
    if floor == 0:
        return Check(rule.id, True, "✓ op de begane grond")
    if lift == "ja":
        return Check(rule.id, True, f"✓ verdieping {floor}, met lift")
    return Check(rule.id, False, f"✗ begane grond of lift nodig (verdieping {floor}, geen lift)")


def _accessible(needed: Any, d: Row, rule: EligibilityRule, terms: Terms) -> Check | None:
    accessible = d["facts"].get("accessible")
    if not needed or accessible is None:
        return None
    if accessible == "ja":
        return Check(rule.id, True, "✓ toegankelijk voor rolstoel of rollator")
    return Check(rule.id, False, "✗ rolstoeltoegankelijke woning nodig (rolstoel/rollator)")


def _pets(needed: Any, d: Row, rule: EligibilityRule, terms: Terms) -> Check | None:
    allowed = d["facts"].get("pets_allowed")
    if not needed or allowed is None:
        return None
    if allowed == "ja":
        return Check(rule.id, True, "✓ huisdier toegestaan")
    return Check(rule.id, False, "✗ heeft een huisdier; huisdieren niet toegestaan")


def rent_year(d: Row, today: date) -> int:
    """The year whose rent limits apply: when the home becomes available, never earlier
    than this year."""
    available = d["facts"].get("available_from")
    year = today.year
    if isinstance(available, str) and available[:4].isdigit():
        year = int(available[:4])  # an ISO date, as the forms store it
    return max(year, today.year)


def _affordable_key(facts: Row, d: Row) -> Any:
    return _scalar(facts.get("rent_limit")), _scalar(facts.get("max_rent"))


def _amount(value: Any) -> float | None:
    """An amount as the forms store it (a number); anything else is no amount."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _affordable(key: Any, d: Row, rule: EligibilityRule, terms: Terms) -> Check | None:
    (limit_key, own_max), rent = key, _amount(d["facts"].get("net_rent"))
    if rent is None or limit_key is None:
        return None
    if limit_key == "anders":
        limit = _amount(own_max)
        if limit is None:
            return None
        if rent <= limit:
            return Check(
                rule.id, True, f"✓ huur {euro(rent)} binnen het eigen maximum {euro(limit)}"
            )
        return Check(rule.id, False, f"✗ huur {euro(rent)} boven het eigen maximum {euro(limit)}")
    year = rent_year(d, terms.today)
    limits = terms.limits(year)
    if limits is None or limit_key not in limits.amounts:
        # Said, not silently skipped: nobody is left out for a year the knowledge base lacks.
        return Check(
            rule.id, True, f"– huur {euro(rent)} niet getoetst: geen huurgrenzen voor {year}"
        )
    limit = limits.amounts[limit_key]
    said = f"{LIMIT_NAMES.get(limit_key, limit_key)} ({euro(limit)} in {limits.year})"
    if rent <= limit:
        return Check(rule.id, True, f"✓ huur {euro(rent)} onder {said}")
    if limits.year != year:
        # The limits rise every year: an earlier year's limit never excludes anyone.
        return Check(
            rule.id,
            True,
            f"– huur {euro(rent)} niet getoetst: de grenzen van {year} zijn nog niet bekend "
            f"({LIMIT_NAMES.get(limit_key, limit_key)} in {limits.year}: {euro(limit)})",
        )
    return Check(rule.id, False, f"✗ huur {euro(rent)} boven {said}")


def _working_area_key(facts: Row, d: Row) -> Any:
    return _scalar(facts.get("support_organisation"))


def _working_area(org_id: Any, d: Row, rule: EligibilityRule, terms: Terms) -> Check | None:
    organisation = terms.organisation_names.get(str(org_id))
    area = (rule.params.get("areas") or {}).get(organisation) if organisation else None
    if area is None:
        return None
    place = terms.municipality(d["municipality"])
    if d["municipality"] in area:
        return Check(rule.id, True, f"✓ {place} ligt in het werkgebied van {organisation}")
    return Check(rule.id, False, f"✗ {place} ligt buiten het werkgebied van {organisation}")


def _rooms_key(d: Row) -> Any:
    return d["facts"].get("rooms")


def _floor_key(d: Row) -> Any:
    facts = d["facts"]
    return facts.get("floor"), facts.get("lift")


def _accessible_key(d: Row) -> Any:
    return d["facts"].get("accessible")


def _pets_key(d: Row) -> Any:
    return d["facts"].get("pets_allowed")


def _place(d: Row) -> Any:
    return d["municipality"]


def _rent_key(d: Row) -> Any:
    available = d["facts"].get("available_from")
    return d["facts"].get("net_rent"), available[:4] if isinstance(available, str) else None


Key = Callable[[Row, Row], Any]
DwellingKey = Callable[[Row], Any]
Judge = Callable[[Any, Row, EligibilityRule, Terms], Check | None]
# rule id → (candidate's key, dwelling's key, the line): the line of a rule depends on no
# more than the two keys, so it is written once per distinct pair of keys.
RULES: dict[str, tuple[Key, DwellingKey, Judge]] = {
    "gemeente": (_municipality_key, _place, _municipality),
    "uitgesloten": (_excluded_key, _place, _excluded),
    "huishouden_kamers": (_household_key, _rooms_key, _household),
    "verdieping_lift": (_needs("begane_grond_of_lift"), _floor_key, _floor),
    "toegankelijk": (_needs("toegankelijk"), _accessible_key, _accessible),
    "huisdieren": (_needs("huisdier"), _pets_key, _pets),
    "passend_toewijzen": (_affordable_key, _rent_key, _affordable),
    "werkgebied": (_working_area_key, _place, _working_area),
}


Answer = tuple[list[Check], list[str]]  # the checks, and the lines of those that fail


def for_dwelling(dwelling: Row, candidates: list[Row], terms: Terms) -> list[Answer]:
    """Judge many candidates against one dwelling. Candidates alike in what the rules look
    at share one answer, so each distinct line is written once; the keys are taken rule by
    rule over all candidates (a list per rule is made faster than a tuple per candidate)."""
    rules = [(RULES[r.id][0], RULES[r.id][2], r) for r in terms.rules.eligibility]
    facts = [c["facts"] for c in candidates]
    columns = [[key(f, dwelling) for f in facts] for key, _, _ in rules]
    seen: dict[tuple, Answer] = {}
    answers = []
    for k in zip(*columns, strict=True) if columns else ((),) * len(candidates):
        answer = seen.get(k)
        if answer is None:
            found = [
                c
                for (_, write, rule), one in zip(rules, k, strict=True)
                if (c := write(one, dwelling, rule, terms)) is not None
            ]
            answer = seen[k] = (found, [c.line for c in found if not c.ok])
        answers.append(answer)
    return answers


def for_candidate(candidate: Row, dwellings: list[Row], terms: Terms) -> list[Answer]:
    """Judge one candidate against many dwellings, each rule's line written once per
    distinct pair of keys (`RULES`)."""
    facts, columns = candidate["facts"], []
    for rule in terms.rules.eligibility:
        key, dwelling_key, write = RULES[rule.id]
        seen: dict[tuple, Check | None] = {}
        column = []
        keys = [(key(facts, d), dwelling_key(d)) for d in dwellings]
        for d, k in zip(dwellings, keys, strict=True):
            check = seen.get(k, seen)  # `seen` itself: not yet written
            if check is seen:
                check = seen[k] = write(k[0], d, rule, terms)
            column.append(check)
        columns.append(column)
    answers = []
    for row in zip(*columns, strict=True) if columns else ((),) * len(dwellings):
        found = [c for c in row if c is not None]
        answers.append((found, [c.line for c in found if not c.ok]))
    return answers


class Fits:
    """Whether candidates fit dwellings, for many pairs: each rule is judged once per
    distinct pair of keys (`RULES`) and then remembered, so a question asked for thousands
    of pairs costs a few dictionary lookups each. Only whether it fits, not the lines.

    `group` names candidates alike in every fact the rules read: their keys are taken once
    per municipality (a candidate's key reads no more of a dwelling than its municipality)."""

    def __init__(self, terms: Terms, *, places_known: bool = False) -> None:
        """With `places_known`, the caller asks only of homes in places the candidate may
        live in: the rules a place alone decides are left out."""
        self.terms = terms
        self.rules = [
            (RULES[r.id], r)
            for r in terms.rules.eligibility
            if not (places_known and RULES[r.id][1] is _place)
        ]
        self.known: list[dict[tuple, bool]] = [{} for _ in self.rules]
        self.dwelling_keys: dict[str, tuple] = {}
        self.candidate_keys: dict[tuple, tuple] = {}

    def __call__(self, candidate: Row, dwelling: Row, group: Any = None) -> bool:
        code, place = dwelling["code"], dwelling["municipality"]
        keys = self.dwelling_keys.get(code)
        if keys is None:
            keys = tuple(d_key(dwelling) for (_, d_key, _), _ in self.rules)
            self.dwelling_keys[code] = keys
        mine = None if group is None else self.candidate_keys.get((group, place))
        if mine is None:
            facts = candidate["facts"]
            mine = tuple(key(facts, dwelling) for (key, _, _), _ in self.rules)
            if group is not None:
                self.candidate_keys[(group, place)] = mine
        known = self.known
        for i in range(len(keys)):
            pair = (mine[i], keys[i])
            ok = known[i].get(pair)
            if ok is None:
                (_, _, write), rule = self.rules[i]
                check = write(pair[0], dwelling, rule, self.terms)
                ok = known[i][pair] = check is None or check.ok
            if not ok:
                return False
        return True


def checks(candidate: Row, dwelling: Row, terms: Terms) -> list[Check]:
    """Every rule of the region that applies to this pair, in the region's order."""
    found = []
    for rule in terms.rules.eligibility:
        key, _, write = RULES[rule.id]
        check = write(key(candidate["facts"], dwelling), dwelling, rule, terms)
        if check is not None:
            found.append(check)
    return found


def fits(candidate: Row, dwelling: Row, terms: Terms) -> bool:
    return all(c.ok for c in checks(candidate, dwelling, terms))


def why_not(candidate: Row, dwelling: Row, terms: Terms) -> list[str]:
    """The lines of the rules that fail; empty when the dwelling fits."""
    return [c.line for c in checks(candidate, dwelling, terms) if not c.ok]
