"""Organisations, users and invites.

A part of `Store`; the only SQL for these tables.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from bot.storage.database import UnitDatabase
from bot.storage.rows import (
    ORGANISATION_KINDS,
    DuplicateError,
    Invite,
    NotFoundError,
    Organisation,
    User,
    iso_timestamp,
)


class AccessTables:
    """Organisations, users and invites."""

    db: UnitDatabase

    def add_organisation(self, name: str, kind: str, region: str, now: datetime) -> Organisation:
        if kind not in ORGANISATION_KINDS:
            raise ValueError(f"unknown organisation kind {kind!r}")
        try:
            pk = (
                self.db["organisations"]
                .insert(
                    {"name": name, "kind": kind, "region": region, "created_at": iso_timestamp(now)}
                )
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
        first_name: str | None = None,
    ) -> User:
        row = {
            "telegram_id": telegram_id,
            "role": role,
            "organisation_id": organisation_id,
            "region": region,
            "active": 1,
            "is_admin": int(is_admin),
            "language": language,
            "created_at": iso_timestamp(now),
            "first_name": first_name,
        }
        try:
            self.db["users"].insert(row)
        except sqlite3.IntegrityError as exc:
            _raise_if_duplicate(exc)
            raise DuplicateError(f"user {telegram_id} already exists") from None
        return self.user(telegram_id)

    def user(self, telegram_id: int) -> User:
        user = self.find_user(telegram_id)
        if user is None:
            raise NotFoundError(f"users: {telegram_id}")
        return user

    def find_user(self, telegram_id: int) -> User | None:
        # Every update asks this; one plain query beats Table.get's schema look-ups.
        users = self._select_users("users.telegram_id = ?", [telegram_id])
        return users[0] if users else None

    def users(self, region: str | None = None) -> list[User]:
        if region is None:
            return self._select_users("1", [])
        return self._select_users("users.region = ?", [region])

    def set_user_active(self, telegram_id: int, active: bool) -> User:
        self._get("users", telegram_id)
        self.db["users"].update(telegram_id, {"active": int(active)})
        return self.user(telegram_id)

    def set_first_name(self, telegram_id: int, first_name: str | None) -> User:
        self._get("users", telegram_id)
        self.db["users"].update(telegram_id, {"first_name": first_name})
        return self.user(telegram_id)

    def _select_users(self, where: str, args: list[Any]) -> list[User]:
        cursor = self.db.execute(
            "SELECT users.*, organisations.name AS organisation_name FROM users "
            "LEFT JOIN organisations ON organisations.id = users.organisation_id "
            f"WHERE {where} ORDER BY users.telegram_id",
            args,
        )
        columns = [c[0] for c in cursor.description]
        return [_user(dict(zip(columns, row, strict=True))) for row in cursor.fetchall()]

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
                    "created_at": iso_timestamp(now),
                    "expires_at": iso_timestamp(expires_at),
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
                [telegram_id, iso_timestamp(now), code],
            )
        return cursor.rowcount == 1

    def purge_invites(self, expired_before: datetime) -> int:
        """Delete unused invites that expired before the given moment; return how many."""
        with self.db.atomic():
            cursor = self.db.execute(
                "DELETE FROM invites WHERE used_by IS NULL AND expires_at < ?",
                [iso_timestamp(expired_before)],
            )
        return cursor.rowcount


def _raise_if_duplicate(exc: sqlite3.IntegrityError) -> None:
    """Let everything but a uniqueness clash (a missing foreign key, say) through unchanged."""
    if "UNIQUE" not in str(exc):
        raise exc


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
        first_name=row.get("first_name"),
        organisation_name=row.get("organisation_name"),
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
