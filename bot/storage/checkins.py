"""Check-ins after a move: the soft landing's schedule and answers.

A part of `Store`; the only SQL for this table.
"""

from __future__ import annotations

from typing import Any

from bot.storage.database import UnitDatabase

PLANNED, ASKED, ANSWERED, MISSED, CANCELLED = (
    "gepland",
    "klaar",
    "beantwoord",
    "gemist",
    "vervallen",
)


class CheckinTables:
    db: UnitDatabase

    def add_checkins(self, rows: list[dict[str, Any]]) -> None:
        """A move's plan; a plan made twice (a redelivered move) is kept once."""
        with self.db.atomic():
            for row in rows:
                self.db["checkins"].insert(row, ignore=True)

    def checkin(self, checkin_id: int) -> dict[str, Any]:
        return self._get("checkins", checkin_id)

    def update_checkin(self, checkin_id: int, changes: dict[str, Any]) -> dict[str, Any]:
        with self.db.atomic():
            self.db["checkins"].update(checkin_id, changes)
        return self.checkin(checkin_id)

    def checkins_to_ask(self, today: str) -> list[dict[str, Any]]:
        """Planned check-ins whose window has opened; one whose window passed while the bot
        was down is asked late rather than never."""
        return list(
            self.db["checkins"].rows_where(
                "state = ? AND opens_on <= ?", [PLANNED, today], order_by="opens_on, id"
            )
        )

    def checkins_past(self, today: str) -> list[dict[str, Any]]:
        """Asked check-ins whose window has closed unanswered."""
        return list(
            self.db["checkins"].rows_where(
                "state = ? AND closes_on < ?", [ASKED, today], order_by="id"
            )
        )

    def checkins_unanswered(self) -> list[dict[str, Any]]:
        """Asked check-ins without an answer, missed ones too (for reminders and
        escalations: a closed window does not end the need to hear how it goes)."""
        return list(
            self.db["checkins"].rows_where(
                "state IN (?, ?) AND proposal_id NOT IN "
                "(SELECT id FROM proposals WHERE left_on IS NOT NULL)",
                [ASKED, MISSED],
                order_by="id",
            )
        )

    def checkins_of(
        self, *, candidate: str | None = None, recipient: int | None = None
    ) -> list[dict[str, Any]]:
        clauses, args = [], []
        if candidate is not None:
            clauses.append("candidate_code = ?")
            args.append(candidate)
        if recipient is not None:
            clauses.append("recipient_id = ?")
            args.append(recipient)
        return list(
            self.db["checkins"].rows_where(
                " AND ".join(clauses) or None, args, order_by="due_on, id"
            )
        )

    def checkin_counts(self, region: str) -> dict[str, int]:
        """A region's check-ins per state."""
        return dict(
            self.db.execute(
                "SELECT state, count(*) FROM checkins WHERE region = ? GROUP BY state", [region]
            ).fetchall()
        )

    def planned_checkins(self) -> dict[int, list[dict[str, Any]]]:
        """Every placement's check-ins still to come, by proposal, in plan order."""
        found: dict[int, list[dict[str, Any]]] = {}
        for row in self.db["checkins"].rows_where(
            "state = ?", [PLANNED], order_by="proposal_id, number"
        ):
            found.setdefault(row["proposal_id"], []).append(row)
        return found

    def checkins_done(self, proposal_id: int) -> tuple[int, int]:
        """The day and number of the placement's last check-in past `gepland` (0, 0: none)."""
        [(day, number)] = self.db.execute(
            "SELECT coalesce(max(day), 0), coalesce(max(number), 0) FROM checkins "
            "WHERE proposal_id = ? AND state != ?",
            [proposal_id, PLANNED],
        ).fetchall()
        return day, number

    def drop_planned_checkins(self, proposal_id: int) -> None:
        with self.db.atomic():
            self.db["checkins"].delete_where(
                "proposal_id = ? AND state = ?", [proposal_id, PLANNED]
            )

    def readdress_checkins(self, code: str, recipient_id: int | None) -> int:
        """The candidate's check-ins not answered yet go to `recipient_id`."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE checkins SET recipient_id = ? WHERE candidate_code = ? "
                "AND state IN (?, ?, ?)",
                [recipient_id, code, PLANNED, ASKED, MISSED],
            )
        return cursor.rowcount

    def shift_aftercare(self, proposal_id: int, days: int) -> None:
        """A corrected move-in date: the placement's check-ins and omklap rounds still to
        come, and its flip day, move by `days`."""
        shift = f"{days:+d} days"
        with self.db.atomic():
            self.db.execute(
                "UPDATE checkins SET due_on = date(due_on, ?), opens_on = date(opens_on, ?), "
                "closes_on = date(closes_on, ?) WHERE proposal_id = ? AND state = ?",
                [shift, shift, shift, proposal_id, PLANNED],
            )
            self.db.execute(
                "UPDATE omklap_rounds SET due_on = date(due_on, ?) "
                "WHERE proposal_id = ? AND state = 'gepland'",
                [shift, proposal_id],
            )
            self.db.execute(
                "UPDATE proposals SET omklap_flip_on = date(omklap_flip_on, ?) "
                "WHERE id = ? AND omklap_flip_on IS NOT NULL AND omklap_outcome IS NULL",
                [shift, proposal_id],
            )
