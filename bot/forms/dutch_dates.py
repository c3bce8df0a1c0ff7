"""Dates as Dutch staff type them: `1-3`, `1/3/2027`, `1 maart`, `over 2 weken`, `morgen`.

`parse_date` returns a `date` or raises `DateError` with a Dutch explanation; `format_date`
writes one out in full ("maandag 1 maart 2027") so the user sees what was understood.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "augustus": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
MONTH_NAMES = (
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()
DAY_NAMES = "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag".split()
NUMBER_WORDS = {"een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6}
# Further ahead than this is a typo, not a plan.
MAX_AHEAD = timedelta(days=3 * 366)

_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{2}|\d{4}))?$")
_WRITTEN = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d{4}))?$")
_RELATIVE = re.compile(r"^over\s+(\d{1,3}|[a-zé]+)\s+(dag|dagen|week|weken|maand|maanden)$")


class DateError(ValueError):
    """The text is no date we understand, or not one that can be used; the message says why."""


def parse_past_date(text: str, today: date) -> date:
    """A day that has been (a corrected move-in): "2 januari" on 5 January is this year's,
    in December it is also this year's, never one still to come. Raises `DateError`."""
    moment = parse_date(text, today, allow_past=True)
    if moment > today:
        try:
            earlier = moment.replace(year=moment.year - 1)
        except ValueError:  # 29 February
            earlier = moment.replace(year=moment.year - 1, day=28)
        if earlier <= today and not re.search(r"\d{4}", text):
            return earlier
    return moment


def parse_date(text: str, today: date, *, allow_past: bool = False) -> date:
    """The date meant by `text`, relative to `today`. Raises `DateError`."""
    cleaned = " ".join(text.strip().lower().split())[:40]
    moment = _parse(cleaned, today)
    if moment is None:
        raise DateError(
            "Die datum begrijp ik niet. Typ bijvoorbeeld 1-3, 1 maart, 1-3-2027 of over 2 weken."
        )
    if not allow_past and moment < today:
        raise DateError(
            f"{format_date(moment)} ligt in het verleden. Kies een datum vanaf vandaag."
        )
    if moment > today + MAX_AHEAD:
        raise DateError(f"{format_date(moment)} ligt meer dan drie jaar vooruit. Klopt het jaar?")
    return moment


def format_date(moment: date) -> str:
    return (
        f"{DAY_NAMES[moment.weekday()]} {moment.day} {MONTH_NAMES[moment.month - 1]} {moment.year}"
    )


def _parse(text: str, today: date) -> date | None:
    if text in ("vandaag", "nu", "zo snel mogelijk", "zsm", "direct", "meteen"):
        return today
    if text == "morgen":
        return today + timedelta(days=1)
    if text == "overmorgen":
        return today + timedelta(days=2)
    if text == "volgende week":
        return today + timedelta(weeks=1)
    if text == "volgende maand":
        return _add_months(today, 1)
    relative = _RELATIVE.match(text)
    if relative:
        amount_text, unit = relative.groups()
        amount = int(amount_text) if amount_text.isdigit() else NUMBER_WORDS.get(amount_text)
        if amount is None:
            return None
        if unit.startswith("dag"):
            return today + timedelta(days=amount)
        if unit.startswith("we"):
            return today + timedelta(weeks=amount)
        return _add_months(today, amount) if amount <= 36 else None
    numeric = _NUMERIC.match(text)
    if numeric:
        day, month, year = numeric.groups()
        return _build(int(day), int(month), _year(year), today)
    written = _WRITTEN.match(text)
    if written:
        day, month_word, year = written.groups()
        month = MONTHS.get(month_word)
        return _build(int(day), month, _year(year), today) if month else None
    return None


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


def _build(day: int, month: int, year: int | None, today: date) -> date | None:
    try:
        if year is not None:
            return date(year, month, day)
        moment = date(today.year, month, day)
        # "1-3" in December means next March.
        return moment if moment >= today else date(today.year + 1, month, day)
    except ValueError:
        return None


def _add_months(moment: date, months: int) -> date:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    for day in (moment.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover
