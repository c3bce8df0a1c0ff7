"""SIGKILL in the middle of a burst of check-in prompts: the bot (`bench/checkins.py --run`,
the real Application over the local Bot API with Telegram's limits, its journal what
"Telegram" delivered) asks the due check-ins and is killed after some prompts went out; the
restarted bot delivers every due check-in, and none whose send was confirmed goes twice
(only one in flight at the kill can: Telegram has no idempotency key)."""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import sys
from collections import Counter

from conftest import REPO

from bot.messaging.delivery import CONCURRENCY

DUE, PENDING, USERS = 90, 200, 30


def _code(text: str) -> str:
    return re.search(r"WT-BEN-\d{6}", text).group()


def _bench(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "bench/checkins.py", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_a_burst_of_prompts_killed_halfway_is_delivered_whole_after_restart(tmp_path):
    db, journal = tmp_path / "crash.sqlite3", tmp_path / "telegram.jsonl"
    prepare = _bench(
        "--db", str(db), "--prepare", "--n", str(DUE), "--pending", str(PENDING),
        "--users", str(USERS),
    )  # fmt: skip
    assert prepare.wait(timeout=120) == 0, prepare.stdout.read()
    run = ("--db", str(db), "--journal", str(journal), "--run", "--latency-ms", "5")
    first = _bench(*run)
    confirmed = 0
    for line in first.stdout:
        confirmed += line.startswith("sent ")
        if confirmed == 30:
            first.send_signal(signal.SIGKILL)
            break
    first.wait(timeout=30)
    assert first.returncode == -signal.SIGKILL
    with sqlite3.connect(db) as conn:
        stored_before = {
            text for (text,) in conn.execute("SELECT text FROM outbox WHERE status = 'verzonden'")
        }
        # The prompts were asked in the transactions that queued them: every due one.
        assert conn.execute("SELECT state, count(*) FROM checkins GROUP BY state").fetchall() == [
            ("gepland", PENDING),
            ("klaar", DUE),
        ]
    assert 30 <= len(stored_before) < DUE

    second = _bench(*run)
    out, _ = second.communicate(timeout=300)
    assert second.returncode == 0, out
    assert out.rstrip().endswith("done")

    texts = Counter(json.loads(line)["text"] for line in journal.read_text().splitlines())
    codes = {_code(text) for text in texts}
    assert codes == {f"WT-BEN-{n + 1:06d}" for n in range(DUE)}
    twice = {text for text, n in texts.items() if n > 1}
    assert all(n <= 2 for n in texts.values())
    assert len(twice) <= CONCURRENCY
    # None whose confirmation was stored before the kill went again.
    assert not {_code(t) for t in twice} & {_code(t) for t in stored_before}
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall() == [
            ("verzonden", DUE)
        ]
