"""Whether a candidate fits a dwelling: each rule of the region file on small hand-made
cases, with the expected lines written out. The rules are the real ones of IJmond en
Zuid-Kennemerland (`knowledge/regions/ijmond-zuid-kennemerland.yaml`)."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import REPO

from bot.knowledge.base import load_knowledge
from bot.knowledge.rules import ELIGIBILITY_RULES
from bot.matching.eligibility import RULES, checks, fits, why_not
from bot.matching.terms import terms_for

KB = load_knowledge(REPO / "knowledge")
TODAY = date(2026, 3, 1)
SUPPORT = "7"
TERMS = terms_for(
    KB, "ijmond-zuid-kennemerland", TODAY, {SUPPORT: "Ambulante Begeleiding Haarlem (voorbeeld)"}
)


def _candidate(**facts):
    base = {
        "municipalities": ["haarlem"],
        "excluded": [],
        "needs": [],
        "rent_limit": "lage_aftoppingsgrens",
    }
    return {"code": "WT-T-0001", "facts": {**base, **facts}}


def _dwelling(municipality="haarlem", **facts):
    base = {"floor": 0, "lift": "nee", "accessible": "nee", "net_rent": 612.5}
    return {"code": "WN-T-0001", "municipality": municipality, "facts": {**base, **facts}}


HAARLEM = "✓ Haarlem is een gewenste gemeente"
LOW_RENT = "✓ huur € 612,50 onder de lage aftoppingsgrens (€ 713,02 in 2026)"


@pytest.mark.parametrize(
    ("candidate", "dwelling", "lines"),
    [
        # gemeente: wanted, or not.
        (_candidate(), _dwelling(), [HAARLEM, LOW_RENT]),
        (
            _candidate(),
            _dwelling("velsen"),
            ["✗ Velsen hoort niet bij de gewenste gemeenten", LOW_RENT],
        ),
        # No wish at all: anywhere in the region, but never where it is excluded (uitgesloten).
        (_candidate(municipalities=[]), _dwelling("velsen"), [LOW_RENT]),
        (
            _candidate(municipalities=[], excluded=["velsen"]),
            _dwelling("velsen"),
            ["✗ Velsen is uitgesloten", LOW_RENT],
        ),
        # huishouden_kamers: at least and at most, by persons (min {1: 1, 2: 2, 3: 3, 4: 3,
        # 5: 4}, max {1: 3, 2: 4}).
        (
            _candidate(household="alleenstaand"),
            _dwelling(rooms=2),
            [HAARLEM, "✓ 1 persoon, 2 kamers", LOW_RENT],
        ),
        (
            _candidate(household="alleenstaand"),
            _dwelling(rooms=5),
            [HAARLEM, "✗ 1 persoon, 5 kamers: te groot, hoogstens 3 kamers", LOW_RENT],
        ),
        (
            _candidate(household="stel"),
            _dwelling(rooms=1),
            [HAARLEM, "✗ 2 personen, 1 kamer: minstens 2 kamers nodig", LOW_RENT],
        ),
        (
            _candidate(household="gezin", children=3),
            _dwelling(rooms=3),
            [HAARLEM, "✓ 4 personen, 3 kamers", LOW_RENT],
        ),
        (
            _candidate(household="gezin", children=5),
            _dwelling(rooms=3),
            [HAARLEM, "✗ 6 personen, 3 kamers: minstens 4 kamers nodig", LOW_RENT],
        ),
        (
            _candidate(household="gezin", children=4),
            _dwelling(rooms=8),
            [HAARLEM, "✓ 5 personen, 8 kamers", LOW_RENT],
        ),
        # verdieping_lift: ground floor or a lift.
        (
            _candidate(needs=["begane_grond_of_lift"]),
            _dwelling(),
            [HAARLEM, "✓ op de begane grond", LOW_RENT],
        ),
        (
            _candidate(needs=["begane_grond_of_lift"]),
            _dwelling(floor=2, lift="ja"),
            [HAARLEM, "✓ verdieping 2, met lift", LOW_RENT],
        ),
        (
            _candidate(needs=["begane_grond_of_lift"]),
            _dwelling(floor=3, lift="nee"),
            [HAARLEM, "✗ begane grond of lift nodig (verdieping 3, geen lift)", LOW_RENT],
        ),
        # toegankelijk: for a wheelchair or rollator.
        (
            _candidate(needs=["toegankelijk"]),
            _dwelling(accessible="ja"),
            [HAARLEM, "✓ toegankelijk voor rolstoel of rollator", LOW_RENT],
        ),
        (
            _candidate(needs=["toegankelijk"]),
            _dwelling(),
            [HAARLEM, "✗ rolstoeltoegankelijke woning nodig (rolstoel/rollator)", LOW_RENT],
        ),
        # huisdieren.
        (
            _candidate(needs=["huisdier"]),
            _dwelling(pets_allowed="ja"),
            [HAARLEM, "✓ huisdier toegestaan", LOW_RENT],
        ),
        (
            _candidate(needs=["huisdier"]),
            _dwelling(pets_allowed="nee"),
            [HAARLEM, "✗ heeft een huisdier; huisdieren niet toegestaan", LOW_RENT],
        ),
        # passend_toewijzen: the limits of the year the home comes free (2026), or the
        # candidate's own maximum.
        (
            _candidate(),
            _dwelling(net_rent=713.03),
            [HAARLEM, "✗ huur € 713,03 boven de lage aftoppingsgrens (€ 713,02 in 2026)"],
        ),
        (
            _candidate(rent_limit="hoge_aftoppingsgrens"),
            _dwelling(net_rent=764.14),
            [HAARLEM, "✓ huur € 764,14 onder de hoge aftoppingsgrens (€ 764,14 in 2026)"],
        ),
        (
            _candidate(rent_limit="liberalisatiegrens"),
            _dwelling(net_rent=950.0, available_from="2027-02-01"),
            # 2027 is not published yet: an earlier year's limit excludes nobody, and says so.
            [
                HAARLEM,
                "– huur € 950,00 niet getoetst: de grenzen van 2027 zijn nog niet bekend "
                "(de liberalisatiegrens in 2026: € 932,93)",
            ],
        ),
        (
            _candidate(rent_limit="liberalisatiegrens"),
            _dwelling(net_rent=900.0, available_from="2027-02-01"),
            [HAARLEM, "✓ huur € 900,00 onder de liberalisatiegrens (€ 932,93 in 2026)"],
        ),
        (
            _candidate(rent_limit="anders", max_rent=650.0),
            _dwelling(net_rent=612.5),
            [HAARLEM, "✓ huur € 612,50 binnen het eigen maximum € 650,00"],
        ),
        (
            _candidate(rent_limit="anders", max_rent=650.0),
            _dwelling(net_rent=1250.0),
            [HAARLEM, "✗ huur € 1.250,00 boven het eigen maximum € 650,00"],
        ),
        # werkgebied: the support organisation's working area (an organisation without one
        # in the rules is not checked).
        (
            _candidate(municipalities=[], support_organisation=SUPPORT),
            _dwelling("heemstede"),
            [
                LOW_RENT,
                "✓ Heemstede ligt in het werkgebied van Ambulante Begeleiding Haarlem (voorbeeld)",
            ],
        ),
        (
            _candidate(municipalities=[], support_organisation=SUPPORT),
            _dwelling("velsen"),
            [
                LOW_RENT,
                "✗ Velsen ligt buiten het werkgebied van Ambulante Begeleiding Haarlem (voorbeeld)",
            ],
        ),
        (_candidate(municipalities=[], support_organisation="99"), _dwelling("velsen"), [LOW_RENT]),
        # A fact the dwelling does not hold is no reason to leave the candidate out.
        (
            _candidate(
                household="stel", needs=["begane_grond_of_lift", "toegankelijk", "huisdier"]
            ),
            {"code": "WN-T-0002", "municipality": "haarlem", "facts": {}},
            [HAARLEM],
        ),
    ],
)
def test_each_rule_says_why(candidate, dwelling, lines):
    assert [c.line for c in checks(candidate, dwelling, TERMS)] == lines
    failing = [line for line in lines if line.startswith("✗")]
    assert why_not(candidate, dwelling, TERMS) == failing
    assert fits(candidate, dwelling, TERMS) is (failing == [])


def test_every_failing_rule_is_named_in_the_region_order():
    candidate = _candidate(
        municipalities=["zandvoort"],
        excluded=["velsen"],
        household="stel",
        needs=["begane_grond_of_lift", "toegankelijk", "huisdier"],
        rent_limit="anders",
        max_rent=500.0,
        support_organisation=SUPPORT,
    )
    dwelling = _dwelling("velsen", rooms=1, floor=4, lift="nee", net_rent=700.0, pets_allowed="nee")
    assert why_not(candidate, dwelling, TERMS) == [
        "✗ Velsen hoort niet bij de gewenste gemeenten",
        "✗ Velsen is uitgesloten",
        "✗ 2 personen, 1 kamer: minstens 2 kamers nodig",
        "✗ begane grond of lift nodig (verdieping 4, geen lift)",
        "✗ rolstoeltoegankelijke woning nodig (rolstoel/rollator)",
        "✗ heeft een huisdier; huisdieren niet toegestaan",
        "✗ huur € 700,00 boven het eigen maximum € 500,00",
        "✗ Velsen ligt buiten het werkgebied van Ambulante Begeleiding Haarlem (voorbeeld)",
    ]
    assert [c.criterion for c in checks(candidate, dwelling, TERMS)] == [
        "gemeente",
        "uitgesloten",
        "huishouden_kamers",
        "verdieping_lift",
        "toegankelijk",
        "huisdieren",
        "passend_toewijzen",
        "werkgebied",
    ]


def test_the_engine_implements_exactly_the_rules_a_region_file_may_name():
    assert (
        sorted(RULES)
        == sorted(ELIGIBILITY_RULES)
        == [
            "gemeente",
            "huisdieren",
            "huishouden_kamers",
            "passend_toewijzen",
            "toegankelijk",
            "uitgesloten",
            "verdieping_lift",
            "werkgebied",
        ]
    )


def _random_pairs(seed: int, n: int):
    import random

    rng = random.Random(seed)
    places = ["haarlem", "velsen", "heemstede", "zandvoort"]
    candidates = [
        {
            "code": f"WT-T-{i:04d}",
            "facts": {
                "municipalities": rng.sample(places, rng.randint(0, 2)),
                "excluded": rng.sample(places, rng.randint(0, 1)),
                "household": rng.choice(["alleenstaand", "stel", "gezin", None, ["stel"]]),
                "children": rng.choice([None, 1, 3, "twee"]),
                "needs": rng.choice(
                    [[], ["huisdier"], ["toegankelijk", "begane_grond_of_lift"], "toegankelijk"]
                ),
                "rent_limit": rng.choice(
                    ["lage_aftoppingsgrens", "liberalisatiegrens", "anders", None]
                ),
                "max_rent": rng.choice([None, 650.0, [1], "veel"]),
                "support_organisation": rng.choice([SUPPORT, "onbekend", {"x": 1}]),
            },
        }
        for i in range(n)
    ]
    dwellings = [
        {
            "code": f"WN-T-{i:04d}",
            "municipality": rng.choice(places),
            "facts": {
                "rooms": rng.choice([None, 1, 2, 5]),
                "floor": rng.choice([None, 0, 3]),
                "lift": rng.choice(["ja", "nee"]),
                "accessible": rng.choice(["ja", "nee", None]),
                "pets_allowed": rng.choice(["ja", "nee"]),
                "net_rent": rng.choice([None, 600.0, 713.02, 900.0, "duur"]),
                "available_from": rng.choice([None, "2026-05-01", "2027-02-01", "morgen"]),
            },
        }
        for i in range(n)
    ]
    return candidates, dwellings


def test_the_fast_paths_say_exactly_what_the_plain_check_says_even_for_odd_facts():
    from bot.matching.eligibility import for_candidate, for_dwelling

    candidates, dwellings = _random_pairs(7, 60)
    for dwelling in dwellings:
        answers = for_dwelling(dwelling, candidates, TERMS)
        assert [found for found, _ in answers] == [checks(c, dwelling, TERMS) for c in candidates]
    for candidate in candidates:
        answers = for_candidate(candidate, dwellings, TERMS)
        assert [failing for _, failing in answers] == [
            why_not(candidate, d, TERMS) for d in dwellings
        ]


def test_the_remembering_fit_says_what_the_plain_check_says_even_for_odd_facts():
    from bot.matching.eligibility import Fits

    candidates, dwellings = _random_pairs(11, 60)
    remembered = Fits(TERMS)
    for candidate in candidates:
        group = repr(sorted(candidate["facts"].items(), key=str))
        for dwelling in dwellings:
            expected = fits(candidate, dwelling, TERMS)
            assert remembered(candidate, dwelling) == expected
            assert remembered(candidate, dwelling, group) == expected
