"""Importing a region's candidates or dwellings from a spreadsheet, for regions that keep
their waiting list in one today. The file is what `weerthuis export candidates|dwellings
--format csv-plain` writes (`export.plain_csv`): a round trip gives the same records back.

All or nothing. Every cell is checked first, the way the forms check an answer (known
option values, numbers in range, real dates, the region's municipalities and the
municipality's neighbourhoods, only people who may be named) and by the personal-data
guard; every problem is collected with its line (the header is line 1) and its column, and
one problem imports nothing. Then the records are written in one transaction, each creation
audited as a registration is, with the command line as actor. A record keeps the file's
code, status and timestamps (the waiting time counts for ranking); a code must carry the
region's prefix and never have been issued in this database, so importing a file twice
imports nothing the second time.

Candidates are pseudonymous: a note or a street address is never imported (`export.NEVER`;
the form is the place for them), nor any cell the guard takes for a BSN, phone number,
e-mail, address, birth date, account number or name. Problems never repeat a cell's text.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

from bot.access.roles import COORDINATOR, CORPORATION
from bot.forms.dutch_dates import MAX_AHEAD
from bot.forms.engine import Field, Form, FormContext, InvalidAnswerError, Option, parse_typed
from bot.knowledge.base import KnowledgeBase
from bot.privacy.personal_data import find_personal_data
from bot.records import registry
from bot.records.drafts import FORMS, record_parts
from bot.records.export import CANDIDATE_COLUMNS, DWELLING_COLUMNS, NEVER
from bot.records.form_contexts import as_id, person_label, region_context
from bot.records.registry import CANDIDATES, DWELLINGS, Kind
from bot.storage import NotFoundError, Organisation, Store, User, iso_timestamp

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
ACTOR = "cli"  # the audit log's actor, as for the command line's other changes
IMPORTED_BY = 0  # `created_by` of an imported record: no Telegram user made it
KINDS = {CANDIDATES.table: CANDIDATES, DWELLINGS.table: DWELLINGS}
PLURAL = {CANDIDATES.table: "kandidaten", DWELLINGS.table: "woningen"}
# Who owns the records when the command line names nobody: the region's only one of these.
DEFAULT_OWNER = {CANDIDATES.table: "gemeente", DWELLINGS.table: "corporatie"}
# Form fields that are no column of the file: the owner is given once, for the whole file.
NOT_IN_FILE = frozenset({"organisation"})
REQUIRED_COLUMNS = ("code", "status", "created_at")
# The field kinds a cell can be read as; a form field of another kind is refused, not guessed.
READABLE = frozenset({"choice", "multi", "toggles", "number", "money", "date", "text", "address"})
LISTS = frozenset({"multi", "toggles"})
# What `export._defuse` puts a `'` before, so a spreadsheet never runs it as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
# A cell in a machine format (a record code, a timestamp) holds nothing else: not scanned.
_MACHINE = re.compile(
    r"^(?:W[TN]-[A-Z]{1,8}-\d{4,6}"
    r"|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:\d{2}|Z))$",
    re.ASCII,
)
_EARLIEST = date(2000, 1, 1)


@dataclass(frozen=True)
class Problem:
    """One reason a file is not imported: where (`line`, 1 is the header; `column`) and why."""

    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [f"regel {self.line}"] if self.line else []
        if self.column is not None:
            where.append(f"kolom {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ImportRefusedError(Exception):
    """Nothing was imported; `problems` holds every reason, in file order, and `note` what
    they may mean together (a file imported before)."""

    def __init__(self, problems: list[Problem], note: str | None = None) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems
        self.note = note


class OwnerError(Exception):
    """No organisation of the region can own the records: unknown, of a kind that may not own
    them, or no single obvious one; the message says which, in Dutch."""


@dataclass(frozen=True)
class _Row:
    line: int
    code: str | None  # None when the code cell itself is wrong
    record: dict[str, Any] | None  # None when any cell of the line is wrong


# --- the owner ---------------------------------------------------------------------------------


def owner(
    store: Store, kb: KnowledgeBase, today: date, region_id: str, kind: str, name: str | None
) -> Organisation:
    """The organisation of `region_id` that will own imported records of `kind`
    ("candidates", "dwellings"): the one named `name`, or else the region's only
    `DEFAULT_OWNER` one. It must be one the form lets own such a record (a care provider or
    municipality for a candidate, a corporation for a dwelling). Raises `OwnerError`."""
    allowed = _owner_options(store, kb, today, region_id, KINDS[kind])
    organisations = {o.id: o for o in store.organisations(region_id)}
    if name is not None:
        try:
            found = store.organisation_by_name(name, region_id)
        except NotFoundError:
            raise OwnerError(f"organisatie {name!r} niet gevonden in {region_id}") from None
        if str(found.id) not in allowed:
            kinds = sorted({organisations[int(v)].kind for v in allowed})
            raise OwnerError(
                f"{found.name} is een {found.kind}; {PLURAL[kind]} horen bij een "
                + " of ".join(kinds)
            )
        return found
    wanted = DEFAULT_OWNER[kind]
    fitting = [o for o in organisations.values() if o.kind == wanted and str(o.id) in allowed]
    if len(fitting) != 1:
        raise OwnerError(
            f"{region_id} heeft "
            + ("geen organisatie" if not fitting else f"{len(fitting)} organisaties")
            + f" van het soort {wanted}; noem de organisatie die de {PLURAL[kind]} beheert"
        )
    return fitting[0]


def _owner_options(
    store: Store, kb: KnowledgeBase, today: date, region_id: str, kind: Kind
) -> set[str]:
    ctx = _context(store, kb, today, region_id, kind)
    return {o.value for o in FORMS[kind.table].field("organisation").option_list(ctx, {})}


# --- reading the file ---------------------------------------------------------------------------


def read_limited(path: Path) -> bytes:
    """The bytes of the file at `path`, refused (`ImportRefusedError`) when it is missing or
    larger than `MAX_BYTES`: a file that big is not read at all."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ImportRefusedError([Problem(None, None, f"bestand niet gevonden: {path}")]) from None
    except IsADirectoryError:
        raise ImportRefusedError([Problem(None, None, f"dat is een map: {path}")]) from None
    if len(data) > MAX_BYTES:
        raise ImportRefusedError(
            [
                Problem(
                    None,
                    None,
                    f"het bestand is groter dan {MAX_BYTES // (1024 * 1024)} MB; "
                    "splits het in kleinere bestanden",
                )
            ]
        )
    return data


def _text(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRefusedError(
            [
                Problem(
                    line,
                    None,
                    "het bestand is geen UTF-8; sla het op als 'CSV UTF-8' en probeer opnieuw",
                )
            ]
        ) from None
    # A spreadsheet that saves "CSV UTF-8" puts a byte order mark first.
    return text.removeprefix("\ufeff")


def _lines(text: str) -> list[tuple[int, list[str]]]:
    """The CSV's rows, each with the line it starts on. Raises `ImportRefusedError` for
    broken quoting and for more than `MAX_ROWS` rows."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            if cells:  # a blank line holds nothing
                rows.append((start, cells))
            start = reader.line_num + 1
            if len(rows) > MAX_ROWS + 1:  # the header is not a record
                raise ImportRefusedError(
                    [
                        Problem(
                            None,
                            None,
                            f"het bestand heeft meer dan {f'{MAX_ROWS:,}'.replace(',', '.')} "
                            "records; splits het in kleinere bestanden",
                        )
                    ]
                )
    except csv.Error:
        raise ImportRefusedError(
            [
                Problem(
                    reader.line_num or start,
                    None,
                    "de CSV klopt niet: een aanhalingsteken staat verkeerd of sluit niet af "
                    "(of een cel is veel te lang)",
                )
            ]
        ) from None
    if not rows:
        raise ImportRefusedError([Problem(1, None, "het bestand is leeg")])
    return rows


def _columns(header: list[str], form: Form, kind: Kind) -> tuple[list[Problem], list[str | None]]:
    """Problems of the header, and per position the column read there (None: not read)."""
    base = CANDIDATE_COLUMNS if kind is CANDIDATES else DWELLING_COLUMNS
    fields = {f.key: f for f in form.fields if f.key not in NOT_IN_FILE | NEVER}
    known = [*base, *(key for key in fields if key not in base)]
    problems: list[Problem] = []
    read: list[str | None] = []
    if len(header) == 1 and ";" in header[0]:
        raise ImportRefusedError(
            [
                Problem(
                    1,
                    None,
                    "dit lijkt de export voor Excel (puntkomma's, Nederlandse koppen); "
                    "importeer de csv-plain-export",
                )
            ]
        )
    for position, name in enumerate(header, start=1):
        column = name if name.strip() else f"{position} (zonder naam)"
        if name in NEVER:
            problems.append(
                Problem(
                    1,
                    column,
                    "notities en adressen importeren we niet: ze kunnen persoonsgegevens "
                    "bevatten. Laat de kolom weg; vul ze zo nodig aan in het formulier",
                )
            )
        elif name in NOT_IN_FILE:
            problems.append(
                Problem(
                    1,
                    column,
                    "de organisatie geldt voor het hele bestand en wordt apart opgegeven; "
                    "laat de kolom weg",
                )
            )
        elif name not in known:
            problems.append(
                Problem(1, column, "onbekende kolom; de import leest die van de csv-plain-export")
            )
        elif name in read:
            problems.append(Problem(1, column, "staat twee keer in de kop"))
        elif name in fields and fields[name].kind not in READABLE:
            problems.append(
                Problem(1, column, f"een veld van het soort {fields[name].kind} lees ik niet in")
            )
        else:
            read.append(name)
            continue
        read.append(None)
    problems += [
        Problem(1, None, f"kolom {name} ontbreekt") for name in REQUIRED_COLUMNS if name not in read
    ]
    return problems, read


# --- checking a line ---------------------------------------------------------------------------


def _undefuse(cell: str) -> str:
    # The inverse of the export's `'` before a cell that starts like a formula.
    if cell[:1] == "'" and cell[1:2] in _FORMULA_START:
        return cell[1:]
    return cell


def _personal_data(cell: str) -> list[str]:
    return [] if _MACHINE.match(cell) else find_personal_data(cell)


def _check_line(
    line: int,
    cells: dict[str, str],
    guard: Callable[[str], list[str]],
    form: Form,
    ctx: FormContext,
    kind: Kind,
    owner_id: int,
    now: datetime,
) -> tuple[list[Problem], dict[str, Any] | None]:
    """The problems of one line, and the record it stands for when there are none."""
    problems: list[Problem] = []

    def problem(column: str | None, message: str) -> None:
        problems.append(Problem(line, column, message))

    for column, cell in cells.items():
        found = guard(cell)
        if found:
            problem(
                column,
                f"lijkt {' en '.join(found)} te bevatten; zulke gegevens importeren we niet",
            )
    flagged = {p.column for p in problems}

    # A column missing from the header is a problem of line 1 only.
    status = cells.get("status", "")
    if "status" in cells and "status" not in flagged and status not in kind.lifecycle.labels:
        problem(
            "status",
            ("leeg" if not status else "onbekende status")
            + "; kies uit: "
            + ", ".join(kind.lifecycle.labels),
        )
    created = (
        _moment(cells["created_at"], "created_at", now, flagged, problem)
        if "created_at" in cells
        else None
    )
    updated = (
        _moment(cells["updated_at"], "updated_at", now, flagged, problem)
        if cells.get("updated_at")
        else created
    )
    if created and updated and updated < created:
        problem("updated_at", "ligt vóór created_at")

    draft: dict[str, Any] = {"organisation": str(owner_id)}
    failed = False  # after a wrong answer, the questions that depend on it are not judged
    for fld in form.fields:
        if fld.key in NOT_IN_FILE or fld.key in NEVER or fld.kind not in READABLE:
            continue
        cell = cells.get(fld.key)
        if fld.key in flagged:
            failed = True
            continue
        if not fld.show_if(draft, ctx):
            if cell and not failed:
                problem(
                    fld.key,
                    f"{fld.label} hoort niet bij de andere antwoorden op deze regel; "
                    "laat de cel leeg",
                )
            continue
        if not cell:
            if fld.required:
                problem(fld.key, "verplicht; de kolom ontbreekt" if cell is None else "leeg")
                failed = True
            elif cell is not None:
                draft[fld.key] = [] if fld.kind in LISTS else None
            continue
        try:
            draft[fld.key] = _answer(fld, cell, ctx, draft)
        except InvalidAnswerError as exc:
            problem(fld.key, str(exc))
            failed = True
    if problems:
        return problems, None
    cleaned = form.clean(draft, ctx)
    try:
        form.check_all(cleaned, ctx)
    except InvalidAnswerError as exc:  # pragma: no cover - every answer was checked above
        return [Problem(line, None, str(exc))], None
    columns, facts = record_parts(kind, cleaned, ctx)
    assert created is not None and updated is not None
    if kind.table == "dwellings" and status in ("toegewezen", "verhuurd"):
        # The file does not say when the home was assigned: its last change stands in, so
        # the quota ledger counts it.
        columns = {**columns, "placed_at": iso_timestamp(updated)}
    return [], {
        "region": ctx.region_id,
        "organisation_id": owner_id,
        "created_by": IMPORTED_BY,
        "status": status,
        "status_reason": None,
        "facts": facts,
        "created_at": iso_timestamp(created),
        "updated_at": iso_timestamp(updated),
        "draft_id": None,
        **columns,
    }


def _moment(
    cell: str,
    column: str,
    now: datetime,
    flagged: set[str | None],
    problem: Callable[[str, str], None],
) -> datetime | None:
    if column in flagged:
        return None
    if not cell:
        problem(column, "leeg")
        return None
    try:
        moment = datetime.fromisoformat(cell)
    except ValueError:
        problem(column, "geen tijdstip; schrijf het als 2026-01-05T08:00:00+00:00")
        return None
    if moment.tzinfo is None:
        problem(column, "de tijdzone ontbreekt, bijv. +00:00 aan het eind")
        return None
    if moment > now:
        problem(column, "ligt in de toekomst")
        return None
    if moment.date() < _EARLIEST:
        problem(column, f"ligt vóór {_EARLIEST.year}")
        return None
    return moment


def _answer(fld: Field, cell: str, ctx: FormContext, draft: dict[str, Any]) -> Any:
    """A cell as the form's answer to `fld`. Raises `InvalidAnswerError`."""
    if fld.kind == "choice":
        return _choice(fld, cell, ctx, draft)
    if fld.kind in LISTS:
        items = [item.strip() for item in cell.split(";")]
        if len(set(items)) != len(items):
            raise InvalidAnswerError("een keuze staat er twee keer in")
        return [
            _choice(fld, item, ctx, draft, f"keuze {n}" if len(items) > 1 else "die keuze")
            for n, item in enumerate(items, start=1)
        ]
    if fld.kind == "date":
        return _date(cell, ctx.today)
    # Numbers, amounts and text as the form reads them typed: the same formats, ranges
    # and personal-data guard.
    return parse_typed(fld, cell, ctx, draft)


def _choice(
    fld: Field, cell: str, ctx: FormContext, draft: dict[str, Any], which: str = "die keuze"
) -> str:
    options = fld.option_list(ctx, draft)
    for option in options:
        # The value, as the export writes it; or the label: a neighbourhood is kept (and
        # exported) by its name.
        if cell in (option.value, option.label):
            return option.value
    if not cell:
        raise InvalidAnswerError(f"{which} is leeg")
    return _refuse(which, options)


def _refuse(which: str, options: list[Option]) -> NoReturn:
    shown = [o.value for o in options[:12]] + (["…"] if len(options) > 12 else [])
    choose = "; kies uit: " + ", ".join(shown) if options else "; hier is niets te kiezen"
    raise InvalidAnswerError(f"{which} bestaat niet{choose}")


def _date(cell: str, today: date) -> str:
    # Unlike a typed answer, a date may lie in the past: a waiting list is older than today.
    try:
        if not _ISO_DATE.match(cell):
            raise ValueError(cell)
        moment = date.fromisoformat(cell)
    except ValueError:
        raise InvalidAnswerError("geen geldige datum; schrijf JJJJ-MM-DD") from None
    if moment < _EARLIEST:
        raise InvalidAnswerError(f"ligt vóór {_EARLIEST.year}")
    if moment > today + MAX_AHEAD:
        raise InvalidAnswerError("ligt meer dan drie jaar vooruit; klopt het jaar?")
    return moment.isoformat()


# --- codes ---------------------------------------------------------------------------------------


def _code(cell: str, prefix: str) -> str | None:
    """The code in `cell` when it is one of the region's: prefix, four to six digits, written
    as `next_code` writes it (WT-IZK-0042, not WT-IZK-00042)."""
    match = re.fullmatch(re.escape(prefix) + r"-(\d{4,6})", cell, flags=re.ASCII)
    if not match or f"{int(match[1]):04d}" != match[1]:
        return None
    return cell


def _number(code: str | None) -> int:
    return int(str(code).rsplit("-", 1)[1])


def _code_problems(
    store: Store, kind: Kind, region_id: str, prefix: str, rows: list[_Row]
) -> list[Problem]:
    """Codes that exist in the database, or were issued in it once (an erased candidate's):
    a code is never given to a second record."""
    issued = store.last_code_number(prefix)
    existing = {row["code"] for row in store.records(kind.table, region_id)}
    problems = []
    for row in rows:
        if row.code in existing:
            problems.append(Problem(row.line, "code", f"{row.code} bestaat al in de database"))
        elif row.code is not None and _number(row.code) <= issued:
            problems.append(
                Problem(
                    row.line,
                    "code",
                    f"{row.code} is in deze database al eens uitgegeven (en gewist?); "
                    "een code wordt nooit opnieuw gebruikt",
                )
            )
    return problems


# --- the import ----------------------------------------------------------------------------------


def import_records(
    store: Store,
    kb: KnowledgeBase,
    now: datetime,
    region_id: str,
    kind_name: str,
    data: bytes,
    organisation: Organisation,
) -> list[str]:
    """Import the csv-plain file `data` as records of `kind_name` ("candidates",
    "dwellings") in `region_id`, owned by `organisation` (see `owner`), all in one
    transaction: returns the codes imported, in file order. Raises `ImportRefusedError` with
    every problem, and then nothing was written."""
    kind = KINDS[kind_name]
    form = FORMS[kind.table]
    prefix = f"{kind.prefix}-{registry.region_code(region_id)}"
    table = _lines(_text(data))
    (_, header), lines = table[0], table[1:]
    problems, read = _columns(header, form, kind)
    ctx = _context(store, kb, now.date(), region_id, kind)
    rows: list[_Row] = []
    first_line: dict[str, int] = {}
    # Once per distinct cell: a waiting list repeats its values, and the guard takes time.
    guard = functools.cache(_personal_data)
    for line, cells in lines:
        if len(cells) != len(header):
            problems.append(
                Problem(line, None, f"{len(cells)} cellen, de kop heeft er {len(header)}")
            )
            continue
        named = {
            column: _undefuse(cell).strip()
            for column, cell in zip(read, cells, strict=True)
            if column is not None
        }
        code = _code(named.get("code", ""), prefix)
        if "code" in named and code is None:
            problems.append(
                Problem(
                    line,
                    "code",
                    f"leeg; verwacht een code als {prefix}-0001"
                    if not named["code"]
                    else f"geen code van deze regio; verwacht een code als {prefix}-0001",
                )
            )
            named.pop("code")
        elif code in first_line:
            problems.append(Problem(line, "code", f"staat ook op regel {first_line[code]}"))
            code = None
        elif code is not None:
            first_line[code] = line
        found, record = _check_line(line, named, guard, form, ctx, kind, organisation.id, now)
        problems += found
        rows.append(_Row(line, code, None if record is None else {"code": code, **record}))
    taken = _code_problems(store, kind, region_id, prefix, rows)
    problems += taken
    if problems:
        again = bool(rows) and len(taken) == len(rows)
        raise ImportRefusedError(
            _in_file_order(problems, read),
            "alle codes bestaan al: is dit bestand al geïmporteerd?" if again else None,
        )
    return _write(store, now, kind, prefix, region_id, organisation, rows)


def _in_file_order(problems: list[Problem], read: list[str | None]) -> list[Problem]:
    order = {column: index for index, column in enumerate(read) if column is not None}

    def key(problem: Problem) -> tuple[int, int]:
        if problem.line is None:
            return (1 << 30, 0)
        return (problem.line, order.get(problem.column, -1) if problem.column else -1)

    return sorted(problems, key=key)


def _write(
    store: Store,
    now: datetime,
    kind: Kind,
    prefix: str,
    region_id: str,
    organisation: Organisation,
    rows: list[_Row],
) -> list[str]:
    # One unit: BEGIN IMMEDIATE takes the write lock before the codes are looked at again,
    # so a registration in the bot meanwhile cannot take one of them.
    store.begin_unit()
    try:
        with store.db.atomic():
            late = _code_problems(store, kind, region_id, prefix, rows)
            if late:
                raise ImportRefusedError(late)
            records = [row.record for row in rows if row.record is not None]
            codes = [record["code"] for record in records]
            store.add_records(kind.table, records)
            # Audited as a registration is; the detail says it came in with an import.
            store.audit_each(ACTOR, f"{kind.noun}.create", now, kind.noun, codes, {"import": True})
            if codes:
                store.reserve_codes(prefix, max(_number(code) for code in codes))
            store.audit(
                ACTOR,
                "import",
                now,
                kind.table,
                region_id,
                {"rows": len(rows), "organisation": organisation.id},
            )
        store.end_unit(commit=True)
    finally:
        store.end_unit(commit=False)  # nothing left to roll back after the commit
    return codes


# --- the region as the forms see it ---------------------------------------------------------


def _context(
    store: Store, kb: KnowledgeBase, today: date, region_id: str, kind: Kind
) -> FormContext:
    """The form context of `region_id` as the matchpunt has it, the people who may be named
    looked up once per organisation: a candidate's support worker works at its support
    organisation; a dwelling's contact at its corporation, or, when nobody of it uses the
    bot, is a coordinator of the region (who reported the home for it)."""
    users = [u for u in store.users(region_id) if u.active]
    found: dict[tuple[str, str], list[Option]] = {}

    def chosen(people: list[User]) -> list[Option]:
        return [Option(str(u.telegram_id), person_label(u)) for u in people]

    def people(role: str, organisation: str) -> list[Option]:
        if (role, organisation) not in found:
            if kind is CANDIDATES:
                staff = registry.support_workers(store, region_id, as_id(organisation))
            else:
                staff = [
                    u
                    for u in users
                    if u.role == CORPORATION and u.organisation_id == as_id(organisation)
                ] or [u for u in users if u.role == COORDINATOR]
            found[(role, organisation)] = chosen(staff)
        return found[(role, organisation)]

    return region_context(store, kb, region_id, today, people=people, is_coordinator=True)
