"""Queue a message the bot sends on its own: one outbox row, in the caller's transaction.

The change that causes a message and the message itself land together or not at all; a
`key` makes a change that arrives twice (a redelivered update) queue its message once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.storage import Store, iso_timestamp

# Telegram's limits on a message: 4096 characters of text, 64 bytes of callback data.
MAX_TEXT = 4096
MAX_CALLBACK_BYTES = 64

Buttons = Sequence[Sequence[tuple[str, str]]]


def queue(
    store: Store,
    now: datetime,
    to: int,
    text: str,
    *,
    buttons: Buttons = (),
    urgent: bool = False,
    key: str | None = None,
    about: str | None = None,
) -> int | None:
    """Queue `text` (Telegram HTML) for chat `to`; the row id, or None when `key` was
    queued before. `urgent` messages go out at any hour; others wait for working hours.
    `about` names the record it concerns, so an erasure takes the message with it."""
    if not text.strip():
        raise ValueError("an empty message")
    if len(text) > MAX_TEXT:
        raise ValueError(f"a message of {len(text)} characters (at most {MAX_TEXT})")
    rows = [[list(cell) for cell in row] for row in buttons if row]
    for row in rows:
        for label, data in row:
            if not label or len(data.encode()) > MAX_CALLBACK_BYTES:
                raise ValueError(f"a button Telegram refuses: {label!r}")
    moment = iso_timestamp(now)
    return store.queue_message(
        {
            "chat_id": to,
            "text": text,
            "buttons": rows,
            "urgent": int(urgent),
            "key": key,
            "about": about,
            "created_at": moment,
            "due_at": moment,
        }
    )
