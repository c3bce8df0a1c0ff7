"""Whether a candidate fits a dwelling: each criterion on small hand-made cases, with the
expected lines written out."""

from __future__ import annotations

import pytest

from bot.matching.eligibility import checks, fits, why_not

NAMES = {"haarlem": "Haarlem", "velsen": "Velsen", "zandvoort": "Zandvoort"}


def _candidate(**facts):
    base = {
        "municipalities": ["haarlem"],
        "excluded": [],
        "needs": [],
        "rent_limit": "lage_aftoppingsgrens",
    }
    return {"code": "WT-T-0001", "facts": {**base, **facts}}


def _dwelling(municipality="haarlem", **facts):
    base = {"rooms": 2, "floor": 0, "lift": "nee", "accessible": "nee", "net_rent": 612.5}
    return {"code": "WN-T-0001", "municipality": municipality, "facts": {**base, **facts}}


@pytest.mark.parametrize(
    ("candidate", "dwelling", "lines"),
    [
        # The municipality: wanted, or not.
        (_candidate(), _dwelling(), ["✓ Haarlem is een gewenste gemeente"]),
        (_candidate(), _dwelling("velsen"), ["✗ Velsen hoort niet bij de gewenste gemeenten"]),
        # No wish at all: anywhere in the region, but never where it is excluded.
        (_candidate(municipalities=[]), _dwelling("velsen"), []),
        (
            _candidate(municipalities=[], excluded=["velsen"]),
            _dwelling("velsen"),
            ["✗ Velsen is uitgesloten"],
        ),
        # Ground floor or a lift.
        (
            _candidate(needs=["begane_grond_of_lift"]),
            _dwelling(),
            ["✓ Haarlem is een gewenste gemeente", "✓ op de begane grond"],
        ),
        (
            _candidate(needs=["begane_grond_of_lift"]),
            _dwelling(floor=2, lift="ja"),
            ["✓ Haarlem is een gewenste gemeente", "✓ verdieping 2, met lift"],
        ),
        (
            _candidate(needs=["begane_grond_of_lift"]),
            _dwelling(floor=3, lift="nee"),
            [
                "✓ Haarlem is een gewenste gemeente",
                "✗ begane grond of lift nodig (verdieping 3, geen lift)",
            ],
        ),
        # Accessible for a wheelchair or rollator.
        (
            _candidate(needs=["toegankelijk"]),
            _dwelling(accessible="ja"),
            ["✓ Haarlem is een gewenste gemeente", "✓ toegankelijk voor rolstoel of rollator"],
        ),
        (
            _candidate(needs=["toegankelijk"]),
            _dwelling(),
            [
                "✓ Haarlem is een gewenste gemeente",
                "✗ toegankelijke woning nodig (rolstoel/rollator)",
            ],
        ),
        # The candidate's own maximum rent.
        (
            _candidate(rent_limit="anders", max_rent=650.0),
            _dwelling(net_rent=612.5),
            ["✓ Haarlem is een gewenste gemeente", "✓ huur € 612,50, binnen € 650,00"],
        ),
        (
            _candidate(rent_limit="anders", max_rent=650.0),
            _dwelling(net_rent=1250.0),
            [
                "✓ Haarlem is een gewenste gemeente",
                "✗ huur € 1.250,00 boven het maximum € 650,00",
            ],
        ),
        # A fact the dwelling does not hold is no reason to leave the candidate out.
        (
            _candidate(needs=["begane_grond_of_lift", "toegankelijk", "huisdier"]),
            {"code": "WN-T-0002", "municipality": "haarlem", "facts": {}},
            ["✓ Haarlem is een gewenste gemeente"],
        ),
    ],
)
def test_each_criterion_says_why(candidate, dwelling, lines):
    assert [c.line for c in checks(candidate, dwelling, NAMES)] == lines
    failing = [line for line in lines if line.startswith("✗")]
    assert why_not(candidate, dwelling, NAMES) == failing
    assert fits(candidate, dwelling) is (failing == [])


def test_every_failing_criterion_is_named_in_order():
    candidate = _candidate(
        municipalities=["zandvoort"],
        excluded=["velsen"],
        needs=["begane_grond_of_lift", "toegankelijk"],
        rent_limit="anders",
        max_rent=500.0,
    )
    dwelling = _dwelling("velsen", floor=4, lift="nee", net_rent=700.0)
    assert why_not(candidate, dwelling, NAMES) == [
        "✗ Velsen hoort niet bij de gewenste gemeenten",
        "✗ Velsen is uitgesloten",
        "✗ begane grond of lift nodig (verdieping 4, geen lift)",
        "✗ toegankelijke woning nodig (rolstoel/rollator)",
        "✗ huur € 700,00 boven het maximum € 500,00",
    ]
    assert [c.criterion for c in checks(candidate, dwelling)] == [
        "gemeente",
        "uitgesloten",
        "verdieping",
        "toegankelijk",
        "huur",
    ]
