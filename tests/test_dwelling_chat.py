"""/woning through the real Application: a dwelling reported, its address kept apart."""

from __future__ import annotations

import string

from helpers import talk
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.demo import DEMO_USERS

REPORT = [
    ":as corporation",
    "/woning",
    ":press Haarlem",
    ":press Schalkwijk",
    ":press Appartement",
    ":press 2",  # the second button: 2 rooms
    ":press 4",  # the fourth: floor 3 (after Begane grond, 1 and 2)
    ":press Ja",  # a lift
    ":press Nee",  # not accessible
    ":press Ja",  # pets allowed
    "612,50",
    ":press Geen",
    "over 2 weken",
    ":press Nee",
    ":press Inge",
]


async def test_a_dwelling_is_reported_and_its_address_kept_apart(shell):
    await talk(shell, *REPORT)
    summary = await talk(shell, "Dorpsstraat 12")
    for line in (
        "Gemeente: Haarlem",
        "Wijk: Schalkwijk",
        "Verdieping: 3",
        "Lift: Ja",
        "Toegankelijk: Nee",
        "Huisdieren: Ja",
        "Kale huur: € 612,50",
        "Servicekosten: € 0,00",
        "Adres: Dorpsstraat 12",
    ):
        assert line in summary, line
    assert "✅ Woning aangemeld als WN-IZK-0001." in await talk(shell, ":press Opslaan")
    [row] = shell.store.records("dwellings", "ijmond-zuid-kennemerland")
    assert (row["municipality"], row["street_address"], row["status"]) == (
        "haarlem",
        "Dorpsstraat 12",
        "beschikbaar",
    )
    assert "Dorpsstraat" not in str(row["facts"])
    assert row["facts"]["pets_allowed"] == "ja"
    assert row["facts"]["neighbourhood"] == "Schalkwijk" and row["facts"]["contact"] == str(
        DEMO_USERS["corporation"]
    )


async def test_ground_floor_skips_the_lift_and_bad_rents_are_refused(shell):
    await talk(shell, *REPORT[:6])
    asked = await talk(shell, ":press Begane grond")
    assert "toegankelijk" in asked and "lift" not in asked.lower().split("toegankelijk")[0]
    assert "huisdieren" in await talk(shell, ":press Ja")
    await talk(shell, ":press Nee")
    for wrong in ("-5", "abc", "5000"):
        assert "kale huur" in await talk(shell, wrong)
    assert shell.store.count("dwellings") == 0


async def test_a_phone_number_is_no_address(shell):
    await talk(shell, *REPORT)
    refused = await talk(shell, "bel 0612345678")
    assert "telefoonnummer" in refused
    assert shell.store.count("dwellings") == 0


async def test_field_workers_cannot_report_dwellings(shell):
    assert "Dat kan ik met jouw rol niet voor je doen." in await talk(
        shell, ":as field_worker", "/woning"
    )


async def test_changing_the_municipality_drops_a_neighbourhood_of_the_old_one(shell):
    await talk(shell, *REPORT, ":press Overslaan")
    await talk(shell, ":press Wijzigen", ":press Gemeente")
    summary = await talk(shell, ":press Velsen")
    # Schalkwijk is no part of Velsen: the (optional) neighbourhood is dropped, not kept.
    assert "Gemeente: Velsen" in summary and "Schalkwijk" not in summary


async def test_terug_annuleren_and_timeout_in_the_dwelling_form(shell):
    await talk(shell, ":as corporation", "/woning", ":press Haarlem")
    assert "In welke gemeente" in await talk(shell, ":press Terug")
    assert "Woning aanmelden afgebroken." in await talk(shell, "/annuleren")
    await talk(shell, "/woning", ":press Haarlem")
    assert "Je aanmelding van een woning is bewaard als concept" in await talk(
        shell, ":advance 31m"
    )
    assert shell.store.count("dwellings") == 0


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=string.printable + "€½²😀", min_size=1, max_size=120))
async def test_fuzzed_text_in_the_dwelling_form(shell, text):
    await talk(shell, ":as corporation", "/annuleren", "/woning")
    for step in ("Haarlem", "Overslaan", "Studio", "1", "Begane grond", "Ja"):
        if text.strip() and not text.lstrip().startswith(("/", ":", "#")):
            await talk(shell, text)
        await talk(shell, f":press {step}")
    assert "Er ging iets mis" not in shell.out.getvalue()
    assert shell.store.count("dwellings") == 0


async def test_another_corporation_sees_nothing_of_these_dwellings(shell):
    await talk(shell, *REPORT, ":press Overslaan", ":press Opslaan")
    org = shell.store.add_organisation(
        "Pré Wonen", "corporatie", "ijmond-zuid-kennemerland", shell.clock.now()
    )
    shell.store.add_user(5005, "corporation", org.id, "ijmond-zuid-kennemerland", shell.clock.now())
    listing = await talk(shell, ":as 5005", "/mijn")
    assert "0 woningen" in listing
    shell.api.press(5005, shell.api.outputs[-1].message_id, "m|v|WN-IZK-0001")
    await shell.settle()
    assert shell.api.outputs[-1].text == "Die aanmelding bestaat niet of je mag hem niet zien."
    shell.api.press(5005, shell.api.outputs[-1].message_id, "w|W|-1|WN-IZK-0001")
    await shell.settle()
    assert shell.api.outputs[-1].text == "Die aanmelding kun je niet wijzigen."
