"""Amounts and numbers as Dutch staff type them, through the real fields of /woning: the
thousands dot ("1.000" is one thousand), cents after a comma, "650,-" and the euro sign."""

from __future__ import annotations

from datetime import date

import pytest

from bot.forms.dwelling import DWELLING_FORM
from bot.forms.engine import FormContext, InvalidAnswerError, parse_typed

CTX = FormContext(
    region_id="testregio", municipalities=(), neighbourhoods={}, today=date(2026, 1, 5)
)
NO_NUMBER = "Dat is geen getal. Typ een bedrag, bijvoorbeeld 650 of 650,50."
OUT_OF_RANGE = "Kies een waarde van € 100 tot € 2000. Typ een bedrag, bijvoorbeeld 650 of 650,50."


def parse(key: str, text: str):
    return parse_typed(DWELLING_FORM.field(key), text, CTX, {})


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("650", 650),
        ("650,50", 650.50),
        ("650,5", 650.50),
        ("650,-", 650),
        ("650.50", 650.50),
        ("650.5", 650.50),
        ("€ 650", 650),
        ("€650", 650),
        ("650 euro", 650),
        ("650 EUR", 650),
        ("650€", 650),
        ("1000", 1000),
        ("1.000", 1000),
        ("1.000,00", 1000),
        ("€ 1.000,00", 1000),
        ("€1.000,50", 1000.50),
        ("1.250,-", 1250),
        ("1.250,5", 1250.50),
        ("1 000", 1000),
        ("1 250,75", 1250.75),
        ("€ 1 000,00", 1000),
        ("1.000 euro", 1000),
        ("  1.000,00  ", 1000),
    ],
)
def test_rent_accepts_the_dutch_ways_of_writing_an_amount(typed, value):
    assert parse("net_rent", typed) == value


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("1,000", NO_NUMBER),  # a comma before three digits: English thousands or a typo
        ("1.000.50", NO_NUMBER),  # a dot for thousands and for the cents
        ("1.00.000", NO_NUMBER),
        ("1.0000", NO_NUMBER),
        ("0.650", NO_NUMBER),
        ("1 000.50", NO_NUMBER),
        ("1.000 000", NO_NUMBER),
        ("1.000,000", NO_NUMBER),
        ("-5", NO_NUMBER),
        (".50", NO_NUMBER),
        ("zeshonderd", NO_NUMBER),
        ("99", OUT_OF_RANGE),
        ("2.500", OUT_OF_RANGE),
        ("2.000,01", OUT_OF_RANGE),
        ("1.000.000", OUT_OF_RANGE),
    ],
)
def test_rent_refuses_what_is_no_amount_or_out_of_range(typed, error):
    with pytest.raises(InvalidAnswerError) as refused:
        parse("net_rent", typed)
    assert str(refused.value) == error


@pytest.mark.parametrize(
    ("typed", "value"),
    [("Geen", 0), ("0", 0), ("0,00", 0), ("€ 45,50", 45.50), ("45.5", 45.50)],
)
def test_service_costs_take_zero_and_cents(typed, value):
    assert parse("service_costs", typed) == value


@pytest.mark.parametrize(
    ("typed", "outcome"),
    [
        ("3", 3),
        ("3,-", 3),
        ("1.000", "Kies een waarde van 1 tot 8. Typ een getal."),  # one thousand, never 1
        ("1 000", "Kies een waarde van 1 tot 8. Typ een getal."),
        ("2,5", "Typ een heel getal. Typ een getal."),
        ("2.5", "Typ een heel getal. Typ een getal."),
        ("1.000,00", "Typ een heel getal. Typ een getal."),
        ("drie", "Dat is geen getal. Typ een getal."),
    ],
)
def test_a_number_field_takes_whole_numbers_and_reads_the_thousands_dot(typed, outcome):
    if isinstance(outcome, int):
        value = parse("rooms", typed)
        assert (value, type(value)) == (outcome, int)
        return
    with pytest.raises(InvalidAnswerError) as refused:
        parse("rooms", typed)
    assert str(refused.value) == outcome
