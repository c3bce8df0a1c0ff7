"""CSV exports of a region's candidates and dwellings, with only the fields a coordinator may
see: never a note, never a street address (that is for the parties of an accepted match).

Two forms:

- `csv` (the default), for people: opens as is in Dutch Excel. Cells separated by `;`, UTF-8
  with a byte order mark, CRLF line ends; Dutch headings and value labels taken from the
  forms, names instead of ids, local dates as dd-mm-jjjj, amounts with a decimal comma
  (``612,50``); every form field is a column, empty where a record has no answer.
- `csv-plain`, for scripts: comma-separated with RFC 4180 quoting, internal keys as headings,
  ISO timestamps and internal values, one column per fact present (the export as it was).

In both, a cell that starts like a formula gets a leading ``'``, so a spreadsheet shows it as
text and never runs it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from bot.access.names import staff_names
from bot.access.roles import require_command
from bot.forms.candidate import CANDIDATE_FORM
from bot.forms.dwelling import DWELLING_FORM
from bot.forms.engine import Field, FormContext, Option, describe
from bot.knowledge.base import KnowledgeBase
from bot.records import registry
from bot.records.form_contexts import PERSON_FIELDS, named_person, person_label, region_context
from bot.records.lifecycle import CANDIDATE_STATUSES, DWELLING_STATUSES
from bot.storage import Store, User

FORMATS = ("csv", "csv-plain")
KINDS = ("candidates", "dwellings")

# --- csv-plain: for scripts -----------------------------------------------------------------

CANDIDATE_COLUMNS = ("code", "status", "created_at", "updated_at")
DWELLING_COLUMNS = ("code", "status", "municipality", "created_at", "updated_at")
# Never exported, in either form.
NEVER = frozenset({"note", "street_address"})


def plain_csv(rows: list[dict[str, Any]], kind: str) -> str:
    """The machine form: the fixed columns, then every fact present as its own column, under
    its internal key; lists joined with ``;``."""
    base = CANDIDATE_COLUMNS if kind == "candidates" else DWELLING_COLUMNS
    fact_keys = sorted({key for row in rows for key in row["facts"] if key not in NEVER})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*base, *fact_keys])
    for row in rows:
        facts = row["facts"]
        writer.writerow(
            [_defuse(row.get(column)) for column in base]
            + [_plain_cell(facts.get(key)) for key in fact_keys]
        )
    return out.getvalue()


def _plain_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return _defuse(";".join(str(v) for v in value))
    return _defuse(value)


def _defuse(value: Any) -> str:
    text = "" if value is None else str(value)
    # A cell that starts like a formula is shown as text by spreadsheets, never run.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# --- csv: for people ------------------------------------------------------------------------

# Headings where the form's short label needs its context in a sheet.
HEADINGS = {("candidates", "excluded"): "Uitgesloten gemeenten"}
# Fields that hold an organisation id.
ORGANISATION_FIELDS = frozenset({"organisation", "support_organisation"})


@dataclass(frozen=True)
class Labels:
    """What the people's form needs to name things: the region as the forms see it (option
    labels), organisation names by id, staff names by Telegram id (`names.staff_names`), and
    the time zone for dates."""

    form: FormContext
    organisation_name: Callable[[int], str]
    tz: tzinfo
    staff: Mapping[int, str]


def region_labels(store: Store, kb: KnowledgeBase, region_id: str, now: datetime) -> Labels:
    """The labels of `region_id`: its municipalities and profiles from the knowledge base, its
    organisations and staff from the store (former staff too: old records name them); dates
    in `now`'s time zone (the config's)."""
    users = store.users(region_id)
    names = {o.id: o.name for o in store.organisations()}

    def people(role: str, organisation: str) -> list[Option]:
        return [
            Option(str(u.telegram_id), person_label(u))
            for u in users
            if u.role == role and str(u.organisation_id) == organisation
        ]

    context = region_context(store, kb, region_id, now.date(), people=people, is_coordinator=True)

    def organisation_name(organisation_id: int) -> str:
        return names.get(organisation_id, f"Organisatie {organisation_id}")

    tz = now.tzinfo
    if tz is None:
        raise ValueError("the export needs a timezone-aware moment")
    return Labels(context, organisation_name, tz, staff_names(store, region_id))


def _fields(kind: str) -> list[Field]:
    form = CANDIDATE_FORM if kind == "candidates" else DWELLING_FORM
    return [f for f in form.fields if f.key not in NEVER]


def dutch_csv(rows: list[dict[str, Any]], kind: str, labels: Labels) -> bytes:
    """The people's form, as the bytes of the file: a heading row, then one row per record."""
    fields = _fields(kind)
    statuses = CANDIDATE_STATUSES if kind == "candidates" else DWELLING_STATUSES
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["Code", "Status", "Aangemeld op", "Laatst gewijzigd"]
        + [HEADINGS.get((kind, f.key), f.label) for f in fields]
    )
    for row in rows:
        answers = {**row["facts"], "organisation": row["organisation_id"]}
        if kind == "dwellings":
            answers["municipality"] = row["municipality"]
        cells = [
            row["code"],
            statuses.get(row["status"], row["status"]),
            _local_date(row.get("created_at"), labels.tz),
            _local_date(row.get("updated_at"), labels.tz),
        ] + [_dutch_cell(f, answers, labels) for f in fields]
        writer.writerow([_defuse(cell) for cell in cells])
    return out.getvalue().encode("utf-8-sig")


def _dutch_cell(fld: Field, answers: dict[str, Any], labels: Labels) -> str:
    value = answers.get(fld.key)
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nee"
    if fld.key in ORGANISATION_FIELDS and _is_id(value):
        return labels.organisation_name(int(value))
    if fld.key in PERSON_FIELDS and _is_id(value):
        return named_person(labels.staff, fld.key, value)
    if fld.kind == "money" and isinstance(value, int | float):
        return f"{value:.2f}".replace(".", ",")
    if fld.kind == "date":
        try:
            return date.fromisoformat(str(value)).strftime("%d-%m-%Y")
        except ValueError:
            return str(value)
    return describe(fld, value, labels.form, answers)


def _is_id(value: Any) -> bool:
    return isinstance(value, int) or (
        isinstance(value, str) and value.isascii() and value.isdigit()
    )


def _local_date(stamp: str | None, tz: tzinfo) -> str:
    if not stamp:
        return ""
    moment = datetime.fromisoformat(stamp)
    return moment.astimezone(tz).strftime("%d-%m-%Y")


# --- both -------------------------------------------------------------------------------------


def export_csv(
    store: Store,
    kb: KnowledgeBase,
    region_id: str,
    kind: str,
    rows: list[dict[str, Any]],
    now: datetime,
    fmt: str = "csv",
) -> bytes:
    """The file for `rows` (records of `kind` in `region_id`) in format `fmt` (`FORMATS`)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if fmt == "csv-plain":
        return plain_csv(rows, kind).encode("utf-8")
    if fmt != "csv":
        raise ValueError(f"unknown export format {fmt!r}")
    return dutch_csv(rows, kind, region_labels(store, kb, region_id, now))


def export_region(
    store: Store, kb: KnowledgeBase, now: datetime, user: User, kind: str, fmt: str = "csv"
) -> tuple[bytes, int]:
    """The records of `kind` in the caller's region as the file `/export` sends, with the
    number of records in it; audited. Only for those who may export (coordinators): raises
    NotAllowedError otherwise."""
    require_command(user, "export")
    record_kind = registry.CANDIDATES if kind == "candidates" else registry.DWELLINGS
    rows = registry.listing(store, user, record_kind)
    data = export_csv(store, kb, user.region, kind, rows, now, fmt)
    store.audit(user.telegram_id, "export", now, kind, user.region, {"rows": len(rows)})
    return data, len(rows)
