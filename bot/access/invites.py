"""Invites: how people get an account. Codes are random, single-use and expire."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from bot.access.names import clean_first_name
from bot.access.roles import (
    COORDINATOR,
    ROLE_ORGANISATION_KINDS,
    ROLES,
    NotAllowedError,
    may_use,
    require_command,
    require_region,
)
from bot.storage import DuplicateError, Invite, NotFoundError, Organisation, Store, User

# No 0/O or 1/I, so a code read aloud or typed by hand survives; 32**12 is about 2**60.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
MAX_VALID_DAYS = 90


class InvalidInviteError(Exception):
    """The code is unknown, already used or expired."""


class AlreadyRegisteredError(Exception):
    """This Telegram account already has a user."""


class TooManyTriesError(Exception):
    """Too many wrong codes from this Telegram account lately; it has to wait."""


class InviteTermsError(Exception):
    """Role, organisation or region of the invite do not fit together."""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def deep_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


def check_terms(store: Store, role: str, organisation_id: int, region: str) -> None:
    """Raise `InviteTermsError` unless role, organisation and region fit together."""
    if role not in ROLES:
        raise InviteTermsError(f"onbekende rol {role!r}")
    try:
        organisation = store.organisation(organisation_id)
    except NotFoundError:
        raise InviteTermsError("onbekende organisatie") from None
    if organisation.region != region:
        raise InviteTermsError("organisatie hoort niet bij deze regio")
    if organisation.kind not in ROLE_ORGANISATION_KINDS[role]:
        raise InviteTermsError("deze rol past niet bij dit soort organisatie")


def organisations_for(store: Store, inviter: User, role: str) -> list[Organisation]:
    """The organisations of the inviter's region a colleague with `role` can work at (the
    choice `/uitnodigen` offers; `check_terms` holds the same rule)."""
    invitable_roles(inviter)
    if role not in ROLES:
        raise InviteTermsError(f"onbekende rol {role!r}")
    kinds = ROLE_ORGANISATION_KINDS[role]
    return [o for o in store.organisations(inviter.region) if o.kind in kinds]


def create_invite(
    store: Store,
    now: datetime,
    *,
    role: str,
    organisation_id: int,
    region: str,
    valid_days: int,
    inviter: User | None = None,
) -> Invite:
    """Create a fresh invite. `inviter` None means the operator's CLI.

    Raises `NotAllowedError` when the inviter may not invite into that region, and
    `InviteTermsError` when role, organisation and region do not fit.
    """
    if inviter is not None:
        require_command(inviter, "uitnodigen")
        require_region(inviter, region)
    check_terms(store, role, organisation_id, region)
    if not 1 <= valid_days <= MAX_VALID_DAYS:
        raise InviteTermsError(f"geldigheid moet 1 tot {MAX_VALID_DAYS} dagen zijn")
    created_by = "cli" if inviter is None else str(inviter.telegram_id)
    expires = now + timedelta(days=valid_days)
    with store.db.atomic():
        for _ in range(5):
            try:
                invite = store.add_invite(
                    new_code(), role, organisation_id, region, created_by, now, expires
                )
                break
            except DuplicateError:
                continue
        else:  # pragma: no cover - 5 collisions in a 2**60 space
            raise RuntimeError("could not draw a unique invite code")
        store.audit(
            created_by,
            "invite.create",
            now,
            "invite",
            invite.code,
            {"role": role, "organisation_id": organisation_id, "region": region},
        )
    return invite


def redeem_invite(
    store: Store,
    now: datetime,
    code: str,
    telegram_id: int,
    language: str = "nl",
    first_name: str | None = None,
    *,
    throttle: RedeemThrottle | None = None,
) -> User:
    """Register `telegram_id` with the invite's role, organisation and region, and the first
    name Telegram sent (cleaned; `names.clean_first_name`) for colleagues to see.

    With `throttle`, guessing is slowed down: an account with too many wrong codes lately
    gets `TooManyTriesError` without its code being looked at, and every wrong code counts.
    Raises `AlreadyRegisteredError` or `InvalidInviteError`; on error nothing is written.
    """
    if throttle is not None and not throttle.allowed(telegram_id, now):
        raise TooManyTriesError()
    try:
        return _redeem(store, now, code, telegram_id, language, first_name)
    except (InvalidInviteError, AlreadyRegisteredError):
        if throttle is not None:
            throttle.failed(telegram_id, now)
        raise


def _redeem(
    store: Store,
    now: datetime,
    code: str,
    telegram_id: int,
    language: str,
    first_name: str | None,
) -> User:
    if store.find_user(telegram_id) is not None:
        raise AlreadyRegisteredError()
    code = code.strip().upper()
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        raise InvalidInviteError()
    try:
        invite = store.invite(code)
    except NotFoundError:
        raise InvalidInviteError() from None
    if invite.used_by is not None or datetime.fromisoformat(invite.expires_at) <= now:
        raise InvalidInviteError()
    if invite.created_by != "cli":
        # An invite is only as good as its maker: a deactivated or demoted coordinator's
        # open invites stop working with them.
        inviter = store.find_user(int(invite.created_by))
        if inviter is None or not may_use(inviter, "uitnodigen"):
            raise InvalidInviteError()
        if not inviter.is_admin and inviter.region != invite.region:
            raise InvalidInviteError()
    with store.db.atomic():
        if not store.mark_invite_used(code, telegram_id, now):
            raise InvalidInviteError()
        user = store.add_user(
            telegram_id,
            invite.role,
            invite.organisation_id,
            invite.region,
            now,
            language=language,
            first_name=clean_first_name(first_name),
        )
        store.audit(telegram_id, "user.register", now, "invite", code, {"role": invite.role})
    return user


# Unused codes that expired this long ago serve nobody: they are deleted.
PURGE_AFTER = timedelta(days=30)


def purge_expired(store: Store, now: datetime) -> int:
    """Delete unused invites that expired more than `PURGE_AFTER` ago, audited; returns how
    many."""
    with store.db.atomic():
        purged = store.purge_invites(now - PURGE_AFTER)
        if purged:
            store.audit("system", "invite.purge", now, detail={"count": purged})
    return purged


def invitable_roles(inviter: User) -> tuple[str, ...]:
    """Roles a coordinator can hand out: all of them, within their own region."""
    if inviter.role != COORDINATOR and not inviter.is_admin:
        raise NotAllowedError("uitnodigen")
    return ROLES


class RedeemThrottle:
    """Slows down guessing of invite codes. Kept in memory on purpose: nothing is stored
    about people who are not users."""

    def __init__(self, max_failures: int = 5, window: timedelta = timedelta(hours=1)) -> None:
        self.max_failures = max_failures
        self.window = window
        self._failures: dict[int, list[datetime]] = {}

    def allowed(self, telegram_id: int, now: datetime) -> bool:
        recent = [t for t in self._failures.get(telegram_id, []) if now - t < self.window]
        if recent:
            self._failures[telegram_id] = recent
        else:
            self._failures.pop(telegram_id, None)
        return len(recent) < self.max_failures

    def failed(self, telegram_id: int, now: datetime) -> None:
        self._failures.setdefault(telegram_id, []).append(now)
