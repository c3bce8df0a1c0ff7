"""Working hours: a message that is not urgent waits for them (the `quiet_hours` setting,
and the weekend)."""

from __future__ import annotations

from datetime import datetime

from bot.config import QuietHours

SATURDAY = 5


def is_working_time(moment: datetime, quiet: QuietHours) -> bool:
    """A weekday outside the quiet hours, in the moment's own (local) time."""
    return moment.weekday() < SATURDAY and not quiet.contains(moment.time())
