"""Questions kept for the knowledge editors.

A part of `Store`; the only SQL for these tables.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.storage.database import UnitDatabase

# A question to the matchpunt is open until a coordinator answers it.
OPEN, ANSWERED = "open", "beantwoord"


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

    # --- "Vraag het matchpunt" ------------------------------------------------------------------

    def add_matchpunt_question(self, region: str, question: str, asker: int, at: str) -> int:
        table = self.db["matchpunt_questions"]
        table.insert(
            {"region": region, "question": question, "asker": asker, "asked_at": at, "state": OPEN}
        )
        return table.last_pk

    def matchpunt_question(self, question_id: int) -> dict[str, Any] | None:
        rows = list(self.db["matchpunt_questions"].rows_where("id = ?", [question_id]))
        return rows[0] if rows else None

    def answer_matchpunt_question(self, question_id: int, answer: str, by: int, at: str) -> bool:
        """Record the answer and forget the asker; False when it was answered before."""
        cursor = self.db.execute(
            "UPDATE matchpunt_questions SET state = ?, answer = ?, answered_by = ?,"
            " answered_at = ?, asker = NULL WHERE id = ? AND state = ?",
            [ANSWERED, answer, by, at, question_id, OPEN],
        )
        return cursor.rowcount == 1

    def forget_matchpunt_askers(self, before_day: str) -> int:
        """Open questions asked before `before_day` (ISO) forget their asker."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE matchpunt_questions SET asker = NULL"
                " WHERE state = ? AND asker IS NOT NULL AND asked_at < ?",
                [OPEN, before_day],
            )
        return cursor.rowcount

    def matchpunt_drafts(self, region: str | None = None) -> list[dict[str, Any]]:
        """The answered questions, oldest first: question, answer, region and day only."""
        where, args = "state = ?", [ANSWERED]
        if region is not None:
            where += " AND region = ?"
            args.append(region)
        return [
            {
                "id": row["id"],
                "region": row["region"],
                "question": row["question"],
                "answer": row["answer"],
                "day": (row["answered_at"] or "")[:10],
            }
            for row in self.db["matchpunt_questions"].rows_where(where, args, order_by="id")
        ]
