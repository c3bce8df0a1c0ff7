"""Exports people can open: the Dutch CSV (`;`, UTF-8 with BOM, Dutch headings and labels,
names, local dates, decimal commas) and the machine form for scripts (`csv-plain`), from the
core, the command line and /export in the chat."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from conftest import REPO
from helpers import talk

from bot.access.roles import NotAllowedError
from bot.demo import DEMO_USERS, seed_demo
from bot.knowledge.base import load_knowledge
from bot.records import registry
from bot.records.export import export_csv, export_region, plain_csv
from bot.records.registry import CANDIDATES, DWELLINGS

REGION = "ijmond-zuid-kennemerland"
BOM = b"\xef\xbb\xbf"

CANDIDATES_CSV = "\ufeff" + (
    "Code;Status;Aangemeld op;Laatst gewijzigd;Gemeenten;Uitgesloten gemeenten;Huishouden;"
    "Kinderen;Begeleiding;Uitstroomprofiel;Woonwensen;Huurgrens;Maximale huur;Verhuizen vanaf;"
    "Knelpunten;Urgentie;Begeleidende organisatie;Woonbegeleider;Aangemeld door\r\n"
    "WT-IZK-0001;aangemeld;05-01-2026;05-01-2026;Haarlem, Heemstede;Velsen;Met kind(eren);2;"
    "Intensieve ambulante begeleiding;Zelfstandig (voorbeeld);"
    "Huisdier, Toegankelijk (rolstoel/rollator);Een eigen maximum (bedrag);612,50;01-03-2026;"
    "geen;Ja;Ambulante Begeleiding Haarlem (voorbeeld);"
    "Sanne (Ambulante Begeleiding Haarlem (voorbeeld));"
    "Zorgaanbieder Kennemerland (voorbeeld)\r\n"
    "WT-IZK-0002;gepauzeerd;06-01-2026;20-01-2026;Velsen;;Alleenstaand;;"
    "Lichte ambulante begeleiding;Begeleid zelfstandig (voorbeeld);geen;"
    "Tot de lage aftoppingsgrens (€ 713,02);;01-02-2026;Huurschuld, Eerder overlast;Nee;"
    "Nog niet bekend;;Zorgaanbieder Kennemerland (voorbeeld)\r\n"
)
CANDIDATES_PLAIN = (
    "code,status,created_at,updated_at,bottlenecks,children,earliest_move,excluded,household,"
    "max_rent,municipalities,needs,profile,rent_limit,support,support_organisation,"
    "support_worker,urgent\n"
    "WT-IZK-0001,aangemeld,2026-01-05T08:00:00+00:00,2026-01-05T08:00:00+00:00,,2,2026-03-01,"
    "velsen,gezin,612.5,haarlem;heemstede,huisdier;toegankelijk,zelfstandig,anders,intensief,4,"
    "1004,ja\n"
    "WT-IZK-0002,gepauzeerd,2026-01-05T23:30:00+00:00,2026-01-20T09:00:00+00:00,"
    "huurschuld;overlast_verleden,,2026-02-01,,alleenstaand,,velsen,,begeleid,"
    "lage_aftoppingsgrens,licht,onbekend,,nee\n"
)
DWELLINGS_CSV = "\ufeff" + (
    "Code;Status;Aangemeld op;Laatst gewijzigd;Gemeente;Wijk;Soort woning;Kamers;Verdieping;"
    "Lift;Toegankelijk;Huisdieren;Kale huur;Servicekosten;Beschikbaar vanaf;Omklapwoning;"
    "Corporatie;Contactpersoon\r\n"
    "WN-IZK-0001;beschikbaar;05-01-2026;05-01-2026;Haarlem;Schalkwijk;Appartement;3;2;Ja;Nee;"
    "Ja;612,50;35,25;01-02-2026;Nee;Woonopmaat;Inge (Woonopmaat)\r\n"
    "WN-IZK-0002;beschikbaar;06-01-2026;06-01-2026;Velsen;;Eengezinswoning;5;begane grond;;Ja;"
    "Nee;1250,00;0,00;15-03-2026;Ja;Woonopmaat;Inge (Woonopmaat)\r\n"
)
DWELLINGS_PLAIN = (
    "code,status,municipality,created_at,updated_at,accessible,available_from,contact,floor,"
    "lift,neighbourhood,net_rent,omklap,pets_allowed,rooms,service_costs,type\n"
    "WN-IZK-0001,beschikbaar,haarlem,2026-01-05T08:00:00+00:00,2026-01-05T08:00:00+00:00,nee,"
    "2026-02-01,1003,2,ja,Schalkwijk,612.5,nee,ja,3,35.25,appartement\n"
    "WN-IZK-0002,beschikbaar,velsen,2026-01-05T23:30:00+00:00,2026-01-05T23:30:00+00:00,ja,"
    "2026-03-15,1003,0,,,1250.0,ja,nee,5,0.0,eengezinswoning\n"
)


def _fixed_records(store, regions, clock) -> None:
    """Two candidates and two dwellings of the demo region; the second of each registered at
    00:30 Dutch time, which is still the day before in UTC."""
    seed_demo(store, regions, clock.now())
    field_worker = store.user(DEMO_USERS["field_worker"])
    corporation = store.user(DEMO_USERS["corporation"])
    support_worker = store.user(DEMO_USERS["support_worker"])
    registry.register(
        store,
        clock.now(),
        field_worker,
        CANDIDATES,
        {
            "municipalities": ["haarlem", "heemstede"],
            "excluded": ["velsen"],
            "household": "gezin",
            "children": 2,
            "support": "intensief",
            "profile": "zelfstandig",
            "needs": ["huisdier", "toegankelijk"],
            "rent_limit": "anders",
            "max_rent": 612.5,
            "earliest_move": "2026-03-01",
            "bottlenecks": [],
            "urgent": "ja",
            "support_organisation": str(support_worker.organisation_id),
            "support_worker": str(support_worker.telegram_id),
            "note": "Zoekt rust, =HYPERLINK(niet exporteren)",
        },
        support_organisation_id=support_worker.organisation_id,
        support_worker_id=support_worker.telegram_id,
    )
    registry.register(
        store,
        clock.now(),
        corporation,
        DWELLINGS,
        {
            "neighbourhood": "Schalkwijk",
            "type": "appartement",
            "rooms": 3,
            "floor": 2,
            "lift": "ja",
            "accessible": "nee",
            "pets_allowed": "ja",
            "net_rent": 612.5,
            "service_costs": 35.25,
            "available_from": "2026-02-01",
            "omklap": "nee",
            "contact": str(corporation.telegram_id),
        },
        municipality="haarlem",
        street_address="Dorpsstraat 1",
    )
    clock.advance(timedelta(hours=15, minutes=30))  # 06-01-2026 00:30 in Amsterdam
    second = registry.register(
        store,
        clock.now(),
        field_worker,
        CANDIDATES,
        {
            "municipalities": ["velsen"],
            "household": "alleenstaand",
            "support": "licht",
            "profile": "begeleid",
            "needs": [],
            "rent_limit": "lage_aftoppingsgrens",
            "earliest_move": "2026-02-01",
            "bottlenecks": ["huurschuld", "overlast_verleden"],
            "urgent": "nee",
            "support_organisation": "onbekend",
            "note": None,
        },
    )["code"]
    registry.register(
        store,
        clock.now(),
        corporation,
        DWELLINGS,
        {
            "type": "eengezinswoning",
            "rooms": 5,
            "floor": 0,
            "accessible": "ja",
            "pets_allowed": "nee",
            "net_rent": 1250.0,
            "service_costs": 0.0,
            "available_from": "2026-03-15",
            "omklap": "ja",
            "contact": str(corporation.telegram_id),
        },
        municipality="velsen",
        street_address="Kerkplein 9",
    )
    clock.advance(timedelta(days=14, hours=9, minutes=30))  # 20-01-2026 10:00
    registry.transition(
        store, clock.now(), field_worker, CANDIDATES, second, "gepauzeerd", "opname"
    )


def _export(store, regions, clock, kind, fmt="csv") -> bytes:
    kb = load_knowledge(REPO / "knowledge")
    rows = store.records(kind, REGION)
    return export_csv(store, kb, REGION, kind, rows, clock.now(), fmt)


def test_the_dutch_csv_of_fixed_records(store, regions, clock):
    _fixed_records(store, regions, clock)
    assert _export(store, regions, clock, "candidates").decode("utf-8") == CANDIDATES_CSV
    assert _export(store, regions, clock, "dwellings").decode("utf-8") == DWELLINGS_CSV


def test_the_plain_csv_of_fixed_records(store, regions, clock):
    _fixed_records(store, regions, clock)
    assert _export(store, regions, clock, "candidates", "csv-plain").decode() == CANDIDATES_PLAIN
    assert _export(store, regions, clock, "dwellings", "csv-plain").decode() == DWELLINGS_PLAIN
    assert plain_csv(store.records("candidates", REGION), "candidates") == CANDIDATES_PLAIN


def test_dutch_excel_reads_it_with_a_bom_and_semicolons(store, regions, clock):
    _fixed_records(store, regions, clock)
    for kind in ("candidates", "dwellings"):
        data = _export(store, regions, clock, kind)
        assert data.startswith(BOM) and not data.startswith(BOM * 2)
        text = data.decode("utf-8-sig")
        assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
        assert len(table) == 3 and len({len(line) for line in table}) == 1
        assert table[0][:4] == ["Code", "Status", "Aangemeld op", "Laatst gewijzigd"]
    # Never the note, never a street address, in either form.
    for kind in ("candidates", "dwellings"):
        for fmt in ("csv", "csv-plain"):
            data = _export(store, regions, clock, kind, fmt)
            for secret in (b"Zoekt rust", b"HYPERLINK", b"Dorpsstraat", b"Kerkplein", b"note"):
                assert secret not in data, (kind, fmt, secret)


def test_cells_that_look_like_formulas_are_defused(store, regions, clock):
    seed_demo(store, regions, clock.now())
    field_worker = store.user(DEMO_USERS["field_worker"])
    corporation = store.user(DEMO_USERS["corporation"])
    registry.register(
        store,
        clock.now(),
        field_worker,
        CANDIDATES,
        {
            "municipalities": ["=cmd|' /C calc'!A0"],
            "household": "+1",
            "support": "-1",
            "profile": "@SUM(A1)",
        },
    )
    registry.register(
        store,
        clock.now(),
        corporation,
        DWELLINGS,
        {"neighbourhood": '=HYPERLINK("http://x")', "type": "\t=1"},
        municipality="haarlem",
    )
    candidates = _export(store, regions, clock, "candidates").decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(candidates, newline=""), delimiter=";"))
    assert (row["Gemeenten"], row["Huishouden"], row["Begeleiding"], row["Uitstroomprofiel"]) == (
        "'=cmd|' /C calc'!A0",
        "'+1",
        "'-1",
        "'@SUM(A1)",
    )
    dwellings = _export(store, regions, clock, "dwellings").decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(dwellings, newline=""), delimiter=";"))
    assert (row["Wijk"], row["Soort woning"]) == ('\'=HYPERLINK("http://x")', "'\t=1")
    plain = _export(store, regions, clock, "candidates", "csv-plain").decode()
    row = next(csv.DictReader(io.StringIO(plain, newline="")))
    assert (row["municipalities"], row["household"], row["support"], row["profile"]) == (
        "'=cmd|' /C calc'!A0",
        "'+1",
        "'-1",
        "'@SUM(A1)",
    )


def _weerthuis(*args: str, db) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env.update({"WEERTHUIS_CONFIG": str(REPO / "config.yaml"), "WEERTHUIS_DB": str(db)})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )


def test_the_command_prints_both_forms(store, regions, clock, db_path):
    _fixed_records(store, regions, clock)
    store.close()
    dutch = _weerthuis("export", "candidates", "--region", REGION, db=db_path)
    assert (dutch.returncode, dutch.stderr) == (0, b"")
    assert dutch.stdout == CANDIDATES_CSV.encode("utf-8")
    named = _weerthuis("export", "dwellings", "--region", REGION, "--format", "csv", db=db_path)
    assert named.stdout == DWELLINGS_CSV.encode("utf-8")
    plain = _weerthuis(
        "export", "dwellings", "--region", REGION, "--format", "csv-plain", db=db_path
    )
    assert (plain.returncode, plain.stdout) == (0, DWELLINGS_PLAIN.encode())
    wrong = _weerthuis("export", "dwellings", "--region", REGION, "--format", "xlsx", db=db_path)
    assert wrong.returncode == 2 and b"csv-plain" in wrong.stderr


def test_the_command_without_a_database_creates_none(tmp_path):
    missing = tmp_path / "nergens" / "weerthuis.sqlite3"
    result = _weerthuis("export", "candidates", "--region", REGION, db=missing)
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode() == (
        f"weerthuis: geen database gevonden (no database found): {missing}; geef het pad op "
        "met --db, WEERTHUIS_DB of database in de config\n"
    )
    assert not missing.exists() and not missing.parent.exists()


async def test_export_in_the_chat_sends_the_dutch_files(shell):
    field_worker = shell.store.user(DEMO_USERS["field_worker"])
    corporation = shell.store.user(DEMO_USERS["corporation"])
    registry.register(
        shell.store,
        shell.clock.now(),
        field_worker,
        CANDIDATES,
        {"municipalities": ["zandvoort"], "household": "stel", "max_rent": 700.0, "note": "geheim"},
    )
    registry.register(
        shell.store,
        shell.clock.now(),
        corporation,
        DWELLINGS,
        {"net_rent": 612.5, "contact": "1003"},
        municipality="haarlem",
        street_address="Dorpsstraat 1",
    )
    sent = await talk(shell, ":as coordinator", "/export")
    assert "document kandidaten-ijmond-zuid-kennemerland.csv] 1 kandidaat" in sent
    assert "document woningen-ijmond-zuid-kennemerland.csv] 1 woning" in sent
    files = {name: content for (_, name, content) in shell.api.documents}
    assert files["kandidaten-ijmond-zuid-kennemerland.csv"].decode("utf-8") == (
        "\ufeffCode;Status;Aangemeld op;Laatst gewijzigd;Gemeenten;Uitgesloten gemeenten;"
        "Huishouden;Kinderen;Begeleiding;Uitstroomprofiel;Woonwensen;Huurgrens;Maximale huur;"
        "Verhuizen vanaf;Knelpunten;Urgentie;Begeleidende organisatie;Woonbegeleider;"
        "Aangemeld door\r\n"
        "WT-IZK-0001;aangemeld;05-01-2026;05-01-2026;Zandvoort;;Stel;;;;;;700,00;;;;;;"
        "Zorgaanbieder Kennemerland (voorbeeld)\r\n"
    )
    assert files["woningen-ijmond-zuid-kennemerland.csv"].decode("utf-8") == (
        "\ufeffCode;Status;Aangemeld op;Laatst gewijzigd;Gemeente;Wijk;Soort woning;Kamers;"
        "Verdieping;Lift;Toegankelijk;Huisdieren;Kale huur;Servicekosten;Beschikbaar vanaf;"
        "Omklapwoning;Corporatie;Contactpersoon\r\n"
        "WN-IZK-0001;beschikbaar;05-01-2026;05-01-2026;Haarlem;;;;;;;;612,50;;;;Woonopmaat;"
        "Inge (Woonopmaat)\r\n"
    )
    [exported] = [e for e in shell.store.audit_entries() if e["action"] == "export"][:1]
    assert exported["actor"] == str(DEMO_USERS["coordinator"])


def test_only_a_coordinator_exports_and_each_export_is_audited(store, regions, clock):
    seed_demo(store, regions, clock.now())
    kb = load_knowledge(REPO / "knowledge")
    for role in ("field_worker", "corporation", "support_worker"):
        with pytest.raises(NotAllowedError):
            export_region(store, kb, clock.now(), store.user(DEMO_USERS[role]), "candidates")
    coordinator = store.user(DEMO_USERS["coordinator"])
    data, count = export_region(store, kb, clock.now(), coordinator, "dwellings")
    assert count == 0 and data.startswith("\ufeff".encode())
    [entry] = [e for e in store.audit_entries() if e["action"] == "export"]
    assert (entry["actor"], entry["record_type"], entry["record_id"]) == (
        str(DEMO_USERS["coordinator"]),
        "dwellings",
        "ijmond-zuid-kennemerland",
    )
