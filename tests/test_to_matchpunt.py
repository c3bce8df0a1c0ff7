"""'Vraag het matchpunt' in the core, on a real database: what is kept of a question and for how
long, an answer that would not fit a Telegram message, an asker who lost access."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.demo import DEMO_USERS, seed_demo
from bot.knowledge import to_matchpunt
from bot.storage import Store

REGION_NAME = "IJmond en Zuid-Kennemerland"


@pytest.fixture
def seeded(store: Store, regions, clock) -> Store:
    seed_demo(store, regions, clock.now())
    return store


def _ask(store, clock, text="mag een huisdier mee naar de nieuwe woning") -> int:
    asker = store.user(DEMO_USERS["field_worker"])
    to_matchpunt.send(store, clock.now(), asker, text, REGION_NAME)
    return max(r["id"] for r in store.db["matchpunt_questions"].rows)


def test_nothing_ties_a_question_to_who_asked_it_once_answered(seeded, clock):
    question_id = _ask(seeded, clock)
    row = seeded.matchpunt_question(question_id)
    # The day only, and no audit line for the asking.
    assert row["asked_at"] == clock.now().date().isoformat()
    assert [e for e in seeded.audit_entries() if e["action"].startswith("matchpunt")] == []
    coordinator = seeded.user(DEMO_USERS["coordinator"])
    to_matchpunt.answer(seeded, clock.now(), coordinator, question_id, "Vraag het de corporatie.")
    assert seeded.matchpunt_question(question_id)["asker"] is None
    audit = [
        (e["actor"], e["action"])
        for e in seeded.audit_entries()
        if e["action"].startswith("matchpunt")
    ]
    assert audit == [(str(DEMO_USERS["coordinator"]), "matchpunt.antwoord")]


def test_an_unanswered_question_forgets_its_asker_after_30_days(seeded, clock):
    question_id = _ask(seeded, clock)
    assert to_matchpunt.forget_old_askers(seeded, clock.now() + timedelta(days=30)) == 0
    assert to_matchpunt.forget_old_askers(seeded, clock.now() + timedelta(days=31)) == 1
    row = seeded.matchpunt_question(question_id)
    assert (row["asker"], row["state"]) == (None, "open")


def test_an_answer_that_would_not_fit_a_message_is_refused_and_changes_nothing(seeded, clock):
    question_id = _ask(seeded, clock, "<" * 390 + " zon")
    coordinator = seeded.user(DEMO_USERS["coordinator"])
    queued = len(list(seeded.db["outbox"].rows))
    with pytest.raises(to_matchpunt.AnswerTextError, match="te veel tekens"):
        to_matchpunt.answer(seeded, clock.now(), coordinator, question_id, "&" * 1000)
    assert seeded.matchpunt_question(question_id)["state"] == "open"
    assert len(list(seeded.db["outbox"].rows)) == queued
    # A normal answer to the same long question fits.
    to_matchpunt.answer(seeded, clock.now(), coordinator, question_id, "Nee & ja: " + "x" * 900)
    [sent] = [
        m for m in seeded.db["outbox"].rows if m["key"] == f"matchpunt-antwoord:{question_id}"
    ]
    assert len(sent["text"]) < 4096


def test_an_asker_without_access_gets_no_answer(seeded, clock):
    question_id = _ask(seeded, clock)
    seeded.db["users"].update(DEMO_USERS["field_worker"], {"active": 0})
    coordinator = seeded.user(DEMO_USERS["coordinator"])
    to_matchpunt.answer(seeded, clock.now(), coordinator, question_id, "Vraag het de corporatie.")
    assert [
        m for m in seeded.db["outbox"].rows if m["key"] == f"matchpunt-antwoord:{question_id}"
    ] == []
    # The draft is kept all the same.
    assert [d["answer"] for d in seeded.matchpunt_drafts()] == ["Vraag het de corporatie."]
