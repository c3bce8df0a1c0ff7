"""A move's check-in plan: one row per step of the plan, made in the move's transaction."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from bot.access.names import staff_name_html
from bot.access.roles import COORDINATOR, FIELD_WORKER, NotAllowedError
from bot.config import CheckinStep
from bot.knowledge.base import KnowledgeBase
from bot.messaging import blocked, outbox
from bot.records import registry
from bot.storage import Store, User, iso_timestamp
from bot.storage.checkins import PLANNED


def label(day: int) -> str:
    """'3 dagen na verhuizing', '6 weken …', '3 maanden …', '1 jaar …'."""
    if day % 365 == 0:
        years = day // 365
        when = "1 jaar" if years == 1 else f"{years} jaar"
    elif day >= 90 and abs(round(day / 30.4) * 30.4 - day) < 3:
        months = round(day / 30.4)
        when = "1 maand" if months == 1 else f"{months} maanden"
    elif day % 7 == 0:
        weeks = day // 7
        when = "1 week" if weeks == 1 else f"{weeks} weken"
    else:
        when = "1 dag" if day == 1 else f"{day} dagen"
    return f"{when} na verhuizing"


def plan_of(
    kb: KnowledgeBase | None, candidate: dict[str, Any], default: tuple[CheckinStep, ...]
) -> tuple[CheckinStep, ...]:
    """The plan of a candidate who moves in: the region's plan for its uitstroomprofiel, else
    the region's own plan, else `default` (config.yaml)."""
    facts = kb.facts.get(candidate["region"]) if kb is not None else None
    if facts is None:
        return default
    return facts.aftercare.plan_for(candidate["facts"].get("profile"), default)


def plan_checkins(
    store: Store,
    now: datetime,
    proposal: dict[str, Any],
    candidate: dict[str, Any],
    plan: tuple[CheckinStep, ...],
    *,
    first_number: int = 1,
) -> int:
    """The plan of a match that moved in on its move-in date (or today): the rows, asked of
    the candidate's support worker (the matchpunt when there is none). How many."""
    moved = moved_on(proposal, now)
    rows = [
        {
            "candidate_code": candidate["code"],
            "dwelling_code": proposal["dwelling_code"],
            "proposal_id": proposal["id"],
            "region": candidate["region"],
            "number": number,
            "day": step.day,
            "due_on": (moved + timedelta(days=step.day)).isoformat(),
            "opens_on": (moved + timedelta(days=step.day - step.before)).isoformat(),
            "closes_on": (moved + timedelta(days=step.day + step.after)).isoformat(),
            "recipient_id": candidate.get("support_worker_id"),
            "state": PLANNED,
            "created_at": iso_timestamp(now),
        }
        for number, step in enumerate(plan, start=first_number)
    ]
    store.add_checkins(rows)
    return len(rows)


def moved_on(proposal: dict[str, Any], now: datetime | None = None) -> date:
    """The move-in day of a placement: the date entered, else the day the move was recorded,
    else (not moved yet) `now`'s day."""
    if proposal["move_in_on"]:
        return date.fromisoformat(proposal["move_in_on"])
    if proposal.get("moved_at"):
        return datetime.fromisoformat(proposal["moved_at"]).date()
    if now is None:
        raise ValueError(f"proposal {proposal['id']} has not moved in")
    return now.date()


def _steps(rows: list[dict[str, Any]]) -> tuple[CheckinStep, ...]:
    """The plan that made these rows, read back from their dates."""
    steps = []
    for row in rows:
        due = date.fromisoformat(row["due_on"])
        steps.append(
            CheckinStep(
                row["day"],
                (due - date.fromisoformat(row["opens_on"])).days,
                (date.fromisoformat(row["closes_on"]) - due).days,
            )
        )
    return tuple(steps)


def replan(
    store: Store, kb: KnowledgeBase | None, default: tuple[CheckinStep, ...], now: datetime
) -> int:
    """After the plans changed (config.yaml, or a region's file: at start-up and after a
    reload): a placement whose check-ins still to come follow another plan gets them anew
    from its plan now, after the last one already asked (those stay as they are). How many
    placements were planned anew."""
    changed = 0
    for proposal_id, planned in store.planned_checkins().items():
        candidate = store.record("candidates", planned[0]["candidate_code"])
        done_day, done_number = store.checkins_done(proposal_id)
        proposal = store.proposal(proposal_id)
        moved = moved_on(proposal, now)
        # A step after the last one asked, whose window has not closed yet.
        wanted = tuple(
            s
            for s in plan_of(kb, candidate, default)
            if s.day > done_day and moved + timedelta(days=s.day + s.after) >= now.date()
        )
        if wanted == _steps(planned):
            continue
        with store.db.atomic():
            store.drop_planned_checkins(proposal_id)
            plan_checkins(
                store,
                now,
                proposal,
                candidate,
                wanted,
                first_number=done_number + 1,
            )
        changed += 1
    return changed


def readdress(store: Store, code: str, support_worker_id: int | None) -> int:
    """The candidate's support worker changed: the check-ins not answered yet go to the new
    one (the matchpunt when there is none). How many."""
    return store.readdress_checkins(code, support_worker_id)


def support_worker_options(store: Store, user: User, code: str) -> list[User]:
    """Who may take over a moved-in candidate's check-ins: the support workers of its
    support organisation, but the current one. Raises NotAllowed, NotFound."""
    candidate = _movable(store, user, code)
    return [
        u
        for u in registry.support_workers(
            store, candidate["region"], candidate.get("support_organisation_id")
        )
        if u.telegram_id != candidate.get("support_worker_id")
    ]


def change_support_worker(
    store: Store, now: datetime, user: User, code: str, worker_id: int
) -> str:
    """A moved-in candidate gets another support worker: the check-ins not answered yet go
    to them; the new and the former support worker are told. The reply, in Dutch."""
    with store.db.atomic():
        candidate = _movable(store, user, code)
        if candidate.get("support_worker_id") == worker_id:
            return "Dit was al de woonbegeleider; er is niets veranderd."
        worker = next(
            (u for u in support_worker_options(store, user, code) if u.telegram_id == worker_id),
            None,
        )
        if worker is None:
            raise NotAllowedError("woonbegeleider")
        former = candidate.get("support_worker_id")
        store.update_record(
            "candidates",
            code,
            {
                "support_worker_id": worker_id,
                "facts": {**candidate["facts"], "support_worker": str(worker_id)},
                "updated_at": iso_timestamp(now),
            },
        )
        moved = store.readdress_checkins(code, worker_id)
        store.audit(
            user.telegram_id,
            "kandidaat.woonbegeleider",
            now,
            "kandidaat",
            code,
            {"checkins": moved},
        )
        outbox.queue(
            store,
            now,
            worker_id,
            f"👤 Je bent nu de woonbegeleider van <b>{code}</b>: de check-ins na de verhuizing "
            f"komen naar jou ({moved} open of gepland). Zie /checkins.",
            key=f"woonbegeleider:{code}:{worker_id}:{now.date()}",
            about=code,
        )
        old = store.find_user(former) if former else None
        if old is not None and blocked.is_reachable(store, old):
            outbox.queue(
                store,
                now,
                old.telegram_id,
                f"👤 De check-ins van <b>{code}</b> gaan vanaf nu naar {staff_name_html(worker)}.",
                key=f"woonbegeleider-weg:{code}:{old.telegram_id}:{now.date()}",
                about=code,
            )
    return (
        f"Opgeslagen: {staff_name_html(worker)} is nu de woonbegeleider; {moved} check-ins "
        "gaan mee."
    )


def _movable(store: Store, user: User, code: str) -> dict[str, Any]:
    candidate = store.record("candidates", code)
    if user.role not in (COORDINATOR, FIELD_WORKER) or not registry.may_change(
        user, registry.CANDIDATES, candidate
    ):
        raise NotAllowedError(code)
    if candidate["status"] != "verhuisd":
        raise NotAllowedError(f"{code}: {candidate['status']}")
    return candidate
