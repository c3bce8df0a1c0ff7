"""The one package that speaks SQL: a SQLite file through sqlite-utils.

`Store` opens the file with WAL, foreign keys and a busy timeout, applies the versioned
migrations (an older file is upgraded in place), and offers typed reads and writes in the
domain's words. Several writes that belong together run inside `store.db.atomic()`.
"""

from bot.storage.migrations import MIGRATIONS
from bot.storage.rows import (
    ORGANISATION_KINDS,
    DuplicateError,
    Invite,
    NotFoundError,
    Organisation,
    User,
    iso_timestamp,
)
from bot.storage.store import BUSY_TIMEOUT_MS, Store

__all__ = [
    "BUSY_TIMEOUT_MS",
    "MIGRATIONS",
    "ORGANISATION_KINDS",
    "DuplicateError",
    "Invite",
    "NotFoundError",
    "Organisation",
    "Store",
    "User",
    "iso_timestamp",
]
