"""Who stays housed: per placement whether the tenant still lives in the home 6, 12 and 24
months after the move, and per region the returns to homelessness counted as HUD's System
Performance Measure 2 counts them (0–180, 181–365 and 366–730 days after the move), the
check-in completion rate (answered / (answered + missed), as the CHT counts tasks) and how
the signals ended.

A placement is an accepted proposal whose candidate moved in; it ends when the tenant
leaves (`left_on`, `left_as`: teruggevallen, an eviction too, or doorgestroomd to other
housing). Moving on is no return: the person is housed, just not in this home."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot.aftercare import omklap
from bot.aftercare.schedule import moved_on
from bot.storage import Store

ACCEPTED = "geaccepteerd"
RETURNED = "teruggevallen"
# Months after the move, and the days they stand for.
HORIZONS = {6: 182, 12: 365, 24: 730}
# HUD SPM 2's periods after the move to permanent housing, in days (inclusive).
RETURN_PERIODS = {"0–180": (0, 180), "181–365": (181, 365), "366–730": (366, 730)}
# Published figures to read ours against (seed 003 and Housing First Nederland).
REFERENCES = (
    "Housing First Nederland: 83% niet opnieuw dakloos, 73% nog in dezelfde woning",
    "Eindhoven: 97% van de omklaphuurders woont zelfstandig",
)


@dataclass(frozen=True)
class Horizon:
    months: int
    reached: int  # placements that moved in at least this long ago
    same_home: int  # … of which still in the home then
    housed: int  # … of which not returned by then (moving on counts as housed)


@dataclass(frozen=True)
class Placement:
    """One placement: whether the tenant still lived in the home 6, 12 and 24 months after
    the move ("ja", "nee"; None: not that long ago yet)."""

    candidate: str
    dwelling: str
    moved_on: str
    left_on: str | None
    left_as: str | None
    still_there: dict[int, str | None]


@dataclass(frozen=True)
class Aftercare:
    placements: int
    living_there: int
    returned: int
    moved_on: int
    horizons: list[Horizon]
    returns: dict[str, int]  # HUD SPM 2 period → returns in it
    checkins_answered: int
    checkins_missed: int
    signals_open: int
    signal_outcomes: dict[str, int] = field(default_factory=dict)
    # Omklap placements: loopt, omgeklapt, gestopt; decisions taken, and where parties disagreed.
    omklap: dict[str, int] = field(default_factory=dict)
    per_placement: list[Placement] = field(default_factory=list)

    @property
    def completion_rate(self) -> float | None:
        done = self.checkins_answered + self.checkins_missed
        return self.checkins_answered / done if done else None


def still_there(placement: dict[str, Any], on: date) -> bool:
    left = placement["left_on"]
    return left is None or date.fromisoformat(left) > on


def aftercare(store: Store, region: str, today: date) -> Aftercare:
    placements = store.region_proposals(region, ACCEPTED, having="moved_at")
    horizons = []
    for months, days in HORIZONS.items():
        reached = [p for p in placements if (today - moved_on(p)).days >= days]
        horizons.append(
            Horizon(
                months=months,
                reached=len(reached),
                same_home=sum(still_there(p, moved_on(p) + timedelta(days=days)) for p in reached),
                housed=sum(not _returned_within(p, days) for p in reached),
            )
        )
    returns: Counter[str] = Counter()
    for p in placements:
        if p["left_as"] == RETURNED:
            after = (date.fromisoformat(p["left_on"]) - moved_on(p)).days
            for period, (low, high) in RETURN_PERIODS.items():
                if low <= after <= high:
                    returns[period] += 1
    states = store.checkin_counts(region)
    signals = store.signals_of(region=region)
    return Aftercare(
        placements=len(placements),
        living_there=sum(1 for p in placements if p["left_on"] is None),
        returned=sum(1 for p in placements if p["left_as"] == RETURNED),
        moved_on=sum(1 for p in placements if p["left_as"] not in (None, RETURNED)),
        horizons=horizons,
        returns={period: returns[period] for period in RETURN_PERIODS},
        checkins_answered=states.get("beantwoord", 0),
        checkins_missed=states.get("gemist", 0),
        signals_open=sum(1 for s in signals if not s["closed_at"]),
        signal_outcomes=dict(Counter(s["outcome"] for s in signals if s["closed_at"])),
        omklap=omklap.counts(store, region),
        per_placement=[_placement(p, today) for p in placements],
    )


def _placement(p: dict[str, Any], today: date) -> Placement:
    moved = moved_on(p)
    return Placement(
        candidate=p["candidate_code"],
        dwelling=p["dwelling_code"],
        moved_on=moved.isoformat(),
        left_on=p["left_on"],
        left_as=p["left_as"],
        still_there={
            months: (
                None
                if (today - moved).days < days
                else ("ja" if still_there(p, moved + timedelta(days=days)) else "nee")
            )
            for months, days in HORIZONS.items()
        },
    )


def _returned_within(placement: dict[str, Any], days: int) -> bool:
    if placement["left_as"] != RETURNED:
        return False
    return (date.fromisoformat(placement["left_on"]) - moved_on(placement)).days <= days
