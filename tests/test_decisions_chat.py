"""The matchpunt's decision workflow through the real Application, each conversation
compared whole: a home reported in chat goes to the coordinator with its best candidates; a
proposal goes to both parties; a decline goes to the coordinator, who sends it back with a
note or confirms it (the next candidate is offered); two yeses make a match with the address
for both; the corporation enters the move-in date and on that day the candidate has moved.
A second conversation lets the deadline pass on the injected clock: the reminder halfway, the
stall and its escalation at the deadline, the morning digest, and a withdrawal."""

from __future__ import annotations

import os
from datetime import timedelta

from helpers import CANDIDATE_FACTS, talk

from bot.demo import DEMO_USERS
from bot.records import registry

REGION = "ijmond-zuid-kennemerland"
PRINT = os.environ.get("PRINT_TRANSCRIPT")

REPORT = (
    ":as corporation",
    "/woning",
    ":press Haarlem",
    ":press Schalkwijk",
    ":press Appartement",
    ":press 2",
    ":press 4",
    ":press Ja",
    ":press Nee",
    ":press Ja",
    "612,50",
    ":press Geen",
    "over 2 weken",
    ":press Nee",
    ":press Inge",
    "Dorpsstraat 12",
    ":press Opslaan",
)

MATCH_TRANSCRIPT = [
    "[→ 1003 corporation, bewerkt] ✅ Woning aangemeld als WN-IZK-0001.",
    "",
    "Het regionaal matchpunt ziet hem nu en kan een kandidaat voordragen. Het adres blijft verborgen tot een match is geaccepteerd.",
    "[→ 1001 coordinator] 🏠 Nieuwe woning WN-IZK-0001",
    "Gemeente: Haarlem",
    "Wijk: Schalkwijk",
    "Soort woning: Appartement",
    "Kamers: 2",
    "Verdieping: 3",
    "Lift: Ja",
    "Toegankelijk: Nee",
    "Kale huur: € 612,50",
    "Beschikbaar vanaf: maandag 19 januari 2026",
    "",
    "De beste kandidaten:",
    "1. WT-IZK-0001 (score 40)",
    "   ✓ Haarlem is een gewenste gemeente",
    "   ✓ 1 persoon, 2 kamers",
    "   ✓ huur € 612,50 onder de lage aftoppingsgrens (€ 713,02 in 2026)",
    "   wachttijd 40 dagen",
    "   Haarlem: 0 van 77 dit jaar",
    "2. WT-IZK-0002 (score 20)",
    "   ✓ Haarlem is een gewenste gemeente",
    "   ✓ 1 persoon, 2 kamers",
    "   ✓ huur € 612,50 onder de lage aftoppingsgrens (€ 713,02 in 2026)",
    "   wachttijd 20 dagen",
    "   Haarlem: 0 van 77 dit jaar",
    "    [1] Voordragen: WT-IZK-0001",
    "    [2] Voordragen: WT-IZK-0002",
    "— je bent nu 1001 coordinator",
    "[→ 1001 coordinator, bewerkt] ✅ WT-IZK-0001 is voorgedragen voor WN-IZK-0001. De zorgkant en de corporatie krijgen een bericht en antwoorden vóór maandag 12 januari 2026, 09:00 (de corporatie ziet de kandidaat zonder de knelpunten).",
    "[→ 1002 field_worker] 🏠 Voordracht: je kandidaat WT-IZK-0001 voor woning WN-IZK-0001.",
    "",
    "Gemeente: Haarlem",
    "Wijk: Schalkwijk",
    "Soort woning: Appartement",
    "Kamers: 2",
    "Verdieping: 3",
    "Lift: Ja",
    "Toegankelijk: Nee",
    "Kale huur: € 612,50",
    "Beschikbaar vanaf: maandag 19 januari 2026",
    "",
    "Gaat de cliënt akkoord? Graag je antwoord vóór maandag 12 januari 2026, 09:00.",
    "    [1] ✅ Akkoord   [2] ❌ Niet akkoord",
    "[→ 1003 corporation] 👤 Voordracht voor je woning WN-IZK-0001: kandidaat WT-IZK-0001.",
    "",
    "Wacht al: 40 dagen",
    "Gemeenten: Haarlem",
    "Huishouden: Alleenstaand",
    "Begeleiding: Reguliere ambulante begeleiding",
    "Uitstroomprofiel: Zelfstandig (voorbeeld)",
    "Woonwensen: geen",
    "Huurgrens: Tot de lage aftoppingsgrens (€ 713,02)",
    "Verhuizen vanaf: zondag 1 februari 2026",
    "Urgentie: Nee",
    "Begeleidende organisatie: Nog niet bekend",
    "",
    "Gaat de corporatie akkoord? Graag je antwoord vóór maandag 12 januari 2026, 09:00.",
    "    [1] ✅ Akkoord   [2] ❌ Niet akkoord",
    "— je bent nu 1002 field_worker",
    "[→ 1002 field_worker, bewerkt] 🏠 Voordracht: je kandidaat WT-IZK-0001 voor woning WN-IZK-0001.",
    "",
    "Gemeente: Haarlem",
    "Wijk: Schalkwijk",
    "Soort woning: Appartement",
    "Kamers: 2",
    "Verdieping: 3",
    "Lift: Ja",
    "Toegankelijk: Nee",
    "Kale huur: € 612,50",
    "Beschikbaar vanaf: maandag 19 januari 2026",
    "",
    "Gaat de cliënt akkoord? Graag je antwoord vóór maandag 12 januari 2026, 09:00.",
    "",
    "Je antwoord is opgeslagen: akkoord. Nu wacht de voordracht nog op de corporatie.",
    "— je bent nu 1003 corporation",
    "[→ 1003 corporation, knoppen bewerkt] 👤 Voordracht voor je woning WN-IZK-0001: kandidaat WT-IZK-0001.",
    "",
    "Wacht al: 40 dagen",
    "Gemeenten: Haarlem",
    "Huishouden: Alleenstaand",
    "Begeleiding: Reguliere ambulante begeleiding",
    "Uitstroomprofiel: Zelfstandig (voorbeeld)",
    "Woonwensen: geen",
    "Huurgrens: Tot de lage aftoppingsgrens (€ 713,02)",
    "Verhuizen vanaf: zondag 1 februari 2026",
    "Urgentie: Nee",
    "Begeleidende organisatie: Nog niet bekend",
    "",
    "Gaat de corporatie akkoord? Graag je antwoord vóór maandag 12 januari 2026, 09:00.",
    "    [1] Past niet bij de woning",
    "    [2] Risico voor de buurt",
    "    [3] Huishouden te groot voor de woning",
    "    [4] Anders (met een toelichting)",
    "    [5] ⬅️ Terug",
    "[→ 1003 corporation, bewerkt] 👤 Voordracht voor je woning WN-IZK-0001: kandidaat WT-IZK-0001.",
    "",
    "Wacht al: 40 dagen",
    "Gemeenten: Haarlem",
    "Huishouden: Alleenstaand",
    "Begeleiding: Reguliere ambulante begeleiding",
    "Uitstroomprofiel: Zelfstandig (voorbeeld)",
    "Woonwensen: geen",
    "Huurgrens: Tot de lage aftoppingsgrens (€ 713,02)",
    "Verhuizen vanaf: zondag 1 februari 2026",
    "Urgentie: Nee",
    "Begeleidende organisatie: Nog niet bekend",
    "",
    "Gaat de corporatie akkoord? Graag je antwoord vóór maandag 12 januari 2026, 09:00.",
    "",
    "Je antwoord is opgeslagen: niet akkoord (Past niet bij de woning). Het matchpunt bekijkt het en laat het je weten.",
    "[→ 1001 coordinator] ❌ Niet akkoord van de corporatie voor WT-IZK-0001 en WN-IZK-0001.",
    "Reden: Past niet bij de woning",
    "Bevestig je dit (dan gaat de woning naar de volgende kandidaat), of stuur je het terug met een notitie?",
    "    [1] ✅ Bevestigen, volgende kandidaat",
    "    [2] ↩️ Terugsturen met notitie",
    "— je bent nu 1001 coordinator",
    "[→ 1001 coordinator] Typ een korte notitie voor de partij: waarom je de afwijzing terugstuurt. Zonder namen of andere persoonsgegevens.",
    "    [1] ✖️ Annuleren",
    "[→ 1001 coordinator, bewerkt] Typ een korte notitie voor de partij: waarom je de afwijzing terugstuurt. Zonder namen of andere persoonsgegevens.",
    "",
    "✏️ De begeleiding komt drie keer per week; bekijk het nog eens",
    "[→ 1001 coordinator] ↩️ Teruggestuurd naar de corporatie, met je notitie.",
    "[→ 1003 corporation] ↩️ Het matchpunt vraagt je de voordracht van WT-IZK-0001 voor WN-IZK-0001 opnieuw te bekijken.",
    "Notitie: De begeleiding komt drie keer per week; bekijk het nog eens",
    "Graag je antwoord vóór maandag 12 januari 2026, 09:00.",
    "    [1] ✅ Akkoord   [2] ❌ Niet akkoord",
    "— je bent nu 1003 corporation",
    "[→ 1003 corporation, bewerkt] ↩️ Het matchpunt vraagt je de voordracht van WT-IZK-0001 voor WN-IZK-0001 opnieuw te bekijken.",
    "Notitie: De begeleiding komt drie keer per week; bekijk het nog eens",
    "Graag je antwoord vóór maandag 12 januari 2026, 09:00.",
    "",
    "Je antwoord is opgeslagen: akkoord. Beide partijen zijn akkoord: het is een match! 🎉",
    "[→ 1002 field_worker] 🎉 Match: WT-IZK-0001 en woning WN-IZK-0001; beide partijen zijn akkoord.",
    "Adres: Dorpsstraat 12",
    "[→ 1001 coordinator] 🎉 Match: WT-IZK-0001 en woning WN-IZK-0001; beide partijen zijn akkoord.",
    "[→ 1003 corporation] 🎉 Match: WT-IZK-0001 en woning WN-IZK-0001; beide partijen zijn akkoord.",
    "Adres: Dorpsstraat 12",
    "Vul de verhuisdatum in zodra die bekend is.",
    "    [1] 📅 Verhuisdatum invullen",
    "[→ 1003 corporation] Op welke datum verhuist de kandidaat? Typ bijvoorbeeld ‘1 maart’ of ‘15-2’.",
    "    [1] ✖️ Annuleren",
    "[→ 1003 corporation, bewerkt] Op welke datum verhuist de kandidaat? Typ bijvoorbeeld ‘1 maart’ of ‘15-2’.",
    "",
    "✏️ 12 januari",
    "[→ 1003 corporation] 📅 Verhuisdatum opgeslagen: maandag 12 januari 2026.",
    "[→ 1002 field_worker] 📅 Verhuisdatum van WT-IZK-0001 naar WN-IZK-0001: maandag 12 januari 2026.",
    "[→ 1001 coordinator] 📅 Verhuisdatum van WT-IZK-0001 naar WN-IZK-0001: maandag 12 januari 2026.",
    "[→ 1003 corporation] 🔑 WT-IZK-0001 is verhuisd naar WN-IZK-0001. De kandidaat staat nu op verhuisd, de woning op verhuurd.",
    "[→ 1002 field_worker] 🔑 WT-IZK-0001 is verhuisd naar WN-IZK-0001. De kandidaat staat nu op verhuisd, de woning op verhuurd.",
    "[→ 1001 coordinator] 🔑 WT-IZK-0001 is verhuisd naar WN-IZK-0001. De kandidaat staat nu op verhuisd, de woning op verhuurd.",
    "— klok staat op 12-01-2026 09:00; uitgevoerde taken: 1",
]

DEADLINE_TRANSCRIPT = [
    "— je bent nu 1001 coordinator",
    "[→ 1001 coordinator, bewerkt] ✅ WT-IZK-0001 is voorgedragen voor WN-IZK-0001. De zorgkant en de corporatie krijgen een bericht en antwoorden vóór maandag 12 januari 2026, 09:00 (de corporatie ziet de kandidaat zonder de knelpunten).",
    "[→ 1002 field_worker] 🏠 Voordracht: je kandidaat WT-IZK-0001 voor woning WN-IZK-0001.",
    "",
    "Gemeente: Haarlem",
    "Wijk: Schalkwijk",
    "Soort woning: Appartement",
    "Kamers: 2",
    "Verdieping: begane grond",
    "Toegankelijk: Nee",
    "Kale huur: € 600,00",
    "Beschikbaar vanaf: maandag 19 januari 2026",
    "",
    "Gaat de cliënt akkoord? Graag je antwoord vóór maandag 12 januari 2026, 09:00.",
    "    [1] ✅ Akkoord   [2] ❌ Niet akkoord",
    "[→ 1003 corporation] 👤 Voordracht voor je woning WN-IZK-0001: kandidaat WT-IZK-0001.",
    "",
    "Wacht al: 40 dagen",
    "Gemeenten: Haarlem",
    "Huishouden: Alleenstaand",
    "Begeleiding: Reguliere ambulante begeleiding",
    "Uitstroomprofiel: Zelfstandig (voorbeeld)",
    "Woonwensen: geen",
    "Huurgrens: Tot de lage aftoppingsgrens (€ 713,02)",
    "Verhuizen vanaf: zondag 1 februari 2026",
    "Urgentie: Nee",
    "Begeleidende organisatie: Nog niet bekend",
    "",
    "Gaat de corporatie akkoord? Graag je antwoord vóór maandag 12 januari 2026, 09:00.",
    "    [1] ✅ Akkoord   [2] ❌ Niet akkoord",
    "— klok staat op 08-01-2026 21:00; uitgevoerde taken: 1",
    "[→ 1002 field_worker] ⏰ Herinnering: de voordracht van WT-IZK-0001 voor WN-IZK-0001 wacht nog op je antwoord (uiterlijk maandag 12 januari 2026, 09:00).",
    "[→ 1003 corporation] ⏰ Herinnering: de voordracht van WT-IZK-0001 voor WN-IZK-0001 wacht nog op je antwoord (uiterlijk maandag 12 januari 2026, 09:00).",
    "— klok staat op 09-01-2026 09:00; uitgevoerde taken: 0",
    "[→ 1001 coordinator] ⏳ De termijn van de voordracht van WT-IZK-0001 voor WN-IZK-0001 is verstreken. Nog geen antwoord van:",
    "• de zorgkant: Youssef (Zorgaanbieder Kennemerland (voorbeeld))",
    "• de corporatie: Inge (Woonopmaat)",
    "Neem contact op, of trek de voordracht in.",
    "    [1] 🚫 Voordracht intrekken",
    "[→ 1001 coordinator] ☀️ Overzicht",
    "1 voordracht waarvan de termijn is verstreken:",
    "• WT-IZK-0001 voor WN-IZK-0001: 7 dagen open",
    "— klok staat op 12-01-2026 09:00; uitgevoerde taken: 2",
    "[→ 1001 coordinator] ☀️ Overzicht",
    "1 voordracht waarvan de termijn is verstreken:",
    "• WT-IZK-0001 voor WN-IZK-0001: 7 dagen open",
    "— klok staat op 13-01-2026 08:00; uitgevoerde taken: 1",
    "[→ 1001 coordinator] Weet je zeker dat je de voordracht van WT-IZK-0001 voor WN-IZK-0001 wilt intrekken? Beide partijen krijgen bericht.",
    "    [1] ✅ Ja, intrekken   [2] ✖️ Nee",
    "[→ 1001 coordinator, bewerkt] Weet je zeker dat je de voordracht van WT-IZK-0001 voor WN-IZK-0001 wilt intrekken? Beide partijen krijgen bericht.",
    "",
    "✅ De voordracht van WT-IZK-0001 voor WN-IZK-0001 is ingetrokken.",
    "[→ 1002 field_worker] De voordracht van WT-IZK-0001 voor WN-IZK-0001 is beëindigd: ingetrokken door het matchpunt.",
    "[→ 1003 corporation] De voordracht van WT-IZK-0001 voor WN-IZK-0001 is beëindigd: ingetrokken door het matchpunt.",
    "[→ 1001 coordinator] 🏠 Woning WN-IZK-0001 zoekt een nieuwe kandidaat",
    "Gemeente: Haarlem",
    "Wijk: Schalkwijk",
    "Soort woning: Appartement",
    "Kamers: 2",
    "Verdieping: begane grond",
    "Toegankelijk: Nee",
    "Kale huur: € 600,00",
    "Beschikbaar vanaf: maandag 19 januari 2026",
    "",
    "De beste kandidaten:",
    "1. WT-IZK-0002 (score 28)",
    "   ✓ Haarlem is een gewenste gemeente",
    "   ✓ 1 persoon, 2 kamers",
    "   ✓ huur € 600,00 onder de lage aftoppingsgrens (€ 713,02 in 2026)",
    "   wachttijd 28 dagen",
    "   Haarlem: 0 van 77 dit jaar",
    "    [1] Voordragen: WT-IZK-0002",
    "[→ 1001 coordinator, bewerkt] ✅ WT-IZK-0002 is voorgedragen voor WN-IZK-0001. De zorgkant en de corporatie krijgen een bericht en antwoorden vóór dinsdag 20 januari 2026, 08:00 (de corporatie ziet de kandidaat zonder de knelpunten).",
    "[→ 1002 field_worker] 🏠 Voordracht: je kandidaat WT-IZK-0002 voor woning WN-IZK-0001.",
    "",
    "Gemeente: Haarlem",
    "Wijk: Schalkwijk",
    "Soort woning: Appartement",
    "Kamers: 2",
    "Verdieping: begane grond",
    "Toegankelijk: Nee",
    "Kale huur: € 600,00",
    "Beschikbaar vanaf: maandag 19 januari 2026",
    "",
    "Gaat de cliënt akkoord? Graag je antwoord vóór dinsdag 20 januari 2026, 08:00.",
    "    [1] ✅ Akkoord   [2] ❌ Niet akkoord",
    "[→ 1003 corporation] 👤 Voordracht voor je woning WN-IZK-0001: kandidaat WT-IZK-0002.",
    "",
    "Wacht al: 28 dagen",
    "Gemeenten: Haarlem",
    "Huishouden: Alleenstaand",
    "Begeleiding: Reguliere ambulante begeleiding",
    "Uitstroomprofiel: Zelfstandig (voorbeeld)",
    "Woonwensen: geen",
    "Huurgrens: Tot de lage aftoppingsgrens (€ 713,02)",
    "Verhuizen vanaf: zondag 1 februari 2026",
    "Urgentie: Nee",
    "Begeleidende organisatie: Nog niet bekend",
    "",
    "Gaat de corporatie akkoord? Graag je antwoord vóór dinsdag 20 januari 2026, 08:00.",
    "    [1] ✅ Akkoord   [2] ❌ Niet akkoord",
    "— je bent nu 1002 field_worker",
    "[→ 1002 field_worker, knoppen bewerkt] 🏠 Voordracht: je kandidaat WT-IZK-0002 voor woning WN-IZK-0001.",
    "",
    "Gemeente: Haarlem",
    "Wijk: Schalkwijk",
    "Soort woning: Appartement",
    "Kamers: 2",
    "Verdieping: begane grond",
    "Toegankelijk: Nee",
    "Kale huur: € 600,00",
    "Beschikbaar vanaf: maandag 19 januari 2026",
    "",
    "Gaat de cliënt akkoord? Graag je antwoord vóór dinsdag 20 januari 2026, 08:00.",
    "    [1] Cliënt wil niet in deze buurt wonen",
    "    [2] Cliënt heeft een andere optie",
    "    [3] Cliënt is nog niet klaar om te verhuizen",
    "    [4] Anders (met een toelichting)",
    "    [5] ⬅️ Terug",
    "[→ 1002 field_worker] Typ een korte toelichting bij je ‘niet akkoord’, zonder namen of andere persoonsgegevens.",
    "    [1] ✖️ Annuleren",
    "[→ 1002 field_worker, bewerkt] Typ een korte toelichting bij je ‘niet akkoord’, zonder namen of andere persoonsgegevens.",
    "",
    "✏️ Zij wil eerst de training afmaken",
    "[→ 1002 field_worker] Je antwoord is opgeslagen: niet akkoord (Anders). Het matchpunt bekijkt het en laat het je weten.",
    "[→ 1001 coordinator] ❌ Niet akkoord van de zorgkant voor WT-IZK-0002 en WN-IZK-0001.",
    "Reden: Anders",
    "Toelichting: Zij wil eerst de training afmaken",
    "Bevestig je dit (dan gaat de woning naar de volgende kandidaat), of stuur je het terug met een notitie?",
    "    [1] ✅ Bevestigen, volgende kandidaat",
    "    [2] ↩️ Terugsturen met notitie",
    "— je bent nu 1001 coordinator",
    "[→ 1001 coordinator, bewerkt] ❌ Niet akkoord van de zorgkant voor WT-IZK-0002 en WN-IZK-0001.",
    "Reden: Anders",
    "Toelichting: Zij wil eerst de training afmaken",
    "Bevestig je dit (dan gaat de woning naar de volgende kandidaat), of stuur je het terug met een notitie?",
    "",
    "✅ Afwijzing bevestigd: WT-IZK-0002 wacht weer. Je krijgt zo de beste kandidaten voor WN-IZK-0001.",
    "[→ 1002 field_worker] De voordracht van WT-IZK-0002 voor WN-IZK-0001 is beëindigd: niet akkoord van de zorgkant.",
    "[→ 1003 corporation] De voordracht van WT-IZK-0002 voor WN-IZK-0001 is beëindigd: niet akkoord van de zorgkant.",
    "[→ 1001 coordinator] 🏠 Woning WN-IZK-0001 zoekt een nieuwe kandidaat",
    "Gemeente: Haarlem",
    "Wijk: Schalkwijk",
    "Soort woning: Appartement",
    "Kamers: 2",
    "Verdieping: begane grond",
    "Toegankelijk: Nee",
    "Kale huur: € 600,00",
    "Beschikbaar vanaf: maandag 19 januari 2026",
    "",
    "De beste kandidaten:",
    "1. WT-IZK-0001 (score 48)",
    "   ✓ Haarlem is een gewenste gemeente",
    "   ✓ 1 persoon, 2 kamers",
    "   ✓ huur € 600,00 onder de lage aftoppingsgrens (€ 713,02 in 2026)",
    "   wachttijd 48 dagen",
    "   Haarlem: 0 van 77 dit jaar",
    "    [1] Voordragen: WT-IZK-0001",
]

MOVE_IN_TRANSCRIPT = [
    "— je bent nu 1003 corporation",
    "[→ 1003 corporation] Op welke datum verhuist de kandidaat? Typ bijvoorbeeld ‘1 maart’ of ‘15-2’.",
    "    [1] ✖️ Annuleren",
    "[→ 1003 corporation, knoppen weg] Op welke datum verhuist de kandidaat? Typ bijvoorbeeld ‘1 maart’ of ‘15-2’.",
    "[→ 1003 corporation] ⚠️ Die datum begrijp ik niet. Typ bijvoorbeeld 1-3, 1 maart, 1-3-2027 of over 2 weken.",
    "",
    "Op welke datum verhuist de kandidaat? Typ bijvoorbeeld ‘1 maart’ of ‘15-2’.",
    "    [1] ✖️ Annuleren",
    "[→ 1003 corporation, knoppen weg] ⚠️ Die datum begrijp ik niet. Typ bijvoorbeeld 1-3, 1 maart, 1-3-2027 of over 2 weken.",
    "[→ 1003 corporation] ⚠️ Dat is zaterdag 2 januari 2027: meer dan een half jaar vooruit. Typ een datum binnen een half jaar, of vul de datum later in.",
    "",
    "Op welke datum verhuist de kandidaat? Typ bijvoorbeeld ‘1 maart’ of ‘15-2’.",
    "    [1] ✖️ Annuleren",
    "[→ 1003 corporation, bewerkt] Op welke datum verhuist de kandidaat? Typ bijvoorbeeld ‘1 maart’ of ‘15-2’.",
    "",
    "✏️ 12 januari",
    "[→ 1003 corporation] 📅 Verhuisdatum opgeslagen: maandag 12 januari 2026.",
    "[→ 1001 coordinator] 📅 Verhuisdatum van WT-IZK-0001 naar WN-IZK-0001: maandag 12 januari 2026.",
    "[→ 1002 field_worker] 📅 Verhuisdatum van WT-IZK-0001 naar WN-IZK-0001: maandag 12 januari 2026.",
]


def _candidates(shell, days_ago=(40, 20)) -> list[str]:
    user = shell.store.user(DEMO_USERS["field_worker"])
    codes = []
    for days in days_ago:
        when = shell.clock.now() - timedelta(days=days)
        row = registry.register(shell.store, when, user, registry.CANDIDATES, dict(CANDIDATE_FACTS))
        codes.append(row["code"])
    return codes


def _lines(out: str) -> list[str]:
    if PRINT:
        print("=====\n" + out)
    return out.rstrip("\n").split("\n")


async def test_report_propose_decline_send_back_match_and_move(shell):
    _candidates(shell)
    # The form itself is the dwelling dialog's test; from saving it on, all is compared.
    await talk(shell, *REPORT[:-1])
    out = await talk(
        shell,
        REPORT[-1],
        ":as coordinator",
        ":press Voordragen: WT-IZK-0001",
        ":as field_worker",
        ":press Akkoord",
        ":as corporation",
        ":press Niet akkoord",
        ":press Past niet bij de woning",
        ":as coordinator",
        ":press Terugsturen met notitie",
        "De begeleiding komt drie keer per week; bekijk het nog eens",
        ":as corporation",
        ":press Akkoord",
        ":press Verhuisdatum invullen",
        "12 januari",
        ":advance 7d",
    )
    assert _lines(out) == MATCH_TRANSCRIPT
    proposal = shell.store.proposal(1)
    assert (proposal["status"], proposal["move_in_on"]) == ("geaccepteerd", "2026-01-12")
    assert shell.store.record("candidates", "WT-IZK-0001")["status"] == "verhuisd"
    assert shell.store.record("dwellings", "WN-IZK-0001")["status"] == "verhuurd"
    assert shell.store.record("candidates", "WT-IZK-0002")["status"] == "aangemeld"


async def test_the_deadline_reminds_stalls_and_digests_and_a_decline_goes_to_the_next(shell, kb):
    from bot.decisions import workflow

    _candidates(shell)
    store, now = shell.store, shell.clock.now()
    corporation = store.user(DEMO_USERS["corporation"])
    home = {
        "neighbourhood": "Schalkwijk",
        "type": "appartement",
        "rooms": 2,
        "floor": 0,
        "accessible": "nee",
        "pets_allowed": "ja",
        "net_rent": 600.0,
        "service_costs": 0.0,
        "available_from": "2026-01-19",
        "omklap": "nee",
        "contact": str(DEMO_USERS["corporation"]),
    }
    row = registry.register(
        store, now, corporation, registry.DWELLINGS, home, municipality="haarlem"
    )
    workflow.offer_dwelling(store, kb, now, row)
    await shell.settle()
    out = await talk(
        shell,
        ":as coordinator",
        ":press Voordragen: WT-IZK-0001",
        # Thursday 21:00 is halfway to Monday 09:00, in the quiet hours: Friday morning.
        ":advance 3d12h",
        ":advance 12h",
        # Monday 09:00: the deadline.
        ":advance 3d",
        # Tuesday 08:00: the digest again.
        ":advance 23h",
        ":press Voordracht intrekken",
        ":press Ja, intrekken",
        ":press Voordragen: WT-IZK-0002",
        ":as field_worker",
        ":press Niet akkoord",
        ":press Anders",
        "Zij wil eerst de training afmaken",
        ":as coordinator",
        ":press Bevestigen",
    )
    assert _lines(out) == DEADLINE_TRANSCRIPT
    store = shell.store
    assert [p["status"] for p in store.region_proposals(REGION)] == ["ingetrokken", "afgewezen"]
    assert store.declined_pairs(REGION) == {("WT-IZK-0002", "WN-IZK-0001")}
    assert [p["stalled_at"] for p in store.region_proposals(REGION)] == [
        "2026-01-12T08:00:00+00:00",
        None,
    ]


async def test_a_move_in_date_that_cannot_be_read_is_asked_again(shell, kb):
    from bot.decisions import workflow

    [candidate, _] = _candidates(shell)
    store, now = shell.store, shell.clock.now()
    users = {role: store.user(i) for role, i in DEMO_USERS.items()}
    home = registry.register(
        store,
        now,
        users["corporation"],
        registry.DWELLINGS,
        {
            "neighbourhood": None,
            "type": "studio",
            "rooms": 1,
            "floor": 0,
            "accessible": "nee",
            "pets_allowed": "nee",
            "net_rent": 520.0,
            "service_costs": 0.0,
            "available_from": "2026-01-19",
            "omklap": "nee",
            "contact": str(DEMO_USERS["corporation"]),
        },
        municipality="haarlem",
    )
    proposal = workflow.propose(store, kb, now, users["coordinator"], candidate, home["code"])
    for role, side in (("field_worker", "zorg"), ("corporation", "corporatie")):
        workflow.answer(store, kb, now, users[role], proposal["id"], side, True)
    await shell.settle()
    out = await talk(
        shell,
        ":as corporation",
        ":press Verhuisdatum invullen",
        "gisteren",
        "2-1",
        "12 januari",
    )
    assert _lines(out) == MOVE_IN_TRANSCRIPT
    assert store.proposal(proposal["id"])["move_in_on"] == "2026-01-12"
