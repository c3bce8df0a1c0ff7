"""The personal-data guard: positive and negative examples, BSN elfproef included."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.personal_data import find_personal_data, is_bsn


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "999999990", "010000008"])
def test_valid_bsns_pass_the_elfproef(bsn):
    assert is_bsn(bsn)


@pytest.mark.parametrize(
    "digits", ["123456789", "111222334", "000000000", "12345678", "1234567890", "abcdefghi"]
)
def test_invalid_bsns_fail_it(digits):
    assert not is_bsn(digits)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("BSN 111222333", "een BSN"),
        ("bsn: 123.456.782", "een BSN"),
        ("bel haar op 06-12345678", "een telefoonnummer"),
        ("0612345678", "een telefoonnummer"),
        ("+31 6 1234 5678", "een telefoonnummer"),
        ("0031612345678", "een telefoonnummer"),
        ("vast nummer 020-1234567", "een telefoonnummer"),
        ("mail jan.de.vries@example.nl", "een e-mailadres"),
        ("woont op 1234 AB 12", "een postcode met huisnummer"),
        ("Dorpsstraat 5, 1012AB", "een postcode met huisnummer"),
        ("geboren 12-03-1985", "een geboortedatum"),
        ("geb. 3 maart 1990", "een geboortedatum"),
        ("12/03/1985", "een geboortedatum"),
    ],
)
def test_personal_data_is_found(text, kind):
    assert kind in find_personal_data(text)


@pytest.mark.parametrize(
    "text",
    [
        "heeft 2 kinderen en een hond",
        "huurschuld van 1200 euro, in de schuldhulp",
        "liefst begane grond, max huur 650",
        "verhuist 1-3-2027",
        "bsn 123456789 klopt niet",  # nine digits that fail the elfproef
        "postcodegebied 1012 AB",  # a postcode alone is an area, not an address
        "wacht al 18 maanden",
        "",
    ],
)
def test_ordinary_notes_pass(text):
    assert find_personal_data(text) == []


@given(st.text(max_size=500))
def test_the_guard_never_raises(text):
    assert isinstance(find_personal_data(text), list)


@pytest.mark.parametrize(
    "text", ["020 - 123 45 67", "+31 (0)6 12345678", "06 - 12 34 56 78", "(06) 12345678"]
)
def test_phone_numbers_in_every_usual_shape(text):
    assert "een telefoonnummer" in find_personal_data(text)


def test_a_recent_date_is_no_birth_date():
    assert find_personal_data("nazorg eindigde 1-3-2014") == []
