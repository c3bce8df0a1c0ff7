"""The shared handles every handler and job needs, built once by the composition root."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.aftercare.schedule import replan
from bot.config import Config
from bot.knowledge.base import KnowledgeBase, KnowledgeError, load_knowledge
from bot.knowledge.regions import Region
from bot.knowledge.search import SearchIndex
from bot.storage import Store


class Clock(Protocol):
    def now(self) -> datetime: ...


@dataclass
class Services:
    config: Config
    store: Store
    clock: Clock
    kb: KnowledgeBase
    index: SearchIndex

    @property
    def regions(self) -> dict[str, Region]:
        return self.kb.regions


def open_knowledge(config: Config) -> tuple[KnowledgeBase, SearchIndex]:
    """Load, validate and index the knowledge base. Raises `KnowledgeError`."""
    kb = load_knowledge(config.knowledge_dir)
    index = SearchIndex.build(kb)
    if index.problems:
        raise KnowledgeError(index.problems)
    return kb, index


def reload_knowledge(svc: Services, actor: str | int = "system") -> list[str]:
    """Swap in a freshly loaded knowledge base when it is valid; return its problems otherwise
    (and keep serving the old one). Either way the attempt goes into the audit log."""
    return _swap_knowledge(svc, _try_open(svc.config), actor)


async def reload_knowledge_in_background(svc: Services, actor: str | int = "system") -> list[str]:
    """`reload_knowledge`, with the loading and indexing (a second or more: the search trains
    its phrasing model) in a worker thread, so that the bot serves everyone else meanwhile.
    The swap, the store and the audit line stay on the caller's thread."""
    opened = await asyncio.to_thread(_try_open, svc.config)
    return _swap_knowledge(svc, opened, actor)


def _try_open(config: Config) -> tuple[KnowledgeBase, SearchIndex] | list[str]:
    try:
        return open_knowledge(config)
    except KnowledgeError as exc:
        return exc.problems
    except Exception as exc:  # a loader bug must never take the working base down with it
        return [f"onverwachte fout bij het laden: {type(exc).__name__}"]


def _swap_knowledge(
    svc: Services,
    opened: tuple[KnowledgeBase, SearchIndex] | list[str],
    actor: str | int = "system",
) -> list[str]:
    """Swap in `opened` (what `open_knowledge` made of the files, or their problems)."""
    if isinstance(opened, list):
        problems = opened
    else:
        kb, index = opened
        # A region people work in may not disappear under them (their forms need it).
        in_use = {user.region for user in svc.store.users() if user.active}
        problems = [
            f"regio {region!r} ontbreekt, maar er werken nog gebruikers in (region still in use)"
            for region in sorted(in_use - set(kb.regions))
        ]
        if not problems:
            svc.kb, svc.index = kb, index
            # A region's own check-in plan may have changed: the check-ins to come follow it.
            replan(svc.store, kb, svc.config.aftercare.plan, svc.clock.now())
    svc.store.audit(actor, "kb.reload", svc.clock.now(), detail={"ok": not problems})
    return problems
