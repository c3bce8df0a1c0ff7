"""Telegram's refusals, played on purpose: flood limits and injected failures.

Both are opt-in on `LocalBotApi`; without them the server accepts every valid call at once,
which is what the dialog tests want. With them a test can show what the bot does when Telegram
says "slow down", "blocked", or when the connection breaks before or after the call was done.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

# What `LocalBotApi.inject` can play: two answers Telegram gives, and two ways to lose one.
INJECTABLE_ERRORS = frozenset({"retry_after", "forbidden", "network", "timeout"})

_WINDOW = 1.0  # seconds; Telegram's overall limit is per second


class FloodLimits:
    """Telegram's flood limits for sending: one message per chat per interval, and at most
    `overall_per_second` messages over all chats in any one second."""

    def __init__(
        self,
        per_chat_interval: float = 1.0,
        overall_per_second: int = 30,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_chat_interval = per_chat_interval
        self.overall_per_second = overall_per_second
        self.monotonic = monotonic
        self._last_send: dict[int, float] = {}
        self._recent: deque[float] = deque()

    def retry_after(self, chat_id: int) -> int:
        """Whole seconds before a send to `chat_id` is allowed; 0 when it is allowed now."""
        now = self.monotonic()
        wait = max(self._chat_wait(chat_id, now), self._overall_wait(now))
        # Telegram only speaks whole seconds, and "retry after 0" would invite a busy loop.
        return max(1, math.ceil(wait)) if wait > 0 else 0

    def accept(self, chat_id: int) -> None:
        """Count a send the server accepted (refused ones use no budget, as on Telegram)."""
        now = self.monotonic()
        self._last_send[chat_id] = now
        self._recent.append(now)

    def _chat_wait(self, chat_id: int, now: float) -> float:
        last = self._last_send.get(chat_id)
        return 0.0 if last is None else last + self.per_chat_interval - now

    def _overall_wait(self, now: float) -> float:
        while self._recent and self._recent[0] <= now - _WINDOW:
            self._recent.popleft()
        if len(self._recent) < self.overall_per_second:
            return 0.0
        # The window frees a place when its oldest send ages out.
        return self._recent[-self.overall_per_second] + _WINDOW - now


@dataclass
class Injection:
    """Failures a test asked for: the next `times` calls of `method` (to `chat_id`)."""

    method: str
    error: str
    chat_id: int | None
    times: int
    retry_after: int

    def matches(self, method: str, chat_id: int | None) -> bool:
        return self.method == method and self.chat_id in (None, chat_id)
