"""How often and how long the outbox tries: the policy, without Telegram.

A message that could not be sent (the network, Telegram unavailable) is tried again soon a
few times while it is in hand, then again later from the outbox row with a growing pause,
and given up (and logged) after `MAX_ATTEMPTS`. A "too many requests" answer is Telegram
asking for a pause: it is waited out and never counts as a failed attempt.
"""

from __future__ import annotations

from datetime import timedelta

# Quick retries while the message is in hand, in seconds of real time.
QUICK_RETRIES = (0.5, 1.0, 2.0)
# Then from the row: 1 minute, 5, 15, 1 hour, 3 hours, …
_LATER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))
MAX_ATTEMPTS = 8
# Telegram's limits for bots (https://core.telegram.org/bots/faq#broadcasting-to-users).
PER_CHAT_INTERVAL = 1.0  # seconds between two messages to one chat
OVERALL_PER_SECOND = 30
# Sends in flight at once: enough to reach the overall limit at ordinary network latency.
CONCURRENCY = 8


def retry_delay(attempts: int) -> timedelta:
    """The pause before the next attempt after `attempts` failed ones (1 and up)."""
    if attempts <= len(_LATER):
        return _LATER[max(attempts, 1) - 1]
    return timedelta(hours=3)


def gives_up(attempts: int) -> bool:
    return attempts >= MAX_ATTEMPTS
