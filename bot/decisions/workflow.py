"""The decision workflow on stored records, each step checking the caller.

- `proposal_made`: after `matchpunt.propose`, the deadline and reminder moment are set and
  both parties get the proposal with "Akkoord" and "Niet akkoord";
- `answer`: a party's yes, or no with a reason from its role's list (and a note for
  "Anders"); two yeses make a match (the address goes to both parties, the corporation is
  asked for the move-in date); a no goes to the coordinators;
- `confirm_decline` (the pair is never proposed again; the home goes to the next
  candidate), `send_back` (the party is asked again, with a note), `withdraw`;
- `set_move_in`: the corporation's move-in date; on that day `due.move_ins` moves them;
- `offer_dwelling`: a reported home's best candidates to the matchpunt, or, when the region
  lets the bot propose directly, the first of them proposed.

Everything a step sends goes through the outbox in the step's own transaction, with a key,
so a step that arrives twice (a redelivered button press) changes and sends nothing twice.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from bot.access.roles import COORDINATOR, FIELD_WORKER, NotAllowedError
from bot.aftercare import leaving, schedule
from bot.config import DEFAULT_PLAN, CheckinStep
from bot.decisions import due, notices, parties
from bot.decisions.reasons import (
    CARE,
    CORPORATION,
    OTHER,
    OTHER_BUTTON,
    REASONS,
    SIDE_LABELS,
    SIDES,
    col,
    label,
)
from bot.decisions.working_days import add_working_days
from bot.knowledge.base import KnowledgeBase
from bot.matching import matchpunt
from bot.messaging import outbox
from bot.records import drafts, registry
from bot.records.cards import card_lines
from bot.records.registry import CANDIDATES, DWELLINGS, check_free_text
from bot.storage import NotFoundError, Store, User, iso_timestamp

# Callback data of the workflow's buttons: b|<action>|<proposal id>[|<side letter>[|reason]].
PREFIX = "b"
YES, NO, REASON, CONFIRM, SEND_BACK, WITHDRAW, MOVE_IN = "j", "n", "r", "k", "t", "i", "m"
TOP_OFFERED = 3
# A move-in date further than this is more likely a date meant for this year than one a
# year away ("2-1" typed on 5 January): it is asked again.
MAX_MOVE_IN_DAYS = 183
# How far back a move-in date may be corrected after the move (days).
MAX_CORRECTION_DAYS = 92
SYSTEM = "system"
OPEN, ACCEPTED, DECLINED, WITHDRAWN = "open", "geaccepteerd", "afgewezen", "ingetrokken"
# Statuses of a tenant who left the home: the placement ends.
LEFT_HOME = (leaving.RETURNED, leaving.MOVED_ON)
STATUS_LABELS = {
    ACCEPTED: "geaccepteerd",
    DECLINED: "afgewezen",
    WITHDRAWN: "ingetrokken",
    "vervallen": "vervallen",
}


class DecisionError(Exception):
    """The step cannot be taken now; the message says why, in Dutch."""


class RetryableError(DecisionError):
    """What was typed cannot be used (no note, a date in the past): ask again."""


def data(action: str, proposal_id: int, *rest: str) -> str:
    return "|".join((PREFIX, action, str(proposal_id), *rest))


def answer_buttons(proposal_id: int, side: str) -> list[list[tuple[str, str]]]:
    letter = parties.LETTER_OF_SIDE[side]
    return [
        [
            ("✅ Akkoord", data(YES, proposal_id, letter)),
            ("❌ Niet akkoord", data(NO, proposal_id, letter)),
        ]
    ]


def reason_buttons(proposal_id: int, side: str) -> list[list[tuple[str, str]]]:
    letter = parties.LETTER_OF_SIDE[side]
    return [
        [(OTHER_BUTTON if key == OTHER else text, data(REASON, proposal_id, letter, key))]
        for key, text in REASONS[side].items()
    ]


# --- reading ---------------------------------------------------------------------------------


def _load(store: Store, proposal_id: int) -> tuple[dict, dict, dict]:
    try:
        proposal = store.proposal(proposal_id)
        candidate = store.record("candidates", proposal["candidate_code"])
        dwelling = store.record("dwellings", proposal["dwelling_code"])
    except NotFoundError:
        raise DecisionError("Deze voordracht bestaat niet (meer).") from None
    return proposal, candidate, dwelling


def _coordinator(user: User, proposal: dict[str, Any]) -> None:
    if not (user.active and user.role == COORDINATOR and user.region == proposal["region"]):
        raise NotAllowedError("matchpunt")


def _still_open(proposal: dict[str, Any]) -> None:
    if proposal["status"] != OPEN:
        shown = STATUS_LABELS.get(proposal["status"], proposal["status"])
        raise DecisionError(f"Deze voordracht is al {shown}; er is niets veranderd.")


def party_side(store: Store, user: User, proposal_id: int, side: str) -> dict[str, Any]:
    """The open proposal when `user` may answer it for `side`. Raises NotAllowed (a forged
    or foreign button), DecisionError (gone, closed)."""
    proposal, candidate, dwelling = _load(store, proposal_id)
    if side not in SIDES or parties.side_of(store, user, candidate, dwelling, side) is None:
        raise NotAllowedError("voordracht")
    _still_open(proposal)
    return proposal


# --- a proposal is made ----------------------------------------------------------------------


def proposal_made(store: Store, kb: KnowledgeBase, now: datetime, proposal: dict) -> None:
    """Set the deadline (the region's working days) and the reminder (halfway), and send
    the proposal to both parties. Runs in the proposal's transaction."""
    rules = kb.facts[proposal["region"]].allocation_rules.decision
    deadline = add_working_days(now, rules.deadline_working_days)
    remind = now + (deadline - now) / 2
    proposal = store.update_proposal(
        proposal["id"],
        {"deadline_at": iso_timestamp(deadline), "remind_at": iso_timestamp(remind)},
    )
    candidate = store.record("candidates", proposal["candidate_code"])
    dwelling = store.record("dwellings", proposal["dwelling_code"])
    for side in SIDES:
        for user in parties.told(store, side, candidate, dwelling):
            facts = _facts_for(store, kb, user, side, candidate, dwelling, now.date())
            outbox.queue(
                store,
                now,
                user.telegram_id,
                notices.proposed(side, proposal, facts, deadline),
                buttons=answer_buttons(proposal["id"], side),
                key=f"voordracht:{proposal['id']}:{side}:{user.telegram_id}",
                about=proposal["candidate_code"],
            )


def _facts_for(store, kb, user, side, candidate, dwelling, today: date) -> list[str]:
    """What each side sees: the care side the home, the corporation the candidate's
    matching facts (never bottlenecks or notes)."""
    if side == CARE:
        return notices.home_lines(dwelling, drafts.form_context(store, kb, user, DWELLINGS, today))
    ctx = drafts.form_context(store, kb, user, CANDIDATES, today)
    lines = card_lines(candidate, "candidates", user, ctx, {})
    return [line for line in lines if not line.startswith(("Status:", "Notitie:"))]


def propose(
    store: Store,
    kb: KnowledgeBase,
    now: datetime,
    user: User,
    candidate_code: str,
    dwelling_code: str,
    *,
    cap_reason: str | None = None,
) -> dict[str, Any]:
    """The matchpunt proposes (`matchpunt.propose`, with its checks) and both parties are
    told, in one transaction. Returns the proposal."""
    with store.db.atomic():
        proposal = matchpunt.propose(
            store, kb, now, user, candidate_code, dwelling_code, cap_reason=cap_reason
        )
        proposal_made(store, kb, now, proposal)
    return store.proposal(proposal["id"])


# --- a party answers ---------------------------------------------------------------------------


def answer(
    store: Store,
    kb: KnowledgeBase,
    now: datetime,
    user: User,
    proposal_id: int,
    side: str,
    yes: bool,
    reason: str | None = None,
    note: str | None = None,
) -> str:
    """Record `user`'s answer for `side`; the reply for them (Dutch HTML). The same answer
    again (a redelivered press) changes nothing. Raises NotAllowed, DecisionError,
    InvalidRecordError (a note with personal data)."""
    wanted = "ja" if yes else "nee"
    clean_note = None
    if not yes:
        if side in REASONS and reason not in REASONS[side]:
            raise DecisionError("Kies een reden uit de lijst.")
        if reason == OTHER and not (note or "").strip():
            raise RetryableError("Geef een korte toelichting.")
        if note:
            clean_note = check_free_text(note, "De toelichting")
    with store.db.atomic():  # the checks and the change as one step
        proposal, candidate, dwelling = _load(store, proposal_id)
        if side not in SIDES or parties.side_of(store, user, candidate, dwelling, side) is None:
            raise NotAllowedError("voordracht")
        given = proposal[col(side, "answer")]
        if given is not None:
            if given == wanted:
                return _already(proposal, given)
            raise DecisionError(
                f"Je hebt al ‘{_answer_label(given)}’ geantwoord op deze voordracht; er is niets "
                "veranderd."
            )
        _still_open(proposal)
        proposal = store.update_proposal(
            proposal_id,
            {
                col(side, "answer"): wanted,
                col(side, "reason"): None if yes else reason,
                col(side, "note"): clean_note,
                col(side, "by"): user.telegram_id,
                col(side, "at"): iso_timestamp(now),
            },
        )
        store.audit(
            user.telegram_id,
            "voordracht.antwoord",
            now,
            "kandidaat",
            proposal["candidate_code"],
            {"woning": proposal["dwelling_code"], "kant": side, "antwoord": wanted},
        )
        if not yes:
            _tell_coordinators_of_decline(store, now, proposal, side)
            why = notices.esc(label(side, reason))
            return (
                f"Je antwoord is opgeslagen: <b>niet akkoord</b> ({why}). Het matchpunt bekijkt "
                "het en laat het je weten."
            )
        other = CORPORATION if side == CARE else CARE
        if proposal[col(other, "answer")] == "ja":
            _match(store, now, user, proposal, candidate, dwelling)
            return (
                "Je antwoord is opgeslagen: <b>akkoord</b>. Beide partijen zijn akkoord: het is "
                "een match! 🎉"
            )
    if proposal[col(other, "answer")] == "nee":
        return (
            f"Je antwoord is opgeslagen: <b>akkoord</b>. {SIDE_LABELS[other].capitalize()} ging "
            "niet akkoord; het matchpunt beslist hoe het verder gaat."
        )
    return (
        f"Je antwoord is opgeslagen: <b>akkoord</b>. Nu wacht de voordracht nog op "
        f"{SIDE_LABELS[other]}."
    )


def _answer_label(given: str) -> str:
    return "akkoord" if given == "ja" else "niet akkoord"


def _already(proposal: dict[str, Any], given: str) -> str:
    return f"Je had al ‘{_answer_label(given)}’ geantwoord; er is niets veranderd."


def _tell_coordinators_of_decline(store, now, proposal, side) -> None:
    answered = proposal[col(side, "at")]
    letter = parties.LETTER_OF_SIDE[side]
    for coordinator in parties.coordinators(store, proposal["region"]):
        outbox.queue(
            store,
            now,
            coordinator.telegram_id,
            notices.declined(proposal, side),
            buttons=[
                [("✅ Bevestigen, volgende kandidaat", data(CONFIRM, proposal["id"], letter))],
                [("↩️ Terugsturen met notitie", data(SEND_BACK, proposal["id"], letter))],
            ],
            key=f"nee:{proposal['id']}:{side}:{answered}:{coordinator.telegram_id}",
            about=proposal["candidate_code"],
        )


def _match(store, now, user, proposal, candidate, dwelling) -> None:
    """Both said yes: the proposal is accepted, the candidate matched, the home assigned (a
    placement). Both parties get the address; the corporation is asked for the date."""
    store.close_proposal(proposal["id"], ACCEPTED, now)
    registry.set_status(store, now, user.telegram_id, CANDIDATES, candidate, "gematcht", None)
    registry.set_status(store, now, user.telegram_id, DWELLINGS, dwelling, "toegewezen", None)
    store.audit(
        user.telegram_id,
        "voordracht.geaccepteerd",
        now,
        "kandidaat",
        candidate["code"],
        {"woning": dwelling["code"]},
    )
    address = dwelling.get("street_address")
    for side in SIDES:
        for party in parties.told(store, side, candidate, dwelling):
            ask = side == CORPORATION
            outbox.queue(
                store,
                now,
                party.telegram_id,
                notices.matched(proposal, address, ask),
                buttons=[[("📅 Verhuisdatum invullen", data(MOVE_IN, proposal["id"]))]]
                if ask
                else (),
                key=f"match:{proposal['id']}:{party.telegram_id}",
                about=candidate["code"],
            )
    for coordinator in parties.coordinators(store, proposal["region"]):
        outbox.queue(
            store,
            now,
            coordinator.telegram_id,
            notices.matched(proposal, None, False),
            key=f"match:{proposal['id']}:{coordinator.telegram_id}",
            about=candidate["code"],
        )


# --- the matchpunt settles a decline, or withdraws ---------------------------------------------


def _declined(proposal: dict[str, Any], side: str | None) -> str:
    """The side whose decline the matchpunt acts on: the one named (a button says which),
    or the only one that declined."""
    declined = [s for s in SIDES if proposal[col(s, "answer")] == "nee"]
    if side is not None:
        if side not in declined:
            raise DecisionError("Deze partij heeft niet afgewezen; er is niets veranderd.")
        return side
    if not declined:
        raise DecisionError("Deze voordracht is niet afgewezen; er is niets te bevestigen.")
    return declined[0]


def confirm_decline(
    store: Store,
    kb: KnowledgeBase,
    now: datetime,
    user: User,
    proposal_id: int,
    side: str | None = None,
) -> str:
    """The matchpunt confirms a decline: the pair is never proposed again, both wait again,
    both parties are told (without the other side's reason), and the home goes to the next
    candidate."""
    with store.db.atomic():
        proposal, candidate, dwelling = _load(store, proposal_id)
        _coordinator(user, proposal)
        if proposal["status"] == DECLINED:
            return "Deze afwijzing was al bevestigd; er is niets veranderd."
        _still_open(proposal)
        side = _declined(proposal, side)
        why = f"niet akkoord van {SIDE_LABELS[side]}"
        _close(store, now, user, proposal, candidate, dwelling, DECLINED, why)
        store.audit(
            user.telegram_id,
            "voordracht.afwijzing_bevestigd",
            now,
            "kandidaat",
            candidate["code"],
            {"woning": dwelling["code"], "kant": side},
        )
        offered = offer_dwelling(store, kb, now, store.record("dwellings", dwelling["code"]))
    return f"✅ Afwijzing bevestigd: {proposal['candidate_code']} wacht weer. {offered}".rstrip()


def check_send_back(store: Store, user: User, proposal_id: int, side: str | None = None) -> None:
    """Whether `user` may send this decline back (before asking for the note)."""
    proposal, _, _ = _load(store, proposal_id)
    _coordinator(user, proposal)
    _still_open(proposal)
    _declined(proposal, side)


def check_withdraw(store: Store, user: User, proposal_id: int) -> tuple[str, str]:
    """Whether `user` may withdraw the proposal; its candidate and dwelling codes."""
    proposal, _, _ = _load(store, proposal_id)
    _coordinator(user, proposal)
    _still_open(proposal)
    return proposal["candidate_code"], proposal["dwelling_code"]


def send_back(
    store: Store,
    kb: KnowledgeBase,
    now: datetime,
    user: User,
    proposal_id: int,
    note: str,
    side: str | None = None,
) -> str:
    """The matchpunt does not accept the decline: the declining party is asked again, with
    a new deadline (and its reminder)."""
    if not (note or "").strip():
        raise RetryableError("Geef een korte notitie voor de partij.")
    clean = check_free_text(note, "De notitie")
    with store.db.atomic():
        proposal, candidate, dwelling = _load(store, proposal_id)
        _coordinator(user, proposal)
        _still_open(proposal)
        side = _declined(proposal, side)
        rules = kb.facts[proposal["region"]].allocation_rules.decision
        deadline = add_working_days(now, rules.deadline_working_days)
        proposal = store.update_proposal(
            proposal_id,
            {
                col(side, "answer"): None,
                col(side, "reason"): None,
                col(side, "note"): None,
                col(side, "at"): None,
                "deadline_at": iso_timestamp(deadline),
                "remind_at": iso_timestamp(now + (deadline - now) / 2),
                "reminded_at": None,
                "stalled_at": None,
            },
        )
        store.audit(
            user.telegram_id,
            "voordracht.teruggestuurd",
            now,
            "kandidaat",
            candidate["code"],
            {"woning": dwelling["code"], "kant": side},
        )
        for party in parties.told(store, side, candidate, dwelling):
            outbox.queue(
                store,
                now,
                party.telegram_id,
                notices.sent_back(proposal, clean, deadline),
                buttons=answer_buttons(proposal_id, side),
                key=f"terug:{proposal_id}:{side}:{iso_timestamp(now)}:{party.telegram_id}",
                about=candidate["code"],
            )
    return f"↩️ Teruggestuurd naar {SIDE_LABELS[side]}, met je notitie."


def withdraw(store: Store, kb: KnowledgeBase, now: datetime, user: User, proposal_id: int) -> str:
    """The matchpunt withdraws an open proposal: both wait again, both parties are told,
    and the home is offered again (without the candidate just withdrawn)."""
    with store.db.atomic():
        proposal, candidate, dwelling = _load(store, proposal_id)
        _coordinator(user, proposal)
        if proposal["status"] == WITHDRAWN:
            return "Deze voordracht was al ingetrokken; er is niets veranderd."
        _still_open(proposal)
        _close(
            store,
            now,
            user,
            proposal,
            candidate,
            dwelling,
            WITHDRAWN,
            "ingetrokken door het matchpunt",
        )
        store.audit(
            user.telegram_id,
            "voordracht.ingetrokken",
            now,
            "kandidaat",
            candidate["code"],
            {"woning": dwelling["code"]},
        )
        offer_dwelling(
            store, kb, now, store.record("dwellings", dwelling["code"]), but=candidate["code"]
        )
    return (
        f"✅ De voordracht van {proposal['candidate_code']} voor {proposal['dwelling_code']} is "
        "ingetrokken."
    )


def _close(store, now, user, proposal, candidate, dwelling, status, why) -> None:
    store.update_proposal(
        proposal["id"],
        {"status": status, "closed_at": iso_timestamp(now), "decided_by": user.telegram_id},
    )
    if candidate["status"] == "voorgedragen":
        registry.set_status(store, now, user.telegram_id, CANDIDATES, candidate, "aangemeld", None)
    if dwelling["status"] == "voorgedragen":
        registry.set_status(store, now, user.telegram_id, DWELLINGS, dwelling, "beschikbaar", None)
    text = notices.ended(proposal, why)
    for side in SIDES:
        for party in parties.told(store, side, candidate, dwelling):
            outbox.queue(
                store,
                now,
                party.telegram_id,
                text,
                key=f"einde:{proposal['id']}:{party.telegram_id}",
                about=candidate["code"],
            )


# --- after the match ------------------------------------------------------------------------


def check_move_in(store: Store, user: User, proposal_id: int) -> tuple[dict, dict, dict]:
    """The match when `user` may enter its move-in date now (before asking for it)."""
    proposal, candidate, dwelling = _load(store, proposal_id)
    is_coordinator = user.active and user.role == COORDINATOR and user.region == proposal["region"]
    if (
        not is_coordinator
        and parties.side_of(store, user, candidate, dwelling, CORPORATION) is None
    ):
        raise NotAllowedError("verhuisdatum")
    if proposal["status"] != ACCEPTED or proposal["left_on"]:
        raise DecisionError("Voor deze voordracht kun je geen verhuisdatum (meer) invullen.")
    return proposal, candidate, dwelling


def correctable_move_in(store: Store, user: User, dwelling: dict[str, Any]) -> int | None:
    """The placement in this home whose move-in date `user` may still correct (the
    corporation, the matchpunt), for a card to offer "Verhuisdatum corrigeren"."""
    for proposal in store.proposals_of_dwelling(dwelling["code"], ACCEPTED):
        if proposal["moved_at"] and not proposal["left_on"]:
            try:
                check_move_in(store, user, proposal["id"])
            except (NotAllowedError, DecisionError):
                return None
            return proposal["id"]
    return None


def set_move_in(store: Store, now: datetime, user: User, proposal_id: int, day: date) -> str:
    """The corporation (or the matchpunt) enters the move-in date of a match; the others
    are told (again, when it changes). After the move it corrects the date (within the last
    `MAX_CORRECTION_DAYS`): the check-ins and omklap rounds still to come move with it."""
    today = now.date()
    with store.db.atomic():
        proposal, candidate, dwelling = check_move_in(store, user, proposal_id)
        if proposal["moved_at"]:
            if not today - timedelta(days=MAX_CORRECTION_DAYS) <= day <= today:
                raise RetryableError(
                    "Na de verhuizing corrigeer je de datum naar een dag in de afgelopen drie "
                    "maanden, en niet later dan vandaag."
                )
        elif day < today:
            raise RetryableError("Die datum is al voorbij.")
        elif day > today + timedelta(days=MAX_MOVE_IN_DAYS):
            raise RetryableError(
                f"Dat is {notices.format_date(day)}: meer dan een half jaar vooruit. Typ een "
                "datum binnen een half jaar, of vul de datum later in."
            )
        before = schedule.moved_on(proposal, now)
        proposal = store.update_proposal(proposal_id, {"move_in_on": day.isoformat()})
        if proposal["moved_at"] and day != before:
            store.shift_aftercare(proposal_id, (day - before).days)
        store.audit(
            user.telegram_id,
            "voordracht.verhuisdatum",
            now,
            "kandidaat",
            candidate["code"],
            {"woning": dwelling["code"], "datum": day.isoformat()},
        )
        told = [u for s in SIDES for u in parties.told(store, s, candidate, dwelling)]
        told += parties.coordinators(store, proposal["region"])
        for party in {u.telegram_id: u for u in told}.values():
            if party.telegram_id != user.telegram_id:
                outbox.queue(
                    store,
                    now,
                    party.telegram_id,
                    notices.move_in_set(proposal, day),
                    key=f"datum:{proposal_id}:{day.isoformat()}:{iso_timestamp(now)}:"
                    f"{party.telegram_id}",
                    about=candidate["code"],
                )
    return f"📅 Verhuisdatum opgeslagen: {notices.format_date(day)}."


# --- a home to offer -------------------------------------------------------------------------


def _best(store: Store, kb: KnowledgeBase, now: datetime, dwelling: dict, but: str | None) -> list:
    """The ranking for a home without the pairs declined before, and without `but` (the
    candidate just withdrawn from it)."""
    ranked, _, _ = matchpunt.ranking_of(store, kb, DWELLINGS, dwelling, now)
    declined = store.declined_pairs(dwelling["region"])
    return [r for r in ranked if (r.code, dwelling["code"]) not in declined and r.code != but]


def _offer_message(
    store: Store,
    kb: KnowledgeBase,
    now: datetime,
    user: User,
    dwelling: dict,
    ranked: list,
    title: str | None = None,
) -> tuple[str, list[list[tuple[str, str]]]]:
    code = dwelling["code"]
    if title is None:
        proposals = store.proposals_of_dwelling(code)
        title = (
            f"Woning {code} zoekt een nieuwe kandidaat" if proposals else f"Nieuwe woning {code}"
        )
    home = notices.home_lines(dwelling, drafts.form_context(store, kb, user, DWELLINGS, now.date()))
    top = ranked[:TOP_OFFERED]
    text = notices.offer(code, home, [(r.code, r.score, r.reasons) for r in top], title)
    buttons = [[(f"Voordragen: {r.code}", f"m|P|{r.code}|{code}")] for r in top]
    return text, buttons


def best_candidates(
    store: Store, kb: KnowledgeBase, now: datetime, user: User, dwelling_code: str
) -> tuple[str, list[list[tuple[str, str]]]]:
    """For the matchpunt, from a home's card: its best candidates with a "Voordragen" button
    each (the message a reported home brings). Raises NotAllowed, NotFound."""
    if not (user.active and user.role == COORDINATOR):
        raise NotAllowedError("matchpunt")
    dwelling = registry.visible(store, user, DWELLINGS, dwelling_code)
    if dwelling["status"] != "beschikbaar":
        raise DecisionError(f"{dwelling_code} is niet (meer) beschikbaar.")
    ranked = _best(store, kb, now, dwelling, None)
    title = f"Woning {dwelling_code}: de beste kandidaten"
    return _offer_message(store, kb, now, user, dwelling, ranked, title)


def offer_dwelling(
    store: Store, kb: KnowledgeBase, now: datetime, dwelling: dict, *, but: str | None = None
) -> str:
    """A home that waits (reported, or back after a decline): by region rule, its best
    candidates to the matchpunt with a "Voordragen" button each, or the first proposed by
    the bot directly. Returns a short Dutch line of what happened."""
    if dwelling["status"] != "beschikbaar":
        return ""
    region = dwelling["region"]
    rules = kb.facts[region].allocation_rules
    ranked = _best(store, kb, now, dwelling, but)
    if rules.decision.approval == "direct" and ranked:
        try:
            proposal = matchpunt.propose_as(
                store, kb, now, SYSTEM, ranked[0].code, dwelling["code"]
            )
        except matchpunt.CapReachedError:
            pass  # the matchpunt decides about a home at its cap
        else:
            proposal_made(store, kb, now, proposal)
            return f"De bot heeft {ranked[0].code} voorgedragen voor {dwelling['code']}."
    coordinators = parties.coordinators(store, region)
    if not coordinators:
        return ""
    text, buttons = _offer_message(store, kb, now, coordinators[0], dwelling, ranked)
    # Each offer of a home is its own message: the key counts the proposals it had.
    round_ = len(store.proposals_of_dwelling(dwelling["code"]))
    for coordinator in coordinators:
        outbox.queue(
            store,
            now,
            coordinator.telegram_id,
            text,
            buttons=buttons,
            key=f"aanbod:{dwelling['code']}:{round_}:{coordinator.telegram_id}",
            about=dwelling["code"],
        )
    if not ranked:
        return f"Er is nu geen wachtende kandidaat die past bij {dwelling['code']}."
    return f"Je krijgt zo de beste kandidaten voor {dwelling['code']}."


def report_dwelling(
    store: Store,
    kb: KnowledgeBase,
    now: datetime,
    user: User,
    kind,
    draft: dict[str, Any],
    *,
    record: str | None = None,
    draft_id: str | None = None,
    version: str | None = None,
) -> dict[str, Any]:
    """Store a dwelling form (`drafts.save`); a new home is offered to the matchpunt in the
    same transaction (a draft saved twice is offered once)."""
    earlier = store.record_from_draft(kind.table, draft_id) if draft_id else None
    with store.db.atomic():
        row = drafts.save(
            store, kb, now, user, kind, draft, record=record, draft_id=draft_id, version=version
        )
        if record is None and earlier is None and kind is DWELLINGS:
            offer_dwelling(store, kb, now, row)
    return row


def proposed_home_lines(
    store: Store, kb: KnowledgeBase, user: User, candidate: dict[str, Any], today: date
) -> list[str]:
    """On a candidate's card, for the matchpunt and the care side: the home of its live
    proposal or match (municipality, neighbourhood, rooms, rent, floor). A support worker
    sees only what their role sees of a candidate."""
    if user.role not in (COORDINATOR, FIELD_WORKER):
        return []
    found = store.open_proposals(candidate=candidate["code"]) or [
        p
        for p in store.proposals_of(candidate["code"])
        if p["status"] == ACCEPTED and not p["moved_at"]
    ]
    if not found:
        return []
    proposal = found[-1]
    dwelling = store.record("dwellings", proposal["dwelling_code"])
    ctx = drafts.form_context(store, kb, user, DWELLINGS, today)
    head = "Voorgedragen voor" if proposal["status"] == OPEN else "Match met"
    lines = [f"{head}: {dwelling['code']}"]
    lines += [f"  {line}" for line in notices.home_lines(dwelling, ctx)]
    if proposal["status"] == ACCEPTED and proposal["move_in_on"]:
        lines.append(
            f"  Verhuisdatum: {notices.format_date(date.fromisoformat(proposal['move_in_on']))}"
        )
    return lines


def change_status(
    store: Store,
    kb: KnowledgeBase,
    now: datetime,
    user: User,
    kind,
    code: str,
    new_status: str,
    reason: str | None = None,
    plan: tuple[CheckinStep, ...] = DEFAULT_PLAN,
) -> dict[str, Any]:
    """A status change by hand (`registry.transition`) and what follows when it ends a live
    proposal: its parties and the matchpunt are told, and a home that waits again goes to
    the matchpunt again."""
    side = {"candidate": code} if kind is CANDIDATES else {"dwelling": code}
    ending = store.open_proposals(**side)
    with store.db.atomic():
        before = store.record(kind.table, code)["status"]
        row = registry.transition(store, now, user, kind, code, new_status, reason)
        if kind is CANDIDATES and before == "verhuisd" and new_status in LEFT_HOME:
            leaving.left_home(store, now, user.telegram_id, code, new_status)
        if kind is DWELLINGS and new_status == "verhuurd":
            # Marked let by hand: its match has moved in, as on the move-in date.
            for match in store.proposals_of_dwelling(code, ACCEPTED):
                if not match["moved_at"]:
                    due.move_in(store, now, match, user.telegram_id, plan, kb)
        for open_one in ending:
            proposal = store.proposal(open_one["id"])
            if proposal["status"] == OPEN:
                continue  # not ended by this change
            candidate = store.record("candidates", proposal["candidate_code"])
            dwelling = store.record("dwellings", proposal["dwelling_code"])
            why = (
                "de woning is ingetrokken"
                if kind is DWELLINGS
                else f"de kandidaat is {CANDIDATES.lifecycle.labels.get(new_status, new_status)}"
            )
            told = [u for s in SIDES for u in parties.told(store, s, candidate, dwelling)]
            told += parties.coordinators(store, proposal["region"])
            for party in told:
                if party.telegram_id != user.telegram_id:
                    outbox.queue(
                        store,
                        now,
                        party.telegram_id,
                        notices.ended(proposal, why),
                        key=f"einde:{proposal['id']}:{party.telegram_id}",
                        about=candidate["code"],
                    )
            if kind is CANDIDATES:
                offer_dwelling(store, kb, now, dwelling)
    return row


def open_question(store: Store, user: User, kind, row: dict[str, Any]) -> tuple[int, str] | None:
    """The live proposal of a record the caller can still answer, and for which side: what
    a card offers "Akkoord" and "Niet akkoord" for."""
    side_filter = {"candidate": row["code"]} if kind is CANDIDATES else {"dwelling": row["code"]}
    for proposal in store.open_proposals(**side_filter):
        candidate = store.record("candidates", proposal["candidate_code"])
        dwelling = store.record("dwellings", proposal["dwelling_code"])
        side = CARE if kind is CANDIDATES else CORPORATION
        if (
            parties.side_of(store, user, candidate, dwelling, side)
            and proposal[col(side, "answer")] is None
        ):
            return proposal["id"], side
    return None
