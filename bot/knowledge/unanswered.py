"""Unanswered and disliked questions, grouped so a knowledge editor sees what is missing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from rapidfuzz import fuzz

from bot.knowledge.asking import Reply
from bot.knowledge.search import STOP_WORDS, words
from bot.privacy.personal_data import mask_personal_data
from bot.storage import Store, User

SIMILAR = 72
# Grouping is quadratic in the worst case; the newest questions are what editors need.
MAX_GROUPED = 2000
KINDS = ("unanswered", "downvote", "suggestion")


def visible_questions(store: Store, user: User) -> list[dict]:
    """The kept questions `user` may read for the knowledge editors: its region's and those
    without a region; an admin reads all."""
    return [r for r in store.kb_questions() if user.is_admin or r["region"] in (None, user.region)]


def record_question(
    store: Store,
    now: datetime,
    kind: str,
    text: str,
    region: str | None,
    entry_id: str | None = None,
) -> None:
    """Keep a question for the knowledge editors: personal data masked, only the day (not the
    moment: together with a log line that would say who asked), and never the asker."""
    if kind not in KINDS:
        raise ValueError(kind)
    store.add_kb_question(kind, mask_personal_data(text)[:500], region, now.date(), entry_id)


def record_unanswered(store: Store, now: datetime, reply: Reply) -> None:
    """Keep what a reply left unanswered: the parts of a combined question without an
    answer, or the whole question when nothing was found."""
    parts = reply.unanswered if reply.main.found else (reply.question,)
    for part in parts:
        record_question(store, now, "unanswered", part, reply.main.region)


@dataclass
class QuestionGroup:
    example: str
    count: int = 0
    downvotes: int = 0
    entry_ids: set[str] = field(default_factory=set)
    texts: list[str] = field(default_factory=list)


def group_questions(rows: list[dict]) -> list[QuestionGroup]:
    """Greedy grouping by rapidfuzz token-set similarity; biggest groups first."""
    groups: list[QuestionGroup] = []
    keys: list[str] = []
    for row in rows[-MAX_GROUPED:]:
        text = row["text"]
        # Stop words out, or "wat" joins every question that starts with it.
        key = " ".join(w for w in words(text) if w not in STOP_WORDS) or text.lower()
        index = next(
            (i for i, other in enumerate(keys) if fuzz.token_sort_ratio(key, other) >= SIMILAR),
            None,
        )
        if index is None:
            home = QuestionGroup(example=text)
            groups.append(home)
            keys.append(key)
        else:
            home = groups[index]
        home.count += 1
        home.texts.append(text)
        if row.get("kind") == "downvote":
            home.downvotes += 1
        if row.get("entry_id"):
            home.entry_ids.add(row["entry_id"])
    return sorted(groups, key=lambda g: (-g.count, g.example))
