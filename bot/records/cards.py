"""What a list line and a detail card show of a record, by role: nobody sees more than their
work needs (a support worker: code, municipality options, profile and status)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.access.roles import COORDINATOR, CORPORATION, FIELD_WORKER
from bot.forms.candidate import CANDIDATE_FORM
from bot.forms.dwelling import DWELLING_FORM
from bot.forms.engine import FormContext, describe
from bot.matching.ranking import waiting_days
from bot.records.form_contexts import PERSON_FIELDS, as_id, named_person
from bot.records.lifecycle import CANDIDATE_STATUSES, DWELLING_STATUSES
from bot.storage import User

# Candidate fields per audience; the rest of the facts stay with those who registered them.
LIMITED_FIELDS = ("municipalities", "profile")
FULL_CANDIDATE_ROLES = (COORDINATOR, FIELD_WORKER)
# A corporation sees a proposed candidate's matching facts, not their bottlenecks or notes.
HIDDEN_FROM_CORPORATIONS = ("bottlenecks", "note", "support_worker")
PAGE_SIZE = 5
LINE_LENGTH = 60
# Statuses whose card label is too long for a list line.
LIST_STATUSES = {"voorgedragen": "voorgedragen"}


def list_line(row: dict[str, Any], kind: str, ctx: FormContext) -> str:
    """One line in /mijn: code, status, where, and how long it has been waiting; at most
    `LINE_LENGTH` characters (a button): places that do not fit are counted ("Velsen +2")."""
    names = {o.value: o.label for o in ctx.municipalities}
    if kind == "candidates":
        places = [names.get(p, p) for p in row["facts"].get("municipalities") or ()]
        status = CANDIDATE_STATUSES.get(row["status"], row["status"])
    else:
        places = [names.get(row["municipality"], row["municipality"])]
        status = DWELLING_STATUSES.get(row["status"], row["status"])
    head = f"{row['code']} · {LIST_STATUSES.get(row['status'], status)} · "
    tail = f" · {waiting_days(row, ctx.today)} dagen"
    return head + _fit(places, LINE_LENGTH - len(head) - len(tail)) + tail


def _fit(places: list[str], room: int) -> str:
    for shown in range(len(places), 0, -1):
        more = f" +{len(places) - shown}" if shown < len(places) else ""
        text = ", ".join(places[:shown]) + more
        if len(text) <= room:
            return text
    return (places[0][: max(room - 1, 1)] + "…") if places else "—"


def card_lines(
    row: dict[str, Any], kind: str, user: User, ctx: FormContext, names: Mapping[int, str]
) -> list[str]:
    """The detail card as (label, value) lines, only with what `user` may see; the staff it
    names by `names` (`names.staff_names`, former staff too)."""
    facts = row["facts"]
    if kind == "candidates":
        form, statuses = CANDIDATE_FORM, CANDIDATE_STATUSES
        fields = [f for f in form.visible(facts, ctx) if f.key in facts]
        if user.role == CORPORATION:
            fields = [f for f in fields if f.key not in HIDDEN_FROM_CORPORATIONS]
        elif user.role not in FULL_CANDIDATE_ROLES:
            fields = [f for f in fields if f.key in LIMITED_FIELDS]
    else:
        form, statuses = DWELLING_FORM, DWELLING_STATUSES
        draft = {**facts, "municipality": row["municipality"]}
        fields = [
            f for f in form.visible(draft, ctx) if f.key in draft and f.key != "street_address"
        ]
        facts = draft
    lines = [
        f"Status: {statuses.get(row['status'], row['status'])}",
        f"Wacht al: {waiting_days(row, ctx.today)} dagen",
    ]
    reason_roles = (
        (*FULL_CANDIDATE_ROLES, CORPORATION) if kind == "dwellings" else FULL_CANDIDATE_ROLES
    )
    if row.get("status_reason") and user.role in reason_roles:
        lines.append(f"Reden: {row['status_reason']}")
    for fld in fields:
        value = facts.get(fld.key)
        if fld.key == "neighbourhood":
            shown = str(value) if value else "—"
        elif fld.key in PERSON_FIELDS and as_id(str(value)) is not None:
            shown = named_person(names, fld.key, value)
        else:
            shown = describe(fld, value, ctx, facts)
        lines.append(f"{fld.label}: {shown}")
    return lines
