"""Who stays housed, through the core on a real file: four placements moved in at different
times, two of them ended (teruggevallen after 122 and 242 days, doorgestroomd after 275);
the check-ins answered and missed; a signal open and one closed. The region's figures and
their Dutch lines in /stand are written out."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from helpers import CANDIDATE_FACTS
from test_checkins_chat import HOME

from bot.aftercare import answers, runner, signals
from bot.config import AftercareConfig
from bot.decisions import due, workflow
from bot.demo import DEMO_USERS
from bot.records import registry
from bot.reports import formats, stand
from bot.reports.housed import Horizon

REGION = "ijmond-zuid-kennemerland"
TODAY = datetime.fromisoformat("2026-01-20T10:00:00+01:00")  # a Tuesday
# (moved in, left on, how) per placement.
PLACEMENTS = (
    ("2024-01-10", None, None),
    ("2024-06-03", "2024-10-03", "teruggevallen"),
    ("2025-03-03", "2025-12-03", "doorgestroomd"),
    ("2025-01-02", "2025-09-01", "teruggevallen"),
)


def _placement(store, kb, users, moved: str) -> dict:
    at = datetime.fromisoformat(f"{moved}T10:00:00+01:00")
    candidate = registry.register(
        store,
        at - timedelta(days=60),
        users["field_worker"],
        registry.CANDIDATES,
        {**CANDIDATE_FACTS, "earliest_move": moved},
    )
    dwelling = registry.register(
        store,
        at - timedelta(days=20),
        users["corporation"],
        registry.DWELLINGS,
        {**HOME, "available_from": moved},
        municipality="haarlem",
    )
    proposal = workflow.propose(
        store,
        kb,
        at - timedelta(days=14),
        users["coordinator"],
        candidate["code"],
        dwelling["code"],
    )
    for role, side in (("field_worker", "zorg"), ("corporation", "corporatie")):
        workflow.answer(store, kb, at - timedelta(days=10), users[role], proposal["id"], side, True)
    workflow.set_move_in(
        store,
        at - timedelta(days=10),
        users["corporation"],
        proposal["id"],
        date.fromisoformat(moved),
    )
    due.move_in(store, at, store.proposal(proposal["id"]), "test")
    return store.proposal(proposal["id"])


async def test_the_region_shows_who_stays_housed(shell, kb):
    store = shell.store
    users = {role: store.user(i) for role, i in DEMO_USERS.items()}
    made = [_placement(store, kb, users, moved) for moved, _, _ in PLACEMENTS]
    for proposal, (_, left, how) in zip(made, PLACEMENTS, strict=True):
        if left:
            workflow.change_status(
                store,
                kb,
                datetime.fromisoformat(f"{left}T10:00:00+01:00"),
                users["field_worker"],
                registry.CANDIDATES,
                proposal["candidate_code"],
                how,
                "verhuisd of teruggevallen",
            )
    # Today every check-in of the first placement is asked late; four are answered, one
    # with a concern (a signal left open), one acute (its signal closed); two are missed.
    assert runner.ask_due(store, TODAY, AftercareConfig(), {"haarlem": "Haarlem"}) == 6
    first = store.checkins_of(candidate=made[0]["candidate_code"])
    matchpunt = users["coordinator"]  # no support worker: the matchpunt is asked
    answers.answer(store, TODAY, matchpunt, first[0]["id"], runner.GOOD)
    answers.answer(store, TODAY, matchpunt, first[1]["id"], runner.CONCERN, "huur")
    answers.answer(store, TODAY, matchpunt, first[2]["id"], runner.ACUTE, "overlast")
    answers.answer(store, TODAY, matchpunt, first[3]["id"], runner.GOOD)
    assert runner.close_missed(store, TODAY) == 2
    acute = next(s for s in store.signals_of() if s["kind"] == "acuut")
    signals.close(store, TODAY, users["corporation"], acute["id"], "opgelost")

    report = stand.region_report(store, kb, users["coordinator"], REGION, TODAY)
    care = report.aftercare
    assert (care.placements, care.living_there, care.returned, care.moved_on) == (4, 1, 2, 1)
    assert care.horizons == [
        # months, reached, in the home then, not returned by then
        Horizon(6, 4, 3, 3),
        Horizon(12, 3, 1, 1),
        Horizon(24, 1, 1, 1),
    ]
    assert care.returns == {"0–180": 1, "181–365": 1, "366–730": 0}
    assert (care.checkins_answered, care.checkins_missed) == (4, 2)
    assert (care.signals_open, care.signal_outcomes) == (1, {"opgelost": 1})
    assert formats.aftercare_lines(care) == [
        "Nazorg: 4 verhuisd, 1 wonen er nog (2 teruggevallen, 1 doorgestroomd).",
        "• Na 6 maanden: 3 van 4 (75%) nog in de woning, 3 van 4 (75%) niet teruggevallen.",
        "• Na 12 maanden: 1 van 3 (33%) nog in de woning, 1 van 3 (33%) niet teruggevallen.",
        "• Na 24 maanden: 1 van 1 (100%) nog in de woning, 1 van 1 (100%) niet teruggevallen.",
        "Terugval na de verhuizing (zoals HUD SPM 2 telt): 0–180 dagen: 1 · 181–365 dagen: 1 · "
        "366–730 dagen: 0.",
        "Check-ins: 4 beantwoord, 2 gemist; afgerond 67%.",
        "Signalen: 1 open, 1 afgerond (opgelost 1).",
        "Ter vergelijking: Housing First Nederland: 83% niet opnieuw dakloos, 73% nog in "
        "dezelfde woning; Eindhoven: 97% van de omklaphuurders woont zelfstandig.",
    ]
    rows = formats.as_csv(report).splitlines()
    assert "nazorg,12 maanden,same_home,1" in rows
    assert "terugval,181–365 dagen,count,1" in rows
    assert "checkins,ijmond-zuid-kennemerland,completion_rate,0.667" in rows
    assert stand.as_json(report)["aftercare"]["completion_rate"] == 4 / 6
    # Per placement: still in the home at 6, 12 and 24 months ("" not that long ago yet).
    per = [r for r in rows if r.startswith("plaatsing,")]
    assert [r.split(",", 2)[2] for r in per if ",in_home_" in r] == [
        "in_home_6m,ja", "in_home_12m,ja", "in_home_24m,ja",
        "in_home_6m,nee", "in_home_12m,nee", "in_home_24m,",
        "in_home_6m,ja", "in_home_12m,", "in_home_24m,",
        "in_home_6m,ja", "in_home_12m,nee", "in_home_24m,",
    ]  # fmt: skip
    assert [r for r in per if ",left," in r] == [
        "plaatsing,WT-IZK-0001/WN-IZK-0001,left,",
        "plaatsing,WT-IZK-0002/WN-IZK-0002,left,2024-10-03 teruggevallen",
        "plaatsing,WT-IZK-0003/WN-IZK-0003,left,2025-12-03 doorgestroomd",
        "plaatsing,WT-IZK-0004/WN-IZK-0004,left,2025-09-01 teruggevallen",
    ]
