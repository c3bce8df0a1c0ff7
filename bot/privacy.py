"""Keeping personal data out of what the bot stores."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_POSTCODE = re.compile(r"\b[1-9]\d{3}\s?[a-zA-Z]{2}\b")
_LONG_NUMBER = re.compile(r"(?:\+|\b)\d[\d\s-]{5,}\d\b")
_DATE = re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b")


def redact(text: str) -> str:
    """Mask e-mail addresses, postcodes, dates and long numbers (BSN, phone) in free text."""
    text = _EMAIL.sub("[e-mail]", text)
    text = _DATE.sub("[datum]", text)
    text = _LONG_NUMBER.sub("[nummer]", text)
    return _POSTCODE.sub("[postcode]", text)
