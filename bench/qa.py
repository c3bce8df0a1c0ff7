"""Question answering: latency (p50, p99) and index build time at 100, 1,000 and 10,000
entries, and accuracy on the tests' labelled questions, beside a naive rapidfuzz baseline.

    python bench/qa.py

The real knowledge files are grown with generated paraphrase entries (real questions and
alternates with words shuffled and dropped, plus other knowledge-base words and two invented
words each, so the vocabulary grows with the base) to reach each size. Each question is asked
once per size with cold caches. One core: run with `taskset -c 0` for the official figures.
"""

from __future__ import annotations

import dataclasses
import random
import statistics
import sys
import time
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.knowledge.base import KnowledgeBase, load_knowledge  # noqa: E402
from bot.knowledge.search import SearchIndex, _correct_word, stem, words  # noqa: E402

SIZES = (100, 1_000, 10_000)


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


class Baseline:
    """rapidfuzz process.extract with WRatio over every question and alternate."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.texts, self.ids = [], []
        for entry in kb.entries:
            for text in (entry.question, *entry.alternates):
                self.texts.append(text)
                self.ids.append(entry.id)

    def answer(self, question: str) -> str | None:
        [(_, _score, i)] = process.extract(question, self.texts, scorer=fuzz.WRatio, limit=1)
        return self.ids[i]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    kb = load_knowledge(REPO / "knowledge")
    labelled = yaml.safe_load((REPO / "tests/data/labelled_questions.yaml").read_text("utf-8"))
    questions = [item["q"] for item in labelled["answerable"]] + labelled["out_of_domain"]

    index = SearchIndex.build(kb)
    baseline = Baseline(kb)
    hits = top = 0
    for item in labelled["answerable"]:
        result = index.search(item["q"], region=item.get("region"))
        hits += result.found and result.entry.id == item["id"]
        first = result.entry if result.found else None
        if first is None and result.suggestions:
            first = kb.entry(result.suggestions[0].entry_id)
        top += first is not None and first.id == item["id"]
    declined = sum(1 for q in labelled["out_of_domain"] if not index.search(q).found)
    base_hits = sum(
        1 for item in labelled["answerable"] if baseline.answer(item["q"]) == item["id"]
    )
    n, m = len(labelled["answerable"]), len(labelled["out_of_domain"])
    print(f"real knowledge base: {len(kb.entries)} entries")
    print(f"labelled questions: {n} answerable, {m} out of domain")
    print(f"top answer right   search {top / n:6.1%}   baseline {base_hits / n:6.1%}")
    print(f"confident & right  search {hits / n:6.1%}")
    print(f"off-topic declined search {declined / m:6.1%}   baseline   0.0% (always answers)")
    print()
    print(
        f"{'entries':>8} {'build s':>8} {'p50 ms':>8} {'p99 ms':>8} {'base p50':>9} {'base p99':>9}"
    )
    for size in SIZES:
        grown = grow(kb, size)
        start = time.perf_counter()
        grown_index = SearchIndex.build(grown)
        build = time.perf_counter() - start
        grown_base = Baseline(grown)
        ours, theirs = [], []
        stem.cache_clear()
        _correct_word.cache_clear()
        for question in questions:
            t = time.perf_counter()
            grown_index.search(question)
            ours.append((time.perf_counter() - t) * 1000)
        for question in questions:
            t = time.perf_counter()
            grown_base.answer(question)
            theirs.append((time.perf_counter() - t) * 1000)
        print(
            f"{size:>8} {build:>8.2f}"
            f" {statistics.median(ours):>8.2f} {percentile(ours, 0.99):>8.2f}"
            f" {statistics.median(theirs):>9.2f} {percentile(theirs, 0.99):>9.2f}"
        )


if __name__ == "__main__":
    main()
