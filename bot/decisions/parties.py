"""Who answers a proposal for each side, and who hears about it.

- the care side: the field workers of the candidate's organisation (the one who registered
  the candidate is told; any colleague there may answer);
- the corporation side: the dwelling's contact, else the corporation's staff (a coordinator
  who reported the home for a corporation that does not use the bot is its contact);
- the matchpunt: the region's coordinators.
Blocked and inactive users are never told (the outbox would only set their messages aside).
"""

from __future__ import annotations

from typing import Any

from bot.access.roles import COORDINATOR, CORPORATION, FIELD_WORKER
from bot.decisions.reasons import CARE
from bot.decisions.reasons import CORPORATION as CORPORATION_SIDE
from bot.messaging import blocked
from bot.storage import Store, User


def answerers(store: Store, side: str, candidate: dict[str, Any], dwelling: dict[str, Any]):
    """Everyone who may answer for `side`. A side whose organisation has nobody on the bot
    (a candidate a coordinator registered for its own gemeente, a corporation that does not
    use the bot yet) is answered by the region's coordinators, so no proposal waits for
    nobody."""
    users = [u for u in store.users(candidate["region"]) if u.active]
    if side == CARE:
        found = [
            u
            for u in users
            if u.role == FIELD_WORKER and u.organisation_id == candidate["organisation_id"]
        ]
    else:
        found = [
            u
            for u in users
            if u.role == CORPORATION and u.organisation_id == dwelling["organisation_id"]
        ]
        contact = _contact(store, dwelling)
        if contact is not None and contact.role == COORDINATOR and not found:
            found = [contact]
    return found or [u for u in users if u.role == COORDINATOR]


def told(store: Store, side: str, candidate: dict[str, Any], dwelling: dict[str, Any]):
    """Who is told about a proposal for `side`: the registering field worker or the home's
    contact when they can be reached, else everyone who may answer."""
    everyone = answerers(store, side, candidate, dwelling)
    first = store.find_user(candidate["created_by"]) if side == CARE else _contact(store, dwelling)
    if first is not None and first in everyone and blocked.is_reachable(store, first):
        return [first]
    return [u for u in everyone if blocked.is_reachable(store, u)]


def side_of(store: Store, user: User, candidate: dict[str, Any], dwelling: dict[str, Any], side):
    """`side` when `user` may answer for it, else None."""
    ids = {u.telegram_id for u in answerers(store, side, candidate, dwelling)}
    return side if user.active and user.telegram_id in ids else None


def coordinators(store: Store, region: str) -> list[User]:
    return blocked.coordinators(store, region)


def _contact(store: Store, dwelling: dict[str, Any]) -> User | None:
    contact = str(dwelling["facts"].get("contact") or "")
    if not (contact.isascii() and contact.isdigit()):
        return None
    user = store.find_user(int(contact))
    return user if user is not None and user.active and user.region == dwelling["region"] else None


SIDE_OF_LETTER = {"z": CARE, "c": CORPORATION_SIDE}
LETTER_OF_SIDE = {CARE: "z", CORPORATION_SIDE: "c"}
