"""What the file holds, as Python: row types, errors, and the timestamp format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

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
    # What colleagues see (None: not known, or erased with the account).
    first_name: str | None = None
    # The organisation's name, read along with the user (not a column of users).
    organisation_name: str | None = None


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


def iso_timestamp(moment: datetime) -> str:
    """The one timestamp format of the file: UTC, ISO 8601, to the second."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    # UTC everywhere in the file, so that text comparison orders moments correctly across DST.
    return moment.astimezone(UTC).isoformat(timespec="seconds")
