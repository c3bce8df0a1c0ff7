"""Sending the outbox: every waiting row to Telegram, within Telegram's limits, each marked
sent in the transaction that stores Telegram's message id.

Limits (`bot.messaging.delivery`): one message per second per chat and 30 per second
overall, with a few sends in flight at once. The sends bypass PTB's `AIORateLimiter` (which
paces the replies): here a `RetryAfter` pauses all sending for as long as Telegram asks, then
the same message goes again. A network error is
retried soon a few times, then later from the row; `Forbidden` (the user blocked the bot)
sets their messages aside and tells the coordinator (`bot.messaging.blocked`).

Crash safety: a row stays `wacht` until the transaction that stores its message id commits,
so a killed process sends it again after a restart. Only a message in flight at the moment
of the kill (at most `CONCURRENCY`) can arrive twice: Telegram has no idempotency key. A
confirmation that cannot be written (a locked database) is kept in memory and written
later; the message is never sent again by this process.

The database has one connection per process, shared with the updates: every read and write
here takes the application's unit lock, and none is held while waiting for Telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
import warnings
from collections import deque
from collections.abc import Callable
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, Application
from telegram.warnings import PTBDeprecationWarning

from bot.messaging import blocked, delivery
from bot.messaging.hours import is_working_time
from bot.storage.outbox import FAILED

log = logging.getLogger("weerthuis.outbox")
# PTB's limiter logs a traceback for every RetryAfter it passes on; the sender handles them
# and logs one line each.
logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)

# How long the sender sleeps when nothing is due and nobody wakes it (real seconds); a row
# due later (a retry, working hours) is picked up by then.
IDLE_WAIT = 30.0
# Telegram counts when a request arrives, the sender when it leaves: a little margin keeps
# uneven network latency from making two sends look closer than they were.
MARGIN = 1.05
# How long stopping waits for the sends in flight (seconds).
STOP_WAIT = 10.0
# What the sender passes as `rate_limit_args`: it paces itself, so PTB's limiter lets its
# sends through untouched (`ReplyRateLimiter`).
OWN_PACING = "outbox"


class ReplyRateLimiter(AIORateLimiter):
    """PTB's limiter for the replies, which the outbox's sends bypass. The limiter's own
    retries after a RetryAfter, unseen by the sender's pacing, would release them in bunches
    that Telegram refuses again: one 429 became hundreds in a burst of prompts with buttons
    (`bench/checkins.py`)."""

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        if rate_limit_args == OWN_PACING:
            return await callback(*args, **kwargs)
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )


class Throttle:
    """At most `per_second` sends in any second, and a pause for everyone when Telegram asks
    for one."""

    def __init__(self, per_second: int, monotonic: Callable[[], float]) -> None:
        self.per_second, self.monotonic = per_second, monotonic
        self.sent: deque[float] = deque()
        self.paused_until = 0.0

    async def acquire(self) -> None:
        while True:
            now = self.monotonic()
            while self.sent and now - self.sent[0] >= MARGIN:
                self.sent.popleft()
            wait = max(self.paused_until - now, 0.0)
            if not wait and len(self.sent) >= self.per_second:
                wait = MARGIN - (now - self.sent[0])
            if wait <= 0:
                self.sent.append(now)
                return
            await asyncio.sleep(wait)

    def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, self.monotonic() + seconds)


class OutboxSender:
    """The outbox's sender for one Application; `wake()` after queueing, `drain()` to send
    everything due now and wait for it."""

    def __init__(
        self,
        app: Application,
        *,
        per_chat_interval: float = delivery.PER_CHAT_INTERVAL,
        overall_per_second: int = delivery.OVERALL_PER_SECOND,
        concurrency: int = delivery.CONCURRENCY,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.per_chat_interval = per_chat_interval
        self.monotonic = monotonic
        self.throttle = Throttle(overall_per_second, monotonic)
        self.slots = asyncio.Semaphore(concurrency)
        self.last_to: dict[int, float] = {}
        # Sent, but the confirmation is not written yet: outbox id → Telegram message id.
        self.unwritten: dict[int, int] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._stopping = False
        self._round_lock = asyncio.Lock()
        limiter = getattr(app.bot, "rate_limiter", None)
        self._pacing = (
            {"rate_limit_args": OWN_PACING} if isinstance(limiter, ReplyRateLimiter) else {}
        )

    # --- life cycle ---------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="outbox")

    async def stop(self) -> None:
        """Let the sends in flight finish (a while at most), write their confirmations, then
        stop: a message Telegram has is not sent again after the restart."""
        self._stopping = True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._round_lock.acquire(), STOP_WAIT)
            self._round_lock.release()
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        async with self.app.unit_lock:
            await self._write_unwritten()

    def wake(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        while True:
            try:
                await self.drain()
            except Exception:
                # The sender must live on: the rows are still there for the next round.
                log.exception("outbox round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), IDLE_WAIT)
            self._wake.clear()

    # --- sending ------------------------------------------------------------------------

    async def drain(self) -> int:
        """Send every message due now (and those that become due meanwhile); how many were
        sent."""
        async with self._round_lock:
            sent = 0
            while not self._stopping:
                rows = await self._due()
                if not rows:
                    break
                sent += await self._send_all(rows)
            return sent

    async def _due(self) -> list[dict[str, Any]]:
        svc = self.app.bot_data["services"]
        async with self.app.unit_lock:
            await self._write_unwritten()
            now = svc.clock.now()
            urgent_only = not is_working_time(now, svc.config.quiet_hours)
            try:
                rows = svc.store.due_messages(now, urgent_only=urgent_only)
            except sqlite3.Error as exc:
                log.error("outbox not readable: %s", exc)
                return []
        return [r for r in rows if r["id"] not in self.unwritten]

    async def _send_all(self, rows: list[dict[str, Any]]) -> int:
        """One coroutine per chat, in queue order within a chat."""
        per_chat: dict[int, list[dict[str, Any]]] = {}
        for row in rows:
            per_chat.setdefault(row["chat_id"], []).append(row)
        # Every chat's coroutine runs to its end, whatever another one meets: a round that
        # ended early would let the next one fetch rows still in flight.
        done = await asyncio.gather(
            *(self._send_chat(chat, rs) for chat, rs in per_chat.items()), return_exceptions=True
        )
        for outcome in done:
            if isinstance(outcome, BaseException):
                log.error("outbox: a chat's round failed", exc_info=outcome)
        return sum(n for n in done if isinstance(n, int))

    async def _send_chat(self, chat_id: int, rows: list[dict[str, Any]]) -> int:
        sent = 0
        for row in rows:
            outcome = await self._send_one(row)
            if outcome == "sent":
                sent += 1
            elif outcome in ("blocked", "later"):
                # Set aside with it, or after it: a chat reads its messages in order.
                break
            if self._stopping:
                break
        return sent

    async def _send_one(self, row: dict[str, Any]) -> str:
        quick = list(delivery.QUICK_RETRIES)
        while True:
            await self._chat_pause(row["chat_id"])
            try:
                async with self.slots:
                    # Counted when it leaves, not when it starts waiting for a slot: sends
                    # released together must not arrive at Telegram together.
                    await self.throttle.acquire()
                    self.last_to[row["chat_id"]] = self.monotonic()
                    message = await self.app.bot.send_message(
                        row["chat_id"],
                        row["text"],
                        reply_markup=_markup(row["buttons"]),
                        **self._pacing,
                    )
            except RetryAfter as exc:
                # Telegram asks everyone to wait; this message goes again after.
                seconds = _retry_after(exc)
                log.warning("outbox: Telegram asks to wait %.0f s", seconds)
                self.throttle.pause(seconds)
                continue
            except Forbidden:
                await self._blocked(row)
                return "blocked"
            except BadRequest as exc:
                # Telegram refuses this message for good (a chat that is gone, a bad text).
                await self._give_up(row, f"geweigerd: {exc.message}")
                return "failed"
            except (NetworkError, TelegramError) as exc:
                if quick:
                    await asyncio.sleep(quick.pop(0))
                    continue
                await self._later(row, f"{type(exc).__name__}: {exc.message}")
                return "later"
            await self._confirmed(row, message.message_id)
            return "sent"

    async def _chat_pause(self, chat_id: int) -> None:
        """Wait until this chat may get its next message."""
        last = self.last_to.get(chat_id)
        if last is not None:
            wait = last + self.per_chat_interval * MARGIN - self.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)

    # --- the rows -----------------------------------------------------------------------

    async def _confirmed(self, row: dict[str, Any], message_id: int) -> None:
        self.unwritten[row["id"]] = message_id
        async with self.app.unit_lock:
            await self._write_unwritten()

    async def _write_unwritten(self) -> None:
        """Write the confirmations not written yet (the caller holds the unit lock)."""
        svc = self.app.bot_data["services"]
        for outbox_id, message_id in list(self.unwritten.items()):
            try:
                svc.store.mark_message_sent(outbox_id, message_id, svc.clock.now())
            except sqlite3.Error as exc:
                log.error("outbox: confirmation of %s not written yet: %s", outbox_id, exc)
                return
            del self.unwritten[outbox_id]

    async def _later(self, row: dict[str, Any], error: str) -> None:
        svc = self.app.bot_data["services"]
        attempts = row["attempts"] + 1
        async with self.app.unit_lock:
            try:
                if delivery.gives_up(attempts):
                    log.error("outbox: message %s given up after %d attempts", row["id"], attempts)
                    svc.store.end_message(row["id"], FAILED, error)
                else:
                    at = svc.clock.now() + delivery.retry_delay(attempts)
                    svc.store.retry_message(row["id"], at, attempts, error)
            except sqlite3.Error as exc:
                log.error("outbox: retry of %s not written: %s", row["id"], exc)

    async def _give_up(self, row: dict[str, Any], error: str) -> None:
        svc = self.app.bot_data["services"]
        log.error("outbox: message %s refused by Telegram", row["id"])
        async with self.app.unit_lock:
            try:
                svc.store.end_message(row["id"], FAILED, error[:200])
            except sqlite3.Error as exc:
                log.error("outbox: refusal of %s not written: %s", row["id"], exc)

    async def _blocked(self, row: dict[str, Any]) -> None:
        svc = self.app.bot_data["services"]
        log.warning("outbox: user %s blocked the bot", row["chat_id"])
        async with self.app.unit_lock:
            try:
                blocked.blocked_the_bot(svc.store, svc.clock.now(), row["chat_id"])
            except sqlite3.Error as exc:
                log.error("outbox: block of %s not written: %s", row["chat_id"], exc)
        self.wake()  # the coordinators' messages


def _markup(rows: list[list[list[str]]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def _retry_after(exc: RetryAfter) -> float:
    # PTB 22 gives an int or a timedelta (PTB_TIMEDELTA), and warns about the change when
    # read; both are handled here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        return _seconds(exc.retry_after)


def _seconds(retry_after: Any) -> float:
    if hasattr(retry_after, "total_seconds"):
        return retry_after.total_seconds()
    return float(retry_after)
