"""The check-ins' due work: a check-in whose window opened is asked of its support worker
(through the outbox, on weekdays within the aftercare hours); one whose window closed
unanswered is missed. Each reads the rows' state, so it runs as often as it is woken and
asks each once."""

from __future__ import annotations

from datetime import datetime

from bot.aftercare.schedule import label
from bot.config import AftercareConfig
from bot.decisions.working_days import add_working_days
from bot.messaging import blocked, outbox
from bot.storage import Store, iso_timestamp
from bot.storage.checkins import ASKED, MISSED

# Callback data: c|<action>|<check-in id>[|<topic>].
PREFIX = "c"
GOOD, CONCERN, ACUTE, UNREACHED, TOPIC, BACK = "g", "z", "a", "n", "t", "b"
ANSWERS = {
    GOOD: ("✅ Gaat goed", "goed"),
    CONCERN: ("⚠️ Zorgen", "zorgen"),
    ACUTE: ("🚨 Acuut probleem", "acuut"),
    UNREACHED: ("📵 Niet bereikt", "niet_bereikt"),
}
# What a concern or an acute problem is about.
TOPICS = {
    "huur": "Huur of betalingsachterstand",
    "overlast": "Overlast of buren",
    "gezondheid": "Gezondheid of zorg",
    "netwerk": "Eenzaamheid of netwerk",
    "dagbesteding": "Dagbesteding",
    "anders": "Anders",
}


# How many check-ins are asked in one transaction.
ASK_BATCH = 250


def in_hours(now: datetime, hours: AftercareConfig, span: tuple | None = None) -> bool:
    """A weekday within the hours: the region's own `span` (start, end) or config.yaml's."""
    start, end = span or (hours.start, hours.end)
    return now.weekday() < 5 and start <= now.time() < end


def answer_buttons(checkin_id: int) -> list[list[tuple[str, str]]]:
    pairs = [(text, f"{PREFIX}|{action}|{checkin_id}") for action, (text, _) in ANSWERS.items()]
    return [pairs[:2], pairs[2:]]


def prompt(checkin: dict, municipality: str, neighbourhood: str | None) -> str:
    where = municipality + (f", {neighbourhood}" if neighbourhood else "")
    return (
        f"🏡 <b>Check-in {label(checkin['day'])}</b>: <b>{checkin['candidate_code']}</b> "
        f"({where}).\nHoe gaat het? Kies wat past; bij zorgen of een acuut probleem vraag ik "
        "waar het over gaat."
    )


def ask_due(
    store: Store,
    now: datetime,
    hours: AftercareConfig,
    names: dict[str, str],
    region_hours: dict[str, tuple] | None = None,
) -> int:
    """Ask every check-in whose window is open now, in its region's working hours
    (`region_hours`, else config.yaml's); `names` gives municipality names."""
    region_hours = region_hours or {}
    spans = [None, *region_hours.values()]
    if not any(in_hours(now, hours, span) for span in spans):
        return 0
    due = [
        c
        for c in store.checkins_to_ask(now.date().isoformat())
        if in_hours(now, hours, region_hours.get(c["region"]))
    ]
    homes: dict[str, dict] = {}
    for start in range(0, len(due), ASK_BATCH):
        # A batch per transaction: each check-in is asked with its state change, and a
        # burst after a quiet weekend does not wait for a disk flush per prompt.
        with store.db.atomic():
            for checkin in due[start : start + ASK_BATCH]:
                code = checkin["dwelling_code"]
                if code not in homes:
                    homes[code] = store.record("dwellings", code)
                dwelling = homes[code]
                text = prompt(
                    checkin,
                    names.get(dwelling["municipality"], dwelling["municipality"]),
                    dwelling["facts"].get("neighbourhood"),
                )
                for telegram_id in _recipients(store, checkin):
                    outbox.queue(
                        store,
                        now,
                        telegram_id,
                        text,
                        buttons=answer_buttons(checkin["id"]),
                        key=f"checkin:{checkin['id']}:{telegram_id}",
                        about=checkin["candidate_code"],
                    )
                store.update_checkin(
                    checkin["id"], {"state": ASKED, "asked_at": iso_timestamp(now)}
                )
    return len(due)


def close_missed(store: Store, now: datetime) -> int:
    """Check-ins whose window closed without an answer."""
    missed = store.checkins_past(now.date().isoformat())
    for checkin in missed:
        store.update_checkin(checkin["id"], {"state": MISSED})
    return len(missed)


def _recipients(store: Store, checkin: dict) -> list[int]:
    """The support worker when active; else the region's coordinators."""
    if checkin["recipient_id"] is not None:
        worker = store.find_user(checkin["recipient_id"])
        if worker is not None and blocked.is_reachable(store, worker):
            return [worker.telegram_id]
    return [u.telegram_id for u in blocked.coordinators(store, checkin["region"])]


# An asked check-in unanswered this many working days is reminded, then escalated.
REMIND_AFTER_WORKING_DAYS = 2
ESCALATE_AFTER_WORKING_DAYS = 5


def follow_up(store: Store, now: datetime) -> int:
    """Remind the support worker of a check-in unanswered for two working days, and tell the
    matchpunt after five. How many things were done."""
    done = 0
    for checkin in store.checkins_unanswered():
        asked = datetime.fromisoformat(checkin["asked_at"])
        remind = not checkin["reminded_at"] and now >= add_working_days(
            asked, REMIND_AFTER_WORKING_DAYS
        )
        escalate = not checkin["escalated_at"] and now >= add_working_days(
            asked, ESCALATE_AFTER_WORKING_DAYS
        )
        if not (remind or escalate):
            continue
        with store.db.atomic():
            if remind:
                for telegram_id in _recipients(store, checkin):
                    outbox.queue(
                        store,
                        now,
                        telegram_id,
                        f"⏰ Herinnering: de check-in {label(checkin['day'])} van "
                        f"<b>{checkin['candidate_code']}</b> wacht nog op je antwoord.",
                        buttons=answer_buttons(checkin["id"]),
                        key=f"checkin-herinnering:{checkin['id']}:{telegram_id}",
                        about=checkin["candidate_code"],
                    )
                store.update_checkin(checkin["id"], {"reminded_at": iso_timestamp(now)})
                done += 1
            if escalate:
                tell_matchpunt(
                    store,
                    now,
                    checkin,
                    f"⏳ De check-in {label(checkin['day'])} van "
                    f"<b>{checkin['candidate_code']}</b> is na vijf werkdagen nog niet "
                    "beantwoord. Neem contact op met de woonbegeleider.",
                    key="escalatie",
                )
                store.update_checkin(checkin["id"], {"escalated_at": iso_timestamp(now)})
                done += 1
    return done


def tell_matchpunt(
    store: Store, now: datetime, checkin: dict, text: str, *, key: str, urgent: bool = False
) -> None:
    """A message about a check-in to the region's coordinators."""
    for user in blocked.coordinators(store, checkin["region"]):
        outbox.queue(
            store,
            now,
            user.telegram_id,
            text,
            urgent=urgent,
            key=f"{key}:{checkin['id']}:{user.telegram_id}",
            about=checkin["candidate_code"],
        )
