"""Injected time, so tests and the local shell can move it forward."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo


class SystemClock:
    """The real time, timezone-aware."""

    def __init__(self, tz: ZoneInfo | None = None) -> None:
        self.tz = tz or ZoneInfo("Europe/Amsterdam")

    def now(self) -> datetime:
        return datetime.now(UTC).astimezone(self.tz)


class ManualClock:
    """Real time plus an offset that `advance` grows; used by the shell and tests."""

    def __init__(self, tz: ZoneInfo | None = None, start: datetime | None = None) -> None:
        self.tz = tz or ZoneInfo("Europe/Amsterdam")
        self._start = start
        self.offset = timedelta(0)

    def now(self) -> datetime:
        base = self._start if self._start is not None else datetime.now(UTC)
        return (base + self.offset).astimezone(self.tz)

    def advance(self, delta: timedelta) -> None:
        if delta < timedelta(0):
            raise ValueError("time only moves forward")
        self.offset += delta
