"""Who comes first for a dwelling, and which homes fit a candidate: hand-made cases with the
expected order and reasons, and `weerthuis match` as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

from conftest import REPO
from helpers import CANDIDATE_FACTS

from bot.demo import DEMO_USERS, seed_demo
from bot.knowledge.base import load_knowledge
from bot.matching.ledger import ledger
from bot.matching.ranking import candidates_for, dwellings_for
from bot.matching.terms import terms_for
from bot.records import registry
from bot.records.registry import CANDIDATES, DWELLINGS

TODAY = date(2026, 3, 1)
KB = load_knowledge(REPO / "knowledge")
REGION = "ijmond-zuid-kennemerland"
TERMS = terms_for(KB, REGION, TODAY, {})
RULES = TERMS.rules
PLACES = ["beverwijk", "heemskerk", "velsen", "bloemendaal", "haarlem", "heemstede", "zandvoort"]
EMPTY = ledger(RULES, PLACES, [], TODAY)


def _counts(**placed: int) -> list[dict]:
    """Placements since the quota began (all of them this year, for short lines)."""
    return [
        {
            "municipality": m,
            "neighbourhood": None,
            "placed": n,
            "placed_this_year": n,
            "placed_recent": n,
            "in_progress": 0,
        }
        for m, n in placed.items()
    ]


# Haarlem far ahead of its 43%, Velsen far behind its 18% (100 placements in all).
LOPSIDED = ledger(
    RULES,
    PLACES,
    _counts(
        haarlem=60, velsen=5, beverwijk=11, heemskerk=10, heemstede=7, bloemendaal=6, zandvoort=1
    ),
    TODAY,
)


def _candidate(code, created, status="aangemeld", **facts):
    base = {"municipalities": ["haarlem"], "needs": [], "rent_limit": "lage_aftoppingsgrens"}
    return {"code": code, "status": status, "created_at": created, "facts": {**base, **facts}}


def _dwelling(code, created, municipality="haarlem", status="beschikbaar", **facts):
    base = {"floor": 0, "lift": "nee", "accessible": "nee", "net_rent": 600.0}
    return {
        "code": code,
        "status": status,
        "created_at": created,
        "municipality": municipality,
        "facts": {**base, **facts},
    }


RENT = "✓ huur € 600,00 onder de lage aftoppingsgrens (€ 713,02 in 2026)"
HAARLEM = "✓ Haarlem is een gewenste gemeente"


def test_the_longest_waiting_comes_first_and_ties_go_to_the_earlier_registration_then_the_code():
    dwelling = _dwelling("WN-T-0001", "2026-02-20T09:00:00+00:00")
    candidates = [
        _candidate("WT-T-0003", "2026-01-01T12:00:00+00:00"),  # 59 days, registered later
        _candidate("WT-T-0001", "2025-12-01T09:00:00+00:00"),  # 90 days
        _candidate("WT-T-0006", "2026-01-01T08:00:00+00:00"),  # 59 days, same moment as 0002
        _candidate("WT-T-0002", "2026-01-01T08:00:00+00:00"),  # 59 days, registered earlier
        _candidate("WT-T-0004", "2025-01-01T09:00:00+00:00", status="gepauzeerd"),
        _candidate("WT-T-0005", "2025-06-01T09:00:00+00:00", municipalities=["velsen"]),
    ]
    ranked, excluded = candidates_for(dwelling, candidates, TERMS, EMPTY)
    line = "Haarlem: 0 van 77 dit jaar"
    assert [(r.code, r.score, r.reasons) for r in ranked] == [
        ("WT-T-0001", 90.0, [HAARLEM, RENT, "wachttijd 90 dagen", line]),
        ("WT-T-0002", 59.0, [HAARLEM, RENT, "wachttijd 59 dagen", line]),
        ("WT-T-0006", 59.0, [HAARLEM, RENT, "wachttijd 59 dagen", line]),
        ("WT-T-0003", 59.0, [HAARLEM, RENT, "wachttijd 59 dagen", line]),
    ]
    # Paused candidates wait for nothing; the others say why not.
    assert [(e.code, e.why_not) for e in excluded] == [
        ("WT-T-0005", ["✗ Haarlem hoort niet bij de gewenste gemeenten"]),
    ]


def test_an_urgent_candidate_counts_as_waiting_the_regions_bonus_longer():
    dwelling = _dwelling("WN-T-0001", "2026-02-20T09:00:00+00:00")
    candidates = [
        _candidate("WT-T-0001", "2025-11-01T09:00:00+00:00"),  # 120 days
        _candidate("WT-T-0002", "2026-01-30T09:00:00+00:00", urgent="ja"),  # 30 + 90 days
        _candidate("WT-T-0003", "2026-02-01T09:00:00+00:00", urgent="ja"),  # 28 + 90 days
    ]
    ranked, _ = candidates_for(dwelling, candidates, TERMS, EMPTY)
    assert [(r.code, r.score, r.reasons[2:4]) for r in ranked] == [
        # Equal scores: the earlier registration first.
        ("WT-T-0001", 120.0, ["wachttijd 120 dagen", "Haarlem: 0 van 77 dit jaar"]),
        ("WT-T-0002", 120.0, ["wachttijd 30 dagen", "urgent: +90 dagen"]),
        ("WT-T-0003", 118.0, ["wachttijd 28 dagen", "urgent: +90 dagen"]),
    ]


def test_the_spread_puts_first_whom_this_municipality_suits_best():
    # Without the ledger the flexible candidate, who waited longest, comes first; with
    # Haarlem ahead and Velsen behind, the one who can only live in Haarlem does: the
    # flexible one can wait for a home in Velsen, which needs it more.
    dwelling = _dwelling("WN-T-0001", "2026-02-20T09:00:00+00:00")
    candidates = [
        _candidate("WT-T-0001", "2025-11-26T09:00:00+00:00", municipalities=["haarlem", "velsen"]),
        _candidate("WT-T-0002", "2025-12-31T09:00:00+00:00"),
    ]
    assert [r.code for r in candidates_for(dwelling, candidates, TERMS, EMPTY)[0]] == [
        "WT-T-0001",
        "WT-T-0002",
    ]
    ranked, _ = candidates_for(dwelling, candidates, TERMS, LOPSIDED)
    assert [(r.code, r.score, r.reasons[2:]) for r in ranked] == [
        ("WT-T-0002", 60.0, ["wachttijd 60 dagen", "Haarlem: 60 van 77 dit jaar"]),
        (
            "WT-T-0001",
            54.2,
            [
                "wachttijd 95 dagen",
                "Haarlem: 60 van 77 dit jaar",
                "spreiding: −41 dagen, want ook Velsen is gewenst en heeft naar verhouding minder plaatsingen",
            ],
        ),
    ]


def test_a_home_in_a_neighbourhood_at_its_cap_is_flagged_on_every_line():
    # Schalkwijk's cap is 30 in twelve months (an override in the region file).
    counts = [
        {
            "municipality": "haarlem",
            "neighbourhood": "schalkwijk",
            "placed": 20,
            "placed_this_year": 15,
            "placed_recent": 29,
            "in_progress": 1,
        },
        {
            "municipality": "haarlem",
            "neighbourhood": "centrum",
            "placed": 3,
            "placed_this_year": 3,
            "placed_recent": 3,
            "in_progress": 0,
        },
    ]
    books = ledger(RULES, PLACES, counts, TODAY)
    assert books.hood("haarlem", "schalkwijk").at_cap
    assert not books.hood("haarlem", "centrum").at_cap  # 3 of 24
    assert books.hood("haarlem", "haarlem-noord").count == 0
    at_cap = _dwelling("WN-T-0001", "2026-02-20T09:00:00+00:00", neighbourhood="schalkwijk")
    candidates = [_candidate("WT-T-0001", "2026-01-30T09:00:00+00:00")]
    ranked, _ = candidates_for(at_cap, candidates, TERMS, books)
    assert ranked[0].reasons == [
        HAARLEM,
        RENT,
        "wachttijd 30 dagen",
        "Haarlem: 18 van 77 dit jaar, 1 lopend",
        "⚠ wijk Schalkwijk zit aan het plafond (30 van 30 in 12 maanden): voordragen alleen met een reden",
    ]
    # For the candidate, a home under its cap comes before one at its cap.
    free = _dwelling("WN-T-0002", "2026-02-25T09:00:00+00:00", neighbourhood="centrum")
    ranked, _ = dwellings_for(candidates[0], [at_cap, free], TERMS, books)
    assert [(r.code, r.score) for r in ranked] == [("WN-T-0002", 4.0), ("WN-T-0001", -356.0)]


def test_a_candidate_sees_the_homes_that_fit_the_best_first():
    candidate = _candidate(
        "WT-T-0001",
        "2025-12-01T09:00:00+00:00",
        municipalities=["haarlem", "velsen"],
        needs=["begane_grond_of_lift"],
    )
    dwellings = [
        _dwelling("WN-T-0001", "2026-02-28T09:00:00+00:00"),
        _dwelling("WN-T-0002", "2026-02-01T09:00:00+00:00", floor=3, lift="ja"),
        _dwelling("WN-T-0003", "2026-01-01T09:00:00+00:00", floor=2, lift="nee"),
        _dwelling("WN-T-0004", "2025-12-01T09:00:00+00:00", status="ingetrokken"),
        _dwelling("WN-T-0005", "2026-02-26T09:00:00+00:00", municipality="velsen"),
    ]
    ranked, excluded = dwellings_for(candidate, dwellings, TERMS, EMPTY)
    assert [(r.code, r.score) for r in ranked] == [
        ("WN-T-0002", 28.0),
        ("WN-T-0005", 3.0),
        ("WN-T-0001", 1.0),
    ]
    assert [(e.code, e.why_not) for e in excluded] == [
        ("WN-T-0003", ["✗ begane grond of lift nodig (verdieping 2, geen lift)"]),
    ]
    # Haarlem far ahead: the home in Velsen, behind on its share, comes first.
    ranked, _ = dwellings_for(candidate, dwellings, TERMS, LOPSIDED)
    assert [(r.code, r.score) for r in ranked] == [
        ("WN-T-0005", 3.0),
        ("WN-T-0002", -12.8),
        ("WN-T-0001", -39.8),
    ]
    assert (
        ranked[-1].reasons[-1]
        == "spreiding: −41 dagen, Haarlem heeft naar verhouding al meer plaatsingen"
    )


def _weerthuis(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "WEERTHUIS_DB")}
    env["WEERTHUIS_CONFIG"] = str(REPO / "config.yaml")
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )


def test_weerthuis_match_prints_the_ranking_as_json(store, regions, clock, db_path):
    seed_demo(store, regions, clock.now())
    field_worker = store.user(DEMO_USERS["field_worker"])
    fits = registry.register(store, clock.now(), field_worker, CANDIDATES, dict(CANDIDATE_FACTS))
    elsewhere = registry.register(
        store,
        clock.now(),
        field_worker,
        CANDIDATES,
        {**CANDIDATE_FACTS, "municipalities": ["velsen"]},
    )
    corporation = store.user(DEMO_USERS["corporation"])
    home = registry.register(
        store, clock.now(), corporation, DWELLINGS, {"rooms": 2}, municipality="haarlem"
    )
    store.close()
    out = _weerthuis("match", "--dwelling", home["code"], "--json", "--db", str(db_path))
    assert (out.returncode, out.stderr) == (0, "")
    found = json.loads(out.stdout)
    assert [(r["code"], r["reasons"][0]) for r in found["ranked"]] == [
        (fits["code"], "✓ Haarlem is een gewenste gemeente")
    ]
    assert found["excluded"] == [
        {"code": elsewhere["code"], "why_not": ["✗ Haarlem hoort niet bij de gewenste gemeenten"]}
    ]
    missing = _weerthuis("match", "--candidate", "WT-IZK-9999", "--db", str(db_path))
    assert missing.returncode == 2
    assert missing.stderr == "weerthuis: onbekende code (unknown code): WT-IZK-9999\n"


def test_the_tie_breaker_follows_the_region_file_order():
    import dataclasses

    prioritisation = dataclasses.replace(RULES.prioritisation, tie_breaker=("code", "aanmelddatum"))
    terms = dataclasses.replace(
        TERMS, rules=dataclasses.replace(RULES, prioritisation=prioritisation)
    )
    dwelling = _dwelling("WN-T-0001", "2026-02-20T09:00:00+00:00")
    candidates = [
        _candidate("WT-T-0002", "2026-01-01T08:00:00+00:00"),
        _candidate("WT-T-0001", "2026-01-01T12:00:00+00:00"),
    ]
    assert [r.code for r in candidates_for(dwelling, candidates, TERMS, EMPTY)[0]] == [
        "WT-T-0002",
        "WT-T-0001",
    ]
    assert [r.code for r in candidates_for(dwelling, candidates, terms, EMPTY)[0]] == [
        "WT-T-0001",
        "WT-T-0002",
    ]


def test_where_no_override_is_allowed_a_home_at_its_cap_is_not_offered():
    import dataclasses

    decision = dataclasses.replace(RULES.decision, cap_override="niet_toegestaan")
    terms = dataclasses.replace(TERMS, rules=dataclasses.replace(RULES, decision=decision))
    counts = [
        {
            "municipality": "haarlem",
            "neighbourhood": "Schalkwijk",
            "placed": 30,
            "placed_this_year": 0,
            "placed_recent": 30,
            "in_progress": 0,
        },
    ]
    books = ledger(RULES, PLACES, counts, TODAY)
    candidate = _candidate("WT-T-0001", "2026-01-30T09:00:00+00:00")
    at_cap = _dwelling("WN-T-0001", "2026-02-20T09:00:00+00:00", neighbourhood="Schalkwijk")
    ranked, excluded = dwellings_for(candidate, [at_cap], terms, books)
    assert (ranked, excluded) == (
        [],
        [
            (
                "WN-T-0001",
                [
                    "⚠ wijk Schalkwijk zit aan het plafond (30 van 30 in 12 maanden): voordragen "
                    "niet toegestaan"
                ],
            )
        ],
    )
