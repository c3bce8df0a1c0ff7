"""Dates as staff type them, echoed back in full; past and absurd dates refused."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.forms.dutch_dates import DateError, format_date, parse_date

TODAY = date(2026, 11, 22)  # a Sunday


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("1-3", date(2027, 3, 1)),
        ("1/3", date(2027, 3, 1)),
        ("15.12", date(2026, 12, 15)),
        ("1-3-2027", date(2027, 3, 1)),
        ("1-3-27", date(2027, 3, 1)),
        ("1 maart", date(2027, 3, 1)),
        ("1 mrt 2027", date(2027, 3, 1)),
        ("  1   Maart ", date(2027, 3, 1)),
        ("over 2 weken", date(2026, 12, 6)),
        ("over twee weken", date(2026, 12, 6)),
        ("over 10 dagen", date(2026, 12, 2)),
        ("over een maand", date(2026, 12, 22)),
        ("morgen", date(2026, 11, 23)),
        ("vandaag", TODAY),
        ("zo snel mogelijk", TODAY),
        ("volgende week", date(2026, 11, 29)),
    ],
)
def test_dutch_dates_are_understood(text, meant):
    assert parse_date(text, TODAY) == meant


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("1-1-2020", "ligt in het verleden"),
        ("1-1-2035", "meer dan drie jaar vooruit"),
        ("31-2", "begrijp ik niet"),
        ("1-13", "begrijp ik niet"),
        ("abc", "begrijp ik niet"),
        ("", "begrijp ik niet"),
        ("x" * 10_000, "begrijp ik niet"),
    ],
)
def test_bad_dates_are_explained(text, says):
    with pytest.raises(DateError, match=says):
        parse_date(text, TODAY)


def test_dates_are_echoed_in_full():
    assert format_date(date(2027, 3, 1)) == "maandag 1 maart 2027"


@given(st.text(max_size=60))
def test_any_text_gives_a_date_or_a_date_error(text):
    try:
        moment = parse_date(text, TODAY)
    except DateError as exc:
        assert str(exc)
    else:
        assert moment >= TODAY
