"""Questions kept for the knowledge editors.

A part of `Store`; the only SQL for these tables.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.storage.database import UnitDatabase


class QuestionTables:
    """Questions kept for the knowledge editors."""

    db: UnitDatabase

    def add_kb_question(
        self, kind: str, text: str, region: str | None, day: date, entry_id: str | None = None
    ) -> None:
        self.db["kb_questions"].insert(
            {
                "at": day.isoformat(),
                "kind": kind,
                "text": text,
                "region": region,
                "entry_id": entry_id,
            }
        )

    def clear_kb_questions(self, until_day: str, region: str | None = None) -> int:
        """Forget kept questions up to and including `until_day` (ISO); returns how many."""
        clause, args = "at <= ?", [until_day]
        if region is not None:
            clause += " AND region = ?"
            args.append(region)
        with self.db.atomic():
            cursor = self.db.execute(f"DELETE FROM kb_questions WHERE {clause}", args)
        return cursor.rowcount

    def kb_questions(self, region: str | None = None) -> list[dict[str, Any]]:
        where, args = ("region = ?", [region]) if region else (None, None)
        return list(self.db["kb_questions"].rows_where(where, args, order_by="id"))
