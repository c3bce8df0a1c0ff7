"""The phrasing model: a classifier trained on the entries' own phrasings, the search's
second opinion. On the real knowledge files, and on small made-up sets of phrasings."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import REPO

from bot.knowledge import phrasings
from bot.knowledge.base import load_knowledge
from bot.knowledge.search import SearchIndex, words


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(REPO / "knowledge")


@pytest.fixture(scope="module")
def index(kb) -> SearchIndex:
    return SearchIndex.build(kb)


def _opinion(index: SearchIndex, question: str) -> dict[str, float]:
    model = index._phrasing_model
    assert model is not None
    values = model.scores(" ".join(words(question)))
    return {entry.id: value for entry, value in zip(index.kb.entries, values, strict=True)}


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        # The words alone cannot part these two: both entries' phrasings have "aanmelden"
        # and "woning". Which word matters for which entry, the model learns.
        ("hoe meld ik een woning aan", "bot-woning-aanmelden"),
        ("hoe meld ik een kandidaat aan", "bot-kandidaat-aanmelden"),
        # Typos and a compound typed apart, read as character n-grams.
        ("wat is een omklapwonnig", "begrip-omklapwoning"),
        ("afspraken over huur schulden", "resultaten-procesafspraken"),
    ],
)
def test_the_model_reads_a_question_as_the_entry_it_is_like(index, question, entry_id):
    opinion = _opinion(index, question)
    assert max(opinion, key=opinion.__getitem__) == entry_id
    assert opinion[entry_id] > 0


@pytest.mark.parametrize(
    "question", ["wie wint de eredivisie dit jaar", "hoe laat vertrekt de trein naar amsterdam"]
)
def test_a_question_like_no_entry_is_like_none_of_them(index, question):
    assert max(_opinion(index, question).values()) < 0


def test_a_question_of_no_known_letters_is_like_none_of_them(index):
    assert set(_opinion(index, "ЖЖЖ").values()) == {-1.0}


def test_with_the_model_the_ambiguous_question_is_answered(index):
    """Without it, "hoe meld ik een woning aan" was a coin toss between registering a home
    and registering a candidate for one ("bedoelde je…?")."""
    result = index.search("hoe meld ik een woning aan")
    assert (result.found, result.entry.id) == (True, "bot-woning-aanmelden")


def test_the_same_phrasings_train_one_model():
    texts = [["hoe meld ik een woning aan", "woning doorgeven"], ["wat is bw", "beschermd wonen"]]
    first = phrasings.learn(texts)
    assert phrasings.learn([list(t) for t in texts]) is first
    assert phrasings.learn([*texts, ["wat is mo"]]) is not first


def test_two_entries_get_a_value_each():
    model = phrasings.learn([["hoe meld ik een woning aan"], ["wat is beschermd wonen"]])
    assert model is not None
    woning, bw = model.scores("woning aanmelden")
    assert woning > 0 > bw
    woning, bw = model.scores("beschermd wonen")
    assert bw > 0 > woning


def test_too_many_or_too_few_entries_get_no_model():
    assert phrasings.learn([["alleen"]]) is None
    many = [[f"vraag nummer {i}"] for i in range(phrasings.MAX_ENTRIES + 1)]
    assert phrasings.learn(many) is None


def test_without_the_model_the_search_still_answers(kb, monkeypatch):
    """A knowledge base above MAX_ENTRIES is searched by its words alone."""
    monkeypatch.setattr(phrasings, "MAX_ENTRIES", 10)
    index = SearchIndex.build(dataclasses.replace(kb))
    assert index._phrasing_model is None
    result = index.search("wat betekent bw")
    assert (result.found, result.entry.id) == (True, "begrip-bw")
    assert not index.search("wie wint de eredivisie dit jaar").found


def test_the_scores_are_scikit_learns_decision_values():
    """The model scores with its own arrays (fast); they must be what LinearSVC says."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    texts = [
        ["hoe meld ik een woning aan", "vrije woning doorgeven"],
        ["wat is beschermd wonen", "bw betekenis"],
        ["hoeveel regio's doen mee", "aantal regio's"],
    ]
    model = phrasings.learn(texts)
    flat = [t for entry in texts for t in entry]
    labels = [i for i, entry in enumerate(texts) for _ in entry]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    classifier = LinearSVC(C=1.0, random_state=0, max_iter=5000)
    classifier.fit(vectorizer.fit_transform(flat), labels)
    for question in ("woning aanmelden", "wat betekent bw", "regio regio regio", "zzz woning"):
        expected = classifier.decision_function(vectorizer.transform([question]))[0]
        assert model.scores(question) == pytest.approx(list(expected), abs=1e-9)


def test_without_the_model_the_labelled_set_meets_the_words_only_floors(kb, monkeypatch):
    """Above MAX_ENTRIES the thresholds are the ones tuned for the words alone: the search
    must do as it did before the model (floors under its figures then)."""
    import yaml

    monkeypatch.setattr(phrasings, "MAX_ENTRIES", 10)
    index = SearchIndex.build(dataclasses.replace(kb))
    labelled = yaml.safe_load(
        (REPO / "tests" / "data" / "labelled_questions.yaml").read_text(encoding="utf-8")
    )
    answered = wrong = 0
    for item in labelled["answerable"]:
        result = index.search(item["q"], region=item.get("region"))
        answered += result.found and result.entry.id == item["id"]
        wrong += result.found and result.entry.id != item["id"]
    off = [q["q"] if isinstance(q, dict) else q for q in labelled["out_of_domain"]]
    declined = sum(not index.search(q).found for q in off)
    total = len(labelled["answerable"])
    assert answered / total >= 0.86
    assert wrong / total <= 0.05
    assert declined / len(off) >= 0.90
