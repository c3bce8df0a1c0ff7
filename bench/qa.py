"""Question answering: accuracy per kind of question on the labelled sets, beside two baselines
(rapidfuzz WRatio and BM25 from bm25s), and latency (p50, p99) and index build time at 100,
1,000 and 10,000 entries.

    python bench/qa.py              # figures as text
    python bench/qa.py --json       # the same as one JSON object
    python bench/qa.py --no-latency # accuracy only

Sets: `tests/data/labelled_questions.yaml` (the team's set, which the tests use) and
`tests/data/holdout_questions.yaml` (written blind and never tuned on: report it, do not read
its misses). Every question goes through `bot.knowledge.asking.ask`, as in chat and the CLI:
a follow-up is asked after its first turn, a combined question must get both its answers.

Figures: *confident & right* (answered with the labelled entry), *confidently wrong* (answered
with another), *top hit right* (the answer, or else the first suggestion, is the labelled
entry) and *declined* (off-topic questions that got no answer). The baselines answer every
question with their best match; BM25 also declines below a score threshold, the one that does
best on the same set (so it is tuned on what it is measured on, which flatters it).

The real knowledge files are grown with generated paraphrase entries (real questions and
alternates with words shuffled and dropped, plus other knowledge-base words and two invented
words each, so the vocabulary grows with the base) to reach each size. Each question is asked
once per size with cold caches. One core: run with `taskset -c 0` for the official figures.
The phrasing model (`bot/knowledge/phrasings.py`) is trained up to its MAX_ENTRIES; one more
row has it forced on at 1,000 entries, for what it costs there.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.knowledge import phrasings  # noqa: E402
from bot.knowledge.asking import ask  # noqa: E402
from bot.knowledge.base import KnowledgeBase, load_knowledge  # noqa: E402
from bot.knowledge.search import SearchIndex, _correct_word, _plain, stem, words  # noqa: E402

SIZES = (100, 1_000, 10_000)
MODEL_FORCED_AT = 1_000  # one more row: the phrasing model trained at this size as well
SETS = {
    "labelled": REPO / "tests/data/labelled_questions.yaml",
    "holdout": REPO / "tests/data/holdout_questions.yaml",
}


# --- the labelled sets --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Case:
    question: str
    kind: str
    ids: tuple[str, ...] = ()  # the right entries (two for a combined question)
    first: str | None = None  # a follow-up's first turn
    region: str | None = None  # the asker's region
    in_domain: bool = True


def read_set(path: Path) -> list[Case]:
    data = yaml.safe_load(path.read_text("utf-8"))
    cases = [
        Case(i["q"], i.get("kind", "earlier"), (i["id"],), region=i.get("region"))
        for i in data.get("answerable", [])
    ]
    cases += [
        Case(i["q"], "followup", (i["id"],), first=i["first"]) for i in data.get("followups", [])
    ]
    cases += [Case(i["q"], "combined", tuple(i["ids"])) for i in data.get("combined", [])]
    cases += [Case(i["q"], "ask_region") for i in data.get("ask_region", [])]
    for item in data.get("out_of_domain", []):
        item = item if isinstance(item, dict) else {"q": item}
        kind = item.get("kind", "offtopic")
        cases.append(Case(item["q"], kind, first=item.get("first"), in_domain=False))
    return cases


@dataclasses.dataclass
class Tally:
    n: int = 0
    right: int = 0
    wrong: int = 0
    top: int = 0

    def add(self, right: bool, wrong: bool, top: bool) -> None:
        self.n += 1
        self.right += right
        self.wrong += wrong
        self.top += top

    def as_json(self) -> dict:
        share = (lambda x: round(x / self.n, 4)) if self.n else (lambda x: None)
        return {
            "n": self.n,
            "confident_right": share(self.right),
            "confident_wrong": share(self.wrong),
            "top_hit_right": share(self.top),
        }


def judge(index: SearchIndex, case: Case) -> tuple[bool, bool, bool]:
    """(confident & right, confidently wrong, top hit right); for an off-topic question
    'right' means declined."""
    reply = ask(index, case.question, region=case.region, previous=case.first)
    answered = [r.entry.id for r in reply.results if r.found and r.entry is not None]
    if not case.in_domain:
        return not answered, bool(answered), not answered
    if case.kind == "ask_region":
        regional = any(index.kb.entry(i).region for i in answered)
        return reply.main.which_region, regional, reply.main.which_region
    if case.kind == "combined":
        right = set(answered) == set(case.ids)
        return right, any(i not in case.ids for i in answered), bool(set(answered) & set(case.ids))
    main = reply.main
    top = main.entry.id if main.found and main.entry else None
    if top is None and main.suggestions:
        top = main.suggestions[0].entry_id
    right = bool(answered) and answered[0] == case.ids[0]
    return right, bool(answered) and not right, top == case.ids[0]


def evaluate(index: SearchIndex, cases: list[Case]) -> dict:
    kinds: dict[str, Tally] = defaultdict(Tally)
    inside, outside = Tally(), Tally()
    for case in cases:
        right, wrong, top = judge(index, case)
        kinds[case.kind].add(right, wrong, top)
        (inside if case.in_domain else outside).add(right, wrong, top)
    return {
        "in_domain": inside.as_json(),
        "off_topic_declined": round(outside.right / outside.n, 4) if outside.n else None,
        "off_topic_n": outside.n,
        "kinds": {k: t.as_json() for k, t in sorted(kinds.items())},
    }


# --- baselines ----------------------------------------------------------------------------------


class WRatioBaseline:
    """rapidfuzz process.extract with WRatio over every question and alternate."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.texts, self.ids = [], []
        for entry in kb.entries:
            for text in (entry.question, *entry.alternates):
                self.texts.append(text)
                self.ids.append(entry.id)

    def answer(self, question: str) -> tuple[str, float]:
        [(_, score, i)] = process.extract(question, self.texts, scorer=fuzz.WRatio, limit=1)
        return self.ids[i], score


class BM25Baseline:
    """bm25s over every question and alternate (and, `with_answers`, each answer as one more
    document), tokenised as the search does (accents folded, Dutch stems)."""

    def __init__(self, kb: KnowledgeBase, *, with_answers: bool) -> None:
        import bm25s

        self.bm25s = bm25s
        self.ids, texts = [], []
        for entry in kb.entries:
            for text in (entry.question, *entry.alternates):
                texts.append(text)
                self.ids.append(entry.id)
            if with_answers:
                texts.append(_plain(entry.answer))
                self.ids.append(entry.id)
        self.retriever = bm25s.BM25()
        self.retriever.index(self._tokens(texts), show_progress=False)

    def _tokens(self, texts: list[str]) -> list[list[str]]:
        return [[stem(w) for w in words(t)] or ["_"] for t in texts]

    def answer(self, question: str) -> tuple[str, float]:
        docs, scores = self.retriever.retrieve(self._tokens([question]), k=1, show_progress=False)
        return self.ids[int(docs[0][0])], float(scores[0][0])


def evaluate_baseline(baseline, cases: list[Case], *, tune: bool) -> dict:
    """Single questions only (a baseline has no follow-ups or combined answers); with `tune`,
    the declining threshold that does best on these very cases."""
    single = [c for c in cases if c.kind not in ("followup", "combined", "ask_region")]
    answers = [(c, *baseline.answer(c.question)) for c in single]
    thresholds = sorted({round(s, 2) for _, _, s in answers}) if tune else [float("-inf")]
    best = None
    for threshold in [float("-inf"), *thresholds]:
        inside = [(c, i, s) for c, i, s in answers if c.in_domain]
        outside = [(c, i, s) for c, i, s in answers if not c.in_domain]
        right = sum(1 for c, i, s in inside if s >= threshold and i == c.ids[0])
        wrong = sum(1 for c, i, s in inside if s >= threshold and i != c.ids[0])
        declined = sum(1 for c, i, s in outside if s < threshold)
        value = (right - wrong) / max(len(inside), 1) + declined / max(len(outside), 1)
        if best is None or value > best[0]:
            best = (value, threshold, right, wrong, declined, len(inside), len(outside))
    _, threshold, right, wrong, declined, n, m = best
    top = sum(1 for c, i, _ in answers if c.in_domain and i == c.ids[0])
    return {
        "threshold": None if threshold == float("-inf") else threshold,
        "in_domain": {
            "n": n,
            "confident_right": round(right / n, 4),
            "confident_wrong": round(wrong / n, 4),
            "top_hit_right": round(top / n, 4),
        },
        "off_topic_declined": round(declined / m, 4) if m else None,
    }


# --- latency ------------------------------------------------------------------------------------


def grow(kb: KnowledgeBase, size: int, seed: int = 7) -> KnowledgeBase:
    """The real entries first, then generated paraphrases up to `size`."""
    rng = random.Random(seed)
    entries = list(kb.entries[:size])
    vocabulary = sorted(
        {w for e in kb.entries for t in (e.question, *e.alternates) for w in words(t)}
    )
    while len(entries) < size:
        base = kb.entries[len(entries) % len(kb.entries)]

        def paraphrase(text: str) -> str:
            tokens = words(text)
            rng.shuffle(tokens)
            tokens = [t for t in tokens if rng.random() > 0.2] or tokens[:1]
            tokens += [*rng.sample(vocabulary, 2), _invented(rng), _invented(rng)]
            return " ".join(tokens)

        entries.append(
            dataclasses.replace(
                base,
                id=f"{base.id}-gen{len(entries)}"[:48],
                question=paraphrase(base.question),
                alternates=tuple(paraphrase(a) for a in base.alternates[:3]),
                answer=f"{base.answer} {_invented(rng)} {_invented(rng)}",
                follow_ups=(),
            )
        )
    return dataclasses.replace(kb, entries=tuple(entries))


def _invented(rng: random.Random) -> str:
    syllables = ["ka", "lo", "ver", "stra", "mun", "de", "ijk", "wo", "rin", "bel", "tos", "aan"]
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def latency(kb: KnowledgeBase, questions: list[str]) -> list[dict]:
    rows = []
    for size, forced in [*((size, False) for size in SIZES), (MODEL_FORCED_AT, True)]:
        grown = grow(kb, size)
        kept = phrasings.MAX_ENTRIES
        if forced:
            phrasings.MAX_ENTRIES = size
        start = time.perf_counter()
        try:
            index = SearchIndex.build(grown)
        finally:
            phrasings.MAX_ENTRIES = kept
        build = time.perf_counter() - start
        baseline = WRatioBaseline(grown)
        ours, theirs = [], []
        stem.cache_clear()
        _correct_word.cache_clear()
        for question in questions:
            t = time.perf_counter()
            ask(index, question)
            ours.append((time.perf_counter() - t) * 1000)
        for question in questions:
            t = time.perf_counter()
            baseline.answer(question)
            theirs.append((time.perf_counter() - t) * 1000)
        rows.append(
            {
                "entries": size,
                "phrasing_model": index._phrasing_model is not None,
                "build_s": round(build, 3),
                "p50_ms": round(statistics.median(ours), 3),
                "p99_ms": round(percentile(ours, 0.99), 3),
                "wratio_p50_ms": round(statistics.median(theirs), 3),
                "wratio_p99_ms": round(percentile(theirs, 0.99), 3),
            }
        )
    return rows


# --- report -------------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "    -" if value is None else f"{value:6.1%}"


def print_report(figures: dict) -> None:
    print(f"real knowledge base: {figures['entries']} entries")
    for name, data in figures["sets"].items():
        ours = data["search"]
        print(f"\n== {name}: {ours['in_domain']['n']} in domain, {ours['off_topic_n']} off-topic")
        print(f"{'':24} {'right':>6} {'wrong':>6} {'top':>6} {'declined':>8}")
        rows = [("search", ours), *((k, v) for k, v in data["baselines"].items())]
        for label, row in rows:
            inside = row["in_domain"]
            print(
                f"{label:24} {_pct(inside['confident_right'])} {_pct(inside['confident_wrong'])}"
                f" {_pct(inside['top_hit_right'])} {_pct(row['off_topic_declined']):>8}"
            )
        print(f"\n{'kind':24} {'n':>4} {'right':>6} {'wrong':>6} {'top':>6}")
        for kind, row in ours["kinds"].items():
            print(
                f"{kind:24} {row['n']:>4} {_pct(row['confident_right'])}"
                f" {_pct(row['confident_wrong'])} {_pct(row['top_hit_right'])}"
            )
    if figures.get("latency"):
        print(
            f"\n{'entries':>8} {'model':>6} {'build s':>8} {'p50 ms':>8} {'p99 ms':>8}"
            f" {'wratio p50':>11} {'wratio p99':>11}"
        )
        for row in figures["latency"]:
            model = "yes" if row["phrasing_model"] else "no"
            print(
                f"{row['entries']:>8} {model:>6} {row['build_s']:>8.2f} {row['p50_ms']:>8.2f}"
                f" {row['p99_ms']:>8.2f} {row['wratio_p50_ms']:>11.2f}"
                f" {row['wratio_p99_ms']:>11.2f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--no-latency", action="store_true", help="skip the timing runs")
    args = parser.parse_args()
    kb = load_knowledge(REPO / "knowledge")
    index = SearchIndex.build(kb)
    baselines = {
        "wratio": WRatioBaseline(kb),
        "bm25 questions": BM25Baseline(kb, with_answers=False),
        "bm25 + answers": BM25Baseline(kb, with_answers=True),
    }
    figures: dict = {"entries": len(kb.entries), "sets": {}}
    questions: list[str] = []
    for name, path in SETS.items():
        if not path.exists():
            continue
        cases = read_set(path)
        questions += [c.question for c in cases]
        figures["sets"][name] = {
            "search": evaluate(index, cases),
            "baselines": {
                label: evaluate_baseline(b, cases, tune=label != "wratio")
                for label, b in baselines.items()
            },
        }
    if not args.no_latency:
        figures["latency"] = latency(kb, questions)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print_report(figures)


if __name__ == "__main__":
    main()
