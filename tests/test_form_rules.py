"""Form rules found by the try-out: a dwelling's contact works at its own corporation, and a
region without municipalities says so instead of looping."""

from __future__ import annotations

from helpers import TO_THE_SUPPORT_ORGANISATION, form_button, talk

from bot.demo import DEMO_USERS

COORDINATOR = DEMO_USERS["coordinator"]
TO_THE_CORPORATION = [
    ":as coordinator",
    "/woning",
    ":press Haarlem",
    ":press Overslaan",
    ":press Appartement",
    "2",
    "0",
    ":press Nee",  # not accessible
    ":press Nee",  # no pets
    "650",
    "50",
    "1 maart",
    ":press Nee",
]


async def test_a_dwellings_contact_works_at_its_corporation(shell):
    shell.store.add_organisation(
        "Pré Wonen", "corporatie", "ijmond-zuid-kennemerland", shell.clock.now()
    )
    await talk(shell, *TO_THE_CORPORATION)
    out = await talk(shell, ":press Pré Wonen")
    assert out == (
        "[→ 1001 coordinator, bewerkt] Woning aanmelden · vraag 13 van 14\n\n"
        "Wie is de contactpersoon bij de corporatie?\n"
        "    [1] Marieke (Regionaal Matchpunt IJmond en …\n"
        "    [2] ⬅️ Terug   [3] ✖️ Annuleren\n"
    )
    # Woonopmaat's employee (1003) is no contact for a Pré Wonen home, not even forged.
    index = shell.app.user_data[COORDINATOR]["form:woning"]["index"]
    forged = form_button(shell, COORDINATOR, "woning", "o", index, "1003")
    shell.api.press(COORDINATOR, shell.api.outputs[-1].message_id, forged)
    await shell.settle()
    assert shell.out.getvalue().splitlines()[-1] == (
        "[→ 1001 coordinator, melding] Die keuze is er niet (meer). Kies opnieuw uit de knoppen."
    )
    assert "contact" not in shell.app.user_data[COORDINATOR]["form:woning"]["draft"]
    out = await talk(shell, ":press Terug", ":press Woonopmaat")
    assert out.splitlines()[-5:] == [
        "[→ 1001 coordinator, bewerkt] Woning aanmelden · vraag 13 van 14",
        "",
        "Wie is de contactpersoon bij de corporatie?",
        "    [1] Inge (Woonopmaat)",
        "    [2] ⬅️ Terug   [3] ✖️ Annuleren",
    ]


NO_MUNICIPALITIES = (
    "[→ 3001] Voor jouw regio staan nog geen gemeenten in de kennisbank, dus aanmelden kan hier "
    "nog niet. Vraag de beheerder van de kennisbank om de gemeenten van je regio toe te voegen."
)


async def test_a_region_without_municipalities_says_what_is_missing(shell):
    org = shell.store.add_organisation(
        "Matchpunt Limburg", "gemeente", "limburg", shell.clock.now()
    )
    shell.store.add_user(3001, "coordinator", org.id, "limburg", shell.clock.now())
    out = await talk(shell, ":as 3001", "/kandidaat", "/woning")
    assert out.splitlines() == ["— je bent nu 3001", NO_MUNICIPALITIES, NO_MUNICIPALITIES]


async def test_a_typed_number_is_no_internal_id(shell):
    await talk(shell, ":as coordinator", *TO_THE_SUPPORT_ORGANISATION)
    assert "Welke organisatie begeleidt" in shell.api.outputs[-1].text
    out = await talk(shell, "1")
    # One message: the error above the question again; the old question loses its buttons.
    assert out == (
        "[→ 1001 coordinator, knoppen weg] Kandidaat aanmelden · vraag 11 van 13\n"
        "[→ 1001 coordinator] ⚠️ Kies een van de knoppen.\n"
        "\n"
        "Kandidaat aanmelden · vraag 11 van 13\n"
        "\n"
        "Welke organisatie begeleidt na de verhuizing?\n"
        "    [1] Ambulante Begeleiding Haarlem (voorbeel…\n"
        "    [2] Zorgaanbieder Kennemerland (voorbeeld)\n"
        "    [3] Nog niet bekend\n"
        "    [4] ⬅️ Terug   [5] ✖️ Annuleren\n"
    )
    assert "support_organisation" not in shell.app.user_data[COORDINATOR]["form:kandidaat"]["draft"]


async def test_a_typed_button_label_does_what_the_button_does(shell):
    out = await talk(shell, ":as field_worker", "/kandidaat", "haarlem", "Klaar", "geen")
    assert "Hoe ziet het huishouden eruit?" in out.splitlines()[-5]
    draft = shell.app.user_data[DEMO_USERS["field_worker"]]["form:kandidaat"]["draft"]
    assert draft == {"municipalities": ["haarlem"], "excluded": []}
    await talk(
        shell,
        ":press Alleenstaand",
        ":press Reguliere ambulante begeleiding",
        ":press 1",
        ":press Begane grond of lift",
        ":press Klaar",
        ":press Tot de lage aftoppingsgrens",
        "1 maart",
        ":press Klaar",
        ":press Nee",
        ":press Nog niet bekend",
    )
    summary = await talk(shell, "Overslaan")
    assert "Notitie: —" in summary
    assert (
        shell.app.user_data[DEMO_USERS["field_worker"]]["form:kandidaat"]["draft"]["note"] is None
    )
