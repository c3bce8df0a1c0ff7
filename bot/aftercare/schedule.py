"""A move's check-in plan: one row per step of the plan, made in the move's transaction."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from bot.config import CheckinStep
from bot.storage import Store, iso_timestamp
from bot.storage.checkins import PLANNED


def label(day: int) -> str:
    """'3 dagen na verhuizing', '6 weken …', '3 maanden …', '1 jaar …'."""
    if day % 365 == 0:
        years = day // 365
        when = "1 jaar" if years == 1 else f"{years} jaar"
    elif day >= 90 and abs(round(day / 30.4) * 30.4 - day) < 3:
        months = round(day / 30.4)
        when = "1 maand" if months == 1 else f"{months} maanden"
    elif day % 7 == 0:
        weeks = day // 7
        when = "1 week" if weeks == 1 else f"{weeks} weken"
    else:
        when = "1 dag" if day == 1 else f"{day} dagen"
    return f"{when} na verhuizing"


def plan_checkins(
    store: Store,
    now: datetime,
    proposal: dict[str, Any],
    candidate: dict[str, Any],
    plan: tuple[CheckinStep, ...],
) -> int:
    """The plan of a match that moved in on its move-in date (or today): the rows, asked of
    the candidate's support worker (the matchpunt when there is none). How many."""
    moved = date.fromisoformat(proposal["move_in_on"]) if proposal["move_in_on"] else now.date()
    rows = [
        {
            "candidate_code": candidate["code"],
            "dwelling_code": proposal["dwelling_code"],
            "proposal_id": proposal["id"],
            "region": candidate["region"],
            "number": number,
            "day": step.day,
            "due_on": (moved + timedelta(days=step.day)).isoformat(),
            "opens_on": (moved + timedelta(days=step.day - step.before)).isoformat(),
            "closes_on": (moved + timedelta(days=step.day + step.after)).isoformat(),
            "recipient_id": candidate.get("support_worker_id"),
            "state": PLANNED,
            "created_at": iso_timestamp(now),
        }
        for number, step in enumerate(plan, start=1)
    ]
    store.add_checkins(rows)
    return len(rows)
