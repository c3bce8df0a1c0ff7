"""The omklap year through the real Application: an omklapwoning whose tenant moved in on
8 April 2025; at month 9 (7 January 2026) the support worker and the corporation are each
asked "Omklappen / Verlengen / Stoppen" with the region's criteria. When they disagree the
matchpunt decides (the whole transcript). At month 12 the last decision is followed, for
each of the three outcomes: the lease flips (the cards show it), the year is extended with a
new round, or the omklap stops. Forged and repeated presses change nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from helpers import CANDIDATE_FACTS, talk
from test_checkins_chat import HOME, _lines

from bot.aftercare import omklap
from bot.decisions import due, workflow
from bot.demo import DEMO_USERS
from bot.records import registry

MOVED = "2025-04-08"
DISAGREE_TRANSCRIPT = [
    "[→ 1004 support_worker] 🔁 Omklapbesluit na 9 maanden: WT-IZK-0001 in omklapwoning WN-IZK-0001.",
    "Gaat het huurcontract straks over op naam van de huurder?",
    "Criteria van de regio:",
    "• De huur is het afgelopen half jaar op tijd betaald.",
    "• Er is geen overlast gemeld, of die is opgelost.",
    "• De huurder redt het met de begeleiding die er na de omklap nog is.",
    "• De huurder wil het huurcontract zelf.",
    "Omklappen: de huurder krijgt het contract. Verlengen: nog een half jaar via de zorgaanbieder. Stoppen: het omklaptraject stopt.",
    "    [1] 🔁 Omklappen",
    "    [2] ⏳ Verlengen",
    "    [3] ⛔ Stoppen",
    "[→ 1003 corporation] 🔁 Omklapbesluit na 9 maanden: WT-IZK-0001 in omklapwoning WN-IZK-0001.",
    "Gaat het huurcontract straks over op naam van de huurder?",
    "Criteria van de regio:",
    "• De huur is het afgelopen half jaar op tijd betaald.",
    "• Er is geen overlast gemeld, of die is opgelost.",
    "• De huurder redt het met de begeleiding die er na de omklap nog is.",
    "• De huurder wil het huurcontract zelf.",
    "Omklappen: de huurder krijgt het contract. Verlengen: nog een half jaar via de zorgaanbieder. Stoppen: het omklaptraject stopt.",
    "    [1] 🔁 Omklappen",
    "    [2] ⏳ Verlengen",
    "    [3] ⛔ Stoppen",
    "— klok staat op 07-01-2026 09:00; uitgevoerde taken: 1",
    "— je bent nu 1004 support_worker",
    "[→ 1004 support_worker, bewerkt] 🔁 Omklapbesluit na 9 maanden: WT-IZK-0001 in omklapwoning WN-IZK-0001.",
    "Gaat het huurcontract straks over op naam van de huurder?",
    "Criteria van de regio:",
    "• De huur is het afgelopen half jaar op tijd betaald.",
    "• Er is geen overlast gemeld, of die is opgelost.",
    "• De huurder redt het met de begeleiding die er na de omklap nog is.",
    "• De huurder wil het huurcontract zelf.",
    "Omklappen: de huurder krijgt het contract. Verlengen: nog een half jaar via de zorgaanbieder. Stoppen: het omklaptraject stopt.",
    "",
    "Opgeslagen: 🔁 Omklappen. We wachten nog op de andere partij.",
    "— je bent nu 1003 corporation",
    "[→ 1003 corporation, bewerkt] 🔁 Omklapbesluit na 9 maanden: WT-IZK-0001 in omklapwoning WN-IZK-0001.",
    "Gaat het huurcontract straks over op naam van de huurder?",
    "Criteria van de regio:",
    "• De huur is het afgelopen half jaar op tijd betaald.",
    "• Er is geen overlast gemeld, of die is opgelost.",
    "• De huurder redt het met de begeleiding die er na de omklap nog is.",
    "• De huurder wil het huurcontract zelf.",
    "Omklappen: de huurder krijgt het contract. Verlengen: nog een half jaar via de zorgaanbieder. Stoppen: het omklaptraject stopt.",
    "",
    "Opgeslagen: ⏳ Verlengen. De andere partij koos anders; het matchpunt beslist.",
    "[→ 1001 coordinator] ⚖️ Omklapbesluit na 9 maanden voor WT-IZK-0001 (WN-IZK-0001): de partijen zijn het oneens. Zorg: 🔁 Omklappen; corporatie: ⏳ Verlengen. Overleg en beslis.",
    "    [1] 🔁 Omklappen",
    "    [2] ⏳ Verlengen",
    "    [3] ⛔ Stoppen",
    "— je bent nu 1001 coordinator",
    "[→ 1001 coordinator, bewerkt] ⚖️ Omklapbesluit na 9 maanden voor WT-IZK-0001 (WN-IZK-0001): de partijen zijn het oneens. Zorg: 🔁 Omklappen; corporatie: ⏳ Verlengen. Overleg en beslis.",
    "",
    "Besloten: 🔁 Omklappen. Beide partijen krijgen bericht.",
    "[→ 1004 support_worker] 🔁 Omklapbesluit na 9 maanden voor WT-IZK-0001 (WN-IZK-0001): 🔁 Omklappen (door het matchpunt). Omklapdatum: woensdag 8 april 2026.",
    "[→ 1003 corporation] 🔁 Omklapbesluit na 9 maanden voor WT-IZK-0001 (WN-IZK-0001): 🔁 Omklappen (door het matchpunt). Omklapdatum: woensdag 8 april 2026.",
    "[→ 1001 coordinator] 1 kandidaat in je regio",
    "    [1] WT-IZK-0001 · verhuisd · Haarlem · 334 dagen",
    "    [2] Alle   [3] Wachtend   [4] Voorgedragen   [5] Gepauzeerd",
    "    [6] 📍 Per gemeente   [7] ⏳ > 90 dagen",
    "    [8] 🏠 Woningen",
    "[→ 1001 coordinator, bewerkt] WT-IZK-0001",
    "Status: verhuisd",
    "Wacht al: 334 dagen",
    "Gemeenten: Haarlem",
    "Huishouden: Alleenstaand",
    "Begeleiding: Reguliere ambulante begeleiding",
    "Uitstroomprofiel: Zelfstandig (voorbeeld)",
    "Woonwensen: geen",
    "Huurgrens: Tot de lage aftoppingsgrens (€ 713,02)",
    "Verhuizen vanaf: dinsdag 8 april 2025",
    "Knelpunten: Huurschuld",
    "Urgentie: Nee",
    "Begeleidende organisatie: Ambulante Begeleiding Haarlem (voorbeeld)",
    "Notitie: —",
    "Omklapwoning: huurcontract via de zorgaanbieder, omklapdatum woensdag 8 april 2026.",
    "  Besluit na 9 maanden: 🔁 Omklappen",
    "    [1] 👤 Woonbegeleider wijzigen",
    "    [2] ↩️ Teruggevallen (woont er niet meer)",
    "    [3] ➡️ Doorgestroomd (andere woning)",
    "    [4] ⬅️ Terug naar de lijst",
]


def _omklap_placement(shell, kb) -> dict:
    store = shell.store
    users = {role: store.user(i) for role, i in DEMO_USERS.items()}
    sanne = users["support_worker"]
    at = datetime.fromisoformat(f"{MOVED}T10:00:00+02:00")
    candidate = registry.register(
        store,
        at - timedelta(days=60),
        users["field_worker"],
        registry.CANDIDATES,
        {
            **CANDIDATE_FACTS,
            "earliest_move": MOVED,
            "support_organisation": str(sanne.organisation_id),
        },
        support_organisation_id=sanne.organisation_id,
        support_worker_id=sanne.telegram_id,
    )
    dwelling = registry.register(
        store,
        at - timedelta(days=20),
        users["corporation"],
        registry.DWELLINGS,
        {**HOME, "available_from": MOVED, "omklap": "ja"},
        municipality="haarlem",
    )
    proposal = workflow.propose(
        store,
        kb,
        at - timedelta(days=14),
        users["coordinator"],
        candidate["code"],
        dwelling["code"],
    )
    for role, side in (("field_worker", "zorg"), ("corporation", "corporatie")):
        workflow.answer(store, kb, at - timedelta(days=10), users[role], proposal["id"], side, True)
    workflow.set_move_in(
        store,
        at - timedelta(days=10),
        users["corporation"],
        proposal["id"],
        date.fromisoformat(MOVED),
    )
    due.move_in(store, at, store.proposal(proposal["id"]), "test", kb=kb)
    # The check-ins of the past year are not what this is about.
    for checkin in store.checkins_of(candidate=candidate["code"]):
        store.update_checkin(checkin["id"], {"state": "beantwoord", "answer": "goed"})
    store.settle_messages(shell.clock.now())
    return store.proposal(proposal["id"])


def test_an_omklapwoning_gets_its_rounds_and_flip_day(shell, kb):
    proposal = _omklap_placement(shell, kb)
    rounds = shell.store.omklap_rounds_of(proposal=proposal["id"])
    assert [(r["month"], r["due_on"], r["state"]) for r in rounds] == [
        (9, "2026-01-07", "gepland"),
        (11, "2026-03-08", "gepland"),
    ]
    assert proposal["omklap_flip_on"] == "2026-04-08"


async def test_when_the_parties_disagree_the_matchpunt_decides(shell, kb):
    proposal = _omklap_placement(shell, kb)
    out = await talk(
        shell,
        ":advance 2d",
        ":as support_worker",
        ":press Omklappen",
        ":as corporation",
        ":press Verlengen",
        ":as coordinator",
        ":press Omklappen",
        "/mijn",
        ":press WT-IZK-0001",
    )
    assert _lines(out) == DISAGREE_TRANSCRIPT
    [nine, _] = shell.store.omklap_rounds_of(proposal=proposal["id"])
    assert (nine["care_answer"], nine["corporation_answer"], nine["decision"]) == (
        "omklappen",
        "verlengen",
        "omklappen",
    )
    assert nine["decided_by"] == DEMO_USERS["coordinator"]


def _answer_both(shell, proposal, month: int, choice: str) -> None:
    store = shell.store
    [row] = [r for r in store.omklap_rounds_of(proposal=proposal["id"]) if r["month"] == month]
    at = datetime.fromisoformat(f"{row['due_on']}T10:00:00+01:00")
    while at.weekday() >= 5:
        at += timedelta(days=1)
    assert omklap.ask_due(store, shell.app.bot_data["services"].kb, at) == 1
    for role, side in (("support_worker", "zorg"), ("corporation", "corporatie")):
        user = store.user(DEMO_USERS[role])
        omklap.answer(store, at, user, row["id"], side, choice)


@pytest.mark.parametrize(
    "choice, outcome, flip_on, told",
    [
        (
            "omklappen",
            "omgeklapt",
            "2026-04-08",
            "🔑 Omgeklapt: het huurcontract van <b>WN-IZK-0001</b> staat nu op naam van de "
            "huurder (WT-IZK-0001).",
        ),
        (
            "verlengen",
            None,
            "2026-10-07",
            "⏳ Het omklapjaar van <b>WT-IZK-0001</b> (WN-IZK-0001) is verlengd tot woensdag "
            "7 oktober 2026; na 17 maanden vragen we het opnieuw.",
        ),
        (
            "stoppen",
            "gestopt",
            "2026-04-08",
            "⛔ Het omklaptraject van <b>WT-IZK-0001</b> (WN-IZK-0001) stopt. Zoek samen wat nu "
            "komt; zet de kandidaat op teruggevallen of doorgestroomd als die vertrekt.",
        ),
    ],
)
async def test_at_month_twelve_the_last_decision_is_followed(
    shell, kb, choice, outcome, flip_on, told
):
    store = shell.store
    proposal = _omklap_placement(shell, kb)
    _answer_both(shell, proposal, 9, "omklappen")
    _answer_both(shell, proposal, 11, choice)
    flip = datetime.fromisoformat("2026-04-08T10:00:00+02:00")
    assert omklap.flip_due(store, kb, flip - timedelta(days=1)) == 0
    assert omklap.flip_due(store, kb, flip) == 1
    after = store.proposal(proposal["id"])
    assert (after["omklap_outcome"], after["omklap_flip_on"]) == (outcome, flip_on)
    texts = {m["text"] for m in store.messages() if m["key"].startswith("omklap-uitkomst:")}
    assert texts == {told}
    rounds = [(r["month"], r["state"]) for r in store.omklap_rounds_of(proposal=proposal["id"])]
    expected = [(9, "besloten"), (11, "besloten")]
    assert rounds == expected + ([(17, "gepland")] if choice == "verlengen" else [])
    # Done once: the next day settles nothing.
    assert omklap.flip_due(store, kb, flip + timedelta(days=1)) == 0
    lines = omklap.card_lines(store, proposal["dwelling_code"], dwelling=True)
    assert (
        lines[0]
        == {
            "omklappen": "Omklapwoning: omgeklapt op woensdag 8 april 2026; het huurcontract staat "
            "op naam van de huurder.",
            "verlengen": "Omklapwoning: huurcontract via de zorgaanbieder, omklapdatum woensdag "
            "7 oktober 2026.",
            "stoppen": "Omklapwoning: het omklaptraject is gestopt.",
        }[choice]
    )


async def test_without_a_decision_the_lease_stays_and_the_matchpunt_is_told(shell, kb):
    store = shell.store
    proposal = _omklap_placement(shell, kb)
    _answer_both(shell, proposal, 9, "omklappen")
    [eleven] = [r for r in store.omklap_rounds_of(proposal=proposal["id"]) if r["month"] == 11]
    omklap.ask_due(store, kb, datetime.fromisoformat("2026-03-09T10:00:00+01:00"))
    flip = datetime.fromisoformat("2026-04-08T10:00:00+02:00")
    assert omklap.flip_due(store, kb, flip) == 0
    [told] = [m for m in store.messages() if m["key"].startswith("omklap-geen-besluit:")]
    assert told["chat_id"] == DEMO_USERS["coordinator"]
    assert store.proposal(proposal["id"])["omklap_outcome"] is None
    coordinator = store.user(DEMO_USERS["coordinator"])
    omklap.decide(store, flip, coordinator, eleven["id"], "omklappen")
    assert omklap.flip_due(store, kb, flip + timedelta(days=1)) == 1
    assert store.proposal(proposal["id"])["omklap_outcome"] == "omgeklapt"


async def test_a_forged_or_repeated_omklap_press_changes_nothing(shell, kb):
    store = shell.store
    proposal = _omklap_placement(shell, kb)
    await talk(shell, ":advance 2d")
    [nine, _] = store.omklap_rounds_of(proposal=proposal["id"])
    rid = nine["id"]
    for who in ("field_worker", "corporation", "support_worker", "coordinator"):
        await talk(shell, f":as {who}", "/help")
    not_yours = "Deze knop is niet voor jou; er is niets veranderd."
    cases = [
        # The matchpunt answers only for a side whose question went to it; here it decides
        # where the parties disagree.
        ("coordinator", f"o|k|{rid}|z", not_yours),
        ("coordinator", f"o|k|{rid}|c", not_yours),
        ("field_worker", f"o|k|{rid}|z", not_yours),
        ("corporation", f"o|k|{rid}|z", not_yours),
        ("support_worker", f"o|k|{rid}|c", not_yours),
        ("support_worker", f"o|d|{rid}|k", not_yours),
        ("support_worker", f"o|x|{rid}|z", "Deze knop is niet meer geldig."),
        ("support_worker", "o|k|99999|z", "Dit omklapbesluit bestaat niet (meer)."),
        ("support_worker", f"o|k|{rid + 1}|z", "Dit omklapbesluit staat nog niet open."),
        ("support_worker", f"o|s|{rid}|z", "We wachten nog op de andere partij."),
        ("support_worker", f"o|s|{rid}|z", "Dit antwoord had je al gegeven"),
        ("support_worker", f"o|k|{rid}|z", "Voor de zorgkant is al geantwoord (⛔ Stoppen)"),
        ("corporation", f"o|s|{rid}|c", "Beide partijen zijn het eens."),
        ("coordinator", f"o|d|{rid}|k", "Hier is al besloten: ⛔ Stoppen"),
    ]
    for role, data, expected in cases:
        user = DEMO_USERS[role]
        message = max(o.message_id for o in shell.api.outputs if o.to == user and o.message_id)
        start = len(shell.out.getvalue())
        shell.api.press(user, message, data)
        await shell.settle()
        assert expected in shell.out.getvalue()[start:], (role, data)
    row = store.omklap_round(rid)
    assert (row["care_answer"], row["corporation_answer"], row["decision"]) == (
        "stoppen",
        "stoppen",
        "stoppen",
    )
