"""The omklap year's decision rounds.

A part of `Store`; the only SQL for this table.
"""

from __future__ import annotations

from typing import Any

from bot.storage.database import UnitDatabase

PLANNED, ASKED, DECIDED, LAPSED = "gepland", "klaar", "besloten", "vervallen"


class OmklapTables:
    db: UnitDatabase

    def add_omklap_rounds(self, rows: list[dict[str, Any]]) -> None:
        """A placement's rounds; made twice (a redelivered move) they are kept once."""
        with self.db.atomic():
            for row in rows:
                self.db["omklap_rounds"].insert(row, ignore=True)

    def omklap_round(self, round_id: int) -> dict[str, Any]:
        return self._get("omklap_rounds", round_id)

    def update_omklap_round(self, round_id: int, changes: dict[str, Any]) -> dict[str, Any]:
        with self.db.atomic():
            self.db["omklap_rounds"].update(round_id, changes)
        return self.omklap_round(round_id)

    def lapse_omklap_rounds(self, proposal_id: int) -> None:
        """The tenant left: the rounds not decided lapse."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE omklap_rounds SET state = ? WHERE proposal_id = ? AND state != ?",
                [LAPSED, proposal_id, DECIDED],
            )

    def omklap_rounds_to_ask(self, today: str) -> list[dict[str, Any]]:
        return list(
            self.db["omklap_rounds"].rows_where(
                "state = ? AND due_on <= ?", [PLANNED, today], order_by="due_on, id"
            )
        )

    def omklap_rounds_of(
        self, *, proposal: int | None = None, candidate: str | None = None
    ) -> list[dict[str, Any]]:
        clauses, args = [], []
        if proposal is not None:
            clauses.append("proposal_id = ?")
            args.append(proposal)
        if candidate is not None:
            clauses.append("candidate_code = ?")
            args.append(candidate)
        return list(
            self.db["omklap_rounds"].rows_where(
                " AND ".join(clauses) or None, args, order_by="month, id"
            )
        )

    def omklap_flips_due(self, today: str) -> list[dict[str, Any]]:
        """Placements whose lease is due to flip and whose omklap year has not ended."""
        return list(
            self.db["proposals"].rows_where(
                "omklap_flip_on IS NOT NULL AND omklap_flip_on <= ? AND omklap_outcome IS NULL "
                "AND left_on IS NULL",
                [today],
                order_by="id",
            )
        )
