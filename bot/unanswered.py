"""Unanswered and disliked questions, grouped so a knowledge editor sees what is missing."""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from bot.search import fold

SIMILAR = 72


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
    for row in rows:
        text = row["text"]
        folded = fold(text)
        home = next(
            (g for g in groups if fuzz.token_set_ratio(folded, fold(g.example)) >= SIMILAR), None
        )
        if home is None:
            home = QuestionGroup(example=text)
            groups.append(home)
        home.count += 1
        home.texts.append(text)
        if row.get("kind") == "downvote":
            home.downvotes += 1
        if row.get("entry_id"):
            home.entry_ids.add(row["entry_id"])
    return sorted(groups, key=lambda g: (-g.count, g.example))
