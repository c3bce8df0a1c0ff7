"""The shared handles every handler and job needs, built once by the composition root."""

from __future__ import annotations

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
    try:
        kb, index = open_knowledge(svc.config)
    except KnowledgeError as exc:
        problems = exc.problems
    except Exception as exc:  # a loader bug must never take the working base down with it
        problems = [f"onverwachte fout bij het laden: {type(exc).__name__}"]
    else:
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
