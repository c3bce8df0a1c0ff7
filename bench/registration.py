"""Taps and typed answers for a typical candidate and a typical dwelling, and the time one
registration takes through the local Bot API (the full Application, rate limiter off).

    python bench/registration.py [N]
"""

from __future__ import annotations

import asyncio
import io
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
    ":press Nee", ":press Ikzelf", ":press Overslaan", ":press Opslaan",
]  # fmt: skip


def counts(script: list[str]) -> tuple[int, int]:
    steps = script[1:]  # the ":as" only picks the user in the shell
    taps = sum(line.startswith(":press") for line in steps)
    return taps, len(steps) - taps


async def run(n: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"kandidaat": [], "woning": []}
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
        async with shell:
            for _ in range(n):
                for name, script in (("kandidaat", CANDIDATE), ("woning", DWELLING)):
                    start = time.perf_counter()
                    for line in script:
                        await shell.handle_line(line)
                    times[name].append(time.perf_counter() - start)
        saved = (store.count("candidates"), store.count("dwellings"))
        store.close()
    assert saved == (n, n), saved
    return times


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    times = asyncio.run(run(n))
    print(f"{'registration':<12}{'taps':>6}{'typed':>7}{'median ms':>11}{'p95 ms':>9}")
    for name, script in (("kandidaat", CANDIDATE), ("woning", DWELLING)):
        taps, typed = counts(script)
        ms = sorted(t * 1000 for t in times[name])
        p95 = ms[int(0.95 * (len(ms) - 1))]
        print(f"{name:<12}{taps:>6}{typed:>7}{statistics.median(ms):>11.1f}{p95:>9.1f}")


if __name__ == "__main__":
    main()
