"""The overview as a short Dutch text (for the chat and the terminal) and as CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

from bot.aftercare.signals import OUTCOMES
from bot.forms.dutch_dates import format_date
from bot.reports.housed import REFERENCES, Aftercare
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
    lines += ["", *wanted_lines(report)]
    if report.aftercare is not None:
        lines += ["", *aftercare_lines(report.aftercare)]
    return "\n".join(lines)


def wanted_lines(report: Report) -> list[str]:
    """What to ask the corporations for: where and what kind of home, on a line of its own
    (that line can be passed on as it is), and below it for whom."""
    if not report.wanted:
        return [f"Gezocht: {NOTHING_WANTED}."]
    lines = ["Gezocht (vraag de corporaties om deze woningen):"]
    for w in report.wanted:
        if not w.candidates:
            lines.append(f"• {w.place}: elke woning ({ALL_SERVED})")
            continue
        lines.append(f"• {w.place}: " + (" · ".join(w.home) or "elke woning"))
        lines.append(f"  {for_whom(w.candidates[0], w.waiting - 1)}")
    return lines


NOTHING_WANTED = "nu geen woning, niemand wacht op een plaats met ruimte onder het plafond"
ALL_SERVED = "wie hier wacht, heeft al een passende open woning"


def for_whom(first: str, others: int) -> str:
    if not others:
        return f"voor {first}"
    who = "ander wacht" if others == 1 else "anderen wachten"
    return f"voor {first}; nog {others} {who} hier zonder passende woning"


def _share(part: int, whole: int) -> str:
    return f"{part} van {whole} ({round(100 * part / whole)}%)"


def aftercare_lines(care: Aftercare) -> list[str]:
    """Who stays housed, the returns, the check-ins and the signals, with the published
    figures beside them."""
    if not care.placements:
        return ["Nazorg: nog niemand verhuisd."]
    lines = [
        f"Nazorg: {care.placements} verhuisd, {care.living_there} wonen er nog "
        f"({care.returned} teruggevallen, {care.moved_on} doorgestroomd)."
    ]
    for h in care.horizons:
        if not h.reached:
            lines.append(f"• Na {h.months} maanden: nog niemand zo lang verhuisd.")
            continue
        lines.append(
            f"• Na {h.months} maanden: {_share(h.same_home, h.reached)} nog in de woning, "
            f"{_share(h.housed, h.reached)} niet teruggevallen."
        )
    periods = " · ".join(f"{period} dagen: {n}" for period, n in care.returns.items())
    lines.append(f"Terugval na de verhuizing (zoals HUD SPM 2 telt): {periods}.")
    rate = care.completion_rate
    done = "—" if rate is None else f"{round(100 * rate)}%"
    lines.append(
        f"Check-ins: {care.checkins_answered} beantwoord, {care.checkins_missed} gemist; "
        f"afgerond {done}."
    )
    closed = sum(care.signal_outcomes.values())
    outcomes = ", ".join(
        f"{OUTCOMES.get(key, key).lower()} {n}" for key, n in sorted(care.signal_outcomes.items())
    )
    lines.append(
        f"Signalen: {care.signals_open} open, {closed} afgerond"
        + (f" ({outcomes})." if outcomes else ".")
    )
    o = care.omklap
    if o and (o["loopt"] or o["omgeklapt"] or o["gestopt"]):
        lines.append(
            f"Omklapwoningen: {o['omgeklapt']} omgeklapt, {o['loopt']} lopend, {o['gestopt']} "
            f"gestopt; {o['besluiten']} besluiten, {o['oneens']} keer oneens."
        )
    lines.append("Ter vergelijking: " + "; ".join(REFERENCES) + ".")
    return lines


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
    for w in report.wanted:
        writer.writerow(["gezocht", w.place, "waiting", w.waiting])
    care = report.aftercare
    if care is not None:
        for key in ("placements", "living_there", "returned", "moved_on"):
            writer.writerow(["nazorg", report.region, key, getattr(care, key)])
        for h in care.horizons:
            for key in ("reached", "same_home", "housed"):
                writer.writerow(["nazorg", f"{h.months} maanden", key, getattr(h, key)])
        for period, n in care.returns.items():
            writer.writerow(["terugval", f"{period} dagen", "count", n])
        writer.writerow(["checkins", report.region, "answered", care.checkins_answered])
        writer.writerow(["checkins", report.region, "missed", care.checkins_missed])
        rate = care.completion_rate
        writer.writerow(
            ["checkins", report.region, "completion_rate", "" if rate is None else f"{rate:.3f}"]
        )
        writer.writerow(["signalen", report.region, "open", care.signals_open])
        for key, n in care.omklap.items():
            writer.writerow(["omklap", report.region, key, n])
        for p in care.per_placement:
            subject = f"{p.candidate}/{p.dwelling}"
            writer.writerow(["plaatsing", subject, "moved_on", p.moved_on])
            writer.writerow(
                ["plaatsing", subject, "left", f"{p.left_on or ''} {p.left_as or ''}".strip()]
            )
            for months, there in p.still_there.items():
                writer.writerow(["plaatsing", subject, f"in_home_{months}m", there or ""])
        for outcome, n in sorted(care.signal_outcomes.items()):
            writer.writerow(["signalen", outcome, "count", n])
    return out.getvalue()


def _cell(value) -> str:
    return "" if value is None else str(value)
