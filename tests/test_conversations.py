"""Whole dialogs through the real Application over the local Bot API, compared as transcripts."""

from __future__ import annotations

import re

from helpers import talk

from bot.demo import DEMO_USERS

ROLE_QUESTION = """\
[→ 1001 coordinator] Wie wil je uitnodigen? Kies de rol van je collega.
    [1] Coördinator (regionaal matchpunt / gemeente)
    [2] Medewerker zorg/opvang
    [3] Medewerker woningcorporatie
    [4] Woonbegeleider
    [5] ✖️ Annuleren
"""
VALIDITY_QUESTION = """\
[→ 1001 coordinator, bewerkt] Hoe lang blijft de uitnodiging geldig? Kies hieronder of typ een aantal dagen (1 tot 90).
    [1] 1 dag   [2] 7 dagen   [3] 14 dagen   [4] 30 dagen
    [5] ⬅️ Terug   [6] ✖️ Annuleren
"""


def _mask_codes(text: str) -> str:
    return re.sub(r"\b[A-HJ-NP-Z2-9]{12}\b", "<CODE>", text)


async def test_invite_then_register_with_the_deep_link(shell):
    transcript = await talk(shell, "/uitnodigen", ":press 3", ":press Woonopmaat", "14", ":press 1")
    assert (
        _mask_codes(transcript)
        == ROLE_QUESTION
        + """\
[→ 1001 coordinator, bewerkt] Rol: Medewerker woningcorporatie.
Bij welke organisatie werkt je collega?
    [1] Woonopmaat
    [2] ⬅️ Terug   [3] ✖️ Annuleren
"""
        + VALIDITY_QUESTION
        + """\
[→ 1001 coordinator] Klopt dit?
Rol: Medewerker woningcorporatie
Organisatie: Woonopmaat
Regio: IJmond en Zuid-Kennemerland
Geldig: 14 dagen (tot 19-01-2026 09:00)
    [1] ✅ Aanmaken
    [2] ⬅️ Terug   [3] ✖️ Annuleren
[→ 1001 coordinator, bewerkt] ✅ Uitnodiging aangemaakt.

Stuur deze link naar je collega: https://t.me/WeerThuisBot?start=<CODE>
Of laat je collega /start <CODE> typen.

De code werkt één keer en verloopt op 19-01-2026 09:00.
"""
    )
    [invite] = shell.store.invites()
    assert f"start={invite.code}" in transcript
    registered = await talk(shell, ":as 3000", f"/start {invite.code}", "/help")
    assert (
        registered
        == """\
— je bent nu 3000
[→ 3000] Welkom bij de Weer Thuis-bot. Je bent aangemeld als Medewerker woningcorporatie bij Woonopmaat (regio IJmond en Zuid-Kennemerland).

Dit kun je hier doen:
/start — Beginnen of aanmelden met een uitnodigingscode
/help — Wat kan ik hier doen?
/annuleren — De huidige handeling afbreken
[→ 3000] Je bent Medewerker woningcorporatie. Dit kun je hier doen:
/start — Beginnen of aanmelden met een uitnodigingscode
/help — Wat kan ik hier doen?
/annuleren — De huidige handeling afbreken

Bij elke stap kun je Terug kiezen of /annuleren typen.
"""
    )
    user = shell.store.user(3000)
    assert (user.role, user.region) == ("corporation", "ijmond-zuid-kennemerland")
    # The new user's own command menu was published for their chat.
    scoped = {key: cmds for key, cmds in shell.api.commands.items() if 3000 in key}
    assert [c for c, _ in next(iter(scoped.values()))] == ["start", "help", "annuleren"]
    # The code is single-use: a second person gets the refusal.
    again = await talk(shell, ":as 3001", f"/start {invite.code}")
    assert "onbekend, al gebruikt of verlopen" in again
    assert shell.store.find_user(3001) is None


async def test_back_keeps_going_and_cancel_creates_nothing(shell):
    transcript = await talk(
        shell,
        "/uitnodigen",
        ":press 2",
        ":press Terug",
        ":press 4",
        ":press 1",
        ":press Terug",
        ":press Terug",
        ":press Annuleren",
    )
    assert "Rol: Medewerker zorg/opvang." in transcript
    assert "Rol: Woonbegeleider." in transcript
    assert transcript.rstrip().endswith("Uitnodigen afgebroken. Er is niets aangemaakt.")
    assert transcript.count("[→ 1001 coordinator, bewerkt] Wie wil je uitnodigen?") == 2
    assert shell.store.invites() == []


async def test_bad_input_is_answered_in_place_and_changes_nothing(shell):
    transcript = await talk(shell, "/uitnodigen", "hallo?")
    assert (
        transcript
        == ROLE_QUESTION
        + "[→ 1001 coordinator] Kies een van de knoppen hieronder, of typ /annuleren om te stoppen.\n"
        + ROLE_QUESTION
    )
    shell.api.send_photo(DEMO_USERS["coordinator"], caption="foto")
    await shell.settle()
    assert shell.out.getvalue().endswith(ROLE_QUESTION)
    await talk(shell, ":press 3", ":press 1")
    for wrong in ("abc", "0", "91", "-5", "x" * 10_000, "7.5"):
        reply = await talk(shell, wrong)
        assert reply.startswith(
            "[→ 1001 coordinator] Dat is geen geldig aantal dagen. Typ een getal van 1 tot 90, bijvoorbeeld 7.\n"
        ), wrong
    # A button of an earlier step, pressed now, is stale and re-asks this step.
    first_question = next(
        o for o in shell.api.outputs if o.text and o.text.startswith("Wie wil je")
    )
    shell.api.press(DEMO_USERS["coordinator"], first_question.message_id, "uitn:rol:coordinator")
    await shell.settle()
    assert shell.api.outputs[-2].kind == "callback_answer"
    assert shell.api.outputs[-2].text == "Die knop hoort bij een eerdere stap."
    assert shell.api.outputs[-1].text.startswith("Hoe lang blijft de uitnodiging geldig?")
    assert shell.store.invites() == []
    assert (
        await talk(shell, "/annuleren")
        == "[→ 1001 coordinator] Uitnodigen afgebroken. Er is niets aangemaakt.\n"
    )
    assert "Er loopt nu niets om af te breken" in await talk(shell, "/annuleren")


async def test_idle_conversation_times_out(shell):
    await talk(shell, "/uitnodigen", ":press 3")
    transcript = await talk(shell, ":advance 31m")
    assert (
        "[→ 1001 coordinator] Je was een tijd niet actief, dus het uitnodigen is gestopt."
        in transcript
    )
    after = await talk(shell, ":press 1")
    assert "Deze knop is niet meer geldig." in after


async def test_unknown_user_gets_one_short_message_and_nothing_is_stored(shell):
    tables = {
        t: shell.store.count(t)
        for t in ("users", "invites", "user_data", "chat_data", "conversation_states")
    }
    transcript = await talk(shell, ":as 4242", "hallo", "/help", "/uitnodigen", "/start NOPE")
    assert transcript.count("Je hebt nog geen toegang.") == 3
    assert "onbekend, al gebruikt of verlopen" in transcript
    assert {t: shell.store.count(t) for t in tables} == tables


async def test_a_deactivated_user_is_turned_away(shell):
    shell.store.set_user_active(DEMO_USERS["coordinator"], False)
    transcript = await talk(shell, "/uitnodigen", "/help")
    assert transcript.count("Je account is niet actief.") == 2


async def test_a_broken_handler_gets_a_dutch_apology_and_a_logged_traceback(shell, caplog):
    # Break the store for one update: the error handler must take over.
    original = shell.store.find_user

    def broken(telegram_id):
        raise RuntimeError("boom")

    shell.store.find_user = broken
    try:
        transcript = await talk(shell, "/help")
    finally:
        shell.store.find_user = original
    assert transcript == (
        "[→ 1001 coordinator] Er ging iets mis aan onze kant. Er is niets kwijtgeraakt. "
        "Probeer het opnieuw, of typ /annuleren om opnieuw te beginnen.\n"
    )
    assert any(r.exc_info and "boom" in str(r.exc_info[1]) for r in caplog.records)
    assert not any("/help" in r.getMessage() for r in caplog.records)
