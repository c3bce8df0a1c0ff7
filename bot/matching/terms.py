"""What matching needs besides the two records: the region's allocation rules, the names to
write lines with, the year's rent limits and the date. Built once per question from the
knowledge base and the organisations of the region."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from bot.knowledge.base import KnowledgeBase, slug
from bot.knowledge.rules import AllocationRules, RentLimits, limits_for


@dataclass(frozen=True)
class Terms:
    rules: AllocationRules
    today: date
    municipality_names: Mapping[str, str] = field(default_factory=dict)
    neighbourhood_names: Mapping[tuple[str, str], str] = field(default_factory=dict)
    organisation_names: Mapping[str, str] = field(default_factory=dict)  # id (as text) → name
    rent_limits: Mapping[int, RentLimits] = field(default_factory=dict)

    def municipality(self, mid: str) -> str:
        return self.municipality_names.get(mid, mid)

    def neighbourhood(self, mid: str, hood: str) -> str:
        return self.neighbourhood_names.get((mid, hood), hood)

    def limits(self, year: int) -> RentLimits | None:
        cache = self.__dict__.setdefault("_limits_cache", {})
        if year not in cache:
            cache[year] = limits_for(dict(self.rent_limits), year)
        return cache[year]


def terms_for(
    kb: KnowledgeBase, region_id: str, today: date, organisation_names: Mapping[str, str]
) -> Terms:
    region = kb.regions[region_id]
    facts = kb.facts[region_id]
    return Terms(
        rules=facts.allocation_rules,
        today=today,
        municipality_names={m.id: m.name for m in region.municipalities},
        neighbourhood_names={
            (mid, slug(name)): name for mid, names in facts.neighbourhoods.items() for name in names
        },
        organisation_names=dict(organisation_names),
        rent_limits=kb.rent_limits,
    )
