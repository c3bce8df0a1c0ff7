"""The quota ledger: per municipality what was agreed to date, what is placed and in
progress, and whether it runs behind or ahead; per neighbourhood the placements of the last
twelve months (a window that moves, so no cap resets on 1 January) against its cap.

It is computed from the placements themselves (the dwellings that were assigned, and those
with an open proposal), counted by the storage layer, never from a counter kept on the side:
a withdrawal, an erasure or a restart cannot make it drift.

The spread price follows the dynamic placement work of Ahani, Gölz, Procaccia, Teytelboym
and Trapp: each municipality's share of the quota is a capacity with a price that rises as it
fills, `exp(K × (fill − 1))`, where `fill` is the municipality's share of all placements
against its share of the key.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.knowledge.base import slug
from bot.knowledge.rules import AllocationRules, NeighbourhoodCaps

# A municipality this far ahead (or more) is priced as this far ahead: one very full
# municipality must not drown every other reason.
MAX_FILL = 2.0
# A municipality that fewer than this share of the waiting candidates could live in is asked
# for a home only after the others (`Ledger.wanted`).
MIN_DEMAND_SHARE = 0.10
# A neighbourhood cap counts the placements of the last twelve months, today included.
CAP_WINDOW_DAYS = 365


@dataclass(frozen=True)
class Place:
    """One municipality's line of the ledger."""

    municipality: str
    share: float  # percent of the verdeelsleutel
    agreed_this_year: float
    due_to_date: float  # since the quota began, pro rata to today
    placed: int  # since the quota began
    placed_this_year: int
    in_progress: int

    @property
    def balance(self) -> float:
        """Placed and in progress against what is due: below zero is behind."""
        return self.placed + self.in_progress - self.due_to_date

    @property
    def state(self) -> str:
        if self.balance <= -1:
            return "achter"
        if self.balance >= 1:
            return "voor"
        return "op schema"


@dataclass(frozen=True)
class Hood:
    """One neighbourhood's placements of the last twelve months (and those in progress)
    against its cap."""

    municipality: str
    neighbourhood: str
    placed_recent: int
    in_progress: int
    cap: int | None

    @property
    def count(self) -> int:
        return self.placed_recent + self.in_progress

    @property
    def at_cap(self) -> bool:
        return self.cap is not None and self.count >= self.cap


@dataclass(frozen=True)
class Ledger:
    today: date
    places: dict[str, Place]
    hoods: dict[tuple[str, str], Hood]
    placed: int
    in_progress: int
    caps: NeighbourhoodCaps = field(default_factory=NeighbourhoodCaps)
    prior: float = 10.0

    def fill(self, municipality: str) -> float:
        """The municipality's share of all placements and proposals against its share of
        the key: 1 is on its share, above 1 ahead. Counted as if `prior` placements had
        gone exactly by the key, so the first few placements do not swing the prices."""
        place = self.places.get(municipality)
        if place is None or place.share <= 0:
            return MAX_FILL
        share = place.share / 100
        mine = place.placed + place.in_progress + self.prior * share
        return min(MAX_FILL, mine / (share * (self.placed + self.in_progress + self.prior)))

    def price(self, municipality: str, steepness: float) -> float:
        return math.exp(steepness * (self.fill(municipality) - 1))

    def wanted(
        self,
        neighbourhoods: Mapping[str, Iterable[str]],
        demand: Mapping[str, int] | None = None,
        steepness: float = 2.0,
    ) -> list[tuple[str, str | None]]:
        """Where the next quota home is needed most, best first: what the matchpunt asks the
        corporations for when a home goes back unused. A municipality counts as much as the
        candidates waiting who could live there (`demand`; all alike without it), divided by
        its spread price: behind on its share and wanted comes first. Each comes with its
        neighbourhood below its cap that is emptiest (None when it lists none, or all are at
        their cap)."""

        total = sum((demand or {}).values())

        def need(m: str) -> tuple[bool, float, str]:
            # Few waiting for it: a home there would likely go unused, so it comes last.
            scarce = demand is not None and (demand.get(m, 0) < MIN_DEMAND_SHARE * total)
            return (scarce, self.fill(m), m)

        asked = []
        for mid in sorted(self.places, key=need):
            if self.places[mid].share <= 0:
                continue
            open_hoods = [
                h
                for h in (self.hood(mid, n) for n in neighbourhoods.get(mid, ()))
                if h is not None and not h.at_cap
            ]
            open_hoods.sort(key=lambda h: (h.count / h.cap if h.cap else 0.0, h.neighbourhood))
            asked.append((mid, open_hoods[0].neighbourhood if open_hoods else None))
        return asked

    def hood(self, municipality: str, neighbourhood: str | None) -> Hood | None:
        """The neighbourhood's line, by its name as a record holds it or by its slug."""
        if not neighbourhood:
            return None
        key = slug(neighbourhood)
        found = self.hoods.get((municipality, key))
        return found or Hood(municipality, key, 0, 0, self.caps.cap(municipality, key))


def ledger(
    rules: AllocationRules,
    municipalities: Iterable[str],
    counts: Iterable[Mapping[str, Any]],
    today: date,
) -> Ledger:
    """Build the ledger from `counts`: rows of `municipality`, `neighbourhood`, `placed`
    (since the quota began), `placed_this_year`, `placed_recent` (the last twelve months,
    for the caps) and `in_progress`, as the storage layer
    counts them (`RecordTables.placement_counts`)."""
    quota = rules.quota
    totals: dict[str, list[int]] = {m: [0, 0, 0] for m in municipalities}
    per_hood: dict[tuple[str, str], list[int]] = {}
    for row in counts:
        mid = row["municipality"]
        line = totals.setdefault(mid, [0, 0, 0])
        placed, this_year, in_progress = (
            int(row["placed"] or 0),
            int(row["placed_this_year"] or 0),
            int(row["in_progress"] or 0),
        )
        line[0] += placed
        line[1] += this_year
        line[2] += in_progress
        if row.get("neighbourhood"):
            # Records keep the neighbourhood by name, the rules by slug: one key for both.
            counted = per_hood.setdefault((mid, slug(row["neighbourhood"])), [0, 0])
            counted[0] += int(row["placed_recent"] or 0)
            counted[1] += in_progress
    hoods = {
        (mid, hood): Hood(mid, hood, recent, busy, rules.caps.cap(mid, hood))
        for (mid, hood), (recent, busy) in per_hood.items()
    }
    per_year, elapsed = 0.0, 0.0
    if quota is not None and today >= quota.start:
        end = quota.ends()
        until = min(today, end) if end else today
        elapsed = (until - quota.start).days / 365.25
        if end is None or today < end:
            per_year = quota.per_year
    places = {}
    for mid, (placed, this_year, in_progress) in totals.items():
        share = quota.key.get(mid, 0.0) if quota else 0.0
        due = quota.per_year * share / 100 * elapsed if quota else 0.0
        places[mid] = Place(mid, share, per_year * share / 100, due, placed, this_year, in_progress)
    return Ledger(
        today=today,
        places=places,
        hoods=hoods,
        placed=sum(p.placed for p in places.values()),
        in_progress=sum(p.in_progress for p in places.values()),
        caps=rules.caps,
        # A quarter year of the quota (at least ten placements) as the prior of `fill`.
        prior=max(10.0, quota.per_year / 4) if quota else 10.0,
    )
