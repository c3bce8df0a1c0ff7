"""The matchpunt's overview (/stand, `weerthuis report`) on a small hand-made region: the
whole text, the CSV, the JSON and the chart; only the region's coordinators may ask; and
/stand in the chat, whole."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from helpers import CANDIDATE_FACTS, talk

from bot.access.roles import NotAllowedError
from bot.decisions import workflow
from bot.demo import DEMO_USERS, seed_demo
from bot.records import registry
from bot.reports import formats, stand
from bot.reports.chart import as_png

REGION = "ijmond-zuid-kennemerland"
HOME = {
    "neighbourhood": "Aerdenhout",
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
TEXT = """\
📊 Stand IJmond en Zuid-Kennemerland, maandag 5 januari 2026
Quotum: 178 per jaar, verdeeld naar de verdeelsleutel.

Per gemeente (geplaatst + lopend / afgesproken tot nu):
• Beverwijk: 0 + 0 / 98,1 (achter) · 0 wachtend, mediaan — · 0 woningen open
• Heemskerk: 0 + 0 / 89,2 (achter) · 0 wachtend, mediaan — · 0 woningen open
• Velsen: 0 + 0 / 160,5 (achter) · 0 wachtend, mediaan — · 0 woningen open
• Bloemendaal: 1 + 1 / 53,5 (achter) · 2 wachtend, mediaan 15 dagen · 1 woning open, oudste 10 dagen
• Haarlem: 0 + 0 / 383,5 (achter) · 1 wachtend, mediaan 40 dagen · 0 woningen open
• Heemstede: 0 + 0 / 62,4 (achter) · 0 wachtend, mediaan — · 0 woningen open
• Zandvoort: 0 + 0 / 44,6 (achter) · 0 wachtend, mediaan — · 0 woningen open

Wijken (plaatsingen in 12 maanden): 1 aan het plafond
• Aerdenhout (Bloemendaal): 2 van 1 ⚠

Wachtend: 3 kandidaten, mediaan 20 dagen (0 zonder voorkeur voor een gemeente).
Voordrachten open: 1, termijn verstreken: 0; mediaan 2 dagen, oudste 2 dagen.
Redenen van niet akkoord:
• corporatie: Past niet bij de woning: 1

Gezocht (vraag de corporaties om deze woningen):
• Haarlem, Centrum: 1 tot en met 3 kamers · huur hoogstens € 713,02 (de lage aftoppingsgrens)
  voor WT-IZK-0004
• Bloemendaal, Bennebroek: 1 tot en met 3 kamers · huur hoogstens € 713,02 (de lage aftoppingsgrens)
  voor WT-IZK-0001

Nazorg: nog niemand verhuisd."""


@pytest.fixture
def region(store, clock, kb):
    """Three waiting (two for Bloemendaal, one for Haarlem), one placed and one open proposal
    in Aerdenhout (cap 1), one available home, one decline."""
    seed_demo(store, kb.regions, clock.now())
    users = {role: store.user(i) for role, i in DEMO_USERS.items()}
    now = clock.now()
    bloemendaal = {**CANDIDATE_FACTS, "municipalities": ["bloemendaal"]}
    codes = [
        registry.register(
            store, now - timedelta(days=days), users["field_worker"], registry.CANDIDATES, dict(f)
        )["code"]
        for days, f in (
            (10, bloemendaal),
            (20, bloemendaal),
            (30, bloemendaal),
            (40, CANDIDATE_FACTS),
            (50, bloemendaal),
        )
    ]
    homes = [
        registry.register(
            store,
            now - timedelta(days=10),
            users["corporation"],
            registry.DWELLINGS,
            dict(HOME),
            municipality="bloemendaal",
        )["code"]
        for _ in range(3)
    ]
    coordinator = users["coordinator"]
    placed = workflow.propose(store, kb, now - timedelta(days=5), coordinator, codes[4], homes[0])
    for user, side in ((users["field_worker"], "zorg"), (users["corporation"], "corporatie")):
        workflow.answer(store, kb, now - timedelta(days=4), user, placed["id"], side, True)
    declined = workflow.propose(
        store, kb, now - timedelta(days=3), coordinator, codes[2], homes[1], cap_reason="Proef"
    )
    workflow.answer(
        store,
        kb,
        now - timedelta(days=3),
        users["corporation"],
        declined["id"],
        "corporatie",
        False,
        "past_niet",
    )
    workflow.confirm_decline(store, kb, now - timedelta(days=3), coordinator, declined["id"])
    workflow.propose(
        store, kb, now - timedelta(days=2), coordinator, codes[2], homes[2], cap_reason="Proef"
    )
    return users, now


def test_the_overview_as_text(store, kb, region):
    users, now = region
    report = stand.region_report(store, kb, users["coordinator"], REGION, now)
    assert formats.as_text(report) == TEXT


def test_the_overview_as_csv_and_json(store, kb, region):
    _, now = region
    report = stand.region_report(store, kb, None, REGION, now)
    rows = formats.as_csv(report).splitlines()
    assert rows[0] == "onderdeel,onderwerp,cijfer,waarde"
    assert "gemeente,bloemendaal,placed,1" in rows
    assert "gemeente,bloemendaal,in_progress,1" in rows
    assert "gemeente,bloemendaal,median_wait_days,15.0" in rows
    assert "wijk,Bloemendaal/Aerdenhout,cap,1" in rows
    assert "regio,ijmond-zuid-kennemerland,open_proposals,1" in rows
    assert "afwijzing,corporatie: Past niet bij de woning,count,1" in rows
    assert [r for r in rows if r.startswith("gezocht,")] == [
        'gezocht,"Haarlem, Centrum",waiting,1',
        'gezocht,"Bloemendaal, Bennebroek",waiting,1',
    ]
    data = json.loads(json.dumps(stand.as_json(report)))
    assert data["neighbourhoods"] == [
        {"municipality": "Bloemendaal", "name": "Aerdenhout", "count": 2, "cap": 1, "at_cap": True}
    ]
    assert (data["waiting"], data["open_proposals"], data["stalled_proposals"]) == (3, 1, 0)


def test_the_chart_is_a_png(store, kb, region):
    _, now = region
    png = as_png(stand.region_report(store, kb, None, REGION, now))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


@pytest.mark.parametrize("role", ["field_worker", "corporation", "support_worker"])
def test_only_coordinators_may_ask(store, kb, region, role):
    users, now = region
    with pytest.raises(NotAllowedError):
        stand.region_report(store, kb, users[role], REGION, now)


def test_a_coordinator_of_another_region_may_not_ask(store, kb, region):
    users, now = region
    with pytest.raises(NotAllowedError):
        stand.region_report(store, kb, users["coordinator"], "groningen", now)


async def test_stand_in_the_chat(shell):
    out = await talk(shell, ":as coordinator", "/stand")
    empty = [
        *TEXT.split("\n")[:3],
        "Per gemeente (geplaatst + lopend / afgesproken tot nu):",
        *(
            f"• {name}: 0 + 0 / {due} (achter) · 0 wachtend, mediaan — · 0 woningen open"
            for name, due in (
                ("Beverwijk", "98,1"),
                ("Heemskerk", "89,2"),
                ("Velsen", "160,5"),
                ("Bloemendaal", "53,5"),
                ("Haarlem", "383,5"),
                ("Heemstede", "62,4"),
                ("Zandvoort", "44,6"),
            )
        ),
        "",
        "Wijken (plaatsingen in 12 maanden): 0 aan het plafond",
        "",
        "Wachtend: 0 kandidaten, mediaan — (0 zonder voorkeur voor een gemeente).",
        "Voordrachten open: 0, termijn verstreken: 0; mediaan —, oudste —.",
        "Nog geen voordracht afgewezen.",
        "",
        "Gezocht: nu geen woning, niemand wacht op een plaats met ruimte onder het plafond.",
        "",
        "Nazorg: nog niemand verhuisd.",
    ]
    assert out.rstrip("\n").split("\n") == [
        "— je bent nu 1001 coordinator",
        "[→ 1001 coordinator] " + empty[0],
        *empty[1:],
        "[→ 1001 coordinator, foto] Stand IJmond en Zuid-Kennemerland: geplaatst en lopend per "
        "gemeente, en wie wacht",
    ]
    refused = await talk(shell, ":as field_worker", "/stand")
    assert refused == (
        "— je bent nu 1002 field_worker\n"
        "[→ 1002 field_worker] Dat kan ik met jouw rol niet voor je doen. Typ /help om te zien "
        "wat wel kan.\n"
    )


def test_weerthuis_report_outside_the_chat(store, region, db_path, tmp_path):
    import subprocess
    import sys

    from conftest import REPO

    def report(*args):
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", "report", "--db", str(db_path), *args],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=60,
        )

    text = report("--region", REGION)
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("📊 Stand IJmond en Zuid-Kennemerland, ")
    data = json.loads(report("--region", REGION, "--format", "json").stdout)
    assert (data["region"], data["waiting"], data["open_proposals"]) == (REGION, 3, 1)
    rows = report("--region", REGION, "--format", "csv").stdout.splitlines()
    assert rows[0] == "onderdeel,onderwerp,cijfer,waarde"
    chart = tmp_path / "stand.png"
    assert report("--region", REGION, "--format", "png", "--out", str(chart)).returncode == 0
    assert chart.read_bytes()[:4] == b"\x89PNG"
    unknown = report("--region", "atlantis")
    assert (unknown.returncode, unknown.stderr) == (
        2,
        "weerthuis: onbekende regio (unknown region): atlantis\n",
    )
