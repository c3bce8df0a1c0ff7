"""/regels: a region's allocation rules in plain Dutch, written from its region file; the text
is compared whole."""

from __future__ import annotations

from datetime import date

from helpers import talk

from bot.knowledge.rules import RentLimits
from bot.knowledge.rules_text import describe

MIDDEN_GRONINGEN = [
    "<b>Regels voor de matching in Midden-Groningen</b>",
    "",
    "<i>Het aantal woningen per jaar komt uit de bron; wijkplafonds, urgentie en termijn zijn voorbeelden die het matchpunt vervangt door de echte afspraken.</i>",
    "",
    "<b>Quotum</b>",
    "600 woningen per jaar, vanaf 1 januari 2019. <i>(De startdatum is een voorbeeld.)</i>",
    "",
    "<b>Wijkplafonds</b> <i>(voorbeeld)</i>",
    "Hoogstens 8 plaatsingen per wijk in 12 maanden (geplaatst of voorgedragen).",
    "De kennisbank kent in deze regio nog geen wijken: het plafond telt nog niet.",
    "",
    "<b>Wie past bij een woning</b> (in deze volgorde)",
    "1. Gemeente: een van de gemeenten die de kandidaat wil.",
    "2. Niet in een gemeente waar de kandidaat niet kan wonen.",
    "3. Huishouden en kamers (woonkamer meegeteld): 1 persoon 1 tot 3 kamers; 2 personen 2 tot 4 kamers; 3 personen minstens 3 kamers; 4 personen minstens 3 kamers; 5 of meer personen minstens 4 kamers.",
    "4. Begane grond of een lift, als de kandidaat dat nodig heeft.",
    "5. Toegankelijk voor rolstoel of rollator, als dat nodig is.",
    "6. Huisdieren toegestaan, als de kandidaat een huisdier heeft.",
    "7. Passend toewijzen: de kale huur valt binnen de huurgrens van de kandidaat. Grenzen 2026: kwaliteitskortingsgrens € 498,20*, lage aftoppingsgrens € 713,02*, hoge aftoppingsgrens € 764,14*, liberalisatiegrens € 932,93. (* nog te bevestigen)",
    "8. In het werkgebied van de begeleidende organisatie (nog geen werkgebieden vastgelegd).",
    "",
    "<b>Volgorde</b> <i>(voorbeeld)</i>",
    "Wie het langst wacht, gaat voor.",
    "Urgentie telt als 90 dagen extra wachttijd.",
    "Bij gelijke score: de eerdere aanmelding, dan de code.",
    "",
    "<b>Besluit</b> <i>(voorbeeld)</i>",
    "Het matchpunt keurt elke voordracht goed. Beide partijen antwoorden binnen 5 werkdagen; halverwege herinnert de bot wie nog niet antwoordde, daarna gaat de voordracht naar het matchpunt. Een woning in een wijk op het plafond: voordragen alleen met een reden.",
]


IJMOND = [
    "— je bent nu 1002 field_worker",
    "[→ 1002 field_worker] Regels voor de matching in IJmond en Zuid-Kennemerland",
    "",
    "Het aantal komt uit het Pact van uitstroom (1.780 uitstromers in tien jaar, een woning elk). De verdeelsleutel, wijkplafonds, urgentie en termijn staan niet in de bronnen: het zijn voorbeelden die het matchpunt vervangt door de echte afspraken.",
    "",
    "Quotum",
    "1.780 woningen in 10 jaar (178 per jaar), van 1 januari 2021 tot 1 januari 2031. (De startdatum is een voorbeeld.)",
    "Verdeelsleutel (voorbeeld): Haarlem 43%, Velsen 18%, Beverwijk 11%, Heemskerk 10%, Heemstede 7%, Bloemendaal 6%, Zandvoort 5%.",
    "",
    "Wijkplafonds (voorbeeld)",
    "Hoogstens 10 plaatsingen per wijk in 12 maanden (geplaatst of voorgedragen).",
    "In Haarlem: hoogstens 24 per wijk.",
    "In Velsen: hoogstens 12 per wijk.",
    "Aerdenhout (Bloemendaal): hoogstens 1.",
    "Schalkwijk (Haarlem): hoogstens 30.",
    "IJmuiden (Velsen): hoogstens 16.",
    "",
    "Wie past bij een woning (in deze volgorde)",
    "1. Gemeente: een van de gemeenten die de kandidaat wil.",
    "2. Niet in een gemeente waar de kandidaat niet kan wonen.",
    "3. Huishouden en kamers (woonkamer meegeteld): 1 persoon 1 tot 3 kamers; 2 personen 2 tot 4 kamers; 3 personen minstens 3 kamers; 4 personen minstens 3 kamers; 5 of meer personen minstens 4 kamers.",
    "4. Begane grond of een lift, als de kandidaat dat nodig heeft.",
    "5. Toegankelijk voor rolstoel of rollator, als dat nodig is.",
    "6. Huisdieren toegestaan, als de kandidaat een huisdier heeft.",
    "7. Passend toewijzen: de kale huur valt binnen de huurgrens van de kandidaat. Grenzen 2026: kwaliteitskortingsgrens € 498,20*, lage aftoppingsgrens € 713,02*, hoge aftoppingsgrens € 764,14*, liberalisatiegrens € 932,93. (* nog te bevestigen)",
    "8. In het werkgebied van de begeleidende organisatie (Ambulante Begeleiding Haarlem (voorbeeld) werkt in Haarlem, Heemstede, Bloemendaal en Zandvoort).",
    "",
    "Volgorde (voorbeeld)",
    "Wie het langst wacht, gaat voor.",
    "Urgentie telt als 90 dagen extra wachttijd.",
    "Spreiding: heeft een gemeente naar verhouding meer plaatsingen dan haar deel van de verdeelsleutel, dan gaat bij een woning daar voor wie alleen daar wil wonen; wie ook een gemeente wil die naar verhouding minder plaatsingen heeft, krijgt wachttijd in mindering: 30 dagen maal het verschil in spreidingsprijs van de twee gemeenten (hoe verder voor, hoe meer). Voor een kandidaat komt een woning in een wijk op het plafond achteraan.",
    "Bij gelijke score: de eerdere aanmelding, dan de code.",
    "",
    "Besluit (voorbeeld)",
    "Het matchpunt keurt elke voordracht goed. Beide partijen antwoorden binnen 5 werkdagen; halverwege herinnert de bot wie nog niet antwoordde, daarna gaat de voordracht naar het matchpunt. Een woning in een wijk op het plafond: voordragen alleen met een reden.",
    "",
]


def test_a_region_with_a_sourced_quota_and_example_rules_reads_as_written(kb):
    assert (
        describe(kb.facts["midden-groningen"], kb.rent_limits, date(2026, 3, 1)).split("\n")
        == MIDDEN_GRONINGEN
    )


def test_a_year_without_published_limits_shows_the_latest_and_a_confirmed_one_has_no_star(kb):
    limits = {
        2025: RentLimits(
            2025,
            {
                "kwaliteitskortingsgrens": 477.2,
                "lage_aftoppingsgrens": 682.96,
                "hoge_aftoppingsgrens": 732.02,
                "liberalisatiegrens": 900.07,
            },
        )
    }
    text = describe(kb.facts["midden-groningen"], limits, date(2027, 1, 5))
    assert (
        "7. Passend toewijzen: de kale huur valt binnen de huurgrens van de kandidaat. Grenzen "
        "2025: kwaliteitskortingsgrens € 477,20, lage aftoppingsgrens € 682,96, hoge "
        "aftoppingsgrens € 732,02, liberalisatiegrens € 900,07.\n"
    ) in text


async def test_regels_in_the_chat_shows_the_callers_region(shell):
    out = await talk(shell, ":as field_worker", "/regels")
    assert out.split("\n") == IJMOND


async def test_regels_without_an_account_is_refused(shell):
    out = await talk(shell, ":as 5555", "/regels")
    assert out.split("\n")[:2] == [
        "— je bent nu 5555",
        "[→ 5555] Deze bot is voor medewerkers van de partners in Weer Thuis! (gemeenten, "
        "woningcorporaties en zorg- en opvangaanbieders).",
    ]
