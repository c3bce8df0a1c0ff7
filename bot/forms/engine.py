"""Forms as data: the fields of a registration, how typed or pressed answers are parsed and
checked, and how a value reads back in Dutch. The chat layer (`handlers/form_flow.py`) only
walks these definitions; nothing here knows about Telegram.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.forms.dutch_dates import DateError, format_date, parse_date
from bot.privacy.personal_data import find_personal_data

MAX_TEXT = 300


class InvalidAnswerError(ValueError):
    """The answer does not fit the question; the message explains it in Dutch."""


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    help: str = ""


@dataclass(frozen=True)
class FormContext:
    """What option lists and checks need: the caller's region and today's date, plus lookups
    the caller provides (organisations and support workers of the region)."""

    region_id: str
    municipalities: tuple[Option, ...]
    neighbourhoods: dict[str, tuple[str, ...]]
    today: date
    organisations: Callable[[str], list[Option]] = lambda kind: []
    people: Callable[[str, str], list[Option]] = lambda role, organisation: []
    region_name: str = ""
    is_coordinator: bool = False
    profiles: tuple[Option, ...] = ()  # the region's uitstroomprofielen, when it has its own
    # This year's limits of passend toewijzen by name (`rent_limits.yaml`), shown with the
    # rent options; empty when none are known.
    rent_limits: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # short, for the summary and the "Wijzigen" menu
    question: str
    kind: str  # choice | multi | toggles | number | money | date | text
    options: Callable[[FormContext, dict], list[Option]] = lambda ctx, draft: []
    required: bool = True
    low: float = 0
    high: float = 0
    skip_label: str = "Overslaan"
    # Extra buttons for number/date/money fields: (label, typed equivalent).
    shortcuts: tuple[tuple[str, str], ...] = ()
    show_if: Callable[[dict, FormContext], bool] = lambda draft, ctx: True
    hint: str = ""

    def option_list(self, ctx: FormContext, draft: dict) -> list[Option]:
        return self.options(ctx, draft)


@dataclass(frozen=True)
class Form:
    name: str
    title: str
    fields: tuple[Field, ...] = field(default_factory=tuple)
    noun: str = "aanmelding"  # "je onafgemaakte aanmelding van een kandidaat"

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)

    def visible(self, draft: dict, ctx: FormContext) -> list[Field]:
        return [f for f in self.fields if f.show_if(draft, ctx)]

    def next_index(self, draft: dict, ctx: FormContext, after: int) -> int | None:
        """The next field to ask after position `after` (-1: the first); None: all done."""
        for index in range(after + 1, len(self.fields)):
            if self.fields[index].show_if(draft, ctx):
                return index
        return None

    def previous_index(self, draft: dict, ctx: FormContext, before: int) -> int | None:
        for index in range(before - 1, -1, -1):
            if self.fields[index].show_if(draft, ctx):
                return index
        return None

    def missing(self, draft: dict, ctx: FormContext) -> list[Field]:
        return [f for f in self.visible(draft, ctx) if f.required and f.key not in draft]

    def check_all(self, draft: dict, ctx: FormContext) -> None:
        """Every chosen option once more against today's options, before saving (a button
        pressed long ago, or an organisation removed since). Raises `InvalidAnswerError`
        naming the field."""
        for fld in self.visible(draft, ctx):
            value = draft.get(fld.key)
            chosen = [value] if fld.kind == "choice" and value is not None else []
            if fld.kind in ("multi", "toggles"):
                chosen = list(value or [])
            for item in chosen:
                try:
                    check_choice(fld, item, ctx, draft)
                except InvalidAnswerError as exc:
                    raise InvalidAnswerError(f"{fld.label}: {exc}") from None

    def prune(self, draft: dict, ctx: FormContext) -> list[str]:
        """Drop answers that no longer fit their options after another answer changed (a
        municipality both wanted and excluded, a support worker of another organisation);
        returns the keys dropped, which then count as missing."""
        dropped = []
        for fld in self.visible(draft, ctx):
            if fld.key not in draft or fld.kind not in ("choice", "multi", "toggles"):
                continue
            allowed = {o.value for o in fld.option_list(ctx, draft)}
            value = draft[fld.key]
            if fld.kind == "choice" and value is not None and value not in allowed:
                del draft[fld.key]
                dropped.append(fld.key)
            elif fld.kind != "choice" and value and not set(value) <= allowed:
                draft[fld.key] = [v for v in value if v in allowed]
                dropped.append(fld.key)
        return dropped

    def clean(self, draft: dict, ctx: FormContext) -> dict:
        """Only the answers of fields that apply (a changed household drops the children)."""
        keys = {f.key for f in self.visible(draft, ctx)}
        return {k: v for k, v in draft.items() if k in keys}


def parse_typed(fld: Field, text: str, ctx: FormContext, draft: dict) -> Any:
    """A typed answer for `fld`. Raises `InvalidAnswerError`."""
    text = " ".join(text.split())
    if not text:
        raise InvalidAnswerError("Ik zie geen antwoord. " + _how(fld))
    if len(text) > MAX_TEXT:
        raise InvalidAnswerError(f"Dat is te lang (hoogstens {MAX_TEXT} tekens). " + _how(fld))
    for label, typed in fld.shortcuts:
        if text.lower() == label.lower():
            text = typed
    if fld.kind in ("number", "money"):
        return _number(fld, text)
    if fld.kind == "date":
        try:
            return parse_date(text, ctx.today).isoformat()
        except DateError as exc:
            raise InvalidAnswerError(str(exc)) from None
    if fld.kind == "address":
        # A dwelling's own address is fine; a person's contact details are not.
        found = [
            f
            for f in find_personal_data(text)
            if f not in ("een adres", "een postcode met huisnummer")
        ]
        if found:
            raise InvalidAnswerError(
                f"Dit lijkt {' en '.join(found)} te bevatten. Typ alleen het adres."
            )
        return text
    if fld.kind == "text":
        found = find_personal_data(text)
        if found:
            raise InvalidAnswerError(
                f"Dit lijkt {' en '.join(found)} te bevatten. Die gegevens bewaren we niet: laat "
                "ze weg en typ het opnieuw."
            )
        return text
    # Choice fields also take the label typed out (or a word-like value: "haarlem"); never a
    # numeric value, which is an internal id: "1" is not organisation number 1.
    for option in fld.option_list(ctx, draft):
        typed_value = not option.value.isdigit() and text.lower() == option.value.lower()
        if text.lower() == option.label.lower() or typed_value:
            return [option.value] if fld.kind == "multi" else option.value
    raise InvalidAnswerError(_how(fld))


def check_choice(fld: Field, value: str, ctx: FormContext, draft: dict) -> str:
    """A pressed option must be one of today's options (callback data can be forged)."""
    if value not in {o.value for o in fld.option_list(ctx, draft)}:
        raise InvalidAnswerError("Die keuze bestaat hier niet. " + _how(fld))
    return value


def describe(fld: Field, value: Any, ctx: FormContext, draft: dict) -> str:
    """How an answer reads in the summary."""
    if value == [] and fld.kind in ("multi", "toggles"):
        return "geen"
    if value is None or value == [] or value == "":
        return "—"
    labels = {o.value: o.label for o in fld.option_list(ctx, draft)}
    if fld.kind == "multi":
        return ", ".join(labels.get(v, v) for v in value)
    if fld.kind == "toggles":
        chosen = [labels.get(v, v) for v in value]
        return ", ".join(chosen) if chosen else "geen"
    if fld.kind == "date":
        return format_date(date.fromisoformat(value))
    if fld.kind == "money":
        return f"€ {value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    if fld.kind == "number":
        for label, typed in fld.shortcuts:
            if typed == str(value) and not label.isdigit():
                return label.lower()  # "Begane grond" reads better than 0
        return str(int(value)) if float(value).is_integer() else str(value)
    return labels.get(value, str(value))


_NUMBER = re.compile(
    r"^(?:€\s*)?"
    # Without thousands separators: a comma or a dot before the cents.
    r"(?:(?P<plain>\d{1,9})(?:[.,](?P<plain_cents>\d{1,2}|-))?"
    # With them (a dot, or a space, between groups of three): only a comma before the cents.
    r"|(?P<grouped>[1-9]\d{0,2}(?P<sep>[. ])\d{3}(?:(?P=sep)\d{3})?)(?:,(?P<cents>\d{1,2}|-))?)"
    r"\s*(?:euro|eur|€)?$",
    re.IGNORECASE | re.ASCII,
)


def _number(fld: Field, text: str) -> float:
    """A typed number or amount, the way Dutch staff write it.

    - Whole numbers: ``650``, ``1000``; a euro sign before (``€ 650``, ``€650``) or ``euro``,
      ``eur`` or ``€`` after is allowed.
    - Cents after a comma: ``650,50``, ``650,5`` (50 cents), ``650,-`` (no cents, as rents are
      written). Without thousands separators a dot also works: ``650.50``.
    - Thousands separators: a dot or a space between groups of exactly three digits, the same
      one throughout, the first group without a leading zero: ``1.000``, ``1 000``,
      ``€ 1.000,00``, ``1.250,-``. With them, only a comma may precede the cents.
    - So a dot followed by exactly three digits separates thousands (``1.000`` is one
      thousand, never 1), a dot followed by one or two digits the cents (``650.50``).
    - Refused as no number: ``1,000`` (a comma before three digits), ``1.000.50`` (a dot both
      ways), ``1.00.000``, ``-5``, ``.50``, words.
    - A number field (not money) takes no cents: ``2,5`` asks for a whole number; ``3,-`` is 3.
    - Then the field's range decides (``1.000`` rooms is out of range, not one room).
    """
    match = _NUMBER.match(text.strip())
    if not match:
        raise InvalidAnswerError("Dat is geen getal. " + _how(fld))
    if match["grouped"]:
        whole, cents = match["grouped"].replace(match["sep"], ""), match["cents"]
    else:
        whole, cents = match["plain"], match["plain_cents"]
    has_cents = cents not in (None, "-")
    cents = cents if has_cents else "0"  # "650,-" is how rents are written
    value = int(whole) + int(cents.ljust(2, "0")) / 100
    if fld.kind == "number" and has_cents:
        raise InvalidAnswerError("Typ een heel getal. " + _how(fld))
    if not fld.low <= value <= fld.high:
        unit = "€ " if fld.kind == "money" else ""
        raise InvalidAnswerError(
            f"Kies een waarde van {unit}{fld.low:g} tot {unit}{fld.high:g}. " + _how(fld)
        )
    return int(value) if fld.kind == "number" else round(value, 2)


def _how(fld: Field) -> str:
    if fld.hint:
        return fld.hint
    return {
        "choice": "Kies een van de knoppen.",
        "multi": "Kies een of meer knoppen en druk dan op Klaar.",
        "toggles": "Zet aan wat van toepassing is en druk dan op Klaar.",
        "number": "Typ een getal.",
        "money": "Typ een bedrag, bijvoorbeeld 650 of 650,50.",
        "date": "Typ een datum, bijvoorbeeld 1-3, 1 maart of over 2 weken.",
        "text": "Typ een korte tekst.",
        "address": "Typ straat en huisnummer, bijvoorbeeld Dorpsstraat 12.",
    }[fld.kind]
