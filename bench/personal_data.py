"""The personal-data guard on its labelled examples: how many positives it misses (false
negatives), how many ordinary notes it refuses (false positives), and how fast it is.

    python bench/personal_data.py            # figures, the misses and false refusals listed
    python bench/personal_data.py --json     # {"positives": N, "negatives": M, ...} only

The examples are tests/data/personal_data_examples.yaml. The figures are on the whole file;
the examples marked `split: holdout` (written after the guard was tuned) are reported apart
as well. The timing is the mean of many calls of find_personal_data on 300-character notes:
an ordinary one, one full of numbers and dates, one of unicode look-alikes, and a worst case.
"""

from __future__ import annotations

import argparse
import json
import sys
import timeit
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.privacy.personal_data import find_personal_data, mask_personal_data  # noqa: E402

EXAMPLES = REPO / "tests" / "data" / "personal_data_examples.yaml"

NOTES = {
    "ordinary": (
        "Sinds 2019 in MO, 2 jaar BW bij het Leger des Heils. Huurschuld van € 1.200 bij Pré "
        "Wonen, regeling loopt; bewindvoering sinds 1 januari 2005. Ambulante begeleiding 2x "
        "per week, GGZ via het FACT-team. Voorkeur Haarlem of Velsen, max huur 650, begane "
        "grond ivm knie. Heeft een hond. Per 1 maart 2025 klaar voor uitstroom, zachte landing."
    ),
    "numbers": (
        "2019-2021 MO, 2021-2023 BW; schuld 12.345,67 bij 14 schuldeisers, aflossing 50 p/m. "
        "Intake 5-5-2005, ontslag 3-2-2009, nazorg 1-3-2010 tot 1-3-2011, huur 600-700, "
        "servicekosten 45, 2 kamers 40-60 m2, ZRM 3-4-3, kamer 2.14, bus 3 of 73, 24/7 "
        "begeleiding, 1.780 mensen in 10 jaar, 8.000 woningzoekenden, 600 woningen per jaar, "
        "97% zelfstandig, code 4711"
    ),
    "unicode": (
        "Coöperatiestraat ＫＥＲＫ – ２０１９ in MO — 2 jaar BW\u200b; café, crème, "
        "ĳzer, Ĳmond, “aanhalingstekens” ’85 ‘x’ … ½ m² € 1.200 ‑ − ‒ ﹘ ﹣ 한국어 العربية "
        "Ελληνικά Русский 日本語 🙂🏠 né, ça, Øresund, Straße, Ærø, ŉ, ǆ, ﬁ ﬂ. Sinds 2019 in "
        "Haarlem, 2 jaar BW bij het Leger des Heils, ambulante begeleiding 2x per week, "
        "huurschuld € 1.200, bewindvoering sinds 1 januari 2005, einde."
    ),
    # Not a note anyone types: the worst case found, dates and numbers that all start with 0.
    "digit soup": "01-02-1985 06 0 0 0-0 " * 20,
}


def load(path: Path = EXAMPLES) -> dict:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def rates(data: dict, split: str | None = None) -> dict:
    """Counts and error rates over the examples (of one split, or all)."""

    def chosen(items):
        return [i for i in items if split is None or _split(i) == split]

    positives = chosen(data["positives"])
    negatives = chosen(data["negatives"])
    missed = [p for p in positives if p["label"] not in find_personal_data(p["text"])]
    refused = [(n, found) for n in negatives if (found := find_personal_data(_text(n)))]
    return {
        "positives": len(positives),
        "negatives": len(negatives),
        "false_negative_rate": round(len(missed) / len(positives), 4) if positives else 0.0,
        "false_positive_rate": round(len(refused) / len(negatives), 4) if negatives else 0.0,
        "_missed": missed,
        "_refused": refused,
    }


def masking_errors(data: dict) -> list[tuple[str, str, str]]:
    out = []
    for case in data.get("masking", []):
        got = mask_personal_data(case["text"])
        if got != case["masked"]:
            out.append((case["text"], case["masked"], got))
    return out


def timing(number: int = 2000) -> dict[str, float]:
    """Mean microseconds per find_personal_data call on each 300-character note."""
    out = {}
    for name, note in NOTES.items():
        note = (note * 2)[:300]
        seconds = min(timeit.repeat(lambda n=note: find_personal_data(n), number=number, repeat=5))
        out[name] = seconds / number * 1e6
    return out


def _text(item) -> str:
    return item if isinstance(item, str) else item["text"]


def _split(item) -> str:
    return "all" if isinstance(item, str) else item.get("split", "tuned")


def _public(figures: dict) -> dict:
    return {k: v for k, v in figures.items() if not k.startswith("_")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the full-file figures as JSON")
    parser.add_argument("--examples", type=Path, default=EXAMPLES)
    args = parser.parse_args(argv)
    data = load(args.examples)
    full = rates(data)
    if args.json:
        print(json.dumps(_public(full)))
        return 0
    print(f"examples: {args.examples.relative_to(REPO)}")
    print(
        f"all:     {full['positives']} positives, {full['negatives']} negatives; "
        f"false negatives {len(full['_missed'])} ({full['false_negative_rate']:.2%}), "
        f"false positives {len(full['_refused'])} ({full['false_positive_rate']:.2%})"
    )
    held = rates(data, "holdout")
    if held["positives"] or held["negatives"]:
        print(
            f"holdout: {held['positives']} positives, {held['negatives']} negatives; "
            f"false negatives {len(held['_missed'])} ({held['false_negative_rate']:.2%}), "
            f"false positives {len(held['_refused'])} ({held['false_positive_rate']:.2%})"
        )
    labels = sorted({p["label"] for p in data["positives"]})
    for label in labels:
        of_label = [p for p in data["positives"] if p["label"] == label]
        missed = [p for p in full["_missed"] if p["label"] == label]
        print(f"  {label:<28} {len(of_label) - len(missed):>3}/{len(of_label):<3} found")
    for p in full["_missed"]:
        print(f"  missed:  {p['text']!r} ({p['label']}): {find_personal_data(p['text'])}")
    for n, found in full["_refused"]:
        print(f"  refused: {_text(n)!r}: {found}")
    errors = masking_errors(data)
    cases = len(data.get("masking", []))
    print(f"masking: {cases - len(errors)}/{cases} as expected")
    for text, want, got in errors:
        print(f"  {text!r}: want {want!r}, got {got!r}")
    for name, micros in timing().items():
        print(f"find_personal_data, 300-character {name} note: {micros:.1f} µs per call")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
