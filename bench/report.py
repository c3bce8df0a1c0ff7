"""Speed of the matchpunt's overview (`/stand`, `weerthuis report`) for a large region: 10,000
placements (each from an accepted proposal, a tenth of the proposals declined with a reason),
1,000 waiting candidates and 300 open homes, in a real SQLite file.

    python bench/report.py [ROUNDS] [--json]

- `report_text_ms`: the overview computed from the file and written as text (target: under
  200 ms);
- `report_with_chart_ms`: the same and the chart as PNG (target: under 1 s);
- `chart_import_ms`: loading matplotlib, once per process (at the first chart).
Each figure is the median of ROUNDS runs (default 7), with the fastest beside it.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from matching import REGION, _timed_ms, candidates, dwellings  # noqa: E402

from bot.knowledge.base import load_knowledge, slug  # noqa: E402
from bot.reports import formats, stand  # noqa: E402
from bot.storage import Store, iso_timestamp  # noqa: E402

NOW = datetime(2026, 6, 1, 9, tzinfo=UTC)
TARGETS = {"report_text_ms": 200, "report_with_chart_ms": 1000}
REASONS = {
    "care": ["buurt", "andere_optie", "niet_klaar"],
    "corporation": ["past_niet", "te_groot"],
}


def _seed(store: Store, kb, rng: random.Random) -> None:
    facts = kb.facts[REGION]
    places = [m.id for m in kb.regions[REGION].municipalities]
    hoods = {m: [slug(n) for n in facts.neighbourhoods[m]] for m in places}
    corporation = store.add_organisation("Woonopmaat", "corporatie", REGION, NOW)
    care = store.add_organisation("Zorg", "zorgaanbieder", REGION, NOW)
    common = {"organisation_id": corporation.id, "created_by": 0}
    placed = dwellings(rng, 10_000, hoods, **common)
    for i, row in enumerate(placed):
        row["code"] = f"WN-IZK-{20_000 + i:05d}"
        row["status"] = "verhuurd" if i % 3 else "toegewezen"
        row["placed_at"] = (NOW - timedelta(days=rng.randrange(1900))).isoformat()
    store.add_records("dwellings", placed + dwellings(rng, 300, hoods, **common))
    waiting = candidates(rng, 1_000, places)
    for row in waiting:
        row.update(region=REGION, organisation_id=care.id, created_by=0)
    store.add_records("candidates", waiting)
    proposals = []
    for i, row in enumerate(placed):
        when = datetime.fromisoformat(row["placed_at"])
        proposals.append(
            {
                "candidate_code": f"WT-IZK-{50_000 + i:05d}",
                "dwelling_code": row["code"],
                "region": REGION,
                "status": "geaccepteerd",
                "created_at": iso_timestamp(when - timedelta(days=7)),
                "care_answer": "ja",
                "corporation_answer": "ja",
            }
        )
        if i % 10 == 0:
            side = rng.choice(["care", "corporation"])
            proposals.append(
                {
                    "candidate_code": f"WT-IZK-{70_000 + i:05d}",
                    "dwelling_code": row["code"],
                    "region": REGION,
                    "status": "afgewezen",
                    "created_at": iso_timestamp(when - timedelta(days=20)),
                    f"{side}_answer": "nee",
                    f"{side}_reason": rng.choice(REASONS[side]),
                }
            )
    store.db["proposals"].insert_all(proposals)


def main(argv: list[str]) -> int:
    as_json = "--json" in argv
    numbers = [a for a in argv if not a.startswith("--")]
    rounds = int(numbers[0]) if numbers else 7
    kb = load_knowledge(REPO / "knowledge")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.sqlite3")
        store.migrate()
        _seed(store, kb, random.Random(10))
        started = time.perf_counter()
        from bot.reports.chart import as_png

        import_ms = round((time.perf_counter() - started) * 1000, 1)

        def text() -> str:
            return formats.as_text(stand.region_report(store, kb, None, REGION, NOW))

        def with_chart() -> bytes:
            report = stand.region_report(store, kb, None, REGION, NOW)
            formats.as_text(report)
            return as_png(report)

        timed = {
            "report_text_ms": _timed_ms(text, rounds),
            "report_with_chart_ms": _timed_ms(with_chart, rounds),
        }
        report = stand.region_report(store, kb, None, REGION, NOW)
        store.close()
    figures = {key: median for key, (median, _) in timed.items()}
    fastest = {key: best for key, (_, best) in timed.items()}
    counts = {
        "placed": sum(m.placed for m in report.municipalities),
        "waiting": report.waiting,
        "declines": sum(report.declines.values()),
    }
    if as_json:
        print(
            json.dumps(
                {
                    "figures": figures,
                    "fastest": fastest,
                    "chart_import_ms": import_ms,
                    "targets_ms": TARGETS,
                    "counts": counts,
                }
            )
        )
        return 0
    for key, value in figures.items():
        mark = "ok" if value < TARGETS[key] else "TOO SLOW"
        print(
            f"{key:22} {value:8.1f} ms median, {fastest[key]:8.1f} ms fastest "
            f"(target < {TARGETS[key]} ms: {mark})"
        )
    print(f"chart_import_ms        {import_ms:8.1f} ms (once per process)")
    print(f"placed {counts['placed']}, waiting {counts['waiting']}, declines {counts['declines']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
