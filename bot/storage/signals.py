"""Signals: a concern raised at a check-in, for the partners to solve together.

A part of `Store`; the only SQL for this table.
"""

from __future__ import annotations

from typing import Any

from bot.storage.database import UnitDatabase


class SignalTables:
    db: UnitDatabase

    def add_signal(self, row: dict[str, Any]) -> tuple[int, bool]:
        """A new signal's id and True; for a check-in that has one already (a redelivered
        answer) that one's id and False."""
        with self.db.atomic():
            cursor = self.db.execute(
                f"INSERT INTO signals ({', '.join(row)}) VALUES "
                f"({', '.join(':' + key for key in row)}) ON CONFLICT DO NOTHING",
                row,
            )
            if cursor.rowcount:
                return cursor.lastrowid, True
            [found] = self.db.execute(
                "SELECT id FROM signals WHERE checkin_id = ?", [row["checkin_id"]]
            ).fetchall()
            return found[0], False

    def signal(self, signal_id: int) -> dict[str, Any]:
        return self._get("signals", signal_id)

    def update_signal(self, signal_id: int, changes: dict[str, Any]) -> dict[str, Any]:
        with self.db.atomic():
            self.db["signals"].update(signal_id, changes)
        return self.signal(signal_id)

    def signals_of(
        self,
        *,
        region: str | None = None,
        candidate: str | None = None,
        open_only: bool = False,
    ) -> list[dict[str, Any]]:
        """Signals, oldest first."""
        clauses, args = [], []
        if region is not None:
            clauses.append("region = ?")
            args.append(region)
        if candidate is not None:
            clauses.append("candidate_code = ?")
            args.append(candidate)
        if open_only:
            clauses.append("closed_at IS NULL")
        return list(
            self.db["signals"].rows_where(" AND ".join(clauses) or None, args, order_by="id")
        )
