"""The regional matchpunt's decisions on stored records: the ranking for a dwelling or a
candidate, the quota ledger of a region, proposing a candidate for a dwelling (with the
neighbourhood cap), and recording that both parties accepted. Each checks the caller."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bot.access.roles import COORDINATOR, NotAllowedError
from bot.knowledge.base import KnowledgeBase, slug
from bot.matching import eligibility, ranking, wanted
from bot.matching.ledger import CAP_WINDOW_DAYS, Ledger, ledger
from bot.matching.terms import Terms, terms_for
from bot.records import registry
from bot.records.lifecycle import IllegalTransitionError
from bot.records.registry import CANDIDATES, DWELLINGS, Kind
from bot.storage import NotFoundError, Store, User, iso_timestamp


class CapReachedError(Exception):
    """The dwelling's neighbourhood is at its cap: proposing needs a reason (or is not
    allowed by the region's rules, `allowed` False)."""

    def __init__(self, line: str, allowed: bool) -> None:
        super().__init__(line)
        self.line = line
        self.allowed = allowed


Day = date | datetime  # a day, or a moment whose local day it is


def _day(when: Day) -> date:
    return when.date() if isinstance(when, datetime) else when


def region_terms(store: Store, kb: KnowledgeBase, region: str, today: Day) -> Terms:
    names = {str(o.id): o.name for o in store.organisations(region)}
    return terms_for(kb, region, _day(today), names)


def region_ledger(store: Store, kb: KnowledgeBase, region: str, today: Day) -> Ledger:
    """The quota ledger of `region` on `today`, from the placements themselves. Given a
    moment, the year and the twelve months begin at local midnight (placements are stored
    in UTC); given a day, at midnight UTC."""
    zone = today.tzinfo if isinstance(today, datetime) and today.tzinfo else UTC
    day = _day(today)

    def start_of(d: date) -> str:
        return iso_timestamp(datetime.combine(d, time(), zone))

    rules = kb.facts[region].allocation_rules
    since = start_of(rules.quota.start) if rules.quota else "0000"
    window = start_of(day - timedelta(days=CAP_WINDOW_DAYS - 1))
    counts = store.placement_counts(region, since, start_of(date(day.year, 1, 1)), window)
    municipalities = [m.id for m in kb.regions[region].municipalities]
    return ledger(rules, municipalities, counts, day)


def wanted_of(
    store: Store,
    kb: KnowledgeBase,
    region: str,
    today: Day,
    books: Ledger | None = None,
    terms: Terms | None = None,
) -> list[wanted.WantedHome]:
    """What the matchpunt should ask the region's corporations for next (`bot.matching.
    wanted`); `books` and `terms` when the caller has them already. No access check: the
    callers make it (the overview is the coordinators')."""
    facts = kb.facts[region]
    neighbourhoods = {m: [slug(n) for n in names] for m, names in facts.neighbourhoods.items()}
    return wanted.wanted_homes(
        books or region_ledger(store, kb, region, today),
        neighbourhoods,
        store.records("candidates", region, status="aangemeld"),
        store.records("dwellings", region, status="beschikbaar"),
        terms or region_terms(store, kb, region, today),
        declined=store.declined_pairs(region),
    )


def _coordinator(user: User) -> None:
    if not (user.active and user.role == COORDINATOR):
        raise NotAllowedError("matchpunt")


def ranking_of(
    store: Store, kb: KnowledgeBase, kind: Kind, row: dict[str, Any], today: Day
) -> tuple[list[ranking.Ranked], list[ranking.Excluded], list[dict[str, Any]]]:
    """The ranking for a stored record, with the region's records it was ranked among:
    the waiting candidates for a dwelling, the available homes for a candidate. No access
    check: the callers make it (the command line is the operator's)."""
    region = row["region"]
    terms, books = region_terms(store, kb, region, today), region_ledger(store, kb, region, today)
    if kind is DWELLINGS:
        others = store.records("candidates", region)
        ranked, excluded = ranking.candidates_for(row, others, terms, books)
        pair = lambda code: (code, row["code"])  # noqa: E731
    else:
        others = store.records("dwellings", region)
        ranked, excluded = ranking.dwellings_for(row, others, terms, books)
        pair = lambda code: (row["code"], code)  # noqa: E731
    declined = store.declined_pairs(region)
    if declined:
        # A pair that was declined is never proposed again: it says so, as a rule would.
        again = [r for r in ranked if pair(r.code) in declined]
        ranked = [r for r in ranked if pair(r.code) not in declined]
        excluded = sorted(excluded + [ranking.Excluded(r.code, [DECLINED_LINE]) for r in again])
    return ranked, excluded, others


def candidates_for(
    store: Store, kb: KnowledgeBase, user: User, dwelling_code: str, today: Day
) -> tuple[list[ranking.Ranked], list[ranking.Excluded]]:
    """The matchpunt's ranking of the region's waiting candidates for a dwelling."""
    _coordinator(user)
    dwelling = registry.visible(store, user, DWELLINGS, dwelling_code)
    ranked, excluded, _ = ranking_of(store, kb, DWELLINGS, dwelling, today)
    return ranked, excluded


def offered_dwellings(
    store: Store, kb: KnowledgeBase, user: User, candidate_code: str, today: Day
) -> list[tuple[dict[str, Any], bool]]:
    """The available homes that fit the candidate, best first, each with whether its
    neighbourhood is at its cap: what "Voordragen voor een woning" offers. Raises
    NotAllowed (not the matchpunt), NotFound."""
    _coordinator(user)
    candidate = registry.visible(store, user, CANDIDATES, candidate_code)
    ranked, _, homes = ranking_of(store, kb, CANDIDATES, candidate, today)
    by_code = {d["code"]: d for d in homes}
    return [
        (by_code[r.code], any(line.startswith(ranking.CAP_MARK) for line in r.reasons))
        for r in ranked
    ]


def _cap_warning(
    store: Store, kb: KnowledgeBase, dwelling: dict[str, Any], now: datetime, terms: Terms
) -> str | None:
    """The warning line when the dwelling's neighbourhood is at its cap, else None."""
    hood = region_ledger(store, kb, dwelling["region"], now).hood(
        dwelling["municipality"], dwelling["facts"].get("neighbourhood")
    )
    if hood is None or not hood.at_cap:
        return None
    return ranking.cap_line(hood, terms)


class DeclinedBeforeError(Exception):
    """This candidate and this dwelling were proposed before and declined: never again."""


DECLINED_LINE = "✗ eerder niet akkoord voor deze combinatie"


def propose(
    store: Store,
    kb: KnowledgeBase,
    now: datetime,
    user: User,
    candidate_code: str,
    dwelling_code: str,
    *,
    cap_reason: str | None = None,
) -> dict[str, Any]:
    """The matchpunt proposes a waiting candidate for an available dwelling of the region
    that fits it: both become `voorgedragen`, each change audited. A dwelling in a
    neighbourhood at its cap needs `cap_reason` (audited as an override), or is refused
    when the region does not allow overrides. Returns the proposal. Raises NotAllowed (also
    for a dwelling that does not fit, as a forged button would ask), NotFound,
    IllegalTransition (one of them is no longer free: another proposal came first),
    DeclinedBefore, CapReachedError, InvalidRecordError (a reason with personal data)."""
    _coordinator(user)
    with store.db.atomic():  # the checks and the change as one step (the write lock first)
        registry.visible(store, user, CANDIDATES, candidate_code)
        registry.visible(store, user, DWELLINGS, dwelling_code)
        return _propose(store, kb, now, user.telegram_id, candidate_code, dwelling_code, cap_reason)


def propose_as(
    store: Store,
    kb: KnowledgeBase,
    now: datetime,
    actor: str,
    candidate_code: str,
    dwelling_code: str,
) -> dict[str, Any]:
    """The bot itself proposes (a region whose rules let it propose directly): the same
    checks as `propose`, and a home at its cap is never proposed this way."""
    with store.db.atomic():
        return _propose(store, kb, now, actor, candidate_code, dwelling_code, None)


def _propose(
    store: Store,
    kb: KnowledgeBase,
    now: datetime,
    actor: int | str,
    candidate_code: str,
    dwelling_code: str,
    cap_reason: str | None,
) -> dict[str, Any]:
    candidate = store.record("candidates", candidate_code)
    dwelling = store.record("dwellings", dwelling_code)
    region = dwelling["region"]
    if candidate["region"] != region:
        raise NotAllowedError("voordragen")
    CANDIDATES.lifecycle.check(candidate["status"], "voorgedragen")
    DWELLINGS.lifecycle.check(dwelling["status"], "voorgedragen")
    if (candidate_code, dwelling_code) in store.declined_pairs(region):
        raise DeclinedBeforeError(f"{candidate_code}/{dwelling_code}")
    terms = region_terms(store, kb, region, now)
    if not eligibility.fits(candidate, dwelling, terms):
        raise NotAllowedError("voordragen")
    warning = _cap_warning(store, kb, dwelling, now, terms)
    reason = None
    if warning is not None:
        allowed = terms.rules.decision.cap_override == "reden_verplicht"
        if not allowed or not (cap_reason or "").strip():
            raise CapReachedError(warning, allowed)
        # Bounded and free of personal data, as every reason is.
        reason = registry.check_free_text(cap_reason, "De reden")
    for kind, row in ((CANDIDATES, candidate), (DWELLINGS, dwelling)):
        registry.set_status(store, now, actor, kind, row, "voorgedragen", None)
    try:
        store.add_proposal(
            {
                "candidate_code": candidate_code,
                "dwelling_code": dwelling_code,
                "region": region,
                "status": "open",
                "proposed_by": actor if isinstance(actor, int) else None,
                "created_at": iso_timestamp(now),
                "cap_reason": reason,
            }
        )
    except sqlite3.IntegrityError:
        # Another live proposal holds one of them (the file refuses a second one).
        raise IllegalTransitionError("voordracht") from None
    store.audit(
        actor, "voordracht.create", now, "kandidaat", candidate_code, {"woning": dwelling_code}
    )
    if reason is not None:
        # The reason stays on the proposal (erased with the candidate); the audit log
        # keeps that the cap was overridden, and by whom.
        store.audit(
            actor,
            "voordracht.plafond_overschreden",
            now,
            "woning",
            dwelling_code,
            {"kandidaat": candidate_code},
        )
    return store.open_proposals(candidate=candidate_code)[0]


def place(
    store: Store, now: datetime, user: User, candidate_code: str, dwelling_code: str
) -> dict[str, Any]:
    """Both parties accepted the open proposal of this pair: the proposal is accepted, the
    candidate becomes `gematcht` and the dwelling `toegewezen` (a placement for the quota
    ledger). Raises NotAllowed, NotFound, IllegalTransition, and NotFound when this pair
    has no open proposal."""
    _coordinator(user)
    candidate = registry.visible(store, user, CANDIDATES, candidate_code)
    dwelling = registry.visible(store, user, DWELLINGS, dwelling_code)
    open_ones = [
        p
        for p in store.open_proposals(candidate=candidate_code)
        if p["dwelling_code"] == dwelling_code
    ]
    if not open_ones:
        raise NotFoundError(f"{candidate_code}/{dwelling_code}")
    CANDIDATES.lifecycle.check(candidate["status"], "gematcht")
    DWELLINGS.lifecycle.check(dwelling["status"], "toegewezen")
    with store.db.atomic():
        store.close_proposal(open_ones[0]["id"], "geaccepteerd", now)
        registry.set_status(store, now, user.telegram_id, CANDIDATES, candidate, "gematcht", None)
        registry.set_status(store, now, user.telegram_id, DWELLINGS, dwelling, "toegewezen", None)
        store.audit(
            user.telegram_id,
            "voordracht.geaccepteerd",
            now,
            "kandidaat",
            candidate_code,
            {"woning": dwelling_code},
        )
    return store.record("dwellings", dwelling_code)
