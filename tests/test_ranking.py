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
from bot.matching.ranking import candidates_for, dwellings_for
from bot.records import registry
from bot.records.registry import CANDIDATES, DWELLINGS

TODAY = date(2026, 3, 1)
NAMES = {"haarlem": "Haarlem", "velsen": "Velsen"}


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


def test_the_longest_waiting_comes_first_and_ties_go_to_the_earlier_registration():
    dwelling = _dwelling("WN-T-0001", "2026-02-20T09:00:00+00:00")
    candidates = [
        _candidate("WT-T-0003", "2026-01-01T12:00:00+00:00"),  # 59 days, registered later
        _candidate("WT-T-0001", "2025-12-01T09:00:00+00:00"),  # 90 days
        _candidate("WT-T-0002", "2026-01-01T08:00:00+00:00"),  # 59 days, registered earlier
        _candidate("WT-T-0004", "2025-01-01T09:00:00+00:00", status="gepauzeerd"),
        _candidate("WT-T-0005", "2025-06-01T09:00:00+00:00", municipalities=["velsen"]),
    ]
    ranked, excluded = candidates_for(dwelling, candidates, TODAY, NAMES)
    assert [(r.code, r.score, r.reasons) for r in ranked] == [
        ("WT-T-0001", 90.0, ["✓ Haarlem is een gewenste gemeente", "wachttijd 90 dagen"]),
        ("WT-T-0002", 59.0, ["✓ Haarlem is een gewenste gemeente", "wachttijd 59 dagen"]),
        ("WT-T-0003", 59.0, ["✓ Haarlem is een gewenste gemeente", "wachttijd 59 dagen"]),
    ]
    # Paused candidates wait for nothing; the others say why not.
    assert [(e.code, e.why_not) for e in excluded] == [
        ("WT-T-0005", ["✗ Haarlem hoort niet bij de gewenste gemeenten"]),
    ]


def test_a_candidate_sees_the_homes_that_fit_the_longest_available_first():
    candidate = _candidate("WT-T-0001", "2025-12-01T09:00:00+00:00", needs=["begane_grond_of_lift"])
    dwellings = [
        _dwelling("WN-T-0001", "2026-02-28T09:00:00+00:00"),
        _dwelling("WN-T-0002", "2026-02-01T09:00:00+00:00", floor=3, lift="ja"),
        _dwelling("WN-T-0003", "2026-01-01T09:00:00+00:00", floor=2, lift="nee"),
        _dwelling("WN-T-0004", "2025-12-01T09:00:00+00:00", status="ingetrokken"),
    ]
    ranked, excluded = dwellings_for(candidate, dwellings, TODAY, NAMES)
    assert [(r.code, r.reasons[-1]) for r in ranked] == [
        ("WN-T-0002", "beschikbaar sinds 28 dagen"),
        ("WN-T-0001", "beschikbaar sinds 1 dag"),
    ]
    assert [(e.code, e.why_not) for e in excluded] == [
        ("WN-T-0003", ["✗ begane grond of lift nodig (verdieping 2, geen lift)"]),
    ]


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
