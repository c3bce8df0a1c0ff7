"""Data rights and retention: export shows everything, erasure leaves no facts anywhere."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

from conftest import REPO
from helpers import aftercare_ended

from bot.demo import DEMO_USERS, seed_demo
from bot.knowledge.base import load_knowledge
from bot.matching import matchpunt
from bot.privacy import erasure
from bot.records import registry
from bot.records.export import export_csv, plain_csv
from bot.records.registry import CANDIDATES

FACTS = {
    "municipalities": ["haarlem", "heemstede"],
    "household": "stel",
    "support": "intensief",
    "note": "=HYPERLINK()",
}


def _candidate(store, regions, clock):
    seed_demo(store, regions, clock.now())
    field_worker = store.user(DEMO_USERS["field_worker"])
    return registry.register(store, clock.now(), field_worker, CANDIDATES, FACTS)[
        "code"
    ], field_worker


def test_export_holds_the_record_and_its_audit_trail(store, regions, clock):
    code, _ = _candidate(store, regions, clock)
    data = erasure.export_candidate(store, clock.now(), code)
    assert data["candidate"]["facts"]["household"] == "stel"
    assert [e["action"] for e in data["audit_log"]] == ["kandidaat.create"]
    assert store.audit_entries(record_id=code)[-1]["action"] == "privacy.export"


def test_erasure_leaves_no_facts_in_any_table(store, regions, clock):
    code, field_worker = _candidate(store, regions, clock)
    # A conversation scratch pad that mentions the candidate (a detail card, say).
    store.save_data(
        "user", field_worker.telegram_id, {"card": {"code": code, "household": "stel"}, "keep": 1}
    )
    erasure.erase_candidate(store, clock.now(), code)
    dump = "\n".join(store.db.iterdump())
    for fact in ("intensief", "heemstede", '"household"', 'stel"'):
        assert fact not in dump, fact
    assert store.load_data("user")[field_worker.telegram_id] == {"keep": 1}
    [tombstone] = store.db["candidate_tombstones"].rows
    assert set(tombstone) == {"id", "region", "status", "registered_on", "erased_at"}


def test_retention_erases_only_long_finished_aftercare(store, regions, clock):
    code, field_worker = _candidate(store, regions, clock)
    other = registry.register(store, clock.now(), field_worker, CANDIDATES, FACTS)["code"]
    aftercare_ended(store, code, clock.now())
    clock.advance(timedelta(days=24 * 30 - 1))
    assert erasure.erase_expired(store, clock.now(), months=24) == []
    clock.advance(timedelta(days=2))
    assert erasure.erase_expired(store, clock.now(), months=24) == [code]
    assert [r["code"] for r in store.records("candidates", "ijmond-zuid-kennemerland")] == [other]
    assert store.audit_entries()[-1]["action"] == "privacy.retention"


def test_csv_export_has_no_notes_and_defuses_formulas(store, regions, clock):
    code, _ = _candidate(store, regions, clock)
    rows = store.records("candidates", "ijmond-zuid-kennemerland")
    text = plain_csv(rows, "candidates")
    header, row = text.splitlines()
    assert header == "code,status,created_at,updated_at,household,municipalities,support"
    assert row.startswith(f"{code},aangemeld,") and row.endswith(
        ",stel,haarlem;heemstede,intensief"
    )
    assert "HYPERLINK" not in text
    kb = load_knowledge(REPO / "knowledge")
    dutch = export_csv(store, kb, "ijmond-zuid-kennemerland", "candidates", rows, clock.now())
    assert b"HYPERLINK" not in dutch and b"Notitie" not in dutch
    assert f"{code};aangemeld;".encode() in dutch and b";Haarlem, Heemstede;" in dutch


def test_privacy_and_audit_commands(tmp_path, store, regions, clock, db_path):
    code, _ = _candidate(store, regions, clock)
    store.close()
    env = {"WEERTHUIS_CONFIG": str(REPO / "config.yaml"), "WEERTHUIS_DB": str(db_path), "PATH": ""}

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            timeout=60,
        )

    exported = json.loads(run("privacy", "export", code).stdout)
    assert exported["candidate"]["code"] == code
    refused = run("privacy", "erase", code)
    assert refused.returncode == 1 and "--yes" in refused.stdout
    assert run("privacy", "erase", code, "--yes").returncode == 0
    missing = run("privacy", "erase", code, "--yes")
    assert missing.returncode == 2 and "bestaat niet" in missing.stderr
    actions = [
        json.loads(line)["action"] for line in run("audit", "--record", code).stdout.splitlines()
    ]
    assert actions == ["kandidaat.create", "privacy.export", "privacy.erase"]
    csv_out = run(
        "export", "candidates", "--region", "ijmond-zuid-kennemerland", "--format", "csv-plain"
    )
    assert csv_out.stdout == "code,status,created_at,updated_at\n"


async def test_the_daily_job_erases_through_the_running_bot(shell):
    field_worker = shell.store.user(DEMO_USERS["field_worker"])
    code = registry.register(shell.store, shell.clock.now(), field_worker, CANDIDATES, FACTS)[
        "code"
    ]
    aftercare_ended(shell.store, code, shell.clock.now())
    ran = await _advance(shell, "30d")
    assert shell.store.count("candidates") == 1, ran
    await _advance(shell, "730d")
    assert shell.store.count("candidates") == 0
    assert shell.store.audit_entries()[-1]["action"] == "privacy.retention"


async def _advance(shell, duration):
    from helpers import talk

    return await talk(shell, f":advance {duration}")


def test_erasure_removes_proposals_too(store, regions, kb, clock):
    code, _ = _candidate(store, regions, clock)
    coordinator = store.user(DEMO_USERS["coordinator"])
    corporation = store.user(DEMO_USERS["corporation"])
    # Two rooms: the region's rules give a couple (FACTS) at least two.
    dwelling = registry.register(
        store, clock.now(), corporation, registry.DWELLINGS, {"rooms": 2}, municipality="haarlem"
    )["code"]
    matchpunt.propose(store, kb, clock.now(), coordinator, code, dwelling)
    erasure.erase_candidate(store, clock.now(), code)
    assert store.open_proposals() == []
    assert not list(store.db["proposals"].rows)


async def test_unfinished_drafts_are_not_kept_for_ever(shell):
    from helpers import talk

    from bot.access import accounts

    await talk(shell, ":as field_worker", "/kandidaat", ":press Haarlem", ":press Klaar")
    await talk(shell, ":as coordinator", "/kandidaat", ":press Velsen", ":press Klaar", "/help")
    field_worker, coordinator = DEMO_USERS["field_worker"], DEMO_USERS["coordinator"]
    assert "form:kandidaat" in shell.app.user_data[field_worker]
    await _advance(shell, "29d")
    assert "form:kandidaat" in shell.app.user_data[field_worker]
    # Whoever loses access loses their drafts at once.
    accounts.deactivate_user(shell.store, shell.clock.now(), coordinator)
    await _advance(shell, "1d")
    assert dict(shell.app.user_data[coordinator]) == {}
    assert "form:kandidaat" in shell.app.user_data[field_worker]
    await _advance(shell, "2d")
    assert "form:kandidaat" not in shell.app.user_data[field_worker]
    await talk(shell, ":as coordinator", "/help")  # any update writes the round
    assert "form:kandidaat" not in shell.store.load_data("user").get(field_worker, {})
