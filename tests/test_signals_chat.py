"""Samen oplossen through the real Application, compared whole: a concern at a check-in
opens a signal for the matchpunt and the corporation; the support worker adds a note (the
personal-data guard refuses a phone number); the corporation takes it, /signalen shows its
age and who took it, the matchpunt closes it with an outcome and everyone hears. An acute
problem goes out at once in the evening, a concern waits for the morning. "Teruggevallen"
ends the placement: the rest of its check-ins lapse. Forged presses change nothing."""

from __future__ import annotations

from datetime import timedelta

from helpers import talk
from test_checkins_chat import _lines, _moved_in

from bot.demo import DEMO_USERS

SIGNAL_TRANSCRIPT = [
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
    "[→ 1004 support_worker] Typ een korte toelichting voor het matchpunt en de corporatie: wat speelt er en wat is er nodig? Zonder namen of andere persoonsgegevens.",
    "    [1] ✖️ Annuleren",
    "[→ 1004 support_worker, knoppen weg] Typ een korte toelichting voor het matchpunt en de corporatie: wat speelt er en wat is er nodig? Zonder namen of andere persoonsgegevens.",
    "[→ 1004 support_worker] ⚠️ De toelichting lijkt een telefoonnummer te bevatten. Die gegevens bewaren we niet: laat ze weg en probeer het opnieuw.",
    "",
    "Typ een korte toelichting voor het matchpunt en de corporatie: wat speelt er en wat is er nodig? Zonder namen of andere persoonsgegevens.",
    "    [1] ✖️ Annuleren",
    "[→ 1004 support_worker, bewerkt] Typ een korte toelichting voor het matchpunt en de corporatie: wat speelt er en wat is er nodig? Zonder namen of andere persoonsgegevens.",
    "",
    "✏️ Huurachterstand van twee maanden, budgetcoach nodig.",
    "[→ 1004 support_worker] De toelichting is doorgestuurd naar het matchpunt en de corporatie.",
    "[→ 1001 coordinator] 📝 Toelichting bij het signaal over WT-IZK-0001 (Huur of betalingsachterstand): Huurachterstand van twee maanden, budgetcoach nodig.",
    "    [1] 🙋 Ik pak dit op   [2] ✅ Afgerond",
    "[→ 1003 corporation] 📝 Toelichting bij het signaal over WT-IZK-0001 (Huur of betalingsachterstand): Huurachterstand van twee maanden, budgetcoach nodig.",
    "    [1] 🙋 Ik pak dit op   [2] ✅ Afgerond",
    "— je bent nu 1003 corporation",
    "[→ 1003 corporation, bewerkt] 📝 Toelichting bij het signaal over WT-IZK-0001 (Huur of betalingsachterstand): Huurachterstand van twee maanden, budgetcoach nodig.",
    "",
    "Genoteerd: jij pakt dit op. Druk op ‘Afgerond’ als het is opgelost.",
    "    [1] ✅ Afgerond",
    "[→ 1004 support_worker] 🙋 Inge (Woonopmaat) pakt het signaal over WT-IZK-0001 op (Huur of betalingsachterstand).",
    "[→ 1001 coordinator] 🙋 Inge (Woonopmaat) pakt het signaal over WT-IZK-0001 op (Huur of betalingsachterstand).",
    "— je bent nu 1001 coordinator",
    "— klok staat op 09-01-2026 09:00; uitgevoerde taken: 0",
    "[→ 1001 coordinator] Open signalen",
    "• WT-IZK-0001 · ⚠️ Zorgen: Huur of betalingsachterstand · 1 dag open · opgepakt door Inge (Woonopmaat)",
    "    [1] Bekijken: WT-IZK-0001",
    "[→ 1001 coordinator] ⚠️ Zorgen bij WT-IZK-0001 (woning WN-IZK-0001): Huur of betalingsachterstand",
    "1 dag open.",
    "Toelichting: Huurachterstand van twee maanden, budgetcoach nodig.",
    "Opgepakt door Inge (Woonopmaat).",
    "    [1] ✅ Afgerond",
    "[→ 1001 coordinator, knoppen bewerkt] ⚠️ Zorgen bij WT-IZK-0001 (woning WN-IZK-0001): Huur of betalingsachterstand",
    "1 dag open.",
    "Toelichting: Huurachterstand van twee maanden, budgetcoach nodig.",
    "Opgepakt door Inge (Woonopmaat).",
    "    [1] Opgelost",
    "    [2] Wijkteam ingeschakeld",
    "    [3] Alternatief gezocht",
    "    [4] Teruggevallen",
    "    [5] ⬅️ Terug",
    "[→ 1001 coordinator, knoppen bewerkt] ⚠️ Zorgen bij WT-IZK-0001 (woning WN-IZK-0001): Huur of betalingsachterstand",
    "1 dag open.",
    "Toelichting: Huurachterstand van twee maanden, budgetcoach nodig.",
    "Opgepakt door Inge (Woonopmaat).",
    "    [1] ✅ Afgerond",
    "[→ 1001 coordinator, knoppen bewerkt] ⚠️ Zorgen bij WT-IZK-0001 (woning WN-IZK-0001): Huur of betalingsachterstand",
    "1 dag open.",
    "Toelichting: Huurachterstand van twee maanden, budgetcoach nodig.",
    "Opgepakt door Inge (Woonopmaat).",
    "    [1] Opgelost",
    "    [2] Wijkteam ingeschakeld",
    "    [3] Alternatief gezocht",
    "    [4] Teruggevallen",
    "    [5] ⬅️ Terug",
    "[→ 1001 coordinator, bewerkt] ⚠️ Zorgen bij WT-IZK-0001 (woning WN-IZK-0001): Huur of betalingsachterstand",
    "1 dag open.",
    "Toelichting: Huurachterstand van twee maanden, budgetcoach nodig.",
    "Opgepakt door Inge (Woonopmaat).",
    "",
    "Afgerond: Wijkteam ingeschakeld. De partners krijgen bericht.",
    "[→ 1003 corporation] ✅ Marieke (Regionaal Matchpunt IJmond en Zuid-Kennemerland (voorbeeld)) heeft het signaal over WT-IZK-0001 afgerond: Wijkteam ingeschakeld (Huur of betalingsachterstand).",
    "[→ 1004 support_worker] ✅ Marieke (Regionaal Matchpunt IJmond en Zuid-Kennemerland (voorbeeld)) heeft het signaal over WT-IZK-0001 afgerond: Wijkteam ingeschakeld (Huur of betalingsachterstand).",
    "[→ 1001 coordinator] Er staan geen signalen open.",
]
OUTSIDE_HOURS_TRANSCRIPT = [
    "[→ 1004 support_worker] 🏡 Check-in 3 dagen na verhuizing: WT-IZK-0001 (Haarlem, Schalkwijk).",
    "Hoe gaat het? Kies wat past; bij zorgen of een acuut probleem vraag ik waar het over gaat.",
    "    [1] ✅ Gaat goed   [2] ⚠️ Zorgen",
    "    [3] 🚨 Acuut probleem   [4] 📵 Niet bereikt",
    "— klok staat op 08-01-2026 09:00; uitgevoerde taken: 1",
    "— klok staat op 08-01-2026 22:00; uitgevoerde taken: 0",
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
    "[→ 1004 support_worker, bewerkt] 🏡 Check-in 3 dagen na verhuizing: WT-IZK-0001 (Haarlem, Schalkwijk).",
    "Hoe gaat het? Kies wat past; bij zorgen of een acuut probleem vraag ik waar het over gaat.",
    "",
    "Opgeslagen: ⚠️ Zorgen (Overlast of buren). Het matchpunt en de corporatie krijgen bericht om het samen op te lossen. Wil je er iets bij vertellen? Voeg een korte toelichting toe (zonder namen).",
    "    [1] 📝 Toelichting toevoegen",
    "[→ 1001 coordinator] ⚠️ Zorgen bij WT-IZK-0001 (woning WN-IZK-0001, check-in 3 dagen na verhuizing): Overlast of buren.",
    "Samen oplossen: bel de woonbegeleider en spreek af wie wat doet. Wie het oppakt, drukt op ‘Ik pak dit op’.",
    "    [1] 🙋 Ik pak dit op   [2] ✅ Afgerond",
    "[→ 1003 corporation] ⚠️ Zorgen bij WT-IZK-0001 (woning WN-IZK-0001, check-in 3 dagen na verhuizing): Overlast of buren.",
    "Samen oplossen: bel de woonbegeleider en spreek af wie wat doet. Wie het oppakt, drukt op ‘Ik pak dit op’.",
    "    [1] 🙋 Ik pak dit op   [2] ✅ Afgerond",
    "— klok staat op 09-01-2026 08:00; uitgevoerde taken: 0",
    "— klok staat op 19-01-2026 08:00; uitgevoerde taken: 0",
    "[→ 1004 support_worker] 🏡 Check-in 2 weken na verhuizing: WT-IZK-0001 (Haarlem, Schalkwijk).",
    "Hoe gaat het? Kies wat past; bij zorgen of een acuut probleem vraag ik waar het over gaat.",
    "    [1] ✅ Gaat goed   [2] ⚠️ Zorgen",
    "    [3] 🚨 Acuut probleem   [4] 📵 Niet bereikt",
    "— klok staat op 19-01-2026 09:00; uitgevoerde taken: 1",
    "— klok staat op 19-01-2026 22:00; uitgevoerde taken: 0",
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
    "Opgeslagen: 🚨 Acuut probleem (Gezondheid of zorg). Het matchpunt en de corporatie krijgen meteen bericht. Wil je er iets bij vertellen? Voeg een korte toelichting toe (zonder namen).",
    "    [1] 📝 Toelichting toevoegen",
    "[→ 1001 coordinator] 🚨 Acuut probleem bij WT-IZK-0001 (woning WN-IZK-0001, check-in 2 weken na verhuizing): Gezondheid of zorg.",
    "Samen oplossen: bel de woonbegeleider en spreek af wie wat doet. Wie het oppakt, drukt op ‘Ik pak dit op’.",
    "    [1] 🙋 Ik pak dit op   [2] ✅ Afgerond",
    "[→ 1003 corporation] 🚨 Acuut probleem bij WT-IZK-0001 (woning WN-IZK-0001, check-in 2 weken na verhuizing): Gezondheid of zorg.",
    "Samen oplossen: bel de woonbegeleider en spreek af wie wat doet. Wie het oppakt, drukt op ‘Ik pak dit op’.",
    "    [1] 🙋 Ik pak dit op   [2] ✅ Afgerond",
]
RETURNED_TRANSCRIPT = [
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
    "[→ 1004 support_worker, bewerkt] 🏡 Check-in 3 dagen na verhuizing: WT-IZK-0001 (Haarlem, Schalkwijk).",
    "Hoe gaat het? Kies wat past; bij zorgen of een acuut probleem vraag ik waar het over gaat.",
    "",
    "Opgeslagen: 🚨 Acuut probleem (Huur of betalingsachterstand). Het matchpunt en de corporatie krijgen meteen bericht. Wil je er iets bij vertellen? Voeg een korte toelichting toe (zonder namen).",
    "    [1] 📝 Toelichting toevoegen",
    "[→ 1001 coordinator] 🚨 Acuut probleem bij WT-IZK-0001 (woning WN-IZK-0001, check-in 3 dagen na verhuizing): Huur of betalingsachterstand.",
    "Samen oplossen: bel de woonbegeleider en spreek af wie wat doet. Wie het oppakt, drukt op ‘Ik pak dit op’.",
    "    [1] 🙋 Ik pak dit op   [2] ✅ Afgerond",
    "[→ 1003 corporation] 🚨 Acuut probleem bij WT-IZK-0001 (woning WN-IZK-0001, check-in 3 dagen na verhuizing): Huur of betalingsachterstand.",
    "Samen oplossen: bel de woonbegeleider en spreek af wie wat doet. Wie het oppakt, drukt op ‘Ik pak dit op’.",
    "    [1] 🙋 Ik pak dit op   [2] ✅ Afgerond",
    "— je bent nu 1001 coordinator",
    "[→ 1001 coordinator, knoppen bewerkt] 🚨 Acuut probleem bij WT-IZK-0001 (woning WN-IZK-0001, check-in 3 dagen na verhuizing): Huur of betalingsachterstand.",
    "Samen oplossen: bel de woonbegeleider en spreek af wie wat doet. Wie het oppakt, drukt op ‘Ik pak dit op’.",
    "    [1] Opgelost",
    "    [2] Wijkteam ingeschakeld",
    "    [3] Alternatief gezocht",
    "    [4] Teruggevallen",
    "    [5] ⬅️ Terug",
    "[→ 1001 coordinator, bewerkt] 🚨 Acuut probleem bij WT-IZK-0001 (woning WN-IZK-0001, check-in 3 dagen na verhuizing): Huur of betalingsachterstand.",
    "Samen oplossen: bel de woonbegeleider en spreek af wie wat doet. Wie het oppakt, drukt op ‘Ik pak dit op’.",
    "",
    "Afgerond: Teruggevallen. De partners krijgen bericht. De plaatsing is beëindigd; de overige check-ins vervallen.",
    "[→ 1004 support_worker] ℹ️ WT-IZK-0001 woont niet meer in woning WN-IZK-0001 (teruggevallen). De check-ins die nog open stonden of kwamen (5), vervallen.",
    "[→ 1003 corporation] ✅ Marieke (Regionaal Matchpunt IJmond en Zuid-Kennemerland (voorbeeld)) heeft het signaal over WT-IZK-0001 afgerond: Teruggevallen (Huur of betalingsachterstand).",
    "[→ 1004 support_worker] ✅ Marieke (Regionaal Matchpunt IJmond en Zuid-Kennemerland (voorbeeld)) heeft het signaal over WT-IZK-0001 afgerond: Teruggevallen (Huur of betalingsachterstand).",
    "— je bent nu 1004 support_worker",
    "[→ 1004 support_worker] Er staan geen check-ins open of gepland.",
]


async def test_a_concern_is_solved_together(shell, kb):
    proposal = _moved_in(shell, kb)
    out = await talk(
        shell,
        ":advance 3d",
        ":as support_worker",
        ":press Zorgen",
        ":press Huur of betalingsachterstand",
        ":press Toelichting toevoegen",
        "Bel haar op 06-12345678",
        "Huurachterstand van twee maanden, budgetcoach nodig.",
        ":as corporation",
        ":press Ik pak dit op",
        ":as coordinator",
        ":advance 1d",
        "/signalen",
        ":press Bekijken: WT-IZK-0001",
        ":press Afgerond",
        ":press Terug",
        ":press Afgerond",
        ":press Wijkteam ingeschakeld",
        "/signalen",
    )
    assert _lines(out) == SIGNAL_TRANSCRIPT
    [signal] = shell.store.signals_of(candidate=proposal["candidate_code"])
    assert (
        signal["kind"],
        signal["topic"],
        signal["note"],
        signal["taken_by"],
        signal["closed_by"],
        signal["outcome"],
    ) == (
        "zorgen",
        "huur",
        "Huurachterstand van twee maanden, budgetcoach nodig.",
        DEMO_USERS["corporation"],
        DEMO_USERS["coordinator"],
        "wijkteam",
    )


async def test_an_acute_problem_goes_out_at_once_a_concern_waits_for_the_morning(shell, kb):
    _moved_in(shell, kb)
    out = await talk(
        shell,
        # Thursday 8 January 09:00 the first check-in is asked; answered at 22:00, in the
        # quiet hours (21:00 to 08:00).
        ":advance 3d",
        ":advance 13h",
        ":as support_worker",
        ":press Zorgen",
        ":press Overlast of buren",
        # Friday 08:00: the matchpunt and the corporation hear of the concern.
        ":advance 10h",
        # Monday 19 January 09:00 the second is asked; at 22:00 an acute problem.
        ":advance 10d",
        ":advance 1h",
        ":advance 13h",
        ":press Acuut probleem",
        ":press Gezondheid of zorg",
    )
    assert _lines(out) == OUTSIDE_HOURS_TRANSCRIPT
    sent = [
        (m["chat_id"], m["urgent"], m["sent_at"])
        for m in shell.store.messages()
        if m["key"].startswith("signaal:")
    ]
    assert sent == [
        (DEMO_USERS["coordinator"], 0, "2026-01-09T07:00:00+00:00"),
        (DEMO_USERS["corporation"], 0, "2026-01-09T07:00:00+00:00"),
        (DEMO_USERS["coordinator"], 1, "2026-01-19T21:00:00+00:00"),
        (DEMO_USERS["corporation"], 1, "2026-01-19T21:00:00+00:00"),
    ]


async def test_teruggevallen_ends_the_placement_and_its_check_ins_lapse(shell, kb):
    proposal = _moved_in(shell, kb)
    code = proposal["candidate_code"]
    out = await talk(
        shell,
        ":advance 3d",
        ":as support_worker",
        ":press Acuut probleem",
        ":press Huur of betalingsachterstand",
        ":as coordinator",
        ":press Afgerond",
        ":press Teruggevallen",
        ":as support_worker",
        "/checkins",
    )
    assert _lines(out) == RETURNED_TRANSCRIPT
    placement = shell.store.proposal(proposal["id"])
    assert (placement["left_on"], placement["left_as"]) == ("2026-01-08", "teruggevallen")
    assert shell.store.record("candidates", code)["status"] == "teruggevallen"
    states = [c["state"] for c in shell.store.checkins_of(candidate=code)]
    assert states == ["beantwoord", "vervallen", "vervallen", "vervallen", "vervallen", "vervallen"]


async def test_moving_on_by_hand_ends_the_placement(shell, kb):
    from bot.decisions import workflow
    from bot.records import registry

    proposal = _moved_in(shell, kb)
    code, now = proposal["candidate_code"], shell.clock.now()
    field_worker = shell.store.user(DEMO_USERS["field_worker"])
    assert registry.changes_for(
        field_worker, registry.CANDIDATES, shell.store.record("candidates", code)
    ) == ["teruggevallen", "doorgestroomd"]
    workflow.change_status(
        shell.store, kb, now, field_worker, registry.CANDIDATES, code, "doorgestroomd", "huurwoning"
    )
    placement = shell.store.proposal(proposal["id"])
    assert (placement["left_on"], placement["left_as"]) == ("2026-01-05", "doorgestroomd")
    assert {c["state"] for c in shell.store.checkins_of(candidate=code)} == {"vervallen"}
    [told] = [m for m in shell.store.messages() if m["key"].startswith("vertrokken:")]
    assert told["chat_id"] == DEMO_USERS["support_worker"]
    assert told["text"] == (
        "ℹ️ <b>WT-IZK-0001</b> woont niet meer in woning <b>WN-IZK-0001</b> (doorgestroomd "
        "naar andere woonruimte). De check-ins die nog open stonden of kwamen (6), vervallen."
    )


async def test_a_forged_or_repeated_signal_press_changes_nothing(shell, kb):
    from bot.access import accounts

    _moved_in(shell, kb)
    await talk(
        shell,
        ":advance 3d",
        ":as support_worker",
        ":press Zorgen",
        ":press Dagbesteding",
    )
    [signal] = shell.store.signals_of()
    store, now = shell.store, shell.clock.now()
    corporation = store.user(DEMO_USERS["corporation"])
    elsewhere = store.add_organisation("Andere Corporatie", "corporatie", corporation.region, now)
    stranger = accounts.add_user(
        store, now, telegram_id=1011, role="corporation", organisation=elsewhere
    )
    shell.api.known_chats.add(stranger.telegram_id)
    by_role = {**DEMO_USERS, "stranger": stranger.telegram_id}
    for who in ("field_worker", "corporation", "coordinator", "1011"):
        await talk(shell, f":as {who}", "/help")
    sid = signal["id"]
    refused = "Dit mag je met jouw rol niet doen."
    not_yours = "Deze knop is niet voor jou; er is niets veranderd."
    cases = [
        ("field_worker", f"s|p|{sid}", refused),
        ("stranger", f"s|p|{sid}", not_yours),
        ("stranger", f"s|v|{sid}", not_yours),
        ("corporation", f"s|n|{sid}", not_yours),
        ("corporation", f"s|o|{sid}|verzonnen", "Deze knop is niet meer geldig."),
        ("corporation", "s|p|99999", "Dit signaal bestaat niet (meer)."),
        ("corporation", f"s|p|{sid}|x|y", "Deze knop is niet meer geldig."),
        ("corporation", f"s|p|{sid}", "Genoteerd: jij pakt dit op."),
        ("corporation", f"s|p|{sid}", "Je had dit signaal al opgepakt; er is niets veranderd."),
        ("coordinator", f"s|p|{sid}", "pakt dit signaal al op; er is niets veranderd."),
        ("coordinator", f"s|o|{sid}|opgelost", "Afgerond: Opgelost."),
        ("coordinator", f"s|o|{sid}|opgelost", "Dit signaal was al zo afgerond"),
        ("corporation", f"s|o|{sid}|teruggevallen", "Dit signaal is al afgerond (Opgelost)."),
        ("support_worker", f"s|n|{sid}", "Dit signaal is al afgerond (Opgelost)."),
    ]
    for role, data, told in cases:
        user = by_role[role]
        message = max(o.message_id for o in shell.api.outputs if o.to == user and o.message_id)
        start = len(shell.out.getvalue())
        shell.api.press(user, message, data)
        await shell.settle()
        assert told in shell.out.getvalue()[start:], (role, data)
    row = store.signal(sid)
    assert (row["taken_by"], row["closed_by"], row["outcome"]) == (
        DEMO_USERS["corporation"],
        DEMO_USERS["coordinator"],
        "opgelost",
    )
    assert store.record("candidates", row["candidate_code"])["status"] == "verhuisd"


CARD_TRANSCRIPT = [
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
    "[→ 1002 field_worker, bewerkt] Waarom wordt WT-IZK-0001 doorgestroomd? Typ een korte reden, zonder namen of andere persoonsgegevens.",
    "    [1] ✖️ Annuleren",
    "[→ 1002 field_worker, bewerkt] Waarom wordt WT-IZK-0001 doorgestroomd? Typ een korte reden, zonder namen of andere persoonsgegevens.",
    "",
    "✏️ Sociale huurwoning via de corporatie",
    "[→ 1002 field_worker] WT-IZK-0001 op doorgestroomd zetten met reden ‘Sociale huurwoning via de corporatie’? De plaatsing eindigt en de check-ins die nog komen, vervallen.",
    "    [1] ✅ Ja   [2] ✖️ Nee",
    "[→ 1002 field_worker, bewerkt] ✅ WT-IZK-0001 is nu doorgestroomd.",
    "",
    "WT-IZK-0001",
    "Status: doorgestroomd naar andere woonruimte",
    "Wacht al: 30 dagen",
    "Reden: Sociale huurwoning via de corporatie",
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
    "    [1] ⬅️ Terug naar de lijst",
    "[→ 1004 support_worker] ℹ️ WT-IZK-0001 woont niet meer in woning WN-IZK-0001 (doorgestroomd naar andere woonruimte). De check-ins die nog open stonden of kwamen (6), vervallen.",
]


async def test_leaving_the_home_from_the_card_is_confirmed_and_ends_the_placement(shell, kb):
    proposal = _moved_in(shell, kb)
    out = await talk(
        shell,
        ":as field_worker",
        "/mijn",
        ":press WT-IZK-0001",
        ":press Doorgestroomd",
        "Sociale huurwoning via de corporatie",
        ":press Ja",
    )
    assert _lines(out) == CARD_TRANSCRIPT
    placement = shell.store.proposal(proposal["id"])
    assert (placement["left_on"], placement["left_as"]) == ("2026-01-05", "doorgestroomd")


async def test_a_support_worker_reports_teruggevallen_and_the_matchpunt_ends_the_placement(
    shell, kb
):
    proposal = _moved_in(shell, kb)
    code = proposal["candidate_code"]
    await talk(
        shell,
        ":advance 3d",
        ":as support_worker",
        ":press Zorgen",
        ":press Huur of betalingsachterstand",
    )
    [signal] = shell.store.signals_of(candidate=code)
    from bot.aftercare import signals

    store, now = shell.store, shell.clock.now()
    reply = signals.close(store, now, store.user(DEMO_USERS["support_worker"]), signal["id"],
                          "teruggevallen")  # fmt: skip
    assert reply == (
        "Afgerond: <b>Teruggevallen</b>. De partners krijgen bericht. Het matchpunt zet de "
        "kandidaat op teruggevallen."
    )
    # A support worker changes no candidate: the placement goes on until the matchpunt acts.
    assert store.record("candidates", code)["status"] == "verhuisd"
    assert store.proposal(proposal["id"])["left_on"] is None
    [told] = [m for m in store.messages() if m["key"].startswith("signaal-terugval:")]
    assert told["chat_id"] == DEMO_USERS["coordinator"]
    # Another signal still open when the tenant leaves closes with the placement.
    second = store.checkins_of(candidate=code)[1]
    from bot.aftercare import answers, runner
    from bot.config import AftercareConfig

    later = now + timedelta(days=11)
    runner.ask_due(store, later, AftercareConfig(), {"haarlem": "Haarlem"})
    answers.answer(store, later, store.user(DEMO_USERS["support_worker"]), second["id"],
                   runner.CONCERN, "overlast")  # fmt: skip
    from bot.decisions import workflow
    from bot.records import registry

    workflow.change_status(store, kb, later, store.user(DEMO_USERS["coordinator"]),
                           registry.CANDIDATES, code, "teruggevallen", "terug naar de opvang")  # fmt: skip
    assert store.signals_of(candidate=code, open_only=True) == []
    assert store.proposal(proposal["id"])["left_as"] == "teruggevallen"
