"""Ten years of a region like IJmond en Zuid-Kennemerland: three allocation policies on the
same generated stream of candidates and homes.

    python bench/simulate_region.py [--years 10] [--seed S] [--choice N] [--json]

Policies, applied each simulated day to the homes available that day:
- `fcfs`: homes in order of arrival; each gets the longest-waiting candidate that fits it
  (`bot.matching.eligibility.fits`). Spread and caps are ignored.
- `hardest_first`: the order of boston-cas (`app/models/matching/engine.rb`, opportunities by
  ascending matchability): the home with the fewest fitting waiting candidates first (counted
  once at the start of the day, ties by arrival); each gets the longest-waiting fitting
  candidate. Spread and caps are ignored.
- `weerthuis`: the project's engine. Homes in order of arrival; a home whose neighbourhood is
  at its cap (`Ledger.hood(...).at_cap`) is not proposed and goes back to the regular
  allocation (no override in the simulation); otherwise the top candidate of
  `bot.matching.ranking.candidates_for` is proposed. The ledger is built with
  `bot.matching.ledger.ledger` from count rows kept as the storage layer counts them
  (placed since the quota start, this calendar year and in the last twelve months, proposals
  in progress).

A quota home that goes back unused (nobody fitting took it within its window, or it was
refused for a cap) does not count: the corporations owe it and offer another `REPLACE_DAYS`
(21) later, for every policy alike (at most `MAX_REPLACEMENTS` times in a row). The new
home's features are drawn from a generator seeded by the home it replaces. fcfs and
hardest_first get it where the first one was (the same municipality, a neighbourhood drawn
as usual): nobody asks for anything, so the corporations offer the next home that comes
free. The engine asks for it as `bot.matching.wanted` says (what `/stand` and
`weerthuis match --wanted` show): where the ledger needs it most (the municipality furthest
behind on its share among those at least a tenth of the waiting candidates could live in,
in its emptiest neighbourhood below the cap) and what kind of home (the one that fits the
longest-waiting candidate there without an open home of their own). The corporations then
choose, among the next `--choice` (default 3) homes coming free there, drawn alike, the
first that is that kind of home, or else the first. **This choice is an assumption of the
bench, and the engine's shorter waits rest on it**: with `--choice 1` asking for a kind of
home changes nothing, and only the place is asked for. Three is an example: the
corporations of a region this size let hundreds of social homes a year, so a few come free
in any municipality within three weeks. With a choice the engine's replacement can be a
home no other policy sees (its code says which of the draws it was, "…-V1k2").

Metrics per policy:
- `median_wait_days`, `p90_wait_days`: days from registration to placement (the day the
  proposal is accepted), over the housed candidates;
- `housed_share`: housed candidates / all candidates of the stream (0 to 1);
- `max_municipality_deviation`: the largest |a municipality's share of all placements − its
  share of the verdeelsleutel|, in percentage points;
- `max_neighbourhood_share`: over the municipalities with placements, the highest share of
  one municipality's placements (whole run) that went to one of its neighbourhoods, in
  percent;
- `caps_exceeded`: the placements that took a neighbourhood over the region file's cap (more
  than the cap placed in the twelve months up to and including that day).
`--json` prints `{"policies": {name: {the six metrics}}, "details": {name: {placed, proposals,
declined, homes lost to the window and to a cap, municipality shares}}, "seed", "years",
"choice", "candidates", "homes", "seconds"}`; a wait is null when nobody was housed.

The stream is seeded and deterministic, and the same for the three policies (the answer to
each proposal is a function of the seed and the pair). Every figure below is an example
assumption of this bench, not a fact from the sources:
- time: the quota's own years, from its start (2021-01-01); one step per day;
- candidates: the quota per year (178) registered per calendar year on uniformly random days
  (a Poisson process given its count), 1,780 in ten years; none withdraws;
  household 75% alleenstaand, 13% stel, 12% gezin with 1-3 children; needs: 15% ground floor
  or lift, 4% wheelchair access (with ground floor or lift), 12% a pet; rent limit: 72% lage
  aftoppingsgrens, 16% hoge, 6% liberalisatiegrens, 6% an own maximum of €600-800 (a family:
  mostly hoge); 10% urgent;
- wishes: 45% one municipality, 28% two, 12% three, 15% any; drawn with weights key share ×
  `DEMAND_TILT` (Haarlem 1.6: demand above its key share); 30% of those wanting any and 3% of
  the others exclude one municipality outside their wishes;
- support: the region's demo care providers; Ambulante Begeleiding Haarlem (working area
  Zuid-Kennemerland in the region file) supports half of those whose wishes lie in
  Zuid-Kennemerland, the other provider everyone else;
- homes: the quota per year, on uniformly random days; the municipality of each home is drawn
  from that year's supply shares, key share × lognormal noise (σ `SUPPLY_NOISE` 0.3), so
  supply varies around the key; the neighbourhood from `HOOD_WEIGHTS` (social rent is
  concentrated: Schalkwijk about 40% of Haarlem's homes, IJmuiden about half of Velsen's);
  rooms 1-4 (5/45/35/15%); floor 0 for 30%, else 1-4, a lift for 70% from the third floor and
  20% below; wheelchair access for a tenth of the homes on the ground floor or with a lift;
  pets allowed 60%; net rent mostly €500-900 (normal around €540 + €35 a room, σ €80, kept
  within €450-950), so about a quarter lies above the lage aftoppingsgrens; available two
  weeks after it is reported;
- a home is open to the quota for `WINDOW_DAYS` (28) from its report, then goes back to the
  regular allocation; a proposal is answered after 1-7 days (the deadline of five working
  days); 22% of proposals are declined (by either party), the pair is never proposed again
  and the home is offered again the day after the answer, while its window lasts; an accepted
  proposal places the candidate;
- rent limits: those of each simulated year from the knowledge base (2021 on; a later year
  gets the latest published ones, as the engine does itself); the stream's rents do not rise
  with them.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.knowledge.base import KnowledgeBase, load_knowledge, slug  # noqa: E402
from bot.matching.eligibility import fits  # noqa: E402
from bot.matching.ledger import Ledger, ledger  # noqa: E402
from bot.matching.ranking import candidates_for  # noqa: E402
from bot.matching.terms import Terms, terms_for  # noqa: E402
from bot.matching.wanted import wanted_homes  # noqa: E402

REGION = "ijmond-zuid-kennemerland"
POLICIES = ("fcfs", "hardest_first", "weerthuis")
METRICS = (
    "median_wait_days",
    "p90_wait_days",
    "housed_share",
    "max_municipality_deviation",
    "max_neighbourhood_share",
    "caps_exceeded",
)

# --- the stream's example assumptions (see the module docstring) ------------------------------
WINDOW_DAYS = 28
REPLACE_DAYS = 21
MAX_REPLACEMENTS = 2
CHOICE = 3
CAP_WINDOW_DAYS = 365
DECLINE_RATE = 0.22
ANSWER_DAYS = (1, 7)
NOTICE_DAYS = 14
SUPPLY_NOISE = 0.3
URGENT_SHARE = 0.10
DEMAND_TILT = {"haarlem": 1.6}
HOUSEHOLDS = {"alleenstaand": 0.75, "stel": 0.13, "gezin": 0.12}
WISH_COUNTS = {1: 0.45, 2: 0.28, 3: 0.12, 0: 0.15}  # 0: any municipality
RENT_LIMITS = {
    "lage_aftoppingsgrens": 0.72,
    "hoge_aftoppingsgrens": 0.16,
    "liberalisatiegrens": 0.06,
    "anders": 0.06,
}
FAMILY_RENT_LIMITS = {"lage_aftoppingsgrens": 0.2, "hoge_aftoppingsgrens": 0.7, "anders": 0.1}
ROOMS = {1: 0.05, 2: 0.45, 3: 0.35, 4: 0.15}
# Supply weight of a neighbourhood within its municipality (1 when not named).
HOOD_WEIGHTS = {
    ("haarlem", "schalkwijk"): 4.0,
    ("haarlem", "haarlem-noord"): 2.0,
    ("haarlem", "haarlem-oost"): 2.0,
    ("haarlem", "centrum"): 0.7,
    ("velsen", "ijmuiden"): 4.0,
    ("velsen", "velsen-noord"): 1.5,
    ("velsen", "velsen-zuid"): 0.7,
    ("velsen", "driehuis"): 0.5,
    ("beverwijk", "oosterwijk"): 2.0,
    ("beverwijk", "warande"): 1.5,
    ("beverwijk", "wijk-aan-zee"): 0.5,
    ("heemskerk", "heemskerk-noord"): 2.0,
    ("heemskerk", "broekpolder"): 1.5,
    ("bloemendaal", "bennebroek"): 1.5,
    ("bloemendaal", "overveen"): 1.5,
    ("bloemendaal", "vogelenzang"): 0.7,
    ("bloemendaal", "aerdenhout"): 0.3,
    ("heemstede", "merlenhoven"): 2.0,
    ("heemstede", "indische-buurt"): 1.5,
    ("heemstede", "geleerdenwijk"): 0.5,
    ("zandvoort", "zandvoort-noord"): 2.5,
    ("zandvoort", "centrum"): 1.5,
    ("zandvoort", "bentveld"): 0.3,
}


@dataclass(frozen=True)
class Stream:
    start: date
    end: date  # exclusive
    candidates: list[dict[str, Any]]  # by registration
    dwellings: list[dict[str, Any]]  # by report
    seed: int

    def answer(self, candidate: str, dwelling: str) -> tuple[bool, int]:
        """Whether the proposal of this pair is accepted, and after how many days."""
        rng = random.Random(f"{self.seed}/{candidate}/{dwelling}")
        return rng.random() >= DECLINE_RATE, rng.randint(*ANSWER_DAYS)


def _pick(rng: random.Random, weights: dict) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _days_of_year(rng: random.Random, year: int, n: int, start: date, end: date) -> list[date]:
    first, last = max(date(year, 1, 1), start), min(date(year + 1, 1, 1), end)
    span = (last - first).days
    return sorted(first + timedelta(days=rng.randrange(span)) for _ in range(n))


def _stamp(day: date, rng: random.Random) -> str:
    return f"{day.isoformat()}T{rng.randint(7, 16):02d}:{rng.randrange(60):02d}:00+00:00"


@dataclass(frozen=True)
class Providers:
    """The care providers of the stream: one working region-wide (`general`), one only in
    its working area (`local`, `area`)."""

    general: str  # organisation id (as text)
    local: str | None = None
    area: frozenset[str] = frozenset()


def _candidate(
    rng: random.Random, day: date, key: dict[str, float], providers: Providers
) -> dict[str, Any]:
    household = _pick(rng, HOUSEHOLDS)
    children = rng.choice((1, 1, 2, 3)) if household == "gezin" else 0
    needs = []
    if rng.random() < 0.04:
        needs += ["begane_grond_of_lift", "toegankelijk"]
    elif rng.random() < 0.15:
        needs.append("begane_grond_of_lift")
    if rng.random() < 0.12:
        needs.append("huisdier")
    limit = _pick(rng, FAMILY_RENT_LIMITS if household == "gezin" else RENT_LIMITS)
    demand = {m: share * DEMAND_TILT.get(m, 1.0) for m, share in key.items()}
    wanted: list[str] = []
    for _ in range(_pick(rng, WISH_COUNTS)):
        wanted.append(_pick(rng, {m: w for m, w in demand.items() if m not in wanted}))
    excluded = []
    if rng.random() < (0.30 if not wanted else 0.03):
        excluded = [rng.choice([m for m in key if m not in wanted])]
    local = providers.local and wanted and set(wanted) <= providers.area
    provider = providers.local if local and rng.random() < 0.5 else providers.general
    facts = {
        "municipalities": wanted,
        "excluded": excluded,
        "household": household,
        "children": children,
        "needs": needs,
        "rent_limit": limit,
        "urgent": "ja" if rng.random() < URGENT_SHARE else "nee",
        "support_organisation": provider,
    }
    if limit == "anders":
        facts["max_rent"] = rng.randrange(600, 801, 25)
    return {
        "status": "aangemeld",
        "created_at": _stamp(day, rng),
        "facts": facts,
    }


def _dwelling(rng: random.Random, day: date, municipality: str, hoods: list[str]) -> dict[str, Any]:
    hood = _pick(rng, {h: HOOD_WEIGHTS.get((municipality, h), 1.0) for h in hoods})
    rooms = _pick(rng, ROOMS)
    floor = 0 if rng.random() < 0.30 else rng.randint(1, 4)
    lift = floor > 0 and rng.random() < (0.7 if floor >= 3 else 0.2)
    accessible = (floor == 0 or lift) and rng.random() < 0.10
    rent = min(950, max(450, rng.gauss(540 + 35 * rooms, 80)))
    return {
        "status": "beschikbaar",
        "created_at": _stamp(day, rng),
        "municipality": municipality,
        "facts": {
            "neighbourhood": hood,
            "rooms": rooms,
            "floor": floor,
            "lift": "ja" if lift else "nee",
            "accessible": "ja" if accessible else "nee",
            "pets_allowed": "ja" if rng.random() < 0.6 else "nee",
            "net_rent": round(rent, 2),
            "available_from": (day + timedelta(days=NOTICE_DAYS)).isoformat(),
        },
    }


def generate(kb: KnowledgeBase, years: int, seed: int, providers: Providers) -> Stream:
    """The seeded stream of `years` from the quota's start: candidates and homes at the
    quota's rate, with the variety of the module docstring."""
    rules = kb.facts[REGION].allocation_rules
    quota = rules.quota
    start = quota.start
    end = start.replace(year=start.year + years)
    per_year = round(quota.per_year)
    hoods = {m: [slug(n) for n in names] for m, names in kb.facts[REGION].neighbourhoods.items()}
    people, homes = random.Random(f"{seed}/candidates"), random.Random(f"{seed}/homes")
    candidates, dwellings = [], []
    for year in range(start.year, end.year):
        for day in _days_of_year(people, year, per_year, start, end):
            candidates.append(_candidate(people, day, quota.key, providers))
        noisy = {m: s * math.exp(homes.gauss(0, SUPPLY_NOISE)) for m, s in quota.key.items()}
        for day in _days_of_year(homes, year, per_year, start, end):
            where = _pick(homes, noisy)
            dwellings.append(_dwelling(homes, day, where, hoods[where]))
    return Stream(start, end, _numbered(candidates, "K"), _numbered(dwellings, "W"), seed)


def _numbered(rows: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    """The rows by registration, each with its code in that order."""
    rows = sorted(rows, key=lambda r: r["created_at"])
    return [{"code": f"{prefix}-SIM-{n:04d}", **row} for n, row in enumerate(rows, start=1)]


# --- the simulation ---------------------------------------------------------------------------


@dataclass
class Home:
    row: dict[str, Any]
    reported: date
    fitting: set[str] = field(default_factory=set)  # waiting candidates that fit, not declined
    declined: set[str] = field(default_factory=set)
    next_offer: date | None = None
    proposed_to: str | None = None

    @property
    def code(self) -> str:
        return self.row["code"]

    @property
    def where(self) -> tuple[str, str]:
        return self.row["municipality"], self.row["facts"]["neighbourhood"]


@dataclass
class Outcome:
    # (candidate, home, day, municipality, neighbourhood)
    placements: list[tuple[str, str, date, str, str]] = field(default_factory=list)
    replacements: int = 0
    proposals: int = 0
    declined: int = 0
    homes_expired: int = 0
    homes_at_cap: int = 0


class Counts:
    """Placements and open proposals per neighbourhood, as the storage layer counts them."""

    def __init__(self) -> None:
        self.placed: dict[tuple[str, str], int] = defaultdict(int)
        self.by_year: dict[tuple[str, str, int], int] = defaultdict(int)
        self.days: dict[tuple[str, str], list[date]] = defaultdict(list)  # placement days
        self.in_progress: dict[tuple[str, str], int] = defaultdict(int)

    def add(self, where: tuple[str, str], day: date) -> None:
        self.placed[where] += 1
        self.by_year[(*where, day.year)] += 1
        self.days[where].append(day)

    def rows(self, today: date) -> list[dict[str, Any]]:
        places = set(self.placed) | {p for p, n in self.in_progress.items() if n}
        window = today - timedelta(days=CAP_WINDOW_DAYS - 1)
        return [
            {
                "municipality": m,
                "neighbourhood": h,
                "placed": self.placed[(m, h)],
                "placed_this_year": self.by_year[(m, h, today.year)],
                "placed_recent": sum(1 for d in self.days[(m, h)] if d >= window),
                "in_progress": self.in_progress[(m, h)],
            }
            for m, h in sorted(places)
        ]


Chooser = Callable[[Home, list[dict[str, Any]], Terms, "World"], str | None]


class World:
    """One policy's run over the stream: who waits, which homes are open, what is placed."""

    def __init__(
        self,
        stream: Stream,
        terms: Terms,
        municipalities: list[str],
        fit_cache,
        hoods: dict[str, list[str]],
        asks_where_needed: bool,
        choice: int = 1,
    ):
        self.stream, self.base_terms, self.municipalities = stream, terms, municipalities
        self.fit_cache = fit_cache
        self.hoods, self.asks_where_needed = hoods, asks_where_needed
        self.choice = choice  # how many coming homes the corporations choose a replacement from
        self.replacements: dict[date, list[dict[str, Any]]] = defaultdict(list)
        self.waiting: dict[str, dict[str, Any]] = {}  # code → row, insertion by registration
        self.busy: set[str] = set()  # candidates with an open proposal
        self.homes: dict[str, Home] = {}
        self.answers: dict[date, list[tuple[str, str]]] = defaultdict(list)
        self.counts = Counts()
        self.outcome = Outcome()
        self._ledger: Ledger | None = None

    def fits(self, candidate: dict, home: Home, terms: Terms) -> bool:
        # The rent rule reads the limits of max(available year, this year): cache per that.
        # A replacement has the same code under every policy but may lie elsewhere (the
        # engine asks for it where it is needed), so its municipality is part of the key.
        year = max(int(home.row["facts"]["available_from"][:4]), terms.today.year)
        key = (candidate["code"], home.code, home.row["municipality"], year)
        found = self.fit_cache.get(key)
        if found is None:
            found = self.fit_cache[key] = fits(candidate, home.row, terms)
        return found

    def ledger(self, today: date) -> Ledger:
        if self._ledger is None or self._ledger.today != today:
            rules = self.base_terms.rules
            rows = self.counts.rows(today)
            self._ledger = ledger(rules, self.municipalities, rows, today)
        return self._ledger

    def run(self, choose: Chooser, order: str, use_caps: bool) -> Outcome:
        candidates, dwellings = iter(self.stream.candidates), iter(self.stream.dwellings)
        next_candidate, next_dwelling = next(candidates, None), next(dwellings, None)
        day = self.stream.start
        while day < self.stream.end:
            terms = replace(self.base_terms, today=day)
            if day.month == 1 and day.day == 1:
                self._refit(terms)
            while next_candidate and next_candidate["created_at"][:10] == day.isoformat():
                self._register(next_candidate, terms)
                next_candidate = next(candidates, None)
            while next_dwelling and next_dwelling["created_at"][:10] == day.isoformat():
                self._report(next_dwelling, day, terms)
                next_dwelling = next(dwellings, None)
            for row in self.replacements.pop(day, []):
                self._report(row, day, terms)
            self._answer(day)
            self._offer(day, terms, choose, order, use_caps)
            day += timedelta(days=1)
        return self.outcome

    def _refit(self, terms: Terms) -> None:
        """A new year's rent limits: which waiting candidates fit each open home again."""
        for home in self.homes.values():
            home.fitting = {
                c
                for c, candidate in self.waiting.items()
                if c not in home.declined and self.fits(candidate, home, terms)
            }

    def _register(self, candidate: dict, terms: Terms) -> None:
        self.waiting[candidate["code"]] = candidate
        for home in self.homes.values():
            if self.fits(candidate, home, terms):
                home.fitting.add(candidate["code"])

    def _report(self, row: dict, day: date, terms: Terms) -> None:
        home = Home(row, day, next_offer=day)
        home.fitting = {c for c, cand in self.waiting.items() if self.fits(cand, home, terms)}
        self.homes[home.code] = home

    def _answer(self, day: date) -> None:
        for code, candidate in self.answers.pop(day, []):
            home = self.homes[code]
            where = home.where
            self.counts.in_progress[where] -= 1
            self.busy.discard(candidate)
            home.proposed_to = None
            accepted, _ = self.stream.answer(candidate, code)
            if accepted:
                self.outcome.placements.append((candidate, code, day, *where))
                self.counts.add(where, day)
                del self.waiting[candidate]
                del self.homes[code]
                for other in self.homes.values():
                    other.fitting.discard(candidate)
            else:
                self.outcome.declined += 1
                home.fitting.discard(candidate)
                home.declined.add(candidate)
                home.next_offer = day + timedelta(days=1)
        self._ledger = None

    def _offer(self, day: date, terms: Terms, choose: Chooser, order: str, use_caps: bool):
        open_homes = []
        for home in list(self.homes.values()):
            if home.proposed_to is not None:
                continue
            if (day - home.reported).days >= WINDOW_DAYS:
                del self.homes[home.code]  # back to the regular allocation
                self.outcome.homes_expired += 1
                self._replace(home, day)
            elif home.next_offer <= day:
                open_homes.append(home)
        if order == "hardest_first":
            free = {h.code: len(h.fitting - self.busy) for h in open_homes}
            open_homes.sort(key=lambda h: (free[h.code], h.row["created_at"], h.code))
        for home in open_homes:
            if use_caps:
                hood = self.ledger(day).hood(*home.where)
                if hood is not None and hood.at_cap:
                    del self.homes[home.code]
                    self.outcome.homes_at_cap += 1
                    self._replace(home, day)
                    continue
            rows = [self.waiting[c] for c in sorted(home.fitting - self.busy)]
            chosen = choose(home, rows, terms, self) if rows else None
            if chosen is None:
                continue
            _, after = self.stream.answer(chosen, home.code)
            self.answers[day + timedelta(days=after)].append((home.code, chosen))
            self.busy.add(chosen)
            home.proposed_to = chosen
            self.counts.in_progress[home.where] += 1
            self.outcome.proposals += 1
            self._ledger = None

    def _replace(self, home: Home, day: date) -> None:
        """A quota home that went back unused is owed: the corporations offer another
        `REPLACE_DAYS` later, drawn from a generator seeded by the home it replaces. A
        policy that reads the ledger asks for it as `bot.matching.wanted` says, and the
        corporations choose among `self.choice` coming homes (the module docstring); the
        others get the next home where the first one was."""
        depth = home.code.count("-V")
        if depth >= MAX_REPLACEMENTS:
            return
        when = day + timedelta(days=REPLACE_DAYS)
        if when >= self.stream.end:
            return
        rng = random.Random(f"{self.stream.seed}/{home.code}/replacement")
        municipality, hood, for_whom = home.where[0], None, ()
        if self.asks_where_needed:
            municipality, hood, for_whom = self._wanted(day, home)
        code = f"{home.code}-V{depth + 1}"
        terms = replace(self.base_terms, today=when)
        fitting = [self.waiting[c] for c in for_whom]
        # The corporations pick, among the next `self.choice` homes coming free there, the
        # first that is the home the matchpunt described (it fits the candidate it was
        # described for); none is, or nothing was asked: the first. A later pick has a code
        # of its own ("…-V1k2"), since the policies share the cache of who fits which home
        # by code and municipality.
        draws = []
        for _ in range(self.choice if fitting else 1):
            draw = _dwelling(rng, when, municipality, self.hoods[municipality])
            if hood is not None:
                draw["facts"]["neighbourhood"] = hood
            draws.append(draw)
        pick = next(
            (
                i
                for i, d in enumerate(draws)
                if any(fits(c, {"code": code, **d}, terms) for c in fitting)
            ),
            0,
        )
        suffix = f"k{pick + 1}" if pick else ""
        self.replacements[when].append({"code": code + suffix, **draws[pick]})
        self.outcome.replacements += 1

    def _wanted(self, day: date, home: Home) -> tuple[str, str | None, tuple[str, ...]]:
        """Where the engine asks for a replacement, and for whom (`bot.matching.wanted`, as
        `/stand` shows it): the municipality furthest behind on its share among those the
        waiting could live in, its emptiest neighbourhood below the cap, and the
        longest-waiting candidate there without an open home of their own. Nothing asked
        (nobody waiting could be placed): where the first one was, for nobody."""
        books = self.ledger(day)
        terms = replace(self.base_terms, today=day)
        open_rows = [h.row for h in self.homes.values() if h.proposed_to is None]
        declined = {(c, h.code) for h in self.homes.values() for c in h.declined}
        asked = wanted_homes(
            books,
            self.hoods,
            self.waiting.values(),
            open_rows,
            terms,
            busy=self.busy,
            declined=declined,
            limit=1,
        )
        if not asked:
            return home.where[0], None, ()
        return asked[0].municipality, asked[0].neighbourhood, asked[0].candidates[:1]


def _longest_waiting(home: Home, rows: list[dict], terms: Terms, world: World) -> str:
    return min(rows, key=lambda r: (r["created_at"], r["code"]))["code"]


def _engine(home: Home, rows: list[dict], terms: Terms, world: World) -> str | None:
    ranked, _ = candidates_for(home.row, rows, terms, world.ledger(terms.today))
    return ranked[0].code if ranked else None


# (chooser, home order, caps kept, a returned home's replacement asked where it is needed)
CHOOSERS: dict[str, tuple[Chooser, str, bool, bool]] = {
    "fcfs": (_longest_waiting, "arrival", False, False),
    "hardest_first": (_longest_waiting, "hardest_first", False, False),
    "weerthuis": (_engine, "arrival", True, True),
}


def simulate(
    stream: Stream,
    policy: str,
    terms: Terms,
    municipalities,
    fit_cache,
    hoods,
    choice: int = CHOICE,
) -> Outcome:
    """Run `policy` over `stream`; `fit_cache` (pair and rent year → fits) may be shared by
    the policies, since eligibility does not depend on the policy."""
    choose, order, use_caps, asks = CHOOSERS[policy]
    world = World(stream, terms, municipalities, fit_cache, hoods, asks, choice if asks else 1)
    return world.run(choose, order, use_caps)


# --- the figures ------------------------------------------------------------------------------


def _percentile(values: list[int], p: float) -> float | None:
    """Nearest rank; None without values."""
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[max(0, math.ceil(p * len(ordered)) - 1)])


def metrics(stream: Stream, outcome: Outcome, terms: Terms) -> tuple[dict, dict]:
    """The six metrics of the module docstring, and the details behind them."""
    rules = terms.rules
    registered = {c["code"]: c["created_at"][:10] for c in stream.candidates}
    waits = [
        (day - date.fromisoformat(registered[c])).days for c, _, day, _, _ in outcome.placements
    ]
    per_place: dict[str, int] = defaultdict(int)
    per_hood: dict[tuple[str, str], int] = defaultdict(int)
    days: dict[tuple[str, str], list[date]] = defaultdict(list)
    for _, _, day, m, h in outcome.placements:
        per_place[m] += 1
        per_hood[(m, h)] += 1
        days[(m, h)].append(day)
    placed = len(outcome.placements)
    shares = {m: 100 * per_place[m] / placed if placed else 0.0 for m in rules.quota.key}
    deviation = max(abs(shares[m] - key) for m, key in rules.quota.key.items())
    concentration = max((100 * n / per_place[m] for (m, _), n in per_hood.items()), default=0.0)
    exceeded = sum(_over_cap(sorted(d), rules.caps.cap(m, h)) for (m, h), d in days.items())
    figures = {
        "median_wait_days": float(statistics.median(waits)) if waits else None,
        "p90_wait_days": _percentile(waits, 0.9),
        "housed_share": round(placed / len(stream.candidates), 3) if stream.candidates else 0.0,
        "max_municipality_deviation": round(deviation, 1),
        "max_neighbourhood_share": round(concentration, 1),
        "caps_exceeded": exceeded,
    }
    details = {
        "placed": placed,
        "proposals": outcome.proposals,
        "declined": outcome.declined,
        "homes_lost_window": outcome.homes_expired,
        "homes_lost_cap": outcome.homes_at_cap,
        "replacements": outcome.replacements,
        "municipality_shares": {m: round(s, 1) for m, s in shares.items()},
    }
    return figures, details


def _over_cap(days: list[date], cap: int | None) -> int:
    """Placements that took a neighbourhood over its cap: more than `cap` placements in the
    twelve months up to and including that day (the window the engine keeps)."""
    if cap is None:
        return 0
    over, first = 0, 0
    for i, day in enumerate(days):
        while (day - days[first]).days >= CAP_WINDOW_DAYS:
            first += 1
        over += i - first + 1 > cap
    return over


def _table(result: dict) -> str:
    names = list(result["policies"])
    rows = [("", *names)]
    for metric in METRICS:
        rows.append((metric, *(_cell(result["policies"][n][metric]) for n in names)))
    for key in ("placed", "homes_lost_window", "homes_lost_cap", "replacements", "declined"):
        rows.append((key, *(_cell(result["details"][n][key]) for n in names)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    )


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:g}" if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class Setup:
    stream: Stream
    terms: Terms
    municipalities: list[str]
    hoods: dict[str, list[str]]


def setup(years: int, seed: int) -> Setup:
    """The region's terms and the seeded stream of `years` from its quota start."""
    kb = load_knowledge(REPO / "knowledge")
    rules = kb.facts[REGION].allocation_rules
    region = kb.regions[REGION]
    names = [name for name, kind in region.demo_organisations if kind == "zorgaanbieder"]
    organisation_names = {str(i): name for i, name in enumerate(names, start=1)}
    rule = rules.rule("werkgebied")
    areas = rule.params.get("areas", {}) if rule else {}
    local = next((i for i, n in organisation_names.items() if n in areas), None)
    general = next(i for i, n in organisation_names.items() if n not in areas)
    providers = Providers(general, local, frozenset(areas.get(organisation_names.get(local), ())))
    terms = terms_for(kb, REGION, rules.quota.start, organisation_names)
    stream = generate(kb, years, seed, providers)
    municipalities = [m.id for m in region.municipalities]
    hoods = {m: [slug(n) for n in names] for m, names in kb.facts[REGION].neighbourhoods.items()}
    return Setup(stream, terms, municipalities, hoods)


def run(years: int, seed: int, choice: int = CHOICE) -> dict[str, Any]:
    """The three policies over one stream of `years` from the region's quota start."""
    started = time.perf_counter()
    s = setup(years, seed)
    fit_cache: dict = {}
    result: dict[str, Any] = {"policies": {}, "details": {}}
    for policy in POLICIES:
        outcome = simulate(s.stream, policy, s.terms, s.municipalities, fit_cache, s.hoods, choice)
        result["policies"][policy], result["details"][policy] = metrics(s.stream, outcome, s.terms)
    result.update(
        seed=seed,
        years=years,
        choice=choice,
        candidates=len(s.stream.candidates),
        homes=len(s.stream.dwellings),
        seconds=round(time.perf_counter() - started, 1),
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--choice",
        type=int,
        default=CHOICE,
        help=f"homes coming free the corporations choose an asked-for replacement from "
        f"(default {CHOICE}; 1: no choice)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not 1 <= args.years <= 50:
        parser.error("--years: 1 to 50")
    if not 1 <= args.choice <= 20:
        parser.error("--choice: 1 to 20")
    result = run(args.years, args.seed, args.choice)
    if args.json:
        print(json.dumps(result))
        return
    print(
        f"{result['years']} years, seed {result['seed']}: {result['candidates']} candidates, "
        f"{result['homes']} homes; replacements chosen from {result['choice']} coming homes"
    )
    print(_table(result))
    print(f"time: {result['seconds']} s")


if __name__ == "__main__":
    main()
