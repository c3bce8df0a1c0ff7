"""A support worker's answer to a check-in: stored with its time; a concern or an acute
problem, with its topic, goes to the region's coordinators (an acute one at once, at any
hour), so that the partners can solve it together."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.access.roles import COORDINATOR, NotAllowedError
from bot.aftercare import signals
from bot.aftercare.runner import (
    ACUTE,
    ANSWERS,
    BACK,
    CONCERN,
    PREFIX,
    TOPIC,
    TOPICS,
    UNREACHED,
    answer_buttons,
    prompt,
    tell_matchpunt,
)
from bot.aftercare.schedule import label
from bot.knowledge.base import KnowledgeBase
from bot.storage import NotFoundError, Store, User, iso_timestamp
from bot.storage.checkins import ANSWERED, ASKED, CANCELLED, MISSED


class CheckinError(Exception):
    """The answer cannot be taken; the message says why, in Dutch."""


def _checkin(store: Store, user: User, checkin_id: int) -> dict[str, Any]:
    try:
        checkin = store.checkin(checkin_id)
    except NotFoundError:
        raise CheckinError("Deze check-in bestaat niet (meer).") from None
    mine = checkin["recipient_id"] == user.telegram_id
    matchpunt = user.role == COORDINATOR and user.region == checkin["region"]
    if not user.active or not (mine or matchpunt):
        raise NotAllowedError("check-in")
    return checkin


def check(store: Store, user: User, checkin_id: int) -> dict[str, Any]:
    """The check-in when `user` may answer it now. Raises NotAllowed, CheckinError."""
    checkin = _checkin(store, user, checkin_id)
    if checkin["state"] not in (ASKED, MISSED):
        raise CheckinError(
            "Deze check-in is al beantwoord; er is niets veranderd."
            if checkin["state"] == ANSWERED
            else _not_open(checkin)
        )
    return checkin


def prompt_for(
    store: Store, kb: KnowledgeBase, user: User, checkin_id: int
) -> tuple[str, list[list[tuple[str, str]]]]:
    """The check-in's question again, with its buttons (from /checkins)."""
    checkin = check(store, user, checkin_id)
    dwelling = store.record("dwellings", checkin["dwelling_code"])
    names = {m.id: m.name for m in kb.regions[checkin["region"]].municipalities}
    text = prompt(
        checkin,
        names.get(dwelling["municipality"], dwelling["municipality"]),
        dwelling["facts"].get("neighbourhood"),
    )
    return text, answer_buttons(checkin_id)


def topic_buttons(checkin_id: int, answer: str) -> list[list[tuple[str, str]]]:
    rows = [
        [(text, f"{PREFIX}|{TOPIC}|{checkin_id}|{answer}{key}")] for key, text in TOPICS.items()
    ]
    return [*rows, [("⬅️ Terug", f"{PREFIX}|{BACK}|{checkin_id}")]]


def answer(
    store: Store, now: datetime, user: User, checkin_id: int, action: str, topic: str | None = None
) -> tuple[str, list[list[tuple[str, str]]]]:
    """Store the answer (`action` one of `runner.ANSWERS`); a concern needs its topic and
    opens a signal. The same answer again (a redelivered press) changes nothing. The reply,
    in Dutch, and its buttons (a concern offers to add a note)."""
    if action not in ANSWERS:
        raise CheckinError("Deze knop is niet meer geldig.")
    _, value = ANSWERS[action]
    if action in (CONCERN, ACUTE) and topic not in TOPICS:
        raise CheckinError("Kies waar het over gaat.")
    with store.db.atomic():
        checkin = _checkin(store, user, checkin_id)
        if checkin["state"] == ANSWERED:
            if checkin["answer"] == value and checkin["topic"] == topic:
                return "Dit antwoord had je al gegeven; er is niets veranderd.", []
            raise CheckinError("Deze check-in is al beantwoord; er is niets veranderd.")
        if checkin["state"] not in (ASKED, MISSED):
            raise CheckinError(_not_open(checkin))
        checkin = store.update_checkin(
            checkin_id,
            {
                "state": ANSWERED,
                "answer": value,
                "topic": topic,
                "answered_by": user.telegram_id,
                "answered_at": iso_timestamp(now),
            },
        )
        store.audit(
            user.telegram_id,
            "checkin.antwoord",
            now,
            "kandidaat",
            checkin["candidate_code"],
            {"checkin": checkin["number"], "antwoord": value},
        )
        if action == UNREACHED:
            _unreached_twice(store, now, checkin)
        if action not in (CONCERN, ACUTE):
            return f"Opgeslagen: <b>{ANSWERS[action][0]}</b>. Dank je!", []
        signal_id = signals.open_signal(store, now, checkin, value, topic, TOPICS[topic])
    reply = (
        f"Opgeslagen: <b>{ANSWERS[action][0]}</b> ({TOPICS[topic]}). Het matchpunt en de "
        "corporatie krijgen "
        + ("meteen bericht." if action == ACUTE else "bericht om het samen op te lossen.")
        + " Wil je er iets bij vertellen? Voeg een korte toelichting toe (zonder namen)."
    )
    return reply, [[("📝 Toelichting toevoegen", signals.data(signals.NOTE, signal_id))]]


def _not_open(checkin: dict[str, Any]) -> str:
    if checkin["state"] == CANCELLED:
        return "Deze check-in is vervallen: de kandidaat woont er niet meer."
    return "Deze check-in staat nog niet open."


def _unreached_twice(store: Store, now: datetime, checkin: dict[str, Any]) -> None:
    """ "Niet bereikt" twice in a row: the matchpunt is told."""
    earlier = [
        c
        for c in store.checkins_of(candidate=checkin["candidate_code"])
        if c["proposal_id"] == checkin["proposal_id"] and c["number"] == checkin["number"] - 1
    ]
    if earlier and earlier[0]["answer"] == ANSWERS[UNREACHED][1]:
        tell_matchpunt(
            store,
            now,
            checkin,
            f"📵 <b>{checkin['candidate_code']}</b> is twee check-ins na elkaar niet bereikt "
            f"(nu {label(checkin['day'])}). Neem contact op met de woonbegeleider en de "
            "corporatie.",
            key="niet-bereikt",
        )


def open_checkins(store: Store, user: User) -> list[dict[str, Any]]:
    """/checkins: for a support worker their check-ins asked and coming; for a coordinator
    the region's check-ins asked or missed that still wait for an answer."""
    if user.role == COORDINATOR:
        rows = [c for c in store.checkins_of() if c["region"] == user.region]
        return [c for c in rows if c["state"] in (ASKED, MISSED)]
    return [
        c
        for c in store.checkins_of(recipient=user.telegram_id)
        if c["state"] in ("gepland", ASKED, MISSED)
    ]
