"""The decision workflow's due work, run by the due-work runner: reminders halfway to a
proposal's deadline, a stall at the deadline (escalated to the matchpunt), one morning digest
per coordinator, and the move on a match's move-in date. Each reads the rows and their own
marks (`reminded_at`, `stalled_at`, `moved_at`), so it runs as often as it is woken and does
each thing once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.access.names import staff_name
from bot.aftercare import omklap
from bot.aftercare.schedule import plan_checkins, plan_of
from bot.config import DEFAULT_PLAN, CheckinStep, QuietHours
from bot.decisions import notices, parties
from bot.decisions.reasons import SIDES, col
from bot.knowledge.base import KnowledgeBase
from bot.messaging import outbox
from bot.messaging.hours import is_working_time
from bot.records import registry
from bot.records.registry import CANDIDATES, DWELLINGS
from bot.storage import Store, iso_timestamp


def _at(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def proposal_deadlines(store: Store, now: datetime) -> int:
    """Remind the parties that have not answered, halfway; at the deadline mark the proposal
    stalled and tell the matchpunt. How many things were done."""
    done = 0
    for proposal in store.proposals_with_status("open"):
        if any(proposal[col(side, "answer")] == "nee" for side in SIDES):
            continue  # with the matchpunt already
        missing = [side for side in SIDES if proposal[col(side, "answer")] is None]
        if not missing or proposal["deadline_at"] is None:
            continue
        deadline = _at(proposal["deadline_at"])
        remind = not proposal["reminded_at"] and _at(proposal["remind_at"]) <= now < deadline
        stall = not proposal["stalled_at"] and deadline <= now
        if not (remind or stall):
            continue  # nothing due: no transaction, no lock
        candidate = store.record("candidates", proposal["candidate_code"])
        dwelling = store.record("dwellings", proposal["dwelling_code"])
        with store.db.atomic():
            if remind:
                for side in missing:
                    for user in parties.told(store, side, candidate, dwelling):
                        outbox.queue(
                            store,
                            now,
                            user.telegram_id,
                            notices.reminder(proposal, deadline.astimezone(now.tzinfo)),
                            # A deadline renewed (sent back) brings its own reminder.
                            key=f"herinnering:{proposal['id']}:{side}:"
                            f"{proposal['deadline_at']}:{user.telegram_id}",
                            about=candidate["code"],
                        )
                store.update_proposal(proposal["id"], {"reminded_at": iso_timestamp(now)})
                done += 1
            if stall:
                store.update_proposal(proposal["id"], {"stalled_at": iso_timestamp(now)})
                store.audit(
                    "system",
                    "voordracht.vastgelopen",
                    now,
                    "kandidaat",
                    candidate["code"],
                    {"woning": dwelling["code"]},
                )
                for coordinator in parties.coordinators(store, proposal["region"]):
                    outbox.queue(
                        store,
                        now,
                        coordinator.telegram_id,
                        notices.stalled(
                            proposal,
                            [
                                (
                                    side,
                                    [
                                        staff_name(u)
                                        for u in parties.told(store, side, candidate, dwelling)
                                    ],
                                )
                                for side in missing
                            ],
                        ),
                        buttons=[[("🚫 Voordracht intrekken", f"b|i|{proposal['id']}")]],
                        key=f"vastgelopen:{proposal['id']}:{proposal['deadline_at']}:"
                        f"{coordinator.telegram_id}",
                        about=candidate["code"],
                    )
                done += 1
    return done


def morning_digest(store: Store, now: datetime, quiet: QuietHours) -> int:
    """Once a working day, the first time the work runs in working hours: each coordinator
    gets, in one message, the region's proposals past their deadline and the declines that
    wait for the matchpunt's decision."""
    if not is_working_time(now, quiet):
        return 0
    by_region: dict[str, tuple[list, list]] = {}
    for proposal in store.proposals_with_status("open"):
        stalled, declined = by_region.setdefault(proposal["region"], ([], []))
        if any(proposal[col(side, "answer")] == "nee" for side in SIDES):
            declined.append(proposal)
        elif proposal["stalled_at"]:
            stalled.append((proposal, (now - _at(proposal["created_at"])).days))
    queued = 0
    for region, (stalled, declined) in by_region.items():
        if not (stalled or declined):
            continue
        for coordinator in parties.coordinators(store, region):
            found = outbox.queue(
                store,
                now,
                coordinator.telegram_id,
                notices.digest(stalled, declined),
                key=f"overzicht:{now.date().isoformat()}:{coordinator.telegram_id}",
            )
            queued += found is not None
    return queued


def move_ins(
    store: Store,
    now: datetime,
    plan: tuple[CheckinStep, ...] = DEFAULT_PLAN,
    kb: KnowledgeBase | None = None,
) -> int:
    """Matches whose move-in date has come: each moves in (`move_in`)."""
    today = now.date().isoformat()
    moved = 0
    for proposal in store.proposals_with_status("geaccepteerd"):
        if not proposal["move_in_on"] or proposal["moved_at"] or proposal["move_in_on"] > today:
            continue
        move_in(store, now, proposal, "system", plan, kb)
        moved += 1
    return moved


def move_in(
    store: Store,
    now: datetime,
    proposal: dict[str, Any],
    actor: int | str,
    plan: tuple[CheckinStep, ...] = DEFAULT_PLAN,
    kb: KnowledgeBase | None = None,
) -> None:
    """The candidate of a match has moved in (its date came, or the corporation marked the
    home let): the candidate becomes `verhuisd`, the dwelling `verhuurd`, the parties are
    told, and the soft landing's check-ins are planned: `plan`, unless the region's file
    (in `kb`) gives its own, or one for the candidate's uitstroomprofiel."""
    candidate = store.record("candidates", proposal["candidate_code"])
    dwelling = store.record("dwellings", proposal["dwelling_code"])
    with store.db.atomic():
        if candidate["status"] == "gematcht":
            registry.set_status(store, now, actor, CANDIDATES, candidate, "verhuisd", None)
        if dwelling["status"] == "toegewezen":
            registry.set_status(store, now, actor, DWELLINGS, dwelling, "verhuurd", None)
        store.update_proposal(proposal["id"], {"moved_at": iso_timestamp(now)})
        store.audit(
            actor,
            "voordracht.verhuisd",
            now,
            "kandidaat",
            candidate["code"],
            {"woning": dwelling["code"]},
        )
        told = [
            user for side in SIDES for user in parties.told(store, side, candidate, dwelling)
        ] + parties.coordinators(store, proposal["region"])
        for user in {u.telegram_id: u for u in told}.values():
            if user.telegram_id == actor:
                continue
            outbox.queue(
                store,
                now,
                user.telegram_id,
                notices.moved(proposal),
                key=f"verhuisd:{proposal['id']}:{user.telegram_id}",
                about=candidate["code"],
            )
        steps = plan_of(kb, candidate, plan)
        moved = store.proposal(proposal["id"])
        plan_checkins(store, now, moved, candidate, steps)
        omklap.plan_rounds(store, now, moved, dwelling, omklap.rules_of(kb, candidate["region"]))
