"""Demo data for the local shell: one real region with one user of each role."""

from __future__ import annotations

from datetime import datetime

from bot.access.roles import (
    COORDINATOR,
    CORPORATION,
    FIELD_WORKER,
    ROLE_ORGANISATION_KINDS,
    SUPPORT_WORKER,
)
from bot.knowledge.regions import Region
from bot.storage import NotFoundError, Store

DEMO_REGION = "ijmond-zuid-kennemerland"
# Fixed Telegram ids so that a scripted shell session reads the same every time.
DEMO_USERS = {COORDINATOR: 1001, FIELD_WORKER: 1002, CORPORATION: 1003, SUPPORT_WORKER: 1004}
# Staff have first names (candidates never do): what colleagues see on cards and exports.
DEMO_NAMES = {
    COORDINATOR: "Marieke",
    FIELD_WORKER: "Youssef",
    CORPORATION: "Inge",
    SUPPORT_WORKER: "Sanne",
}


class DemoRefusedError(Exception):
    """The database holds real users; demo data does not belong there."""


def seed_demo(store: Store, regions: dict[str, Region], now: datetime) -> dict[str, int]:
    """Create the demo organisations and users if missing (idempotent); returns role → id."""
    region = regions[DEMO_REGION]
    strangers = [u.telegram_id for u in store.users() if u.telegram_id not in DEMO_USERS.values()]
    if strangers:
        # Demo users include a coordinator: never slip them into a real database.
        raise DemoRefusedError(
            f"--demo weigert deze database: er staan al {len(strangers)} echte gebruikers in"
        )
    with store.db.atomic():
        for name, kind in region.demo_organisations:
            try:
                store.organisation_by_name(name, region.id)
            except NotFoundError:
                store.add_organisation(name, kind, region.id, now)
        organisations = store.organisations(region.id)
        for role, telegram_id in DEMO_USERS.items():
            if store.find_user(telegram_id) is not None:
                continue
            kinds = ROLE_ORGANISATION_KINDS[role]
            # With two care providers in the demo, field and support worker sit at different ones.
            fitting = [o for o in organisations if o.kind in kinds]
            organisation = fitting[-1] if role == FIELD_WORKER else fitting[0]
            store.add_user(
                telegram_id, role, organisation.id, region.id, now, first_name=DEMO_NAMES[role]
            )
            store.audit("demo", "user.add", now, "user", telegram_id, {"role": role})
    return dict(DEMO_USERS)
