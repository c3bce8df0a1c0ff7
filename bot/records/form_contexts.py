"""The option lists a registration form needs in a region, from the knowledge base and the
store: municipalities, neighbourhoods, profiles, organisations and people. The forms in chat
and the CSV export read values through the same context, so they name things alike."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from bot.access.names import staff_name, unnamed
from bot.access.roles import CORPORATION, SUPPORT_WORKER
from bot.forms.engine import FormContext, Option
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.rules import limits_for
from bot.storage import Store, User

# Form fields that hold a staff member's Telegram id, and the role of whom they name.
PERSON_FIELDS = {"support_worker": SUPPORT_WORKER, "contact": CORPORATION}

People = Callable[[str, str], list[Option]]


def person_label(user: User) -> str:
    """How a form offers a staff member: by the name colleagues see (`names.staff_name`)."""
    return staff_name(user)


def named_person(names: Mapping[int, str], key: str, value: Any) -> str:
    """How a record's person field `key` (`PERSON_FIELDS`) reads: the staff member's name
    from `names` (`names.staff_names`), or their role and id when they are not known."""
    telegram_id = as_id(str(value))
    if telegram_id is None:
        return str(value)
    return names.get(telegram_id) or unnamed(PERSON_FIELDS[key], telegram_id)


def region_context(
    store: Store,
    kb: KnowledgeBase,
    region_id: str,
    today: date,
    *,
    people: People,
    is_coordinator: bool,
) -> FormContext:
    """The context of `region_id`; `people(role, organisation_id)` lists who may be chosen."""
    region = kb.regions[region_id]
    facts = kb.facts.get(region_id)
    organisations = store.organisations(region_id)
    limits = limits_for(kb.rent_limits, today.year)

    def by_kind(kind: str) -> list[Option]:
        return [Option(str(o.id), o.name) for o in organisations if o.kind == kind]

    return FormContext(
        region_id=region_id,
        municipalities=tuple(Option(m.id, m.name) for m in region.municipalities),
        neighbourhoods=dict(facts.neighbourhoods) if facts else {},
        today=today,
        organisations=by_kind,
        people=people,
        region_name=region.name,
        is_coordinator=is_coordinator,
        profiles=tuple(Option(*p) for p in facts.profiles) if facts else (),
        rent_limits=dict(limits.amounts) if limits else {},
    )


def as_id(text: str) -> int | None:
    """An option value that stands for an id ("12"), or None."""
    return int(text) if text.isascii() and text.isdigit() else None
