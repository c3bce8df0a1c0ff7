"""Questions in a chat through the real Application (issue #12): a thing one region has is
answered with its region's name, a follow-up that names a region asks the question before for
it, a message with two questions gets two answers, a fact several regions have is asked back
with one button per region, and "Vraag het matchpunt": the asker, the coordinator, the answer
back, and the draft in `weerthuis kb drafts`, which holds nothing of who asked."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import REPO
from helpers import talk

from bot.demo import DEMO_USERS

PRINT = os.environ.get("PRINT_TRANSCRIPT")


def _lines(name: str, out: str) -> list[str]:
    if PRINT:
        print(f"====={name}\n{out}=====END")
    return out.rstrip("\n").split("\n")


REGION_UNIQUE = [
    "— je bent nu 1002 field_worker",
    "[→ 1002 field_worker] In Zuidoost-Drenthe: Johan is weer thuis is een blog van de bestuurder van woningcorporatie Domesta, voor en over alle 'Johans' die er in Nederland zijn, geschreven bij de start in de regio Emmen (2019).",
    "",
    'Bron: Start Actieprogramma "Weer Thuis!" in de regio Emmen, 2019',
    "    [1] Wat hebben de partijen in de regio Emmen afgesproken?",
    "    [2] 👍   [3] 👎",
]

FOLLOW_UP = [
    "— je bent nu 1003 corporation",
    "[→ 1003 corporation] In de regio Limburg zoeken zorgaanbieders al vroeg contact met de corporatie en de gemeente over cliënten die gaan uitstromen. Ze begeleiden hen bij de integratie in de wijk en bij de financiën (resultaten eerste ronde, december 2018). Welke gemeenten en organisaties het zijn, noemt de bron niet.",
    "",
    "Bron: Resultaten actieprogramma Weer Thuis: elkaar begrijpen vormt de basis, 2018-12-07",
    "    [1] Zijn er afspraken over het huisvesten van bijzondere doelgr…",
    "    [2] 👍   [3] 👎",
    "[→ 1003 corporation] In IJmond en Zuid-Kennemerland: Zorgaanbieders, gemeenten en welzijnsinstellingen werken samen aan een zachte landing van de cliënt in de nieuwe woning en omgeving. Gaat het toch niet goed, dan lossen de partijen de situatie samen op en zorgen ze voor alternatieven.",
    "",
    "Bron: Woonopmaat, Nieuwsbrief Najaar 2020 - Eerlijk zullen we alles (ver)delen, 2020",
    "    [1] Krijgen corporaties in IJmond en Zuid-Kennemerland hulp als…",
    "    [2] Wat is er in Haarlem afgesproken over woonbegeleiding?",
    "    [3] 👍   [4] 👎",
    "[→ 1003 corporation] Ik weet niet zeker wat je bedoelt. Bedoelde je een van deze vragen?",
    "    [1] Zuidoost-Drenthe: Komt er een uitstroomconvenant in Zuidoos…",
    "    [2] Zuidoost-Drenthe: Wat hebben de partijen in de regio Emmen …",
    "    [3] Wat betekent ‘zachte landing’?",
    "    [4] Nee, iets anders",
]

COMBINED = [
    "— je bent nu 1004 support_worker",
    "[→ 1004 support_worker] omklapwoning: Een woning die het eerste jaar door de zorgaanbieder wordt gehuurd; gaat alles goed, dan wordt het omgezet in een normaal huurcontract voor de bewoner. Zo werkt Eindhoven.",
    "",
    "Bron: Resultaten actieprogramma Weer Thuis: elkaar begrijpen vormt de basis, 2018-12-07",
    "    [1] 👍   [2] 👎",
    "[→ 1004 support_worker] In de regio Midden-Groningen worden maar liefst 600 woningen per jaar beschikbaar gesteld voor deelnemers uit de maatschappelijke opvang (resultaten eerste ronde, december 2018). Hoe die over wijken of doelgroepen worden verdeeld, staat niet in de bron.",
    "",
    "Bron: Resultaten actieprogramma Weer Thuis: elkaar begrijpen vormt de basis, 2018-12-07",
    "    [1] Wat heeft het Actieprogramma Weer Thuis opgeleverd?",
    "    [2] Wat betekent ‘contingent’?",
    "    [3] 👍   [4] 👎",
    "[→ 1004 support_worker] uitstroomprofiel: Een profiel van een deelnemer waarmee je beter kunt bekijken welke woning bij wie past. De regio Assen heeft uitstroomprofielen opgesteld.",
    "",
    "Bron: Resultaten actieprogramma Weer Thuis: elkaar begrijpen vormt de basis, 2018-12-07",
    "    [1] 👍   [2] 👎",
    "[→ 1004 support_worker] Op dit deel van je vraag heb ik geen antwoord: wie wint de eredivisie dit jaar",
    "    [1] ❓ Vraag het matchpunt",
]

WHICH_REGION = [
    "— je bent nu 1002 field_worker",
    "[→ 1002 field_worker] Dat verschilt per regio. Over welke regio gaat je vraag?",
    "    [1] Midden-Groningen",
    "    [2] IJmond en Zuid-Kennemerland",
    "    [3] Nee, iets anders",
    "[→ 1002 field_worker] In de regio Midden-Groningen worden maar liefst 600 woningen per jaar beschikbaar gesteld voor deelnemers uit de maatschappelijke opvang (resultaten eerste ronde, december 2018). Hoe die over wijken of doelgroepen worden verdeeld, staat niet in de bron.",
    "",
    "Bron: Resultaten actieprogramma Weer Thuis: elkaar begrijpen vormt de basis, 2018-12-07",
    "    [1] Wat heeft het Actieprogramma Weer Thuis opgeleverd?",
    "    [2] Wat betekent ‘contingent’?",
    "    [3] 👍   [4] 👎",
]

ASKED = [
    "— je bent nu 1002 field_worker",
    "[→ 1002 field_worker] Dat weet ik niet. Ik geef alleen antwoord als het in de kennisbank van Weer Thuis staat.",
    "",
    "Je kunt het aan het matchpunt van je regio vragen: een coördinator antwoordt je hier. Je vraag is ook zonder je naam bewaard, zodat de kennisbank kan worden aangevuld.",
    "    [1] ❓ Vraag het matchpunt",
    "[→ 1002 field_worker, knoppen weg] Dat weet ik niet. Ik geef alleen antwoord als het in de kennisbank van Weer Thuis staat.",
    "[→ 1002 field_worker] Je vraag is naar het matchpunt van IJmond en Zuid-Kennemerland gestuurd: mag een huisdier mee naar de nieuwe woning? bel me op [telefoon]",
    "Je krijgt het antwoord hier van een coördinator.",
    "[→ 1001 coordinator] ❓ Vraag voor het matchpunt van Youssef (Zorgaanbieder Kennemerland (voorbeeld)), die de kennisbank niet kon beantwoorden:",
    "",
    "mag een huisdier mee naar de nieuwe woning? bel me op [telefoon]",
    "",
    "Je antwoord gaat terug naar de vrager en wordt bewaard als concept voor de kennisbank (zonder wie het vroeg).",
    "    [1] ✍️ Beantwoorden",
]

ANSWERED = [
    "— je bent nu 1001 coordinator",
    "[→ 1001 coordinator] Typ je antwoord op de vraag mag een huisdier mee naar de nieuwe woning? bel me op [telefoon]",
    "",
    "Het gaat naar de vrager en wordt bewaard als concept voor de kennisbank: schrijf het zonder namen of andere persoonsgegevens.",
    "    [1] ✖️ Annuleren",
    "[→ 1001 coordinator, knoppen weg] Typ je antwoord op de vraag mag een huisdier mee naar de nieuwe woning? bel me op [telefoon]",
    "[→ 1001 coordinator] ⚠️ Het antwoord lijkt een telefoonnummer te bevatten. Het wordt bewaard voor de kennisbank, dus zonder persoonsgegevens: laat ze weg en probeer het opnieuw.",
    "",
    "Typ je antwoord op de vraag mag een huisdier mee naar de nieuwe woning? bel me op [telefoon]",
    "",
    "Het gaat naar de vrager en wordt bewaard als concept voor de kennisbank: schrijf het zonder namen of andere persoonsgegevens.",
    "    [1] ✖️ Annuleren",
    "[→ 1001 coordinator, bewerkt] Typ je antwoord op de vraag mag een huisdier mee naar de nieuwe woning? bel me op [telefoon]",
    "",
    "Het gaat naar de vrager en wordt bewaard als concept voor de kennisbank: schrijf het zonder namen of andere persoonsgegevens.",
    "",
    "✏️ Dat staat niet in de afspraken. Huisdieren zijn een vraag voor de corporatie.",
    "[→ 1001 coordinator] Verstuurd naar de vrager. Je antwoord is ook bewaard als concept voor de kennisbank (weerthuis kb drafts).",
    "[→ 1002 field_worker] 💬 Antwoord van het matchpunt op je vraag mag een huisdier mee naar de nieuwe woning? bel me op [telefoon]:",
    "",
    "Dat staat niet in de afspraken. Huisdieren zijn een vraag voor de corporatie.",
    "[→ 1001 coordinator] Deze vraag is al beantwoord; er is niets veranderd.",
]

VRAAG_ALONE = [
    "— je bent nu 1003 corporation",
    "[→ 1003 corporation] Wat wil je weten? Typ je vraag, bijvoorbeeld: wat is een omklapwoning. Met /stop stop je.",
    "[→ 1003 corporation, bewerkt] Wat wil je weten? Typ je vraag, bijvoorbeeld: wat is een omklapwoning. Met /stop stop je.",
    "",
    "✏️ wat is het pact van uitstroom",
    "[→ 1003 corporation] In het Pact van uitstroom (10 punten) spraken corporaties, gemeenten en zorg- en welzijnsaanbieders in IJmond en Zuid-Kennemerland af samen te zorgen voor een zorgvuldige uitstroom uit BW en MO. Kern: een regionaal matchpunt, een eerlijke verdeling over regio's, gemeenten en buurten, afstemming van woonvorm, locatie en begeleiding, sociale huurwoningen, hulp van wijkteams bij intensiever sociaal beheer, en een zachte landing – gaat het mis, dan lossen de partijen het samen op.",
    "",
    "Bron: Woonopmaat, Nieuwsbrief Najaar 2020 - Eerlijk zullen we alles (ver)delen, 2020",
    "    [1] Hoeveel uitstromers verwacht de regio IJmond en Zuid-Kennem…",
    "    [2] Wat doet het regionale matchpunt in IJmond en Zuid-Kennemer…",
    "    [3] Hoe worden uitstromers verdeeld over de gemeenten en buurte…",
    "    [4] Wat gebeurt er in IJmond en Zuid-Kennemerland als het na de…",
    "    [5] 👍   [6] 👎",
    "[→ 1003 corporation] Wat wil je weten? Typ je vraag, bijvoorbeeld: wat is een omklapwoning. Met /stop stop je.",
    "[→ 1003 corporation] Gestopt; je hebt geen vraag gesteld.",
]


ONLY_COORDINATOR = [
    "— je bent nu 1001 coordinator",
    "[→ 1001 coordinator] Dat weet ik niet. Ik geef alleen antwoord als het in de kennisbank van Weer Thuis staat.",
    "",
    "Je vraag is zonder je naam bewaard, zodat de kennisbank kan worden aangevuld.",
]


async def test_the_regions_only_coordinator_is_not_offered_to_ask_the_matchpunt(shell):
    # The demo region has one coordinator: asking "the matchpunt" would reach nobody.
    out = await talk(shell, ":as coordinator", "wie wint de eredivisie dit jaar")
    assert _lines("ONLY_COORDINATOR", out) == ONLY_COORDINATOR


OUTSIDE = [
    "— je bent nu 1002 field_worker",
    "[→ 1002 field_worker] Over zorgtoeslag staat niets in de kennisbank van Weer Thuis: die gaat over het programma, de afspraken in de regio's en deze bot.",
    "",
    "Je kunt het wel aan het matchpunt van je regio vragen: een coördinator antwoordt je hier.",
    "    [1] ❓ Vraag het matchpunt",
]


async def test_a_subject_outside_the_knowledge_base_is_named_and_offered_to_the_matchpunt(shell):
    out = await talk(shell, ":as field_worker", "hoe vraag ik zorgtoeslag aan voor mijn cliënt")
    assert _lines("OUTSIDE", out) == OUTSIDE
    # Not kept for the editors: the knowledge base will not cover it.
    assert shell.store.kb_questions() == []


async def test_a_thing_of_one_region_is_answered_with_its_name(shell):
    out = await talk(shell, ":as field_worker", "wie schreef de blog over johan")
    assert _lines("REGION_UNIQUE", out) == REGION_UNIQUE


async def test_a_follow_up_in_chat_asks_the_question_before_for_the_region_it_names(shell):
    out = await talk(
        shell,
        ":as corporation",
        "wat gebeurt er in limburg als het na de verhuizing misgaat",
        "en in ijmond?",
        "en bij domesta?",
    )
    assert _lines("FOLLOW_UP", out) == FOLLOW_UP


async def test_two_questions_in_one_message_get_two_answers(shell):
    out = await talk(
        shell,
        ":as support_worker",
        "wat is een omklapwoning en hoeveel woningen stelt midden-groningen per jaar beschikbaar?",
        "wat is een uitstroomprofiel en wie wint de eredivisie dit jaar",
    )
    assert _lines("COMBINED", out) == COMBINED
    # The part without an answer is kept for the editors, like any unanswered question.
    assert [(r["kind"], r["text"]) for r in shell.store.kb_questions()] == [
        ("unanswered", "wie wint de eredivisie dit jaar")
    ]


async def test_a_fact_several_regions_have_is_asked_back_with_a_button_per_region(shell):
    out = await talk(shell, ":as field_worker", "hoeveel woningen per jaar", ":press 1")
    assert _lines("WHICH_REGION", out) == WHICH_REGION


def _drafts(shell) -> str:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["WEERTHUIS_CONFIG"] = str(REPO / "config.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "kb", "drafts", "--db", str(shell.store.path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


async def test_vraag_het_matchpunt_from_the_asker_to_the_coordinator_and_back(shell):
    asker = DEMO_USERS["field_worker"]
    assert _drafts(shell).startswith("# geen concepten")
    out = await talk(
        shell,
        ":as field_worker",
        "mag een huisdier mee naar de nieuwe woning? bel me op 0612345678",
        ":press 1",
    )
    assert _lines("ASKED", out) == ASKED
    [row] = shell.store.db["matchpunt_questions"].rows
    assert (row["asker"], row["state"]) == (asker, "open")
    out = await talk(
        shell,
        ":as coordinator",
        ":press 1",
        "Dat bel ik je: 0687654321",
        "Dat staat niet in de afspraken. Huisdieren zijn een vraag voor de corporatie.",
        # The same button once more: the question is answered, nothing changes.
        ":press 1",
    )
    assert _lines("ANSWERED", out) == ANSWERED
    [row] = shell.store.db["matchpunt_questions"].rows
    # Once the answer is on its way, nothing says who asked.
    assert (row["asker"], row["state"]) == (None, "beantwoord")
    drafts = _drafts(shell)
    assert drafts == (
        "entries:\n"
        "- id: concept-1\n"
        "  question: mag een huisdier mee naar de nieuwe woning? bel me op [telefoon]\n"
        "  alternates: []\n"
        "  answer: Dat staat niet in de afspraken. Huisdieren zijn een vraag voor de corporatie.\n"
        "  region: ijmond-zuid-kennemerland\n"
        "  sources:\n"
        "  - name: Antwoord van het matchpunt, 2026-01-05\n\n"
    )
    for identity in (str(asker), "Youssef", "Zorgaanbieder Kennemerland", "0612345678"):
        assert identity not in drafts


async def test_a_forged_answer_button_from_another_role_or_region_changes_nothing(shell):
    await talk(shell, ":as field_worker", "wie wint de eredivisie", ":press 1")
    [row] = shell.store.db["matchpunt_questions"].rows
    message = shell.api.outputs[-1]
    assert message.to == DEMO_USERS["coordinator"]
    for who in ("field_worker", "corporation", "support_worker"):
        # Forged on a message of their own chat, as anyone can.
        await talk(shell, f":as {who}", "/help")
        own = shell.api.outputs[-1].message_id
        shell.api.press(DEMO_USERS[who], own, f"kb:b:{row['id']}")
        await shell.settle()
        answer = shell.api.outputs[-1]
        assert (answer.kind, answer.text) == (
            "callback_answer",
            "Dit mag je met jouw rol niet doen.",
        )
    # A coordinator of another region may not answer it either.
    other = shell.store.add_organisation(
        "Lefier", "corporatie", "midden-groningen", shell.clock.now()
    )
    shell.store.add_user(9001, "coordinator", other.id, "midden-groningen", shell.clock.now())
    await talk(shell, ":as 9001", "/help")
    shell.api.press(9001, shell.api.outputs[-1].message_id, f"kb:b:{row['id']}")
    await shell.settle()
    assert shell.api.outputs[-1].text == (
        "Deze vraag is voor de coördinatoren van een andere regio; er is niets veranderd."
    )
    assert list(shell.store.db["matchpunt_questions"].rows) == [row]


async def test_vraag_without_text_asks_for_the_question(shell):
    out = await talk(
        shell,
        ":as corporation",
        "/vraag",
        "wat is het pact van uitstroom",
        "/vraag",
        "/stop",
    )
    assert _lines("VRAAG_ALONE", out) == VRAAG_ALONE
