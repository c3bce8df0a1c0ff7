"""Organisations and users, managed by the operator: each change and its audit line together."""

from __future__ import annotations

from datetime import datetime

from bot.access.names import InvalidNameError, check_first_name
from bot.access.roles import ROLE_ORGANISATION_KINDS, ROLES
from bot.storage import Organisation, Store, User

MAX_NAME = 100


class AccountError(Exception):
    """The change cannot be made; the message says why, in Dutch."""


def add_organisation(
    store: Store, now: datetime, name: str, kind: str, region: str
) -> Organisation:
    """Add an organisation. Raises `AccountError` for a blank, too long or duplicate name."""
    clean = " ".join(name.split())
    if not clean or len(clean) > MAX_NAME:
        raise AccountError(f"naam moet 1 tot {MAX_NAME} tekens zijn")
    if any(o.name.lower() == clean.lower() for o in store.organisations(region)):
        raise AccountError(f"organisatie {clean!r} bestaat al in {region}")
    with store.db.atomic():
        organisation = store.add_organisation(clean, kind, region, now)
        store.audit("cli", "organisation.add", now, "organisation", organisation.id, {"kind": kind})
    return organisation


def add_user(
    store: Store,
    now: datetime,
    *,
    telegram_id: int,
    role: str,
    organisation: Organisation,
    is_admin: bool = False,
    language: str = "nl",
    first_name: str | None = None,
) -> User:
    """Add a user at an organisation (in its region), with the first name colleagues see if
    given. Raises `AccountError`."""
    if role not in ROLES:
        raise AccountError(f"onbekende rol {role!r}")
    if organisation.kind not in ROLE_ORGANISATION_KINDS[role]:
        raise AccountError(
            f"rol {role} past niet bij een organisatie van soort {organisation.kind}"
        )
    if store.find_user(telegram_id) is not None:
        raise AccountError(f"gebruiker {telegram_id} bestaat al")
    if first_name is not None:
        try:
            first_name = check_first_name(first_name)
        except InvalidNameError as exc:
            raise AccountError(f"voornaam: {exc}") from None
    with store.db.atomic():
        user = store.add_user(
            telegram_id,
            role,
            organisation.id,
            organisation.region,
            now,
            is_admin=is_admin,
            language=language,
            first_name=first_name,
        )
        store.audit("cli", "user.add", now, "user", telegram_id, {"role": role, "admin": is_admin})
    return user


def deactivate_user(store: Store, now: datetime, telegram_id: int) -> User:
    """Take a user's access away and erase their first name (records they worked on then
    name them by role and id). Raises `AccountError` for an unknown id."""
    if store.find_user(telegram_id) is None:
        raise AccountError(f"gebruiker {telegram_id} bestaat niet")
    with store.db.atomic():
        store.set_first_name(telegram_id, None)
        user = store.set_user_active(telegram_id, False)
        store.audit("cli", "user.deactivate", now, "user", telegram_id)
    return user
