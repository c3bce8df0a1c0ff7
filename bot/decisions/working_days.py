"""Working days: a decision deadline counts Monday to Friday (public holidays are not
known to the bot and count as working days)."""

from __future__ import annotations

from datetime import datetime, timedelta

SATURDAY = 5


def add_working_days(moment: datetime, days: int) -> datetime:
    """`moment` plus `days` working days, at the same time of day; a moment in the weekend
    counts from the Monday after it."""
    result = moment
    while result.weekday() >= SATURDAY:
        result += timedelta(days=1)
    added = 0
    while added < days:
        result += timedelta(days=1)
        if result.weekday() < SATURDAY:
            added += 1
    return result
