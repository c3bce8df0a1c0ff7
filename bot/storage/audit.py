"""The audit log: who changed what, when; erasures are read back from it.

A part of `Store`; the only SQL for these tables.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.storage.database import UnitDatabase
from bot.storage.rows import iso_timestamp


class AuditLog:
    """The audit log: who changed what, when; erasures are read back from it."""

    db: UnitDatabase

    def audit(
        self,
        actor: str | int,
        action: str,
        now: datetime,
        record_type: str | None = None,
        record_id: str | int | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Append one line to the audit log. `detail` must hold no personal data."""
        self.db["audit_log"].insert(
            {
                "at": iso_timestamp(now),
                "actor": str(actor),
                "action": action,
                "record_type": record_type,
                "record_id": None if record_id is None else str(record_id),
                "detail": json.dumps(detail, sort_keys=True) if detail else None,
            }
        )

    def audit_each(
        self,
        actor: str | int,
        action: str,
        now: datetime,
        record_type: str,
        record_ids: list[str],
        detail: dict[str, Any] | None = None,
    ) -> None:
        """One audit line per record in `record_ids`, all alike but for the record (an
        import's creations), in one statement batch."""
        self.db["audit_log"].insert_all(
            {
                "at": iso_timestamp(now),
                "actor": str(actor),
                "action": action,
                "record_type": record_type,
                "record_id": record_id,
                "detail": json.dumps(detail, sort_keys=True) if detail else None,
            }
            for record_id in record_ids
        )

    def audit_mark(self) -> int:
        """The id of the newest audit line (0 for none)."""
        return self.db.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]

    def erasures_since(self, after_id: int) -> tuple[list[str], int]:
        """Codes erased (audit action `privacy.erase`) after audit line `after_id`, and the
        newest audit line id, to pass next time."""
        last = self.audit_mark()
        codes = [
            row[0]
            for row in self.db.execute(
                "SELECT record_id FROM audit_log WHERE id > ? AND id <= ? "
                "AND action = 'privacy.erase' ORDER BY id",
                [after_id, last],
            )
        ]
        return codes, last

    def audit_entries(
        self, record_id: str | None = None, actor: str | None = None
    ) -> list[dict[str, Any]]:
        clauses, args = [], []
        if record_id is not None:
            clauses.append("record_id = ?")
            args.append(record_id)
        if actor is not None:
            clauses.append("actor = ?")
            args.append(actor)
        where = " AND ".join(clauses) or None
        return list(self.db["audit_log"].rows_where(where, args or None, order_by="id"))
