"""Storage: WAL, foreign keys, versioned migrations that upgrade in place, append-only audit."""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from bot.storage import MIGRATIONS, DuplicateError, NotFoundError, Store


def test_pragmas(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_migrate_twice_applies_nothing_the_second_time(store):
    assert store.migrate() == []
    assert {"organisations", "users", "invites", "audit_log"} <= set(store.db.table_names())


def test_an_older_file_is_upgraded_in_place(db_path, clock):
    first = MIGRATIONS._migrations[0].name
    db = sqlite_utils.Database(db_path)
    MIGRATIONS.apply(db, stop_before=MIGRATIONS._migrations[1].name)
    db["organisations"].insert(
        {"name": "Gemeente X", "kind": "gemeente", "region": "r", "created_at": "t"}
    )
    db.close()
    store = Store(db_path)
    applied = store.migrate()
    assert first not in applied and applied
    assert store.organisation_by_name("Gemeente X").region == "r"
    assert "conversation_states" in store.db.table_names()
    store.close()


def test_foreign_keys_are_enforced(store, clock):
    with pytest.raises(sqlite3.IntegrityError):
        store.add_user(5, "coordinator", 999, "r", clock.now())


def test_duplicates_are_named(store, clock):
    org = store.add_organisation("Lefier", "corporatie", "r", clock.now())
    with pytest.raises(DuplicateError):
        store.add_organisation("Lefier", "corporatie", "r", clock.now())
    store.add_user(5, "corporation", org.id, "r", clock.now())
    with pytest.raises(DuplicateError):
        store.add_user(5, "corporation", org.id, "r", clock.now())
    with pytest.raises(NotFoundError):
        store.user(6)


def test_audit_log_is_append_only(store, clock):
    store.audit(1, "test.action", clock.now(), "user", 1, {"k": "v"})
    with pytest.raises(sqlite3.IntegrityError, match="append-only"), store.db.atomic():
        store.db.execute("UPDATE audit_log SET action = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"), store.db.atomic():
        store.db.execute("DELETE FROM audit_log")
    assert [e["action"] for e in store.audit_entries(record_id="1")] == ["test.action"]


def test_timestamps_are_stored_in_utc(store, clock):
    org = store.add_organisation("Domesta", "corporatie", "r", clock.now())
    row = store.db["organisations"].get(org.id)
    assert row["created_at"].endswith("+00:00")


def test_persistence_rows_round_trip(store):
    store.save_conversation("c", "[1, 1]", 2)
    store.save_data("user", 1, {"draft": {"a": 1}})
    assert store.load_conversations("c") == {"[1, 1]": 2}
    assert store.load_data("user") == {1: {"draft": {"a": 1}}}
    store.save_conversation("c", "[1, 1]", None)
    store.drop_data("user", 1)
    assert store.load_conversations("c") == {}
    assert store.load_data("user") == {}
