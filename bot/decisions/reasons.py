"""Why a party says "Niet akkoord": each side has its own short list, and "Anders" asks for
a note (through the personal-data guard)."""

from __future__ import annotations

CARE, CORPORATION = "zorg", "corporatie"
SIDES = (CARE, CORPORATION)
OTHER = "anders"
REASONS: dict[str, dict[str, str]] = {
    CARE: {
        "buurt": "Cliënt wil niet in deze buurt wonen",
        "andere_optie": "Cliënt heeft een andere optie",
        "niet_klaar": "Cliënt is nog niet klaar om te verhuizen",
        OTHER: "Anders",
    },
    CORPORATION: {
        "past_niet": "Past niet bij de woning",
        "risico_buurt": "Risico voor de buurt",
        "te_groot": "Huishouden te groot voor de woning",
        OTHER: "Anders",
    },
}
OTHER_BUTTON = "Anders (met een toelichting)"
SIDE_LABELS = {CARE: "de zorgkant", CORPORATION: "de corporatie"}
# Each side's answer lives in the proposal's columns care_* and corporation_*.
_COLUMNS = {CARE: "care", CORPORATION: "corporation"}


def col(side: str, field: str) -> str:
    """The proposal's column of `side`'s `field` ("answer", "reason", "note", "by", "at")."""
    return f"{_COLUMNS[side]}_{field}"


def label(side: str, reason: str | None) -> str:
    return REASONS.get(side, {}).get(reason or "", reason or "—")
