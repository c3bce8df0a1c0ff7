"""A tenant who leaves the home ends the placement: when and how is recorded on it (for who
stays housed), the check-ins still to come lapse, and the support worker is told."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.messaging import blocked, outbox
from bot.records import registry
from bot.storage import Store, iso_timestamp
from bot.storage.checkins import ASKED, CANCELLED, PLANNED

# How a placement ends: back to the shelter or the street (an eviction too), or on to other
# housing. Both are candidate statuses.
RETURNED, MOVED_ON = "teruggevallen", "doorgestroomd"
HOW = {RETURNED: "teruggevallen", MOVED_ON: "doorgestroomd naar andere woonruimte"}
# A placement: the accepted proposal whose candidate moved in.
ACCEPTED = "geaccepteerd"


def placement_of(store: Store, code: str) -> dict[str, Any] | None:
    """The candidate's placement that has not ended, if any."""
    live = [
        p
        for p in store.proposals_of(code)
        if p["status"] == ACCEPTED and p["moved_at"] and not p["left_on"]
    ]
    return live[-1] if live else None


def left_home(store: Store, now: datetime, actor: int | str, code: str, how: str) -> bool:
    """In the caller's transaction: the candidate `code` left the home (`how`: RETURNED or
    MOVED_ON). Its status follows when it still says `verhuisd`. False when the candidate has
    no live placement (it ended before: a redelivered change)."""
    placement = placement_of(store, code)
    if placement is None:
        return False
    with store.db.atomic():
        store.update_proposal(placement["id"], {"left_on": now.date().isoformat(), "left_as": how})
        candidate = store.record("candidates", code)
        if candidate["status"] == "verhuisd":
            registry.set_status(
                store, now, actor, registry.CANDIDATES, candidate, how, "via een signaal"
            )
        lapsed = cancel_checkins(store, code)
        store.lapse_omklap_rounds(placement["id"])
        for signal in store.signals_of(candidate=code, open_only=True):
            store.update_signal(
                signal["id"],
                {"closed_by": None, "closed_at": iso_timestamp(now), "outcome": how},
            )
        store.audit(
            actor,
            "plaatsing.beeindigd",
            now,
            "kandidaat",
            code,
            {"woning": placement["dwelling_code"], "hoe": how, "vervallen": lapsed},
        )
        worker = store.find_user(candidate.get("support_worker_id") or 0)
        if (
            lapsed
            and worker is not None
            and worker.telegram_id != actor
            and blocked.is_reachable(store, worker)
        ):
            outbox.queue(
                store,
                now,
                worker.telegram_id,
                f"ℹ️ <b>{code}</b> woont niet meer in woning "
                f"<b>{placement['dwelling_code']}</b> ({HOW[how]}). De check-ins die nog "
                f"open stonden of kwamen ({lapsed}), vervallen.",
                key=f"vertrokken:{placement['id']}:{worker.telegram_id}",
                about=code,
            )
    return True


def cancel_checkins(store: Store, code: str) -> int:
    """The candidate's check-ins still to come or asked lapse; how many. A missed one stays
    missed (it counts against the completion rate); its follow-ups stop with the placement."""
    pending = [c for c in store.checkins_of(candidate=code) if c["state"] in (PLANNED, ASKED)]
    for checkin in pending:
        store.update_checkin(checkin["id"], {"state": CANCELLED})
    return len(pending)
