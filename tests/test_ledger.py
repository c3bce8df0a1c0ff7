"""The quota ledger: counted from the placements in a real SQLite file, through the core,
and the same after withdrawals, erasures and a restart; the neighbourhood cap refuses a
proposal without a reason and audits one with a reason."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.demo import DEMO_USERS, seed_demo
from bot.matching import matchpunt
from bot.matching.ledger import ledger
from bot.privacy import erasure
from bot.records import registry
from bot.records.registry import CANDIDATES, DWELLINGS
from bot.storage import Store

REGION = "ijmond-zuid-kennemerland"
FACTS = {
    "municipalities": ["haarlem", "velsen"],
    "household": "alleenstaand",
    "support": "regulier",
    "profile": "zelfstandig",
    "needs": [],
    "rent_limit": "lage_aftoppingsgrens",
    "earliest_move": "2026-02-01",
    "bottlenecks": [],
    "urgent": "nee",
    "support_organisation": "onbekend",
}


def _home(municipality: str, neighbourhood: str) -> dict:
    return {
        "neighbourhood": neighbourhood,
        "type": "appartement",
        "rooms": 2,
        "floor": 0,
        "accessible": "nee",
        "pets_allowed": "ja",
        "net_rent": 600.0,
    }


def _line(books, municipality: str) -> tuple:
    place = books.places[municipality]
    return (place.placed, place.placed_this_year, place.in_progress, place.state)


@pytest.fixture
def world(store, regions, clock):
    seed_demo(store, regions, clock.now())
    users = {role: store.user(i) for role, i in DEMO_USERS.items()}
    return store, users


def _register(store, now, users, n: int, municipality: str, hood: str):
    facts = {**FACTS, "municipalities": [municipality, "velsen"]}
    candidates = [
        registry.register(store, now, users["field_worker"], CANDIDATES, dict(facts))["code"]
        for _ in range(n)
    ]
    homes = [
        registry.register(
            store,
            now,
            users["corporation"],
            DWELLINGS,
            _home(municipality, hood),
            municipality=municipality,
        )["code"]
        for _ in range(n)
    ]
    return candidates, homes


def test_the_ledger_counts_placements_and_proposals_and_survives_withdrawal_erasure_restart(
    world, kb, clock, config
):
    store, users = world
    now = clock.now()
    today = now.date()
    coordinator = users["coordinator"]
    candidates, homes = _register(store, now, users, 4, "haarlem", "schalkwijk")
    for c, d in zip(candidates, homes, strict=True):
        matchpunt.propose(store, kb, now, coordinator, c, d)
    matchpunt.place(store, now, coordinator, candidates[0], homes[0])
    matchpunt.place(store, now, coordinator, candidates[1], homes[1])
    books = matchpunt.region_ledger(store, kb, REGION, today)
    assert _line(books, "haarlem") == (2, 2, 2, "achter")
    assert (books.placed, books.in_progress) == (2, 2)
    hood = books.hood("haarlem", "schalkwijk")
    assert (hood.placed_recent, hood.in_progress, hood.cap, hood.at_cap) == (2, 2, 30, False)

    # A withdrawn dwelling and a withdrawn candidate take their proposals out of progress.
    registry.transition(
        store, now, users["corporation"], DWELLINGS, homes[2], "ingetrokken", "verkocht"
    )
    registry.transition(
        store, now, users["field_worker"], CANDIDATES, candidates[3], "teruggetrokken", "elders"
    )
    assert store.record("dwellings", homes[3])["status"] == "beschikbaar"
    books = matchpunt.region_ledger(store, kb, REGION, today)
    assert _line(books, "haarlem") == (2, 2, 0, "achter")
    # Erasing a placed candidate keeps the placement: the home was let all the same.
    erasure.erase_candidate(store, now, candidates[0])
    books = matchpunt.region_ledger(store, kb, REGION, today)
    assert _line(books, "haarlem") == (2, 2, 0, "achter")
    # A restart reads the same file and counts the same.
    store.close()
    again = Store(config.database)
    try:
        books = matchpunt.region_ledger(again, kb, REGION, today)
        assert _line(books, "haarlem") == (2, 2, 0, "achter")
        # Next year the placements count for the period, not for "this year".
        next_year = matchpunt.region_ledger(again, kb, REGION, date(today.year + 1, 2, 1))
        assert _line(next_year, "haarlem") == (2, 0, 0, "achter")
    finally:
        again.close()


def test_agreed_to_date_behind_and_ahead_from_the_key():
    # 178 a year from 2021-01-01, Haarlem 43%: by 2026-01-01 (five years, 1826 days) about
    # 382.6 are due to Haarlem.
    from conftest import REPO

    from bot.knowledge.base import load_knowledge

    rules = load_knowledge(REPO / "knowledge").facts[REGION].allocation_rules
    counts = [
        {
            "municipality": "haarlem",
            "neighbourhood": None,
            "placed": 390,
            "placed_this_year": 0,
            "placed_recent": 0,
            "in_progress": 3,
        },
        {
            "municipality": "velsen",
            "neighbourhood": None,
            "placed": 100,
            "placed_this_year": 0,
            "placed_recent": 0,
            "in_progress": 0,
        },
    ]
    books = ledger(rules, ["haarlem", "velsen"], counts, date(2026, 1, 1))
    haarlem, velsen = books.places["haarlem"], books.places["velsen"]
    assert round(haarlem.due_to_date, 1) == 382.6
    assert round(haarlem.agreed_this_year, 2) == 76.54
    assert (round(haarlem.balance, 1), haarlem.state) == (10.4, "voor")
    assert (round(velsen.due_to_date, 1), velsen.state) == (160.2, "achter")


def test_a_home_in_a_neighbourhood_at_its_cap_needs_a_reason_and_the_override_is_audited(
    world, kb, clock
):
    store, users = world
    now = clock.now()
    coordinator = users["coordinator"]
    # A neighbourhood of Zandvoort has the region's default cap: 10 in twelve months.
    candidates, homes = _register(store, now, users, 11, "zandvoort", "zandvoort-noord")
    for c, d in zip(candidates[:10], homes[:10], strict=True):
        matchpunt.propose(store, kb, now, coordinator, c, d)
        matchpunt.place(store, now, coordinator, c, d)
    with pytest.raises(matchpunt.CapReachedError) as refused:
        matchpunt.propose(store, kb, now, coordinator, candidates[10], homes[10])
    assert refused.value.line == (
        "⚠ wijk Zandvoort-Noord zit aan het plafond (10 van 10 in 12 maanden): voordragen alleen met een reden"
    )
    assert refused.value.allowed is True
    assert store.record("candidates", candidates[10])["status"] == "aangemeld"
    with pytest.raises(registry.InvalidRecordError):
        matchpunt.propose(
            store, kb, now, coordinator, candidates[10], homes[10], cap_reason="bel 0612345678"
        )
    matchpunt.propose(
        store,
        kb,
        now + timedelta(minutes=1),
        coordinator,
        candidates[10],
        homes[10],
        cap_reason="enige woning met lift in de buurt van de begeleiding",
    )
    override = [
        e for e in store.audit_entries() if e["action"] == "voordracht.plafond_overschreden"
    ]
    # The audit log says that, and by whom; the reason is on the proposal, which goes with
    # the candidate's data export and erasure.
    assert [(e["actor"], e["record_id"], e["detail"]) for e in override] == [
        ("1001", homes[10], '{"kandidaat": "' + candidates[10] + '"}')
    ]
    exported = erasure.export_candidate(store, now, candidates[10])
    assert [(p["dwelling_code"], p["status"], p["cap_reason"]) for p in exported["proposals"]] == [
        (homes[10], "open", "enige woning met lift in de buurt van de begeleiding")
    ]
    erasure.erase_candidate(store, now, candidates[10])
    everything = str(list(store.db["audit_log"].rows)) + str(list(store.db["proposals"].rows))
    assert "enige woning met lift" not in everything


def test_only_a_coordinator_may_rank_propose_or_place(world, kb, clock):
    store, users = world
    now = clock.now()
    candidates, homes = _register(store, now, users, 1, "haarlem", "centrum")
    for role in ("field_worker", "corporation", "support_worker"):
        with pytest.raises(registry.NotAllowedError):
            matchpunt.candidates_for(store, kb, users[role], homes[0], now.date())
        with pytest.raises(registry.NotAllowedError):
            matchpunt.propose(store, kb, now, users[role], candidates[0], homes[0])
    matchpunt.propose(store, kb, now, users["coordinator"], candidates[0], homes[0])
    with pytest.raises(registry.NotAllowedError):
        matchpunt.place(store, now, users["corporation"], candidates[0], homes[0])
    assert store.record("dwellings", homes[0])["placed_at"] is None


def test_a_cap_counts_the_last_twelve_months_not_the_calendar_year(world, kb, clock):
    store, users = world
    now = clock.now()
    coordinator = users["coordinator"]
    candidates, homes = _register(store, now - timedelta(days=500), users, 3, "haarlem", "centrum")
    for days, c, d in zip((400, 300, 10), candidates, homes, strict=True):
        moment = now - timedelta(days=days)
        matchpunt.propose(store, kb, moment, coordinator, c, d)
        matchpunt.place(store, moment, coordinator, c, d)
    hood = matchpunt.region_ledger(store, kb, REGION, now.date()).hood("haarlem", "centrum")
    # 400 days ago is out of the window; 300 and 10 days ago are in, across 1 January.
    assert (hood.placed_recent, hood.count, hood.cap) == (2, 2, 24)
    later = matchpunt.region_ledger(store, kb, REGION, now.date() + timedelta(days=70))
    assert later.hood("haarlem", "centrum").placed_recent == 1


def test_where_the_region_allows_no_override_a_capped_home_is_refused_even_with_a_reason(
    world, kb, clock
):
    import dataclasses

    store, users = world
    now = clock.now()
    facts = kb.facts[REGION]
    rules = facts.allocation_rules
    strict = dataclasses.replace(
        rules, decision=dataclasses.replace(rules.decision, cap_override="niet_toegestaan")
    )
    strict_kb = dataclasses.replace(
        kb, facts={**kb.facts, REGION: dataclasses.replace(facts, allocation_rules=strict)}
    )
    candidates, homes = _register(store, now, users, 2, "bloemendaal", "aerdenhout")
    matchpunt.propose(store, strict_kb, now, users["coordinator"], candidates[0], homes[0])
    with pytest.raises(matchpunt.CapReachedError) as refused:
        matchpunt.propose(
            store, strict_kb, now, users["coordinator"], candidates[1], homes[1], cap_reason="nodig"
        )
    assert refused.value.allowed is False
    assert refused.value.line.endswith("(1 van 1 in 12 maanden): voordragen niet toegestaan")
    assert store.record("dwellings", homes[1])["status"] == "beschikbaar"


def test_an_older_file_counts_the_homes_it_had_assigned(db_path, kb):
    import sqlite_utils

    from bot.storage.migrations import MIGRATIONS

    db = sqlite_utils.Database(db_path)
    MIGRATIONS.apply(db, stop_before="m010_placements")
    org = (
        db["organisations"]
        .insert({"name": "Woonopmaat", "kind": "corporatie", "region": REGION, "created_at": "t"})
        .last_pk
    )
    for code, status in (("WN-IZK-0001", "toegewezen"), ("WN-IZK-0002", "verhuurd")):
        db["dwellings"].insert(
            {
                "code": code,
                "region": REGION,
                "organisation_id": org,
                "created_by": 0,
                "municipality": "haarlem",
                "status": status,
                "facts": '{"neighbourhood": "Schalkwijk"}',
                "created_at": "2026-01-02T09:00:00+00:00",
                "updated_at": "2026-02-01T09:00:00+00:00",
            }
        )
    db["audit_log"].insert(
        {
            "at": "2026-01-20T10:00:00+00:00",
            "actor": "1001",
            "action": "woning.status",
            "record_type": "woning",
            "record_id": "WN-IZK-0001",
            "detail": '{"from": "voorgedragen", "to": "toegewezen"}',
        }
    )
    db.close()
    store = Store(db_path)
    assert store.migrate() == [
        "m010_placements",
        "m011_outbox",
        "m012_decisions",
        "m013_checkins",
        "m014_checkin_follow_up",
        "m015_signals",
        "m016_omklap",
        "m017_matchpunt_questions",
    ]
    # When the audit log saw it assigned, else its last change.
    assert [r["placed_at"] for r in store.records("dwellings", REGION)] == [
        "2026-01-20T10:00:00+00:00",
        "2026-02-01T09:00:00+00:00",
    ]
    books = matchpunt.region_ledger(store, kb, REGION, date(2026, 3, 1))
    assert _line(books, "haarlem")[:3] == (2, 2, 0)
    assert books.hood("haarlem", "Schalkwijk").placed_recent == 2
    store.close()


def test_a_proposed_home_without_an_open_proposal_is_in_nobodys_progress(world, kb, clock):
    store, users = world
    now = clock.now()
    candidates, homes = _register(store, now, users, 2, "haarlem", "centrum")
    matchpunt.propose(store, kb, now, users["coordinator"], candidates[0], homes[0])
    # As an import brings it: the status without the proposal behind it.
    store.update_record("dwellings", homes[1], {"status": "voorgedragen"})
    books = matchpunt.region_ledger(store, kb, REGION, now.date())
    assert books.places["haarlem"].in_progress == 1


def test_the_year_and_the_twelve_months_begin_at_local_midnight(world, kb, clock):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    store, users = world
    amsterdam = ZoneInfo("Europe/Amsterdam")
    candidates, homes = _register(store, clock.now(), users, 1, "haarlem", "centrum")
    # 00:30 on 1 January in Amsterdam is still 31 December in UTC.
    new_year = datetime(2026, 1, 1, 0, 30, tzinfo=amsterdam)
    matchpunt.propose(store, kb, new_year, users["coordinator"], candidates[0], homes[0])
    matchpunt.place(store, new_year, users["coordinator"], candidates[0], homes[0])
    assert store.record("dwellings", homes[0])["placed_at"] == "2025-12-31T23:30:00+00:00"
    books = matchpunt.region_ledger(store, kb, REGION, datetime(2026, 1, 2, 9, tzinfo=amsterdam))
    assert books.places["haarlem"].placed_this_year == 1
