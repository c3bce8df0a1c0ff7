"""What kind of home the matchpunt should ask the corporations for next, and where.

A quota home that goes back unused (nobody fits it, or its neighbourhood is at its cap)
is owed again. Asking for "a home" gets whatever comes free; asking for the home that the
longest-waiting candidate needs gets them housed. So: the municipalities in the order
`Ledger.wanted` gives (behind on its share and wanted first), each with its emptiest
neighbourhood below the cap, and the home that would fit who waits longest there without
an open home of their own: rooms for the household, the rent within their limit, ground
floor or lift, access, pets. The matchpunt passes it on; `/stand` and
`weerthuis match --wanted` show it.

Who has "an open home of their own": each open home goes to the longest-waiting candidate
it fits (as the ranking would offer it), once; everyone else it fits still waits.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from bot.knowledge.rules import euro
from bot.matching import eligibility
from bot.matching.eligibility import LIMIT_NAMES, listed, persons
from bot.matching.ledger import Ledger
from bot.matching.ranking import options
from bot.matching.terms import Terms
from bot.records.lifecycle import waiting_days

Row = Mapping[str, Any]
# How many places to list, and how many waiting candidates to name per place.
MAX_PLACES = 3
MAX_NAMED = 3
# The facts the eligibility rules read of a candidate: candidates alike in these fit the
# same homes, so each such group is judged once.
_MATCHING_FACTS = (
    "municipalities",
    "excluded",
    "household",
    "children",
    "needs",
    "rent_limit",
    "max_rent",
    "support_organisation",
)


class WantedHome(NamedTuple):
    municipality: str  # id
    neighbourhood: str | None  # slug, below its cap; None when the region lists none
    candidates: tuple[str, ...]  # who it would house, longest waiting first
    waiting: int  # how many wait there with no open home of their own
    lines: tuple[str, ...]  # the home, in Dutch: "1 tot en met 3 kamers", …
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
    """Where the next quota home is needed most, best first: only places someone waiting
    could live in, and never a place whose listed neighbourhoods are all at their cap
    (a home there would be refused). Each comes with the home that would house its
    longest-waiting candidate without an open home of their own, and names a candidate for
    one place only. Candidates in an open proposal (`busy`) are on their way; a pair in
    `declined` does not fit. A place where everyone waiting has a home of their own comes
    with no candidates and no lines: any home will do."""
    waiting = sorted(
        (c for c in candidates if c["status"] == "aangemeld" and c["code"] not in busy),
        key=lambda c: _priority(c, terms),
    )
    fits = eligibility.Fits(terms)
    groups = {c["code"]: _key(c) for c in waiting}
    places_of: dict[str, list[str]] = {}  # per group: where its candidates may live
    for candidate in waiting:
        key = groups[candidate["code"]]
        if key not in places_of:
            # The rules a place alone decides (wishes, exclusions, the working area): a
            # home of which only the place is known.
            places_of[key] = [
                m
                for m in options(candidate, ledger)
                if fits(candidate, {"code": f"@{m}", "municipality": m, "facts": {}}, key)
            ]
    served = _served(waiting, groups, places_of, dwellings, terms, declined)
    placeable: dict[str, list[Row]] = defaultdict(list)  # who waits, per municipality
    stuck: dict[str, list[Row]] = defaultdict(list)  # … without a home of their own
    for candidate in waiting:
        for municipality in places_of[groups[candidate["code"]]]:
            placeable[municipality].append(candidate)
            if candidate["code"] not in served:
                stuck[municipality].append(candidate)
    demand = {m: len(rows) for m, rows in placeable.items()}
    steepness = terms.rules.prioritisation.spread_steepness
    found: list[WantedHome] = []
    named: set[str] = set()
    for municipality, hood in ledger.wanted(neighbourhoods, demand, steepness):
        if len(found) == limit:
            break
        if not placeable.get(municipality):
            continue  # nobody waiting could live there: a home there would go unused
        if hood is None and list(neighbourhoods.get(municipality, ())):
            continue  # every neighbourhood at its cap: a home there would be refused
        rows = [c for c in stuck.get(municipality, ()) if c["code"] not in named]
        named.update(c["code"] for c in rows[:MAX_NAMED])
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


def _served(
    waiting: list[Row],
    groups: Mapping[str, str],
    places_of: Mapping[str, list[str]],
    dwellings: Iterable[Row],
    terms: Terms,
    declined: frozenset[tuple[str, str]] | set[tuple[str, str]],
) -> set[str]:
    """The candidates (in `waiting`'s order, longest first) who get an open home of their
    own: each home goes to the first it fits, once."""
    homes: dict[str, list[Row]] = defaultdict(list)
    for d in dwellings:
        if d["status"] == "beschikbaar":
            homes[d["municipality"]].append(d)
    free = sum(len(rows) for rows in homes.values())
    fits = eligibility.Fits(terms, places_known=True)
    # Candidates alike fit the same homes; homes are only ever taken, so each group walks
    # its list of homes once, from where it stopped.
    lists: dict[str, list[Row]] = {}
    start: dict[str, int] = {}
    taken: set[str] = set()
    served: set[str] = set()
    for candidate in waiting:
        if len(taken) == free:
            break  # every open home has its candidate: the rest wait
        code = candidate["code"]
        group = groups[code]
        rows = lists.get(group)
        if rows is None:
            rows = lists[group] = [d for m in places_of[group] for d in homes.get(m, ())]
            start[group] = 0
        i, n = start[group], len(rows)
        while i < n and (rows[i]["code"] in taken or not fits(candidate, rows[i], group)):
            i += 1
        start[group] = j = i
        # A pair declined is skipped for this candidate only: the group keeps its place.
        while j < n and (
            rows[j]["code"] in taken
            or (code, rows[j]["code"]) in declined
            or not fits(candidate, rows[j], group)
        ):
            j += 1
        if j < n:
            taken.add(rows[j]["code"])
            served.add(code)
    return served


def _key(candidate: Row) -> str:
    facts = candidate["facts"]
    return json.dumps([facts.get(k) for k in _MATCHING_FACTS], sort_keys=True, default=str)


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
    needs = listed(facts, "needs")
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
    if most is None or most < least:
        return f"minstens {least} kamers" if least > 1 else ""
    if most == least:
        return f"{least} kamer" if least == 1 else f"{least} kamers"
    return f"{least} tot en met {most} kamers"


def _rent_line(facts: Row, terms: Terms) -> str | None:
    limit_key = facts.get("rent_limit")
    if limit_key == "anders":
        own = facts.get("max_rent")
        if isinstance(own, int | float) and not isinstance(own, bool):
            return f"huur hoogstens {euro(float(own))} (eigen maximum)"
        return None
    limits = terms.limits(terms.today.year)
    if not isinstance(limit_key, str) or limits is None or limit_key not in limits.amounts:
        return None
    name = LIMIT_NAMES.get(limit_key, limit_key)
    return f"huur hoogstens {euro(limits.amounts[limit_key])} ({name})"


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
