"""A database that cannot be written (locked past the busy timeout, or unable to grow) never
stops the bot: the update is rolled back whole, the user is told, the error is logged at
once, others are served, and the bot recovers by itself. Saving a registration happens
exactly once, together with the end of its draft."""

from __future__ import annotations

import json
import logging
import sqlite3

import pytest
from helpers import HAPPY_CANDIDATE, form_button, new_shell, talk

from bot.demo import DEMO_USERS, seed_demo
from bot.storage import Store
from handlers.common import STEP_MESSAGE

FIELD_WORKER = DEMO_USERS["field_worker"]
HAPPY = HAPPY_CANDIDATE
NOT_SAVED = (
    "[→ 1002 field_worker] ⚠️ Dat is niet opgeslagen: de database is even niet beschikbaar. "
    "Er is niets veranderd; probeer het over een paar minuten opnieuw."
)


@pytest.fixture
async def quick_shell(config, clock, regions):
    """The demo shell on a store that gives up on a lock after 0.2 s instead of 5 s."""
    store = Store(config.database, busy_timeout_ms=200)
    store.migrate()
    seed_demo(store, regions, clock.now())
    shell = new_shell(config, store, clock)
    async with shell:
        yield shell
    store.close()


def _file_state(path, user_id: int) -> tuple[dict, dict]:
    """What the file holds for the user: conversation states and the scratch pad."""
    db = sqlite3.connect(path)
    try:
        states = {
            name: json.loads(state)
            for name, key, state in db.execute("SELECT name, key, state FROM conversation_states")
            if json.loads(key)[-1] == user_id
        }
        row = db.execute("SELECT data FROM user_data WHERE user_id = ?", [user_id]).fetchone()
    finally:
        db.close()
    return states, _without_screen(json.loads(row[0]) if row else {})


def _without_screen(data: dict) -> dict:
    # Which message shows the open question is no stored work: after a refused update the
    # question is shown anew, so the bot's memory of the screen moves on while nothing else
    # does (the file catches up with the next stored update).
    return {k: v for k, v in data.items() if k != STEP_MESSAGE}


def _memory_state(shell, user_id: int) -> tuple[dict, dict]:
    states = {
        name: conversations[(user_id, user_id)]
        for name, conversations in shell.app._conversation_handler_conversations.items()
        if conversations.get((user_id, user_id)) is not None
    }
    return states, _without_screen(dict(shell.app.user_data.get(user_id, {})))


async def test_a_lock_held_past_the_busy_timeout(quick_shell, db_path, caplog):
    shell = quick_shell
    await talk(shell, ":as field_worker", "/kandidaat", ":press Haarlem")
    before = _file_state(db_path, FIELD_WORKER)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with caplog.at_level(logging.ERROR, logger="weerthuis.app"):
        refused = await talk(shell, ":press Klaar")
    # What the bot had shown already stays on screen, without its buttons; the notice and
    # the question it stands at now follow.
    assert refused.splitlines()[11:15] == [
        NOT_SAVED,
        "[→ 1002 field_worker, knoppen weg] Kandidaat aanmelden · vraag 2 van 12",
        "[→ 1002 field_worker] Kandidaat aanmelden · vraag 1 van 12",
        "",
    ]
    assert [r.getMessage() for r in caplog.records if r.name == "weerthuis.app"] == [
        "update for user 1002 not stored: database is locked"
    ]
    # Nothing moved, in the file or in the bot's memory of this chat.
    assert _file_state(db_path, FIELD_WORKER) == before
    assert _memory_state(shell, FIELD_WORKER) == before
    # Others are served meanwhile (answering needs no write).
    served = await talk(shell, ":as coordinator", "/help")
    assert served.startswith("— je bent nu 1001 coordinator\n[→ 1001 coordinator] Je bent")
    other.execute("ROLLBACK")
    other.close()
    # Writable again: the same press on the question shown again lands.
    again = await talk(shell, ":as field_worker", ":press Klaar")
    assert again.splitlines()[:2] == [
        "— je bent nu 1002 field_worker",
        "[→ 1002 field_worker, bewerkt] Kandidaat aanmelden · vraag 2 van 12",
    ]
    states, scratch = _file_state(db_path, FIELD_WORKER)
    assert states == {"kandidaat": 0}
    assert scratch["form:kandidaat"]["draft"] == {"municipalities": ["haarlem"]}
    assert (states, scratch) == _memory_state(shell, FIELD_WORKER)


async def test_a_database_that_cannot_grow(quick_shell, db_path):
    shell = quick_shell
    db = shell.store.db
    # No room left: the file may not grow and its free space is filled.
    db.execute("CREATE TABLE padding (filler BLOB)")
    db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0]}")
    for size in (4000, 1000, 200, 50, 10, 1):
        while True:
            try:
                with db.atomic():
                    db.execute("INSERT INTO padding VALUES (?)", [b"x" * size])
            except sqlite3.OperationalError:
                break
    # Registrations go on until one no longer fits.
    failed_at, saved = None, 0
    for _ in range(20):
        for line in (*HAPPY, ":press Overslaan", ":press Opslaan"):
            before = _file_state(db_path, FIELD_WORKER)
            out = await talk(shell, line)
            # Whatever happened, the bot's memory and the file agree.
            assert _memory_state(shell, FIELD_WORKER) == _file_state(db_path, FIELD_WORKER)
            if NOT_SAVED in out:
                assert _file_state(db_path, FIELD_WORKER) == before
                failed_at = line
                break
        if failed_at:
            break
        saved += 1
    # The new record is what needs room; no candidate half-saved, the summary still there.
    assert failed_at == ":press Opslaan"
    assert out.splitlines()[:3] == [
        NOT_SAVED,
        "[→ 1002 field_worker, knoppen weg] Kandidaat aanmelden · overzicht",
        "[→ 1002 field_worker] Kandidaat aanmelden · overzicht",
    ]
    assert shell.store.count("candidates") == saved
    served = await talk(shell, ":as coordinator", "/help")
    assert "[→ 1001 coordinator] Je bent" in served
    # Room again: the same Opslaan lands, once.
    db.execute("PRAGMA max_page_count = 1073741823")
    db.execute("DROP TABLE padding")
    out = await talk(shell, ":as field_worker", ":press Opslaan")
    assert f"✅ Opgeslagen als WT-IZK-{saved + 1:04d}." in out
    assert shell.store.count("candidates") == saved + 1


async def test_saving_and_the_end_of_the_draft_land_together_and_once(quick_shell, db_path):
    shell = quick_shell
    await talk(shell, *HAPPY, ":press Overslaan")
    summary = shell.api.outputs[-1]
    opslaan = form_button(shell, FIELD_WORKER, "kandidaat", "S", -1)
    # The draft's end cannot be written (as if the process died right after the record).
    shell.store.db.execute(
        "CREATE TRIGGER no_draft_end BEFORE DELETE ON conversation_states "
        "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
    )
    out = await talk(shell, ":press Opslaan")
    # No "✅ Opgeslagen" went out for what was rolled back; the summary is shown again.
    assert out.splitlines()[:3] == [
        "[→ 1002 field_worker] ⚠️ Dat is niet opgeslagen: er ging iets mis aan onze kant. Er "
        "is niets veranderd; probeer het opnieuw, of typ /annuleren.",
        "[→ 1002 field_worker, knoppen weg] Kandidaat aanmelden · overzicht",
        "[→ 1002 field_worker] Kandidaat aanmelden · overzicht",
    ]
    assert shell.store.count("candidates") == 0
    assert _file_state(db_path, FIELD_WORKER)[0] == {"kandidaat": 1}
    shell.store.db.execute("DROP TRIGGER no_draft_end")
    # The same button again (the user, or Telegram redelivering an unconfirmed press).
    start = len(shell.out.getvalue())
    for _ in range(2):
        shell.api.press(FIELD_WORKER, summary.message_id, opslaan)
        await shell.settle()
    # The summary shown anew loses its buttons; the pressed one says it is saved.
    assert shell.out.getvalue()[start:].splitlines()[:2] == [
        "[→ 1002 field_worker, knoppen weg] Kandidaat aanmelden · overzicht",
        "[→ 1002 field_worker, bewerkt] ✅ Opgeslagen als WT-IZK-0001.",
    ]
    assert shell.store.count("candidates") == 1
    assert _file_state(db_path, FIELD_WORKER) == ({}, {})
    assert shell.out.getvalue().splitlines()[-1] == (
        "[→ 1002 field_worker, melding] Deze knop is niet meer geldig."
    )
