"""The outbox: messages the bot sends on its own, each a row until Telegram confirmed it.

A part of `Store`; the only SQL for this table.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.storage.database import UnitDatabase
from bot.storage.rows import iso_timestamp

WAITING, SENT, FAILED, UNREACHABLE = "wacht", "verzonden", "mislukt", "onbereikbaar"


class OutboxTables:
    """The outbox, and the users who blocked the bot."""

    db: UnitDatabase

    def queue_message(self, row: dict[str, Any]) -> int | None:
        """Add a message to the outbox; its id, or None when a message with the same `key`
        is queued already (the change that causes it arrived twice)."""
        row = {**row, "buttons": json.dumps(row.get("buttons") or [], ensure_ascii=False)}
        row.setdefault("next_attempt_at", row["due_at"])
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO outbox (chat_id, text, buttons, urgent, key, about, created_at, "
                "due_at, next_attempt_at) VALUES (:chat_id, :text, :buttons, :urgent, :key, "
                ":about, :created_at, :due_at, :next_attempt_at) ON CONFLICT DO NOTHING",
                {"urgent": 0, "key": None, "about": None, **row},
            )
        return cursor.lastrowid if cursor.rowcount else None

    def due_messages(
        self, now: datetime, *, urgent_only: bool = False, limit: int = 1000
    ) -> list[dict[str, Any]]:
        """Waiting messages whose time has come (only the urgent ones outside working
        hours): urgent first, then in the order queued."""
        # A chat reads its messages in order: behind one that waits to be tried again,
        # the later ones wait too.
        rows = self.db.query(
            "SELECT * FROM outbox WHERE status = :waiting AND next_attempt_at <= :now "
            "AND (urgent OR NOT :urgent_only) AND NOT EXISTS (SELECT 1 FROM outbox AS earlier "
            "WHERE earlier.chat_id = outbox.chat_id AND earlier.status = :waiting "
            "AND earlier.id < outbox.id AND earlier.attempts > 0 "
            "AND earlier.next_attempt_at > :now) ORDER BY urgent DESC, id LIMIT :limit",
            {
                "waiting": WAITING,
                "now": iso_timestamp(now),
                "urgent_only": int(urgent_only),
                "limit": limit,
            },
        )
        return [_decoded(row) for row in rows]

    def next_message_due(self) -> str | None:
        """When the earliest waiting message is due (ISO), or None when none waits."""
        row = self.db.execute(
            "SELECT min(next_attempt_at) FROM outbox WHERE status = ?", [WAITING]
        ).fetchone()
        return row[0]

    def message(self, message_id: int) -> dict[str, Any]:
        return _decoded(self._get("outbox", message_id))

    def messages(self, **equal: Any) -> list[dict[str, Any]]:
        """Outbox rows narrowed by columns (status, chat_id, about, key), in queue order."""
        clauses, args = [], []
        for column, value in equal.items():
            if column not in ("status", "chat_id", "about", "key"):
                raise ValueError(f"cannot filter on {column}")
            clauses.append(f"{column} = ?")
            args.append(value)
        rows = self.db["outbox"].rows_where(" AND ".join(clauses) or None, args, order_by="id")
        return [_decoded(row) for row in rows]

    def mark_message_sent(self, message_id: int, telegram_id: int, now: datetime) -> None:
        with self.db.atomic():
            self.db["outbox"].update(
                message_id,
                {
                    "status": SENT,
                    "message_id": telegram_id,
                    "sent_at": iso_timestamp(now),
                    "error": None,
                },
            )

    def settle_messages(self, before: datetime) -> int:
        """Count every message queued before `before` as sent then (the demo's past)."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE outbox SET status = ?, sent_at = created_at WHERE status = ? "
                "AND created_at < ?",
                [SENT, WAITING, iso_timestamp(before)],
            )
        return cursor.rowcount

    def retry_message(self, message_id: int, at: datetime, attempts: int, error: str) -> None:
        with self.db.atomic():
            self.db["outbox"].update(
                message_id,
                {"next_attempt_at": iso_timestamp(at), "attempts": attempts, "error": error},
            )

    def end_message(self, message_id: int, status: str, error: str) -> None:
        """The message will never be sent: it failed for good, or its reader is unreachable."""
        with self.db.atomic():
            self.db["outbox"].update(message_id, {"status": status, "error": error})

    def hold_messages_to(self, chat_id: int, error: str) -> int:
        """Every waiting message to a chat that blocked the bot: unreachable."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE outbox SET status = ?, error = ? WHERE chat_id = ? AND status = ?",
                [UNREACHABLE, error, chat_id, WAITING],
            )
        return cursor.rowcount

    def purge_sent_messages(self, before: datetime) -> int:
        """Sent (or given up) messages older than `before`: their work is done."""
        with self.db.atomic():
            cursor = self.db.execute(
                "DELETE FROM outbox WHERE status != ? AND created_at < ?",
                [WAITING, iso_timestamp(before)],
            )
        return cursor.rowcount

    def set_blocked(self, telegram_id: int, at: datetime | None) -> None:
        """The user blocked the bot (`at`), or wrote to it again (None)."""
        with self.db.atomic():
            self.db["users"].update(telegram_id, {"blocked_at": iso_timestamp(at) if at else None})

    def blocked_since(self, telegram_id: int) -> str | None:
        row = self.db.execute(
            "SELECT blocked_at FROM users WHERE telegram_id = ?", [telegram_id]
        ).fetchone()
        return row[0] if row else None

    def outbox_counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall()
        return dict(rows)


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "buttons": json.loads(row["buttons"] or "[]")}
