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
[→ 1001 coordinator, bewerkt] Hoe lang blijft de uitnodiging geldig? Kies hieronder of typ een aantal dagen (1 tot 90).

✏️ 14 dagen
[→ 1001 coordinator] Klopt dit?
Rol: Medewerker woningcorporatie
Organisatie: Woonopmaat
Regio: IJmond en Zuid-Kennemerland
Geldig: 14 dagen (tot 19-01-2026 09:00)
    [1] ✅ Aanmaken
    [2] ⬅️ Terug   [3] ✖️ Annuleren
[→ 1001 coordinator, bewerkt] ✅ Uitnodiging aangemaakt voor een Medewerker woningcorporatie bij Woonopmaat.

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
Collega's zien je als Gebruiker (Woonopmaat); je voornaam wijzig je met /naam.

Dit kun je hier doen:
/start — Beginnen of aanmelden met een uitnodigingscode
/help — Wat kan ik hier doen?
/vraag — Een vraag stellen over de afspraken (of typ gewoon je vraag)
/regels — De regels voor de matching in jouw regio
/woning — Een vrijkomende woning aanmelden
/mijn — Jouw kandidaten of woningen (coördinator: de regio)
/signalen — Signalen na een verhuizing: wie pakt wat op (samen oplossen)
/naam — Je voornaam zoals collega's die zien
/annuleren — De huidige handeling afbreken
[→ 3000] Je bent Medewerker woningcorporatie. Dit kun je hier doen:
/start — Beginnen of aanmelden met een uitnodigingscode
/help — Wat kan ik hier doen?
/vraag — Een vraag stellen over de afspraken (of typ gewoon je vraag)
/regels — De regels voor de matching in jouw regio
/woning — Een vrijkomende woning aanmelden
/mijn — Jouw kandidaten of woningen (coördinator: de regio)
/signalen — Signalen na een verhuizing: wie pakt wat op (samen oplossen)
/naam — Je voornaam zoals collega's die zien
/annuleren — De huidige handeling afbreken

Een vraag over de afspraken kun je ook gewoon intypen.
Bij elke stap kun je Terug kiezen of /annuleren typen.
"""
    )
    user = shell.store.user(3000)
    assert (user.role, user.region) == ("corporation", "ijmond-zuid-kennemerland")
    # The first name Telegram sent (the local Bot API's default), for colleagues to see.
    assert user.first_name == "Gebruiker"
    # The new user's own command menu was published for their chat.
    scoped = {key: cmds for key, cmds in shell.api.commands.items() if 3000 in key}
    assert [c for c, _ in next(iter(scoped.values()))] == [
        "start",
        "help",
        "vraag",
        "regels",
        "woning",
        "mijn",
        "signalen",
        "naam",
        "annuleren",
    ]
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
    # One message: what was wrong above the question; the old question loses its buttons.
    assert (
        transcript
        == ROLE_QUESTION
        + "[→ 1001 coordinator, knoppen weg] Wie wil je uitnodigen? Kies de rol van je collega.\n"
        + "[→ 1001 coordinator] Kies een van de knoppen, of typ /annuleren om te stoppen.\n\n"
        + ROLE_QUESTION.removeprefix("[→ 1001 coordinator] ")
    )
    shell.api.send_photo(DEMO_USERS["coordinator"], caption="foto")
    await shell.settle()
    assert shell.out.getvalue().endswith(ROLE_QUESTION.removeprefix("[→ 1001 coordinator] "))
    await talk(shell, ":press 3", ":press 1")
    for wrong in ("abc", "0", "91", "-5", "x" * 10_000, "7.5"):
        reply = await talk(shell, wrong)
        # The message before (the question, or the last refusal) loses its buttons.
        assert reply.splitlines()[0].startswith("[→ 1001 coordinator, knoppen weg] "), wrong
        assert reply.splitlines()[1] == (
            "[→ 1001 coordinator] ⚠️ Dat is geen geldig aantal dagen. Typ een getal van 1 tot 90, bijvoorbeeld 7."
        ), wrong
    # A button of an earlier step, pressed now, is stale and re-asks this step.
    first_question = next(
        o for o in shell.api.outputs if o.text and o.text.startswith("Wie wil je")
    )
    shell.api.press(DEMO_USERS["coordinator"], first_question.message_id, "uitn:rol:coordinator")
    await shell.settle()
    # ... in place of the pressed message; the question shown before loses its buttons.
    assert [o.kind for o in shell.api.outputs[-3:]] == ["callback_answer", "buttons", "edit"]
    assert shell.api.outputs[-3].text == "Die knop hoort bij een eerdere stap."
    assert shell.api.outputs[-1].text.startswith("Hoe lang blijft de uitnodiging geldig?")
    assert shell.store.invites() == []
    assert await talk(shell, "/annuleren") == (
        "[→ 1001 coordinator, knoppen weg] Hoe lang blijft de uitnodiging geldig? Kies hieronder of typ een aantal dagen (1 tot 90).\n"
        "[→ 1001 coordinator] Uitnodigen afgebroken. Er is niets aangemaakt.\n"
    )
    assert "Er loopt nu niets om af te breken" in await talk(shell, "/annuleren")


async def test_idle_conversation_times_out(shell):
    await talk(shell, "/uitnodigen", ":press 3")
    transcript = await talk(shell, ":advance 31m")
    assert (
        "[→ 1001 coordinator] Je was een tijd niet actief, dus het uitnodigen is gestopt."
        in transcript
    )
    # The question loses its buttons when the step expires ...
    assert "[→ 1001 coordinator, knoppen weg] Rol: Medewerker woningcorporatie." in transcript
    # ... and an old press that still arrives (an old client, a redelivery) changes nothing.
    question = next(o for o in reversed(shell.api.outputs) if o.text.startswith("Rol: "))
    shell.api.press(DEMO_USERS["coordinator"], question.message_id, "uitn:org:1")
    await shell.settle()
    assert shell.api.outputs[-1].text == "Deze knop is niet meer geldig."


async def test_unknown_user_gets_one_short_message_and_nothing_is_stored(shell):
    tables = {
        t: shell.store.count(t)
        for t in (
            "users",
            "invites",
            "user_data",
            "chat_data",
            "conversation_states",
            "audit_log",
            "kb_questions",
        )
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
        "[→ 1001 coordinator] Er ging iets mis aan onze kant. Probeer het opnieuw, "
        "of typ /annuleren om opnieuw te beginnen.\n"
    )
    assert any(r.exc_info and "boom" in str(r.exc_info[1]) for r in caplog.records)
    assert not any("/help" in r.getMessage() for r in caplog.records)


async def test_odd_digits_and_edited_messages_are_handled_in_place(shell, caplog):
    await talk(shell, "/uitnodigen", ":press 3", ":press Woonopmaat")
    reply = await talk(shell, "1²")
    assert reply.splitlines()[1].startswith(
        "[→ 1001 coordinator] ⚠️ Dat is geen geldig aantal dagen."
    )
    # An edited message is not a new answer; it is ignored, and the step stays open.
    shell.api.edit_text(
        DEMO_USERS["coordinator"], shell.api.last_user_message_id(DEMO_USERS["coordinator"]), "7"
    )
    await shell.settle()
    assert shell.out.getvalue().endswith(
        "(1 tot 90).\n    [1] 1 dag   [2] 7 dagen   [3] 14 dagen   [4] 30 dagen\n    [5] ⬅️ Terug   [6] ✖️ Annuleren\n"
    )
    assert "Klopt dit?" in await talk(shell, "7")
    assert not any(r.exc_info for r in caplog.records)
    assert not any("1²" in r.getMessage() for r in caplog.records)


async def test_group_chats_get_nothing(shell):
    before = len(shell.api.outputs)
    shell.api.send_group_text(DEMO_USERS["coordinator"], -100123, "/help")
    await shell.settle()
    assert len(shell.api.outputs) == before


async def test_guessing_invite_codes_is_slowed_down(shell):
    transcript = await talk(shell, ":as 5151", *[f"/start WRONGCODE{i:03d}" for i in range(6)])
    assert transcript.count("onbekend, al gebruikt of verlopen") == 5
    assert transcript.rstrip().endswith(
        "Te veel pogingen met een ongeldige code. Probeer het over een uur opnieuw."
    )


async def test_an_invite_dies_with_its_makers_access(shell):
    await talk(shell, "/uitnodigen", ":press 3", ":press Woonopmaat", ":press 7 dagen", ":press 1")
    [invite] = shell.store.invites()
    shell.store.set_user_active(DEMO_USERS["coordinator"], False)
    transcript = await talk(shell, ":as 6161", f"/start {invite.code}")
    assert "onbekend, al gebruikt of verlopen" in transcript
    assert shell.store.find_user(6161) is None
