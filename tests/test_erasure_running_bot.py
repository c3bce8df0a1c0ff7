"""Erasure wins, everywhere: `weerthuis privacy erase` run while the bot holds an open edit of
the record is never undone by the bot's next write, and export and erasure find a record's
traces by its exact code."""

from __future__ import annotations

from helpers import CANDIDATE_FACTS, talk
from test_cli import weerthuis

from bot.demo import DEMO_USERS
from bot.privacy import erasure
from bot.records import registry
from bot.records.registry import CANDIDATES

FIELD_WORKER = DEMO_USERS["field_worker"]
FACTS = {**CANDIDATE_FACTS, "note": "liefst dicht bij de dagbesteding"}


def _register(shell, counter: int | None = None) -> str:
    if counter is not None:
        shell.store.db.execute(
            "INSERT INTO record_counters(prefix, last) VALUES ('WT-IZK', ?) "
            "ON CONFLICT(prefix) DO UPDATE SET last = excluded.last",
            [counter],
        )
    user = shell.store.user(FIELD_WORKER)
    return registry.register(shell.store, shell.clock.now(), user, CANDIDATES, dict(FACTS))["code"]


def _file_scratch(shell) -> dict:
    return shell.store.load_data("user").get(FIELD_WORKER, {})


async def test_an_erasure_from_the_command_line_holds_against_the_running_bot(shell, db_path):
    code = _register(shell)
    await talk(shell, ":as field_worker", "/mijn", ":press 1", ":press Gegevens wijzigen")
    assert erasure.mentions(_file_scratch(shell), code)
    erased = weerthuis("privacy", "erase", code, "--yes", db=db_path)
    assert (erased.returncode, erased.stdout) == (
        0,
        f"{code} gewist; alleen een anonieme telling blijft.\n",
    )
    # The bot still holds the draft in memory; its next write must not bring it back.
    await talk(shell, ":press Wijzigen")
    assert not erasure.mentions(_file_scratch(shell), code)
    assert not erasure.mentions(dict(shell.app.user_data[FIELD_WORKER]), code)
    exported = weerthuis("privacy", "export", code, db=db_path)
    assert (exported.returncode, exported.stderr) == (
        2,
        f"weerthuis: kandidaat '{code}' bestaat niet\n",
    )
    assert shell.store.count("candidate_tombstones") == 1


async def test_export_and_erasure_go_by_the_exact_code(shell):
    short = _register(shell, counter=999)
    long = _register(shell, counter=9999)
    assert (short, long) == ("WT-IZK-1000", "WT-IZK-10000")
    await talk(shell, ":as field_worker", "/mijn")
    await talk(shell, f":press {long} · aangemeld · Haarlem · 0 dagen", ":press Gegevens wijzigen")
    assert erasure.mentions(_file_scratch(shell), long)
    assert not erasure.mentions(_file_scratch(shell), short)
    assert erasure.export_candidate(shell.store, shell.clock.now(), short)["scratch"] == []
    erasure.erase_candidate(shell.store, shell.clock.now(), short)
    # The other record's open edit is untouched, in the file and in the running bot.
    assert _file_scratch(shell)["form:kandidaat"]["record"] == long
    await talk(shell, ":press Wijzigen")
    assert shell.app.user_data[FIELD_WORKER]["form:kandidaat"]["record"] == long
    assert erasure.export_candidate(shell.store, shell.clock.now(), long)["scratch"] != []
