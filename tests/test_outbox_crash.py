"""The outbox survives SIGKILL in the middle of a burst: the bot process (`bench/outbox.py
--send`, the real Application over the local Bot API with Telegram's flood limits, whose
journal is what "Telegram" delivered) is killed after some messages, and restarted. Every
message arrives; none whose confirmation was stored is sent again; only one in flight at the
kill can arrive twice (Telegram has no idempotency key)."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
from collections import Counter

from conftest import REPO

from bot.messaging.delivery import CONCURRENCY

MESSAGES, USERS = 150, 30


def _bench(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "bench/outbox.py", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **kwargs,
    )


def _sent_ids(db) -> set[int]:
    with sqlite3.connect(db) as conn:
        return {r[0] for r in conn.execute("SELECT id FROM outbox WHERE status = 'verzonden'")}


def test_a_burst_killed_halfway_is_delivered_whole_after_restart(tmp_path):
    db, journal = tmp_path / "crash.sqlite3", tmp_path / "telegram.jsonl"
    queued = _bench("--db", str(db), "--queue", "--messages", str(MESSAGES), "--users", str(USERS))
    assert queued.wait(timeout=60) == 0, queued.stdout.read()

    first = _bench("--db", str(db), "--journal", str(journal), "--send", "--latency-ms", "5")
    confirmed = 0
    for line in first.stdout:
        confirmed += line.startswith("sent ")
        if confirmed == 40:
            first.send_signal(signal.SIGKILL)
            break
    first.wait(timeout=30)
    assert first.returncode == -signal.SIGKILL
    stored_before = _sent_ids(db)
    delivered_before = len(journal.read_text().splitlines())
    assert 40 <= len(stored_before) < MESSAGES
    assert delivered_before >= len(stored_before)

    second = _bench("--db", str(db), "--journal", str(journal), "--send", "--latency-ms", "5")
    out, _ = second.communicate(timeout=120)
    assert second.returncode == 0, out
    assert out.rstrip().endswith("done")

    lines = [json.loads(line) for line in journal.read_text().splitlines()]
    texts = Counter(line["text"] for line in lines)
    expected = {f"Bericht #{n + 1} voor {5_000_001 + n % USERS}" for n in range(MESSAGES)}
    assert set(texts) == expected
    twice = {text for text, n in texts.items() if n > 1}
    assert all(n <= 2 for n in texts.values())
    # Only what was in flight at the kill: sent by Telegram, its confirmation not stored.
    assert len(twice) <= CONCURRENCY
    with sqlite3.connect(db) as conn:
        rows = dict(conn.execute("SELECT text, id FROM outbox"))
        assert conn.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall() == [
            ("verzonden", MESSAGES)
        ]
    assert not {rows[text] for text in twice} & stored_before
