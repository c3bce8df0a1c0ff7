"""Which entry a question reads like, learnt from the entries' own phrasings.

The search (`bot.knowledge.search`) scores an entry by the words a question shares with it.
That cannot tell which shared words matter for which entry: "aanmelden" says little between
registering a candidate and registering a home, "woning" everything. A linear classifier
(scikit-learn's LinearSVC) trained on every entry's question and alternates learns exactly
that, and over character n-grams it reads typos, compounds and inflections alike
("huurschuld", "huur schulden", "huurschlden"). Its decision value per entry is a second
opinion the search adds to its score: it ranks the right entry higher, and it is negative
for every entry when a question is like none of them (an off-topic question).

Training takes about a second for the knowledge base of today (and importing scikit-learn
another), and grows with entries times phrasings: some 6 s at 500 entries, 15 s at 1,000.
Above MAX_ENTRIES the search works without it, with thresholds for the words alone (a
generated base of thousands of entries in `bench/qa.py`). `/herlaad` builds in a worker
thread. A trained model is kept per set of phrasings, so reloading an
unchanged knowledge base, or many tests over the same files, train it once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

MAX_ENTRIES = 500
NGRAMS = (2, 5)  # character n-grams, within words
C = 1.0  # LinearSVC's regularisation: the default, which the labelled set agrees with


@dataclass(frozen=True, eq=False)
class PhrasingModel:
    """A trained classifier; `scores` gives one decision value per entry (positive: the
    question reads like that entry's phrasings).

    It keeps what scoring needs as plain arrays: scikit-learn's own transform and
    decision_function cost a millisecond a call in overhead, for one short text; this is
    the same sum (sublinear tf × idf, L2-normalised, times the weights) in a tenth of it."""

    analyse: Callable[[str], list[str]]  # text → its character n-grams
    columns: dict[str, int]  # n-gram → feature column
    idf: Any  # numpy array, per column
    weights: Any  # numpy array, columns × entries
    intercepts: Any  # numpy array, per entry
    entries: int

    def scores(self, text: str) -> list[float]:
        counts = Counter(c for c in map(self.columns.get, self.analyse(text)) if c is not None)
        if not counts:
            return [-1.0] * self.entries  # no n-gram it knows: like none of them
        columns = np.fromiter(counts, dtype=np.intp, count=len(counts))
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=float))) * self.idf[columns]
        values /= np.linalg.norm(values)
        return (values @ self.weights[columns] + self.intercepts).tolist()


def learn(phrasings: Sequence[Sequence[str]]) -> PhrasingModel | None:
    """A model of `phrasings` (per entry, its normalised texts); None when there are too
    many entries to train one quickly, or fewer than two."""
    if not 2 <= len(phrasings) <= MAX_ENTRIES:
        return None
    return _learn(tuple(tuple(texts) for texts in phrasings))


@lru_cache(maxsize=2)  # the base in service and a reload of it; older ones are let go
def _learn(phrasings: tuple[tuple[str, ...], ...]) -> PhrasingModel:
    # Imported here: scikit-learn takes a second to import, and only building an index needs it.
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    texts = [text for entry_texts in phrasings for text in entry_texts]
    labels = [i for i, entry_texts in enumerate(phrasings) for _ in entry_texts]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True)
    matrix = vectorizer.fit_transform(texts)
    # random_state: the same phrasings always give the same model (and the same answers).
    classifier = LinearSVC(C=C, random_state=0, max_iter=5000).fit(matrix, labels)
    weights, intercepts = classifier.coef_, classifier.intercept_
    if len(phrasings) == 2:
        # One row, for the second entry; the first entry's is its opposite.
        weights, intercepts = np.vstack([-weights, weights]), np.hstack([-intercepts, intercepts])
    return PhrasingModel(
        analyse=vectorizer.build_analyzer(),
        columns=dict(vectorizer.vocabulary_),
        idf=vectorizer.idf_,
        weights=np.ascontiguousarray(weights.T),
        intercepts=intercepts,
        entries=len(phrasings),
    )
