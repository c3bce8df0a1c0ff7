"""Samen oplossen: a concern or an acute problem at a check-in opens a signal for the
region's matchpunt and the home's corporation contact. One of the partners says "Ik pak dit
op"; whoever closes it says how it ended (opgelost, wijkteam ingeschakeld, alternatief
gezocht, teruggevallen). A signal closed as teruggevallen ends the placement."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from bot.access.names import staff_name, staff_name_html
from bot.access.roles import COORDINATOR, CORPORATION, SUPPORT_WORKER, NotAllowedError
from bot.aftercare import leaving
from bot.aftercare.runner import TOPICS
from bot.aftercare.schedule import label
from bot.decisions import parties
from bot.decisions.reasons import CORPORATION as CORPORATION_SIDE
from bot.messaging import blocked, outbox
from bot.records import registry
from bot.records.lifecycle import changes_by_hand
from bot.records.registry import check_free_text
from bot.storage import NotFoundError, Store, User, iso_timestamp

# Callback data: s|<action>|<signal id>[|<outcome>].
PREFIX = "s"
TAKE, DONE, OUTCOME, NOTE, BACK, VIEW = "p", "a", "o", "n", "b", "v"
KINDS = {"zorgen": "⚠️ Zorgen", "acuut": "🚨 Acuut probleem"}
OUTCOMES = {
    "opgelost": "Opgelost",
    "wijkteam": "Wijkteam ingeschakeld",
    "alternatief": "Alternatief gezocht",
    "teruggevallen": "Teruggevallen",
}


class SignalError(Exception):
    """The press cannot be taken; the message says why, in Dutch."""


def data(action: str, signal_id: int, extra: str = "") -> str:
    return f"{PREFIX}|{action}|{signal_id}" + (f"|{extra}" if extra else "")


def buttons(signal: dict[str, Any]) -> list[list[tuple[str, str]]]:
    """What a signal's message offers while it is open."""
    if signal["closed_at"]:
        return []
    row = [("✅ Afgerond", data(DONE, signal["id"]))]
    if not signal["taken_by"]:
        row.insert(0, ("🙋 Ik pak dit op", data(TAKE, signal["id"])))
    return [row]


def outcome_buttons(signal_id: int) -> list[list[tuple[str, str]]]:
    rows = [[(text, data(OUTCOME, signal_id, key))] for key, text in OUTCOMES.items()]
    return [*rows, [("⬅️ Terug", data(BACK, signal_id))]]


def open_signal(
    store: Store, now: datetime, checkin: dict[str, Any], kind: str, topic: str, topic_text: str
) -> int:
    """In the answer's transaction: the signal, and its message to the matchpunt and the
    corporation (an acute one at once, at any hour). Its id."""
    signal_id, new = store.add_signal(
        {
            "checkin_id": checkin["id"],
            "candidate_code": checkin["candidate_code"],
            "dwelling_code": checkin["dwelling_code"],
            "proposal_id": checkin["proposal_id"],
            "region": checkin["region"],
            "kind": kind,
            "topic": topic,
            "opened_by": checkin["answered_by"],
            "opened_at": iso_timestamp(now),
        }
    )
    if not new:
        return signal_id
    signal = store.signal(signal_id)
    text = (
        f"{KINDS[kind]} bij <b>{checkin['candidate_code']}</b> (woning "
        f"<b>{checkin['dwelling_code']}</b>, check-in {label(checkin['day'])}): {topic_text}.\n"
        "Samen oplossen: bel de woonbegeleider en spreek af wie wat doet. Wie het oppakt, "
        "drukt op ‘Ik pak dit op’."
    )
    for user in partners(store, signal):
        outbox.queue(
            store,
            now,
            user.telegram_id,
            text,
            buttons=buttons(signal),
            urgent=kind == "acuut",
            key=f"signaal:{signal_id}:{user.telegram_id}",
            about=checkin["candidate_code"],
        )
    return signal_id


def partners(store: Store, signal: dict[str, Any]) -> list[User]:
    """Who a signal goes to: the region's coordinators and the home's corporation contact
    (its staff when the contact cannot be reached; the matchpunt when it has nobody)."""
    candidate = store.record("candidates", signal["candidate_code"])
    dwelling = store.record("dwellings", signal["dwelling_code"])
    found = {u.telegram_id: u for u in blocked.coordinators(store, signal["region"])}
    for user in parties.told(store, CORPORATION_SIDE, candidate, dwelling):
        found.setdefault(user.telegram_id, user)
    return list(found.values())


def _support_workers(store: Store, signal: dict[str, Any]) -> list[User]:
    """The support worker who raised it, and the candidate's support worker now."""
    ids = [signal["opened_by"]]
    candidate = store.record("candidates", signal["candidate_code"])
    ids.append(candidate.get("support_worker_id"))
    found = [store.find_user(i) for i in dict.fromkeys(ids) if i is not None]
    return [u for u in found if u is not None and blocked.is_reachable(store, u)]


def _may_act(store: Store, user: User, signal: dict[str, Any]) -> bool:
    if not user.active or user.region != signal["region"]:
        return False
    if user.role == COORDINATOR:
        return True
    if user.role == CORPORATION:
        dwelling = store.record("dwellings", signal["dwelling_code"])
        return user.organisation_id == dwelling["organisation_id"]
    if user.role == SUPPORT_WORKER:
        candidate = store.record("candidates", signal["candidate_code"])
        return user.telegram_id in (signal["opened_by"], candidate.get("support_worker_id"))
    return False


def check(store: Store, user: User, signal_id: int) -> dict[str, Any]:
    """The signal when `user` is one of its partners. Raises NotAllowed, SignalError."""
    try:
        signal = store.signal(signal_id)
    except NotFoundError:
        raise SignalError("Dit signaal bestaat niet (meer).") from None
    if not _may_act(store, user, signal):
        raise NotAllowedError("signaal")
    return signal


def check_open(store: Store, user: User, signal_id: int) -> dict[str, Any]:
    signal = check(store, user, signal_id)
    if signal["closed_at"]:
        raise SignalError(f"Dit signaal is al afgerond ({_outcome(signal['outcome'])}).")
    return signal


def _tell_others(store, now, user, signal, text, key) -> None:
    others = {u.telegram_id: u for u in partners(store, signal)}
    for worker in _support_workers(store, signal):
        others.setdefault(worker.telegram_id, worker)
    for other in others.values():
        if other.telegram_id != user.telegram_id:
            outbox.queue(
                store,
                now,
                other.telegram_id,
                text,
                key=f"{key}:{signal['id']}:{other.telegram_id}",
                about=signal["candidate_code"],
            )


def take(store: Store, now: datetime, user: User, signal_id: int) -> str:
    """ "Ik pak dit op": the caller takes the signal; the other partners are told."""
    with store.db.atomic():
        signal = check_open(store, user, signal_id)
        if signal["taken_by"] == user.telegram_id:
            return "Je had dit signaal al opgepakt; er is niets veranderd."
        if signal["taken_by"]:
            taker = store.find_user(signal["taken_by"])
            who = staff_name(taker) if taker else "een collega"
            raise SignalError(f"{who} pakt dit signaal al op; er is niets veranderd.")
        signal = store.update_signal(
            signal_id, {"taken_by": user.telegram_id, "taken_at": iso_timestamp(now)}
        )
        store.audit(
            user.telegram_id, "signaal.opgepakt", now, "kandidaat", signal["candidate_code"]
        )
        _tell_others(
            store,
            now,
            user,
            signal,
            f"🙋 {staff_name_html(user)} pakt het signaal over <b>{signal['candidate_code']}</b> "
            f"op ({_topic_text(signal)}).",
            "signaal-opgepakt",
        )
    return "Genoteerd: jij pakt dit op. Druk op ‘Afgerond’ als het is opgelost."


def close(store: Store, now: datetime, user: User, signal_id: int, outcome: str) -> str:
    """ "Afgerond" with how it ended; "teruggevallen" ends the placement too (the rest of
    its check-ins lapse). The other partners are told."""
    if outcome not in OUTCOMES:
        raise SignalError("Deze knop is niet meer geldig.")
    with store.db.atomic():
        signal = check(store, user, signal_id)
        if signal["closed_at"] and signal["outcome"] == outcome:
            return "Dit signaal was al zo afgerond; er is niets veranderd."
        signal = check_open(store, user, signal_id)
        signal = store.update_signal(
            signal_id,
            {"closed_by": user.telegram_id, "closed_at": iso_timestamp(now), "outcome": outcome},
        )
        store.audit(
            user.telegram_id,
            "signaal.afgerond",
            now,
            "kandidaat",
            signal["candidate_code"],
            {"uitkomst": outcome},
        )
        candidate = store.record("candidates", signal["candidate_code"])
        may_end = registry.may_change(
            user, registry.CANDIDATES, candidate
        ) and leaving.RETURNED in changes_by_hand("candidates", user.role, candidate["status"])
        left = (
            outcome == "teruggevallen"
            and may_end
            and leaving.left_home(
                store, now, user.telegram_id, signal["candidate_code"], leaving.RETURNED
            )
        )
        if outcome == "teruggevallen" and not may_end:
            # The matchpunt or the field worker ends the placement on the candidate's card.
            for coordinator in blocked.coordinators(store, signal["region"]):
                outbox.queue(
                    store,
                    now,
                    coordinator.telegram_id,
                    f"↩️ {staff_name_html(user)} meldt dat <b>{signal['candidate_code']}</b> is "
                    "teruggevallen. Zet de kandidaat op teruggevallen (kaart in /mijn) als dat "
                    "klopt: dan eindigt de plaatsing.",
                    key=f"signaal-terugval:{signal['id']}:{coordinator.telegram_id}",
                    about=signal["candidate_code"],
                )
        _tell_others(
            store,
            now,
            user,
            signal,
            f"✅ {staff_name_html(user)} heeft het signaal over <b>{signal['candidate_code']}</b> "
            f"afgerond: {OUTCOMES[outcome]} ({_topic_text(signal)}).",
            "signaal-afgerond",
        )
    reply = f"Afgerond: <b>{OUTCOMES[outcome]}</b>. De partners krijgen bericht."
    if left:
        reply += " De plaatsing is beëindigd; de overige check-ins vervallen."
    elif outcome == "teruggevallen":
        reply += " Het matchpunt zet de kandidaat op teruggevallen."
    return reply


def check_note(store: Store, user: User, signal_id: int) -> dict[str, Any]:
    """The signal when `user` raised it and may still add its one note."""
    signal = check_open(store, user, signal_id)
    if user.telegram_id != signal["opened_by"]:
        raise NotAllowedError("toelichting")
    if signal["note"]:
        raise SignalError("Bij dit signaal staat al een toelichting; er is niets veranderd.")
    return signal


def add_note(store: Store, now: datetime, user: User, signal_id: int, text: str) -> str:
    """A short note by the one who raised it (no personal data), sent to the partners."""
    note = check_free_text(text, "De toelichting")
    with store.db.atomic():
        check_note(store, user, signal_id)
        signal = store.update_signal(signal_id, {"note": note})
        store.audit(
            user.telegram_id, "signaal.toelichting", now, "kandidaat", signal["candidate_code"]
        )
        for partner in partners(store, signal):
            outbox.queue(
                store,
                now,
                partner.telegram_id,
                f"📝 Toelichting bij het signaal over <b>{signal['candidate_code']}</b> "
                f"({_topic_text(signal)}): <i>{html.escape(note, quote=False)}</i>",
                buttons=buttons(signal),
                urgent=signal["kind"] == "acuut",
                key=f"signaal-toelichting:{signal_id}:{partner.telegram_id}",
                about=signal["candidate_code"],
            )
    return "De toelichting is doorgestuurd naar het matchpunt en de corporatie."


def open_signals(store: Store, user: User) -> list[dict[str, Any]]:
    """/signalen: the open signals the caller is a partner in, oldest first."""
    return [
        s for s in store.signals_of(region=user.region, open_only=True) if _may_act(store, user, s)
    ]


def card(store: Store, user: User, signal_id: int, now: datetime) -> tuple[str, list]:
    """One signal, as /signalen shows it when pressed, with its buttons."""
    signal = check(store, user, signal_id)
    return "\n".join(describe(store, signal, now)), buttons(signal)


def summary(store: Store, signal: dict[str, Any], now: datetime) -> str:
    """One line of /signalen: code, kind and topic, age, who took it."""
    taker = store.find_user(signal["taken_by"]) if signal["taken_by"] else None
    who = f"opgepakt door {staff_name_html(taker)}" if taker else "nog niet opgepakt"
    return (
        f"{signal['candidate_code']} · {KINDS[signal['kind']]}: {_topic_text(signal)} · "
        f"{_age(signal['opened_at'], now).lower()} · {who}"
    )


def describe(store: Store, signal: dict[str, Any], now: datetime) -> list[str]:
    lines = [
        f"{KINDS[signal['kind']]} bij <b>{signal['candidate_code']}</b> "
        f"(woning {signal['dwelling_code']}): {_topic_text(signal)}",
        f"{_age(signal['opened_at'], now)}.",
    ]
    if signal["note"]:
        lines.append(f"Toelichting: <i>{html.escape(signal['note'], quote=False)}</i>")
    if signal["taken_by"]:
        taker = store.find_user(signal["taken_by"])
        lines.append(f"Opgepakt door {staff_name_html(taker) if taker else 'een oud-collega'}.")
    else:
        lines.append("Nog door niemand opgepakt.")
    if signal["closed_at"]:
        lines.append(f"Afgerond: {_outcome(signal['outcome'])}.")
    return lines


def _outcome(key: str) -> str:
    # A signal still open when the tenant moved on was closed with the placement.
    return OUTCOMES.get(key) or ("Vertrokken (doorgestroomd)" if key == "doorgestroomd" else key)


def _age(opened_at: str, now: datetime) -> str:
    opened = datetime.fromisoformat(opened_at).astimezone(now.tzinfo).date()
    days = (now.date() - opened).days
    if days < 1:
        return "Vandaag gemeld"
    return "1 dag open" if days == 1 else f"{days} dagen open"


def _topic_text(signal: dict[str, Any]) -> str:
    return TOPICS.get(signal["topic"], signal["topic"])
