"""The soft landing's first slice through the real Application, compared whole: a match
moves in and its check-ins are planned in the same transaction; on the first check-in's
day the support worker is asked (in working hours; a window opening on a Saturday waits for
Monday), answers "Zorgen" with a topic and the matchpunt is told; an acute problem goes out
at once; /checkins lists what is open and coming; a forged press changes nothing."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from helpers import CANDIDATE_FACTS, talk

from bot.decisions import due, workflow
from bot.demo import DEMO_USERS
from bot.records import registry

PRINT = os.environ.get("PRINT_TRANSCRIPT")
HOME = {
    "neighbourhood": "Schalkwijk",
    "type": "appartement",
    "rooms": 2,
    "floor": 0,
    "accessible": "nee",
    "pets_allowed": "ja",
    "net_rent": 600.0,
    "service_costs": 0.0,
    "available_from": "2026-01-05",
    "omklap": "nee",
    "contact": str(DEMO_USERS["corporation"]),
}
TRANSCRIPT = [
    "— klok staat op 07-01-2026 09:00; uitgevoerde taken: 0",
    "[→ 1004 support_worker] 🏡 Check-in 3 dagen na verhuizing: WT-IZK-0001 (Haarlem, Schalkwijk).",
    "Hoe gaat het? Kies wat past; bij zorgen of een acuut probleem vraag ik waar het over gaat.",
    "    [1] ✅ Gaat goed   [2] ⚠️ Zorgen",
    "    [3] 🚨 Acuut probleem   [4] 📵 Niet bereikt",
    "— klok staat op 08-01-2026 09:00; uitgevoerde taken: 1",
    "— je bent nu 1004 support_worker",
    "[→ 1004 support_worker, knoppen bewerkt] 🏡 Check-in 3 dagen na verhuizing: WT-IZK-0001 (Haarlem, Schalkwijk).",
    "Hoe gaat het? Kies wat past; bij zorgen of een acuut probleem vraag ik waar het over gaat.",
    "    [1] Huur of betalingsachterstand",
    "    [2] Overlast of buren",
    "    [3] Gezondheid of zorg",
    "    [4] Eenzaamheid of netwerk",
    "    [5] Dagbesteding",
    "    [6] Anders",
    "    [7] ⬅️ Terug",
    "[→ 1004 support_worker, knoppen bewerkt] 🏡 Check-in 3 dagen na verhuizing: WT-IZK-0001 (Haarlem, Schalkwijk).",
    "Hoe gaat het? Kies wat past; bij zorgen of een acuut probleem vraag ik waar het over gaat.",
    "    [1] ✅ Gaat goed   [2] ⚠️ Zorgen",
    "    [3] 🚨 Acuut probleem   [4] 📵 Niet bereikt",
    "[→ 1004 support_worker, knoppen bewerkt] 🏡 Check-in 3 dagen na verhuizing: WT-IZK-0001 (Haarlem, Schalkwijk).",
    "Hoe gaat het? Kies wat past; bij zorgen of een acuut probleem vraag ik waar het over gaat.",
    "    [1] Huur of betalingsachterstand",
    "    [2] Overlast of buren",
    "    [3] Gezondheid of zorg",
    "    [4] Eenzaamheid of netwerk",
    "    [5] Dagbesteding",
    "    [6] Anders",
    "    [7] ⬅️ Terug",
    "[→ 1004 support_worker, bewerkt] 🏡 Check-in 3 dagen na verhuizing: WT-IZK-0001 (Haarlem, Schalkwijk).",
    "Hoe gaat het? Kies wat past; bij zorgen of een acuut probleem vraag ik waar het over gaat.",
    "",
    "Opgeslagen: ⚠️ Zorgen (Huur of betalingsachterstand). Het matchpunt en de corporatie krijgen bericht om het samen op te lossen. Wil je er iets bij vertellen? Voeg een korte toelichting toe (zonder namen).",
    "    [1] 📝 Toelichting toevoegen",
    "[→ 1001 coordinator] ⚠️ Zorgen bij WT-IZK-0001 (woning WN-IZK-0001, check-in 3 dagen na verhuizing): Huur of betalingsachterstand.",
    "Samen oplossen: bel de woonbegeleider en spreek af wie wat doet. Wie het oppakt, drukt op ‘Ik pak dit op’.",
    "    [1] 🙋 Ik pak dit op   [2] ✅ Afgerond",
    "[→ 1003 corporation] ⚠️ Zorgen bij WT-IZK-0001 (woning WN-IZK-0001, check-in 3 dagen na verhuizing): Huur of betalingsachterstand.",
    "Samen oplossen: bel de woonbegeleider en spreek af wie wat doet. Wie het oppakt, drukt op ‘Ik pak dit op’.",
    "    [1] 🙋 Ik pak dit op   [2] ✅ Afgerond",
    "[→ 1004 support_worker] Check-ins",
    "• WT-IZK-0001 · 2 weken na verhuizing · maandag 19 januari 2026 · gepland",
    "• WT-IZK-0001 · 6 weken na verhuizing · maandag 16 februari 2026 · gepland",
    "• WT-IZK-0001 · 3 maanden na verhuizing · maandag 6 april 2026 · gepland",
    "• WT-IZK-0001 · 6 maanden na verhuizing · maandag 6 juli 2026 · gepland",
    "• WT-IZK-0001 · 1 jaar na verhuizing · dinsdag 5 januari 2027 · gepland",
    "— klok staat op 17-01-2026 09:00; uitgevoerde taken: 0",
    "[→ 1004 support_worker] 🏡 Check-in 2 weken na verhuizing: WT-IZK-0001 (Haarlem, Schalkwijk).",
    "Hoe gaat het? Kies wat past; bij zorgen of een acuut probleem vraag ik waar het over gaat.",
    "    [1] ✅ Gaat goed   [2] ⚠️ Zorgen",
    "    [3] 🚨 Acuut probleem   [4] 📵 Niet bereikt",
    "— klok staat op 19-01-2026 09:00; uitgevoerde taken: 1",
    "[→ 1004 support_worker, knoppen bewerkt] 🏡 Check-in 2 weken na verhuizing: WT-IZK-0001 (Haarlem, Schalkwijk).",
    "Hoe gaat het? Kies wat past; bij zorgen of een acuut probleem vraag ik waar het over gaat.",
    "    [1] Huur of betalingsachterstand",
    "    [2] Overlast of buren",
    "    [3] Gezondheid of zorg",
    "    [4] Eenzaamheid of netwerk",
    "    [5] Dagbesteding",
    "    [6] Anders",
    "    [7] ⬅️ Terug",
    "[→ 1004 support_worker, bewerkt] 🏡 Check-in 2 weken na verhuizing: WT-IZK-0001 (Haarlem, Schalkwijk).",
    "Hoe gaat het? Kies wat past; bij zorgen of een acuut probleem vraag ik waar het over gaat.",
    "",
    "Opgeslagen: 🚨 Acuut probleem (Overlast of buren). Het matchpunt en de corporatie krijgen meteen bericht. Wil je er iets bij vertellen? Voeg een korte toelichting toe (zonder namen).",
    "    [1] 📝 Toelichting toevoegen",
    "[→ 1001 coordinator] 🚨 Acuut probleem bij WT-IZK-0001 (woning WN-IZK-0001, check-in 2 weken na verhuizing): Overlast of buren.",
    "Samen oplossen: bel de woonbegeleider en spreek af wie wat doet. Wie het oppakt, drukt op ‘Ik pak dit op’.",
    "    [1] 🙋 Ik pak dit op   [2] ✅ Afgerond",
    "[→ 1003 corporation] 🚨 Acuut probleem bij WT-IZK-0001 (woning WN-IZK-0001, check-in 2 weken na verhuizing): Overlast of buren.",
    "Samen oplossen: bel de woonbegeleider en spreek af wie wat doet. Wie het oppakt, drukt op ‘Ik pak dit op’.",
    "    [1] 🙋 Ik pak dit op   [2] ✅ Afgerond",
    "— je bent nu 1002 field_worker",
    "[→ 1002 field_worker] Dat kan ik met jouw rol niet voor je doen. Typ /help om te zien wat wel kan.",
]

FOLLOW_UP_TRANSCRIPT = [
    "[→ 1004 support_worker] 🏡 Check-in 3 dagen na verhuizing: WT-IZK-0001 (Haarlem, Schalkwijk).",
    "Hoe gaat het? Kies wat past; bij zorgen of een acuut probleem vraag ik waar het over gaat.",
    "    [1] ✅ Gaat goed   [2] ⚠️ Zorgen",
    "    [3] 🚨 Acuut probleem   [4] 📵 Niet bereikt",
    "— klok staat op 08-01-2026 09:00; uitgevoerde taken: 1",
    "[→ 1004 support_worker] ⏰ Herinnering: de check-in 3 dagen na verhuizing van WT-IZK-0001 wacht nog op je antwoord.",
    "    [1] ✅ Gaat goed   [2] ⚠️ Zorgen",
    "    [3] 🚨 Acuut probleem   [4] 📵 Niet bereikt",
    "— klok staat op 12-01-2026 09:00; uitgevoerde taken: 2",
    "[→ 1001 coordinator] ⏳ De check-in 3 dagen na verhuizing van WT-IZK-0001 is na vijf werkdagen nog niet beantwoord. Neem contact op met de woonbegeleider.",
    "— klok staat op 15-01-2026 09:00; uitgevoerde taken: 1",
    "— klok staat op 16-01-2026 09:00; uitgevoerde taken: 0",
]
UNREACHED_TRANSCRIPT = [
    "[→ 1004 support_worker] 🏡 Check-in 3 dagen na verhuizing: WT-IZK-0001 (Haarlem, Schalkwijk).",
    "Hoe gaat het? Kies wat past; bij zorgen of een acuut probleem vraag ik waar het over gaat.",
    "    [1] ✅ Gaat goed   [2] ⚠️ Zorgen",
    "    [3] 🚨 Acuut probleem   [4] 📵 Niet bereikt",
    "— klok staat op 08-01-2026 09:00; uitgevoerde taken: 1",
    "— je bent nu 1004 support_worker",
    "[→ 1004 support_worker, bewerkt] 🏡 Check-in 3 dagen na verhuizing: WT-IZK-0001 (Haarlem, Schalkwijk).",
    "Hoe gaat het? Kies wat past; bij zorgen of een acuut probleem vraag ik waar het over gaat.",
    "",
    "Opgeslagen: 📵 Niet bereikt. Dank je!",
    "[→ 1004 support_worker] 🏡 Check-in 2 weken na verhuizing: WT-IZK-0001 (Haarlem, Schalkwijk).",
    "Hoe gaat het? Kies wat past; bij zorgen of een acuut probleem vraag ik waar het over gaat.",
    "    [1] ✅ Gaat goed   [2] ⚠️ Zorgen",
    "    [3] 🚨 Acuut probleem   [4] 📵 Niet bereikt",
    "— klok staat op 19-01-2026 09:00; uitgevoerde taken: 1",
    "[→ 1004 support_worker, bewerkt] 🏡 Check-in 2 weken na verhuizing: WT-IZK-0001 (Haarlem, Schalkwijk).",
    "Hoe gaat het? Kies wat past; bij zorgen of een acuut probleem vraag ik waar het over gaat.",
    "",
    "Opgeslagen: 📵 Niet bereikt. Dank je!",
    "[→ 1001 coordinator] 📵 WT-IZK-0001 is twee check-ins na elkaar niet bereikt (nu 2 weken na verhuizing). Neem contact op met de woonbegeleider en de corporatie.",
]


def _lines(out: str) -> list[str]:
    if PRINT:
        print("=====\n" + out)
    return out.rstrip("\n").split("\n")


def _moved_in(shell, kb) -> dict:
    store, now = shell.store, shell.clock.now()
    users = {role: store.user(i) for role, i in DEMO_USERS.items()}
    sanne = users["support_worker"]
    candidate = registry.register(
        store,
        now - timedelta(days=30),
        users["field_worker"],
        registry.CANDIDATES,
        {**CANDIDATE_FACTS, "support_organisation": str(sanne.organisation_id)},
        support_organisation_id=sanne.organisation_id,
        support_worker_id=sanne.telegram_id,
    )
    dwelling = registry.register(
        store, now, users["corporation"], registry.DWELLINGS, dict(HOME), municipality="haarlem"
    )
    proposal = workflow.propose(
        store, kb, now, users["coordinator"], candidate["code"], dwelling["code"]
    )
    for role, side in (("field_worker", "zorg"), ("corporation", "corporatie")):
        workflow.answer(store, kb, now, users[role], proposal["id"], side, True)
    workflow.set_move_in(store, now, users["corporation"], proposal["id"], date(2026, 1, 5))
    assert due.move_ins(store, now) == 1
    store.settle_messages(now + timedelta(seconds=1))
    return proposal


async def test_check_ins_are_asked_on_their_days_and_concerns_reach_the_matchpunt(shell, kb):
    proposal = _moved_in(shell, kb)
    rows = shell.store.checkins_of(candidate=proposal["candidate_code"])
    assert [(r["day"], r["opens_on"], r["closes_on"], r["state"]) for r in rows] == [
        (3, "2026-01-08", "2026-01-10", "gepland"),
        (14, "2026-01-17", "2026-01-24", "gepland"),
        (42, "2026-02-11", "2026-02-26", "gepland"),
        (91, "2026-03-30", "2026-04-20", "gepland"),
        (182, "2026-06-26", "2026-07-27", "gepland"),
        (365, "2026-12-22", "2027-02-04", "gepland"),
    ]
    out = await talk(
        shell,
        ":advance 2d",
        # Thursday 8 January, 09:00: the first check-in's day.
        ":advance 1d",
        ":as support_worker",
        ":press Zorgen",
        ":press Terug",
        ":press Zorgen",
        ":press Huur of betalingsachterstand",
        "/checkins",
        # Saturday 17 January the second window opens: asked on Monday 19 January, 09:00.
        ":advance 9d",
        ":advance 2d",
        ":press Acuut probleem",
        ":press Overlast of buren",
        ":as field_worker",
        "/checkins",
    )
    assert _lines(out) == TRANSCRIPT
    states = [r["state"] for r in shell.store.checkins_of(candidate=proposal["candidate_code"])]
    assert states == ["beantwoord", "beantwoord", "gepland", "gepland", "gepland", "gepland"]
    acute = [m for m in shell.store.messages() if m["urgent"]]
    assert [m["chat_id"] for m in acute] == [DEMO_USERS["coordinator"], DEMO_USERS["corporation"]]


async def test_a_forged_or_repeated_press_changes_nothing(shell, kb):
    proposal = _moved_in(shell, kb)
    await talk(shell, ":advance 3d")
    [first] = [
        c for c in shell.store.checkins_of(candidate=proposal["candidate_code"]) if c["number"] == 1
    ]
    from bot.access import accounts

    sanne = shell.store.user(DEMO_USERS["support_worker"])
    colleague = accounts.add_user(
        shell.store,
        shell.clock.now(),
        telegram_id=1010,
        role="support_worker",
        organisation=shell.store.organisation(sanne.organisation_id),
    )
    shell.api.known_chats.add(colleague.telegram_id)
    by_role = {**DEMO_USERS, "colleague": colleague.telegram_id}
    for who in ("field_worker", "corporation", "support_worker", "1010"):
        await talk(shell, f":as {who}", "/help")
    refused = "Dit mag je met jouw rol niet doen."
    not_yours = "Deze knop is niet voor jou; er is niets veranderd."
    cases = [
        ("field_worker", f"c|g|{first['id']}", refused),
        ("corporation", f"c|t|{first['id']}|zhuur", refused),
        ("colleague", f"c|g|{first['id']}", not_yours),
        ("support_worker", f"c|t|{first['id']}|zverzonnen", "Kies waar het over gaat."),
        ("support_worker", "c|g|99999", "Deze check-in bestaat niet (meer)."),
        ("support_worker", f"c|q|{first['id']}", "Deze knop is niet meer geldig."),
        ("support_worker", f"c|g|{first['id']}", "Opgeslagen: ✅ Gaat goed. Dank je!"),
        (
            "support_worker",
            f"c|g|{first['id']}",
            "Dit antwoord had je al gegeven; er is niets veranderd.",
        ),
        (
            "support_worker",
            f"c|n|{first['id']}",
            "Deze check-in is al beantwoord; er is niets veranderd.",
        ),
        ("support_worker", f"c|g|{first['id'] + 1}", "Deze check-in staat nog niet open."),
    ]
    for role, data, told in cases:
        user = by_role[role]
        message = max(o.message_id for o in shell.api.outputs if o.to == user and o.message_id)
        start = len(shell.out.getvalue())
        shell.api.press(user, message, data)
        await shell.settle()
        assert told in shell.out.getvalue()[start:], (role, data)
    row = shell.store.checkin(first["id"])
    assert (row["state"], row["answer"], row["answered_by"]) == (
        "beantwoord",
        "goed",
        DEMO_USERS["support_worker"],
    )


async def test_a_candidates_check_ins_are_in_its_export_and_go_with_its_erasure(shell, kb):
    from bot.privacy import erasure

    proposal = _moved_in(shell, kb)
    code, now = proposal["candidate_code"], shell.clock.now()
    exported = erasure.export_candidate(shell.store, now, code)
    assert [c["day"] for c in exported["checkins"]] == [3, 14, 42, 91, 182, 365]
    erasure.erase_candidate(shell.store, now, code)
    assert shell.store.checkins_of(candidate=code) == []


async def test_a_check_in_due_while_the_bot_was_down_is_asked_late_then_missed(shell, kb):
    from bot.aftercare import runner
    from bot.config import AftercareConfig

    proposal = _moved_in(shell, kb)
    store = shell.store
    # Monday 12 January, 10:00: the first window (8 to 10 January) passed unasked.
    later = shell.clock.now() + timedelta(days=7, hours=1)
    assert runner.close_missed(store, later) == 0
    assert runner.ask_due(store, later, AftercareConfig(), {"haarlem": "Haarlem"}) == 1
    [first] = [
        c for c in store.checkins_of(candidate=proposal["candidate_code"]) if c["number"] == 1
    ]
    assert first["state"] == "klaar"
    assert runner.close_missed(store, later + timedelta(days=1)) == 1
    assert store.checkin(first["id"])["state"] == "gemist"


async def test_an_unanswered_check_in_is_reminded_then_escalated(shell, kb):
    proposal = _moved_in(shell, kb)
    code = proposal["candidate_code"]
    out = await talk(
        shell,
        # Thursday 8 January: asked. Monday 12 January (two working days): reminded.
        ":advance 3d",
        ":advance 4d",
        # Thursday 15 January (five working days): the matchpunt is told.
        ":advance 3d",
        ":advance 1d",
    )
    assert _lines(out) == FOLLOW_UP_TRANSCRIPT
    [first] = [c for c in shell.store.checkins_of(candidate=code) if c["number"] == 1]
    assert (first["reminded_at"], first["escalated_at"]) == (
        "2026-01-12T08:00:00+00:00",
        "2026-01-15T08:00:00+00:00",
    )


async def test_not_reached_twice_in_a_row_tells_the_matchpunt(shell, kb):
    proposal = _moved_in(shell, kb)
    out = await talk(
        shell,
        ":advance 3d",
        ":as support_worker",
        ":press Niet bereikt",
        ":advance 11d",
        ":press Niet bereikt",
    )
    assert _lines(out) == UNREACHED_TRANSCRIPT
    answers = [c["answer"] for c in shell.store.checkins_of(candidate=proposal["candidate_code"])]
    assert answers[:2] == ["niet_bereikt", "niet_bereikt"]


HANDOVER_TRANSCRIPT = [
    "— je bent nu 1002 field_worker",
    "[→ 1002 field_worker] 1 kandidaat",
    "    [1] WT-IZK-0001 · verhuisd · Haarlem · 30 dagen",
    "[→ 1002 field_worker, bewerkt] WT-IZK-0001",
    "Status: verhuisd",
    "Wacht al: 30 dagen",
    "Gemeenten: Haarlem",
    "Huishouden: Alleenstaand",
    "Begeleiding: Reguliere ambulante begeleiding",
    "Uitstroomprofiel: Zelfstandig (voorbeeld)",
    "Woonwensen: geen",
    "Huurgrens: Tot de lage aftoppingsgrens (€ 713,02)",
    "Verhuizen vanaf: zondag 1 februari 2026",
    "Knelpunten: Huurschuld",
    "Urgentie: Nee",
    "Begeleidende organisatie: Ambulante Begeleiding Haarlem (voorbeeld)",
    "Notitie: —",
    "    [1] 👤 Woonbegeleider wijzigen",
    "    [2] ↩️ Teruggevallen (woont er niet meer)",
    "    [3] ➡️ Doorgestroomd (andere woning)",
    "    [4] ⬅️ Terug naar de lijst",
    "[→ 1002 field_worker, bewerkt] Wie wordt de woonbegeleider van WT-IZK-0001?",
    "    [1] Ruben (Ambulante Begeleiding Haarlem (voorbeeld))",
    "    [2] ⬅️ Terug",
    "[→ 1002 field_worker, bewerkt] Opgeslagen: Ruben (Ambulante Begeleiding Haarlem (voorbeeld)) is nu de woonbegeleider; 6 check-ins gaan mee.",
    "[→ 1010] 👤 Je bent nu de woonbegeleider van WT-IZK-0001: de check-ins na de verhuizing komen naar jou (6 open of gepland). Zie /checkins.",
    "[→ 1004 support_worker] 👤 De check-ins van WT-IZK-0001 gaan vanaf nu naar Ruben (Ambulante Begeleiding Haarlem (voorbeeld)).",
    "[→ 1010] 🏡 Check-in 3 dagen na verhuizing: WT-IZK-0001 (Haarlem, Schalkwijk).",
    "Hoe gaat het? Kies wat past; bij zorgen of een acuut probleem vraag ik waar het over gaat.",
    "    [1] ✅ Gaat goed   [2] ⚠️ Zorgen",
    "    [3] 🚨 Acuut probleem   [4] 📵 Niet bereikt",
    "— klok staat op 08-01-2026 09:00; uitgevoerde taken: 1",
]


async def test_another_support_worker_takes_the_check_ins_along(shell, kb):
    from bot.access import accounts

    proposal = _moved_in(shell, kb)
    store = shell.store
    sanne = store.user(DEMO_USERS["support_worker"])
    colleague = accounts.add_user(
        store,
        shell.clock.now(),
        telegram_id=1010,
        role="support_worker",
        organisation=store.organisation(sanne.organisation_id),
        first_name="Ruben",
    )
    shell.api.known_chats.add(colleague.telegram_id)
    out = await talk(
        shell,
        ":as field_worker",
        "/mijn",
        ":press WT-IZK-0001",
        ":press Woonbegeleider wijzigen",
        ":press Ruben",
        ":advance 3d",
    )
    assert _lines(out) == HANDOVER_TRANSCRIPT
    rows = store.checkins_of(candidate=proposal["candidate_code"])
    assert {c["recipient_id"] for c in rows} == {1010}
    assert store.record("candidates", proposal["candidate_code"])["support_worker_id"] == 1010
    # A forged press for someone of another organisation, or for a support worker, is refused.
    from bot.access.roles import NotAllowedError
    from bot.aftercare import schedule

    with pytest.raises(NotAllowedError):
        schedule.change_support_worker(
            store, shell.clock.now(), store.user(1010), proposal["candidate_code"], 1004
        )
    with pytest.raises(NotAllowedError):
        schedule.change_support_worker(
            store,
            shell.clock.now(),
            store.user(DEMO_USERS["field_worker"]),
            proposal["candidate_code"],
            DEMO_USERS["corporation"],
        )


CORRECTION_TRANSCRIPT = [
    "— je bent nu 1003 corporation",
    "[→ 1003 corporation] 1 woning",
    "    [1] WN-IZK-0001 · verhuurd · Haarlem · 0 dagen",
    "[→ 1003 corporation, bewerkt] WN-IZK-0001",
    "Status: verhuurd",
    "Wacht al: 0 dagen",
    "Gemeente: Haarlem",
    "Wijk: Schalkwijk",
    "Soort woning: Appartement",
    "Kamers: 2",
    "Verdieping: begane grond",
    "Toegankelijk: Nee",
    "Huisdieren: Ja",
    "Kale huur: € 600,00",
    "Servicekosten: € 0,00",
    "Beschikbaar vanaf: maandag 5 januari 2026",
    "Omklapwoning: Nee",
    "Contactpersoon: Inge (Woonopmaat)",
    "    [1] 📅 Verhuisdatum corrigeren",
    "    [2] ⬅️ Terug naar de lijst",
    "[→ 1003 corporation] Op welke datum is de kandidaat echt verhuisd? Typ bijvoorbeeld ‘2 januari’. De check-ins die nog komen, schuiven mee.",
    "    [1] ✖️ Annuleren",
    "[→ 1003 corporation, knoppen weg] Op welke datum is de kandidaat echt verhuisd? Typ bijvoorbeeld ‘2 januari’. De check-ins die nog komen, schuiven mee.",
    "[→ 1003 corporation] ⚠️ Na de verhuizing corrigeer je de datum naar een dag in de afgelopen drie maanden, en niet later dan vandaag.",
    "",
    "Op welke datum is de kandidaat echt verhuisd? Typ bijvoorbeeld ‘2 januari’. De check-ins die nog komen, schuiven mee.",
    "    [1] ✖️ Annuleren",
    "[→ 1003 corporation, bewerkt] Op welke datum is de kandidaat echt verhuisd? Typ bijvoorbeeld ‘2 januari’. De check-ins die nog komen, schuiven mee.",
    "",
    "✏️ 2 januari",
    "[→ 1003 corporation] 📅 Verhuisdatum opgeslagen: vrijdag 2 januari 2026.",
    "[→ 1002 field_worker] 📅 Verhuisdatum van WT-IZK-0001 naar WN-IZK-0001: vrijdag 2 januari 2026.",
    "[→ 1001 coordinator] 📅 Verhuisdatum van WT-IZK-0001 naar WN-IZK-0001: vrijdag 2 januari 2026.",
]


async def test_a_corrected_move_in_date_moves_the_check_ins_to_come(shell, kb):
    proposal = _moved_in(shell, kb)
    out = await talk(
        shell,
        ":as corporation",
        "/mijn",
        ":press WN-IZK-0001",
        ":press Verhuisdatum corrigeren",
        "12 januari",
        "2 januari",
    )
    assert _lines(out) == CORRECTION_TRANSCRIPT
    rows = shell.store.checkins_of(candidate=proposal["candidate_code"])
    assert [(r["day"], r["opens_on"], r["closes_on"]) for r in rows] == [
        (3, "2026-01-05", "2026-01-07"),
        (14, "2026-01-14", "2026-01-21"),
        (42, "2026-02-08", "2026-02-23"),
        (91, "2026-03-27", "2026-04-17"),
        (182, "2026-06-23", "2026-07-24"),
        (365, "2026-12-19", "2027-02-01"),
    ]
    assert shell.store.proposal(proposal["id"])["move_in_on"] == "2026-01-02"
