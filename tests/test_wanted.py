"""What the matchpunt asks the corporations for next (`bot.matching.wanted`): where (behind
on its share, a neighbourhood below its cap), what kind of home (one line per rule), and for
whom (the longest waiting whom no open home fits); hand-made cases, and
`weerthuis match --wanted` as a subprocess."""

from __future__ import annotations

import json
from datetime import date

from conftest import REPO
from helpers import CANDIDATE_FACTS
from test_ranking import _weerthuis

from bot.demo import DEMO_USERS, seed_demo
from bot.knowledge.base import load_knowledge, slug
from bot.matching.ledger import ledger
from bot.matching.terms import terms_for
from bot.matching.wanted import wanted_homes
from bot.records import registry
from bot.records.registry import CANDIDATES, DWELLINGS

TODAY = date(2026, 3, 1)
KB = load_knowledge(REPO / "knowledge")
REGION = "ijmond-zuid-kennemerland"
PROVIDER = "Ambulante Begeleiding Haarlem (voorbeeld)"  # works in Zuid-Kennemerland only
TERMS = terms_for(KB, REGION, TODAY, {"7": PROVIDER, "8": "Elders Zorg"})
PLACES = ["beverwijk", "heemskerk", "velsen", "bloemendaal", "haarlem", "heemstede", "zandvoort"]
HOODS = {m: [slug(n) for n in names] for m, names in KB.facts[REGION].neighbourhoods.items()}


def _row(municipality, neighbourhood, placed):
    return {
        "municipality": municipality,
        "neighbourhood": neighbourhood,
        "placed": placed,
        "placed_this_year": placed,
        "placed_recent": placed,
        "in_progress": 0,
    }


# Placed against the key (109 placements): Zandvoort 1 of 5%, Bloemendaal 4 of 6%, Heemstede
# 6 of 7%, Heemskerk 9 of 10%, Velsen 17 of 18% (Driehuis 1, IJmuiden at its cap of 16, the
# other neighbourhoods none), Beverwijk 12 of 11%, Haarlem 60 of 43%: behind first in that order.
BOOKS = ledger(
    TERMS.rules,
    PLACES,
    [
        _row("haarlem", None, 60),
        _row("velsen", "driehuis", 1),
        _row("velsen", "ijmuiden", 16),
        _row("beverwijk", None, 12),
        _row("heemskerk", None, 9),
        _row("heemstede", None, 6),
        _row("bloemendaal", None, 4),
        _row("zandvoort", None, 1),
    ],
    TODAY,
)


def _candidate(code, created, status="aangemeld", **facts):
    base = {
        "municipalities": ["haarlem", "velsen"],
        "household": "alleenstaand",
        "needs": [],
        "rent_limit": "lage_aftoppingsgrens",
    }
    return {"code": code, "status": status, "created_at": created, "facts": {**base, **facts}}


def _dwelling(code, municipality="haarlem", **facts):
    base = {"rooms": 2, "floor": 0, "lift": "nee", "accessible": "nee", "net_rent": 600.0}
    return {
        "code": code,
        "status": "beschikbaar",
        "created_at": "2026-02-20T09:00:00+00:00",
        "municipality": municipality,
        "facts": {**base, **facts},
    }


def _asked(candidates, dwellings=(), **kw):
    return [
        (w.place, w.candidates, w.waiting, list(w.lines))
        for w in wanted_homes(BOOKS, HOODS, candidates, dwellings, TERMS, **kw)
    ]


ONE_PERSON = ["1 tot en met 3 kamers", "huur hoogstens € 713,02 (de lage aftoppingsgrens)"]


def test_behind_on_its_share_first_in_its_emptiest_neighbourhood_below_the_cap():
    waiting = [
        _candidate("WT-T-0001", "2026-01-10T09:00:00+00:00"),
        _candidate("WT-T-0002", "2026-01-05T09:00:00+00:00"),
    ]
    # Each is named for one place only: Haarlem has nobody left to name.
    assert _asked(waiting) == [
        ("Velsen, Santpoort-Noord", ("WT-T-0002", "WT-T-0001"), 2, ONE_PERSON),
        ("Haarlem, Centrum", (), 0, []),
    ]


def test_the_home_says_what_each_rule_asks_of_it():
    couple = _candidate(
        "WT-T-0001",
        "2026-01-01T09:00:00+00:00",
        municipalities=["velsen"],
        household="stel",
        needs=["begane_grond_of_lift", "toegankelijk", "huisdier"],
        rent_limit="hoge_aftoppingsgrens",
    )
    family = _candidate(
        "WT-T-0002",
        "2026-01-01T09:00:00+00:00",
        municipalities=["velsen"],
        household="gezin",
        children=3,
        rent_limit="anders",
        max_rent=650,
    )
    assert _asked([couple])[0][3] == [
        "2 tot en met 4 kamers",
        "begane grond of met lift",
        "toegankelijk voor rolstoel of rollator",
        "huisdieren toegestaan",
        "huur hoogstens € 764,14 (de hoge aftoppingsgrens)",
    ]
    assert _asked([family])[0][3] == [
        "minstens 3 kamers",
        "huur hoogstens € 650,00 (eigen maximum)",
    ]


def test_urgency_counts_as_the_ranking_counts_it():
    # The region's urgency bonus is 90 days: urgent and 30 days beats 100 days.
    waiting = [
        _candidate("WT-T-0001", "2025-11-21T09:00:00+00:00", municipalities=["velsen"]),
        _candidate(
            "WT-T-0002", "2026-01-30T09:00:00+00:00", municipalities=["velsen"], urgent="ja"
        ),
    ]
    assert _asked(waiting)[0][1] == ("WT-T-0002", "WT-T-0001")


def test_an_open_home_is_one_candidates_the_longest_waiting_it_fits():
    waiting = [
        _candidate("WT-T-0001", "2026-01-05T09:00:00+00:00", municipalities=["velsen"]),
        _candidate("WT-T-0002", "2026-01-10T09:00:00+00:00", municipalities=["velsen"]),
        _candidate("WT-T-0003", "2026-01-20T09:00:00+00:00", municipalities=["velsen"]),
    ]
    home = _dwelling("WN-T-0001", "velsen", rooms=2)
    fits_nobody = _dwelling("WN-T-0002", "velsen", rooms=2, net_rent=900.0)
    # The home is 0001's; 0002 and 0003 still wait for one.
    assert _asked(waiting, [home, fits_nobody]) == [
        ("Velsen, Santpoort-Noord", ("WT-T-0002", "WT-T-0003"), 2, ONE_PERSON),
    ]
    # 0001 declined it: the home goes to 0002.
    declined = {("WT-T-0001", "WN-T-0001")}
    assert _asked(waiting, [home], declined=declined) == [
        ("Velsen, Santpoort-Noord", ("WT-T-0001", "WT-T-0003"), 2, ONE_PERSON),
    ]
    # Two homes for the two longest waiting: a home is asked for the third.
    second = _dwelling("WN-T-0003", "velsen", rooms=3)
    assert _asked(waiting, [home, second]) == [
        ("Velsen, Santpoort-Noord", ("WT-T-0003",), 1, ONE_PERSON),
    ]
    # Everyone has one: any home will do.
    third = _dwelling("WN-T-0004", "velsen", rooms=1)
    assert _asked(waiting, [home, second, third]) == [("Velsen, Santpoort-Noord", (), 0, [])]


def test_a_place_with_every_neighbourhood_at_its_cap_is_not_asked_for():
    full = ledger(
        TERMS.rules,
        PLACES,
        [_row("bloemendaal", "aerdenhout", 1)]
        + [_row("bloemendaal", h, 10) for h in ("bennebroek", "bloemendaal-dorp", "overveen")]
        + [_row("bloemendaal", "vogelenzang", 10), _row("haarlem", None, 60)],
        TODAY,
    )
    waiting = [
        _candidate("WT-T-0001", "2026-01-05T09:00:00+00:00", municipalities=["bloemendaal"]),
        _candidate("WT-T-0002", "2026-01-06T09:00:00+00:00", municipalities=["haarlem"]),
    ]
    found = wanted_homes(full, HOODS, waiting, [], TERMS)
    assert [(w.place, w.candidates) for w in found] == [("Haarlem, Centrum", ("WT-T-0002",))]


def test_facts_of_the_wrong_shape_count_as_none():
    odd = _candidate(
        "WT-T-0001",
        "2026-01-05T09:00:00+00:00",
        municipalities="velsen",
        excluded=7,
        needs="huisdier",
        household=["stel"],
        rent_limit={"x": 1},
    )
    # No wish that reads: the whole region; no needs, no household, no limit to describe.
    found = wanted_homes(BOOKS, HOODS, [odd], [_dwelling("WN-T-0001", "velsen")], TERMS)
    assert [(w.place, w.lines) for w in found] == [
        ("Zandvoort, Bentveld", ()),
        ("Bloemendaal, Aerdenhout", ()),
        ("Heemstede, Centrum", ()),
    ]


def test_nobody_waiting_or_all_on_their_way_asks_for_nothing():
    proposed = _candidate("WT-T-0001", "2026-01-05T09:00:00+00:00", status="voorgedragen")
    busy = _candidate("WT-T-0002", "2026-01-05T09:00:00+00:00")
    assert _asked([]) == []
    assert _asked([proposed, busy], busy={"WT-T-0002"}) == []


def test_only_places_someone_could_live_in_the_working_area_and_exclusions():
    local = _candidate(
        "WT-T-0001",
        "2026-01-05T09:00:00+00:00",
        municipalities=[],
        support_organisation="7",
        excluded=["haarlem"],
    )
    assert [place for place, *_ in _asked([local])] == [
        "Zandvoort, Bentveld",
        "Bloemendaal, Aerdenhout",
        "Heemstede, Centrum",
    ]
    elsewhere = {**local, "facts": {**local["facts"], "support_organisation": "8"}}
    assert [place for place, *_ in _asked([elsewhere], limit=7)] == [
        "Zandvoort, Bentveld",
        "Bloemendaal, Aerdenhout",
        "Heemstede, Centrum",
        "Heemskerk, Broekpolder",
        "Velsen, Santpoort-Noord",
        "Beverwijk, Centrum",
    ]


def test_weerthuis_match_wanted(store, regions, clock, db_path):
    seed_demo(store, regions, clock.now())
    store.close()
    empty = _weerthuis("match", "--wanted", REGION, "--db", str(db_path))
    assert (empty.returncode, empty.stdout) == (
        0,
        "Nu geen woning, niemand wacht op een plaats met ruimte onder het plafond.\n",
    )
    from bot.storage import Store

    store = Store(str(db_path))
    field_worker = store.user(DEMO_USERS["field_worker"])
    corporation = store.user(DEMO_USERS["corporation"])
    for place, household in (("zandvoort", "stel"), ("heemstede", "alleenstaand")):
        facts = {**CANDIDATE_FACTS, "municipalities": [place], "household": household}
        registry.register(store, clock.now(), field_worker, CANDIDATES, facts)
        registry.register(
            store, clock.now(), corporation, DWELLINGS, {"rooms": 1}, municipality=place
        )
    store.close()
    text = _weerthuis("match", "--wanted", REGION, "--db", str(db_path))
    assert (text.returncode, text.stderr) == (0, "")
    # Nothing placed yet: the two places are as far behind; the names decide.
    assert text.stdout == (
        "1. Heemstede, Centrum\n"
        "   elke woning (wie hier wacht, heeft al een passende open woning)\n"
        "2. Zandvoort, Bentveld\n"
        "   2 tot en met 4 kamers\n"
        "   huur hoogstens € 713,02 (de lage aftoppingsgrens)\n"
        "   voor WT-IZK-0001\n"
    )
    out = _weerthuis("match", "--wanted", REGION, "--json", "--db", str(db_path))
    assert json.loads(out.stdout) == {
        "wanted": [
            {
                "municipality": "heemstede",
                "neighbourhood": "centrum",
                "place": "Heemstede, Centrum",
                "candidates": [],
                "waiting": 0,
                "home": [],
            },
            {
                "municipality": "zandvoort",
                "neighbourhood": "bentveld",
                "place": "Zandvoort, Bentveld",
                "candidates": ["WT-IZK-0001"],
                "waiting": 1,
                "home": [
                    "2 tot en met 4 kamers",
                    "huur hoogstens € 713,02 (de lage aftoppingsgrens)",
                ],
            },
        ]
    }
    unknown = _weerthuis("match", "--wanted", "atlantis", "--db", str(db_path))
    assert (unknown.returncode, unknown.stderr) == (
        2,
        "weerthuis: onbekende regio (unknown region): atlantis\n",
    )
