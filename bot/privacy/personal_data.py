"""The personal-data guard for free-text fields (a short note, a reason), and the mask for
free text the bot keeps without anyone vetting it.

Candidates are vulnerable people: a note about them may hold no BSN, phone number, e-mail
address, postcode with house number, street address, date of birth, bank account or a person's
name. `find_personal_data` says what it found, in Dutch, so the bot can explain why a text is
refused; `mask_personal_data` replaces exactly those findings by a [label].

Both run the same scan. The text is normalised first (NFKC, so fullwidth and other look-alike
characters become plain ones; invisible characters such as zero-width spaces dropped; every
dash a '-'; digits of any script plain digits). Then each detector finds spans. Numbers are
judged whole by what their digits say (the BSN's elfproef, the shape of a phone number, the
IBAN's check), not by the separators someone typed. Words around a match decide what the
match is: a year followed by "in" or "MO" is no postcode, a date after "sinds" or "verhuisd"
is no birth date, "3" before "keer" is no house number, a capital after a title or initials
is a name but a capital after a full stop is just a new sentence.

Some things count only next to the word that says what they are, because the same digits or
words are ordinary elsewhere: eight digits that pass the elfproef with a leading zero (an old
BSN) only next to "bsn"; a date without separators ("03041985", "19850403") only right after
a birth word; a postcode without house number only after "postcode" (it gets the postcode
label all the same: other modules filter on that label); a street without a street's suffix
("Lange Voorhout 12"; a few, such as "Spaarne 100", are known by name) only after "adres",
"woont aan", "verhuisd naar" or before "te Haarlem"; a name without title or initials only
after "naam", "heet" or "genaamd".
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from datetime import date
from typing import NamedTuple

EMAIL = "een e-mailadres"
BSN = "een BSN"
PHONE = "een telefoonnummer"
POSTCODE = "een postcode met huisnummer"
BIRTH_DATE = "een geboortedatum"
ACCOUNT = "een rekeningnummer"
ADDRESS = "een adres"
NAME = "een naam"
LABELS = (EMAIL, BSN, PHONE, POSTCODE, BIRTH_DATE, ACCOUNT, ADDRESS, NAME)
# What a masked question shows instead; "[nummer]" is any other long number (mask only).
TAGS = {
    EMAIL: "[e-mail]",
    BSN: "[bsn]",
    PHONE: "[telefoon]",
    POSTCODE: "[postcode]",
    BIRTH_DATE: "[datum]",
    ACCOUNT: "[rekening]",
    ADDRESS: "[adres]",
    NAME: "[naam]",
}
_LONG_NUMBER = "[nummer]"


class _Found(NamedTuple):
    start: int
    end: int
    label: str


# --- normalising -------------------------------------------------------------------------------

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_DASHES = frozenset("\u2212\u2043\u02d7\u2796\ufe63\uff0d")  # besides category Pd
_APOSTROPHES = frozenset("\u2018\u2019\u201b\u2032\u00b4\u02bc\u02b9\u0301")


def _normalise_piece(piece: str) -> str:
    out = []
    for ch in unicodedata.normalize("NFKC", piece):
        if ch.isascii():
            out.append(ch)
            continue
        category = unicodedata.category(ch)
        if category in ("Cf", "Mn"):  # zero-width and other invisibles; a stray accent
            continue
        if category == "Pd" or ch in _DASHES:
            out.append("-")
        elif ch in _APOSTROPHES:
            out.append("'")
        elif category == "Nd":
            out.append(str(unicodedata.decimal(ch)))
        elif category == "Zs":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


class _Text:
    """The normalised text, and the way back from its positions to the original's."""

    def __init__(self, original: str) -> None:
        # (start here, start there, end there, same length) per piece; none for plain ASCII.
        self._pieces: list[tuple[int, int, int, bool]] = []
        if original.isascii():
            self.text = original
            return
        parts: list[str] = []
        here = there = 0
        for match in _NON_ASCII.finditer(original):
            start = match.start()
            # An accent typed as a combining character belongs to the letter before it.
            if start > there and unicodedata.combining(original[start]):
                start -= 1
            if start > there:
                parts.append(original[there:start])
                self._pieces.append((here, there, start, True))
                here += start - there
            piece = _normalise_piece(original[start : match.end()])
            parts.append(piece)
            self._pieces.append((here, start, match.end(), len(piece) == match.end() - start))
            here += len(piece)
            there = match.end()
        if there < len(original):
            parts.append(original[there:])
            self._pieces.append((here, there, len(original), True))
        self.text = "".join(parts)
        self._starts = [p[0] for p in self._pieces]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if not self._pieces:
            return start, end
        return self._position(start, True), self._position(end - 1, False)

    def _position(self, index: int, first: bool) -> int:
        here, there, there_end, same = self._pieces[bisect.bisect_right(self._starts, index) - 1]
        if same:
            return there + index - here + (0 if first else 1)
        return there if first else there_end


# --- shared word lists -------------------------------------------------------------------------

_LETTER = r"[^\W\d_]"
# A number followed by one of these counts something: "3 keer", "2 jaar", "5 minuten".
_UNITS = (
    r"(?:jaar|jaren|jr|maand|maanden|mnd|week|weken|wk|dag|dagen|dagdeel|dagdelen|nacht|"
    r"nachten|uur|uren|min|minuut|minuten|kwartier|keer|x|maal|kamer|kamers|slaapkamers|kind|"
    r"kinderen|persoon|personen|pers|euro|eur|m2|km|meter|procent|hond|honden|kat|katten|"
    r"huisdieren|stuks|avond|avonden|ochtend|ochtenden|middag|middagen|etages|verdiepingen|"
    r"woningen|mensen|cliënten|clienten|kandidaten|plekken|plaatsen|bedden|schuldeisers|"
    r"opnames|incidenten|meldingen|gesprekken|afspraken|boten|kramen|winkels)"
)
_UNIT_AFTER = rf"(?!\s?(?:%|{_UNITS}(?!{_LETTER})))"
# What may follow a house number: "12a", "12 A", "12-2", "7-A" (not the "t" of "1 t/m 20").
_HOUSE_LETTER = rf"(?:\s?[A-Za-z](?!{_LETTER}|[/'])|-[0-9A-Za-z]{{1,3}}(?![0-9A-Za-z]))?"


def _word_start(words: list[str]) -> str:
    """One of `words` (any case) at the start of a word. 'mevr mw dhr' becomes
    '[mMdD](?<!L.)(?:(?<=[mM])(?i:evr|w)|(?<=[dD])(?i:hr))': a pattern that starts with a
    plain character class lets `re` skip quickly to the places worth trying."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(word[1:])
    first = "".join(c + c.upper() for c in groups)
    rest = "|".join(f"(?<=[{c}{c.upper()}])(?i:{'|'.join(tails)})" for c, tails in groups.items())
    return f"[{first}](?<!{_LETTER}.)(?:{rest})"


def _is_year(number: str) -> bool:
    return len(number) == 4 and 1900 <= int(number) <= 2100


# --- e-mail ------------------------------------------------------------------------------------

_AT = r"(?:\s?@\s?|\s?[\[({]\s?(?:at|apenstaartje)\s?[\])}]\s?)"
_DOT = r"(?:\.|\s?[\[({]\s?(?:dot|punt)\s?[\])}]\s?)"
_DOMAIN_PART = r"[^\W_](?:[\w-]*[^\W_])?"
_EMAIL = re.compile(
    rf"[\w.+-]*[^\W_]{_AT}{_DOMAIN_PART}(?:{_DOT}{_DOMAIN_PART})*{_DOT}{_LETTER}{{2,}}(?![\w-])",
    re.IGNORECASE,
)
_EMAIL_HINT = re.compile(r"@|[\[({]\s?(?:at|apenstaartje)\s?[\])}]", re.IGNORECASE)


def _emails(text: str) -> list[tuple[int, int]]:
    if not _EMAIL_HINT.search(text):
        return []
    return [m.span() for m in _EMAIL.finditer(text)]


# --- bank account (IBAN) -----------------------------------------------------------------------

_IBAN = re.compile(
    r"(?<![^\W_])[A-Za-z]{2}[0-9]{2}(?:[ -]?[A-Za-z0-9]{4}){2,7}(?:[ -]?[A-Za-z0-9]{1,3})?"
    r"(?![^\W_])"
)
_DUTCH_IBAN = re.compile(r"NL[0-9]{2}[A-Z]{4}[0-9]{10}")


def _accounts(text: str) -> list[tuple[int, int]]:
    found = []
    for match in _IBAN.finditer(text):
        chars = [(i, c.upper()) for i, c in enumerate(match.group(0)) if c.isalnum()]
        # The candidate may have swallowed a word after it: try it shorter, to a valid IBAN.
        for length in range(len(chars), 11, -1):
            code = "".join(c for _, c in chars[:length])
            if sum(c.isdigit() for c in code[4:]) < 6:
                continue
            if _iban_checks(code) or _DUTCH_IBAN.fullmatch(code):
                found.append((match.start(), match.start() + chars[length - 1][0] + 1))
                break
    return found


def _iban_checks(code: str) -> bool:
    moved = code[4:] + code[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


# --- phone numbers -----------------------------------------------------------------------------

# Digits with at most a few separators between them; what the digits say decides.
_NUMBER_RUN = re.compile(r"(?:\(?\+\s?\(?|\()?[0-9](?<![0-9][0-9])(?:[ ().\-/]{0,3}[0-9])*+")
_PHONE_PREFIXES = frozenset(
    "tel telefoon telnr telefoonnummer tnr t mob mobiel m gsm nr nummer whatsapp wa sms bel "
    "fax ph phone mobile tlf".split()
)
_WORD_BEFORE = re.compile(rf"{_LETTER}+$")
_AFTER_FIRST_PART = re.compile(r"\s+")
_PART = re.compile(r"(?:\(?\+\s)?\S+")  # "+ 31" is one part
_PHONE_START = re.compile(r"(?<!\S)\(?[0+]")
_TEN_DIGITS = re.compile(r"0(?<![0-9]0)[1-9][0-9]{8}(?![0-9])")


def _phones(text: str) -> list[tuple[int, int]]:
    found = []
    for run in _NUMBER_RUN.finditer(text):
        if _digit_count(run.group(0)) < 8:
            continue
        start, digits = run.start(), run.group(0)
        if start and text[start - 1].isalpha():
            glued = _WORD_BEFORE.search(text, 0, start)
            if glued is None or glued.group(0).lower() not in _PHONE_PREFIXES:
                # "kamer12" or "BSN123456782" is no phone number, but what follows may be.
                rest = _AFTER_FIRST_PART.search(digits)
                if rest is None:
                    continue
                start, digits = start + rest.end(), digits[rest.end() :]
        found.extend(_phones_in_run(digits, start))
    return found


def _phones_in_run(run: str, offset: int) -> list[tuple[int, int]]:
    """The phone numbers in a run of digits: the whole run if it is one number, else the
    longest among its parts ("huur 650 0612345678"). The parts are what spaces separate: a
    date ("01-01-2019 - 01-03-2019") is taken whole, never half of it with half the next;
    only ten digits written as one ("0612345678/0687654321") are a number by themselves."""
    found = []
    if _PHONE_START.search(run):
        parts = [(m.start(), m.end(), _digit_count(m.group(0))) for m in _PART.finditer(run)]
        total = [0]  # digits in the parts before each one
        for part in parts:
            total.append(total[-1] + part[2])
        digits = "".join(c for c in run if c.isdigit())
        i = 0
        while i < len(parts):
            last = _longest_phone(run, digits, parts, total, i)
            if last is None:
                i += 1
                continue
            start, end = parts[i][0], parts[last][1]
            # "(06-12345678, ..." opens an aside; "(06) 12345678" is the number's own.
            unbalanced = run[start] == "(" and ")" not in run[start:end]
            found.append((offset + start + unbalanced, offset + end))
            i = last + 1
    for match in _TEN_DIGITS.finditer(run):
        span = (offset + match.start(), offset + match.end())
        if not any(_overlap(span, other) for other in found):
            found.append(span)
    return found


def _longest_phone(run: str, digits: str, parts: list, total: list[int], i: int) -> int | None:
    """The last part of the longest phone number that starts with part `i`, if any. A
    number with a country code has at most 17 digits and 32 characters; without one it has
    exactly ten, the first a 0, and at most 37 characters."""
    start = parts[i][0]
    if not parts[i][2]:
        return None
    international = run[start : start + 3].lstrip("(").startswith("+")
    # The first digits, whatever separates them: "06", "0 6 1 2 ...", "0-6-...".
    first = digits[total[i] : total[i] + 3]
    if not international and (first[:1] != "0" or first == "000"):
        return None  # no country code begins with a 0
    if international or first.startswith("00"):
        lasts = [
            j
            for j in range(i, min(len(parts), i + 17))
            if 8 <= total[j + 1] - total[i] <= 17 and parts[j][1] - start <= 32
        ]
    elif "1" <= first[1:2] <= "9":
        end = bisect.bisect_left(total, total[i] + 10)
        ten = end <= len(parts) and total[end] - total[i] == 10
        # Ten digits with up to three separators between each: "0 - 6 - 1 - 2 ...".
        lasts = [end - 1] if ten and parts[end - 1][1] - start <= 37 else []
    else:
        return None
    return next((j for j in reversed(lasts) if _is_phone(run[start : parts[j][1]])), None)


def _digit_count(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _is_phone(candidate: str) -> bool:
    candidate = candidate.replace("(0)", "")
    digits = "".join(c for c in candidate if c.isdigit())
    if candidate.lstrip("(").startswith("+"):
        if digits.startswith("31"):
            return _is_dutch_number("0" + digits[2:])
        return 8 <= len(digits) <= 15 and digits[0] != "0"  # E.164: at most 15 digits
    if digits.startswith("00") and len(digits) > 2 and digits[2] != "0":
        if digits.startswith("0031"):
            return _is_dutch_number("0" + digits[4:])
        return 10 <= len(digits) <= 17
    return _is_dutch_number(digits)


def _is_dutch_number(digits: str) -> bool:
    return len(digits) == 10 and digits[0] == "0" and digits[1] != "0"


# --- BSN ---------------------------------------------------------------------------------------

# Digits joined by what may separate a BSN's digits: "123.456.782", "123 456 782", "123 - 456".
# A BSN is nine of them in a row, not glued to a digit before or after. Every start in the run
# is tried: in "03-04-1985 423.483.687" the nine digits "04-1985 423" fail the elfproef, and
# the BSN that overlaps them must still be found.
_DIGIT_RUN = re.compile(r"[0-9](?:(?:\s{0,2}[-./,]\s{0,2}|\s{1,2})?[0-9])*+")


def is_bsn(digits: str) -> bool:
    """True for nine digits that pass the elfproef (11-check) of the Dutch BSN."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


# A BSN issued before 2007 may be written with eight digits (the elfproef reads a leading
# zero). Eight digits are also a date or a dossier number, so only next to the word "bsn".
_BSN_WORDS = ["b\\.?s\\.?n", "burger\\s?service\\s?n(?:umme)?r", "sofi(?:-?n(?:umme)?r)?"]
_BSN_WORD = re.compile(_word_start(_BSN_WORDS) + rf"(?!{_LETTER})")
# What may come between the word and the number: "bsn-nummer: ", "BSN van cliënt: ".
_BSN_WORD_THEN = re.compile(
    r"(?i:\s?-?(?:nummer|nr)\.?)?"
    r"(?i:\s(?:van\s(?:de\s)?)?(?:cliënt|client|kandidaat|moeder|vader|partner|zoon|dochter|"
    r"kind|ex|hem|haar|mevrouw|meneer))?(?i:\sis|\swas)?[\s.:=(]{0,4}"
)
_BSN_WORD_AFTER = re.compile(
    r"[\s.:=),-]{0,3}(?:(?i:is|was|zijn|haar|het|de)\s){0,2}"
    + _word_start(_BSN_WORDS)
    + rf"(?!{_LETTER})"
)
# "BSN aangevraagd 12-03-2025", "bsn sinds 2019 2021": eight digits, but a date or two years.
_DATE_SHAPE = re.compile(
    r"[0-9]{1,2}([-./])[0-9]{1,2}\1(?:19|20)[0-9]{2}"
    r"|(?:19|20)[0-9]{2}([-./])[0-9]{1,2}\2[0-9]{1,2}"
    r"|(?:19|20)[0-9]{2}\s?[-/]?\s?(?:19|20)[0-9]{2}"
)


def _bsns(text: str) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    words = [m.end() for m in _BSN_WORD.finditer(text)]  # eight digits only near one
    for run in _DIGIT_RUN.finditer(text):
        chars = run.group(0)
        if len(chars) < 8:
            continue
        if chars.isdigit():  # one number: only all of it can be a BSN
            nine = len(chars) == 9 and is_bsn(chars)
            if nine or (len(chars) == 8 and words and _eight_digit_bsn(text, run.span(), words)):
                found.append(run.span())
            continue
        at = [i for i, c in enumerate(chars) if c.isdigit()]
        values = [ord(chars[i]) - 48 for i in at]
        # Where a digit may begin or end a BSN: not glued to the digit before or after it.
        free = [at[i + 1] - at[i] > 1 for i in range(len(at) - 1)] + [True]
        k = 0
        while k + 8 <= len(at):
            if k and not free[k - 1]:
                k += 1
                continue
            for length in (9, 8) if words else (9,):
                last = k + length - 1
                if last >= len(at) or not free[last] or not _elfproef(values, k, length):
                    continue
                span = (run.start() + at[k], run.start() + at[last] + 1)
                if length == 8 and not (
                    # "1234.56.78.9" goes on
                    (last + 1 == len(at) or chars[at[last] + 1 : at[last + 1]].isspace())
                    and _eight_digit_bsn(text, span, words)
                ):
                    continue
                found.append(span)
                k = last
                break
            k += 1
    return found


def _elfproef(v: list[int], k: int, length: int) -> bool:
    """is_bsn on `length` (9, or 8 with a leading zero) of the digits from `k`; written out,
    as it runs at every digit of a long run."""
    if length == 9:
        total = 9 * v[k] + 8 * v[k + 1] + 7 * v[k + 2] + 6 * v[k + 3] + 5 * v[k + 4]
        total += 4 * v[k + 5] + 3 * v[k + 6] + 2 * v[k + 7] - v[k + 8]
    else:
        total = 8 * v[k] + 7 * v[k + 1] + 6 * v[k + 2] + 5 * v[k + 3] + 4 * v[k + 4]
        total += 3 * v[k + 5] + 2 * v[k + 6] - v[k + 7]
    return total % 11 == 0 and any(v[k : k + length])


def _eight_digit_bsn(text: str, span: tuple[int, int], words: list[int]) -> bool:
    """Eight digits passing the elfproef are a BSN right after or before "bsn", unless
    they are a date."""
    if not is_bsn("0" + "".join(c for c in text[span[0] : span[1]] if c.isdigit())):
        return False
    if _DATE_SHAPE.fullmatch(text, *span):
        return False
    i = bisect.bisect_right(words, span[0]) - 1
    if i >= 0 and _BSN_WORD_THEN.fullmatch(text, words[i], span[0]):
        return True
    return _BSN_WORD_AFTER.match(text, span[1]) is not None


# --- postcode with house number ----------------------------------------------------------------

_POSTCODE = re.compile(rf"([1-9])(?<![0-9A-Za-z].)([0-9]{{3}}) ?([A-Za-z]{{2}})(?!{_LETTER})")
# Two-letter Dutch (and English) words: "2019 in", "2023 al", "2020 op" are no postcodes.
_SHORT_WORDS = frozenset(
    "al af as at be by do en er ge go ha he hè ik if in is it je ja me mn my na no nu of oh ok "
    "om on op or pa so te to up us uw we ze zo".split()
)
# Abbreviations a note uses after a year: "sinds 2019 MO", "2021 AB".
_SHORT_ABBREVIATIONS = frozenset(
    "ab bw mo nl eu km kg cm mm bg hs wk ma di wo do vr za jr pp ca vs nr st tm zw ww ao aow "
    "bv nv gb hb pw wa wt gg vg lb mw".split()
)
_HOUSE_AFTER = re.compile(
    r"[ ,]{0,3}(?:(?:huisnummer|huisnr|hnr|nummer|nr|no)\.?:? ?)?([0-9]{1,4})(?![0-9]|[.,][0-9])"
    + _UNIT_AFTER
    + _HOUSE_LETTER,
    re.IGNORECASE,
)
_HOUSE_BEFORE = re.compile(r"(?<![0-9.,])([0-9]{1,4})(?: ?[A-Za-z])?[ ,]{1,3}$")
_HOUSE_KEYWORD = re.compile(r"\b(?:huisnummer|huisnr|hnr)\.?:? ?[0-9]{1,4}\b", re.IGNORECASE)
_POSTCODE_KEYWORD = re.compile(
    r"\b(?:postcode|pc)(?:\s(?:is|was|wordt|nu))?\W{0,3}$", re.IGNORECASE
)
# After a year with an abbreviation only an address's end may follow the house number.
_ADDRESS_END = re.compile(r"\s*(?:$|[,.;:)]|[A-Z])")


def _postcodes(text: str) -> list[tuple[int, int]]:
    found = []
    for match in _POSTCODE.finditer(text):
        number, letters = match.group(1) + match.group(2), match.group(3)
        low = letters.lower()
        if low in ("sa", "sd", "ss") or (not letters.isupper() and low in _SHORT_WORDS):
            continue
        keyword = _POSTCODE_KEYWORD.search(text, max(0, match.start() - 20), match.start())
        yearish = _is_year(number) and (low in _SHORT_WORDS or low in _SHORT_ABBREVIATIONS)
        yearish = yearish and not keyword
        after = _HOUSE_AFTER.match(text, match.end())
        if (
            after
            and not _is_year(after.group(1))
            and (not yearish or _ADDRESS_END.match(text, after.end()))
        ):
            found.append((match.start(), after.end()))
            continue
        if yearish:
            continue
        before = _HOUSE_BEFORE.search(text, max(0, match.start() - 10), match.start())
        if before and not _is_year(before.group(1)):
            found.append((before.start(), match.end()))
        elif keyword or _HOUSE_KEYWORD.search(text, max(0, match.start() - 30), match.end() + 30):
            # "postcode 2011 AB" says whose it is even without the number; a postcode
            # alone ("postcodegebied 1012 AB", "in 2011 AB") is an area.
            found.append(match.span())
    return found


# --- birth dates -------------------------------------------------------------------------------

_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "febr": 2, "maart": 3, "mrt": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8,
    "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR = r"(?:'([0-9]{2})|([0-9]{4})|([0-9]{2}))(?![0-9:])"
_DAY_FIRST = re.compile(rf"([0-9](?<![0-9].)[0-9]?)\s?([-/.])\s?([0-9]{{1,2}})\s?\2\s?{_YEAR}")
_YEAR_FIRST = re.compile(
    r"([12](?<![0-9].)[09][0-9]{2})\s?([-/.])\s?([0-9]{1,2})\s?\2\s?([0-9]{1,2})(?![0-9])"
)
_WRITTEN = re.compile(
    rf"([0-9](?<![0-9].)[0-9]?)(?:e|ste|de)?\s?(?=[adfjmnosADFJMNOS])({_MONTH})(?!{_LETTER})"
    rf"\.?(?:\s?,?\s?{_YEAR})?",
    re.IGNORECASE,
)
_BIRTH_WORDS = frozenset(
    "geb geboren geboortedatum geboortejaar geboortedag geboorte gebdatum gebdat dob born "
    "birth birthday jarig verjaardag".split()
)
_BIRTH_YEAR = re.compile(
    _word_start(["geb", "geboren", "geboortejaar", "geboortedatum"])
    + rf"(?!{_LETTER})[\s.:]*(?i:(?:in|uit|van)\s+)?"
    + r"('[0-9]{2}|(?:19|20)[0-9]{2})(?![0-9])"
)
_YEAR_THEN_BIRTH = re.compile(
    rf"(?<![0-9])('[0-9]{{2}}|(?:19|20)[0-9]{{2}})\s(?i:geboren|geb)(?!{_LETTER})"
)
# A date written without separators ("03041985", "19850403", "030485") or with spaces only
# ("03 04 1985") is a date only right after a birth word ("geb 19850403") or before "geboren";
# anywhere else such digits are a client or dossier number (the mask hides those too).
_COMPACT_DATE = re.compile(
    r"(?<![0-9])(?:([0-9]{8})|([0-9]{6})|([0-9]{1,2}) ([0-9]{1,2}) ([0-9]{4}))(?![0-9])"
)
_BIRTH_WORD = re.compile(
    "(?:"
    # the longest first: "geb.datum" is one word, not "geb" and ".datum"
    + _word_start(["geb\\.?\\s?dat(?:um)?", "geboren", "geboortedatum", "geboortedag", "geb"])
    + "|"
    + _word_start(["dob", "born"])
    + rf")(?!{_LETTER})|°"
)
_BIRTH_WORD_THEN = re.compile(r"[\s.:=]*(?i:op\s+)?")
_BIRTH_WORD_JUST_AFTER = re.compile(rf"\s?(?i:geboren|geb)(?!{_LETTER})")


def _compact_birth_dates(text: str) -> list[tuple[int, int]]:
    """Dates without separators next to a birth word; 8 digits are day first or year first,
    6 digits day first ("030485")."""
    found: list[tuple[int, int]] = []
    words = [m.end() for m in _BIRTH_WORD.finditer(text)]
    if not words:
        return found
    for match in _COMPACT_DATE.finditer(text):
        eight, six, day, month, year = match.groups()
        if eight:
            candidates = [(eight[:2], eight[2:4], eight[4:]), (eight[6:], eight[4:6], eight[:4])]
        elif six:
            candidates = [(six[:2], six[2:4], str(_full_year(None, None, six[4:])))]
        else:
            candidates = [(day, month, year)]
        if not any(_is_date(*c) for c in candidates):
            continue
        i = bisect.bisect_right(words, match.start()) - 1
        if (
            i >= 0 and _BIRTH_WORD_THEN.fullmatch(text, words[i], match.start())
        ) or _BIRTH_WORD_JUST_AFTER.match(text, match.end()):
            found.append(match.span())
    return found


def _is_date(day: str, month: str, year: str) -> bool:
    if not 1900 <= int(year) <= date.today().year:
        return False
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


# A date next to one of these is when something happened, not when someone was born.
# Before a date, or right after it ("1-1-2005 tot 1-1-2007"), these make it a moment in time.
_EVENT_PREPOSITIONS = frozenset("sinds vanaf per tot t/m tm tussen na voor vóór".split())
_EVENT_WORDS = frozenset(
    """eind einde begin start gestart startdatum
    einddatum ingang ingangsdatum ingegaan begonnen eindigde geëindigd gestopt stopt afgerond
    afgesloten beëindigd verhuisd verhuizing verhuist verhuizen verhuisdatum opgenomen opname
    ontslag ontslagen uitgestroomd uitstroom instroom ingestroomd dakloos bewind bewindvoering
    bewindvoerder nazorg contract huurcontract beschikking indicatie aanmelding aangemeld
    ingeschreven inschrijving inschrijfdatum geregistreerd ontruimd ontruiming uitgezet gezet
    huisuitzetting uitzetting schuld schulden schuldhulp wsnp vonnis uitspraak uitgesproken
    detentie gedetineerd vrijgelaten gescheiden scheiding overleden sleutel sleuteloverdracht
    oplevering intake gesprek afspraak evaluatie peildatum looptijd verlopen verloopt geldig
    terugval teruggevallen gekomen aangekomen binnengekomen gevlucht geëmigreerd
    geïmmigreerd teruggekeerd vertrokken""".split()
)
_CONTEXT_WORD = re.compile(rf"t/m|{_LETTER}+")
_CLAUSE_END = re.compile(r"[,.;:!?()]")


def _birth_dates(text: str, adult_year: int) -> list[tuple[int, int]]:
    found = []
    for match in _DAY_FIRST.finditer(text):
        day, month = int(match.group(1)), int(match.group(3))
        year = _full_year(match.group(4), match.group(5), match.group(6))
        if _is_birth_date(text, match.span(), day, month, year, adult_year):
            found.append(match.span())
    for match in _YEAR_FIRST.finditer(text):
        year, month, day = int(match.group(1)), int(match.group(3)), int(match.group(4))
        if _is_birth_date(text, match.span(), day, month, year, adult_year):
            found.append(match.span())
    for match in _WRITTEN.finditer(text):
        day, month = int(match.group(1)), _MONTHS[match.group(2).lower()]
        year = _full_year(match.group(3), match.group(4), match.group(5))
        if _is_birth_date(text, match.span(), day, month, year, adult_year):
            found.append(match.span())
    for pattern in (_BIRTH_YEAR, _YEAR_THEN_BIRTH):  # "geboren in 1985", "1985 geboren"
        found.extend(match.span(1) for match in pattern.finditer(text))
    found.extend(_compact_birth_dates(text))
    return found


def _full_year(apostrophe: str | None, four: str | None, two: str | None) -> int | None:
    if four:
        return int(four)
    short = apostrophe or two
    if short is None:
        return None
    year = int(short)
    return year + (2000 if year <= date.today().year % 100 else 1900)


def _is_birth_date(
    text: str, span: tuple[int, int], day: int, month: int, year: int | None, adult_year: int
) -> bool:
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    before = [w.lower() for w in _CONTEXT_WORD.findall(text, max(0, span[0] - 40), span[0])][-4:]
    clause = _CLAUSE_END.split(text[span[1] : span[1] + 40], maxsplit=1)[0]
    after = [w.lower() for w in _CONTEXT_WORD.findall(clause)[:4]]
    if any(w in _BIRTH_WORDS for w in before + after) or "°" in text[max(0, span[0] - 3) : span[0]]:
        return True
    if year is None or any(w in _EVENT_WORDS for w in before + after):
        return False
    if any(w in _EVENT_PREPOSITIONS for w in before + after[:1]):
        return False
    return 1900 <= year <= adult_year


# --- street addresses --------------------------------------------------------------------------

_SUFFIXES = frozenset(
    "straat laan weg plein markt kade gracht dijk singel hof pad park dreef steeg baan "
    "boulevard allee plantsoen burgwal wal vaart brink vest haven straatje steegje laantje "
    "pleintje".split()
)
_SUFFIX_LENGTHS = sorted({len(s) for s in _SUFFIXES}, reverse=True)
_ADJECTIVES = frozenset(
    "grote kleine oude nieuwe lange korte hoge lage brede smalle binnen buiten achter eerste "
    "tweede derde noord zuid oost west noorder zuider ooster wester heilige donkere "
    "gedempte".split()
)
# Streets that are one bare word, capitalised: "Singel 440", "Markt 12", "Spaarne 100".
_BARE_STREETS = frozenset(
    "Markt Singel Brink Gracht Kade Dijk Plein Dreef Wal Vaart Burgwal Vest Haven Spaarne "
    "Anegang Raaks Damrak Rokin Spui".split()
)
# A word, then (after "nr." or nothing at all) a house number that counts nothing.
_NUMBER_AFTER_WORD = (
    r"(?:\s?,?\s?(?i:huisnummer|huisnr|hnr|nummer|nr|no)\.?:?\s?|\s{0,2})"
    r"([0-9]{1,4})(?![0-9]|[.,][0-9])" + _UNIT_AFTER
)
_WORD_AND_NUMBER = re.compile(
    rf"({_LETTER}(?<!{_LETTER}{_LETTER}){_LETTER}*+(?:['-]{_LETTER}++)*+)(\.?)"
    + _NUMBER_AFTER_WORD
    + _HOUSE_LETTER
)
_PREVIOUS_WORD = re.compile(rf"({_LETTER}+)\s$")
# Initials and abbreviated titles that begin a street's name.
_STREET_NAME_START = re.compile(
    rf"(?<!{_LETTER})(?:(?:Burg|Prof|Dr|Mr|Mgr|Ds|Jhr|Gen|Kon|St|Pres|Ir|Ing)\.\s?|[A-Z]\.\s?)+$"
)
# A street without a street's suffix ("Anegang 3", "Lange Voorhout 12") is one only where
# the words say it is an address: "adres: ...", "woont aan ...", "verhuisd naar ...", or
# "... te Haarlem" after it. Even then a place, a sentence word, an abbreviation ("MO 2"),
# a category ("Fase 2"), a floor ("3e", "3 hoog") or a choice ("2 of 3 kamers") is none.
_CAPITAL = r"(?=[A-ZÀ-ÖØ-Þ])"
_CAPITALISED_WORDS = (
    rf"((?:{_CAPITAL}{_LETTER}++(?:['-]{_LETTER}++)*+\s){{0,2}}"
    rf"{_CAPITAL}{_LETTER}++(?:['-]{_LETTER}++)*+)"
)
_LIVES = r"(?:\s(?:nu|nog|al|tijdelijk|eerder|vroeger))?\s(?:aan|op|naar)"  # "woont nu aan"
_ADDRESS_WORDS = re.compile(
    _word_start(
        ["adres", "woonadres", "postadres", "briefadres", "bezoekadres", "verblijfsadres"]
        + [f"{w}\\s?adres" for w in "oud oude vorig vorige huidig huidige nieuw nieuwe".split()]
        + ["straat", "straatnaam", "p/a"]
        + [
            w + _LIVES
            for w in """woont woonde wonen wonend woonachtig verblijft verbleef verhuisd
            verhuist verhuizen verhuizing ingeschreven""".split()
        ]
    )
    + r"(?i:\s(?:is|was|wordt))?[\s:=-]{1,3}(?i:(?:de|het|'t)\s)?"
    + _CAPITALISED_WORDS
    + r"\.?"
    + _NUMBER_AFTER_WORD
    + rf"(?!\s?(?:e|de|ste|hoog)(?!{_LETTER})|\s(?:of|en|tot|a|à)\s[0-9])"
)
# "... 3 te Haarlem". The capital comes first, so `re` skips quickly to where to try.
_CAPITAL_WORD = rf"[A-ZÀ-ÖØ-Þ](?<!{_LETTER}.){_LETTER}*+(?:['-]{_LETTER}++)*+"
_PLACE_AFTER = re.compile(
    rf"({_CAPITAL_WORD}(?:\s{_CAPITAL}{_LETTER}++(?:['-]{_LETTER}++)*+){{0,2}})"
    + _NUMBER_AFTER_WORD
    + _HOUSE_LETTER
    + rf"(?=,?\ste\s{_CAPITAL})"
)
_NOT_STREETS = frozenset(
    """locatie paviljoen etage verdieping traject week niveau nummer huisnummer woningnet
    kamernummer leeftijd score""".split()
)


def _streets(text: str) -> list[tuple[int, int]]:
    found = []
    for start, end in _street_spans(text):
        before = _STREET_NAME_START.search(text, max(0, start - 25), start)
        if before:
            start = before.start()
        else:  # "Lange Herenvest 5", "Gedempte Oude Gracht 104"
            for _ in range(2):
                previous = _PREVIOUS_WORD.search(text, max(0, start - 20), start)
                if not previous or not _is_adjective(previous.group(1)):
                    break
                start = previous.start()
        found.append((start, end))
    return found


def _is_adjective(word: str) -> bool:
    return word[0].isupper() and word.lower() in _ADJECTIVES


def _street_spans(text: str) -> list[tuple[int, int]]:
    found = []
    for match in _WORD_AND_NUMBER.finditer(text):
        word, dot, number = match.groups()
        if _is_year(number):
            continue
        low = word.lower()
        if low.endswith("str") and len(low) > 3:  # "Dorpsstr. 12", "Dorpsstr 4"
            found.append(match.span())
            continue
        suffix = next((low[-n:] for n in _SUFFIX_LENGTHS if low[-n:] in _SUFFIXES), None)
        if dot:
            continue
        if suffix is None:
            if word in _BARE_STREETS:  # "Spaarne 100", "Binnen Spaarne 5"
                found.append(match.span())
            continue
        if len(low) > len(suffix):
            found.append(match.span())
            continue
        previous = _PREVIOUS_WORD.search(text, max(0, match.start() - 20), match.start())
        if previous and previous.group(1).lower() in _ADJECTIVES:  # "Grote Markt 5"
            found.append((previous.start(), match.end()))
        elif word in _BARE_STREETS:
            found.append(match.span())
        elif previous and _is_surname(previous.group(1)):  # "Van Eeghen straat 3"
            found.append((previous.start(), match.end()))
    found.extend(_streets_by_context(text))
    return found


def _streets_by_context(text: str) -> list[tuple[int, int]]:
    """Capitalised words and a house number after "adres", "woont aan" and the like, or
    before "te <Place>"."""
    matches = list(_ADDRESS_WORDS.finditer(text))
    if " te " in text:
        matches.extend(_PLACE_AFTER.finditer(text))
    return [
        (match.start(1), match.end())
        for match in matches
        if not _is_year(match.group(2)) and _could_be_street(match.group(1))
    ]


def _could_be_street(words: str) -> bool:
    for word in words.split():
        low = word.lower()
        if low in _NOT_SURNAMES or low in _CATEGORY_WORDS or low in _NOT_STREETS:
            return False
        if word.isupper() and len(word) <= 4:  # "MO 2", "BW 12"
            return False
    return True


# --- person names: a title, or initials --------------------------------------------------------

_TITLES = (
    "mevrouw mevr mvr mw mejuffrouw mej juffrouw meneer mijnheer mnr dhr de\\s+heer mr drs dr "
    "ir ing hr prof familie fam zuster zr"
).split()
# Titles that are words or abbreviations of something else without their full stop.
_TITLES_WITH_DOT = frozenset("ing hr".split())
_INITIALS = r"(?:(?:[A-Z]|Th|Chr|Ph|Joh|Jac|Wm|Fr|IJ|Ij)\.\s?){1,4}"
_TUSSENVOEGSEL = (
    r"(?:[vV]an|[vV]on|[dD]e|[dD]en|[dD]er|[tT]en|[tT]er|'t|'s|[lL]e|[lL]a|[dD]u|[dD]os|"
    r"[iI]n\s'?t|[iI]n\s[dD]e|[oO]p\s[dD]e|[oO]p\s't|[uU]it\s[dD]e)\s"
)
_TUSSENVOEGSELS = rf"(?:{_TUSSENVOEGSEL})*"
_SURNAME = rf"({_LETTER}++(?:[-']{_LETTER}++)*+)"
_TITLED_NAME = re.compile(
    rf"({_word_start(_TITLES)})(?!{_LETTER})(\.?)\s{{1,2}}"
    rf"(?:{_word_start(_TITLES)}(?!{_LETTER})\.?\s{{1,2}})?(?:{_INITIALS})?"
    rf"{_TUSSENVOEGSELS}{_SURNAME}"
)
_INITIALLED_NAME = re.compile(rf"(?<![^\W\d_.])({_INITIALS})\s?({_TUSSENVOEGSELS}){_SURNAME}")
# "J de Vries", typed without the full stop: only with a tussenvoegsel ("U" is no initial).
_INITIAL_NAME = re.compile(rf"([A-TV-Z])(?<![\w.'].)\s(?:{_TUSSENVOEGSEL})+{_SURNAME}")
_NEXT_NAME_WORD = re.compile(rf"[ -]({_TUSSENVOEGSELS})({_LETTER}++)")
# A name after a word that says one follows: "naam: Piet Bakker", "heet Jan de Vries",
# "een vriend genaamd Ahmed". After "naam" a tussenvoegsel only after ":", "is" or a
# capital ("op naam van Woonzorg" is whose the contract is, not a name).
_NAME_WORD = re.compile(
    "("
    + _word_start(
        [f"{w}naam" for w in ("", "voor", "achter", "roep", "familie", "meisjes", "bij")]
        + ["heet", "heette", "genaamd", "geheten"]
    )
    + rf")(?!{_LETTER})"
    + r"((?i:\s(?:van\s)?(?:de\s)?(?:cliënt|client|kandidaat|moeder|vader|partner|ex|zus|"
    r"broer|zoon|dochter|kind|begeleider|contactpersoon|bewindvoerder|mentor|hij|zij|ze|"
    r"meneer|mevrouw))?"
    r"(?:\s?[:=]\s{0,2}|\s-\s{1,2}|(?i:\sis|\swas)\s{1,2}|\s{1,2}))"
    rf"((?:{_INITIALS})?({_TUSSENVOEGSELS}){_SURNAME})"
)
# "heet" and "genaamd" after one of these name a thing, not a person: "het project heet
# Housing First", "de hond heet Max".
_NAMED_THINGS = frozenset(
    """project programma team organisatie stichting straat wijk buurt woning complex
    wooncomplex woonvorm instelling locatie opvang school afdeling regeling methode methodiek
    aanpak traject cursus training app website groep plek voorziening corporatie bedrijf
    winkel dorp stad plaats gemeente regio flat gebouw pand kliniek huis zorgaanbieder
    aanbieder dagbesteding club vereniging kerk moskee pilot convenant pact matchpunt wijkteam
    fonds hond kat huisdier poes paard konijn vogel boot auto ding""".split()
)
# Abbreviations that look like initials: "N.B. Hij belt", "P.S. Zij wil".
_NOT_INITIALS = frozenset(
    "NB PS NVT ZOZ BV NV VOF AUB SVP TAV IVM OA ED MBT IPV IOV CQ DWZ ZSM TZT MIV AS EEA".split()
)
# Titles that are also abbreviations when written in capitals: "via MW Velsen".
_CAPITAL_ABBREVIATIONS = frozenset("mw mr dr ir ing fam".split())
# A single capital and a full stop end a sentence after these: "plan B. Eerst ...".
_CATEGORY_WORDS = frozenset(
    """plan fase label energielabel type groep klasse categorie niveau blok bijlage variant
    scenario optie prioriteit route stap vak stadium deel vitamine hepatitis vleugel gebouw
    afdeling unit kamer woning huis ingang trede punt versie schaal graad cluster regio zone
    sector rij lijn model rijbewijs""".split()
)
# Capitalised words that are no surname: sentence openers, organisations, places.
_NOT_SURNAMES = frozenset(
    """daarna hij zij ze het de een in op wel geen nu dan ook er is heeft wil was gaat komt kan
    moet mag zal verder eerst toen nog al en of maar want dus als bij met na voor van om te tot
    sinds vanaf per wordt werd woont woning huur graag liever ik we wij jij u die dat deze dit
    wat wie waar hoe welke behandeling begeleiding daardoor daarom omdat ivm zie let check
    leger heils pré pre ggz ribw wijkteam gemeente stichting woonopmaat domesta lefier
    woonservice ymere elan brederode parnassia kwintes brijder kenter lister levvel arkin
    haarlem velsen ijmond beverwijk heemskerk bloemendaal heemstede zandvoort assen eindhoven
    groningen limburg amsterdam rotterdam utrecht januari februari maart april mei juni juli
    augustus september oktober november december maandag dinsdag woensdag donderdag vrijdag
    zaterdag zondag""".split()
)


# A given name and a surname after a word for a person: "cliënt Fatima El Amrani", "mijn
# kandidaat Piet de Jong". Two capitalised words, so "cliënt Haarlem" or "bewoner Pré" is
# none (and one word alone could be a team or a place).
_PERSON_WORDS = (
    "cliënt client cliente cliënte kandidaat deelnemer deelneemster bewoner bewoonster "
    "uitstromer huurder huurster jongere jongen meisje man vrouw zoon dochter moeder vader "
    "broer zus partner vriend vriendin buurman buurvrouw"
).split()
_PERSON_NAME = re.compile(
    rf"(?<!{_LETTER})(?i:{'|'.join(_PERSON_WORDS)})(?!{_LETTER})\s{{1,2}}"
    rf"({_LETTER}++(?:-{_LETTER}++)*+)\s{{1,2}}({_TUSSENVOEGSELS}){_SURNAME}"
)


def _names_after_person_words(text: str) -> list[tuple[int, int]]:
    found = []
    for match in _PERSON_NAME.finditer(text):
        given, surname = match.group(1), match.group(3)
        if (
            _is_surname(given)
            and _is_surname(surname)
            and given not in _NOT_GIVEN
            and surname not in _NOT_NAMED
        ):
            found.append((match.start(1), _name_end(text, match.end())))
    return found


# Capitalised words after a person word that start no name: "cliënt In Haarlem", "zoon Van".
_NOT_GIVEN = frozenset(
    """In Op Uit Bij Met Van Voor Na Naar Om Te De Het Een En Of Weer Housing Den Sint Nieuw
    Noord Zuid Oost West Beschermd Maatschappelijke Federatie Veilig Leger""".split()
)
# … nor end one: "cliënt Beschermd Wonen", "huurder Woonzorg Nederland", "kandidaat Den Haag".
_NOT_NAMED = frozenset(
    """Wonen Opvang Thuis Nederland Haag Bosch Waard West Oost Noord Zuid Heils Zorg Groep
    Kennemerland Drenthe Groningen Limburg Brabant Holland""".split()
)


def _names(text: str) -> list[tuple[int, int]]:
    found = _names_after_person_words(text)
    for match in _TITLED_NAME.finditer(text):
        title, dot, surname = match.group(1), match.group(2), match.group(3)
        if title.lower() in _TITLES_WITH_DOT and not dot:
            continue
        if title.isupper() and not dot and title.lower() in _CAPITAL_ABBREVIATIONS:
            continue
        if _is_surname(surname):
            found.append((match.start(), _name_end(text, match.end())))
    for match in _INITIALLED_NAME.finditer(text):
        initials, tussenvoegsel, surname = match.group(1), match.group(2), match.group(3)
        letters = "".join(c for c in initials if c.isalpha())
        if letters.upper() in _NOT_INITIALS or not _is_surname(surname):
            continue
        if len(letters) == 1 and not tussenvoegsel and _after_category_word(text, match.start()):
            continue
        found.append((match.start(), _name_end(text, match.end())))
    for match in _INITIAL_NAME.finditer(text):
        if _is_surname(match.group(2)) and not _after_category_word(text, match.start()):
            found.append((match.start(), _name_end(text, match.end())))
    found.extend(_names_after_name_words(text))
    return found


def _names_after_name_words(text: str) -> list[tuple[int, int]]:
    """ "naam: Piet Bakker", "heet Jan de Vries": the name alone (the mask keeps the word)."""
    found = []
    for match in _NAME_WORD.finditer(text):
        word, said, _, tussenvoegsel, surname = match.groups()
        if not _is_surname(surname) and not (  # "NAAM: PIET BAKKER"
            surname.isupper()
            and surname.lower() not in _NOT_SURNAMES
            and _name_end(text, match.end()) > match.end()
        ):
            continue
        words = _CONTEXT_WORD.findall(text, max(0, match.start() - 40), match.start())
        before = [w.lower() for w in words[-3:]]
        last = before[-1] if before else ""
        if word.lower().endswith("naam"):
            if not said.strip() and (tussenvoegsel[:1].islower() or last in _A_THINGS_NAME):
                continue
        elif last in _IT or any(w in _NAMED_THINGS for w in before):
            continue
        found.append((match.start(3), _name_end(text, match.end())))
    return found


# "naam" after these is a thing's ("de naam Housing First") or an owner's ("op naam Woonzorg").
_A_THINGS_NAME = frozenset("de het een die deze dat dit welke andere op".split())
# "heet" after these is a thing's name: "het heet Housing First", "dat heet omklappen".
_IT = frozenset("het dat dit wat hoe".split())


def _after_category_word(text: str, start: int) -> bool:
    word_before = _CONTEXT_WORD.findall(text, max(0, start - 30), start)
    return bool(word_before) and word_before[-1].lower() in _CATEGORY_WORDS


def _name_end(text: str, end: int) -> int:
    """A surname of more words ("Ben Ali", "Bakker Jansen") ends after the last of them,
    and so does a given name and a surname ("Anna de Vries")."""
    for _ in range(3):
        more = _NEXT_NAME_WORD.match(text, end)
        if more is None or not _is_surname(more.group(2)):
            break
        end = more.end()
    return end


def _is_surname(word: str) -> bool:
    if len(word) < 2 or not word[0].isupper() or word.lower() in _NOT_SURNAMES:
        return False
    return not (word.isupper() and len(word) <= 4)  # "J. GGZ" is no name


# --- the scan ----------------------------------------------------------------------------------


def _scan(text: str, *, long_numbers: bool = False) -> list[_Found]:
    """Every finding in the (normalised) text. Detectors that eat digits run first and blank
    what they found, so a phone number is not read again as a BSN or a house number."""
    found: list[_Found] = []
    work = text

    def take(label: str, spans: list[tuple[int, int]], blank: bool) -> None:
        nonlocal work
        for start, end in spans:
            found.append(_Found(start, end, label))
            if blank:
                work = work[:start] + " " * (end - start) + work[end:]

    take(EMAIL, _emails(work), True)
    take(ACCOUNT, _accounts(work), True)
    take(PHONE, _phones(work), True)
    take(BSN, _bsns(work), True)
    take(POSTCODE, _postcodes(work), False)
    take(BIRTH_DATE, _birth_dates(work, date.today().year - 16), False)
    streets = _streets(work)
    take(ADDRESS, streets, False)
    # "Burgemeester J. de Vrieslaan 5" and "Dr. Schaepmanstraat 3" are streets, not people.
    take(NAME, [n for n in _names(work) if not any(_overlap(n, s) for s in streets)], False)
    if long_numbers:
        taken = [(f.start, f.end) for f in found]
        numbers = [m.span() for m in re.finditer(r"[0-9]{6,}", work)]
        take(_LONG_NUMBER, [n for n in numbers if not any(_overlap(n, t) for t in taken)], False)
    return found


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def find_personal_data(text: str) -> list[str]:
    """What in `text` looks like personal data; each item a short Dutch description."""
    labels = {f.label for f in _scan(_Text(text).text)}
    return [label for label in LABELS if label in labels]


def mask_personal_data(text: str) -> str:
    """`text` with what find_personal_data finds replaced by a [label], and any other long
    number (a client number) by [nummer]; for free text the bot keeps although nobody vetted
    it (questions for the knowledge editors). Everything else stays as typed."""
    norm = _Text(text)
    spans = sorted(
        (
            (*norm.original_span(f.start, f.end), TAGS.get(f.label, _LONG_NUMBER))
            for f in _scan(norm.text, long_numbers=True)
        ),
        key=lambda span: (span[0], -span[1]),
    )
    out = []
    position = 0
    for start, end, tag in spans:
        if start < position:  # overlaps the previous finding: that one's tag covers it
            position = max(position, end)
            continue
        out.append(text[position:start])
        out.append(tag)
        position = end
    out.append(text[position:])
    # A record's code ties a question to a person: it goes too (and so does not outlive
    # the record's erasure).
    return _RECORD_CODE.sub("[code]", "".join(out))


_RECORD_CODE = re.compile(r"\bW[TN]-[A-Za-z]{1,8}-\d{1,6}\b", re.IGNORECASE)
