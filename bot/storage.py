"""The one module that speaks SQL: a SQLite file through sqlite-utils.

`Store` opens the file with WAL, foreign keys and a busy timeout, applies the versioned
migrations (an older file is upgraded in place), and offers typed reads and writes in the
domain's words. Several writes that belong together run inside `store.db.atomic()`.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

BUSY_TIMEOUT_MS = 5000
ORGANISATION_KINDS = ("gemeente", "corporatie", "zorgaanbieder")


class NotFoundError(Exception):
    """The record asked for does not exist."""


class DuplicateError(Exception):
    """A record with the same identity already exists."""


@dataclass(frozen=True)
class Organisation:
    id: int
    name: str
    kind: str
    region: str


@dataclass(frozen=True)
class User:
    telegram_id: int
    role: str
    organisation_id: int
    region: str
    active: bool
    is_admin: bool
    language: str
    created_at: str


@dataclass(frozen=True)
class Invite:
    code: str
    role: str
    organisation_id: int
    region: str
    created_by: str
    created_at: str
    expires_at: str
    used_by: int | None
    used_at: str | None


MIGRATIONS = Migrations("weerthuis")


@MIGRATIONS()
def m001_access(db: sqlite_utils.Database) -> None:
    db["organisations"].create(
        {"id": int, "name": str, "kind": str, "region": str, "created_at": str},
        pk="id",
        not_null={"name", "kind", "region", "created_at"},
    )
    db["organisations"].create_index(["region", "name"], unique=True)
    db["users"].create(
        {
            "telegram_id": int,
            "role": str,
            "organisation_id": int,
            "region": str,
            "active": int,
            "is_admin": int,
            "language": str,
            "created_at": str,
        },
        pk="telegram_id",
        not_null={"role", "organisation_id", "region", "active", "is_admin", "created_at"},
        defaults={"active": 1, "is_admin": 0, "language": "nl"},
        foreign_keys=[("organisation_id", "organisations", "id")],
    )
    db["invites"].create(
        {
            "code": str,
            "role": str,
            "organisation_id": int,
            "region": str,
            "created_by": str,
            "created_at": str,
            "expires_at": str,
            "used_by": int,
            "used_at": str,
        },
        pk="code",
        not_null={"role", "organisation_id", "region", "created_by", "created_at", "expires_at"},
        foreign_keys=[("organisation_id", "organisations", "id")],
    )
    db["audit_log"].create(
        {
            "id": int,
            "at": str,
            "actor": str,
            "action": str,
            "record_type": str,
            "record_id": str,
            "detail": str,
        },
        pk="id",
        not_null={"at", "actor", "action"},
    )
    db["audit_log"].create_index(["record_id"])
    db["audit_log"].create_index(["actor"])
    # Append-only is enforced by the database itself, not by convention.
    db.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    )


@MIGRATIONS()
def m002_persistence(db: sqlite_utils.Database) -> None:
    db["conversation_states"].create(
        {"name": str, "key": str, "state": str}, pk=("name", "key"), not_null={"state"}
    )
    db["user_data"].create({"user_id": int, "data": str}, pk="user_id", not_null={"data"})
    db["chat_data"].create({"chat_id": int, "data": str}, pk="chat_id", not_null={"data"})
    db["bot_data"].create({"id": int, "data": str}, pk="id", not_null={"data"})


@MIGRATIONS()
def m003_questions(db: sqlite_utils.Database) -> None:
    # Questions the knowledge base could not answer (or answered badly), so editors can add
    # alternates. No asker identity: the region is enough to route them.
    db["kb_questions"].create(
        {"id": int, "at": str, "kind": str, "text": str, "region": str, "entry_id": str},
        pk="id",
        not_null={"at", "kind", "text"},
    )
    db["kb_questions"].create_index(["region"])


@MIGRATIONS()
def m004_organisation_names(db: sqlite_utils.Database) -> None:
    # "Woonopmaat" and "woonopmaat " are one organisation: names are looked up that way too.
    db.execute(
        "CREATE UNIQUE INDEX IF NOT EXISTS organisations_region_folded_name "
        "ON organisations(region, lower(trim(name)))"
    )


@MIGRATIONS()
def m005_candidates_and_dwellings(db: sqlite_utils.Database) -> None:
    # Candidates are pseudonymous: a code and the facts needed for matching, never a name,
    # BSN, birth date, phone number or address. What filters and access need is a column;
    # the other matching facts live in `facts` (JSON).
    db["candidates"].create(
        {
            "code": str,
            "region": str,
            "organisation_id": int,
            "created_by": int,
            "support_organisation_id": int,
            "support_worker_id": int,
            "status": str,
            "status_reason": str,
            "facts": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="code",
        not_null={"region", "organisation_id", "created_by", "status", "facts", "created_at"},
        foreign_keys=[("organisation_id", "organisations", "id")],
    )
    db["candidates"].create_index(["region", "status"])
    db["dwellings"].create(
        {
            "code": str,
            "region": str,
            "organisation_id": int,
            "created_by": int,
            "municipality": str,
            "status": str,
            "status_reason": str,
            "facts": str,
            # Shown only to the parties of an accepted match.
            "street_address": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="code",
        not_null={"region", "organisation_id", "created_by", "municipality", "status", "facts"},
        foreign_keys=[("organisation_id", "organisations", "id")],
    )
    db["dwellings"].create_index(["region", "status"])
    db["record_counters"].create({"prefix": str, "last": int}, pk="prefix", not_null={"last"})
    # What stays of an erased candidate: enough for the statistics, nothing about the person.
    db["candidate_tombstones"].create(
        {"id": int, "region": str, "status": str, "registered_on": str, "erased_at": str},
        pk="id",
    )


@MIGRATIONS()
def m006_proposals(db: sqlite_utils.Database) -> None:
    # The regional matchpunt proposes a candidate for a dwelling; the corporation then sees
    # that candidate's matching facts. Accepting and declining come with the matching work.
    db["proposals"].create(
        {
            "id": int,
            "candidate_code": str,
            "dwelling_code": str,
            "region": str,
            "status": str,
            "proposed_by": int,
            "created_at": str,
        },
        pk="id",
        not_null={"candidate_code", "dwelling_code", "region", "status", "created_at"},
    )
    db["proposals"].create_index(["dwelling_code"])
    db["proposals"].create_index(["candidate_code"])


@MIGRATIONS()
def m007_draft_ids(db: sqlite_utils.Database) -> None:
    # The form draft a record was saved from: saving the same draft twice (a button press
    # Telegram redelivers after a crash) finds the first record instead of making a second.
    for table in ("candidates", "dwellings"):
        db[table].add_column("draft_id", str)
        db.execute(
            f"CREATE UNIQUE INDEX {table}_draft_id ON {table}(draft_id) WHERE draft_id IS NOT NULL"
        )


@MIGRATIONS()
def m008_proposal_ends(db: sqlite_utils.Database) -> None:
    # A proposal ends (accepted, declined, or closed because one side left) at a moment.
    db["proposals"].add_column("closed_at", str)


class _Database(sqlite_utils.Database):
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
    def atomic(self) -> Iterator[_Database]:
        if self.held and not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")
        with super().atomic():
            yield self


class Store:
    """A handle on the database file. Not shared across threads; one per process."""

    def __init__(self, path: str | Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=busy_timeout_ms / 1000)
        self.db = _Database(conn)
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

    # --- organisations -------------------------------------------------------------------

    def add_organisation(self, name: str, kind: str, region: str, now: datetime) -> Organisation:
        if kind not in ORGANISATION_KINDS:
            raise ValueError(f"unknown organisation kind {kind!r}")
        try:
            pk = (
                self.db["organisations"]
                .insert({"name": name, "kind": kind, "region": region, "created_at": _iso(now)})
                .last_pk
            )
        except sqlite3.IntegrityError as exc:
            _raise_if_duplicate(exc)
            raise DuplicateError(f"organisation {name!r} already exists in {region}") from None
        return self.organisation(pk)

    def organisation(self, organisation_id: int) -> Organisation:
        row = self._get("organisations", organisation_id)
        return Organisation(row["id"], row["name"], row["kind"], row["region"])

    def organisation_by_name(self, name: str, region: str | None = None) -> Organisation:
        where, args = "lower(trim(name)) = lower(trim(?))", [name]
        if region is not None:
            where += " AND region = ?"
            args.append(region)
        rows = list(self.db["organisations"].rows_where(where, args, order_by="id"))
        if len(rows) != 1:
            raise NotFoundError(name)
        row = rows[0]
        return Organisation(row["id"], row["name"], row["kind"], row["region"])

    def organisations(self, region: str | None = None) -> list[Organisation]:
        where, args = ("region = ?", [region]) if region else (None, None)
        return [
            Organisation(r["id"], r["name"], r["kind"], r["region"])
            for r in self.db["organisations"].rows_where(where, args, order_by="region, name")
        ]

    # --- users ---------------------------------------------------------------------------

    def add_user(
        self,
        telegram_id: int,
        role: str,
        organisation_id: int,
        region: str,
        now: datetime,
        *,
        is_admin: bool = False,
        language: str = "nl",
    ) -> User:
        row = {
            "telegram_id": telegram_id,
            "role": role,
            "organisation_id": organisation_id,
            "region": region,
            "active": 1,
            "is_admin": int(is_admin),
            "language": language,
            "created_at": _iso(now),
        }
        try:
            self.db["users"].insert(row)
        except sqlite3.IntegrityError as exc:
            _raise_if_duplicate(exc)
            raise DuplicateError(f"user {telegram_id} already exists") from None
        return self.user(telegram_id)

    def user(self, telegram_id: int) -> User:
        return _user(self._get("users", telegram_id))

    def find_user(self, telegram_id: int) -> User | None:
        # Every update asks this; one plain query beats Table.get's schema look-ups.
        cursor = self.db.execute("SELECT * FROM users WHERE telegram_id = ?", [telegram_id])
        row = cursor.fetchone()
        if row is None:
            return None
        return _user(dict(zip([c[0] for c in cursor.description], row, strict=True)))

    def users(self, region: str | None = None) -> list[User]:
        where, args = ("region = ?", [region]) if region else (None, None)
        return [_user(r) for r in self.db["users"].rows_where(where, args, order_by="telegram_id")]

    def set_user_active(self, telegram_id: int, active: bool) -> User:
        self._get("users", telegram_id)
        self.db["users"].update(telegram_id, {"active": int(active)})
        return self.user(telegram_id)

    # --- invites -------------------------------------------------------------------------

    def add_invite(
        self,
        code: str,
        role: str,
        organisation_id: int,
        region: str,
        created_by: str,
        now: datetime,
        expires_at: datetime,
    ) -> Invite:
        try:
            self.db["invites"].insert(
                {
                    "code": code,
                    "role": role,
                    "organisation_id": organisation_id,
                    "region": region,
                    "created_by": created_by,
                    "created_at": _iso(now),
                    "expires_at": _iso(expires_at),
                }
            )
        except sqlite3.IntegrityError as exc:
            _raise_if_duplicate(exc)
            raise DuplicateError("invite code collision") from None
        return self.invite(code)

    def invite(self, code: str) -> Invite:
        return _invite(self._get("invites", code))

    def invites(self, region: str | None = None) -> list[Invite]:
        where, args = ("region = ?", [region]) if region else (None, None)
        return [
            _invite(r) for r in self.db["invites"].rows_where(where, args, order_by="created_at")
        ]

    def mark_invite_used(self, code: str, telegram_id: int, now: datetime) -> bool:
        """Claim an unused invite; False when someone else claimed it first."""
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE invites SET used_by = ?, used_at = ? WHERE code = ? AND used_by IS NULL",
                [telegram_id, _iso(now), code],
            )
        return cursor.rowcount == 1

    def purge_invites(self, expired_before: datetime) -> int:
        """Delete unused invites that expired before the given moment; return how many."""
        with self.db.atomic():
            cursor = self.db.execute(
                "DELETE FROM invites WHERE used_by IS NULL AND expires_at < ?",
                [_iso(expired_before)],
            )
        return cursor.rowcount

    # --- candidates and dwellings ------------------------------------------------------------

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

    def record_from_draft(self, table: str, draft_id: str) -> dict[str, Any] | None:
        """The record saved from this form draft, if any."""
        rows = list(self.db[_record_table(table)].rows_where("draft_id = ?", [draft_id]))
        return _decode_facts(rows[0]) if rows else None

    def add_record(self, table: str, row: dict[str, Any]) -> None:
        self.db[_record_table(table)].insert(_encode_facts(row))

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
            self.db["candidate_tombstones"].insert(
                {
                    "region": row["region"],
                    "status": row["status"],
                    "registered_on": row["created_at"][:10],
                    "erased_at": _iso(now),
                }
            )
            self.db["candidates"].delete(code)

    def add_proposal(self, row: dict[str, Any]) -> None:
        self.db["proposals"].insert(row)

    def close_proposal(self, proposal_id: int, status: str, now: datetime) -> None:
        self.db["proposals"].update(proposal_id, {"status": status, "closed_at": _iso(now)})

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

    # --- knowledge-base questions ----------------------------------------------------------

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

    # --- audit log -----------------------------------------------------------------------

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
                "at": _iso(now),
                "actor": str(actor),
                "action": action,
                "record_type": record_type,
                "record_id": None if record_id is None else str(record_id),
                "detail": json.dumps(detail, sort_keys=True) if detail else None,
            }
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

    # --- persistence of PTB state (conversation states, user/chat/bot data) ----------------

    def load_conversations(self, name: str) -> dict[str, Any]:
        return {
            row["key"]: json.loads(row["state"])
            for row in self.db["conversation_states"].rows_where("name = ?", [name])
        }

    def save_conversation(self, name: str, key: str, state: Any) -> None:
        if state is None:
            self.db["conversation_states"].delete_where("name = ? AND key = ?", [name, key])
        else:
            self.db["conversation_states"].upsert(
                {"name": name, "key": key, "state": json.dumps(state)}, pk=("name", "key")
            )

    def load_data(self, kind: str) -> dict[int, Any]:
        table, key = _data_table(kind)
        return {row[key]: json.loads(row["data"]) for row in self.db[table].rows}

    def save_data(self, kind: str, owner_id: int, data: Any) -> None:
        table, key = _data_table(kind)
        self.db[table].upsert({key: owner_id, "data": json.dumps(data)}, pk=key)

    def drop_data(self, kind: str, owner_id: int) -> None:
        table, key = _data_table(kind)
        self.db[table].delete_where(f"{key} = ?", [owner_id])

    # --- helpers -------------------------------------------------------------------------

    def count(self, table: str) -> int:
        return self.db[table].count

    def _get(self, table: str, pk: Any) -> dict[str, Any]:
        try:
            return self.db[table].get(pk)
        except sqlite_utils.db.NotFoundError:
            raise NotFoundError(f"{table}: {pk}") from None


def _raise_if_duplicate(exc: sqlite3.IntegrityError) -> None:
    """Let everything but a uniqueness clash (a missing foreign key, say) through unchanged."""
    if "UNIQUE" not in str(exc):
        raise exc


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


def _data_table(kind: str) -> tuple[str, str]:
    tables = {
        "user": ("user_data", "user_id"),
        "chat": ("chat_data", "chat_id"),
        "bot": ("bot_data", "id"),
    }
    return tables[kind]


def iso_timestamp(moment: datetime) -> str:
    """The one timestamp format of the file: UTC, ISO 8601, to the second."""
    return _iso(moment)


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    # UTC everywhere in the file, so that text comparison orders moments correctly across DST.
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _user(row: dict[str, Any]) -> User:
    return User(
        telegram_id=row["telegram_id"],
        role=row["role"],
        organisation_id=row["organisation_id"],
        region=row["region"],
        active=bool(row["active"]),
        is_admin=bool(row["is_admin"]),
        language=row["language"] or "nl",
        created_at=row["created_at"],
    )


def _invite(row: dict[str, Any]) -> Invite:
    return Invite(
        code=row["code"],
        role=row["role"],
        organisation_id=row["organisation_id"],
        region=row["region"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        used_by=row["used_by"],
        used_at=row["used_at"],
    )
