"""A region's overview, computed from the records themselves on the day it is asked for."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.access.roles import COORDINATOR, NotAllowedError
from bot.decisions.reasons import CARE, CORPORATION, label
from bot.knowledge.base import KnowledgeBase, slug
from bot.matching import matchpunt
from bot.reports import housed
from bot.reports.housed import Aftercare
from bot.storage import Store, User

SIDE_NAMES = {CARE: "zorg", CORPORATION: "corporatie"}


@dataclass(frozen=True)
class Municipality:
    id: str
    name: str
    share: float  # percent of the verdeelsleutel
    due_to_date: float
    placed: int
    in_progress: int
    state: str  # achter, op schema, voor
    waiting: int
    median_wait_days: float | None
    open_homes: int
    oldest_home_days: int | None


@dataclass(frozen=True)
class Neighbourhood:
    municipality: str
    name: str
    count: int  # the last twelve months, in progress included
    cap: int | None

    @property
    def at_cap(self) -> bool:
        return self.cap is not None and self.count >= self.cap


@dataclass(frozen=True)
class Wanted:
    """A home the matchpunt should ask the corporations for (`bot.matching.wanted`)."""

    place: str  # "Velsen, IJmuiden"
    home: list[str]  # "1 tot en met 3 kamers", "huur hoogstens € 713,02 (…)"
    candidates: list[str]  # who it would house, longest waiting first
    waiting: int  # how many wait there with no open home that fits


@dataclass(frozen=True)
class Report:
    region: str
    region_name: str
    day: str
    quota_per_year: float | None
    municipalities: list[Municipality]
    neighbourhoods: list[Neighbourhood]
    waiting: int
    median_wait_days: float | None
    waiting_anywhere: int
    open_proposals: int
    stalled_proposals: int
    oldest_open_days: int | None
    median_open_days: float | None
    declines: dict[str, int] = field(default_factory=dict)  # "side: reason" → count
    aftercare: Aftercare | None = None
    wanted: list[Wanted] = field(default_factory=list)


def _days_since(moment: str, today) -> int:
    return max(0, (today - datetime.fromisoformat(moment).date()).days)


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def region_report(
    store: Store, kb: KnowledgeBase, user: User | None, region: str, now: datetime
) -> Report:
    """The overview of `region` on `now`'s day. `user` None is the operator (the command
    line); otherwise only the region's coordinators may ask."""
    if user is not None and not (
        user.active and user.role == COORDINATOR and user.region == region
    ):
        raise NotAllowedError("stand")
    today = now.date()
    books = matchpunt.region_ledger(store, kb, region, now)
    names = {m.id: m.name for m in kb.regions[region].municipalities}
    rows = store.overview_rows(region)
    waits_per_place: dict[str, list[int]] = {m: [] for m in names}
    anywhere = 0
    all_waits = []
    for created_at, wished_json in rows["waiting"]:
        days = _days_since(created_at, today)
        all_waits.append(days)
        wished = json.loads(wished_json) if wished_json else []
        if not wished:
            anywhere += 1
        for place in wished:
            waits_per_place.setdefault(place, []).append(days)
    homes: dict[str, list[int]] = {m: [] for m in names}
    for municipality, created_at in rows["homes"]:
        homes.setdefault(municipality, []).append(_days_since(created_at, today))
    places = []
    for mid, place in books.places.items():
        waits = waits_per_place.get(mid, [])
        ages = homes.get(mid, [])
        places.append(
            Municipality(
                id=mid,
                name=names.get(mid, mid),
                share=place.share,
                due_to_date=round(place.due_to_date, 1),
                placed=place.placed,
                in_progress=place.in_progress,
                state=place.state,
                waiting=len(waits),
                median_wait_days=_median(waits),
                open_homes=len(ages),
                oldest_home_days=max(ages) if ages else None,
            )
        )
    hood_names = {
        (mid, slug(name)): name
        for mid, listed in kb.facts[region].neighbourhoods.items()
        for name in listed
    }
    hoods = sorted(
        (
            Neighbourhood(
                names.get(h.municipality, h.municipality),
                hood_names.get((h.municipality, h.neighbourhood), h.neighbourhood),
                h.count,
                h.cap,
            )
            for h in books.hoods.values()
            if h.count
        ),
        key=lambda h: (not h.at_cap, -(h.count / h.cap if h.cap else 0), h.municipality, h.name),
    )
    ages = [(now - datetime.fromisoformat(created)).days for created, _ in rows["open"]]
    declines: Counter[str] = Counter()
    for column, reason, count in rows["declines"]:
        side = CARE if column == "care" else CORPORATION
        declines[f"{SIDE_NAMES[side]}: {label(side, reason)}"] += count
    rules = kb.facts[region].allocation_rules
    return Report(
        region=region,
        region_name=kb.regions[region].name,
        day=today.isoformat(),
        quota_per_year=rules.quota.per_year if rules.quota else None,
        municipalities=places,
        neighbourhoods=hoods,
        waiting=len(rows["waiting"]),
        median_wait_days=_median(all_waits),
        waiting_anywhere=anywhere,
        open_proposals=len(rows["open"]),
        stalled_proposals=sum(1 for _, stalled in rows["open"] if stalled),
        oldest_open_days=max(ages) if ages else None,
        median_open_days=_median(ages),
        declines=dict(declines.most_common()),
        aftercare=housed.aftercare(store, region, today),
        wanted=[
            Wanted(w.place, list(w.lines), list(w.candidates), w.waiting)
            for w in matchpunt.wanted_of(store, kb, region, now, books)
        ],
    )


def as_json(report: Report) -> dict[str, Any]:
    from dataclasses import asdict

    data = asdict(report)
    for hood, raw in zip(data["neighbourhoods"], report.neighbourhoods, strict=True):
        hood["at_cap"] = raw.at_cap
    if report.aftercare is not None:
        data["aftercare"]["completion_rate"] = report.aftercare.completion_rate
    return data
