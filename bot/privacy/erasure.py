"""Data rights and retention for candidates: export everything stored, erase on request or
when aftercare ended long ago. What stays is an anonymous tombstone for the statistics."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any

from bot.records import registry
from bot.storage import Store

# Whole days of a 30-day month: retention is counted generously in the person's favour.
DAYS_PER_MONTH = 30
# Where a candidate's aftercare has ended: completed, or moved on to other housing.
AFTERCARE_ENDED = ("nazorg_afgerond", "doorgestroomd")


def export_candidate(store: Store, now: datetime, code: str, actor: str = "cli") -> dict[str, Any]:
    """Everything stored about a candidate, as plain data. Raises `NotFoundError`."""
    row = store.record("candidates", code)
    export = {
        "candidate": row,
        "proposals": store.proposals_of(code),
        "checkins": store.checkins_of(candidate=code),
        "signals": store.signals_of(candidate=code),
        "omklap_rounds": store.omklap_rounds_of(candidate=code),
        "messages": store.messages(about=code),
        "audit_log": store.audit_entries(record_id=code),
        "scratch": _scratch_mentions(store, code),
    }
    store.audit(actor, "privacy.export", now, "kandidaat", code)
    return export


def erase_candidate(store: Store, now: datetime, code: str, actor: str = "cli") -> None:
    """Remove a candidate and every mention in conversation scratch data; the audit log keeps
    that it happened (codes and action names only, never facts)."""
    store.record("candidates", code)  # NotFoundError for an unknown code
    with store.db.atomic():
        # A dwelling it was proposed for waits again instead of staying proposed to nobody.
        registry.close_proposals(store, now, actor, registry.CANDIDATES, code)
        store.erase_candidate(code, now)
        _drop_scratch_mentions(store, code)
        store.audit(actor, "privacy.erase", now, "kandidaat", code)


def erase_expired(store: Store, now: datetime, months: int) -> list[str]:
    """Erase candidates whose aftercare ended (`AFTERCARE_ENDED`) more than `months` months
    ago; returns their codes (a running bot also scrubs them from the scratch pads it holds
    in memory)."""
    cutoff = now - timedelta(days=months * DAYS_PER_MONTH)
    expired = [
        row["code"]
        for status in AFTERCARE_ENDED
        for row in store.records_with_status("candidates", status)
        if datetime.fromisoformat(row["updated_at"]) < cutoff
    ]
    for code in expired:
        erase_candidate(store, now, code, actor="retention")
    if expired:
        store.audit("retention", "privacy.retention", now, detail={"erased": len(expired)})
    return expired


def mentions(data: Any, code: str) -> bool:
    """Whether `data` (any JSON-like value) mentions the record `code` itself: as a whole
    code, so WT-IZK-1000 is not found in WT-IZK-10000."""
    return _code_pattern(code).search(json.dumps(data, ensure_ascii=False)) is not None


def _code_pattern(code: str) -> re.Pattern[str]:
    return re.compile(r"(?<![A-Za-z0-9-])" + re.escape(code) + r"(?![A-Za-z0-9])")


def _scratch_mentions(store: Store, code: str) -> list[dict[str, Any]]:
    """The parts of conversation scratch pads that mention `code`, and nothing around them."""
    found = []
    for kind in ("user", "chat"):
        for owner, data in store.load_data(kind).items():
            if mentions(data, code):
                found.append({"kind": kind, "owner": owner, "data": _only(data, code)})
    return found


def _only(data: Any, code: str) -> Any:
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if mentions(v, code) or mentions(k, code)}
    return data


def _drop_scratch_mentions(store: Store, code: str) -> None:
    for kind in ("user", "chat"):
        for owner, data in store.load_data(kind).items():
            if not mentions(data, code):
                continue
            cleaned = without(data, code)
            if cleaned:
                store.save_data(kind, owner, cleaned)
            else:
                store.drop_data(kind, owner)


def without(data: Any, code: str) -> Any:
    """`data` minus every value (or key) that mentions `code` (drafts, detail-card state)."""
    if isinstance(data, dict):
        return {
            k: without(v, code)
            for k, v in data.items()
            if not mentions(v, code) and not mentions(k, code)
        }
    if isinstance(data, list):
        return [without(v, code) for v in data if not mentions(v, code)]
    return data


# Unfinished drafts nobody worked on for this long are forgotten: they hold facts about a
# person that no record, and so no export or erasure, covers.
DRAFT_DAYS = 30
# The key in a form's scratch state that says when it was last worked on.
DRAFT_TOUCHED = "at"
_DRAFTS = "form:"
_PARKED = "parked:"


def forget_stale_drafts(data: dict, now: datetime, author_active: bool) -> int:
    """Drop from one user's scratch pad the drafts last worked on more than DRAFT_DAYS ago,
    or all of its scratch when the author has no access any more; returns how many drafts
    went. A draft without a date (from before dates were kept) gets today's."""
    if not author_active:
        drafts = sum(1 for key in data if key.startswith((_DRAFTS, _PARKED)))
        data.clear()
        return drafts
    cutoff = now - timedelta(days=DRAFT_DAYS)

    def stale(state: object) -> bool:
        if not isinstance(state, dict):
            return False
        touched = state.setdefault(DRAFT_TOUCHED, now.isoformat())
        return datetime.fromisoformat(touched) < cutoff

    dropped = 0
    for key in [k for k in data if k.startswith(_DRAFTS) and stale(data[k])]:
        del data[key]
        dropped += 1
    for key in [k for k in data if k.startswith(_PARKED)]:
        for slot in [s for s, state in data[key].items() if stale(state)]:
            del data[key][slot]
            dropped += 1
        if not data[key]:
            del data[key]
    return dropped
