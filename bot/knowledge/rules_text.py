"""/regels: a region's allocation rules in plain Dutch, written from the region file, so what
staff read is what the matching applies."""

from __future__ import annotations

from datetime import date
from html import escape

from bot.access.roles import User, require_command
from bot.knowledge.base import KnowledgeBase, RegionFacts, slug
from bot.knowledge.rules import (
    RENT_LIMIT_NAMES,
    AllocationRules,
    EligibilityRule,
    RentLimits,
    euro,
    limits_for,
)

MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()
LIMIT_LABELS = {
    "kwaliteitskortingsgrens": "kwaliteitskortingsgrens",
    "lage_aftoppingsgrens": "lage aftoppingsgrens",
    "hoge_aftoppingsgrens": "hoge aftoppingsgrens",
    "liberalisatiegrens": "liberalisatiegrens",
}


def region_rules(kb: KnowledgeBase, user: User | None, today: date) -> str:
    """The caller's region's rules (Telegram HTML). Raises NotAllowed for someone without
    an active account."""
    active = require_command(user, "regels")
    return describe(kb.facts[active.region], kb.rent_limits, today)


def _day(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _number(n: float) -> str:
    return f"{n:,.0f}".replace(",", ".") if float(n).is_integer() else f"{n:g}".replace(".", ",")


def _list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def _example(flag: bool) -> str:
    return " <i>(voorbeeld)</i>" if flag else ""


def describe(facts: RegionFacts, rent_limits: dict[int, RentLimits], today: date) -> str:
    rules, region = facts.allocation_rules, facts.region
    names = {m.id: m.name for m in region.municipalities}
    parts = [f"<b>Regels voor de matching in {escape(region.name)}</b>"]
    if rules.note:
        parts.append(f"<i>{escape(rules.note)}</i>")
    parts.append(_quota(rules, names))
    parts.append(_caps(rules, names, facts))
    parts.append(_eligibility(rules, names, rent_limits, today))
    parts.append(_order(rules, spread=len(names) > 1))
    parts.append(_decision(rules))
    return "\n\n".join(p for p in parts if p)


def _quota(rules: AllocationRules, names: dict[str, str]) -> str:
    quota = rules.quota
    if quota is None:
        return "<b>Quotum</b>\nEr is geen quotum afgesproken."
    if quota.years:
        total = quota.per_year * quota.years
        line = (
            f"{_number(total)} woningen in {quota.years} jaar ({_number(round(quota.per_year, 1))}"
            f" per jaar), van {_day(quota.start)} tot {_day(quota.ends())}."
        )
    else:
        line = f"{_number(quota.per_year)} woningen per jaar, vanaf {_day(quota.start)}."
    if quota.start_example:
        line += " <i>(De startdatum is een voorbeeld.)</i>"
    text = f"<b>Quotum</b>{_example(quota.example)}\n{line}"
    if len(quota.key) > 1:
        shares = sorted(quota.key.items(), key=lambda kv: (-kv[1], names.get(kv[0], kv[0])))
        split = ", ".join(f"{escape(names.get(m, m))} {_number(s)}%" for m, s in shares)
        text += f"\nVerdeelsleutel{_example(quota.key_example)}: {split}."
    return text


def _caps(rules: AllocationRules, names: dict[str, str], facts: RegionFacts) -> str:
    caps = rules.caps
    if caps.per_year is None and not caps.municipalities and not caps.overrides:
        return ""
    lines = []
    if caps.per_year is not None:
        lines.append(
            f"Hoogstens {caps.per_year} plaatsingen per wijk in 12 maanden (geplaatst of "
            "voorgedragen)."
        )
    for mid, cap in sorted(caps.municipalities.items()):
        lines.append(f"In {escape(names.get(mid, mid))}: hoogstens {cap} per wijk.")
    hood_names = {(mid, slug(n)): n for mid, hoods in facts.neighbourhoods.items() for n in hoods}
    for (mid, hood), cap in sorted(caps.overrides.items()):
        name = hood_names.get((mid, hood), hood)
        lines.append(f"{escape(name)} ({escape(names.get(mid, mid))}): hoogstens {cap}.")
    if not any(facts.neighbourhoods.values()):
        lines.append("De kennisbank kent in deze regio nog geen wijken: het plafond telt nog niet.")
    return f"<b>Wijkplafonds</b>{_example(caps.example)}\n" + "\n".join(lines)


def _rooms(rule: EligibilityRule) -> str:
    least, most = rule.params.get("min_rooms") or {}, rule.params.get("max_rooms") or {}
    parts = []
    for n in sorted(set(least) | set(most)):
        who = "1 persoon" if n == 1 else f"{n} personen"
        if n == max(least, default=0) and n >= max(most, default=0):
            who = f"{n} of meer personen" if n > 1 else who
        low, high = least.get(n), most.get(n)
        if low and high:
            parts.append(f"{who} {low} tot {high} kamers")
        elif low:
            parts.append(f"{who} minstens {low} {'kamer' if low == 1 else 'kamers'}")
        elif high:
            parts.append(f"{who} hoogstens {high} kamers")
    return "Huishouden en kamers (woonkamer meegeteld): " + "; ".join(parts) + "."


def _rent(rent_limits: dict[int, RentLimits], today: date) -> str:
    limits = limits_for(rent_limits, today.year)
    if limits is None:
        return "Passend toewijzen: de kale huur past bij de huurgrens van de kandidaat."
    shown = []
    for name in RENT_LIMIT_NAMES:
        star = "*" if name in limits.to_confirm else ""
        shown.append(f"{LIMIT_LABELS[name]} {euro(limits.amounts[name])}{star}")
    text = (
        "Passend toewijzen: de kale huur valt binnen de huurgrens van de kandidaat. "
        f"Grenzen {limits.year}: " + ", ".join(shown) + "."
    )
    if limits.to_confirm:
        text += " (* nog te bevestigen)"
    return text


def _eligibility(
    rules: AllocationRules, names: dict[str, str], rent_limits: dict[int, RentLimits], today: date
) -> str:
    lines = []
    for rule in rules.eligibility:
        if rule.id == "gemeente":
            lines.append("Gemeente: een van de gemeenten die de kandidaat wil.")
        elif rule.id == "uitgesloten":
            lines.append("Niet in een gemeente waar de kandidaat niet kan wonen.")
        elif rule.id == "huishouden_kamers":
            lines.append(_rooms(rule))
        elif rule.id == "verdieping_lift":
            lines.append("Begane grond of een lift, als de kandidaat dat nodig heeft.")
        elif rule.id == "toegankelijk":
            lines.append("Toegankelijk voor rolstoel of rollator, als dat nodig is.")
        elif rule.id == "huisdieren":
            lines.append("Huisdieren toegestaan, als de kandidaat een huisdier heeft.")
        elif rule.id == "passend_toewijzen":
            lines.append(_rent(rent_limits, today))
        elif rule.id == "werkgebied":
            areas = rule.params.get("areas") or {}
            said = [
                f"{escape(org)} werkt in {_list([escape(names.get(m, m)) for m in places])}"
                for org, places in sorted(areas.items())
                if places
            ]
            tail = f" ({'; '.join(said)})" if said else " (nog geen werkgebieden vastgelegd)"
            lines.append(f"In het werkgebied van de begeleidende organisatie{tail}.")
    numbered = "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))
    return "<b>Wie past bij een woning</b> (in deze volgorde)\n" + numbered


def _order(rules: AllocationRules, *, spread: bool) -> str:
    order = rules.prioritisation
    lines = ["Wie het langst wacht, gaat voor."]
    if order.urgency_bonus_days:
        lines.append(f"Urgentie telt als {order.urgency_bonus_days} dagen extra wachttijd.")
    if order.spread_weight_days and spread:
        lines.append(
            "Spreiding: heeft een gemeente naar verhouding meer plaatsingen dan haar deel van de "
            "verdeelsleutel, dan gaat bij een woning daar voor wie alleen daar wil wonen; wie "
            "ook een gemeente wil die "
            "naar verhouding minder plaatsingen heeft, krijgt wachttijd in mindering: "
            f"{_number(order.spread_weight_days)} dagen maal het verschil in spreidingsprijs "
            "van de twee gemeenten (hoe verder voor, hoe meer). Voor een kandidaat komt een "
            "woning in een wijk op het plafond achteraan."
        )
    ties = {"aanmelddatum": "de eerdere aanmelding", "code": "de code"}
    lines.append("Bij gelijke score: " + ", dan ".join(ties[t] for t in order.tie_breaker) + ".")
    return f"<b>Volgorde</b>{_example(order.example)}\n" + "\n".join(lines)


def _decision(rules: AllocationRules) -> str:
    decision = rules.decision
    who = (
        "Het matchpunt keurt elke voordracht goed."
        if decision.approval == "matchpunt"
        else "De bot draagt de eerste kandidaat direct voor."
    )
    cap = (
        "Een woning in een wijk op het plafond: voordragen alleen met een reden."
        if decision.cap_override == "reden_verplicht"
        else "Een woning in een wijk op het plafond wordt niet voorgedragen."
    )
    return (
        f"<b>Besluit</b>{_example(decision.example)}\n{who} Beide partijen antwoorden binnen "
        f"{decision.deadline_working_days} werkdagen; halverwege herinnert de bot wie nog niet "
        f"antwoordde, daarna gaat de voordracht naar het matchpunt. {cap}"
    )
