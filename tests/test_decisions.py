"""The decision workflow's core on a real database: working days, an answer given twice or
changed, a note with personal data, the move-in date's limits, and a region whose rules let
the bot propose directly."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from helpers import CANDIDATE_FACTS

from bot.decisions import due, workflow
from bot.decisions.working_days import add_working_days
from bot.demo import DEMO_USERS, seed_demo
from bot.knowledge.base import KnowledgeBase
from bot.records import registry
from bot.records.registry import InvalidRecordError

REGION = "ijmond-zuid-kennemerland"
HOME = {
    "neighbourhood": "Schalkwijk",
    "type": "appartement",
    "rooms": 2,
    "floor": 0,
    "accessible": "nee",
    "pets_allowed": "ja",
    "net_rent": 600.0,
    "service_costs": 0.0,
    "available_from": "2026-01-19",
    "omklap": "nee",
    "contact": str(DEMO_USERS["corporation"]),
}


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        ("2026-01-05T09:00", 5, "2026-01-12T09:00"),  # Monday → Monday
        ("2026-01-08T15:30", 1, "2026-01-09T15:30"),  # Thursday → Friday
        ("2026-01-09T15:30", 1, "2026-01-12T15:30"),  # Friday → Monday
        ("2026-01-10T11:00", 1, "2026-01-13T11:00"),  # Saturday counts from Monday
        ("2026-01-05T09:00", 0, "2026-01-05T09:00"),
    ],
)
def test_working_days(start, days, expected):
    assert add_working_days(datetime.fromisoformat(start), days) == datetime.fromisoformat(expected)


@pytest.fixture
def setup(store, clock, kb):
    seed_demo(store, kb.regions, clock.now())
    users = {role: store.user(i) for role, i in DEMO_USERS.items()}
    now = clock.now()
    candidate = registry.register(
        store,
        now - timedelta(days=5),
        users["field_worker"],
        registry.CANDIDATES,
        dict(CANDIDATE_FACTS),
    )
    dwelling = registry.register(
        store, now, users["corporation"], registry.DWELLINGS, dict(HOME), municipality="haarlem"
    )
    proposal = workflow.propose(
        store, kb, now, users["coordinator"], candidate["code"], dwelling["code"]
    )
    return users, now, proposal


def test_the_same_answer_twice_changes_nothing_and_another_is_refused(store, kb, setup):
    users, now, proposal = setup
    fw = users["field_worker"]
    first = workflow.answer(store, kb, now, fw, proposal["id"], "zorg", True)
    assert first.startswith("Je antwoord is opgeslagen: <b>akkoord</b>.")
    audit = store.audit_mark()
    again = workflow.answer(store, kb, now, fw, proposal["id"], "zorg", True)
    assert again == "Je had al ‘akkoord’ geantwoord; er is niets veranderd."
    assert store.audit_mark() == audit
    with pytest.raises(workflow.DecisionError) as refused:
        workflow.answer(store, kb, now, fw, proposal["id"], "zorg", False, "buurt")
    assert str(refused.value) == (
        "Je hebt al ‘akkoord’ geantwoord op deze voordracht; er is niets veranderd."
    )
    assert store.proposal(proposal["id"])["care_answer"] == "ja"


def test_a_note_with_personal_data_is_refused_and_nothing_changes(store, kb, setup):
    users, now, proposal = setup
    messages = len(store.messages())
    with pytest.raises(InvalidRecordError):
        workflow.answer(
            store,
            kb,
            now,
            users["corporation"],
            proposal["id"],
            "corporatie",
            False,
            "anders",
            note="bel haar op 0612345678",
        )
    assert store.proposal(proposal["id"])["corporation_answer"] is None
    assert len(store.messages()) == messages


def test_the_move_in_date_must_lie_ahead_within_half_a_year(store, kb, setup):
    users, now, proposal = setup
    workflow.answer(store, kb, now, users["field_worker"], proposal["id"], "zorg", True)
    workflow.answer(store, kb, now, users["corporation"], proposal["id"], "corporatie", True)
    corporation = users["corporation"]
    for day, told in (
        (date(2026, 1, 4), "Die datum is al voorbij."),
        (
            date(2026, 7, 8),
            "Dat is woensdag 8 juli 2026: meer dan een half jaar vooruit. Typ een datum binnen "
            "een half jaar, of vul de datum later in.",
        ),
    ):
        with pytest.raises(workflow.RetryableError) as refused:
            workflow.set_move_in(store, now, corporation, proposal["id"], day)
        assert str(refused.value) == told
    with pytest.raises(registry.NotAllowedError):
        workflow.set_move_in(store, now, users["field_worker"], proposal["id"], date(2026, 2, 1))
    workflow.set_move_in(store, now, corporation, proposal["id"], date(2026, 1, 5))
    assert due.move_ins(store, now) == 1
    assert due.move_ins(store, now) == 0
    assert store.record("candidates", proposal["candidate_code"])["status"] == "verhuisd"


def _direct(kb: KnowledgeBase) -> KnowledgeBase:
    facts = kb.facts[REGION]
    rules = facts.allocation_rules
    direct = replace(rules, decision=replace(rules.decision, approval="direct"))
    return replace(kb, facts={**kb.facts, REGION: replace(facts, allocation_rules=direct)})


def test_a_region_that_lets_the_bot_propose_gets_the_first_candidate_proposed(store, clock, kb):
    seed_demo(store, kb.regions, clock.now())
    users = {role: store.user(i) for role, i in DEMO_USERS.items()}
    now = clock.now()
    older, newer = (
        registry.register(
            store,
            now - timedelta(days=d),
            users["field_worker"],
            registry.CANDIDATES,
            dict(CANDIDATE_FACTS),
        )["code"]
        for d in (30, 10)
    )
    row = registry.register(
        store, now, users["corporation"], registry.DWELLINGS, dict(HOME), municipality="haarlem"
    )
    said = workflow.offer_dwelling(store, _direct(kb), now, row)
    assert said == f"De bot heeft {older} voorgedragen voor {row['code']}."
    [proposal] = store.open_proposals(dwelling=row["code"])
    assert (proposal["candidate_code"], proposal["proposed_by"]) == (older, None)
    assert [m["chat_id"] for m in store.messages()] == [
        DEMO_USERS["field_worker"],
        DEMO_USERS["corporation"],
    ]
    assert store.record("candidates", newer)["status"] == "aangemeld"


def test_an_older_file_gets_deadlines_and_loses_duplicate_open_proposals(db_path):
    import sqlite_utils

    from bot.storage import Store
    from bot.storage.migrations import MIGRATIONS

    db = sqlite_utils.Database(db_path)
    MIGRATIONS.apply(db, stop_before="m012_decisions")
    for candidate, dwelling, created in (
        ("WT-IZK-0001", "WN-IZK-0001", "2026-01-02T09:00:00+00:00"),  # a Friday
        ("WT-IZK-0001", "WN-IZK-0002", "2026-01-03T09:00:00+00:00"),
        ("WT-IZK-0002", "WN-IZK-0001", "2026-01-04T09:00:00+00:00"),
    ):
        db["proposals"].insert(
            {
                "candidate_code": candidate,
                "dwelling_code": dwelling,
                "region": REGION,
                "status": "open",
                "created_at": created,
            }
        )
    db.close()
    store = Store(db_path)
    assert store.migrate() == [
        "m012_decisions",
        "m013_checkins",
        "m014_checkin_follow_up",
        "m015_signals",
        "m016_omklap",
        "m017_matchpunt_questions",
    ]
    rows = store.region_proposals(REGION)
    assert [(p["status"], p["deadline_at"]) for p in rows] == [
        ("open", "2026-01-09T09:00:00+00:00"),
        ("vervallen", "2026-01-12T09:00:00+00:00"),
        ("vervallen", "2026-01-12T09:00:00+00:00"),
    ]
    assert rows[0]["remind_at"] == "2026-01-05T21:00:00+00:00"
    store.close()


def test_a_candidate_without_a_field_worker_on_the_bot_is_answered_by_the_matchpunt(
    store, clock, kb
):
    seed_demo(store, kb.regions, clock.now())
    users = {role: store.user(i) for role, i in DEMO_USERS.items()}
    now = clock.now()
    [gemeente] = [o for o in store.organisations(REGION) if o.kind == "gemeente"]
    candidate = registry.register(
        store,
        now,
        users["coordinator"],
        registry.CANDIDATES,
        dict(CANDIDATE_FACTS),
        organisation_id=gemeente.id,
    )
    dwelling = registry.register(
        store, now, users["corporation"], registry.DWELLINGS, dict(HOME), municipality="haarlem"
    )
    proposal = workflow.propose(
        store, kb, now, users["coordinator"], candidate["code"], dwelling["code"]
    )
    assert [m["chat_id"] for m in store.messages()] == [
        DEMO_USERS["coordinator"],
        DEMO_USERS["corporation"],
    ]
    workflow.answer(store, kb, now, users["coordinator"], proposal["id"], "zorg", True)
    assert store.proposal(proposal["id"])["care_answer"] == "ja"


def test_send_back_resets_the_side_named_and_gives_it_a_new_deadline(store, kb, setup):
    users, now, proposal = setup
    pid = proposal["id"]
    workflow.answer(store, kb, now, users["field_worker"], pid, "zorg", False, "niet_klaar")
    workflow.answer(store, kb, now, users["corporation"], pid, "corporatie", False, "past_niet")
    later = now + timedelta(days=9)
    assert due.proposal_deadlines(store, later) == 0  # with the matchpunt: not stalled
    workflow.send_back(store, kb, later, users["coordinator"], pid, "Kijk nog eens", "corporatie")
    row = store.proposal(pid)
    assert (row["care_answer"], row["corporation_answer"]) == ("nee", None)
    assert (row["deadline_at"], row["reminded_at"], row["stalled_at"]) == (
        "2026-01-21T08:00:00+00:00",
        None,
        None,
    )
    with pytest.raises(workflow.DecisionError):
        workflow.send_back(store, kb, later, users["coordinator"], pid, "Nog eens", "corporatie")


def test_a_withdrawn_candidate_is_not_proposed_again_for_the_same_home(store, clock, kb):
    seed_demo(store, kb.regions, clock.now())
    users = {role: store.user(i) for role, i in DEMO_USERS.items()}
    now, direct = clock.now(), _direct(kb)
    older, newer = (
        registry.register(
            store,
            now - timedelta(days=d),
            users["field_worker"],
            registry.CANDIDATES,
            dict(CANDIDATE_FACTS),
        )["code"]
        for d in (30, 10)
    )
    row = registry.register(
        store, now, users["corporation"], registry.DWELLINGS, dict(HOME), municipality="haarlem"
    )
    workflow.offer_dwelling(store, direct, now, row)
    [first] = store.open_proposals(dwelling=row["code"])
    workflow.withdraw(store, direct, now, users["coordinator"], first["id"])
    [second] = store.open_proposals(dwelling=row["code"])
    assert (first["candidate_code"], second["candidate_code"]) == (older, newer)


def test_a_support_worker_does_not_see_the_proposed_home(store, kb, setup):
    users, now, proposal = setup
    candidate = store.record("candidates", proposal["candidate_code"])
    lines = workflow.proposed_home_lines(store, kb, users["field_worker"], candidate, now.date())
    assert lines[:2] == [f"Voorgedragen voor: {proposal['dwelling_code']}", "  Gemeente: Haarlem"]
    assert (
        workflow.proposed_home_lines(store, kb, users["support_worker"], candidate, now.date())
        == []
    )


def test_a_home_marked_let_by_hand_moves_its_match_in(store, kb, setup):
    users, now, proposal = setup
    pid = proposal["id"]
    workflow.answer(store, kb, now, users["field_worker"], pid, "zorg", True)
    workflow.answer(store, kb, now, users["corporation"], pid, "corporatie", True)
    workflow.change_status(
        store,
        kb,
        now,
        users["corporation"],
        registry.DWELLINGS,
        proposal["dwelling_code"],
        "verhuurd",
    )
    assert store.record("candidates", proposal["candidate_code"])["status"] == "verhuisd"
    assert store.proposal(pid)["moved_at"] == "2026-01-05T08:00:00+00:00"
    assert due.move_ins(store, now) == 0


def test_a_proposal_sent_back_is_reminded_and_stalls_again(store, kb, setup):
    users, now, proposal = setup
    pid = proposal["id"]
    assert due.proposal_deadlines(store, now + timedelta(days=4)) == 1  # the reminder
    assert due.proposal_deadlines(store, now + timedelta(days=8)) == 1  # the stall
    workflow.answer(store, kb, now + timedelta(days=8), users["field_worker"], pid, "zorg", True)
    later = now + timedelta(days=8)
    workflow.answer(store, kb, later, users["corporation"], pid, "corporatie", False, "past_niet")
    workflow.send_back(store, kb, later, users["coordinator"], pid, "Nog eens", "corporatie")
    before = len(store.messages())
    assert due.proposal_deadlines(store, later + timedelta(days=4)) == 1
    assert due.proposal_deadlines(store, later + timedelta(days=8)) == 1
    new = [m["text"] for m in store.messages()][before:]
    assert [t.split(" ", 1)[0] for t in new] == ["⏰", "⏳"]
