"""One open step per chat: typed text goes to the step that asked for it. Starting something
else parks a form with its draft or ends a reason step without a change, and says so; a
withdrawal is confirmed; every step expires by the clock, also after a restart."""

from __future__ import annotations

from datetime import timedelta

from helpers import CANDIDATE_FACTS, TO_THE_SUPPORT_ORGANISATION, form_button, new_shell, talk

from bot.demo import DEMO_REGION, DEMO_USERS
from bot.records import registry
from bot.records.registry import CANDIDATES

FACTS = {**CANDIDATE_FACTS, "bottlenecks": []}
# The candidate form up to its last question, the note.
TO_THE_NOTE = [*TO_THE_SUPPORT_ORGANISATION, ":press Nog niet bekend"]


def _register(shell, role="field_worker"):
    user = shell.store.user(DEMO_USERS[role])
    return registry.register(shell.store, shell.clock.now(), user, CANDIDATES, dict(FACTS))["code"]


def _status(shell, code):
    return shell.store.record("candidates", code)["status"]


async def test_a_rent_typed_into_woning_never_becomes_a_candidates_note(shell):
    await talk(shell, ":as coordinator", *TO_THE_NOTE, ":press 1")
    assert shell.api.outputs[-1].text.endswith("Typ hem, of kies Overslaan.")
    switched = await talk(shell, "/woning")
    assert switched.splitlines()[:3] == [
        "[→ 1001 coordinator, knoppen weg] Kandidaat aanmelden · vraag 13 van 13",
        "[→ 1001 coordinator] Je aanmelding van een kandidaat is bewaard als concept: typ "
        "/kandidaat om verder te gaan.",
        "[→ 1001 coordinator] Woning aanmelden · vraag 1 van 13",
    ]
    await talk(shell, ":press Haarlem", ":press Overslaan", ":press Appartement", "2", "0")
    await talk(shell, ":press Nee", ":press Nee")  # not accessible, no pets
    typed = await talk(shell, "650")
    # The question takes the answer under it, and the next one follows.
    assert typed.splitlines()[:5] == [
        "[→ 1001 coordinator, bewerkt] Woning aanmelden · vraag 8 van 14",
        "",
        "Wat is de kale huur per maand? Typ een bedrag.",
        "",
        "✏️ € 650,00",
    ]
    data = shell.app.user_data[DEMO_USERS["coordinator"]]
    assert data["form:woning"]["draft"]["net_rent"] == 650
    assert "note" not in data["form:kandidaat"]["draft"]
    # The parked registration comes back where it was.
    back = await talk(shell, "/kandidaat", ":press Verder gaan")
    assert back.splitlines()[:2] == [
        "[→ 1001 coordinator, knoppen weg] Woning aanmelden · vraag 9 van 14",
        "[→ 1001 coordinator] Je aanmelding van een woning is bewaard als concept: typ /woning "
        "om verder te gaan.",
    ]
    assert shell.api.outputs[-1].text.endswith("Typ hem, of kies Overslaan.")


ANSWER = "[→ 1002 field_worker] omklapwoning: Een woning die het eerste jaar door de zorgaanbieder"


def _since(shell, start: int) -> list[str]:
    return shell.out.getvalue()[start:].splitlines()


async def test_a_withdrawal_reason_step_never_takes_a_later_question(shell):
    code = _register(shell)
    await talk(shell, ":as field_worker", "/mijn", ":press 1")
    out = await talk(shell, ":press Intrekken", "/woning", "/annuleren", "wat is een omklapwoning")
    lines = out.splitlines()
    assert lines[:6] == [
        "[→ 1002 field_worker, bewerkt] Waarom wordt WT-IZK-0001 teruggetrokken? Typ een korte "
        "reden, zonder namen of andere persoonsgegevens.",
        "    [1] ✖️ Annuleren",
        "[→ 1002 field_worker, knoppen weg] Waarom wordt WT-IZK-0001 teruggetrokken? Typ een korte "
        "reden, zonder namen of andere persoonsgegevens.",
        "[→ 1002 field_worker] Intrekken van WT-IZK-0001 is gestopt; er is niets veranderd.",
        "[→ 1002 field_worker] Dat kan ik met jouw rol niet voor je doen. Typ /help om te zien "
        "wat wel kan.",
        "[→ 1002 field_worker] Er loopt nu niets om af te breken. Typ /help om te zien wat je "
        "kunt doen.",
    ]
    assert lines[6].startswith(ANSWER)
    assert _status(shell, code) == "aangemeld"
    assert "mijn_reason" not in shell.app.user_data[DEMO_USERS["field_worker"]]


async def test_back_to_the_list_ends_the_reason_step(shell):
    code = _register(shell)
    await talk(shell, ":as field_worker", "/mijn", ":press 1")
    card = shell.api.outputs[-1].message_id
    await talk(shell, ":press Pauzeren")
    start = len(shell.out.getvalue())
    # The question took the card's place; the card's old "Terug naar de lijst" still arrives
    # (an old client, or Telegram redelivering the press).
    shell.api.press(DEMO_USERS["field_worker"], card, "m|l|c|0|*")
    await shell.settle()
    await talk(shell, "wat is een omklapwoning")
    lines = _since(shell, start)
    assert lines[:4] == [
        "[→ 1002 field_worker, knoppen weg] Waarom wordt WT-IZK-0001 gepauzeerd? Typ een korte "
        "reden, zonder namen of andere persoonsgegevens.",
        "[→ 1002 field_worker] Pauzeren van WT-IZK-0001 is gestopt; er is niets veranderd.",
        "[→ 1002 field_worker, bewerkt] 1 kandidaat",
        "    [1] WT-IZK-0001 · aangemeld · Haarlem · 0 dagen",
    ]
    assert lines[4].startswith(ANSWER)
    assert _status(shell, code) == "aangemeld"


async def test_a_question_is_no_reason_and_annuleren_stops(shell):
    code = _register(shell)
    await talk(shell, ":as field_worker", "/mijn", ":press 1", ":press Pauzeren")
    out = await talk(shell, "hoeveel woningen reserveert Midden-Groningen per jaar?")
    assert out.splitlines()[:2] == [
        "[→ 1002 field_worker, knoppen weg] Waarom wordt WT-IZK-0001 gepauzeerd? Typ een korte "
        "reden, zonder namen of andere persoonsgegevens.",
        "[→ 1002 field_worker] Pauzeren van WT-IZK-0001 is gestopt; er is niets veranderd.",
    ]
    assert "600 woningen per jaar" in out.splitlines()[2]
    await talk(shell, "/mijn", ":press 1", ":press Pauzeren")
    out = await talk(shell, ":press Annuleren", "opname in kliniek")
    assert out.splitlines()[0] == (
        "[→ 1002 field_worker, bewerkt] Pauzeren van WT-IZK-0001 is gestopt; er is niets veranderd."
    )
    assert _status(shell, code) == "aangemeld"
    assert [e["action"] for e in shell.store.audit_entries(record_id=code)] == [
        "kandidaat.create",
        "kandidaat.view",
        "kandidaat.view",
    ]


async def test_a_withdrawal_is_confirmed(shell):
    code = _register(shell)
    await talk(shell, ":as field_worker", "/mijn", ":press 1", ":press Intrekken")
    out = await talk(shell, "verhuist naar familie buiten de regio", ":press Nee")
    assert out == (
        "[→ 1002 field_worker, bewerkt] Waarom wordt WT-IZK-0001 teruggetrokken? Typ een korte "
        "reden, zonder namen of andere persoonsgegevens.\n"
        "\n"
        "✏️ verhuist naar familie buiten de regio\n"
        "[→ 1002 field_worker] WT-IZK-0001 intrekken met reden ‘verhuist naar familie buiten "
        "de regio’? Dat is definitief.\n"
        "    [1] ✅ Ja, intrekken   [2] ✖️ Nee\n"
        "[→ 1002 field_worker, bewerkt] Intrekken van WT-IZK-0001 is gestopt; er is niets "
        "veranderd.\n"
        "\n"
        "WT-IZK-0001\n"
        "Status: aangemeld\n"
        "Wacht al: 0 dagen\n"
        "Gemeenten: Haarlem\n"
        "Huishouden: Alleenstaand\n"
        "Begeleiding: Reguliere ambulante begeleiding\n"
        "Uitstroomprofiel: Zelfstandig (voorbeeld)\n"
        "Woonwensen: geen\n"
        "Huurgrens: Tot de lage aftoppingsgrens (€ 713,02)\n"
        "Verhuizen vanaf: zondag 1 februari 2026\n"
        "Knelpunten: geen\n"
        "Urgentie: Nee\n"
        "Begeleidende organisatie: Nog niet bekend\n"
        "Notitie: —\n"
        "    [1] ⏸ Pauzeren\n"
        "    [2] 🚫 Intrekken\n"
        "    [3] ✏️ Gegevens wijzigen\n"
        "    [4] ⬅️ Terug naar de lijst\n"
    )
    assert _status(shell, code) == "aangemeld"
    await talk(shell, "/mijn", ":press 1", ":press Intrekken")
    out = await talk(shell, "verhuist naar familie buiten de regio", ":press Ja, intrekken")
    assert out.splitlines()[3:9] == [
        "[→ 1002 field_worker] WT-IZK-0001 intrekken met reden ‘verhuist naar familie buiten "
        "de regio’? Dat is definitief.",
        "    [1] ✅ Ja, intrekken   [2] ✖️ Nee",
        "[→ 1002 field_worker, bewerkt] ✅ WT-IZK-0001 is nu teruggetrokken.",
        "",
        "WT-IZK-0001",
        "Status: teruggetrokken",
    ]
    row = shell.store.record("candidates", code)
    assert (row["status"], row["status_reason"]) == (
        "teruggetrokken",
        "verhuist naar familie buiten de regio",
    )


async def test_a_pause_step_expires_by_the_clock_after_a_restart(config, store, clock, shell):
    code = _register(shell)
    await talk(shell, ":as field_worker", "/mijn", ":press 1", ":press Pauzeren")
    # The running bot stops; a new one starts on the same file, without PTB's timeout job.
    await shell.__aexit__(None, None, None)
    try:
        later = new_shell(config, store, clock)
        async with later:
            clock.advance(timedelta(days=55))
            out = await talk(later, ":as field_worker", "wat is een omklapwoning")
    finally:
        await shell.__aenter__()  # the fixture stops it again
    lines = out.splitlines()
    assert lines[:2] == [
        "— je bent nu 1002 field_worker",
        "[→ 1002 field_worker] Je was een tijd niet actief. Pauzeren van WT-IZK-0001 is "
        "gestopt; er is niets veranderd.",
    ]
    assert lines[2].startswith(ANSWER)
    assert _status(shell, code) == "aangemeld"


async def test_gegevens_wijzigen_never_replaces_an_unfinished_registration(shell):
    code = _register(shell)
    await talk(shell, ":as field_worker", "/kandidaat", ":press Velsen", ":press Klaar")
    out = await talk(shell, "/mijn", ":press 1", ":press Gegevens wijzigen")
    lines = out.splitlines()
    # The question left behind loses its buttons, then the chat hears what became of it.
    assert lines[:2] == [
        "[→ 1002 field_worker, knoppen weg] Kandidaat aanmelden · vraag 2 van 12",
        "[→ 1002 field_worker] Je aanmelding van een kandidaat is bewaard als concept: typ "
        "/kandidaat om verder te gaan.",
    ]
    assert lines[-3:] == [
        f"[→ 1002 field_worker] Je bent nog bezig met je aanmelding van een kandidaat. Daarmee "
        f"verder, of dat bewaren en nu {code} wijzigen?",
        "    [1] ▶️ Daarmee verder",
        f"    [2] 🅿️ Bewaren, {code} wijzigen",
    ]
    out = await talk(shell, f":press Bewaren, {code} wijzigen")
    assert out.splitlines()[:2] == [
        "[→ 1002 field_worker, bewerkt] Je aanmelding van een kandidaat is bewaard; je kunt er "
        "later mee verder.",
        f"[→ 1002 field_worker] {code} wijzigen · overzicht",
    ]
    out = await talk(shell, "/annuleren", "/kandidaat", ":press Verder gaan")
    assert out.splitlines()[:6] == [
        f"[→ 1002 field_worker, knoppen weg] {code} wijzigen · overzicht",
        f"[→ 1002 field_worker] {code} wijzigen afgebroken. Er is niets opgeslagen.",
        "[→ 1002 field_worker] Je hebt nog een onafgemaakte aanmelding van een kandidaat. "
        "Verder gaan waar je was, of opnieuw beginnen?",
        "    [1] ▶️ Verder gaan",
        "    [2] 🆕 Opnieuw beginnen",
        "[→ 1002 field_worker, bewerkt] Kandidaat aanmelden · vraag 2 van 12",
    ]
    draft = shell.app.user_data[DEMO_USERS["field_worker"]]["form:kandidaat"]["draft"]
    assert draft == {"municipalities": ["velsen"]}
    assert shell.store.record("candidates", code)["facts"] == FACTS


async def test_a_button_means_the_option_on_its_label(shell):
    await talk(shell, ":as coordinator", *TO_THE_NOTE[:-1])
    # Meanwhile someone adds a care organisation that sorts before the others.
    shell.store.add_organisation(
        "Aa Zorg (voorbeeld)", "zorgaanbieder", DEMO_REGION, shell.clock.now()
    )
    await talk(shell, ":press Zorgaanbieder Kennemerland (voorbeeld)")
    draft = shell.app.user_data[DEMO_USERS["coordinator"]]["form:kandidaat"]["draft"]
    chosen = shell.store.organisation_by_name("Zorgaanbieder Kennemerland (voorbeeld)")
    assert draft["support_organisation"] == str(chosen.id)
    # A value that is no option (forged, or removed meanwhile) changes nothing.
    index = shell.app.user_data[DEMO_USERS["coordinator"]]["form:kandidaat"]["index"]
    question = shell.api.outputs[-1].message_id
    forged = form_button(shell, DEMO_USERS["coordinator"], "kandidaat", "o", index, "999")
    shell.api.press(DEMO_USERS["coordinator"], question, forged)
    await shell.settle()
    assert shell.out.getvalue().splitlines()[-1] == (
        "[→ 1001 coordinator, melding] Die keuze is er niet (meer). Kies opnieuw uit de knoppen."
    )
    assert "support_worker" not in draft


async def test_an_invite_left_open_over_a_restart_expires_too(config, store, clock, shell):
    await talk(shell, ":as coordinator", "/uitnodigen", ":press 1")
    await shell.__aexit__(None, None, None)
    try:
        later = new_shell(config, store, clock)
        async with later:
            clock.advance(timedelta(hours=2))
            out = await talk(later, ":as coordinator", "/help")
    finally:
        await shell.__aenter__()  # the fixture stops it again
    assert out.splitlines()[:3] == [
        "— je bent nu 1001 coordinator",
        "[→ 1001 coordinator] Je was een tijd niet actief, dus het uitnodigen is gestopt. Typ "
        "/uitnodigen om opnieuw te beginnen.",
        "[→ 1001 coordinator] Je bent Coördinator (regionaal matchpunt / gemeente). Dit kun je "
        "hier doen:",
    ]
    assert "invite" not in later.app.user_data[DEMO_USERS["coordinator"]]


async def test_an_old_confirmation_never_acts_on_a_newer_question(shell):
    first, second = _register(shell), _register(shell)
    await talk(shell, ":as field_worker", "/mijn", ":press 1", ":press Intrekken")
    await talk(shell, "verhuist naar familie buiten de regio")
    old_question = shell.api.outputs[-1].message_id
    await talk(shell, "/mijn", ":press 2", ":press Intrekken", "gaat zelf een woning zoeken")
    start = len(shell.out.getvalue())
    shell.api.press(DEMO_USERS["field_worker"], old_question, f"m|y|{first}")
    await shell.settle()
    assert _since(shell, start) == [
        "[→ 1002 field_worker] Die knop hoort bij een eerdere vraag; er is niets veranderd."
    ]
    assert (_status(shell, first), _status(shell, second)) == ("aangemeld", "aangemeld")
    # The newer question still stands and works.
    await talk(shell, ":press Ja, intrekken")
    assert (_status(shell, first), _status(shell, second)) == ("aangemeld", "teruggetrokken")


async def test_a_step_left_open_by_an_older_version_expires(config, store, clock, shell):
    code = _register(shell)
    await talk(shell, ":as field_worker", "/mijn", ":press 1", ":press Pauzeren")
    await shell.__aexit__(None, None, None)
    # An older version kept no clock for the step.
    data = store.load_data("user")[DEMO_USERS["field_worker"]]
    del data["step_clock"]
    store.save_data("user", DEMO_USERS["field_worker"], data)
    try:
        later = new_shell(config, store, clock)
        async with later:
            out = await talk(later, ":as field_worker", "klant is opgenomen in de kliniek")
    finally:
        await shell.__aenter__()
    assert out.splitlines()[1] == (
        "[→ 1002 field_worker] Je was een tijd niet actief. Pauzeren van WT-IZK-0001 is "
        "gestopt; er is niets veranderd."
    )
    assert _status(shell, code) == "aangemeld"


async def test_text_at_the_continue_prompt_answers_no_hidden_question(shell):
    await talk(shell, ":as field_worker", "/kandidaat", ":press Haarlem", ":press Klaar")
    prompt = await talk(shell, "/help", "/kandidaat")
    assert prompt.splitlines()[-3:] == [
        "[→ 1002 field_worker] Je hebt nog een onafgemaakte aanmelding van een kandidaat. "
        "Verder gaan waar je was, of opnieuw beginnen?",
        "    [1] ▶️ Verder gaan",
        "    [2] 🆕 Opnieuw beginnen",
    ]
    out = await talk(shell, "wat is een omklapwoning")
    assert out.splitlines()[:2] == [
        "[→ 1002 field_worker, knoppen weg] Je hebt nog een onafgemaakte aanmelding van een "
        "kandidaat. Verder gaan waar je was, of opnieuw beginnen?",
        "[→ 1002 field_worker] Je aanmelding van een kandidaat is bewaard als concept: typ "
        "/kandidaat om verder te gaan.",
    ]
    assert out.splitlines()[2].startswith(ANSWER)
    draft = shell.app.user_data[DEMO_USERS["field_worker"]]["form:kandidaat"]
    assert draft["index"] == 1 and draft["draft"] == {"municipalities": ["haarlem"]}


async def test_an_edit_never_undoes_a_change_made_meanwhile(shell):
    code = _register(shell)
    await talk(shell, ":as field_worker", "/mijn", ":press 1", ":press Gegevens wijzigen")
    # Meanwhile the matchpunt changes the household.
    shell.clock.advance(timedelta(minutes=1))
    coordinator = shell.store.user(DEMO_USERS["coordinator"])
    registry.change_facts(
        shell.store, shell.clock.now(), coordinator, CANDIDATES, code, {"household": "stel"}
    )
    out = await talk(shell, ":press Opslaan")
    assert out.splitlines() == [
        f"[→ 1002 field_worker, bewerkt] {code} is intussen door iemand anders gewijzigd. Er "
        "is niets opgeslagen; open de kaart opnieuw om de actuele gegevens te wijzigen."
    ]
    assert shell.store.record("candidates", code)["facts"]["household"] == "stel"


async def test_a_parked_edit_that_went_stale_starts_afresh(shell):
    code = _register(shell)
    await talk(shell, ":as field_worker", "/mijn", ":press 1", ":press Gegevens wijzigen")
    out = await talk(shell, "/kandidaat")
    assert out.splitlines()[:3] == [
        "[→ 1002 field_worker] Je wijziging van WT-IZK-0001 blijft bewaard: ✏️ Gegevens "
        "wijzigen bij WT-IZK-0001 gaat er later mee verder.",
        "[→ 1002 field_worker, knoppen weg] WT-IZK-0001 wijzigen · overzicht",
        "[→ 1002 field_worker] Kandidaat aanmelden · vraag 1 van 12",
    ]
    shell.clock.advance(timedelta(minutes=1))
    coordinator = shell.store.user(DEMO_USERS["coordinator"])
    registry.change_facts(
        shell.store, shell.clock.now(), coordinator, CANDIDATES, code, {"household": "stel"}
    )
    out = await talk(shell, "/annuleren", "/mijn", ":press 1", ":press Gegevens wijzigen")
    assert (
        f"[→ 1002 field_worker] {code} is intussen gewijzigd. Je eerdere, niet opgeslagen "
        "wijziging vervalt; je begint met de actuele gegevens."
    ) in out.splitlines()
    assert "Huishouden: Stel" in out


async def test_cancel_and_stop_do_what_annuleren_does(shell):
    out = await talk(shell, ":as field_worker", "/kandidaat", "/stop", "/cancel")
    assert out.splitlines()[-2:] == [
        "[→ 1002 field_worker] Kandidaat aanmelden afgebroken. Er is niets opgeslagen.",
        "[→ 1002 field_worker] Er loopt nu niets om af te breken. Typ /help om te zien wat je "
        "kunt doen.",
    ]
    assert "form:kandidaat" not in shell.app.user_data[DEMO_USERS["field_worker"]]


async def test_an_old_invite_summary_never_creates_the_newer_invite(shell):
    await talk(shell, ":as coordinator", "/uitnodigen", ":press 2", ":press 1", ":press 7 dagen")
    old_summary = shell.api.outputs[-1]
    field_worker_terms = old_summary.buttons[0][0].callback_data
    await talk(shell, ":press Terug", ":press Terug", ":press Terug", ":press 1", ":press 1")
    await talk(shell, ":press 30 dagen")
    start = len(shell.out.getvalue())
    shell.api.press(DEMO_USERS["coordinator"], old_summary.message_id, field_worker_terms)
    await shell.settle()
    lines = _since(shell, start)
    # One message, in place: why nothing was made, above the summary as it is now.
    assert lines[:4] == [
        "[→ 1001 coordinator, bewerkt] Die knop hoort bij een eerdere samenvatting; er is niets "
        "aangemaakt.",
        "",
        "Klopt dit?",
        "Rol: Coördinator (regionaal matchpunt / gemeente)",
    ]
    assert shell.store.invites() == []


async def test_reasons_that_start_like_a_question_stay_reasons(shell):
    code = _register(shell)
    await talk(shell, ":as field_worker", "/mijn", ":press 1", ":press Pauzeren")
    out = await talk(shell, "Hoe lang weet ik niet, opname in kliniek")
    assert out.splitlines()[3] == f"[→ 1002 field_worker] ✅ {code} is nu gepauzeerd."
    row = shell.store.record("candidates", code)
    assert row["status_reason"] == "Hoe lang weet ik niet, opname in kliniek"


async def test_ja_typed_at_the_confirmation_withdraws(shell):
    code = _register(shell)
    await talk(shell, ":as field_worker", "/mijn", ":press 1", ":press Intrekken")
    out = await talk(shell, "verhuist naar familie buiten de regio", "Ja")
    assert f"[→ 1002 field_worker] ✅ {code} is nu teruggetrokken." in out.splitlines()
    assert _status(shell, code) == "teruggetrokken"


async def test_text_that_ends_a_step_is_never_kept_as_a_question(shell):
    _register(shell)
    await talk(shell, ":as field_worker", "/mijn", ":press 1", ":press Pauzeren")
    out = await talk(shell, "waarom is dhr. opgenomen in de kliniek met zijn verslaving?")
    assert out.splitlines() == [
        "[→ 1002 field_worker, knoppen weg] Waarom wordt WT-IZK-0001 gepauzeerd? Typ een korte "
        "reden, zonder namen of andere persoonsgegevens.",
        "[→ 1002 field_worker] Pauzeren van WT-IZK-0001 is gestopt; er is niets veranderd.",
        "[→ 1002 field_worker] Dat kan ik niet beantwoorden. Typ /help om te zien wat kan.",
    ]
    assert shell.store.kb_questions() == []


async def test_text_right_after_a_step_timed_out_is_never_kept_as_a_question(shell):
    _register(shell)
    await talk(shell, ":as field_worker", "/mijn", ":press 1", ":press Pauzeren", ":advance 16m")
    out = await talk(shell, "dhr. is opgenomen, zijn zus regelt het")
    assert out.splitlines() == [
        "[→ 1002 field_worker] Dat kan ik niet beantwoorden. Typ /help om te zien wat kan.",
    ]
    assert shell.store.kb_questions() == []
    # Only the one update after it: a later question is an ordinary question again.
    later = await talk(shell, "hoe werkt een taart bakken")
    assert "Dat weet ik niet." in later
    assert len(shell.store.kb_questions()) == 1
