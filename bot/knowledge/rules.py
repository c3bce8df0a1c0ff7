"""A region's allocation rules as data, and the national rent limits per year.

Each region file has an `allocation_rules` section: the quota and its split over the
municipalities (the verdeelsleutel), neighbourhood caps, the eligibility rules in the order
they are checked, the prioritisation, and how a proposal is decided. The matching engine
(`bot.matching`) applies them; `/regels` shows them in plain Dutch. Rules the sources do not
give are written out as examples (`example: true`) that a coordinator replaces.

`rent_limits.yaml` holds the limits of passend toewijzen for each year with their source; a
limit that is not yet confirmed by the national government says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.knowledge.checker import Checker, LineMapping, finite_number
from bot.knowledge.regions import slug

RULES_KEYS = {"example", "note", "quota", "neighbourhood_caps", "eligibility"} | {
    "prioritisation",
    "decision",
}
QUOTA_KEYS = {"agreement", "homes", "years", "start", "start_example", "key", "example"} | {
    "note",
    "source",
}
KEY_KEYS = {"shares", "example", "note", "source"}
CAPS_KEYS = {"per_year", "municipalities", "overrides", "example", "note"}
PRIORITISATION_KEYS = {"urgency_bonus_days", "spread", "tie_breaker", "example", "note"}
SPREAD_KEYS = {"weight_days", "steepness"}
DECISION_KEYS = {"approval", "deadline_working_days", "cap_override", "example", "note"}

# Each eligibility rule the engine knows, with the parameters it takes. The engine
# (`bot.matching.eligibility`) implements exactly these; a test holds the two together.
ELIGIBILITY_RULES: dict[str, frozenset[str]] = {
    "gemeente": frozenset(),
    "uitgesloten": frozenset(),
    "huishouden_kamers": frozenset({"min_rooms", "max_rooms"}),
    "verdieping_lift": frozenset(),
    "toegankelijk": frozenset(),
    "huisdieren": frozenset(),
    "passend_toewijzen": frozenset(),
    "werkgebied": frozenset({"areas"}),
}
TIE_BREAKERS = ("aanmelddatum", "code")
APPROVALS = ("matchpunt", "direct")
CAP_OVERRIDES = ("reden_verplicht", "niet_toegestaan")
RENT_LIMIT_NAMES = (
    "kwaliteitskortingsgrens",
    "lage_aftoppingsgrens",
    "hoge_aftoppingsgrens",
    "liberalisatiegrens",
)
RENT_KEYS = {"year", *RENT_LIMIT_NAMES, "to_confirm", "source", "note"}


@dataclass(frozen=True)
class Quota:
    """`per_year` homes from `start` (for `years`, or open-ended), split by `key`
    (municipality id → percent)."""

    per_year: float
    start: date
    key: dict[str, float]
    years: int | None = None
    example: bool = False
    key_example: bool = False
    agreement: str | None = None
    source: dict = field(default_factory=dict)
    start_example: bool = False

    def ends(self) -> date | None:
        if self.years is None:
            return None
        try:
            return self.start.replace(year=self.start.year + self.years)
        except ValueError:  # 29 February in a year that has none
            return date(self.start.year + self.years, 3, 1)


@dataclass(frozen=True)
class NeighbourhoodCaps:
    """At most `per_year` placements (placed or proposed) per neighbourhood in twelve
    months (a moving window: `bot.matching.ledger`); `municipalities`
    maps a municipality id to the cap of each of its neighbourhoods, and `overrides` maps
    (municipality id, neighbourhood slug) to its own cap."""

    per_year: int | None = None
    municipalities: dict[str, int] = field(default_factory=dict)
    overrides: dict[tuple[str, str], int] = field(default_factory=dict)
    example: bool = False

    def cap(self, municipality: str, neighbourhood: str | None) -> int | None:
        if not neighbourhood:
            return None
        default = self.municipalities.get(municipality, self.per_year)
        return self.overrides.get((municipality, neighbourhood), default)


@dataclass(frozen=True)
class EligibilityRule:
    id: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Prioritisation:
    """Score = waiting days + `urgency_bonus_days` for an urgent candidate − the spread
    price in days (`spread`); ties go by `tie_breaker`."""

    urgency_bonus_days: int = 0
    spread_weight_days: float = 0.0
    spread_steepness: float = 2.0
    tie_breaker: tuple[str, ...] = TIE_BREAKERS
    example: bool = False


@dataclass(frozen=True)
class Decision:
    approval: str = "matchpunt"  # the matchpunt approves each proposal, or the bot proposes
    deadline_working_days: int = 5
    cap_override: str = "reden_verplicht"
    example: bool = False


@dataclass(frozen=True)
class AllocationRules:
    quota: Quota | None = None
    caps: NeighbourhoodCaps = field(default_factory=NeighbourhoodCaps)
    eligibility: tuple[EligibilityRule, ...] = ()
    prioritisation: Prioritisation = field(default_factory=Prioritisation)
    decision: Decision = field(default_factory=Decision)
    example: bool = False
    note: str = ""

    def rule(self, rule_id: str) -> EligibilityRule | None:
        return next((r for r in self.eligibility if r.id == rule_id), None)


@dataclass(frozen=True)
class RentLimits:
    """The rent limits of passend toewijzen for one calendar year (kale huur per maand)."""

    year: int
    amounts: dict[str, float]
    to_confirm: tuple[str, ...] = ()
    source: dict = field(default_factory=dict)


def limits_for(limits: dict[int, RentLimits], year: int) -> RentLimits | None:
    """The limits of `year`, or of the latest earlier year when `year` is not published."""
    known = [y for y in limits if y <= year]
    return limits[max(known)] if known else None


# --- reading ----------------------------------------------------------------------------------


def read_rules(
    check: Checker,
    path: Path,
    region: LineMapping,
    municipalities: dict[str, tuple[str, ...]],
    agreements: dict[str, Any],
) -> AllocationRules:
    """The region's `allocation_rules`; every problem goes to `check` with its line.
    `municipalities` maps each municipality id to its neighbourhood slugs; `agreements`
    maps agreement ids to their `Agreement` (a quota may take its number from one)."""
    raw = region.get("allocation_rules")
    line = region.key_lines.get("allocation_rules", region.line)
    if raw is None or raw == {}:
        check.add(path, line, "allocation_rules ontbreekt (write example rules: example: true)")
        return AllocationRules()
    data = check.mapping(path, raw, line, "allocation_rules")
    if data is None:
        return AllocationRules()
    check.keys(path, data, RULES_KEYS, "allocation_rules")
    return AllocationRules(
        quota=_quota(check, path, data, municipalities, agreements),
        caps=_caps(check, path, data, municipalities),
        eligibility=_eligibility(check, path, data, municipalities),
        prioritisation=_prioritisation(check, path, data),
        decision=_decision(check, path, data),
        example=data.get("example") is True,
        note=check.text(path, data, "note", "allocation_rules", required=False),
    )


def _section(check: Checker, path: Path, data: LineMapping, key: str, allowed: set[str]):
    if data.get(key) is None:
        return None
    section = check.mapping(path, data[key], data.key_lines.get(key, data.line), key)
    if section is not None:
        check.keys(path, section, allowed, key)
    return section


def _line(data: LineMapping, key: str) -> int:
    return data.key_lines.get(key, data.line)


def _whole(
    check: Checker, path: Path, data: LineMapping, key: str, what: str, low: int, high: int
) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        check.add(
            path, _line(data, key), f"{what}: {key} moet een geheel getal van {low} tot {high} zijn"
        )
        return None
    return value


def _quota(check, path, data, municipalities, agreements) -> Quota | None:
    quota = _section(check, path, data, "quota", QUOTA_KEYS)
    if quota is None:
        return None
    homes, years = quota.get("homes"), quota.get("years")
    agreement_id = quota.get("agreement")
    if agreement_id is not None:
        agreement = agreements.get(str(agreement_id))
        if agreement is None or agreement.number is None:
            check.add(
                path,
                _line(quota, "agreement"),
                f"quota: afspraak {agreement_id!r} bestaat niet of heeft geen getal",
            )
            return None
        if homes is not None or years is not None:
            check.add(path, _line(data, "quota"), "quota: homes/years én agreement; kies er een")
        homes, years = agreement.number, agreement.years
        if agreement.period not in ("jaar", "totaal") or (agreement.period == "totaal") != bool(
            years
        ):
            check.add(
                path,
                _line(quota, "agreement"),
                f"quota: afspraak {agreement_id!r} moet per jaar gelden of totaal met years",
            )
            return None
        years = years if agreement.period == "totaal" else None
    elif not quota.get("source") and quota.get("example") is not True:
        check.add(
            path, _line(data, "quota"), "quota: een aantal zonder bron moet example: true hebben"
        )
    if not finite_number(homes) or homes <= 0:
        check.add(path, _line(quota, "homes"), "quota: homes moet een positief getal zijn")
        return None
    if years is not None and (
        isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= 50
    ):
        check.add(
            path, _line(quota, "years"), "quota: years moet een geheel getal van 1 tot 50 zijn"
        )
        return None
    start = quota.get("start")
    if not isinstance(start, date) or isinstance(start, datetime):
        check.add(path, _line(quota, "start"), "quota: start moet een datum zijn (jjjj-mm-dd)")
        return None
    key, key_example = _key(check, path, quota, municipalities, _line(data, "quota"))
    return Quota(
        per_year=float(homes) / (years or 1),
        start=start,
        key=key,
        years=years,
        example=quota.get("example") is True,
        key_example=key_example,
        agreement=str(agreement_id) if agreement_id is not None else None,
        source=_source(check, path, quota),
        start_example=quota.get("start_example") is True,
    )


def _key(check, path, quota, municipalities, where) -> tuple[dict[str, float], bool]:
    key = _section(check, path, quota, "key", KEY_KEYS)
    if key is None:
        if len(municipalities) > 1:
            check.add(path, where, "quota: key (verdeelsleutel) ontbreekt")
        return ({m: 100.0 for m in municipalities}, False)
    shares = check.mapping(path, key.get("shares"), _line(key, "shares"), "quota: key: shares")
    if shares is None:
        return {}, False
    found: dict[str, float] = {}
    for mid, share in shares.items():
        where = shares.key_lines.get(str(mid), shares.line)
        if str(mid) not in municipalities:
            check.add(path, where, f"quota: key: gemeente {mid!r} hoort niet bij de regio")
        elif not finite_number(share) or share < 0:
            check.add(path, where, f"quota: key: aandeel van {mid} moet een getal ≥ 0 zijn")
        else:
            found[str(mid)] = float(share)
    missing = [m for m in municipalities if m not in shares]
    if missing:
        check.add(
            path, _line(key, "shares"), f"quota: key: aandeel ontbreekt voor {', '.join(missing)}"
        )
    total = sum(found.values())
    if found and len(found) == len(shares) and not missing and abs(total - 100) > 0.01:
        check.add(
            path, _line(key, "shares"), f"quota: key: aandelen tellen op tot {total:g}, niet 100"
        )
    if not key.get("source") and key.get("example") is not True:
        check.add(path, _line(quota, "key"), "quota: key zonder bron moet example: true hebben")
    return found, key.get("example") is True


def _caps(check, path, data, municipalities) -> NeighbourhoodCaps:
    caps = _section(check, path, data, "neighbourhood_caps", CAPS_KEYS)
    if caps is None:
        return NeighbourhoodCaps()
    per_year = _whole(check, path, caps, "per_year", "neighbourhood_caps", 0, 10_000)
    per_municipality: dict[str, int] = {}
    if caps.get("municipalities") is not None:
        where = _line(caps, "municipalities")
        places = check.mapping(path, caps["municipalities"], where, "neighbourhood_caps")
        for mid, cap in (places or {}).items():
            at = places.key_lines.get(str(mid), places.line)
            if str(mid) not in municipalities:
                check.add(path, at, f"neighbourhood_caps: gemeente {mid!r} hoort niet bij de regio")
            elif isinstance(cap, bool) or not isinstance(cap, int) or cap < 0:
                check.add(path, at, f"neighbourhood_caps: {mid} moet een geheel getal ≥ 0 zijn")
            else:
                per_municipality[str(mid)] = cap
    overrides: dict[tuple[str, str], int] = {}
    raw = caps.get("overrides")
    if raw is not None:
        places = check.mapping(path, raw, _line(caps, "overrides"), "neighbourhood_caps: overrides")
        for mid, hoods in (places or {}).items():
            where = places.key_lines.get(str(mid), places.line)
            if str(mid) not in municipalities:
                check.add(
                    path, where, f"neighbourhood_caps: gemeente {mid!r} hoort niet bij de regio"
                )
                continue
            hoods = check.mapping(path, hoods, where, f"neighbourhood_caps: {mid}")
            for hood, cap in (hoods or {}).items():
                at = hoods.key_lines.get(str(hood), hoods.line)
                if slug(str(hood)) not in municipalities[str(mid)]:
                    check.add(path, at, f"neighbourhood_caps: wijk {hood!r} ligt niet in {mid}")
                elif isinstance(cap, bool) or not isinstance(cap, int) or cap < 0:
                    check.add(
                        path, at, f"neighbourhood_caps: {mid}/{hood} moet een geheel getal ≥ 0 zijn"
                    )
                else:
                    overrides[(str(mid), slug(str(hood)))] = cap
    if caps.get("example") is not True:
        check.add(
            path,
            _line(data, "neighbourhood_caps"),
            "neighbourhood_caps: zonder bron moet example: true hebben",
        )
    return NeighbourhoodCaps(per_year, per_municipality, overrides, caps.get("example") is True)


def _eligibility(check, path, data, municipalities) -> tuple[EligibilityRule, ...]:
    rules, seen = [], set()
    for item in check.items(path, data, "eligibility", "allocation_rules"):
        rule = check.mapping(path, item, _line(data, "eligibility"), "eligibility")
        if rule is None:
            continue
        rule_id = rule.get("rule")
        if not isinstance(rule_id, str) or rule_id not in ELIGIBILITY_RULES:
            known = ", ".join(ELIGIBILITY_RULES)
            check.add(
                path, rule.line, f"eligibility: onbekende regel {rule_id!r} (bekend: {known})"
            )
            continue
        if rule_id in seen:
            check.add(path, rule.line, f"eligibility: regel {rule_id!r} staat er twee keer")
            continue
        seen.add(rule_id)
        check.keys(
            path, rule, {"rule", "note", *ELIGIBILITY_RULES[rule_id]}, f"eligibility {rule_id}"
        )
        params = {}
        for name in ("min_rooms", "max_rooms"):
            if name in rule:
                params[name] = _rooms_table(check, path, rule, name)
        if "areas" in rule:
            params["areas"] = _areas(check, path, rule, municipalities)
        rules.append(EligibilityRule(rule_id, params))
    return tuple(rules)


def _rooms_table(check, path, rule, name) -> dict[int, int]:
    table = check.mapping(path, rule[name], _line(rule, name), f"eligibility: {name}")
    found = {}
    for persons, rooms in (table or {}).items():
        at = table.key_lines.get(str(persons), table.line)
        if (
            isinstance(persons, bool)
            or not isinstance(persons, int)
            or not 1 <= persons <= 12
            or isinstance(rooms, bool)
            or not isinstance(rooms, int)
            or not 1 <= rooms <= 12
        ):
            check.add(
                path,
                at,
                f"eligibility: {name}: personen en kamers zijn gehele getallen van 1 tot 12",
            )
            continue
        found[persons] = rooms
    return found


def _areas(check, path, rule, municipalities) -> dict[str, tuple[str, ...]]:
    areas = check.mapping(path, rule["areas"], _line(rule, "areas"), "eligibility: werkgebied")
    found = {}
    for organisation, places in (areas or {}).items():
        at = areas.key_lines.get(str(organisation), areas.line)
        places = check.texts(path, areas, str(organisation), "werkgebied")
        unknown = [p for p in places if p not in municipalities]
        if unknown:
            check.add(
                path, at, f"werkgebied: gemeente {', '.join(unknown)} hoort niet bij de regio"
            )
        found[str(organisation)] = tuple(p for p in places if p in municipalities)
    return found


def _prioritisation(check, path, data) -> Prioritisation:
    section = _section(check, path, data, "prioritisation", PRIORITISATION_KEYS)
    if section is None:
        return Prioritisation()
    bonus = _whole(check, path, section, "urgency_bonus_days", "prioritisation", 0, 3650)
    weight, steepness = 0.0, 2.0
    spread = _section(check, path, section, "spread", SPREAD_KEYS)
    if spread is not None:
        for key in ("weight_days", "steepness"):
            value = spread.get(key)
            if not finite_number(value) or not 0 <= value <= 1000:
                check.add(
                    path, _line(spread, key), f"spread: {key} moet een getal van 0 tot 1000 zijn"
                )
        if finite_number(spread.get("weight_days")):
            weight = float(spread["weight_days"])
        if finite_number(spread.get("steepness")):
            steepness = float(spread["steepness"])
    ties = check.texts(path, section, "tie_breaker", "prioritisation") or TIE_BREAKERS
    unknown = [t for t in ties if t not in TIE_BREAKERS]
    if unknown or len(set(ties)) != len(ties):
        check.add(
            path,
            _line(section, "tie_breaker"),
            f"prioritisation: tie_breaker kent alleen {', '.join(TIE_BREAKERS)} (elk één keer)",
        )
        ties = TIE_BREAKERS
    return Prioritisation(
        urgency_bonus_days=bonus or 0,
        spread_weight_days=weight,
        spread_steepness=steepness,
        tie_breaker=tuple(ties),
        example=section.get("example") is True,
    )


def _decision(check, path, data) -> Decision:
    section = _section(check, path, data, "decision", DECISION_KEYS)
    if section is None:
        return Decision()
    approval = section.get("approval", "matchpunt")
    if approval not in APPROVALS:
        check.add(
            path, _line(section, "approval"), f"decision: approval is {' of '.join(APPROVALS)}"
        )
        approval = "matchpunt"
    override = section.get("cap_override", "reden_verplicht")
    if override not in CAP_OVERRIDES:
        check.add(
            path,
            _line(section, "cap_override"),
            f"decision: cap_override is {' of '.join(CAP_OVERRIDES)}",
        )
        override = "reden_verplicht"
    days = _whole(check, path, section, "deadline_working_days", "decision", 1, 60)
    return Decision(
        approval=approval,
        deadline_working_days=days or 5,
        cap_override=override,
        example=section.get("example") is True,
    )


def _source(check: Checker, path: Path, data: LineMapping) -> dict:
    """A section's `source`: a mapping with a seed or a name."""
    raw = data.get("source")
    if raw is None:
        return {}
    source = check.mapping(path, raw, _line(data, "source"), "source")
    if source is None:
        return {}
    if not source.get("seed") and not source.get("name"):
        check.add(path, _line(data, "source"), "source: seed of name nodig")
    return dict(source)


def read_rent_limits(check: Checker, path: Path) -> dict[int, RentLimits]:
    """`rent_limits.yaml`: a list with one entry per year; every amount needs the year's
    source, and the four limits must rise in their legal order."""
    if not path.is_file():
        check.add(path, 1, "bestand ontbreekt (the rent limits of passend toewijzen)")
        return {}
    data = check.mapping(path, check.read(path), 1, "rent_limits")
    if data is None:
        return {}
    check.keys(path, data, {"years"}, "rent_limits")
    found: dict[int, RentLimits] = {}
    for item in check.items(path, data, "years", "rent_limits"):
        entry = check.mapping(path, item, _line(data, "years"), "rent_limits")
        if entry is None:
            continue
        check.keys(path, entry, RENT_KEYS, "rent_limits")
        year = _whole(check, path, entry, "year", "rent_limits", 2000, 2100)
        if year is None:
            check.add(path, entry.line, "rent_limits: year ontbreekt of is ongeldig")
            continue
        if year in found:
            check.add(path, entry.line, f"rent_limits: {year} staat er twee keer")
            continue
        amounts = {}
        for name in RENT_LIMIT_NAMES:
            value = entry.get(name)
            if not finite_number(value) or not 0 < value < 10_000:
                check.add(
                    path,
                    _line(entry, name),
                    f"rent_limits {year}: {name} ontbreekt of is geen bedrag",
                )
            else:
                amounts[name] = float(value)
        values = [amounts[n] for n in RENT_LIMIT_NAMES if n in amounts]
        if len(values) == len(RENT_LIMIT_NAMES) and values != sorted(values):
            check.add(
                path,
                entry.line,
                f"rent_limits {year}: de grenzen moeten oplopen ({', '.join(RENT_LIMIT_NAMES)})",
            )
        if not entry.get("source"):
            check.add(path, entry.line, f"rent_limits {year}: source ontbreekt")
        to_confirm = check.texts(path, entry, "to_confirm", f"rent_limits {year}")
        unknown = [n for n in to_confirm if n not in RENT_LIMIT_NAMES]
        if unknown:
            check.add(
                path,
                _line(entry, "to_confirm"),
                f"rent_limits {year}: onbekende grens {', '.join(unknown)}",
            )
        found[year] = RentLimits(year, amounts, to_confirm, _source(check, path, entry))
    if not found:
        check.add(path, 1, "rent_limits: geen enkel jaar")
    return found


def euro(amount: float) -> str:
    """612.5 → '€ 612,50'; 1250 → '€ 1.250,00'."""
    whole, cents = f"{amount:,.2f}".split(".")
    return f"€ {whole.replace(',', '.')},{cents}"
