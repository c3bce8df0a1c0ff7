"""The personal-data guard for free-text fields (a short note, a reason).

Candidates are vulnerable people: a note about them may hold no BSN, phone number, e-mail
address, postcode with house number or date of birth. `find_personal_data` says what it found,
in Dutch, so the bot can explain why a text is refused.
"""

from __future__ import annotations

import re
from datetime import date

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Dutch numbers in any of the usual shapes: 06-12345678, 06 - 12 34 56 78, +31 (0)6 12345678,
# 0031612345678, 020 - 123 45 67: a run of digits, spaces, dashes and brackets, judged by
# its digits alone.
_PHONE_RUN = re.compile(r"(?<![\w])\+?\(?\d[\d\s().-]{8,20}\d(?!\w)")
# A postcode with a house number next to it: "1234 AB 5", "1234AB, 12a", "12 1234 AB".
_POSTCODE = re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Za-z]{2}\b")
_HOUSE_NUMBER = re.compile(r"\b\d{1,5}\s?[a-zA-Z]?\b")
_NINE_DIGITS = re.compile(r"(?<!\d)(\d[\s.-]?){8}\d(?!\d)")
_DATE = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})\b")
_WRITTEN_DATE = re.compile(
    r"\b\d{1,2}\s+(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|"
    r"november|december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec)\.?\s+(19|20)\d{2}\b",
    re.IGNORECASE,
)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{4}(?:\s?\d){10}\b", re.IGNORECASE)
_STREET = re.compile(
    r"\b[a-z]+(?:straat|laan|weg|plein|kade|gracht|dijk|singel|hof|pad|park|dreef|steeg)"
    r"\s+\d{1,5}\s?[a-z]?\b",
    re.IGNORECASE,
)
_BIRTH_WORDS = re.compile(r"\b(geb\.?|geboren|geboortedatum|dob|born)\b", re.IGNORECASE)


def is_bsn(digits: str) -> bool:
    """True for nine digits that pass the elfproef (11-check) of the Dutch BSN."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


def find_personal_data(text: str) -> list[str]:
    """What in `text` looks like personal data; each item a short Dutch description."""
    found: list[str] = []
    if _EMAIL.search(text):
        found.append("een e-mailadres")
    for match in _NINE_DIGITS.finditer(text):
        if is_bsn(re.sub(r"\D", "", match.group(0))):
            found.append("een BSN")
            break
    if _has_phone(_EMAIL.sub(" ", text)):
        found.append("een telefoonnummer")
    for match in _POSTCODE.finditer(text):
        around = text[max(0, match.start() - 8) : match.end() + 8]
        if _HOUSE_NUMBER.search(around.replace(match.group(0), " ")):
            found.append("een postcode met huisnummer")
            break
    if _looks_like_birth_date(text):
        found.append("een geboortedatum")
    if _IBAN.search(text):
        found.append("een rekeningnummer")
    if _STREET.search(text):
        found.append("een adres")
    return found


def mask_personal_data(text: str) -> str:
    """`text` with anything that looks like personal data replaced by a [label]; for free text
    the bot keeps although nobody vetted it (questions for the knowledge editors)."""
    text = _EMAIL.sub("[e-mail]", text)
    text = _IBAN.sub("[rekening]", text)
    text = _STREET.sub("[adres]", text)
    text = _WRITTEN_DATE.sub("[datum]", text)
    text = _DATE.sub("[datum]", text)
    text = _PHONE_RUN.sub(lambda m: "[telefoon]" if _has_phone(m.group(0)) else m.group(0), text)
    text = _NINE_DIGITS.sub("[nummer]", text)
    text = re.sub(r"\b[1-9]\d{3}\s?[A-Za-z]{2}\b", "[postcode]", text)
    # Any other long number (a client number, an account) goes too.
    return re.sub(r"\d{6,}", "[nummer]", text)


def _has_phone(text: str) -> bool:
    for match in _PHONE_RUN.finditer(text):
        digits = re.sub(r"\D", "", match.group(0).replace("(0)", ""))
        if digits.startswith("0031"):
            digits = "0" + digits[4:]
        elif digits.startswith("31") and match.group(0).lstrip().startswith("+"):
            digits = "0" + digits[2:]
        if len(digits) == 10 and digits.startswith("0") and digits[1] != "0":
            return True
    return False


def _looks_like_birth_date(text: str) -> bool:
    # A full date in a year an adult can be born in, or any full date next to "geboren"; a
    # move date or the end of aftercare ("1-3-2014") is fine in a note, a birth date is not.
    adult = date.today().year - 16
    for match in _DATE.finditer(text):
        year = int(match.group(3))
        year = year + 1900 if year < 100 and year > 30 else year + 2000 if year < 100 else year
        if 1900 <= year <= adult or _BIRTH_WORDS.search(text):
            return True
    for match in _WRITTEN_DATE.finditer(text):
        if 1900 <= int(match.group(0)[-4:]) <= adult or _BIRTH_WORDS.search(text):
            return True
    return False
