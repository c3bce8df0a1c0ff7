"""How a registration form's draft becomes a record, and a record a draft again.

The chat (and any other surface) holds a draft: the answers as the form's fields name them.
This module decides what the caller may choose (the form context of its region and role),
turns a stored record back into a draft to edit, and checks and stores a draft as a new
record or as the changes to one. Option values are the form's shorthand; what is stored is
the record's own columns and facts.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.access.roles import COORDINATOR, CORPORATION, NotAllowedError
from bot.forms.candidate import CANDIDATE_FORM
from bot.forms.dwelling import DWELLING_FORM
from bot.forms.engine import Form, FormContext, Option
from bot.knowledge.base import KnowledgeBase
from bot.records import registry
from bot.records.form_contexts import as_id, person_label, region_context
from bot.records.registry import CANDIDATES, DWELLINGS, Kind
from bot.storage import Store, User

FORMS: dict[str, Form] = {CANDIDATES.table: CANDIDATE_FORM, DWELLINGS.table: DWELLING_FORM}
# Answers that are not facts of the record but columns of its row.
_CANDIDATE_COLUMNS = ("organisation",)
_DWELLING_COLUMNS = ("street_address", "municipality", "organisation")
UNKNOWN = "onbekend"  # the answer "not known yet" to a who-question


def form_context(
    store: Store, kb: KnowledgeBase, user: User, kind: Kind, today: date
) -> FormContext:
    """What `user` may choose in the form of `kind`: its region's municipalities,
    organisations and the people who may be a candidate's support worker or a dwelling's
    contact, each by name (the caller first among a dwelling's contacts). Cards and lists
    read records through the same context, so they name things alike."""
    if kind == CANDIDATES:

        def people(role: str, organisation: str) -> list[Option]:
            workers = registry.support_workers(store, user.region, as_id(organisation))
            return [Option(str(u.telegram_id), person_label(u)) for u in workers]

    else:

        def people(role: str, organisation: str) -> list[Option]:
            # Corporation staff report their own corporation's homes; a coordinator chose
            # the corporation a step earlier.
            corporation = user.organisation_id if user.role == CORPORATION else as_id(organisation)
            found = registry.contacts(store, user, corporation)
            found = sorted(found, key=lambda u: u.telegram_id != user.telegram_id)
            return [Option(str(u.telegram_id), person_label(u)) for u in found]

    return region_context(
        store, kb, user.region, today, people=people, is_coordinator=user.role == COORDINATOR
    )


def as_draft(
    store: Store, kb: KnowledgeBase, now: datetime, user: User, kind: Kind, code: str
) -> tuple[dict[str, Any], str]:
    """The answers of a record `user` may change, as a draft, and the record's version.

    Raises NotFoundError when the record is not there for `user`, NotAllowedError when it
    may not change it, or not in its current status (a forged "Gegevens wijzigen")."""
    row = registry.read(store, now, user, kind, code)
    if not registry.may_edit(user, kind, row):
        raise NotAllowedError(code)
    draft = {**row["facts"], "organisation": str(row["organisation_id"])}
    if kind == DWELLINGS:
        draft["municipality"] = row["municipality"]
        if row.get("street_address"):
            draft["street_address"] = row["street_address"]
        # The neighbourhood is stored by name; the form speaks in options.
        ctx = form_context(store, kb, user, kind, now.date())
        by_label = {o.label: o.value for o in _neighbourhoods(ctx, draft)}
        if draft.get("neighbourhood") in by_label:
            draft["neighbourhood"] = by_label[draft["neighbourhood"]]
    return draft, registry.version(row)


def save(
    store: Store,
    kb: KnowledgeBase,
    now: datetime,
    user: User,
    kind: Kind,
    draft: dict[str, Any],
    *,
    record: str | None = None,
    draft_id: str | None = None,
    version: str | None = None,
) -> dict[str, Any]:
    """Check `draft` again against what `user` may choose now, and store it: a new record
    (saving the same `draft_id` twice gives the first record), or, with `record`, the
    changes to that record as it was at `version`. Returns the stored row.

    Raises InvalidAnswerError for an answer that no longer fits (a municipality gone, a
    colleague left) and the core's errors of register and change_facts."""
    form = FORMS[kind.table]
    ctx = form_context(store, kb, user, kind, now.date())
    cleaned = form.clean(draft, ctx)
    form.check_all(cleaned, ctx)
    columns, facts = (_candidate if kind == CANDIDATES else _dwelling)(cleaned, ctx, record)
    if record is not None:
        return registry.change_facts(
            store, now, user, kind, record, facts, replace=True, based_on=version, **columns
        )
    return registry.register(store, now, user, kind, facts, draft_id=draft_id, **columns)


def record_parts(
    kind: Kind, draft: dict[str, Any], ctx: FormContext
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A checked draft of a new record of `kind` as the record's own columns (organisation,
    support worker, municipality, …) and its facts, as `save` stores them."""
    return (_candidate if kind == CANDIDATES else _dwelling)(draft, ctx, None)


def _candidate(
    draft: dict[str, Any], ctx: FormContext, record: str | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    columns: dict[str, Any] = {}
    if draft.get("organisation"):
        columns["organisation_id"] = int(draft["organisation"])
    if draft.get("support_organisation") not in (None, UNKNOWN):
        columns["support_organisation_id"] = int(draft["support_organisation"])
    if draft.get("support_worker") not in (None, UNKNOWN):
        columns["support_worker_id"] = int(draft["support_worker"])
    if record is not None:
        # An edit replaces the whole answer set: "not known" clears what was there.
        columns.setdefault("support_organisation_id", None)
        columns.setdefault("support_worker_id", None)
    facts = {k: v for k, v in draft.items() if k not in _CANDIDATE_COLUMNS}
    return columns, facts


def _dwelling(
    draft: dict[str, Any], ctx: FormContext, record: str | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    facts = {k: v for k, v in draft.items() if k not in _DWELLING_COLUMNS}
    # The neighbourhood is kept by name: option values are only the form's shorthand.
    names = {o.value: o.label for o in _neighbourhoods(ctx, draft)}
    if facts.get("neighbourhood"):
        facts["neighbourhood"] = names.get(facts["neighbourhood"], facts["neighbourhood"])
    columns: dict[str, Any] = {
        "municipality": draft["municipality"],
        "street_address": draft.get("street_address"),
    }
    if draft.get("organisation"):
        columns["organisation_id"] = int(draft["organisation"])
    return columns, facts


def _neighbourhoods(ctx: FormContext, draft: dict[str, Any]) -> list[Option]:
    return DWELLING_FORM.field("neighbourhood").option_list(ctx, draft)
