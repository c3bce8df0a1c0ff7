"""/mijn and /export through the real Application: lists, cards, actions, edits, and the
access matrix for them (forged codes and actions change nothing)."""

from __future__ import annotations

from helpers import CANDIDATE_FACTS, talk

from bot.demo import DEMO_REGION, DEMO_USERS
from bot.records import registry
from bot.records.registry import CANDIDATES, DWELLINGS

FACTS = CANDIDATE_FACTS


def _register(shell, role="field_worker", **columns):
    user = shell.store.user(DEMO_USERS[role])
    return registry.register(
        shell.store, shell.clock.now(), user, CANDIDATES, dict(FACTS), **columns
    )["code"]


def _other_org_candidate(shell):
    org = shell.store.add_organisation(
        "Zorg Elders (voorbeeld)", "zorgaanbieder", DEMO_REGION, shell.clock.now()
    )
    other = shell.store.add_user(2002, "field_worker", org.id, DEMO_REGION, shell.clock.now())
    return registry.register(shell.store, shell.clock.now(), other, CANDIDATES, dict(FACTS))["code"]


async def test_field_workers_see_their_own_and_cards_are_audited(shell):
    mine = _register(shell)
    theirs = _other_org_candidate(shell)
    listing = await talk(shell, ":as field_worker", "/mijn")
    assert "1 kandidaat" in listing and mine in listing and theirs not in listing
    card = await talk(shell, ":press 1")
    assert "Knelpunten: Huurschuld" in card and "⏸ Pauzeren" in card
    assert [e["action"] for e in shell.store.audit_entries(record_id=mine)][-1] == "kandidaat.view"
    # A forged view of the other organisation's candidate: as if it did not exist.
    shell.api.press(DEMO_USERS["field_worker"], shell.api.outputs[-1].message_id, f"m|v|{theirs}")
    await shell.settle()
    assert "bestaat niet of je mag hem niet zien" in shell.out.getvalue().splitlines()[-1]
    assert not [
        e for e in shell.store.audit_entries(record_id=theirs) if e["action"] == "kandidaat.view"
    ]


async def test_support_workers_see_only_what_they_need(shell):
    support_worker = shell.store.user(DEMO_USERS["support_worker"])
    _register(
        shell,
        support_organisation_id=support_worker.organisation_id,
        support_worker_id=support_worker.telegram_id,
    )
    await talk(shell, ":as support_worker", "/mijn")
    card = await talk(shell, ":press 1")
    assert "Gemeenten: Haarlem" in card and "Uitstroomprofiel" in card
    assert "Knelpunten" not in card and "Huishouden" not in card and "Pauzeren" not in card


async def test_pause_needs_a_clean_reason_and_resume_works(shell):
    code = _register(shell)
    await talk(shell, ":as field_worker", "/mijn", ":press 1", ":press Pauzeren")
    refused = await talk(shell, "opname, bel 0612345678")
    assert (
        "telefoonnummer" in refused
        and shell.store.record("candidates", code)["status"] == "aangemeld"
    )
    done = await talk(shell, "opname in kliniek")
    assert f"✅ {code} is nu gepauzeerd." in done and "Reden: opname in kliniek" in done
    await talk(shell, ":press Hervatten")
    assert shell.store.record("candidates", code)["status"] == "aangemeld"


async def test_forged_actions_change_nothing(shell):
    code = _register(shell)
    theirs = _other_org_candidate(shell)
    await talk(shell, ":as field_worker", "/mijn")
    message = shell.api.outputs[-1].message_id
    for data in (
        f"m|a|{code}|verhuisd",
        f"m|a|{code}|gematcht",
        f"m|a|{theirs}|gepauzeerd",
        f"m|a|{theirs}|teruggetrokken",
        "m|a|WT-XX-0001|aangemeld",
        "m|l|z|0|*",
        "m|l|d|0|*",
    ):
        shell.api.press(DEMO_USERS["field_worker"], message, data)
        await shell.settle()
        await talk(shell, "/annuleren")
    assert shell.store.record("candidates", code)["status"] == "aangemeld"
    assert shell.store.record("candidates", theirs)["status"] == "aangemeld"
    assert "Er ging iets mis" not in shell.out.getvalue()


async def test_a_card_edit_changes_the_facts_and_audits_the_field_names(shell):
    code = _register(shell)
    await talk(
        shell,
        ":as field_worker",
        "/mijn",
        ":press 1",
        ":press Gegevens wijzigen",
        ":press Wijzigen",
        ":press Begeleiding",
    )
    saved = await talk(shell, ":press Intensieve ambulante begeleiding", ":press Opslaan")
    assert f"✅ {code} is bijgewerkt." in saved
    row = shell.store.record("candidates", code)
    assert row["facts"]["support"] == "intensief" and row["facts"]["household"] == "alleenstaand"
    change = [
        e for e in shell.store.audit_entries(record_id=code) if e["action"] == "kandidaat.change"
    ][-1]
    assert change["detail"] == '{"fields": ["support"]}'


async def test_coordinators_page_and_filter_the_region(shell):
    codes = [_register(shell) for _ in range(7)]
    user = shell.store.user(DEMO_USERS["field_worker"])
    registry.transition(
        shell.store, shell.clock.now(), user, CANDIDATES, codes[0], "gepauzeerd", "opname"
    )
    first = await talk(shell, ":as coordinator", "/mijn")
    assert "7 kandidaten in je regio · pagina 1 van 2" in first
    second = await talk(shell, ":press Volgende ▶️")
    assert "pagina 2 van 2" in second
    paused = await talk(shell, ":press Gepauzeerd")
    assert "1 kandidaat in je regio met status gepauzeerd" in paused and codes[0] in paused


async def test_corporations_see_their_dwellings_and_export_is_for_coordinators(shell):
    corporation = shell.store.user(DEMO_USERS["corporation"])
    code = registry.register(
        shell.store,
        shell.clock.now(),
        corporation,
        DWELLINGS,
        {"rooms": 2, "type": "studio"},
        municipality="haarlem",
        street_address="Dorpsstraat 1",
    )["code"]
    listing = await talk(shell, ":as corporation", "/mijn")
    assert "1 woning" in listing and code in listing
    card = await talk(shell, ":press 1")
    assert "Dorpsstraat" not in card and "🚫 Intrekken" in card
    assert "Dat kan ik met jouw rol niet voor je doen." in await talk(shell, "/export")
    _register(shell)
    exported = await talk(shell, ":as coordinator", "/export")
    assert "document kandidaten-ijmond-zuid-kennemerland.csv] 1 kandidaat" in exported
    assert "document woningen-ijmond-zuid-kennemerland.csv] 1 woning" in exported
    [csv_file] = [
        content for (_, name, content) in shell.api.documents if name.startswith("woningen")
    ]
    assert b"Dorpsstraat" not in csv_file


async def test_coordinators_filter_by_municipality_and_waiting_time(shell):
    from datetime import timedelta

    old = _register(shell)
    shell.clock.advance(timedelta(days=100))
    user = shell.store.user(DEMO_USERS["field_worker"])
    velsen = registry.register(
        shell.store, shell.clock.now(), user, CANDIDATES, {**FACTS, "municipalities": ["velsen"]}
    )["code"]
    await talk(shell, ":as coordinator", "/mijn", ":press Per gemeente")
    in_velsen = await talk(shell, ":press Velsen")
    assert (
        "1 kandidaat in je regio in Velsen" in in_velsen
        and velsen in in_velsen
        and old not in in_velsen
    )
    waiting = await talk(shell, ":press ⏳ > 90 dagen")
    assert (
        "die al 90 dagen of langer wachten" in waiting and old in waiting and velsen not in waiting
    )


async def test_facts_of_a_withdrawn_record_cannot_be_edited_even_with_forged_buttons(shell):
    code = _register(shell)
    user = shell.store.user(DEMO_USERS["field_worker"])
    registry.transition(
        shell.store,
        shell.clock.now(),
        user,
        CANDIDATES,
        code,
        "teruggetrokken",
        "verhuisd naar elders",
    )
    await talk(shell, ":as field_worker", "/help")
    shell.api.press(DEMO_USERS["field_worker"], shell.api.outputs[-1].message_id, f"k|W|-1|{code}")
    await shell.settle()
    assert shell.api.outputs[-1].text == "Die aanmelding kun je niet wijzigen."
    assert shell.store.record("candidates", code)["facts"]["household"] == "alleenstaand"
    assert "form:kandidaat" not in shell.app.user_data[DEMO_USERS["field_worker"]]
    # The core refuses too, whoever calls it.
    import pytest

    from bot.records.registry import NotEditableError

    with pytest.raises(NotEditableError):
        registry.change_facts(
            shell.store, shell.clock.now(), user, CANDIDATES, code, {"household": "stel"}
        )


async def test_actions_on_other_peoples_codes_all_get_the_same_answer(shell):
    theirs = _other_org_candidate(shell)
    await talk(shell, ":as field_worker", "/help")
    message = shell.api.outputs[-1].message_id
    replies = []
    for data in (
        f"m|a|{theirs}|gepauzeerd",
        f"m|a|{theirs}|aangemeld",
        "m|a|WT-IZK-0999|gepauzeerd",
        f"m|a|{theirs}|teruggetrokken",
    ):
        shell.api.press(DEMO_USERS["field_worker"], message, data)
        await shell.settle()
        replies.append(shell.api.outputs[-1].text)
    assert set(replies) == {"Die aanmelding bestaat niet of je mag hem niet zien."}
    assert "Waarom wordt" not in shell.out.getvalue()


async def test_a_reason_question_ends_with_any_command(shell):
    code = _register(shell)
    await talk(shell, ":as field_worker", "/mijn", ":press 1", ":press Pauzeren")
    ended = await talk(shell, "/help")
    assert ended.splitlines()[:2] == [
        "[→ 1002 field_worker, knoppen weg] Waarom wordt WT-IZK-0001 gepauzeerd? Typ een korte "
        "reden, zonder namen of andere persoonsgegevens.",
        f"[→ 1002 field_worker] Pauzeren van {code} is gestopt; er is niets veranderd.",
    ]
    await talk(shell, "hoeveel woningen reserveert midden-groningen per jaar")
    assert shell.store.record("candidates", code)["status"] == "aangemeld"


async def test_lists_work_while_a_form_is_open(shell):
    _register(shell)
    await talk(shell, ":as field_worker", "/kandidaat", ":press Haarlem", "/mijn")
    card = await talk(shell, ":press 1")
    assert "Wacht al: 0 dagen" in card


async def test_a_coordinator_registers_on_behalf_of_an_organisation(shell):
    await talk(
        shell,
        ":as coordinator",
        "/kandidaat",
        ":press Haarlem",
        ":press Klaar",
        ":press Geen",
        ":press Alleenstaand",
        ":press 1",
        ":press 1",
        ":press Klaar",
        ":press 1",
        "zsm",
        ":press Klaar",
        ":press Nee",
    )
    asked = await talk(shell, ":press Nog niet bekend")
    assert "Namens welke organisatie meld je deze kandidaat aan?" in asked
    await talk(shell, ":press Zorgaanbieder Kennemerland (voorbeeld)", ":press Overslaan")
    assert "Aangemeld door: Zorgaanbieder Kennemerland (voorbeeld)" in shell.out.getvalue()
    await talk(shell, ":press Opslaan")
    listing = await talk(shell, ":as field_worker", "/mijn")
    assert "1 kandidaat" in listing


def _dwelling(shell, organisation_user="corporation"):
    corporation = (
        shell.store.user(DEMO_USERS[organisation_user])
        if organisation_user in DEMO_USERS
        else organisation_user
    )
    return registry.register(
        shell.store,
        shell.clock.now(),
        corporation,
        DWELLINGS,
        {"rooms": 2, "type": "studio"},
        municipality="haarlem",
    )["code"]


async def test_a_proposal_shows_the_corporation_the_matching_facts_only(shell):
    candidate = _register(shell)
    dwelling = _dwelling(shell)
    # Before a proposal the corporation cannot open the candidate at all.
    await talk(shell, ":as corporation", "/help")
    shell.api.press(DEMO_USERS["corporation"], shell.api.outputs[-1].message_id, f"m|v|{candidate}")
    await shell.settle()
    assert shell.api.outputs[-1].text == "Die aanmelding bestaat niet of je mag hem niet zien."
    # The matchpunt proposes.
    await talk(shell, ":as coordinator", "/mijn", ":press 1", ":press Voordragen voor een woning")
    done = await talk(shell, ":press 1")
    assert f"✅ {candidate} is voorgedragen voor {dwelling}." in done
    assert shell.store.record("candidates", candidate)["status"] == "voorgedragen"
    assert shell.store.record("dwellings", dwelling)["status"] == "voorgedragen"
    # The corporation sees it at its dwelling, and the candidate without bottlenecks or note.
    card = await talk(shell, ":as corporation", "/mijn", ":press 1")
    assert f"Voorgedragen kandidaat: {candidate}" in card
    seen = await talk(shell, f":press 👤 {candidate} bekijken")
    assert "Gemeenten: Haarlem" in seen and "Huishouden: Alleenstaand" in seen
    assert "Knelpunten" not in seen and "Notitie" not in seen and "Pauzeren" not in seen
    # Another corporation of the region sees nothing of it.
    org = shell.store.add_organisation("Pré Wonen", "corporatie", DEMO_REGION, shell.clock.now())
    shell.store.add_user(5005, "corporation", org.id, DEMO_REGION, shell.clock.now())
    await talk(shell, ":as 5005", "/help")
    shell.api.press(5005, shell.api.outputs[-1].message_id, f"m|v|{candidate}")
    await shell.settle()
    assert shell.api.outputs[-1].text == "Die aanmelding bestaat niet of je mag hem niet zien."


async def test_only_the_matchpunt_proposes_and_only_what_waits(shell):
    candidate = _register(shell)
    dwelling = _dwelling(shell)
    for role in ("field_worker", "corporation", "support_worker"):
        await talk(shell, f":as {role}", "/help")
        shell.api.press(
            DEMO_USERS[role], shell.api.outputs[-1].message_id, f"m|P|{candidate}|{dwelling}"
        )
        await shell.settle()
    assert shell.store.open_proposals() == []
    user = shell.store.user(DEMO_USERS["field_worker"])
    registry.transition(
        shell.store, shell.clock.now(), user, CANDIDATES, candidate, "gepauzeerd", "opname"
    )
    await talk(shell, ":as coordinator", "/help")
    shell.api.press(
        DEMO_USERS["coordinator"], shell.api.outputs[-1].message_id, f"m|P|{candidate}|{dwelling}"
    )
    await shell.settle()
    assert "Die voordracht kan niet (meer)" in shell.api.outputs[-1].text
    assert shell.store.record("dwellings", dwelling)["status"] == "beschikbaar"
