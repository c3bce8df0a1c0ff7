"""Updates per second through the full stack, beside a bare PTB echo bot, same local Bot API.

    python bench/updates.py [N] [ROUNDS] [--json]

Sends N `/help` commands from many registered users through the local Bot API into the real
Weer Thuis Application (guards, SQLite lookups, persistence flush per update) and, in the same
run, N messages into a bare python-telegram-bot echo application. Rate limiter off in both: with
it on, delivery is capped at Telegram's 30 messages/s, which is correct but not what is measured.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.clock import ManualClock  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.demo import DEMO_REGION, seed_demo  # noqa: E402
from bot.knowledge.base import load_knowledge  # noqa: E402
from bot.localapi.server import LocalBotApi  # noqa: E402
from bot.storage import Store  # noqa: E402
from bot.wiring.app import build_application  # noqa: E402

USERS = 200


async def _drive(app, api: LocalBotApi, senders: list[int], n: int, done) -> float:
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=10)
        start = time.perf_counter()
        for i in range(n):
            api.send_text(senders[i % len(senders)], "/help")
        while done() < n:
            await asyncio.sleep(0.001)
        elapsed = time.perf_counter() - start
        await app.updater.stop()
        await app.stop()
    return elapsed


async def full_stack(n: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(REPO / "config.yaml", env={"WEERTHUIS_DB": f"{tmp}/bench.sqlite3"})
        clock = ManualClock(config.tz, start=datetime.fromisoformat("2026-01-05T09:00:00+01:00"))
        store = Store(config.database)
        store.migrate()
        seed_demo(store, load_knowledge(config.knowledge_dir).regions, clock.now())
        org = store.organisations(DEMO_REGION)[0]
        senders = [100_000 + i for i in range(USERS)]
        kind_roles = {
            "gemeente": "coordinator",
            "corporatie": "corporation",
            "zorgaanbieder": "field_worker",
        }
        with store.db.atomic():
            for telegram_id in senders:
                store.add_user(telegram_id, kind_roles[org.kind], org.id, DEMO_REGION, clock.now())
        api = LocalBotApi(clock=clock)
        app = build_application(
            config,
            store,
            clock,
            token=api.token,
            request=api.request(),
            get_updates_request=api.request(),
            rate_limiter=False,
        )
        base = app.processed_updates
        elapsed = await _drive(app, api, senders, n, lambda: app.processed_updates - base)
        store.close()
        return elapsed


async def bare_echo(n: int) -> float:
    api = LocalBotApi()
    handled = 0

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        nonlocal handled
        await update.effective_chat.send_message(update.effective_message.text)
        handled += 1

    app = (
        ApplicationBuilder()
        .token(api.token)
        .request(api.request())
        .get_updates_request(api.request())
        .build()
    )
    app.add_handler(MessageHandler(filters.ALL, echo))
    return await _drive(app, api, [100_000 + i for i in range(USERS)], n, lambda: handled)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 3000
    rounds = int(args[1]) if len(args) > 1 else 5
    # One round of each swings the ratio a lot on a shared machine: alternate several rounds
    # of both stacks and report the median ratio with its range.
    ratios, bare_rates, full_rates = [], [], []
    for _ in range(rounds):
        bare = asyncio.run(bare_echo(n))
        full = asyncio.run(full_stack(n))
        bare_rates.append(n / bare)
        full_rates.append(n / full)
        ratios.append(bare / full)
    print(f"{'stack':<28}{'updates':>9}{'rounds':>8}{'median updates/s':>18}")
    print(f"{'bare PTB echo':<28}{n:>9}{rounds:>8}{statistics.median(bare_rates):>18.0f}")
    print(f"{'Weer Thuis /help (full)':<28}{n:>9}{rounds:>8}{statistics.median(full_rates):>18.0f}")
    print(
        f"full stack / bare: median {statistics.median(ratios):.2f} "
        f"(range {min(ratios):.2f}–{max(ratios):.2f} over {rounds} rounds; target >= 0.50)"
    )
    if "--json" in sys.argv:
        print(
            json.dumps(
                {
                    "updates": n,
                    "rounds": rounds,
                    "ratio_median": round(statistics.median(ratios), 3),
                    "ratio_min": round(min(ratios), 3),
                    "ratio_max": round(max(ratios), 3),
                }
            )
        )


if __name__ == "__main__":
    main()
