"""A home in a neighbourhood at its cap, proposed in the chat: the picker marks it, the
coordinator is asked why, a reason with personal data is refused, and the override is
audited. The whole conversation is compared."""

from __future__ import annotations

from datetime import timedelta

from helpers import CANDIDATE_FACTS, talk

from bot.demo import DEMO_USERS
from bot.matching import matchpunt
from bot.records import registry

# Aerdenhout (Bloemendaal) has a cap of 1 in twelve months in the region file (an example).
HOME = {
    "neighbourhood": "Aerdenhout",
    "type": "appartement",
    "rooms": 2,
    "floor": 0,
    "accessible": "nee",
    "pets_allowed": "ja",
    "net_rent": 640.0,
    "service_costs": 20.0,
    "available_from": "2026-01-10",
    "omklap": "nee",
    "contact": "1003",
}
CONVERSATION = (
    ":as coordinator",
    "/mijn",
    ":press WT-IZK-0002",
    ":press Voordragen",
    ":press 1",
    "bel me op 0612345678",
    "De enige woning op de begane grond in de buurt van de begeleiding",
)
TRANSCRIPT = [
    "— je bent nu 1001 coordinator",
    "[→ 1001 coordinator] 2 kandidaten in je regio",
    "    [1] WT-IZK-0001 · voorgedragen · Bloemendaal · 30 dagen",
    "    [2] WT-IZK-0002 · aangemeld · Bloemendaal · 30 dagen",
    "    [3] Alle   [4] Wachtend   [5] Voorgedragen   [6] Gepauzeerd",
    "    [7] 📍 Per gemeente   [8] ⏳ > 90 dagen",
    "    [9] 🏠 Woningen",
    "[→ 1001 coordinator, bewerkt] WT-IZK-0002",
    "Status: aangemeld",
    "Wacht al: 30 dagen",
    "Gemeenten: Bloemendaal",
    "Huishouden: Alleenstaand",
    "Begeleiding: Reguliere ambulante begeleiding",
    "Uitstroomprofiel: Zelfstandig (voorbeeld)",
    "Woonwensen: geen",
    "Huurgrens: Tot de lage aftoppingsgrens (€ 713,02)",
    "Verhuizen vanaf: zondag 1 februari 2026",
    "Knelpunten: Huurschuld",
    "Urgentie: Nee",
    "Begeleidende organisatie: Nog niet bekend",
    "Notitie: —",
    "    [1] 🏠 Voordragen voor een woning",
    "    [2] ⏸ Pauzeren",
    "    [3] 🚫 Intrekken",
    "    [4] ✏️ Gegevens wijzigen",
    "    [5] ⬅️ Terug naar de lijst",
    "[→ 1001 coordinator, bewerkt] Voor welke woning draag je WT-IZK-0002 voor?",
    "    [1] ⚠ WN-IZK-0002 · beschikbaar · Bloemendaal · 30 dagen",
    "    [2] ⬅️ Terug",
    "[→ 1001 coordinator, bewerkt] ⚠ wijk Aerdenhout zit aan het plafond (1 van 1 in 12 maanden): voordragen alleen met een reden",
    "",
    "Waarom wil je WT-IZK-0002 toch voordragen voor WN-IZK-0002? Typ een korte reden, zonder namen of andere persoonsgegevens. Het matchpunt legt die reden vast.",
    "    [1] ✖️ Annuleren",
    "[→ 1001 coordinator, knoppen weg] ⚠ wijk Aerdenhout zit aan het plafond (1 van 1 in 12 maanden): voordragen alleen met een reden",
    "[→ 1001 coordinator] ⚠️ De reden lijkt een telefoonnummer te bevatten. Die gegevens bewaren we niet: laat ze weg en probeer het opnieuw.",
    "",
    "⚠ wijk Aerdenhout zit aan het plafond (1 van 1 in 12 maanden): voordragen alleen met een reden",
    "",
    "Waarom wil je WT-IZK-0002 toch voordragen voor WN-IZK-0002? Typ een korte reden, zonder namen of andere persoonsgegevens. Het matchpunt legt die reden vast.",
    "    [1] ✖️ Annuleren",
    "[→ 1001 coordinator, bewerkt] ⚠ wijk Aerdenhout zit aan het plafond (1 van 1 in 12 maanden): voordragen alleen met een reden",
    "",
    "Waarom wil je WT-IZK-0002 toch voordragen voor WN-IZK-0002? Typ een korte reden, zonder namen of andere persoonsgegevens. Het matchpunt legt die reden vast.",
    "",
    "✏️ De enige woning op de begane grond in de buurt van de begeleiding",
    "[→ 1001 coordinator] ✅ WT-IZK-0002 is voorgedragen voor WN-IZK-0002. De zorgkant en de corporatie krijgen een bericht en antwoorden vóór maandag 12 januari 2026, 09:00 (de corporatie ziet de kandidaat zonder de knelpunten).",
    "[→ 1002 field_worker] 🏠 Voordracht: je kandidaat WT-IZK-0002 voor woning WN-IZK-0002.",
    "",
    "Gemeente: Bloemendaal",
    "Wijk: Aerdenhout",
    "Soort woning: Appartement",
    "Kamers: 2",
    "Verdieping: begane grond",
    "Toegankelijk: Nee",
    "Kale huur: € 640,00",
    "Beschikbaar vanaf: zaterdag 10 januari 2026",
    "",
    "Gaat de cliënt akkoord? Graag je antwoord vóór maandag 12 januari 2026, 09:00.",
    "    [1] ✅ Akkoord   [2] ❌ Niet akkoord",
    "[→ 1003 corporation] 👤 Voordracht voor je woning WN-IZK-0002: kandidaat WT-IZK-0002.",
    "",
    "Wacht al: 30 dagen",
    "Gemeenten: Bloemendaal",
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
]


async def test_a_home_at_its_cap_is_proposed_only_with_a_reason(shell, kb):
    store, clock = shell.store, shell.clock
    users = {role: store.user(i) for role, i in DEMO_USERS.items()}
    earlier = clock.now() - timedelta(days=30)
    facts = {**CANDIDATE_FACTS, "municipalities": ["bloemendaal"]}
    first, second = (
        registry.register(store, earlier, users["field_worker"], registry.CANDIDATES, dict(facts))
        for _ in range(2)
    )
    homes = [
        registry.register(
            store,
            earlier,
            users["corporation"],
            registry.DWELLINGS,
            dict(HOME),
            municipality="bloemendaal",
        )["code"]
        for _ in range(2)
    ]
    # The first proposal fills the cap: 1 of 1 in twelve months.
    matchpunt.propose(store, kb, earlier, users["coordinator"], first["code"], homes[0])
    out = await talk(shell, *CONVERSATION)
    assert out.rstrip("\n").split("\n") == TRANSCRIPT
    assert store.record("candidates", second["code"])["status"] == "voorgedragen"
    audit = [(e["action"], e["record_id"], e["detail"]) for e in store.audit_entries()]
    assert audit[-1] == (
        "voordracht.plafond_overschreden",
        "WN-IZK-0002",
        '{"kandidaat": "WT-IZK-0002"}',
    )
    proposal = store.open_proposals(candidate="WT-IZK-0002")[0]
    assert proposal["cap_reason"] == (
        "De enige woning op de begane grond in de buurt van de begeleiding"
    )
    # The refused reason was never stored anywhere.
    assert not [e for e in store.audit_entries() if "0612345678" in str(e["detail"])]


async def test_stopping_the_reason_changes_nothing(shell, kb):
    store, clock = shell.store, shell.clock
    users = {role: store.user(i) for role, i in DEMO_USERS.items()}
    earlier = clock.now() - timedelta(days=30)
    facts = {**CANDIDATE_FACTS, "municipalities": ["bloemendaal"]}
    codes = [
        registry.register(store, earlier, users["field_worker"], registry.CANDIDATES, dict(facts))[
            "code"
        ]
        for _ in range(2)
    ]
    homes = [
        registry.register(
            store,
            earlier,
            users["corporation"],
            registry.DWELLINGS,
            dict(HOME),
            municipality="bloemendaal",
        )["code"]
        for _ in range(2)
    ]
    matchpunt.propose(store, kb, earlier, users["coordinator"], codes[0], homes[0])
    await talk(shell, *CONVERSATION[:5])
    out = await talk(shell, ":press Annuleren")
    assert out.split("\n")[0] == (
        "[→ 1001 coordinator, bewerkt] Voordragen van WT-IZK-0002 is gestopt; er is niets veranderd."
    )
    assert store.record("candidates", codes[1])["status"] == "aangemeld"
    assert store.record("dwellings", homes[1])["status"] == "beschikbaar"
