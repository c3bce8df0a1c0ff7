"""The omklap year: an omklapwoning is first let to the care provider; at the region's months
(9 and 11 by default) the care side (the support worker, else the matchpunt) and the
corporation are each asked "Omklappen / Verlengen / Stoppen" with the region's criteria. The
same answer from both is the decision; two different answers go to the matchpunt, which
decides. At the flip month the last decision is followed: the lease goes to the tenant
(omgeklapt), the year is extended by `EXTEND_MONTHS` with a new round before the new flip
(verlengd), or the omklap stops and the partners look for what comes next (gestopt)."""

from __future__ import annotations

import html
from datetime import date, datetime, timedelta
from typing import Any

from bot.access.roles import COORDINATOR, NotAllowedError
from bot.aftercare.schedule import moved_on
from bot.decisions import parties
from bot.decisions.reasons import CORPORATION as CORPORATION_SIDE
from bot.forms.dutch_dates import format_date
from bot.knowledge.aftercare_rules import DAYS_PER_MONTH, OmklapRules
from bot.knowledge.base import KnowledgeBase
from bot.messaging import blocked, outbox
from bot.storage import NotFoundError, Store, User, iso_timestamp
from bot.storage.omklap import ASKED, DECIDED, LAPSED, PLANNED

# Callback data: o|<choice letter>|<round id>|<side letter>; o|d|<round>|<choice letter>.
PREFIX = "o"
DECIDE = "d"
CHOICES = {"k": "omklappen", "v": "verlengen", "s": "stoppen"}
LABELS = {"omklappen": "🔁 Omklappen", "verlengen": "⏳ Verlengen", "stoppen": "⛔ Stoppen"}
CARE, CORPORATION = "zorg", "corporatie"
SIDES = {"z": CARE, "c": CORPORATION}
# Verlengen: the omklap year runs this many months longer, asked again a month before.
EXTEND_MONTHS = 6
OUTCOMES = {"omklappen": "omgeklapt", "verlengen": "verlengd", "stoppen": "gestopt"}


class OmklapError(Exception):
    """The press cannot be taken; the message says why, in Dutch."""


def is_omklap(dwelling: dict[str, Any]) -> bool:
    return dwelling["facts"].get("omklap") == "ja"


def rules_of(kb: KnowledgeBase | None, region: str) -> OmklapRules:
    facts = kb.facts.get(region) if kb is not None else None
    return facts.aftercare.omklap if facts is not None else OmklapRules()


def _months(moved: date, months: float) -> date:
    return moved + timedelta(days=round(months * DAYS_PER_MONTH))


def plan_rounds(
    store: Store, now: datetime, proposal: dict[str, Any], dwelling: dict, rules: OmklapRules
) -> int:
    """In the move's transaction: the rounds of an omklapwoning and the day its lease flips."""
    if not is_omklap(dwelling):
        return 0
    moved = moved_on(proposal, now)
    _add_rounds(store, now, proposal, rules.decisions_at_months, moved)
    store.update_proposal(
        proposal["id"], {"omklap_flip_on": _months(moved, rules.flip_at_month).isoformat()}
    )
    return len(rules.decisions_at_months)


def _add_rounds(store, now, proposal, months, moved: date) -> None:
    store.add_omklap_rounds(
        [
            {
                "proposal_id": proposal["id"],
                "candidate_code": proposal["candidate_code"],
                "dwelling_code": proposal["dwelling_code"],
                "region": proposal["region"],
                "month": month,
                "due_on": _months(moved, month).isoformat(),
                "state": PLANNED,
                "created_at": iso_timestamp(now),
            }
            for month in months
        ]
    )


def _care_side(store: Store, candidate: dict[str, Any]) -> list[User]:
    """Who answers for the care provider: the support worker, else the matchpunt."""
    worker = store.find_user(candidate.get("support_worker_id") or 0)
    if worker is not None and blocked.is_reachable(store, worker):
        return [worker]
    return blocked.coordinators(store, candidate["region"])


def _corporation_side(store: Store, candidate, dwelling) -> list[User]:
    return parties.told(store, CORPORATION_SIDE, candidate, dwelling)


def buttons(round_id: int, side: str) -> list[list[tuple[str, str]]]:
    letter = next(k for k, v in SIDES.items() if v == side)
    return [
        [(LABELS[choice], f"{PREFIX}|{key}|{round_id}|{letter}")] for key, choice in CHOICES.items()
    ]


def question(round_row: dict[str, Any], rules: OmklapRules) -> str:
    lines = [
        f"🔁 <b>Omklapbesluit na {round_row['month']} maanden</b>: "
        f"<b>{round_row['candidate_code']}</b> in omklapwoning <b>{round_row['dwelling_code']}</b>."
        "\nGaat het huurcontract straks over op naam van de huurder?"
    ]
    if rules.criteria:
        lines.append("Criteria van de regio:")
        lines += [f"• {html.escape(criterion, quote=False)}" for criterion in rules.criteria]
    lines.append(
        "Omklappen: de huurder krijgt het contract. Verlengen: nog een half jaar via de "
        "zorgaanbieder. Stoppen: het omklaptraject stopt."
    )
    return "\n".join(lines)


def ask_due(store: Store, kb: KnowledgeBase | None, now: datetime) -> int:
    """Ask the rounds whose day came (the caller checks the hours); how many."""
    asked = 0
    for round_row in store.omklap_rounds_to_ask(now.date().isoformat()):
        candidate = store.record("candidates", round_row["candidate_code"])
        dwelling = store.record("dwellings", round_row["dwelling_code"])
        rules = rules_of(kb, round_row["region"])
        with store.db.atomic():
            text = question(round_row, rules)
            for side, users in (
                (CARE, _care_side(store, candidate)),
                (CORPORATION, _corporation_side(store, candidate, dwelling)),
            ):
                for user in users:
                    outbox.queue(
                        store,
                        now,
                        user.telegram_id,
                        text,
                        buttons=buttons(round_row["id"], side),
                        key=f"omklap:{round_row['id']}:{side}:{user.telegram_id}",
                        about=candidate["code"],
                    )
            store.update_omklap_round(
                round_row["id"], {"state": ASKED, "asked_at": iso_timestamp(now)}
            )
        asked += 1
    return asked


def _round(store: Store, round_id: int) -> dict[str, Any]:
    try:
        return store.omklap_round(round_id)
    except NotFoundError:
        raise OmklapError("Dit omklapbesluit bestaat niet (meer).") from None


def _may_answer(store: Store, user: User, round_row: dict, side: str) -> bool:
    """The support worker answers for care, the corporation's side for the corporation; a
    coordinator only for a side whose question went to the matchpunt (nobody else there)."""
    if not user.active or user.region != round_row["region"]:
        return False
    candidate = store.record("candidates", round_row["candidate_code"])
    dwelling = store.record("dwellings", round_row["dwelling_code"])
    asked = (
        _care_side(store, candidate)
        if side == CARE
        else _corporation_side(store, candidate, dwelling)
    )
    if user.role == COORDINATOR:
        return user.telegram_id in {u.telegram_id for u in asked}
    if side == CARE:
        return user.telegram_id == candidate.get("support_worker_id")
    return parties.side_of(store, user, candidate, dwelling, CORPORATION_SIDE) is not None


def answer(store: Store, now: datetime, user: User, round_id: int, side: str, choice: str) -> str:
    """One side's answer; with both in, the decision (or the matchpunt's question)."""
    if side not in SIDES.values() or choice not in CHOICES.values():
        raise OmklapError("Deze knop is niet meer geldig.")
    with store.db.atomic():
        round_row = _round(store, round_id)
        if not _may_answer(store, user, round_row, side):
            raise NotAllowedError("omklap")
        if round_row["state"] == PLANNED:
            raise OmklapError("Dit omklapbesluit staat nog niet open.")
        if round_row["state"] == LAPSED:
            raise OmklapError("Dit omklapbesluit is vervallen: de huurder woont er niet meer.")
        given = round_row[f"{_col(side)}_answer"]
        if given == choice:
            return "Dit antwoord had je al gegeven; er is niets veranderd."
        if round_row["state"] == DECIDED and not given:
            raise OmklapError(
                f"Het matchpunt heeft al besloten: {LABELS[round_row['decision']]}; er is niets "
                "veranderd."
            )
        if given:
            raise OmklapError(
                f"Voor de {side}kant is al geantwoord ({LABELS[given]}); er is niets veranderd."
            )
        round_row = store.update_omklap_round(
            round_id,
            {
                f"{_col(side)}_answer": choice,
                f"{_col(side)}_by": user.telegram_id,
                f"{_col(side)}_at": iso_timestamp(now),
            },
        )
        store.audit(
            user.telegram_id,
            "omklap.antwoord",
            now,
            "kandidaat",
            round_row["candidate_code"],
            {"maand": round_row["month"], "kant": side, "keuze": choice},
        )
        care, corporation = round_row["care_answer"], round_row["corporation_answer"]
        if care and corporation:
            if care == corporation:
                _decide(store, now, round_row, care, None)
                return f"Opgeslagen: <b>{LABELS[choice]}</b>. Beide partijen zijn het eens."
            _ask_matchpunt(store, now, round_row)
            return (
                f"Opgeslagen: <b>{LABELS[choice]}</b>. De andere partij koos anders; het "
                "matchpunt beslist."
            )
    return f"Opgeslagen: <b>{LABELS[choice]}</b>. We wachten nog op de andere partij."


def _col(side: str) -> str:
    return "care" if side == CARE else "corporation"


def _ask_matchpunt(store: Store, now: datetime, round_row: dict) -> None:
    text = (
        f"⚖️ Omklapbesluit na {round_row['month']} maanden voor "
        f"<b>{round_row['candidate_code']}</b> ({round_row['dwelling_code']}): de partijen zijn "
        f"het oneens. Zorg: {LABELS[round_row['care_answer']]}; corporatie: "
        f"{LABELS[round_row['corporation_answer']]}. Overleg en beslis."
    )
    rows = [
        [(LABELS[choice], f"{PREFIX}|{DECIDE}|{round_row['id']}|{key}")]
        for key, choice in CHOICES.items()
    ]
    for user in blocked.coordinators(store, round_row["region"]):
        outbox.queue(
            store,
            now,
            user.telegram_id,
            text,
            buttons=rows,
            key=f"omklap-oneens:{round_row['id']}:{user.telegram_id}",
            about=round_row["candidate_code"],
        )


def decide(store: Store, now: datetime, user: User, round_id: int, choice: str) -> str:
    """The matchpunt's decision where the parties disagree (or did not answer)."""
    if choice not in CHOICES.values():
        raise OmklapError("Deze knop is niet meer geldig.")
    with store.db.atomic():
        round_row = _round(store, round_id)
        if not (user.active and user.role == COORDINATOR and user.region == round_row["region"]):
            raise NotAllowedError("omklap")
        if round_row["state"] == DECIDED:
            if round_row["decision"] == choice:
                return "Dit besluit stond al zo; er is niets veranderd."
            raise OmklapError(
                f"Hier is al besloten: {LABELS[round_row['decision']]}; er is niets veranderd."
            )
        if round_row["state"] in (PLANNED, LAPSED):
            raise OmklapError("Dit omklapbesluit staat niet (meer) open.")
        _decide(store, now, round_row, choice, user.telegram_id)
    return f"Besloten: <b>{LABELS[choice]}</b>. Beide partijen krijgen bericht."


def _decide(store, now, round_row, choice: str, by: int | None) -> None:
    store.update_omklap_round(
        round_row["id"],
        {
            "state": DECIDED,
            "decision": choice,
            "decided_by": by,
            "decided_at": iso_timestamp(now),
        },
    )
    store.audit(
        by or "system",
        "omklap.besluit",
        now,
        "kandidaat",
        round_row["candidate_code"],
        {"maand": round_row["month"], "besluit": choice},
    )
    proposal = store.proposal(round_row["proposal_id"])
    flip = format_date(date.fromisoformat(proposal["omklap_flip_on"]))
    text = (
        f"🔁 Omklapbesluit na {round_row['month']} maanden voor "
        f"<b>{round_row['candidate_code']}</b> ({round_row['dwelling_code']}): "
        f"{LABELS[choice]}"
        + (" (door het matchpunt)" if by else "")
        + (
            f". Omklapdatum: {flip}."
            if choice != "stoppen"
            else f". Het omklaptraject stopt op {flip}."
        )
    )
    _tell(store, now, round_row, text, f"omklap-besluit:{round_row['id']}", but=by)


def _tell(store, now, row, text: str, key: str, but: int | None = None) -> None:
    candidate = store.record("candidates", row["candidate_code"])
    dwelling = store.record("dwellings", row["dwelling_code"])
    told = {u.telegram_id: u for u in blocked.coordinators(store, row["region"])}
    for user in _care_side(store, candidate) + _corporation_side(store, candidate, dwelling):
        told.setdefault(user.telegram_id, user)
    for user in told.values():
        if user.telegram_id == but:
            continue
        outbox.queue(
            store,
            now,
            user.telegram_id,
            text,
            key=f"{key}:{user.telegram_id}",
            about=row["candidate_code"],
        )


def flip_due(store: Store, kb: KnowledgeBase | None, now: datetime) -> int:
    """Placements at their flip day: the last decision is followed. Without one the lease
    stays with the care provider and the matchpunt is told (once); how many were settled."""
    settled = 0
    today = now.date()
    for proposal in store.omklap_flips_due(today.isoformat()):
        rounds = store.omklap_rounds_of(proposal=proposal["id"])
        decided = [r for r in rounds if r["state"] == DECIDED]
        pending = [r for r in rounds if r["state"] != DECIDED]
        last = decided[-1] if decided and not pending else None
        with store.db.atomic():
            if last is None:
                _tell_matchpunt(store, now, proposal, rounds)
                continue
            choice = last["decision"]
            if choice == "verlengen":
                flip = date.fromisoformat(proposal["omklap_flip_on"])
                months = _months_between(proposal, flip) + EXTEND_MONTHS
                moved = moved_on(proposal)
                _add_rounds(store, now, proposal, (months - 1,), moved)
                store.update_proposal(
                    proposal["id"], {"omklap_flip_on": _months(moved, months).isoformat()}
                )
                text = (
                    f"⏳ Het omklapjaar van <b>{proposal['candidate_code']}</b> "
                    f"({proposal['dwelling_code']}) is verlengd tot "
                    f"{format_date(_months(moved, months))}; na {months - 1} maanden vragen "
                    "we het opnieuw."
                )
            else:
                store.update_proposal(
                    proposal["id"],
                    {"omklap_outcome": OUTCOMES[choice], "omklap_outcome_on": today.isoformat()},
                )
                text = (
                    f"🔑 Omgeklapt: het huurcontract van <b>{proposal['dwelling_code']}</b> staat "
                    f"nu op naam van de huurder ({proposal['candidate_code']})."
                    if choice == "omklappen"
                    else f"⛔ Het omklaptraject van <b>{proposal['candidate_code']}</b> "
                    f"({proposal['dwelling_code']}) stopt. Zoek samen wat nu komt; zet de "
                    "kandidaat op teruggevallen of doorgestroomd als die vertrekt."
                )
            store.audit(
                "system",
                "omklap.uitkomst",
                now,
                "kandidaat",
                proposal["candidate_code"],
                {"besluit": choice},
            )
            _tell(store, now, proposal, text, f"omklap-uitkomst:{proposal['id']}:{today}")
        settled += 1
    return settled


def _months_between(proposal: dict[str, Any], flip: date) -> int:
    return round((flip - moved_on(proposal)).days / DAYS_PER_MONTH)


def _tell_matchpunt(store, now, proposal, rounds) -> None:
    """No decision at the flip day: the matchpunt may decide the open round itself."""
    open_round = next((r for r in rounds if r["state"] != DECIDED), None)
    rows = (
        [
            [(LABELS[choice], f"{PREFIX}|{DECIDE}|{open_round['id']}|{key}")]
            for key, choice in CHOICES.items()
        ]
        if open_round is not None and open_round["state"] == ASKED
        else []
    )
    for user in blocked.coordinators(store, proposal["region"]):
        outbox.queue(
            store,
            now,
            user.telegram_id,
            f"⚖️ De omklapdatum van <b>{proposal['dwelling_code']}</b> "
            f"({proposal['candidate_code']}) is bereikt, maar er is nog geen besluit. Het "
            "huurcontract blijft bij de zorgaanbieder tot er een besluit is.",
            buttons=rows,
            key=f"omklap-geen-besluit:{proposal['id']}:{proposal['omklap_flip_on']}:"
            f"{user.telegram_id}",
            about=proposal["candidate_code"],
        )


def card_lines(store: Store, code: str, *, dwelling: bool = False) -> list[str]:
    """On a candidate's or dwelling's card: where the omklap year stands."""
    placements = (
        store.proposals_of_dwelling(code, "geaccepteerd")
        if dwelling
        else [p for p in store.proposals_of(code) if p["status"] == "geaccepteerd"]
    )
    live = [p for p in placements if p["omklap_flip_on"]]
    if not live:
        return []
    proposal = live[-1]
    flip = format_date(date.fromisoformat(proposal["omklap_flip_on"]))
    if proposal["left_on"] and not proposal["omklap_outcome"]:
        lines = ["Omklapwoning: de huurder is vertrokken; het omklaptraject is beëindigd."]
    elif proposal["omklap_outcome"] == "omgeklapt":
        on = format_date(date.fromisoformat(proposal["omklap_outcome_on"]))
        lines = [f"Omklapwoning: omgeklapt op {on}; het huurcontract staat op naam van de huurder."]
    elif proposal["omklap_outcome"] == "gestopt":
        lines = ["Omklapwoning: het omklaptraject is gestopt."]
    else:
        lines = [f"Omklapwoning: huurcontract via de zorgaanbieder, omklapdatum {flip}."]
    for r in store.omklap_rounds_of(proposal=proposal["id"]):
        if r["state"] == DECIDED:
            lines.append(f"  Besluit na {r['month']} maanden: {LABELS[r['decision']]}")
        elif r["state"] == ASKED:
            lines.append(f"  Besluit na {r['month']} maanden: gevraagd")
    return lines


def counts(store: Store, region: str) -> dict[str, int]:
    """The region's omklap placements by how the year stands, and the decisions taken."""
    found = {"loopt": 0, "omgeklapt": 0, "gestopt": 0, "besluiten": 0, "oneens": 0}
    for proposal in store.region_proposals(region, "geaccepteerd", having="omklap_flip_on"):
        if proposal["left_on"] and not proposal["omklap_outcome"]:
            found["gestopt"] += 1  # the tenant left during the omklap year
        else:
            found[proposal["omklap_outcome"] or "loopt"] += 1
        for r in store.omklap_rounds_of(proposal=proposal["id"]):
            found["besluiten"] += r["state"] == DECIDED
            found["oneens"] += bool(
                r["care_answer"]
                and r["corporation_answer"]
                and r["care_answer"] != r["corporation_answer"]
            )
    return found
