"""How common a word is in everyday Dutch (bot/data/everyday_nl.tsv) and what it does to a
question's words: a common word the knowledge base happens to use counts for less, a rare
one it does not know counts for more."""

from __future__ import annotations

import re

import pytest
from conftest import REPO

from bot.knowledge import commonness
from bot.knowledge.asking import ask
from bot.knowledge.base import load_knowledge
from bot.knowledge.search import SearchIndex


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(load_knowledge(REPO / "knowledge"))


def test_the_table_is_words_and_figures_in_order():
    lines = (REPO / "bot" / "data" / "everyday_nl.tsv").read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith("#")]
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    assert "CC BY-SA 4.0" in " ".join(header)
    assert (REPO / "bot" / "data" / "LICENSE-wordfreq").exists()
    assert all(len(row) == 2 and re.fullmatch(r"[a-z]+", row[0]) for row in rows)
    assert [row[0] for row in rows] == sorted({row[0] for row in rows})
    assert all(3.0 <= float(row[1]) <= 8.0 for row in rows)
    assert len(rows) > 20_000


@pytest.mark.parametrize(
    ("word", "common_from", "rarer_than"),
    [
        # As common as can be, common, rare; the field's own words are not everyday Dutch.
        ("de", 7.0, 8.0),
        ("vragen", 5.0, 6.5),
        ("woning", 4.0, 5.5),
        ("omklapwoning", None, None),
        ("matchpunt", None, None),
    ],
)
def test_everyday_dutch_knows_common_words_only(word, common_from, rarer_than):
    zipf = commonness.everyday_zipf().get(word)
    if common_from is None:
        assert zipf is None
    else:
        assert common_from <= zipf < rarer_than


@pytest.mark.parametrize(
    ("zipf", "known", "unknown"),
    [
        (0.0, 1.0, 1.5),  # not everyday Dutch at all
        (3.4, 1.0, 1.5),
        (3.5, 1.0, 1.0),
        (5.0, 1.0, 1.0),
        (5.5, 0.75, 1.0),
        (6.0, 0.5, 1.0),
        (7.0, 0.5, 1.0),
    ],
)
def test_what_commonness_does_to_a_words_weight(zipf, known, unknown):
    assert commonness.known_factor(zipf) == pytest.approx(known)
    assert commonness.unknown_factor(zipf) == unknown


def test_a_linking_s_is_no_part_of_the_unknown_half(index):
    # "begeleiding|s|beleid"; "huur|schulden" keeps its s, "schulden" being a word.
    # ("spreidingsbeleid" is a word of the knowledge base itself, it is no compound to split.)
    assert index._compound_parts("begeleidingsbeleid") == ["begeleiding", "beleid"]
    assert index._compound_parts("spreidingsbeleid") == []
    assert index._compound_parts("huurschulden") == ["huur", "schulden"]


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        # "tot nu toe" is everyday Dutch; "resultaten" is what it asks.
        ("wat zijn de resultaten tot nu toe", "resultaten-algemeen"),
        # "programma" is in many entries and common; "advies" tells.
        ("uit welk advies is het programma voortgekomen", "programma-dannenberg"),
    ],
)
def test_the_uncommon_word_decides(index, question, entry_id):
    assert [r.entry.id for r in ask(index, question).results if r.found] == [entry_id]
