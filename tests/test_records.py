"""Candidates and dwellings in the core: pseudonymous codes, who sees what, lifecycles, audit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.access.roles import NotAllowedError
from bot.demo import DEMO_REGION, DEMO_USERS, seed_demo
from bot.forms.engine import FormContext, Option
from bot.records import registry
from bot.records.cards import LINE_LENGTH, list_line
from bot.records.lifecycle import IllegalTransitionError
from bot.records.registry import CANDIDATES, DWELLINGS, InvalidRecordError, PersonalDataError
from bot.storage import NotFoundError

FACTS = {"municipalities": ["haarlem"], "household": "alleenstaand", "support": "regulier"}


@pytest.fixture
def people(store, regions, clock):
    seed_demo(store, regions, clock.now())
    users = {role: store.user(telegram_id) for role, telegram_id in DEMO_USERS.items()}
    # Someone of another organisation in the same region, and a coordinator elsewhere.
    other_org = store.add_organisation(
        "Zorg Elders (voorbeeld)", "zorgaanbieder", DEMO_REGION, clock.now()
    )
    users["other_field_worker"] = store.add_user(
        2002, "field_worker", other_org.id, DEMO_REGION, clock.now()
    )
    mg = store.add_organisation(
        "Gemeente Midden-Groningen", "gemeente", "midden-groningen", clock.now()
    )
    users["other_region_coordinator"] = store.add_user(
        3003, "coordinator", mg.id, "midden-groningen", clock.now()
    )
    return users


def test_codes_are_pseudonymous_and_never_reused(store, clock, people):
    first = registry.register(store, clock.now(), people["field_worker"], CANDIDATES, FACTS)
    second = registry.register(store, clock.now(), people["field_worker"], CANDIDATES, FACTS)
    assert (first["code"], second["code"]) == ("WT-IZK-0001", "WT-IZK-0002")
    assert first["status"] == "aangemeld" and first["region"] == DEMO_REGION
    dwelling = registry.register(
        store, clock.now(), people["corporation"], DWELLINGS, {"rooms": 2}, municipality="haarlem"
    )
    assert dwelling["code"] == "WN-IZK-0001" and dwelling["status"] == "beschikbaar"


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("coordinator", True),
        ("field_worker", True),
        ("other_field_worker", False),
        ("corporation", False),
        ("support_worker", True),  # assigned below
        ("other_region_coordinator", False),
    ],
)
def test_who_sees_a_candidate(store, clock, people, who, sees):
    candidate = registry.register(
        store,
        clock.now(),
        people["field_worker"],
        CANDIDATES,
        FACTS,
        support_organisation_id=people["support_worker"].organisation_id,
        support_worker_id=people["support_worker"].telegram_id,
    )
    user = people[who]
    listed = [r["code"] for r in registry.listing(store, user, CANDIDATES)]
    assert (candidate["code"] in listed) is sees
    if sees:
        assert (
            registry.read(store, clock.now(), user, CANDIDATES, candidate["code"])["code"]
            == candidate["code"]
        )
    else:
        with pytest.raises(NotFoundError):
            registry.read(store, clock.now(), user, CANDIDATES, candidate["code"])


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("coordinator", True),
        ("corporation", True),
        ("field_worker", False),
        ("support_worker", False),
        ("other_region_coordinator", False),
    ],
)
def test_who_sees_a_dwelling(store, clock, people, who, sees):
    dwelling = registry.register(
        store, clock.now(), people["corporation"], DWELLINGS, {"rooms": 2}, municipality="haarlem"
    )
    assert (
        dwelling["code"] in [r["code"] for r in registry.listing(store, people[who], DWELLINGS)]
    ) is sees


def test_registering_needs_the_right_role(store, clock, people):
    with pytest.raises(NotAllowedError):
        registry.register(store, clock.now(), people["corporation"], CANDIDATES, FACTS)
    with pytest.raises(NotAllowedError):
        registry.register(
            store, clock.now(), people["field_worker"], DWELLINGS, {}, municipality="haarlem"
        )
    assert store.count("candidates") == store.count("dwellings") == 0


def test_changes_and_transitions_are_checked_and_audited(store, clock, people):
    code = registry.register(store, clock.now(), people["field_worker"], CANDIDATES, FACTS)["code"]
    with pytest.raises(NotFoundError):
        registry.change_facts(
            store, clock.now(), people["other_field_worker"], CANDIDATES, code, {"support": "licht"}
        )
    with pytest.raises(IllegalTransitionError):
        registry.transition(
            store, clock.now(), people["field_worker"], CANDIDATES, code, "verhuisd"
        )
    with pytest.raises(InvalidRecordError, match="reden"):
        registry.transition(
            store, clock.now(), people["field_worker"], CANDIDATES, code, "teruggetrokken"
        )
    with pytest.raises(PersonalDataError, match="telefoonnummer"):
        registry.transition(
            store,
            clock.now(),
            people["field_worker"],
            CANDIDATES,
            code,
            "gepauzeerd",
            "bel 0612345678",
        )
    assert store.record("candidates", code)["status"] == "aangemeld"
    clock.advance(timedelta(hours=1))
    registry.change_facts(
        store, clock.now(), people["field_worker"], CANDIDATES, code, {"support": "licht"}
    )
    paused = registry.transition(
        store, clock.now(), people["coordinator"], CANDIDATES, code, "gepauzeerd", "opname"
    )
    assert (paused["status"], paused["status_reason"], paused["facts"]["support"]) == (
        "gepauzeerd",
        "opname",
        "licht",
    )
    actions = [(e["actor"], e["action"]) for e in store.audit_entries(record_id=code)]
    assert actions == [
        ("1002", "kandidaat.create"),
        ("1002", "kandidaat.change"),
        ("1001", "kandidaat.status"),
    ]
    assert all("opname" not in (e["detail"] or "") for e in store.audit_entries(record_id=code))


def test_support_workers_read_but_do_not_change(store, clock, people):
    code = registry.register(
        store,
        clock.now(),
        people["field_worker"],
        CANDIDATES,
        FACTS,
        support_organisation_id=people["support_worker"].organisation_id,
        support_worker_id=people["support_worker"].telegram_id,
    )["code"]
    assert registry.read(store, clock.now(), people["support_worker"], CANDIDATES, code)
    with pytest.raises(NotAllowedError):
        registry.change_facts(
            store, clock.now(), people["support_worker"], CANDIDATES, code, {"support": "licht"}
        )


@pytest.mark.parametrize(
    "code",
    ["", "WT-IZK-1", "'; DROP TABLE candidates;--", "WT-IZK-0001" + "9" * 100, "wt-izk-0001"],
)
def test_malformed_codes_are_simply_not_found(store, clock, people, code):
    with pytest.raises(NotFoundError):
        registry.read(store, clock.now(), people["coordinator"], CANDIDATES, code)


def test_notes_with_personal_data_are_refused(store, clock, people):
    with pytest.raises(PersonalDataError, match="BSN"):
        registry.register(
            store,
            clock.now(),
            people["field_worker"],
            CANDIDATES,
            {**FACTS, "note": "bsn 111222333"},
        )
    assert store.count("candidates") == 0


def test_saving_the_same_draft_twice_gives_the_first_record(store, clock, regions):
    users = seed_demo(store, regions, clock.now())
    user = store.user(users["field_worker"])
    facts = {"municipalities": ["haarlem"], "household": "alleenstaand"}
    first = registry.register(store, clock.now(), user, registry.CANDIDATES, facts, draft_id="d1")
    again = registry.register(store, clock.now(), user, registry.CANDIDATES, facts, draft_id="d1")
    other = registry.register(store, clock.now(), user, registry.CANDIDATES, facts, draft_id="d2")
    assert (first["code"], again["code"], other["code"]) == (
        "WT-IZK-0001",
        "WT-IZK-0001",
        "WT-IZK-0002",
    )
    assert [e["action"] for e in store.audit_entries(record_id="WT-IZK-0001")] == [
        "kandidaat.create"
    ]


def test_the_waiting_list_puts_the_longest_waiting_first(store, clock, people):
    coordinator = people["coordinator"]
    register = registry.register
    first = register(store, clock.now(), people["field_worker"], CANDIDATES, FACTS)["code"]
    clock.advance(timedelta(days=100))
    second = register(store, clock.now(), people["field_worker"], CANDIDATES, FACTS)["code"]
    third = register(store, clock.now(), people["field_worker"], CANDIDATES, FACTS)["code"]
    today = (clock.now() + timedelta(days=1)).date()
    codes = [r["code"] for r in registry.waiting_list(store, coordinator, CANDIDATES, today)]
    assert codes == [first, second, third]
    long_waiting = registry.waiting_list(store, coordinator, CANDIDATES, today, waiting_at_least=90)
    assert [r["code"] for r in long_waiting] == [first]
    elsewhere = registry.waiting_list(store, coordinator, CANDIDATES, today, municipality="velsen")
    assert elsewhere == []


def test_the_people_a_record_names_must_fit_it(store, clock, people):
    support_worker = people["support_worker"]
    elsewhere = store.add_organisation(
        "Begeleiding Elders (voorbeeld)", "zorgaanbieder", DEMO_REGION, clock.now()
    )
    with pytest.raises(InvalidRecordError, match="woonbegeleider werkt niet bij"):
        registry.register(
            store,
            clock.now(),
            people["field_worker"],
            CANDIDATES,
            FACTS,
            support_organisation_id=elsewhere.id,
            support_worker_id=support_worker.telegram_id,
        )
    other_corporation = store.add_organisation("Pré Wonen", "corporatie", DEMO_REGION, clock.now())
    with pytest.raises(InvalidRecordError, match="contactpersoon werkt niet bij"):
        registry.register(
            store,
            clock.now(),
            people["coordinator"],
            DWELLINGS,
            {"rooms": 2, "contact": str(people["corporation"].telegram_id)},
            municipality="haarlem",
            organisation_id=other_corporation.id,
        )
    # Nobody of Pré Wonen uses the bot yet: the matchpunt itself may be the contact.
    registry.register(
        store,
        clock.now(),
        people["coordinator"],
        DWELLINGS,
        {"rooms": 2, "contact": str(people["coordinator"].telegram_id)},
        municipality="haarlem",
        organisation_id=other_corporation.id,
    )
    assert store.count("candidates") == 0 and store.count("dwellings") == 1


def test_a_list_line_fits_a_button_and_always_shows_the_waiting_time():
    names = ("Haarlem", "Heemstede", "Bloemendaal", "Zandvoort", "Velsen")
    ctx = FormContext("r", tuple(Option(n.lower(), n) for n in names), {}, date(2026, 1, 5))
    row = {
        "code": "WT-IZK-0004",
        "status": "voorgedragen",
        "created_at": "2025-09-09T08:00:00+00:00",
        "facts": {"municipalities": [n.lower() for n in names]},
    }
    assert (
        list_line(row, "candidates", ctx) == "WT-IZK-0004 · voorgedragen · Haarlem +4 · 118 dagen"
    )
    row["status"] = "aangemeld"
    assert list_line(row, "candidates", ctx) == (
        "WT-IZK-0004 · aangemeld · Haarlem, Heemstede +3 · 118 dagen"
    )
    row["facts"]["municipalities"] = ["haarlem"]
    assert list_line(row, "candidates", ctx) == "WT-IZK-0004 · aangemeld · Haarlem · 118 dagen"
    long = FormContext("r", (Option("x", "X" * 80),), {}, date(2026, 1, 5))
    row["facts"]["municipalities"] = ["x"]
    line = list_line(row, "candidates", long)
    assert len(line) == LINE_LENGTH and line.endswith("X… · 118 dagen")
