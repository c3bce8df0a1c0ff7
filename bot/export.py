"""CSV exports of a region's candidates and dwellings, with only the fields a coordinator may
see (never a street address: that is for the parties of an accepted match)."""

from __future__ import annotations

import csv
import io
from typing import Any

CANDIDATE_COLUMNS = ("code", "status", "created_at", "updated_at")
DWELLING_COLUMNS = ("code", "status", "municipality", "created_at", "updated_at")


def records_csv(rows: list[dict[str, Any]], kind: str) -> str:
    """One row per record: the fixed columns, then every matching fact as its own column."""
    base = CANDIDATE_COLUMNS if kind == "candidates" else DWELLING_COLUMNS
    fact_keys = sorted({key for row in rows for key in row["facts"] if key != "note"})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*base, *fact_keys])
    for row in rows:
        facts = row["facts"]
        writer.writerow(
            [row.get(column) for column in base] + [_cell(facts.get(key)) for key in fact_keys]
        )
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    text = str(value)
    # A cell that starts like a formula is shown as text by spreadsheets, never run.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
