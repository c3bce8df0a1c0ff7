"""sqlite-utils' Database, able to hold one unit of work open."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

import sqlite_utils


class UnitDatabase(sqlite_utils.Database):
    """sqlite-utils' Database that can hold one unit of work open.

    While `held` (one bot update in progress), the first write opens a transaction with
    BEGIN IMMEDIATE and it stays open until the unit ends: everything the update writes,
    its records and its conversation state, lands together or not at all. IMMEDIATE takes
    the write lock before the first read of the transaction, so a write never meets a stale
    snapshot; reads before the first write see the file as it is.
    """

    held = False

    # sqlite-utils finds these out by creating a scratch table, a write that fails on a full
    # disk; its fallback upsert (INSERT OR IGNORE, then UPDATE) then silently drops rows of
    # tables with NOT NULL columns. The SQLite version says it without writing anything.
    @property
    def supports_on_conflict(self) -> bool:
        return sqlite3.sqlite_version_info >= (3, 24, 0)

    @property
    def supports_strict(self) -> bool:
        return sqlite3.sqlite_version_info >= (3, 37, 0)

    @contextlib.contextmanager
    def atomic(self) -> Iterator[UnitDatabase]:
        """A transaction (a savepoint inside one). The outermost takes the write lock at
        once (BEGIN IMMEDIATE), so what it reads before writing cannot be changed by another
        process meanwhile: checks and the write they allow are one step. Inside a held unit
        the transaction stays open until the unit ends."""
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        if self.held:
            with super().atomic():
                yield self
            return
        try:
            yield self
        except BaseException:
            self.conn.rollback()
            raise
        else:
            self.conn.commit()
