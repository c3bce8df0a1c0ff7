"""Which entry a question reads like, learnt from the entries' own phrasings.

The search (`bot.knowledge.search`) scores an entry by the words a question shares with it.
That cannot tell which shared words matter for which entry: "aanmelden" says little between
registering a candidate and registering a home, "woning" everything. A linear classifier
(scikit-learn's LinearSVC) trained on every entry's question and alternates learns exactly
that, and over character n-grams it reads typos, compounds and inflections alike
("huurschuld", "huur schulden", "huurschlden"). Its decision value per entry is a second
opinion the search adds to its score: it ranks the right entry higher, and it is negative
for every entry when a question is like none of them (an off-topic question).

Training takes about a second for the knowledge base of today and grows with entries times
phrasings; above MAX_ENTRIES the search works without it (a generated base of thousands of
entries in `bench/qa.py`). A trained model is kept per set of phrasings, so reloading an
unchanged knowledge base, or many tests over the same files, train it once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

MAX_ENTRIES = 500
NGRAMS = (2, 5)  # character n-grams, within words
C = 1.0  # LinearSVC's regularisation: the default, which the labelled set agrees with


@dataclass(frozen=True, eq=False)
class PhrasingModel:
    """A trained classifier; `scores` gives one decision value per entry (positive: the
    question reads like that entry's phrasings)."""

    vectorizer: Any
    classifier: Any
    entries: int

    def scores(self, text: str) -> Sequence[float]:
        matrix = self.vectorizer.transform([text])
        if matrix.nnz == 0:
            return [-1.0] * self.entries  # no n-gram it knows: like none of them
        values = self.classifier.decision_function(matrix)[0]
        if self.entries == 2:
            return [-float(values), float(values)]  # one value: for the second entry
        return values.tolist()


def learn(phrasings: Sequence[Sequence[str]]) -> PhrasingModel | None:
    """A model of `phrasings` (per entry, its normalised texts); None when there are too
    many entries to train one quickly, or fewer than two."""
    if not 2 <= len(phrasings) <= MAX_ENTRIES:
        return None
    return _learn(tuple(tuple(texts) for texts in phrasings))


@lru_cache(maxsize=4)
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
    return PhrasingModel(vectorizer, classifier, len(phrasings))
