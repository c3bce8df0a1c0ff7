"""The handle on the database file: opening, migrating, units of work."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.storage.access import AccessTables
from bot.storage.audit import AuditLog
from bot.storage.chat_memory import ChatMemory
from bot.storage.checkins import CheckinTables
from bot.storage.database import UnitDatabase
from bot.storage.migrations import MIGRATIONS
from bot.storage.omklap import OmklapTables
from bot.storage.outbox import OutboxTables
from bot.storage.questions import QuestionTables
from bot.storage.records import RecordTables
from bot.storage.rows import NotFoundError
from bot.storage.signals import SignalTables

BUSY_TIMEOUT_MS = 5000


class Store(
    AccessTables,
    RecordTables,
    QuestionTables,
    AuditLog,
    ChatMemory,
    OutboxTables,
    CheckinTables,
    SignalTables,
    OmklapTables,
):
    """A handle on the database file. Not shared across threads; one per process."""

    def __init__(self, path: str | Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=busy_timeout_ms / 1000)
        self.db = UnitDatabase(conn)
        self.db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        self.db.execute("PRAGMA foreign_keys = ON")
        if str(path) != ":memory:":
            self.db.enable_wal()
        # FULL makes a commit durable against power loss, not only against a killed process.
        self.db.execute("PRAGMA synchronous = FULL")

    def migrate(self) -> list[str]:
        """Apply pending migrations; return the names applied."""
        pending = [m.name for m in MIGRATIONS.pending(self.db)]
        MIGRATIONS.apply(self.db)
        return pending

    def close(self) -> None:
        self.db.close()

    # --- units of work -------------------------------------------------------------------

    def begin_unit(self) -> None:
        """From now on, writes gather in one transaction until `end_unit`."""
        self.db.held = True

    def end_unit(self, *, commit: bool) -> None:
        """Commit (or roll back) what the unit wrote. A failed commit rolls back and raises."""
        self.db.held = False
        if not self.db.conn.in_transaction:
            return
        if not commit:
            self.db.rollback()
            return
        try:
            self.db.commit()
        except sqlite3.Error:
            self.db.rollback()
            raise

    def count(self, table: str) -> int:
        return self.db[table].count

    def _get(self, table: str, pk: Any) -> dict[str, Any]:
        try:
            return self.db[table].get(pk)
        except sqlite_utils.db.NotFoundError:
            raise NotFoundError(f"{table}: {pk}") from None
