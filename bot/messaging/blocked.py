"""A user who blocked the bot: they get nothing more until they write to it again, and what
was waiting for them goes to the coordinators of their region, so nothing stalls unseen."""

from __future__ import annotations

from datetime import datetime

from bot.access.roles import COORDINATOR, ROLE_LABELS
from bot.messaging import outbox
from bot.storage import Store
from bot.storage.outbox import WAITING

BLOCKED = "heeft de bot geblokkeerd"


def blocked_the_bot(store: Store, now: datetime, telegram_id: int) -> list[int]:
    """Telegram said `telegram_id` blocked the bot: mark them unreachable, set their waiting
    messages aside, and tell their region's coordinators what was waiting for them (by
    record code). Returns the ids of the messages queued for the coordinators."""
    user = store.find_user(telegram_id)
    with store.db.atomic():
        first = store.blocked_since(telegram_id) is None if user else False
        waiting = [m for m in store.messages(chat_id=telegram_id, status=WAITING)]
        store.hold_messages_to(telegram_id, BLOCKED)
        if user is None or not first:
            return []
        store.set_blocked(telegram_id, now)
        store.audit("system", "user.blocked", now, "user", telegram_id)
        subjects = sorted({m["about"] for m in waiting if m["about"]})
        text = _hand_over_text(user, len(waiting), subjects)
        queued = []
        for coordinator in coordinators(store, user.region, but=telegram_id):
            found = outbox.queue(
                store,
                now,
                coordinator.telegram_id,
                text,
                key=f"blocked:{telegram_id}:{now.date().isoformat()}:{coordinator.telegram_id}",
            )
            if found is not None:
                queued.append(found)
    return queued


def came_back(store: Store, telegram_id: int) -> bool:
    """The user wrote to the bot again: they are reachable. True when they were not."""
    if store.blocked_since(telegram_id) is None:
        return False
    store.set_blocked(telegram_id, None)
    return True


def is_blocked(store: Store, telegram_id: int) -> bool:
    return store.blocked_since(telegram_id) is not None


def is_reachable(store: Store, user) -> bool:
    """Active, and not known to have blocked the bot."""
    return user.active and store.blocked_since(user.telegram_id) is None


def coordinators(store: Store, region: str, but: int | None = None) -> list:
    """The region's coordinators a message can reach (the one place that says so)."""
    return [
        u
        for u in store.users(region)
        if u.role == COORDINATOR and u.telegram_id != but and is_reachable(store, u)
    ]


def _hand_over_text(user, waiting: int, subjects: list[str]) -> str:
    who = ROLE_LABELS.get(user.role, user.role)
    if user.first_name:
        who = f"{who} {user.first_name}"
    if user.organisation_name:
        who = f"{who} ({user.organisation_name})"
    lines = [
        f"⚠️ {who} {BLOCKED} en krijgt geen berichten meer, totdat die de bot weer een "
        "bericht stuurt."
    ]
    if waiting:
        noun = "bericht" if waiting == 1 else "berichten"
        lines.append(f"Er stond{'' if waiting == 1 else 'en'} {waiting} {noun} klaar.")
    if subjects:
        lines.append("Neem deze zaken over of zoek contact: " + ", ".join(subjects) + ".")
    return "\n".join(lines)
