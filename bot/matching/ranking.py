"""Who comes first for a dwelling, and which homes fit a candidate, each with its reasons.

Today the order is the waiting time (the longest waiting first), with a documented
tie-breaker: the earlier registration, then the code. The regional rules (urgency, the spread
over municipalities and neighbourhoods within the quota) refine the score next; the reasons
already say why each candidate is in or out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.matching.eligibility import checks

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Ranked:
    code: str
    score: float
    reasons: list[str]


@dataclass(frozen=True)
class Excluded:
    code: str
    why_not: list[str]


def waiting_days(row: Row, today: date) -> int:
    """Whole days since the record was registered."""
    return max(0, (today - datetime.fromisoformat(row["created_at"]).date()).days)


def _days(n: int) -> str:
    return f"{n} dag" if n == 1 else f"{n} dagen"


def candidates_for(
    dwelling: Row, candidates: Iterable[Row], today: date, names: Mapping[str, str] | None = None
) -> tuple[list[Ranked], list[Excluded]]:
    """The waiting candidates that fit `dwelling`, best first, and the others with the
    criteria they fail."""
    pairs = ((c, c, dwelling) for c in candidates if c["status"] == "aangemeld")
    return _rank(pairs, today, names, "wachttijd")


def dwellings_for(
    candidate: Row, dwellings: Iterable[Row], today: date, names: Mapping[str, str] | None = None
) -> tuple[list[Ranked], list[Excluded]]:
    """The available dwellings that fit `candidate`, the longest available first, and the
    others with the criteria they fail."""
    pairs = ((d, candidate, d) for d in dwellings if d["status"] == "beschikbaar")
    return _rank(pairs, today, names, "beschikbaar sinds")


def _rank(
    pairs: Iterable[tuple[Row, Row, Row]],
    today: date,
    names: Mapping[str, str] | None,
    waited: str,
) -> tuple[list[Ranked], list[Excluded]]:
    """Rank each `(ranked record, candidate, dwelling)` by how long the ranked record has
    waited; ties go to the earlier registration, then the code."""
    ranked, excluded, registered = [], [], {}
    for row, candidate, dwelling in pairs:
        found = checks(candidate, dwelling, names)
        if not all(c.ok for c in found):
            excluded.append(Excluded(row["code"], [c.line for c in found if not c.ok]))
            continue
        days = waiting_days(row, today)
        lines = [c.line for c in found] + [f"{waited} {_days(days)}"]
        ranked.append(Ranked(row["code"], float(days), lines))
        registered[row["code"]] = row["created_at"]
    ranked.sort(key=lambda r: (-r.score, registered[r.code], r.code))
    excluded.sort(key=lambda e: e.code)
    return ranked, excluded


def as_json(ranked: list[Ranked], excluded: list[Excluded]) -> dict[str, Any]:
    return {
        "ranked": [{"code": r.code, "score": r.score, "reasons": r.reasons} for r in ranked],
        "excluded": [{"code": e.code, "why_not": e.why_not} for e in excluded],
    }
