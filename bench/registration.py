"""Taps and typed answers for a typical candidate and a typical dwelling, the messages they
cost, and the time one registration takes through the local Bot API (the full Application,
rate limiter off).

    python bench/registration.py [N] [--json]

Messages: `sent` new bot messages, `edits` bot messages edited in place, `in chat` how many
messages (the user's and the bot's) the registration leaves in the chat.
"""

from __future__ import annotations

import asyncio
import io
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.clock import ManualClock  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.demo import seed_demo  # noqa: E402
from bot.knowledge.base import load_knowledge  # noqa: E402
from bot.localapi.shell import SCRIPTED_START, Shell  # noqa: E402
from bot.storage import Store  # noqa: E402

# A single person, a few municipalities, regular support, the usual needs, a rent limit by
# income category, a typed date, one bottleneck, a known support worker, no note.
CANDIDATE = [
    ":as field_worker", "/kandidaat", ":press Haarlem", ":press Heemstede", ":press Klaar",
    ":press Geen", ":press Alleenstaand", ":press Reguliere ambulante begeleiding", ":press 1",
    ":press Begane grond of lift", ":press Klaar", ":press Tot de lage aftoppingsgrens",
    "1 maart", ":press Huurschuld", ":press Klaar", ":press 1", ":press 1", ":press Overslaan",
    ":press Opslaan",
]  # fmt: skip
DWELLING = [
    ":as corporation", "/woning", ":press Haarlem", ":press Schalkwijk", ":press Appartement",
    ":press 2", ":press 3", ":press Ja", ":press Nee", "612,50", ":press Geen", "over 2 weken",
    ":press Nee", ":press Inge", ":press Overslaan", ":press Opslaan",
]  # fmt: skip


def counts(script: list[str]) -> tuple[int, int]:
    steps = script[1:]  # the ":as" only picks the user in the shell
    taps = sum(line.startswith(":press") for line in steps)
    return taps, len(steps) - taps


def _chat_size(shell: Shell, user_id: int) -> int:
    return sum(chat == user_id for chat, _ in shell.api._messages)


async def run(n: int) -> tuple[dict[str, list[float]], dict[str, dict[str, int]]]:
    times: dict[str, list[float]] = {"kandidaat": [], "woning": []}
    messages: dict[str, dict[str, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(REPO / "config.yaml", env={"WEERTHUIS_DB": f"{tmp}/bench.sqlite3"})
        clock = ManualClock(config.tz, start=datetime.fromisoformat(SCRIPTED_START))
        store = Store(config.database)
        store.migrate()
        seed_demo(store, load_knowledge(config.knowledge_dir).regions, clock.now())
        shell = Shell(
            config,
            store,
            clock,
            demo=True,
            jsonl=False,
            out=io.StringIO(),
            err=io.StringIO(),
            rate_limiter=False,
        )
        outputs = []
        shell.api.add_listener(outputs.append)
        async with shell:
            for _ in range(n):
                for name, script in (("kandidaat", CANDIDATE), ("woning", DWELLING)):
                    await shell.handle_line(script[0])
                    user_id = shell.actor
                    before, outputs[:] = _chat_size(shell, user_id), []
                    start = time.perf_counter()
                    for line in script[1:]:
                        await shell.handle_line(line)
                    times[name].append(time.perf_counter() - start)
                    mine = [o for o in outputs if o.to == user_id]
                    messages.setdefault(
                        name,
                        {
                            "sent": sum(o.kind in ("message", "document", "photo") for o in mine),
                            "edits": sum(o.kind == "edit" for o in mine),
                            "in_chat": _chat_size(shell, user_id) - before,
                        },
                    )
        saved = (store.count("candidates"), store.count("dwellings"))
        store.close()
    assert saved == (n, n), saved
    return times, messages


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--json"]
    n = int(args[0]) if args else 50
    times, messages = asyncio.run(run(n))
    figures = {}
    for name, script in (("kandidaat", CANDIDATE), ("woning", DWELLING)):
        taps, typed = counts(script)
        ms = sorted(t * 1000 for t in times[name])
        figures[name] = {
            "taps": taps,
            "typed": typed,
            **messages[name],
            "median_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1),
        }
    if "--json" in sys.argv:
        print(json.dumps(figures, indent=2))
        return
    head = ("registration", "taps", "typed", "sent", "edits", "in chat", "median ms", "p95 ms")
    print(f"{head[0]:<12}" + "".join(f"{h:>10}" for h in head[1:]))
    for name, f in figures.items():
        cells = (f["taps"], f["typed"], f["sent"], f["edits"], f["in_chat"])
        print(f"{name:<12}" + "".join(f"{c:>10}" for c in cells), end="")
        print(f"{f['median_ms']:>10.1f}{f['p95_ms']:>10.1f}")


if __name__ == "__main__":
    main()
