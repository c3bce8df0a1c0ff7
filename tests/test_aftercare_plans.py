"""Plans as data: a region's file may give its own check-in plan and one per
uitstroomprofiel, and the omklap year's months and criteria; `kb check` names every problem
with its line. A candidate moves in with the plan of its profile; a changed plan (a reload)
plans the check-ins still to come anew, after those already asked."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date, timedelta

import pytest
from conftest import REPO
from helpers import CANDIDATE_FACTS
from test_checkins_chat import HOME

from bot.config import DEFAULT_PLAN, CheckinStep
from bot.decisions import due, workflow
from bot.demo import DEMO_USERS
from bot.knowledge.aftercare_rules import AftercareRules
from bot.knowledge.base import check_knowledge
from bot.records import registry

REGION_FILE = "regions/ijmond-zuid-kennemerland.yaml"
BEGELEID = [
    (3, "2026-01-08", "2026-01-10"),
    (10, "2026-01-14", "2026-01-18"),
    (28, "2026-01-30", "2026-02-09"),
    (61, "2026-03-02", "2026-03-17"),
    (122, "2026-04-30", "2026-05-21"),
    (182, "2026-06-26", "2026-07-27"),
    (365, "2026-12-22", "2027-02-04"),
]
DEFAULT = [
    (3, "2026-01-08", "2026-01-10"),
    (14, "2026-01-17", "2026-01-24"),
    (42, "2026-02-11", "2026-02-26"),
    (91, "2026-03-30", "2026-04-20"),
    (182, "2026-06-26", "2026-07-27"),
    (365, "2026-12-22", "2027-02-04"),
]


def _moved_in(shell, kb, profile: str) -> str:
    store, now = shell.store, shell.clock.now()
    users = {role: store.user(i) for role, i in DEMO_USERS.items()}
    candidate = registry.register(
        store,
        now - timedelta(days=30),
        users["field_worker"],
        registry.CANDIDATES,
        {**CANDIDATE_FACTS, "profile": profile},
    )
    dwelling = registry.register(
        store, now, users["corporation"], registry.DWELLINGS, dict(HOME), municipality="haarlem"
    )
    proposal = workflow.propose(
        store, kb, now, users["coordinator"], candidate["code"], dwelling["code"]
    )
    for role, side in (("field_worker", "zorg"), ("corporation", "corporatie")):
        workflow.answer(store, kb, now, users[role], proposal["id"], side, True)
    workflow.set_move_in(store, now, users["corporation"], proposal["id"], date(2026, 1, 5))
    assert due.move_ins(store, now, DEFAULT_PLAN, kb) == 1
    return candidate["code"]


def _plan(store, code) -> list[tuple]:
    return [
        (c["day"], c["opens_on"], c["closes_on"])
        for c in store.checkins_of(candidate=code)
        if c["state"] == "gepland"
    ]


async def test_a_candidate_moves_in_with_the_plan_of_its_profile(shell, kb):
    begeleid = _moved_in(shell, kb, "begeleid")
    zelfstandig = _moved_in(shell, kb, "zelfstandig")
    assert _plan(shell.store, begeleid) == BEGELEID
    assert _plan(shell.store, zelfstandig) == DEFAULT


async def test_a_changed_plan_plans_the_check_ins_to_come_anew(shell, kb):
    from bot.aftercare import answers, runner
    from bot.aftercare.schedule import replan
    from bot.config import AftercareConfig

    store = shell.store
    code = _moved_in(shell, kb, "zelfstandig")
    assert replan(store, kb, DEFAULT_PLAN, shell.clock.now()) == 0
    # The first check-in is asked and answered; then the region's file gets its own plan.
    asked_at = shell.clock.now() + timedelta(days=3)
    assert runner.ask_due(store, asked_at, AftercareConfig(), {"haarlem": "Haarlem"}) == 1
    first = store.checkins_of(candidate=code)[0]
    answers.answer(store, asked_at, store.user(DEMO_USERS["coordinator"]), first["id"], "g")
    region = kb.facts["ijmond-zuid-kennemerland"]
    own = (CheckinStep(3, 0, 2), CheckinStep(7, 1, 2), CheckinStep(30, 3, 7))
    changed = dataclasses.replace(
        kb,
        facts={
            **kb.facts,
            region.region.id: dataclasses.replace(region, aftercare=AftercareRules(plan=own)),
        },
    )
    assert replan(store, changed, DEFAULT_PLAN, asked_at) == 1
    rows = store.checkins_of(candidate=code)
    assert [(c["number"], c["day"], c["state"], c["opens_on"]) for c in rows] == [
        (1, 3, "beantwoord", "2026-01-08"),
        (2, 7, "gepland", "2026-01-11"),
        (3, 30, "gepland", "2026-02-01"),
    ]
    # Planned once: the same plan again changes nothing.
    assert replan(store, changed, DEFAULT_PLAN, asked_at) == 0


def _region_with(tmp_path, section: str):
    root = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", root)
    path = root / REGION_FILE
    text = path.read_text(encoding="utf-8")
    start = text.index("\naftercare:")
    end = text.index("\ndemo_organisations:")
    path.write_text(text[:start] + "\n" + section + text[end:], encoding="utf-8")
    line = text[:start].count("\n") + 2  # the line of "aftercare:"
    return root, line


@pytest.mark.parametrize(
    "section, offset, says",
    [
        (
            "aftercare:\n  profiles:\n    heel_begeleid:\n      - {day: 3}",
            2,
            "aftercare.profiles.heel_begeleid: onbekend uitstroomprofiel (kies uit: begeleid, "
            "beschermd_thuis, zelfstandig)",
        ),
        (
            "aftercare:\n  plan:\n    - {day: 14}\n    - {day: 7}",
            3,
            "aftercare.plan[2]: dagen moeten oplopen (days rise)",
        ),
        (
            "aftercare:\n  plan:\n    - {day: 14, after: 10}\n    - {day: 21, before: 3}",
            3,
            "aftercare.plan[2]: het venster begint voor het vorige sluit (dag 24); twee check-ins "
            "tegelijk vraagt niemand",
        ),
        (
            "aftercare:\n  plan:\n    - {day: 3, before: 3}",
            2,
            "aftercare.plan[1]: before moet kleiner zijn dan day",
        ),
        (
            "aftercare:\n  plan:\n    - {day: 0}",
            2,
            "aftercare.plan[1]: day moet een geheel getal van 1 tot 3650 zijn",
        ),
        (
            "aftercare:\n  omklap:\n    decisions_at_months: [9, 12]\n    flip_at_month: 12",
            2,
            "aftercare.omklap: decisions_at_months zijn maanden van 1 tot 12 (voor flip_at_month)",
        ),
        (
            "aftercare:\n  omklap:\n    besluit: 9",
            2,
            "aftercare.omklap: onbekende sleutel 'besluit' (unknown key)",
        ),
        ("aftercare:\n  plan: []", 1, "aftercare.plan: een lege lijst (an empty plan)"),
        (
            "aftercare:\n  hours: {start: '9 uur', end: '17:00'}",
            1,
            "aftercare.hours: start is een tijd als 09:00",
        ),
        (
            "aftercare:\n  hours: {start: '17:00', end: '09:00'}",
            1,
            "aftercare.hours: start moet voor end liggen",
        ),
    ],
)
def test_kb_check_names_each_problem_of_a_plan_with_its_line(tmp_path, section, offset, says):
    root, line = _region_with(tmp_path, section)
    assert check_knowledge(root) == [f"{REGION_FILE}:{line + offset}: {says}"]


def test_the_example_profiles_are_the_forms_own():
    from bot.forms.candidate import PROFILES
    from bot.knowledge.base import EXAMPLE_PROFILE_IDS

    assert tuple(p.value for p in PROFILES) == EXAMPLE_PROFILE_IDS


async def test_a_region_with_its_own_hours_is_asked_within_them(shell, kb):
    from datetime import datetime, time

    from bot.aftercare import runner
    from bot.config import AftercareConfig

    code = _moved_in(shell, kb, "zelfstandig")
    store = shell.store
    own = {"ijmond-zuid-kennemerland": (time(10, 30), time(15, 0))}
    names = {"haarlem": "Haarlem"}
    nine = datetime.fromisoformat("2026-01-08T09:00:00+01:00")
    assert runner.ask_due(store, nine, AftercareConfig(), names, own) == 0
    later = datetime.fromisoformat("2026-01-08T10:30:00+01:00")
    assert runner.ask_due(store, later, AftercareConfig(), names, own) == 1
    assert store.checkins_of(candidate=code)[0]["asked_at"] == "2026-01-08T09:30:00+00:00"
