"""The overview as a short Dutch text (for the chat and the terminal) and as CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

from bot.forms.dutch_dates import format_date
from bot.reports.stand import Report

MAX_NEIGHBOURHOODS = 8


def _number(value: float) -> str:
    """Dutch: a comma before the decimals."""
    return f"{value:g}".replace(".", ",")


def _days(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{_number(value)} dag" if value == 1 else f"{_number(value)} dagen"


def _candidates(n: int) -> str:
    return "1 kandidaat" if n == 1 else f"{n} kandidaten"


def _homes(n: int) -> str:
    return "1 woning" if n == 1 else f"{n} woningen"


def as_text(report: Report) -> str:
    """A few lines per part, in Dutch (plain text: the chat escapes it)."""
    day = format_date(date.fromisoformat(report.day))
    lines = [f"📊 Stand {report.region_name}, {day}"]
    if report.quota_per_year:
        lines.append(
            f"Quotum: {_number(report.quota_per_year)} per jaar, verdeeld naar de verdeelsleutel."
        )
    lines += ["", "Per gemeente (geplaatst + lopend / afgesproken tot nu):"]
    for m in report.municipalities:
        oldest = "" if m.oldest_home_days is None else f", oudste {_days(m.oldest_home_days)}"
        lines.append(
            f"• {m.name}: {m.placed} + {m.in_progress} / {_number(m.due_to_date)} ({m.state}) · "
            f"{m.waiting} wachtend, mediaan {_days(m.median_wait_days)} · "
            f"{_homes(m.open_homes)} open{oldest}"
        )
    at_cap = [h for h in report.neighbourhoods if h.at_cap]
    lines += ["", f"Wijken (plaatsingen in 12 maanden): {len(at_cap)} aan het plafond"]
    for hood in report.neighbourhoods[:MAX_NEIGHBOURHOODS]:
        cap = f"{hood.count} van {hood.cap}" if hood.cap is not None else f"{hood.count}"
        mark = " ⚠" if hood.at_cap else ""
        lines.append(f"• {hood.name} ({hood.municipality}): {cap}{mark}")
    if len(report.neighbourhoods) > MAX_NEIGHBOURHOODS:
        lines.append(f"• en nog {len(report.neighbourhoods) - MAX_NEIGHBOURHOODS} wijken")
    lines += [
        "",
        f"Wachtend: {_candidates(report.waiting)}, mediaan {_days(report.median_wait_days)} "
        f"({report.waiting_anywhere} zonder voorkeur voor een gemeente).",
        f"Voordrachten open: {report.open_proposals}, termijn verstreken: "
        f"{report.stalled_proposals}; mediaan {_days(report.median_open_days)}, oudste "
        f"{_days(report.oldest_open_days)}.",
    ]
    if report.declines:
        lines.append("Redenen van niet akkoord:")
        lines += [f"• {reason}: {n}" for reason, n in report.declines.items()]
    else:
        lines.append("Nog geen voordracht afgewezen.")
    return "\n".join(lines)


def as_csv(report: Report) -> str:
    """One row per figure: part, subject, figure, value (plain CSV, comma, UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["onderdeel", "onderwerp", "cijfer", "waarde"])
    for m in report.municipalities:
        for key in (
            "share",
            "due_to_date",
            "placed",
            "in_progress",
            "state",
            "waiting",
            "median_wait_days",
            "open_homes",
            "oldest_home_days",
        ):
            writer.writerow(["gemeente", m.id, key, _cell(getattr(m, key))])
    for hood in report.neighbourhoods:
        writer.writerow(["wijk", f"{hood.municipality}/{hood.name}", "count", hood.count])
        writer.writerow(["wijk", f"{hood.municipality}/{hood.name}", "cap", _cell(hood.cap)])
    for key in (
        "waiting",
        "median_wait_days",
        "waiting_anywhere",
        "open_proposals",
        "stalled_proposals",
        "median_open_days",
        "oldest_open_days",
    ):
        writer.writerow(["regio", report.region, key, _cell(getattr(report, key))])
    for reason, n in report.declines.items():
        writer.writerow(["afwijzing", reason, "count", n])
    return out.getvalue()


def _cell(value) -> str:
    return "" if value is None else str(value)
