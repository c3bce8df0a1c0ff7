"""The soft landing at scale: a database with 100,000 check-ins still to come and N whose
window opens today, the real Application over the local Bot API with Telegram's flood limits
enforced there (HTTP 429 beyond 30 messages a second, or one a second per chat).

    python bench/checkins.py [--n 10000] [--pending 100000] [--users 500] [--latency-ms 40]
                             [--kill-n N] [--json]

Figures: `startup_s` (open the file, build, initialise and start the Application), `tick_ms`
(one run of the check-in runner that finds nothing due; the median of 50), `ask_s` (the tick
that asks the N due check-ins: rows to `klaar`, prompts into the outbox), `rate_per_s`
(prompts Telegram accepted per second while the outbox drained) against `limit_per_s` (30),
`refused_429`, `duplicates` and `lost` (from the local Bot API's journal: what "Telegram"
delivered); then `after_kill`: the same burst (`--kill-n` prompts, default N) in a child
process killed with SIGKILL a third of the way, and restarted: `duplicates` (prompts that
arrived twice: only those in flight at the kill can), `resent_after_confirm` (prompts sent
again although their confirmation was stored: must be 0) and `lost`.

Child modes, over one database file and one journal:
    python bench/checkins.py --db PATH --prepare [--n N --pending P --users U]
    python bench/checkins.py --db PATH --journal PATH --run [--latency-ms L]
`--run` prints `sent <outbox id>` per prompt confirmed, and `done` when all went out.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.access import accounts  # noqa: E402
from bot.clock import ManualClock  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.localapi.flood import FloodLimits  # noqa: E402
from bot.localapi.server import LocalBotApi, LocalRequest  # noqa: E402
from bot.records import registry  # noqa: E402
from bot.storage import Store, iso_timestamp  # noqa: E402
from bot.wiring.app import build_application  # noqa: E402

REGION = "ijmond-zuid-kennemerland"
FIRST_USER = 6_000_001
# Monday 09:00 the bench starts; the N check-ins open on Tuesday.
MONDAY = "2026-01-05T09:00:00+01:00"
TUESDAY = date(2026, 1, 6)
DWELLINGS = 50
LIMIT_PER_S = 30
HOME = {
    "neighbourhood": "Schalkwijk",
    "type": "appartement",
    "rooms": 2,
    "floor": 0,
    "accessible": "nee",
    "pets_allowed": "ja",
    "net_rent": 600.0,
    "service_costs": 0.0,
    "available_from": "2026-01-05",
    "omklap": "nee",
}


CODE = re.compile(r"WT-BEN-\d{6}")


class SlowRequest(LocalRequest):
    """The local Bot API at a network's distance (as in bench/outbox.py)."""

    __slots__ = ("_latency",)

    def __init__(self, api: LocalBotApi, latency: float) -> None:
        super().__init__(api)
        self._latency = latency

    async def do_request(self, *args, **kwargs):
        await asyncio.sleep(self._latency)
        return await super().do_request(*args, **kwargs)


def _config(db: Path):
    return load_config(REPO / "config.yaml", env={"WEERTHUIS_DB": str(db)})


def prepare(db: Path, n: int, pending: int, users: int) -> None:
    """The file: a care provider with `users` support workers, a corporation with its
    homes, `pending` check-ins to come (from next month) and `n` opening on Tuesday."""
    store = Store(db)
    store.migrate()
    now = datetime.fromisoformat(MONDAY)
    with store.db.atomic():
        care = store.add_organisation("Begeleiding (bench)", "zorgaanbieder", REGION, now)
        corporation_org = store.add_organisation("Corporatie (bench)", "corporatie", REGION, now)
        corporation = accounts.add_user(
            store, now, telegram_id=FIRST_USER - 1, role="corporation", organisation=corporation_org
        )
        workers = [
            accounts.add_user(
                store, now, telegram_id=FIRST_USER + i, role="support_worker", organisation=care
            ).telegram_id
            for i in range(users)
        ]
        homes = [
            registry.register(
                store, now, corporation, registry.DWELLINGS, dict(HOME), municipality="haarlem"
            )["code"]
            for _ in range(DWELLINGS)
        ]
    rows = []
    for i in range(n + pending):
        opens = TUESDAY if i < n else TUESDAY + timedelta(days=30 + i % 300)
        rows.append(
            {
                "candidate_code": f"WT-BEN-{i + 1:06d}",
                "dwelling_code": homes[i % DWELLINGS],
                "proposal_id": i + 1,
                "region": REGION,
                "number": 1,
                "day": 14,
                "due_on": opens.isoformat(),
                "opens_on": opens.isoformat(),
                "closes_on": (opens + timedelta(days=7)).isoformat(),
                "recipient_id": workers[i % users],
                "state": "gepland",
                "created_at": iso_timestamp(now),
            }
        )
    for start in range(0, len(rows), 10_000):
        store.add_checkins(rows[start : start + 10_000])
    store.close()


async def run(db: Path, journal: Path | None, latency: float, *, told=None, measure=False):
    """Start the bot over the file, measure a tick with nothing due (Monday), then on
    Tuesday 09:00 ask the due check-ins and drain the outbox."""
    from bot.wiring.app import _checkins

    config = _config(db)
    started = time.perf_counter()
    store = Store(db)
    store.migrate()
    clock = ManualClock(config.tz, start=datetime.fromisoformat(MONDAY))
    api = LocalBotApi(clock=clock, flood_limits=FloodLimits(), journal=journal)
    api.known_chats.update(u.telegram_id for u in store.users(REGION))
    app = build_application(
        config, store, clock, token=api.token, request=SlowRequest(api, latency)
    )
    await app.initialize()
    await app.start()
    figures = {"startup_s": round(time.perf_counter() - started, 3)}
    try:
        svc = app.bot_data["services"]
        if measure:
            ticks = []
            for _ in range(50):
                t0 = time.perf_counter()
                assert await _checkins(svc, app) == 0
                ticks.append((time.perf_counter() - t0) * 1000)
            figures["tick_ms"] = round(statistics.median(ticks), 2)
        if told is not None:
            original = app.outbox._confirmed

            async def confirmed_and_told(row, message_id):
                await original(row, message_id)
                told(row)

            app.outbox._confirmed = confirmed_and_told
        clock.advance(timedelta(days=1))
        t0 = time.perf_counter()
        async with app.unit_lock:
            asked = await _checkins(svc, app)
        figures["ask_s"] = round(time.perf_counter() - t0, 2)
        figures["asked"] = asked
        t0 = time.perf_counter()
        await app.outbox.drain()
        seconds = time.perf_counter() - t0
        figures["drain_s"] = round(seconds, 1)
        figures["refused_429"] = api.too_many_requests
    finally:
        await app.stop()
        await app.shutdown()
        store.close()
    return figures, seconds


def _journal_counts(journal: Path) -> Counter:
    lines = [json.loads(line) for line in journal.read_text().splitlines()]
    return Counter((line["chat_id"], line["text"]) for line in lines)


def _due_codes(n: int) -> set[str]:
    return {f"WT-BEN-{i + 1:06d}" for i in range(n)}


def _delivered_codes(counts: Counter) -> set[str]:
    return {found.group() for _, text in counts if (found := CODE.search(text or ""))}


def _child(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def after_kill(tmp: Path, n: int, pending: int, users: int, latency_ms: float) -> dict:
    db, journal = tmp / "kill.sqlite3", tmp / "kill.jsonl"
    prepare(db, n, pending, users)
    run_args = (
        "--db",
        str(db),
        "--journal",
        str(journal),
        "--run",
        "--latency-ms",
        str(latency_ms),
    )
    first = _child(*run_args)
    confirmed = 0
    for line in first.stdout:
        confirmed += line.startswith("sent ")
        if confirmed >= n // 3:
            first.send_signal(signal.SIGKILL)
            break
    first.wait(timeout=60)
    with sqlite3.connect(db) as conn:
        stored = {
            text for (text,) in conn.execute("SELECT text FROM outbox WHERE status = 'verzonden'")
        }
    sent_before = _journal_counts(journal)
    second = _child(*run_args)
    out, _ = second.communicate(timeout=3600)
    if second.returncode != 0:
        raise SystemExit(out)
    counts = _journal_counts(journal)
    # Sent again after the restart although the first run had stored its confirmation.
    resent = sum(
        1 for (chat, text), k in counts.items() if text in stored and k > sent_before[(chat, text)]
    )
    return {
        "n": n,
        "killed_after": confirmed,
        "duplicates": sum(k - 1 for k in counts.values()),
        "resent_after_confirm": resent,
        "lost": len(_due_codes(n) - _delivered_codes(counts)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--pending", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--latency-ms", type=float, default=40.0)
    parser.add_argument("--kill-n", type=int)
    parser.add_argument("--db")
    parser.add_argument("--journal")
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--run", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    latency = args.latency_ms / 1000
    if args.db and args.prepare:
        prepare(Path(args.db), args.n, args.pending, args.users)
        return
    if args.db and args.run:
        journal = Path(args.journal) if args.journal else None
        asyncio.run(
            run(
                Path(args.db),
                journal,
                latency,
                told=lambda row: print(f"sent {row['id']}", flush=True),
            )
        )
        print("done", flush=True)
        return
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db, journal = tmp / "bench.sqlite3", tmp / "journal.jsonl"
        t0 = time.perf_counter()
        prepare(db, args.n, args.pending, args.users)
        prepare_s = round(time.perf_counter() - t0, 1)
        figures, seconds = asyncio.run(run(db, journal, latency, measure=True))
        counts = _journal_counts(journal)
        delivered = sum(counts.values())
        figures = {
            "n": args.n,
            "pending": args.pending,
            "users": args.users,
            "prepare_s": prepare_s,
            **figures,
            "delivered": delivered,
            "rate_per_s": round(delivered / seconds, 1) if seconds else None,
            "limit_per_s": LIMIT_PER_S,
            "duplicates": sum(k - 1 for k in counts.values()),
            "lost": len(_due_codes(args.n) - _delivered_codes(counts)),
        }
        figures["after_kill"] = after_kill(
            tmp, args.kill_n or args.n, args.pending, args.users, args.latency_ms
        )
    if args.json:
        print(json.dumps(figures))
        return
    for key, value in figures.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
