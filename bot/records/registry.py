"""Candidates and dwellings: registration, reading, changing and status transitions, each
checked against who the caller is and written to the audit log. No Telegram here.

Who sees what (enforced on every read and write):
- a coordinator: everything in their own region;
- a field worker: the candidates of their own organisation;
- a support worker: the candidates assigned to them;
- corporation staff: their own organisation's dwellings (and, once matching exists, the
  matching facts of a candidate proposed for one of them);
- nobody: anything in another region.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.access.roles import COORDINATOR, CORPORATION, FIELD_WORKER, SUPPORT_WORKER, NotAllowedError
from bot.privacy.personal_data import find_personal_data
from bot.records.lifecycle import (
    CANDIDATE,
    DWELLING,
    NEEDS_REASON,
    changes_by_hand,
    waiting_days,
)
from bot.storage import NotFoundError, Store, User
from bot.storage import iso_timestamp as _iso

MAX_NOTE = 300


class InvalidRecordError(ValueError):
    """A field value is not acceptable; the message says why, in Dutch."""


class NotEditableError(Exception):
    """The record's status no longer allows changing its facts (withdrawn, matched, let…)."""


class ChangedMeanwhileError(Exception):
    """The record changed since the caller read the version an edit started from."""


def version(row: dict[str, Any]) -> str:
    """A fingerprint of what a record holds now; an edit names the version it started from."""
    content = json.dumps(
        {k: v for k, v in row.items() if k != "draft_id"}, sort_keys=True, default=str
    )
    return hashlib.blake2s(content.encode(), digest_size=8).hexdigest()


# Facts change only while a record waits; after a proposal the match works with what it saw.
EDITABLE_STATUSES = frozenset({"aangemeld", "gepauzeerd", "teruggevallen", "beschikbaar"})


class PersonalDataError(InvalidRecordError):
    """A free-text field holds personal data (BSN, phone, e-mail, address, birth date)."""


@dataclass(frozen=True)
class Kind:
    table: str
    prefix: str
    noun: str
    lifecycle: Any
    start_status: str


CANDIDATES = Kind("candidates", "WT", "kandidaat", CANDIDATE, "aangemeld")
DWELLINGS = Kind("dwellings", "WN", "woning", DWELLING, "beschikbaar")


def region_code(region_id: str) -> str:
    """'ijmond-zuid-kennemerland' → 'IZK', 'assen' → 'ASSE': short, stable, readable."""
    parts = [p for p in region_id.split("-") if p]
    if len(parts) == 1:
        return parts[0][:4].upper()
    return "".join(p[0] for p in parts).upper()


def check_free_text(text: str, what: str) -> str:
    """A short note or reason: trimmed, bounded, and free of personal data."""
    clean = " ".join(text.split())
    if len(clean) > MAX_NOTE:
        raise InvalidRecordError(f"{what} mag hoogstens {MAX_NOTE} tekens zijn.")
    found = find_personal_data(clean)
    if found:
        raise PersonalDataError(
            f"{what} lijkt {' en '.join(found)} te bevatten. Die gegevens bewaren we niet: "
            "laat ze weg en probeer het opnieuw."
        )
    return clean


# --- who sees what ---------------------------------------------------------------------------


def may_view(user: User, kind: Kind, row: dict[str, Any]) -> bool:
    if not user.active or row["region"] != user.region:
        return False
    if user.role == COORDINATOR:
        return True
    if kind is CANDIDATES:
        if user.role == FIELD_WORKER:
            return row["organisation_id"] == user.organisation_id
        if user.role == SUPPORT_WORKER:
            return row.get("support_worker_id") == user.telegram_id
        return False
    return user.role == CORPORATION and row["organisation_id"] == user.organisation_id


def may_view_proposed(store: Store, user: User, row: dict[str, Any]) -> bool:
    """Corporation staff see a candidate proposed for one of their own dwellings."""
    if user.role != CORPORATION or not user.active or row["region"] != user.region:
        return False
    for proposal in store.open_proposals(candidate=row["code"]):
        dwelling = store.record("dwellings", proposal["dwelling_code"])
        if dwelling["organisation_id"] == user.organisation_id:
            return True
    return False


def may_change(user: User, kind: Kind, row: dict[str, Any]) -> bool:
    # Support workers read their candidates; changing them is for the field worker's side.
    return may_view(user, kind, row) and not (kind is CANDIDATES and user.role == SUPPORT_WORKER)


def may_edit(user: User, kind: Kind, row: dict[str, Any]) -> bool:
    """Whether `user` may change the record's facts now ("Gegevens wijzigen"): someone who
    may register such records and change this one, while its status allows it."""
    return (
        may_register(user, kind)
        and may_change(user, kind, row)
        and row["status"] in EDITABLE_STATUSES
    )


def may_register(user: User, kind: Kind) -> bool:
    allowed = (COORDINATOR, FIELD_WORKER) if kind is CANDIDATES else (COORDINATOR, CORPORATION)
    return user.active and user.role in allowed


def support_workers(store: Store, region: str, organisation_id: int | None) -> list[User]:
    """Who may be a candidate's woonbegeleider: an active support worker of the candidate's
    support organisation, in its region."""
    return [
        u
        for u in store.users(region)
        if u.active and u.role == SUPPORT_WORKER and u.organisation_id == organisation_id
    ]


def contacts(store: Store, caller: User, corporation_id: int | None) -> list[User]:
    """Who may be a dwelling's contact: active staff of the dwelling's own corporation; when
    nobody of it uses the bot yet, a coordinator who reports it (the matchpunt) is."""
    staff = [
        u
        for u in store.users(caller.region)
        if u.active and u.role == CORPORATION and u.organisation_id == corporation_id
    ]
    if not staff and caller.role == COORDINATOR and corporation_id is not None:
        return [caller]
    return staff


def _check_people(store: Store, user: User, kind: Kind, row: dict[str, Any]) -> None:
    """The people a record names must be allowed to be there (forms offer only those; this
    holds for any caller of the core)."""
    if kind is CANDIDATES and row.get("support_worker_id") is not None:
        allowed = support_workers(store, row["region"], row.get("support_organisation_id"))
        if row["support_worker_id"] not in {u.telegram_id for u in allowed}:
            raise InvalidRecordError(
                "Die woonbegeleider werkt niet bij de begeleidende organisatie."
            )
    if kind is DWELLINGS and row["facts"].get("contact") not in (None, ""):
        allowed = contacts(store, user, row["organisation_id"])
        if str(row["facts"]["contact"]) not in {str(u.telegram_id) for u in allowed}:
            raise InvalidRecordError(
                "Die contactpersoon werkt niet bij de corporatie van de woning."
            )


# --- operations --------------------------------------------------------------------------------


def register(
    store: Store,
    now: datetime,
    user: User,
    kind: Kind,
    facts: dict[str, Any],
    *,
    draft_id: str | None = None,
    **columns: Any,
) -> dict[str, Any]:
    """Save a new record in the caller's region under a fresh pseudonymous code.

    `draft_id` names the form draft it comes from: the same draft saved twice (a redelivered
    button press) returns the first record instead of creating a second one."""
    if not may_register(user, kind):
        raise NotAllowedError(kind.noun)
    if draft_id is not None:
        earlier = store.record_from_draft(kind.table, draft_id)
        if earlier is not None and earlier["created_by"] == user.telegram_id:
            return earlier
        if earlier is not None:
            draft_id = None  # not this caller's draft: an ordinary new record
    if facts.get("note"):
        facts = {**facts, "note": check_free_text(str(facts["note"]), "De notitie")}
    with store.db.atomic():
        code = store.next_code(f"{kind.prefix}-{region_code(user.region)}")
        row = {
            "code": code,
            "region": user.region,
            "organisation_id": columns.pop("organisation_id", user.organisation_id),
            "created_by": user.telegram_id,
            "status": kind.start_status,
            "facts": facts,
            "created_at": _iso(now),
            "updated_at": _iso(now),
            "draft_id": draft_id,
            **columns,
        }
        _check_people(store, user, kind, row)
        store.add_record(kind.table, row)
        store.audit(user.telegram_id, f"{kind.noun}.create", now, kind.noun, code)
    return store.record(kind.table, code)


def read(store: Store, now: datetime, user: User, kind: Kind, code: str) -> dict[str, Any]:
    """One record for a detail view; the view is audited. Raises NotFound/NotAllowed."""
    row = _get_visible(store, user, kind, code)
    store.audit(user.telegram_id, f"{kind.noun}.view", now, kind.noun, code)
    return row


def listing(store: Store, user: User, kind: Kind, **equal: Any) -> list[dict[str, Any]]:
    """The records the caller may see, oldest first, narrowed by column filters."""
    if not user.active:
        raise NotAllowedError(kind.noun)
    return [r for r in store.records(kind.table, user.region, **equal) if may_view(user, kind, r)]


def waiting_list(
    store: Store,
    user: User,
    kind: Kind,
    today: date,
    *,
    status: str | None = None,
    municipality: str | None = None,
    waiting_at_least: int | None = None,
) -> list[dict[str, Any]]:
    """The records the caller may see, narrowed, the longest waiting first: fair, and what
    the matching desk needs to see (ties: the older code first)."""
    rows = listing(store, user, kind, **({"status": status} if status else {}))
    if municipality is not None:
        rows = [r for r in rows if municipality in _places(r, kind)]
    if waiting_at_least is not None:
        rows = [r for r in rows if waiting_days(r, today) >= waiting_at_least]
    return sorted(rows, key=lambda r: (-waiting_days(r, today), r["code"]))


def _places(row: dict[str, Any], kind: Kind) -> list[str]:
    if kind is CANDIDATES:
        return list(row["facts"].get("municipalities") or [])
    return [row["municipality"]]


def change_facts(
    store: Store,
    now: datetime,
    user: User,
    kind: Kind,
    code: str,
    changes: dict[str, Any],
    *,
    replace: bool = False,
    based_on: str | None = None,
    **columns: Any,
) -> dict[str, Any]:
    """Change matching facts (and the given columns) of a record the caller may change;
    audited with the field names, never the values. With `based_on` (a `version`), raises
    `ChangedMeanwhileError` when the record moved on since, instead of undoing that change."""
    row = _get_visible(store, user, kind, code)
    if not may_change(user, kind, row):
        raise NotAllowedError(code)
    if row["status"] not in EDITABLE_STATUSES:
        raise NotEditableError(code)
    if based_on is not None and version(row) != based_on:
        raise ChangedMeanwhileError(code)
    if changes.get("note"):
        changes = {**changes, "note": check_free_text(str(changes["note"]), "De notitie")}
    # A whole form comes back on edit: its answers replace the old ones (a household that is
    # no longer a family has no children any more).
    new = dict(changes) if replace else {**row["facts"], **changes}
    _check_people(store, user, kind, {**row, **columns, "facts": new})
    with store.db.atomic():
        updated = store.update_record(
            kind.table,
            code,
            {"facts": new, "updated_at": _iso(now), **columns},
        )
        store.audit(
            user.telegram_id,
            f"{kind.noun}.change",
            now,
            kind.noun,
            code,
            {
                "fields": sorted(
                    k for k in {*changes, *row["facts"]} if row["facts"].get(k) != new.get(k)
                )
            },
        )
    return updated


def transition(
    store: Store,
    now: datetime,
    user: User,
    kind: Kind,
    code: str,
    new_status: str,
    reason: str | None = None,
) -> dict[str, Any]:
    """Move a record to `new_status` by hand, as `CHANGES_BY_HAND` allows the caller's role.

    A record that leaves `voorgedragen` takes its open proposal with it: the proposal is
    closed and the other party waits again, in the same transaction, each change audited.
    Raises IllegalTransition (no such change), NotAllowed (not for this caller), InvalidRecord
    (the reason)."""
    row = _get_visible(store, user, kind, code)
    if not may_change(user, kind, row):
        raise NotAllowedError(code)
    kind.lifecycle.check(row["status"], new_status)
    if new_status not in changes_by_hand(kind.table, user.role, row["status"]):
        raise NotAllowedError(f"{code}: {row['status']} → {new_status}")
    clean_reason = None
    if new_status in NEEDS_REASON:
        if not reason or not reason.strip():
            raise InvalidRecordError("Geef een korte reden op.")
        clean_reason = check_free_text(reason, "De reden")
    with store.db.atomic():
        updated = set_status(store, now, user.telegram_id, kind, row, new_status, clean_reason)
        if row["status"] == "voorgedragen":
            close_proposals(store, now, user.telegram_id, kind, code)
    return updated


def changes_for(user: User, kind: Kind, row: dict[str, Any]) -> list[str]:
    """The status changes the caller may ask for on this record, for a card to offer."""
    if not may_change(user, kind, row):
        return []
    return changes_by_hand(kind.table, user.role, row["status"])


def set_status(
    store: Store,
    now: datetime,
    actor: int | str,
    kind: Kind,
    row: dict[str, Any],
    new_status: str,
    reason: str | None,
) -> dict[str, Any]:
    """Move `row` to `new_status` (checked by the caller) and audit it. A dwelling that is
    assigned records when (`placed_at`, what the quota ledger counts); one that goes back
    loses it."""
    changes = {"status": new_status, "status_reason": reason, "updated_at": _iso(now)}
    if kind is DWELLINGS and new_status == "toegewezen":
        changes["placed_at"] = _iso(now)
    elif kind is DWELLINGS and new_status in ("beschikbaar", "ingetrokken"):
        changes["placed_at"] = None
    updated = store.update_record(kind.table, row["code"], changes)
    store.audit(
        actor,
        f"{kind.noun}.status",
        now,
        kind.noun,
        row["code"],
        {"from": row["status"], "to": new_status},
    )
    return updated


def close_proposals(store: Store, now: datetime, actor: int | str, kind: Kind, code: str) -> None:
    """The record leaves its proposals (by hand, or erased): close them, and the other side
    waits again when it has no other open proposal."""
    side = {"candidate": code} if kind is CANDIDATES else {"dwelling": code}
    for proposal in store.open_proposals(**side):
        store.close_proposal(proposal["id"], "vervallen", now)
        store.audit(
            actor,
            "voordracht.vervallen",
            now,
            "kandidaat",
            proposal["candidate_code"],
            {"woning": proposal["dwelling_code"], "door": kind.noun},
        )
        other, other_code = (
            (DWELLINGS, proposal["dwelling_code"])
            if kind is CANDIDATES
            else (CANDIDATES, proposal["candidate_code"])
        )
        other_row = store.record(other.table, other_code)
        if other_row["status"] == "voorgedragen" and not store.open_proposals(
            **({"dwelling": other_code} if other is DWELLINGS else {"candidate": other_code})
        ):
            set_status(store, now, actor, other, other_row, other.start_status, None)


def may_propose(user: User, row: dict[str, Any]) -> bool:
    """Whether a card offers "Voordragen voor een woning": the matchpunt, for a candidate
    that waits (`propose` checks the rest)."""
    return user.active and user.role == COORDINATOR and row["status"] == "aangemeld"


def open_proposals_for(store: Store, user: User, kind: Kind, row: dict[str, Any]) -> list[dict]:
    """The open proposals of a record the caller may see."""
    if not may_view(user, kind, row):
        raise NotAllowedError(row["code"])
    if kind is CANDIDATES:
        return store.open_proposals(candidate=row["code"])
    return store.open_proposals(dwelling=row["code"])


def visible(store: Store, user: User, kind: Kind, code: str) -> dict[str, Any]:
    """The record if the caller may see it (no audit line: for checks, not for showing)."""
    return _get_visible(store, user, kind, code)


def _get_visible(store: Store, user: User, kind: Kind, code: str) -> dict[str, Any]:
    if not _CODE.match(code or ""):
        raise NotFoundError(code)
    row = store.record(kind.table, code)
    if not may_view(user, kind, row) and not (
        kind is CANDIDATES and may_view_proposed(store, user, row)
    ):
        # The same answer as for a code that does not exist: no probing other organisations.
        raise NotFoundError(code)
    return row


_CODE = re.compile(r"^W[TN]-[A-Z]{1,8}-\d{4,6}$")
