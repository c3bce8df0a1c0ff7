"""Candidates, dwellings and proposals.

A part of `Store`; the only SQL for these tables.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from bot.storage.database import UnitDatabase
from bot.storage.rows import iso_timestamp


class RecordTables:
    """Candidates, dwellings and proposals."""

    db: UnitDatabase

    def next_code(self, prefix: str) -> str:
        """The next record code under `prefix` ('WT-IZK' → 'WT-IZK-0042'); never reused."""
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO record_counters(prefix, last) VALUES (?, 1) "
                "ON CONFLICT(prefix) DO UPDATE SET last = last + 1",
                [prefix],
            )
            last = self.db.execute(
                "SELECT last FROM record_counters WHERE prefix = ?", [prefix]
            ).fetchone()[0]
        return f"{prefix}-{last:04d}"

    def last_code_number(self, prefix: str) -> int:
        """The highest number issued under `prefix` so far (0: none)."""
        row = self.db.execute(
            "SELECT last FROM record_counters WHERE prefix = ?", [prefix]
        ).fetchone()
        return row[0] if row else 0

    def reserve_codes(self, prefix: str, up_to: int) -> None:
        """Count every number up to `up_to` under `prefix` as issued (codes that came in with
        an import), so that `next_code` never hands one of them out."""
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO record_counters(prefix, last) VALUES (?, ?) "
                "ON CONFLICT(prefix) DO UPDATE SET last = max(last, excluded.last)",
                [prefix, up_to],
            )

    def record_from_draft(self, table: str, draft_id: str) -> dict[str, Any] | None:
        """The record saved from this form draft, if any."""
        rows = list(self.db[_record_table(table)].rows_where("draft_id = ?", [draft_id]))
        return _decode_facts(rows[0]) if rows else None

    def add_record(self, table: str, row: dict[str, Any]) -> None:
        self.db[_record_table(table)].insert(_encode_facts(row))

    def add_records(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Several new records at once (an import), in one statement batch."""
        encoded = [_encode_facts(row) for row in rows]
        # Rows without a column (no support worker) get NULL there, as `add_record` does.
        columns = list(dict.fromkeys(column for row in encoded for column in row))
        self.db[_record_table(table)].insert_all(
            {column: row.get(column) for column in columns} for row in encoded
        )

    def record(self, table: str, code: str) -> dict[str, Any]:
        return _decode_facts(self._get(_record_table(table), code))

    def records(self, table: str, region: str, **equal: Any) -> list[dict[str, Any]]:
        """Records of a region, oldest first; `equal` narrows on columns (status=..., ...)."""
        clauses, args = ["region = ?"], [region]
        for column, value in equal.items():
            if column not in _FILTERABLE:
                raise ValueError(f"cannot filter on {column}")
            clauses.append(f"{column} = ?")
            args.append(value)
        rows = self.db[_record_table(table)].rows_where(
            " AND ".join(clauses), args, order_by="created_at, code"
        )
        return [_decode_facts(row) for row in rows]

    def records_with_status(self, table: str, status: str) -> list[dict[str, Any]]:
        """All records with `status`, every region (for retention)."""
        rows = self.db[_record_table(table)].rows_where("status = ?", [status], order_by="code")
        return [_decode_facts(row) for row in rows]

    def update_record(self, table: str, code: str, changes: dict[str, Any]) -> dict[str, Any]:
        self._get(_record_table(table), code)
        self.db[_record_table(table)].update(code, _encode_facts(changes))
        return self.record(table, code)

    def erase_candidate(self, code: str, now: datetime) -> None:
        """Remove a candidate, leaving an anonymous tombstone."""
        row = self._get("candidates", code)
        with self.db.atomic():
            self.db["proposals"].delete_where("candidate_code = ?", [code])
            self.db["checkins"].delete_where("candidate_code = ?", [code])
            self.db["signals"].delete_where("candidate_code = ?", [code])
            self.db["omklap_rounds"].delete_where("candidate_code = ?", [code])
            # What the bot sent or was about to send about the candidate goes with it, and
            # what it sent naming it (a list of candidates for a home). A list still waiting
            # keeps the code, which then names nobody.
            named = re.compile(re.escape(code) + r"(?!\d)")
            rows = self.db.execute(
                "SELECT id, about, status, text FROM outbox WHERE about = ? OR instr(text, ?) > 0",
                [code, code],
            ).fetchall()
            gone = [
                row_id
                for row_id, about, status, text in rows
                if about == code or (status != "wacht" and named.search(text))
            ]
            for row_id in gone:
                self.db["outbox"].delete(row_id)
            self.db["candidate_tombstones"].insert(
                {
                    "region": row["region"],
                    "status": row["status"],
                    "registered_on": row["created_at"][:10],
                    "erased_at": iso_timestamp(now),
                }
            )
            self.db["candidates"].delete(code)

    def placement_counts(
        self, region: str, since: str, year_start: str, window_start: str
    ) -> list[dict[str, Any]]:
        """Per municipality and neighbourhood: dwellings placed since `since`, since
        `year_start` and since `window_start` (ISO dates), and those with an open proposal
        (a `voorgedragen` home without one, as an import brings, is in nobody's progress)."""
        rows = self.db.query(
            """
            SELECT municipality,
                   json_extract(facts, '$.neighbourhood') AS neighbourhood,
                   SUM(placed_at IS NOT NULL AND placed_at >= :since) AS placed,
                   SUM(placed_at IS NOT NULL AND placed_at >= :year_start) AS placed_this_year,
                   SUM(placed_at IS NOT NULL AND placed_at >= :window_start) AS placed_recent,
                   SUM(status = 'voorgedragen' AND EXISTS (
                       SELECT 1 FROM proposals
                       WHERE proposals.dwelling_code = dwellings.code
                         AND proposals.status = 'open')) AS in_progress
            FROM dwellings
            WHERE region = :region
              AND (status = 'voorgedragen' OR status IN ('toegewezen', 'verhuurd'))
            GROUP BY municipality, neighbourhood
            ORDER BY municipality, neighbourhood
            """,
            {
                "region": region,
                "since": since,
                "year_start": year_start,
                "window_start": window_start,
            },
        )
        return list(rows)

    def add_proposal(self, row: dict[str, Any]) -> None:
        self.db["proposals"].insert(row)

    def close_proposal(self, proposal_id: int, status: str, now: datetime) -> None:
        self.db["proposals"].update(
            proposal_id, {"status": status, "closed_at": iso_timestamp(now)}
        )

    def proposal(self, proposal_id: int) -> dict[str, Any]:
        return self._get("proposals", proposal_id)

    def update_proposal(self, proposal_id: int, changes: dict[str, Any]) -> dict[str, Any]:
        self._get("proposals", proposal_id)
        with self.db.atomic():
            self.db["proposals"].update(proposal_id, changes)
        return self.proposal(proposal_id)

    def region_proposals(
        self, region: str, *statuses: str, having: str | None = None
    ) -> list[dict]:
        """A region's proposals with one of `statuses` (all when none), oldest first; with
        `having`, only those where that column is set ("moved_at", "omklap_flip_on")."""
        clauses, args = ["region = ?"], [region]
        if statuses:
            clauses.append(f"status IN ({', '.join('?' for _ in statuses)})")
            args += list(statuses)
        if having is not None:
            if having not in _SET_COLUMNS:
                raise ValueError(f"cannot filter on {having}")
            clauses.append(f"{having} IS NOT NULL")
        return list(self.db["proposals"].rows_where(" AND ".join(clauses), args, order_by="id"))

    def proposals_of_dwelling(self, dwelling: str, *statuses: str) -> list[dict]:
        """A dwelling's proposals with one of `statuses` (all when none), oldest first."""
        clauses, args = ["dwelling_code = ?"], [dwelling]
        if statuses:
            clauses.append(f"status IN ({', '.join('?' for _ in statuses)})")
            args += list(statuses)
        return list(self.db["proposals"].rows_where(" AND ".join(clauses), args, order_by="id"))

    def proposals_with_status(self, status: str) -> list[dict]:
        """Every region's proposals with `status` (for the due work), oldest first."""
        return list(self.db["proposals"].rows_where("status = ?", [status], order_by="id"))

    def overview_rows(self, region: str) -> dict[str, list[tuple]]:
        """What a region's overview counts, without reading whole records: the waiting
        candidates (registered, wished municipalities as JSON), the available dwellings
        (municipality, registered), the open proposals (created, stalled) and the declines
        per side and reason."""
        args = [region]
        return {
            "waiting": self.db.execute(
                "SELECT created_at, json_extract(facts, '$.municipalities') FROM candidates "
                "WHERE region = ? AND status = 'aangemeld'",
                args,
            ).fetchall(),
            "homes": self.db.execute(
                "SELECT municipality, created_at FROM dwellings "
                "WHERE region = ? AND status = 'beschikbaar'",
                args,
            ).fetchall(),
            "open": self.db.execute(
                "SELECT created_at, stalled_at FROM proposals WHERE region = ? AND status = 'open'",
                args,
            ).fetchall(),
            "declines": self.db.execute(
                "SELECT 'care', care_reason, count(*) FROM proposals "
                "WHERE region = ? AND care_answer = 'nee' GROUP BY care_reason "
                "UNION ALL SELECT 'corporation', corporation_reason, count(*) FROM proposals "
                "WHERE region = ? AND corporation_answer = 'nee' GROUP BY corporation_reason",
                [region, region],
            ).fetchall(),
        }

    def declined_pairs(self, region: str) -> set[tuple[str, str]]:
        """(candidate, dwelling) of every proposal a party declined and the matchpunt
        confirmed: such a pair is never proposed again."""
        rows = self.db.execute(
            "SELECT candidate_code, dwelling_code FROM proposals "
            "WHERE region = ? AND status = 'afgewezen'",
            [region],
        ).fetchall()
        return {(c, d) for c, d in rows}

    def proposals_of(self, candidate: str) -> list[dict]:
        """Every proposal of a candidate, open or closed (for its data export)."""
        return list(
            self.db["proposals"].rows_where("candidate_code = ?", [candidate], order_by="id")
        )

    def open_proposals(
        self, *, candidate: str | None = None, dwelling: str | None = None
    ) -> list[dict]:
        clauses, args = ["status = 'open'"], []
        if candidate is not None:
            clauses.append("candidate_code = ?")
            args.append(candidate)
        if dwelling is not None:
            clauses.append("dwelling_code = ?")
            args.append(dwelling)
        return list(self.db["proposals"].rows_where(" AND ".join(clauses), args, order_by="id"))


_SET_COLUMNS = frozenset({"moved_at", "omklap_flip_on"})
_FILTERABLE = frozenset(
    {"status", "organisation_id", "support_worker_id", "municipality", "created_by"}
)


def _record_table(kind: str) -> str:
    if kind not in ("candidates", "dwellings"):
        raise ValueError(f"no record table {kind!r}")
    return kind


def _encode_facts(row: dict[str, Any]) -> dict[str, Any]:
    if "facts" not in row:
        return row
    return {**row, "facts": json.dumps(row["facts"], sort_keys=True, ensure_ascii=False)}


def _decode_facts(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "facts": json.loads(row["facts"])} if "facts" in row else row
