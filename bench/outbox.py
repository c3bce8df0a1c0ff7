"""A burst through the outbox: the real Application sends queued messages to many users over
the local Bot API, which refuses anything beyond Telegram's limits (HTTP 429) as Telegram
does.

    python bench/outbox.py [--messages 1000] [--users 200] [--latency-ms 40] [--json]

Figures: `seconds`, `per_second` (against Telegram's 30 per second overall), `refused_429`
(answers "too many requests" the bot received; each was waited out, none reached a user),
`delivered`, `duplicates`, `min_gap_same_chat_s` (the shortest time between two messages to
one chat; Telegram's limit is 1 s). `--latency-ms` is the simulated round trip of one call.

The crash test drives it as a child process over one database file and one journal (what
"Telegram" delivered, kept across the child's life):
    python bench/outbox.py --db PATH --queue [--messages N --users U]
    python bench/outbox.py --db PATH --journal PATH --send [--latency-ms L]
`--send` prints `sent N` per message confirmed, and `done` when the outbox is empty.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.clock import ManualClock  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.localapi.flood import FloodLimits  # noqa: E402
from bot.localapi.server import LocalBotApi, LocalRequest  # noqa: E402
from bot.localapi.shell import SCRIPTED_START  # noqa: E402
from bot.messaging import outbox  # noqa: E402
from bot.storage import Store  # noqa: E402
from bot.wiring.app import build_application  # noqa: E402

FIRST_USER = 5_000_001


class SlowRequest(LocalRequest):
    """The local Bot API at a network's distance."""

    __slots__ = ("_latency",)

    def __init__(self, api: LocalBotApi, latency: float) -> None:
        super().__init__(api)
        self._latency = latency

    async def do_request(self, *args, **kwargs):
        await asyncio.sleep(self._latency)
        return await super().do_request(*args, **kwargs)


def _clock(config) -> ManualClock:
    # A Monday morning: every message is within working hours.
    return ManualClock(config.tz, start=datetime.fromisoformat(SCRIPTED_START))


def queue_burst(store: Store, clock: ManualClock, messages: int, users: int) -> None:
    now = clock.now()
    with store.db.atomic():
        for n in range(messages):
            chat = FIRST_USER + n % users
            outbox.queue(store, now, chat, f"Bericht #{n + 1} voor {chat}", key=f"burst:{n + 1}")


async def send(db: Path, journal: Path | None, latency: float, report=None) -> dict:
    config = load_config(REPO / "config.yaml", env={"WEERTHUIS_DB": str(db)})
    store = Store(db)
    store.migrate()
    clock = _clock(config)
    api = LocalBotApi(clock=clock, flood_limits=FloodLimits(), journal=journal)
    chats = {m["chat_id"] for m in store.messages()}
    api.known_chats.update(chats)
    app = build_application(
        config, store, clock, token=api.token, request=SlowRequest(api, latency)
    )
    confirmed = []
    api.add_listener(lambda output: confirmed.append((time.monotonic(), output.to)))
    await app.initialize()
    await app.start()
    try:
        sender = app.outbox
        if report is not None:
            original = sender._confirmed

            async def confirmed_and_told(row, message_id):
                await original(row, message_id)
                report(row)

            sender._confirmed = confirmed_and_told
        started = time.monotonic()
        await sender.drain()
        seconds = time.monotonic() - started
    finally:
        await app.stop()
        await app.shutdown()
        store.close()
    gaps = []
    last: dict[int, float] = {}
    for at, chat in confirmed:
        if chat in last:
            gaps.append(at - last[chat])
        last[chat] = at
    return {
        "seconds": round(seconds, 2),
        "delivered": len(confirmed),
        "per_second": round(len(confirmed) / seconds, 1) if seconds else None,
        "refused_429": api.too_many_requests,
        "min_gap_same_chat_s": round(min(gaps), 3) if gaps else None,
    }


def _duplicates(texts: list[str]) -> int:
    return sum(n - 1 for n in Counter(texts).values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--latency-ms", type=float, default=40.0)
    parser.add_argument("--db")
    parser.add_argument("--journal")
    parser.add_argument("--queue", action="store_true")
    parser.add_argument("--send", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    latency = args.latency_ms / 1000
    if args.db and args.queue:
        config = load_config(REPO / "config.yaml", env={"WEERTHUIS_DB": args.db})
        store = Store(args.db)
        store.migrate()
        queue_burst(store, _clock(config), args.messages, args.users)
        store.close()
        return
    if args.db and args.send:

        def told(row):
            print(f"sent {row['id']}", flush=True)

        journal = Path(args.journal) if args.journal else None
        asyncio.run(send(Path(args.db), journal, latency, told))
        print("done", flush=True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        db, journal = Path(tmp) / "bench.sqlite3", Path(tmp) / "journal.jsonl"
        config = load_config(REPO / "config.yaml", env={"WEERTHUIS_DB": str(db)})
        store = Store(db)
        store.migrate()
        queue_burst(store, _clock(config), args.messages, args.users)
        store.close()
        figures = asyncio.run(send(db, journal, latency))
        texts = [json.loads(line)["text"] for line in journal.read_text().splitlines()]
        figures.update(
            messages=args.messages,
            users=args.users,
            latency_ms=args.latency_ms,
            duplicates=_duplicates(texts),
        )
    if args.json:
        print(json.dumps(figures))
        return
    for key, value in figures.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
