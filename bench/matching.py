"""Speed of the matching engine on a large region, with the real rules of IJmond en
Zuid-Kennemerland and a real SQLite file.

    python bench/matching.py [ROUNDS] [--json]

- `rank_10k_candidates_ms`: the ranking (eligibility, score, reasons) of 10,000 waiting
  candidates for one dwelling (target: under 50 ms);
- `why_not_2k_dwellings_ms`: one candidate against 2,000 available dwellings: the homes that
  fit, ranked, and for every other one the rules it fails (target: under 50 ms);
- `ledger_10k_placements_ms`: the quota ledger of a region with 10,000 placed dwellings,
  counted by SQLite from the file and built into the ledger (target: under 100 ms);
- `wanted_10k_waiting_300_homes_ms`: what to ask the corporations for next
  (`bot.matching.wanted`): 10,000 waiting candidates, each open home of 300 handed to the
  longest-waiting one it fits (target: under 200 ms, a `/stand`'s budget).

Each figure is the median of ROUNDS runs (default 15), with the fastest run beside it. The
records are generated with a fixed seed; they are examples, not data.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.knowledge.base import load_knowledge, slug  # noqa: E402
from bot.matching import matchpunt, ranking, wanted  # noqa: E402
from bot.matching.terms import terms_for  # noqa: E402
from bot.storage import Store  # noqa: E402

REGION = "ijmond-zuid-kennemerland"
TODAY = date(2026, 6, 1)
TARGETS = {
    "rank_10k_candidates_ms": 50,
    "why_not_2k_dwellings_ms": 50,
    "ledger_10k_placements_ms": 100,
    "wanted_10k_waiting_300_homes_ms": 200,
}


def _moment(rng: random.Random, days: int) -> str:
    when = datetime(2026, 6, 1, 9, tzinfo=UTC) - timedelta(days=rng.randrange(days))
    return when.isoformat()


def candidates(rng: random.Random, n: int, places: list[str]) -> list[dict]:
    rows = []
    for i in range(n):
        household = rng.choices(["alleenstaand", "stel", "gezin"], [70, 15, 15])[0]
        facts = {
            "municipalities": rng.sample(places, rng.choice([1, 1, 2, 3])),
            "excluded": [],
            "household": household,
            "children": rng.randint(1, 3) if household == "gezin" else None,
            "needs": [
                n
                for n, p in (
                    ("begane_grond_of_lift", 0.2),
                    ("toegankelijk", 0.05),
                    ("huisdier", 0.15),
                )
                if rng.random() < p
            ],
            "rent_limit": rng.choices(
                ["lage_aftoppingsgrens", "hoge_aftoppingsgrens", "liberalisatiegrens"], [70, 20, 10]
            )[0],
            "urgent": "ja" if rng.random() < 0.1 else "nee",
            "support_organisation": "onbekend",
        }
        rows.append(
            {
                "code": f"WT-IZK-{i:05d}",
                "status": "aangemeld",
                "created_at": _moment(rng, 900),
                "facts": facts,
            }
        )
    return rows


def dwellings(rng: random.Random, n: int, hoods: dict[str, list[str]], **extra) -> list[dict]:
    rows = []
    for i in range(n):
        place = rng.choice(list(hoods))
        floor = rng.choice([0, 0, 1, 2, 3, 4])
        facts = {
            "neighbourhood": rng.choice(hoods[place]),
            "rooms": rng.randint(1, 5),
            "floor": floor,
            "lift": rng.choice(["ja", "nee"]) if floor else None,
            "accessible": "ja" if rng.random() < 0.15 else "nee",
            "pets_allowed": "ja" if rng.random() < 0.7 else "nee",
            "net_rent": round(rng.uniform(450, 950), 2),
            "available_from": "2026-06-15",
        }
        rows.append(
            {
                "code": f"WN-IZK-{i:05d}",
                "status": "beschikbaar",
                "region": REGION,
                "municipality": place,
                "created_at": _moment(rng, 60),
                "facts": facts,
                **extra,
            }
        )
    return rows


def _timed_ms(run: Callable[[], object], rounds: int) -> tuple[float, float]:
    """The median and the fastest of `rounds` runs, in ms: on a shared machine the fastest
    shows the work itself, the median what a user would see."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2), round(min(times), 2)


def main(argv: list[str]) -> int:
    as_json = "--json" in argv
    numbers = [a for a in argv if not a.startswith("--")]
    rounds = int(numbers[0]) if numbers else 15
    kb = load_knowledge(REPO / "knowledge")
    rng = random.Random(9)
    facts = kb.facts[REGION]
    places = [m.id for m in kb.regions[REGION].municipalities]
    hoods = {m: [slug(n) for n in facts.neighbourhoods[m]] for m in places}
    terms = terms_for(kb, REGION, TODAY, {})
    waiting = candidates(rng, 10_000, places)
    homes = dwellings(rng, 2_000, hoods)

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.sqlite3")
        store.migrate()
        organisation = store.add_organisation("Woonopmaat", "corporatie", REGION, datetime.now(UTC))
        placed = dwellings(rng, 10_000, hoods, organisation_id=organisation.id, created_by=0)
        for i, row in enumerate(placed):
            row["code"] = f"WN-IZK-{20_000 + i:05d}"
            row["status"] = "verhuurd" if i % 3 else "toegewezen"
            row["placed_at"] = _moment(rng, 1900)  # since the quota began (2021)
        store.add_records("dwellings", placed)
        books = matchpunt.region_ledger(store, kb, REGION, TODAY)
        timed = {
            "rank_10k_candidates_ms": _timed_ms(
                lambda: ranking.candidates_for(homes[0], waiting, terms, books), rounds
            ),
            "why_not_2k_dwellings_ms": _timed_ms(
                lambda: ranking.dwellings_for(waiting[0], homes, terms, books), rounds
            ),
            "ledger_10k_placements_ms": _timed_ms(
                lambda: matchpunt.region_ledger(store, kb, REGION, TODAY), rounds
            ),
            "wanted_10k_waiting_300_homes_ms": _timed_ms(
                lambda: wanted.wanted_homes(books, hoods, waiting, homes[:300], terms), rounds
            ),
        }
        ranked, excluded = ranking.candidates_for(homes[0], waiting, terms, books)
        store.close()
    figures = {key: median for key, (median, _) in timed.items()}
    fastest = {key: best for key, (_, best) in timed.items()}
    counts = {"ranked": len(ranked), "excluded": len(excluded), "placed_in_ledger": books.placed}
    if as_json:
        print(
            json.dumps(
                {"figures": figures, "fastest": fastest, "targets_ms": TARGETS, "counts": counts}
            )
        )
        return 0
    for key, value in figures.items():
        mark = "ok" if value < TARGETS[key] else "TOO SLOW"
        print(
            f"{key:28} {value:8.2f} ms median, {fastest[key]:8.2f} ms fastest "
            f"(target < {TARGETS[key]} ms: {mark})"
        )
    print(
        f"ranked {counts['ranked']}, excluded {counts['excluded']}; "
        f"placements in the ledger since the quota began: {counts['placed_in_ledger']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
