"""`weerthuis import`: a csv-plain export read back into a database, all or nothing, every
problem named with its line and column. Through the real command line (`bot.cli.main`) on
real SQLite files: a source with the demo records, a target with only the demo region's
organisations and users (the same ids)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
from conftest import REPO

from bot.cli import main
from bot.demo import DEMO_USERS, seed_demo, seed_demo_records
from bot.knowledge.base import load_knowledge
from bot.localapi.shell import SCRIPTED_START
from bot.privacy import erasure
from bot.records import registry
from bot.records.export import export_csv
from bot.records.importer import MAX_BYTES, MAX_ROWS
from bot.records.registry import CANDIDATES
from bot.storage import Store

REGION = "ijmond-zuid-kennemerland"
CANDIDATE_FACTS = (
    "bottlenecks",
    "earliest_move",
    "excluded",
    "household",
    "municipalities",
    "needs",
    "profile",
    "rent_limit",
    "support",
    "support_organisation",
    "support_worker",
)
MATCHPUNT = "Regionaal Matchpunt IJmond en Zuid-Kennemerland (voorbeeld)"
START = datetime.fromisoformat(SCRIPTED_START)


def _database(path: Path, *, records: bool) -> Path:
    store = Store(path)
    store.migrate()
    kb = load_knowledge(REPO / "knowledge")
    seed_demo(store, kb.regions, START)
    if records:
        # The records without the soft landing's placements: they would only renumber the
        # lines the cases below name (the import reads records, never placements).
        seed_demo_records(store, kb, START, aftercare=False)
    store.close()
    return path


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return _database(tmp_path / "bron.sqlite3", records=True)


@pytest.fixture
def target(tmp_path: Path, monkeypatch) -> Path:
    path = _database(tmp_path / "doel.sqlite3", records=False)
    monkeypatch.setenv("WEERTHUIS_DB", str(path))
    return path


def weerthuis(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--config", str(REPO / "config.yaml"), *args])
    out, err = capsys.readouterr()
    return code, out, err


def export(capsys, monkeypatch, db: Path, kind: str) -> str:
    monkeypatch.setenv("WEERTHUIS_DB", str(db))
    code, out, err = weerthuis(capsys, "export", kind, "--region", REGION, "--format", "csv-plain")
    assert (code, err) == (0, "")
    return out


def import_file(capsys, kind: str, path: Path, *more: str) -> tuple[int, str, str]:
    return weerthuis(capsys, "import", kind, str(path), "--region", REGION, *more)


def edit(text: str, line: int, column: str, value: str) -> str:
    """`text` (a CSV) with the cell of `column` on `line` (the header is line 1) set."""
    table = list(csv.reader(io.StringIO(text, newline="")))
    table[line - 1][table[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    return out.getvalue()


def records(db: Path, kind: str) -> list[dict]:
    store = Store(db)
    try:
        return store.records(kind, REGION)
    finally:
        store.close()


def audit(db: Path) -> list[dict]:
    store = Store(db)
    try:
        return store.audit_entries()
    finally:
        store.close()


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, str]:
    """The demo records as csv-plain text (what `weerthuis export` prints), made once."""
    db = _database(tmp_path_factory.mktemp("bron") / "bron.sqlite3", records=True)
    store = Store(db)
    kb = load_knowledge(REPO / "knowledge")
    try:
        return {
            kind: export_csv(
                store, kb, REGION, kind, store.records(kind, REGION), START, "csv-plain"
            ).decode("utf-8")
            for kind in ("candidates", "dwellings")
        }
    finally:
        store.close()


@pytest.fixture
def files(exported, target: Path, tmp_path: Path) -> dict[str, Path]:
    """The demo records as csv-plain files, to import into the target database."""
    found = {}
    for kind, text in exported.items():
        found[kind] = tmp_path / f"{kind}.csv"
        found[kind].write_text(text, encoding="utf-8")
    return found


# --- a round trip ----------------------------------------------------------------------------


def test_an_export_imports_into_a_fresh_database_and_exports_the_same(
    source, target, tmp_path, capsys, monkeypatch
):
    files = {}
    for kind in ("candidates", "dwellings"):
        files[kind] = tmp_path / f"{kind}.csv"
        files[kind].write_text(export(capsys, monkeypatch, source, kind), encoding="utf-8")
    monkeypatch.setenv("WEERTHUIS_DB", str(target))
    code, out, err = import_file(capsys, "candidates", files["candidates"])
    assert (code, out, err) == (
        0,
        f"14 kandidaten geïmporteerd in {REGION}, beheerd door {MATCHPUNT}\n",
        "",
    )
    code, out, err = import_file(capsys, "dwellings", files["dwellings"], "--db", str(target))
    assert (code, out, err) == (
        0,
        f"9 woningen geïmporteerd in {REGION}, beheerd door Woonopmaat\n",
        "",
    )
    for kind in ("candidates", "dwellings"):
        again = export(capsys, monkeypatch, target, kind)
        assert again == files[kind].read_text(encoding="utf-8")
    # Facts, statuses and timestamps as they were (waiting time counts for ranking).
    first = records(target, "candidates")[0]
    assert {k: first[k] for k in ("code", "status", "created_at", "updated_at")} == {
        "code": "WT-IZK-0001",
        "status": "voorgedragen",
        "created_at": "2025-06-07T08:00:00+00:00",
        "updated_at": "2025-12-30T08:00:00+00:00",
    }
    # (The keys the forms have today; all facts are compared with the source below.)
    assert {k: v for k, v in first["facts"].items() if k in CANDIDATE_FACTS} == {
        "bottlenecks": ["huurschuld"],
        "earliest_move": "2025-06-07",
        "excluded": [],
        "household": "alleenstaand",
        "municipalities": ["haarlem", "heemstede"],
        "needs": [],
        "profile": "zelfstandig",
        "rent_limit": "lage_aftoppingsgrens",
        "support": "regulier",
        "support_organisation": "4",
        "support_worker": "1004",
    }
    assert (first["support_organisation_id"], first["support_worker_id"]) == (4, 1004)
    assert (first["organisation_id"], first["created_by"], first["draft_id"]) == (1, 0, None)
    home = records(target, "dwellings")[0]
    assert (home["code"], home["municipality"], home["street_address"]) == (
        "WN-IZK-0001",
        "haarlem",
        None,
    )
    assert home["facts"]["neighbourhood"] == "Schalkwijk"  # kept by name, as the form does
    # Every fact but the note, which no export holds.
    for kind in ("candidates", "dwellings"):
        assert [r["facts"] for r in records(target, kind)] == [
            {k: v for k, v in r["facts"].items() if k != "note"} for r in records(source, kind)
        ]


def test_each_creation_is_audited_with_the_command_line_as_actor(files, target, capsys):
    import_file(capsys, "dwellings", files["dwellings"])
    lines = [(e["actor"], e["action"], e["record_id"], e["detail"]) for e in audit(target)]
    # In the file's order: by registration (the demo's matchpunt cases came in later).
    assert lines[-10:] == [
        ("cli", "woning.create", f"WN-IZK-000{n}", '{"import": true}')
        for n in (1, 2, 3, 4, 7, 5, 9, 8, 6)
    ] + [("cli", "import", REGION, '{"organisation": 3, "rows": 9}')]


def test_a_registration_after_the_import_takes_the_next_free_code(files, target, capsys):
    import_file(capsys, "candidates", files["candidates"])
    store = Store(target)
    field_worker = store.user(DEMO_USERS["field_worker"])
    new = registry.register(store, START, field_worker, CANDIDATES, {"household": "stel"})
    store.close()
    assert new["code"] == "WT-IZK-0015"


def test_importing_the_same_file_twice_imports_nothing_the_second_time(files, target, capsys):
    assert import_file(capsys, "dwellings", files["dwellings"])[0] == 0
    code, out, err = import_file(capsys, "dwellings", files["dwellings"])
    assert (code, out) == (2, "")
    assert err == (
        "regel 2, kolom code: WN-IZK-0001 bestaat al in de database\n"
        "regel 3, kolom code: WN-IZK-0002 bestaat al in de database\n"
        "regel 4, kolom code: WN-IZK-0003 bestaat al in de database\n"
        "regel 5, kolom code: WN-IZK-0004 bestaat al in de database\n"
        "regel 6, kolom code: WN-IZK-0007 bestaat al in de database\n"
        "regel 7, kolom code: WN-IZK-0005 bestaat al in de database\n"
        "regel 8, kolom code: WN-IZK-0009 bestaat al in de database\n"
        "regel 9, kolom code: WN-IZK-0008 bestaat al in de database\n"
        "regel 10, kolom code: WN-IZK-0006 bestaat al in de database\n"
        "alle codes bestaan al: is dit bestand al geïmporteerd?\n"
        f"weerthuis: niets geïmporteerd uit {files['dwellings']}: 9 problemen\n"
    )
    assert len(records(target, "dwellings")) == 9


def test_the_code_of_an_erased_candidate_is_never_given_again(files, target, capsys, tmp_path):
    import_file(capsys, "candidates", files["candidates"])
    store = Store(target)
    erasure.erase_candidate(store, START, "WT-IZK-0003")
    store.close()
    lines = files["candidates"].read_text(encoding="utf-8").splitlines(keepends=True)
    only = tmp_path / "alleen-0003.csv"
    only.write_text(lines[0] + lines[3], encoding="utf-8")
    code, out, err = import_file(capsys, "candidates", only)
    assert (code, out) == (2, "")
    assert err == (
        "regel 2, kolom code: WT-IZK-0003 is in deze database al eens uitgegeven (en gewist?); "
        "een code wordt nooit opnieuw gebruikt\n"
        f"alle codes bestaan al: is dit bestand al geïmporteerd?\n"
        f"weerthuis: niets geïmporteerd uit {only}: 1 probleem\n"
    )


# --- one bad cell imports nothing ---------------------------------------------------------------

CANDIDATE_CELLS = [
    (
        3,
        "household",
        "eenpersoons",
        "regel 3, kolom household: die keuze bestaat niet; kies uit: alleenstaand, stel, gezin",
    ),
    (
        2,
        "municipalities",
        "haarlem;amsterdam",
        "regel 2, kolom municipalities: keuze 2 bestaat niet; kies uit: beverwijk, heemskerk, "
        "velsen, bloemendaal, haarlem, heemstede, zandvoort",
    ),
    (
        2,
        "excluded",
        "heemstede",
        "regel 2, kolom excluded: die keuze bestaat niet; kies uit: beverwijk, heemskerk, "
        "velsen, bloemendaal, zandvoort",
    ),
    (
        4,
        "max_rent",
        "2500",
        "regel 4, kolom max_rent: Kies een waarde van € 100 tot € 2000. Typ een bedrag, "
        "bijvoorbeeld 650 of 650,50.",
    ),
    (4, "children", "twee", "regel 4, kolom children: Dat is geen getal. Typ een getal."),
    (
        2,
        "children",
        "1",
        "regel 2, kolom children: Kinderen hoort niet bij de andere antwoorden op deze regel; "
        "laat de cel leeg",
    ),
    (
        5,
        "earliest_move",
        "2026-02-30",
        "regel 5, kolom earliest_move: geen geldige datum; schrijf JJJJ-MM-DD",
    ),
    (
        5,
        "earliest_move",
        "1-3-2026",
        "regel 5, kolom earliest_move: geen geldige datum; schrijf JJJJ-MM-DD",
    ),
    (
        5,
        "earliest_move",
        "2999-01-01",
        "regel 5, kolom earliest_move: ligt meer dan drie jaar vooruit; klopt het jaar?",
    ),
    (3, "household", "", "regel 3, kolom household: leeg"),
    (
        2,
        "support_worker",
        "1003",
        "regel 2, kolom support_worker: die keuze bestaat niet; kies uit: 1004, onbekend",
    ),
    # The personal-data guard reads every cell; a problem never repeats what it found.
    (
        3,
        "household",
        "123456782",
        "regel 3, kolom household: lijkt een BSN te bevatten; zulke gegevens importeren we niet",
    ),
    (
        3,
        "profile",
        "bel 06-12345678",
        "regel 3, kolom profile: lijkt een telefoonnummer te bevatten; zulke gegevens "
        "importeren we niet",
    ),
    (
        6,
        "support",
        "j.jansen@example.nl",
        "regel 6, kolom support: lijkt een e-mailadres te bevatten; zulke gegevens importeren "
        "we niet",
    ),
    (
        5,
        "earliest_move",
        "12-03-1980",
        "regel 5, kolom earliest_move: lijkt een geboortedatum te bevatten; zulke gegevens "
        "importeren we niet",
    ),
    (
        7,
        "code",
        "WT-IZK-0002",
        "regel 7, kolom code: staat ook op regel 3",
    ),
    (
        7,
        "code",
        "WT-ASSE-0007",
        "regel 7, kolom code: geen code van deze regio; verwacht een code als WT-IZK-0001",
    ),
    (
        7,
        "code",
        "WT-IZK-00007",
        "regel 7, kolom code: geen code van deze regio; verwacht een code als WT-IZK-0001",
    ),
    (
        2,
        "status",
        "wachtend",
        "regel 2, kolom status: onbekende status; kies uit: aangemeld, voorgedragen, gematcht, "
        "verhuisd, nazorg_afgerond, gepauzeerd, teruggetrokken, teruggevallen, doorgestroomd",
    ),
    (
        2,
        "created_at",
        "2999-01-01T09:00:00+01:00",
        "regel 2, kolom created_at: ligt in de toekomst",
    ),
    (
        2,
        "created_at",
        "2025-06-07T08:00:00",
        "regel 2, kolom created_at: de tijdzone ontbreekt, bijv. +00:00 aan het eind",
    ),
    (
        2,
        "updated_at",
        "2025-06-01T08:00:00+00:00",
        "regel 2, kolom updated_at: ligt vóór created_at",
    ),
    # A formula in a cell is read back without the export's ' and then checked as any value.
    (
        3,
        "household",
        '\'=HYPERLINK("http://x")',
        "regel 3, kolom household: die keuze bestaat niet; kies uit: alleenstaand, stel, gezin",
    ),
]


@pytest.mark.parametrize(("line", "column", "value", "problem"), CANDIDATE_CELLS)
def test_one_bad_candidate_cell_imports_nothing_and_names_its_line(
    files, target, capsys, line, column, value, problem
):
    bad = files["candidates"].with_name("fout.csv")
    bad.write_text(edit(files["candidates"].read_text(encoding="utf-8"), line, column, value))
    code, out, err = import_file(capsys, "candidates", bad)
    assert (code, out) == (2, "")
    assert err == f"{problem}\nweerthuis: niets geïmporteerd uit {bad}: 1 probleem\n"
    assert records(target, "candidates") == []
    assert [e for e in audit(target) if e["actor"] == "cli" and e["action"] != "export"] == []


DWELLING_CELLS = [
    (
        3,
        "municipality",
        "amsterdam",
        "regel 3, kolom municipality: die keuze bestaat niet; kies uit: beverwijk, heemskerk, "
        "velsen, bloemendaal, haarlem, heemstede, zandvoort",
    ),
    # Schalkwijk is in Haarlem; line 3 is a home in Velsen.
    (
        3,
        "neighbourhood",
        "Schalkwijk",
        "regel 3, kolom neighbourhood: die keuze bestaat niet; kies uit: ijmuiden, velsen-noord, "
        "velsen-zuid, santpoort-noord, driehuis",
    ),
    (
        2,
        "net_rent",
        "2500",
        "regel 2, kolom net_rent: Kies een waarde van € 100 tot € 2000. Typ een bedrag, "
        "bijvoorbeeld 650 of 650,50.",
    ),
    (2, "rooms", "9", "regel 2, kolom rooms: Kies een waarde van 1 tot 8. Typ een getal."),
    (2, "rooms", "2,5", "regel 2, kolom rooms: Typ een heel getal. Typ een getal."),
    (
        3,
        "lift",
        "ja",
        "regel 3, kolom lift: Lift hoort niet bij de andere antwoorden op deze regel; laat de cel leeg",
    ),
    (2, "lift", "", "regel 2, kolom lift: leeg"),
    (
        2,
        "type",
        "woonboot",
        "regel 2, kolom type: die keuze bestaat niet; kies uit: appartement, eengezinswoning, benedenwoning, maisonnette, studio",
    ),
    (
        4,
        "neighbourhood",
        "Dhr. P. de Vries",
        "regel 4, kolom neighbourhood: lijkt een naam te bevatten; zulke gegevens importeren "
        "we niet",
    ),
    (
        2,
        "contact",
        "1002",
        "regel 2, kolom contact: die keuze bestaat niet; kies uit: 1003",
    ),
    (
        5,
        "available_from",
        "2026-13-01",
        "regel 5, kolom available_from: geen geldige datum; schrijf JJJJ-MM-DD",
    ),
]


@pytest.mark.parametrize(("line", "column", "value", "problem"), DWELLING_CELLS)
def test_one_bad_dwelling_cell_imports_nothing_and_names_its_line(
    files, target, capsys, line, column, value, problem
):
    bad = files["dwellings"].with_name("fout.csv")
    bad.write_text(edit(files["dwellings"].read_text(encoding="utf-8"), line, column, value))
    code, out, err = import_file(capsys, "dwellings", bad)
    assert (code, out) == (2, "")
    assert err == f"{problem}\nweerthuis: niets geïmporteerd uit {bad}: 1 probleem\n"
    assert records(target, "dwellings") == []


def test_every_problem_of_a_file_is_named_at_once(files, target, capsys):
    text = files["candidates"].read_text(encoding="utf-8")
    text = edit(text, 3, "household", "eenpersoons")
    text = edit(text, 3, "municipalities", "amsterdam")
    text = edit(text, 6, "status", "")
    text = edit(text, 13, "max_rent", "50")  # WT-IZK-0010, with its own maximum rent
    text = edit(text, 15, "code", "WT-IZK-0001")
    bad = files["candidates"].with_name("fout.csv")
    bad.write_text(text, encoding="utf-8")
    code, out, err = import_file(capsys, "candidates", bad)
    assert (code, out) == (2, "")
    assert err == (
        "regel 3, kolom household: die keuze bestaat niet; kies uit: alleenstaand, stel, gezin\n"
        "regel 3, kolom municipalities: die keuze bestaat niet; kies uit: beverwijk, heemskerk, "
        "velsen, bloemendaal, haarlem, heemstede, zandvoort\n"
        "regel 6, kolom status: leeg; kies uit: aangemeld, voorgedragen, gematcht, verhuisd, "
        "nazorg_afgerond, gepauzeerd, teruggetrokken, teruggevallen, doorgestroomd\n"
        "regel 13, kolom max_rent: Kies een waarde van € 100 tot € 2000. Typ een bedrag, "
        "bijvoorbeeld 650 of 650,50.\n"
        "regel 15, kolom code: staat ook op regel 2\n"
        f"weerthuis: niets geïmporteerd uit {bad}: 5 problemen\n"
    )
    assert records(target, "candidates") == []


def test_a_cell_defused_by_the_export_is_read_back_without_its_quote(files, target, capsys):
    # The export writes a cell that starts with a tab as '\t…; read back, the tab is space.
    text = edit(files["dwellings"].read_text(encoding="utf-8"), 2, "rooms", "'\t3")
    text = edit(text, 3, "municipality", "'\tvelsen")
    defused = files["dwellings"].with_name("ontmijnd.csv")
    defused.write_text(text, encoding="utf-8")
    assert import_file(capsys, "dwellings", defused)[0] == 0
    first, second = records(target, "dwellings")[:2]
    assert (first["facts"]["rooms"], second["municipality"]) == (3, "velsen")


# --- columns ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "column", "problem"),
    [
        (
            "candidates",
            "note",
            "regel 1, kolom note: notities en adressen importeren we niet: ze kunnen "
            "persoonsgegevens bevatten. Laat de kolom weg; vul ze zo nodig aan in het formulier",
        ),
        (
            "dwellings",
            "street_address",
            "regel 1, kolom street_address: notities en adressen importeren we niet: ze kunnen "
            "persoonsgegevens bevatten. Laat de kolom weg; vul ze zo nodig aan in het formulier",
        ),
        (
            "candidates",
            "naam",
            "regel 1, kolom naam: onbekende kolom; de import leest die van de csv-plain-export",
        ),
        (
            "candidates",
            "organisation",
            "regel 1, kolom organisation: de organisatie geldt voor het hele bestand en wordt "
            "apart opgegeven; laat de kolom weg",
        ),
        ("dwellings", "rooms", "regel 1, kolom rooms: staat twee keer in de kop"),
    ],
)
def test_a_column_the_export_never_writes_is_refused(files, target, capsys, kind, column, problem):
    lines = files[kind].read_text(encoding="utf-8").splitlines()
    # An empty cell under it: the column itself is the problem.
    extra = [lines[0] + f",{column}"] + [line + "," for line in lines[1:]]
    bad = files[kind].with_name("kolom.csv")
    bad.write_text("\n".join(extra) + "\n", encoding="utf-8")
    code, out, err = import_file(capsys, kind, bad)
    assert (code, out) == (2, "")
    assert err == f"{problem}\nweerthuis: niets geïmporteerd uit {bad}: 1 probleem\n"
    assert records(target, kind) == []


def test_a_missing_column_and_a_short_line(files, target, capsys, tmp_path):
    bad = tmp_path / "kort.csv"
    bad.write_text(
        "code,created_at,household\nWT-IZK-0001,2025-06-07T08:00:00+00:00\n", encoding="utf-8"
    )
    code, out, err = import_file(capsys, "candidates", bad)
    assert (code, out) == (2, "")
    assert err == (
        "regel 1: kolom status ontbreekt\n"
        "regel 2: 2 cellen, de kop heeft er 3\n"
        f"weerthuis: niets geïmporteerd uit {bad}: 2 problemen\n"
    )


# --- files that are not read at all -------------------------------------------------------------


def _refused(capsys, path: Path, problem: str) -> None:
    code, out, err = import_file(capsys, "candidates", path)
    assert (code, out) == (2, "")
    assert err == f"{problem}\nweerthuis: niets geïmporteerd uit {path}: 1 probleem\n"


def test_a_file_over_five_megabytes_is_not_read(target, tmp_path, capsys):
    huge = tmp_path / "groot.csv"
    huge.write_bytes(b"code,status,created_at\n" + b"x" * MAX_BYTES)
    _refused(capsys, huge, "het bestand is groter dan 5 MB; splits het in kleinere bestanden")
    assert records(target, "candidates") == []


def test_a_file_with_more_than_twenty_thousand_records_is_refused(files, target, capsys):
    header, line = files["candidates"].read_text(encoding="utf-8").splitlines()[:2]
    rest = line.split(",", 1)[1]
    many = files["candidates"].with_name("veel.csv")
    many.write_text(
        "\n".join([header] + [f"WT-IZK-{n:05d},{rest}" for n in range(10_000, 10_001 + MAX_ROWS)])
        + "\n",
        encoding="utf-8",
    )
    assert many.stat().st_size < MAX_BYTES
    _refused(
        capsys, many, "het bestand heeft meer dan 20.000 records; splits het in kleinere bestanden"
    )


def test_a_file_that_is_not_utf8_is_refused_with_its_line(files, target, capsys):
    text = edit(files["dwellings"].read_text(encoding="utf-8"), 4, "neighbourhood", "Café")
    latin = files["dwellings"].with_name("latin1.csv")
    latin.write_bytes(text.encode("latin-1"))
    code, out, err = import_file(capsys, "dwellings", latin)
    assert (code, out) == (2, "")
    assert err == (
        "regel 4: het bestand is geen UTF-8; sla het op als 'CSV UTF-8' en probeer opnieuw\n"
        f"weerthuis: niets geïmporteerd uit {latin}: 1 probleem\n"
    )


def test_a_byte_order_mark_and_crlf_line_ends_are_fine(files, target, capsys):
    text = files["dwellings"].read_text(encoding="utf-8")
    excel = files["dwellings"].with_name("excel.csv")
    excel.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert import_file(capsys, "dwellings", excel)[:2] == (
        0,
        f"9 woningen geïmporteerd in {REGION}, beheerd door Woonopmaat\n",
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            'code,status,created_at\nWT-IZK-0001,"aangemeld"x,2025-06-07T08:00:00+00:00\n',
            "regel 2: de CSV klopt niet: een aanhalingsteken staat verkeerd of sluit niet af "
            "(of een cel is veel te lang)",
        ),
        (
            'code,status,created_at\nWT-IZK-0001,aangemeld,2025-06-07\nWT-IZK-0002,"aangemeld\n',
            "regel 3: de CSV klopt niet: een aanhalingsteken staat verkeerd of sluit niet af "
            "(of een cel is veel te lang)",
        ),
        ("", "regel 1: het bestand is leeg"),
        (
            "Code;Status;Aangemeld op\r\nWT-IZK-0001;aangemeld;05-01-2026\r\n",
            "regel 1: dit lijkt de export voor Excel (puntkomma's, Nederlandse koppen); "
            "importeer de csv-plain-export",
        ),
    ],
)
def test_a_file_that_is_no_plain_csv_is_refused(target, tmp_path, capsys, content, problem):
    path = tmp_path / "kapot.csv"
    path.write_text(content, encoding="utf-8", newline="")
    _refused(capsys, path, problem)


def test_a_missing_file(target, tmp_path, capsys):
    _refused(capsys, tmp_path / "nergens.csv", f"bestand niet gevonden: {tmp_path / 'nergens.csv'}")


# --- the database and the owner ---------------------------------------------------------------


def test_a_missing_database_is_refused_and_not_created(files, tmp_path, capsys, monkeypatch):
    missing = tmp_path / "nergens" / "weerthuis.sqlite3"
    code, out, err = import_file(capsys, "candidates", files["candidates"], "--db", str(missing))
    assert (code, out, err) == (
        2,
        "",
        f"weerthuis: geen database gevonden (no database found): {missing}\n",
    )
    monkeypatch.setenv("WEERTHUIS_DB", str(missing))
    assert import_file(capsys, "candidates", files["candidates"])[0] == 2
    assert not missing.exists() and not missing.parent.exists()


def test_the_named_organisation_owns_the_records(files, target, capsys):
    provider = "Zorgaanbieder Kennemerland (voorbeeld)"
    code, out, err = import_file(capsys, "candidates", files["candidates"], "--org", provider)
    assert (code, out, err) == (
        0,
        f"14 kandidaten geïmporteerd in {REGION}, beheerd door {provider}\n",
        "",
    )
    # The care provider's field worker now sees them as their own.
    store = Store(target)
    field_worker = store.user(DEMO_USERS["field_worker"])
    assert len(registry.listing(store, field_worker, CANDIDATES)) == 14
    store.close()


@pytest.mark.parametrize(
    ("kind", "more", "message"),
    [
        (
            "candidates",
            ("--org", "Onbekend"),
            f"organisatie 'Onbekend' niet gevonden in {REGION} (--org NAAM)",
        ),
        (
            "candidates",
            ("--org", "Woonopmaat"),
            "Woonopmaat is een corporatie; kandidaten horen bij een gemeente of zorgaanbieder "
            "(--org NAAM)",
        ),
        (
            "dwellings",
            ("--org", MATCHPUNT),
            f"{MATCHPUNT} is een gemeente; woningen horen bij een corporatie (--org NAAM)",
        ),
    ],
)
def test_an_owner_that_cannot_own_them_is_refused(files, target, capsys, kind, more, message):
    code, out, err = import_file(capsys, kind, files[kind], *more)
    assert (code, out, err) == (2, "", f"weerthuis: {message}\n")
    assert records(target, kind) == []


def test_without_one_obvious_owner_the_command_asks_for_it(files, target, capsys):
    store = Store(target)
    store.add_organisation("Gemeente Haarlem", "gemeente", REGION, START)
    store.close()
    code, out, err = import_file(capsys, "candidates", files["candidates"])
    assert (code, out, err) == (
        2,
        "",
        f"weerthuis: {REGION} heeft 2 organisaties van het soort gemeente; noem de organisatie "
        "die de kandidaten beheert (--org NAAM)\n",
    )


def test_an_unknown_region_is_refused(files, target, capsys):
    code, out, err = weerthuis(
        capsys, "import", "candidates", str(files["candidates"]), "--region", "nergens"
    )
    assert (code, out) == (2, "")
    assert err.startswith("weerthuis: onbekende regio (unknown region) 'nergens'; bekend: assen, ")
