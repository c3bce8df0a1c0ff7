"""Who comes first for a dwelling, and which homes fit a candidate, each with its reasons.

The score is in days, so a coordinator can weigh it: the waiting time, plus the region's
urgency bonus for an urgent candidate, minus the spread price (`bot.matching.ledger`). For a
dwelling, a candidate who could just as well go to a municipality that is further behind
on its share pays the difference in price: the one for whom this home is the fairest place
comes first. For a candidate, a home in a municipality ahead of its share, or in a
neighbourhood at its cap, comes later. Equal scores go by the region's tie-breaker (the
earlier registration, then the code). A home in a neighbourhood at its cap is flagged on
every line: proposing it needs a reason (or is not allowed, by region rule).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from bot.matching.eligibility import for_candidate, for_dwelling, listed
from bot.matching.ledger import Hood, Ledger
from bot.matching.terms import Terms
from bot.records.lifecycle import waiting_days

Row = Mapping[str, Any]
CAP_MARK = "⚠ wijk"
# A home in a neighbourhood at its cap comes after the others for a candidate: a year.
CAP_DEMOTION_DAYS = 365


class Ranked(NamedTuple):
    code: str
    score: float
    reasons: list[str]


class Excluded(NamedTuple):
    code: str
    why_not: list[str]


def _days(n: float) -> str:
    n = round(n)
    return f"{n} dag" if n == 1 else f"{n} dagen"


def _days_waited(terms: Terms):
    """`waiting_days` for many rows, parsing each distinct registration moment once."""
    seen: dict[str, int] = {}

    def waited(row: Row) -> int:
        moment = row["created_at"]
        if moment not in seen:
            seen[moment] = waiting_days(row, terms.today)
        return seen[moment]

    return waited


def options(candidate: Row, ledger: Ledger) -> list[str]:
    """The municipalities the candidate could be placed in: its wishes (or the whole
    region), never where it is excluded."""
    facts = candidate["facts"]
    wanted = listed(facts, "municipalities") or list(ledger.places)
    excluded = {m for m in listed(facts, "excluded") if isinstance(m, str)}
    return [m for m in wanted if isinstance(m, str) and m not in excluded and m in ledger.places]


def place_line(municipality: str, ledger: Ledger, terms: Terms) -> str:
    """'Haarlem: 11 van 14 dit jaar' (placed this year of this year's share)."""
    place = ledger.places.get(municipality)
    name = terms.municipality(municipality)
    if place is None or terms.rules.quota is None:
        return f"{name}: geen quotum"
    line = f"{name}: {place.placed_this_year} van {round(place.agreed_this_year)} dit jaar"
    return line + (f", {place.in_progress} lopend" if place.in_progress else "")


def cap_line(hood: Hood, terms: Terms) -> str:
    name = terms.neighbourhood(hood.municipality, hood.neighbourhood)
    then = (
        "voordragen alleen met een reden"
        if terms.rules.decision.cap_override == "reden_verplicht"
        else "voordragen niet toegestaan"
    )
    return (
        f"{CAP_MARK} {name} zit aan het plafond ({hood.count} van {hood.cap} in 12 maanden): {then}"
    )


def candidates_for(
    dwelling: Row, candidates: Iterable[Row], terms: Terms, ledger: Ledger
) -> tuple[list[Ranked], list[Excluded]]:
    """The waiting candidates that fit `dwelling`, best first, and the others with the
    criteria they fail."""
    rules = terms.rules.prioritisation
    where = dwelling["municipality"]
    prices = {m: ledger.price(m, rules.spread_steepness) for m in ledger.places}
    here = ledger.price(where, rules.spread_steepness)
    hood = ledger.hood(where, dwelling["facts"].get("neighbourhood"))
    shared = [place_line(where, ledger, terms)]
    if hood is not None and hood.at_cap:
        shared.append(cap_line(hood, terms))
    ranked, excluded, fitting = [], [], []
    waiting = [c for c in candidates if c["status"] == "aangemeld"]
    waited = _days_waited(terms)
    for candidate, (found, failing) in zip(
        waiting, for_dwelling(dwelling, waiting, terms), strict=True
    ):
        if failing:
            excluded.append(Excluded(candidate["code"], list(failing)))
            continue
        days = waited(candidate)
        lines = [c.line for c in found] + [f"wachttijd {_days(days)}"]
        score = float(days)
        if candidate["facts"].get("urgent") == "ja" and rules.urgency_bonus_days:
            score += rules.urgency_bonus_days
            lines.append(f"urgent: +{_days(rules.urgency_bonus_days)}")
        lines += shared
        elsewhere = [m for m in options(candidate, ledger) if m != where]
        if elsewhere and rules.spread_weight_days:
            fairest = min(elsewhere, key=lambda m: (prices[m], m))
            penalty = rules.spread_weight_days * (here - prices[fairest])
            if penalty >= 0.5:
                score -= penalty
                lines.append(
                    f"spreiding: −{_days(penalty)}, want ook {terms.municipality(fairest)} "
                    f"is gewenst en heeft naar verhouding minder plaatsingen"
                )
        ranked.append(Ranked(candidate["code"], round(score, 1), lines))
        fitting.append(candidate)
    return _ordered(ranked, fitting, terms), sorted(excluded)


def dwellings_for(
    candidate: Row, dwellings: Iterable[Row], terms: Terms, ledger: Ledger
) -> tuple[list[Ranked], list[Excluded]]:
    """The available dwellings that fit `candidate`, best first (the longest available,
    minus the spread price of its municipality and a neighbourhood at its cap), and the
    others with the criteria they fail."""
    rules = terms.rules.prioritisation
    prices = {m: ledger.price(m, rules.spread_steepness) for m in ledger.places}
    ranked, excluded, rows = [], [], []
    available = [d for d in dwellings if d["status"] == "beschikbaar"]
    for dwelling, (found, failing) in zip(
        available, for_candidate(candidate, available, terms), strict=True
    ):
        if failing:
            excluded.append(Excluded(dwelling["code"], list(failing)))
            continue
        rows.append((dwelling, found))

    def price(m: str) -> float:
        return prices[m] if m in prices else ledger.price(m, rules.spread_steepness)

    cheapest = min((price(d["municipality"]) for d, _ in rows), default=1.0)
    for dwelling, found in rows:
        where = dwelling["municipality"]
        days = waiting_days(dwelling, terms.today)
        lines = [c.line for c in found] + [f"beschikbaar sinds {_days(days)}"]
        lines.append(place_line(where, ledger, terms))
        score = float(days)
        penalty = rules.spread_weight_days * (price(where) - cheapest)
        if penalty >= 0.5:
            score -= penalty
            lines.append(
                f"spreiding: −{_days(penalty)}, {terms.municipality(where)} heeft naar "
                "verhouding al meer plaatsingen"
            )
        hood = ledger.hood(where, dwelling["facts"].get("neighbourhood"))
        if hood is not None and hood.at_cap:
            if terms.rules.decision.cap_override != "reden_verplicht":
                # Never proposable here: left out, with the reason, instead of offered.
                excluded.append(Excluded(dwelling["code"], [cap_line(hood, terms)]))
                continue
            score -= CAP_DEMOTION_DAYS
            lines.append(cap_line(hood, terms))
        ranked.append(Ranked(dwelling["code"], round(score, 1), lines))
    return _ordered(ranked, [d for d, _ in rows], terms), sorted(excluded)


def _ordered(ranked: list[Ranked], rows: Iterable[Row], terms: Terms) -> list[Ranked]:
    """Best score first; ties by the region's tie-breaker (the earlier registration, then
    the code)."""
    registered = {r["code"]: r["created_at"] for r in rows}

    def key(r: Ranked) -> tuple:
        ties = tuple(
            registered.get(r.code, "") if t == "aanmelddatum" else r.code
            for t in terms.rules.prioritisation.tie_breaker
        )
        return (-r.score, *ties)

    return sorted(ranked, key=key)


def as_json(ranked: list[Ranked], excluded: list[Excluded]) -> dict[str, Any]:
    return {
        "ranked": [{"code": r.code, "score": r.score, "reasons": r.reasons} for r in ranked],
        "excluded": [{"code": e.code, "why_not": e.why_not} for e in excluded],
    }
