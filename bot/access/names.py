"""Staff first names: how they are cleaned, changed and shown.

Staff are not candidates: colleagues need to know whom they work with, so the bot keeps a
staff member's first name (what Telegram sends when they join, or what they set with /naam)
and shows it with their organisation. It is erased with the account (`deactivate_user`).
Candidates never have a name in the bot.
"""

from __future__ import annotations

import html
import unicodedata
from datetime import datetime

from bot.access.roles import CORPORATION, SUPPORT_WORKER, require_command
from bot.storage import Store, User

MAX_FIRST_NAME = 40
# How someone without a (known) first name is shown: their role's word and Telegram id.
UNNAMED_LABELS = {SUPPORT_WORKER: "Woonbegeleider", CORPORATION: "Medewerker corporatie"}


class InvalidNameError(ValueError):
    """The typed name cannot be used; the message says why, in Dutch."""


def _tidy(text: str) -> str:
    # Control and format characters (a newline, a right-to-left mark, a zero-width space)
    # go; any run of white space becomes one space.
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in unicodedata.normalize("NFC", text)
        if ch.isspace() or unicodedata.category(ch)[0] != "C"
    )
    return " ".join(kept.split())


def _has_letter(text: str) -> bool:
    return any(unicodedata.category(ch).startswith("L") for ch in text)


def clean_first_name(raw: str | None) -> str | None:
    """What Telegram sends as someone's first name, fit to keep: tidied and cut to
    `MAX_FIRST_NAME` characters; None when no letter is left (nothing, or only symbols) or
    when it holds a digit or an @, as `/naam` refuses (a phone number or an e-mail address
    in the Telegram name is not kept; the person can set a name with /naam)."""
    clean = _tidy(raw or "")[:MAX_FIRST_NAME].rstrip()
    if "@" in clean or any(ch.isdigit() for ch in clean):
        return None
    return clean if _has_letter(clean) else None


def check_first_name(raw: str) -> str:
    """A first name someone typed, tidied. Raises `InvalidNameError` (in Dutch) when it is
    empty, longer than `MAX_FIRST_NAME` characters, has no letter, or has a digit or an @
    (a phone number or e-mail address is no name, and is not kept)."""
    clean = _tidy(raw)
    if not clean:
        raise InvalidNameError("Ik zie geen naam.")
    if len(clean) > MAX_FIRST_NAME:
        raise InvalidNameError(f"Die naam is te lang: hoogstens {MAX_FIRST_NAME} tekens.")
    if not _has_letter(clean):
        raise InvalidNameError("Dat is geen voornaam: er staan geen letters in.")
    if "@" in clean or any(ch.isdigit() for ch in clean):
        raise InvalidNameError("Een voornaam heeft geen cijfers of @.")
    return clean


def set_first_name(store: Store, now: datetime, user: User, raw: str) -> User:
    """The caller changes their own first name; audited (`user.name`, never the name itself,
    so the audit log keeps nothing that deactivation must erase). Raises `InvalidNameError`,
    `NotAllowedError` or `UnknownUserError`."""
    require_command(user, "naam")
    first_name = check_first_name(raw)
    with store.db.atomic():
        changed = store.set_first_name(user.telegram_id, first_name)
        store.audit(user.telegram_id, "user.name", now, "user", user.telegram_id)
    return changed


def staff_name(user: User) -> str:
    """How cards, forms and exports name a staff member: "Sanne (Ambulante Begeleiding
    Haarlem)"; without a first name (not known, or erased) "Woonbegeleider 1004"."""
    if not user.first_name:
        return unnamed(user.role, user.telegram_id)
    if not user.organisation_name:
        return user.first_name
    return f"{user.first_name} ({user.organisation_name})"


def staff_name_html(user: User) -> str:
    """`staff_name`, safe inside a Telegram HTML message."""
    return html.escape(staff_name(user), quote=False)


def unnamed(role: str, telegram_id: int | str) -> str:
    """A staff member shown without a name: "Woonbegeleider 1004", "Medewerker 1001"."""
    return f"{UNNAMED_LABELS.get(role, 'Medewerker')} {telegram_id}"


def staff_names(store: Store, region: str) -> dict[int, str]:
    """Everyone who works or worked in `region`, by Telegram id, as `staff_name` shows them
    (former staff too: old records name them, without a name since it was erased)."""
    return {user.telegram_id: staff_name(user) for user in store.users(region)}
