"""Kept questions: masked, by the day, grouped without stop words, and clearable."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.knowledge.unanswered import group_questions, record_question

NOW = datetime(2026, 3, 2, 14, 37, tzinfo=ZoneInfo("Europe/Amsterdam"))


def test_recorded_questions_are_masked_and_dated_by_the_day(store):
    record_question(store, NOW, "unanswered", "bel me 06-12345678 of mail a@b.nl", "assen")
    [row] = store.kb_questions()
    assert row["text"] == "bel me [telefoon] of mail [e-mail]"
    assert row["at"] == "2026-03-02"
    with pytest.raises(ValueError):
        record_question(store, NOW, "gossip", "x", None)


def test_grouping_ignores_stop_words():
    rows = [
        {"text": t, "kind": "unanswered"}
        for t in (
            "wat",
            "wat is de inkomensgrens voor sociale huur",
            "wat is de inkomensgrens sociale huur?",
            "hoe laat gaat de trein",
            "hoe laat gaat de bus naar emmen",
        )
    ]
    groups = group_questions(rows)
    assert [g.count for g in groups] == [2, 1, 1, 1]
    assert groups[0].example.startswith("wat is de inkomensgrens")


def test_handled_questions_can_be_cleared(store):
    record_question(store, NOW, "unanswered", "vraag een", "assen")
    record_question(store, NOW.replace(day=5), "unanswered", "vraag twee", "assen")
    assert store.clear_kb_questions("2026-03-02") == 1
    assert [r["text"] for r in store.kb_questions()] == ["vraag twee"]


def test_a_question_with_years_and_places_is_kept_as_asked(store, clock):
    record_question(store, clock.now(), "unanswered", "afspraken voor 2025 in Haarlem?", "izk")
    [row] = store.kb_questions()
    assert row["text"] == "afspraken voor 2025 in Haarlem?"


def test_personal_data_in_a_question_is_masked_and_the_rest_kept(store, clock):
    record_question(
        store,
        clock.now(),
        "unanswered",
        "mag dhr. Bakker (06–12345678, Kerkstraat 12) vanaf 2023 al 2 keer teruggevallen, in 2025 naar Haarlem?",
        "izk",
    )
    [row] = store.kb_questions()
    assert row["text"] == (
        "mag [naam] ([telefoon], [adres]) vanaf 2023 al 2 keer teruggevallen, in 2025 naar Haarlem?"
    )
