"""/woning through the real Application: a dwelling reported, its address kept apart."""

from __future__ import annotations

from helpers import talk

from bot.demo import DEMO_USERS

REPORT = [
    ":as corporation",
    "/woning",
    ":press Haarlem",
    ":press Schalkwijk",
    ":press Appartement",
    ":press 2",
    ":press 3",
    ":press Ja",
    ":press Nee",
    "612,50",
    ":press Geen",
    "over 2 weken",
    ":press Nee",
    ":press Ikzelf",
]


async def test_a_dwelling_is_reported_and_its_address_kept_apart(shell):
    await talk(shell, *REPORT)
    summary = await talk(shell, "Dorpsstraat 12")
    for line in (
        "Gemeente: Haarlem",
        "Wijk: Schalkwijk",
        "Verdieping: 3",
        "Lift: Ja",
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
    assert row["facts"]["neighbourhood"] == "Schalkwijk" and row["facts"]["contact"] == str(
        DEMO_USERS["corporation"]
    )


async def test_ground_floor_skips_the_lift_and_bad_rents_are_refused(shell):
    await talk(shell, *REPORT[:6])
    asked = await talk(shell, ":press Begane grond")
    assert "toegankelijk" in asked and "lift" not in asked.lower().split("toegankelijk")[0]
    await talk(shell, ":press Ja")
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
