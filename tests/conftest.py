"""Shared fixtures: a fresh database file per test, the real config and knowledge files,
and a running shell (the real Application over the local Bot API)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from helpers import new_shell

from bot.clock import ManualClock
from bot.config import load_config
from bot.demo import seed_demo
from bot.knowledge.base import load_knowledge
from bot.localapi.shell import SCRIPTED_START
from bot.storage import Store

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "weerthuis.sqlite3"


@pytest.fixture
def config(db_path: Path):
    return load_config(REPO / "config.yaml", env={"WEERTHUIS_DB": str(db_path)})


@pytest.fixture
def store(config):
    store = Store(config.database)
    store.migrate()
    yield store
    store.close()


@pytest.fixture
def clock(config):
    return ManualClock(config.tz, start=datetime.fromisoformat(SCRIPTED_START))


@pytest.fixture
def regions(kb):
    return kb.regions


@pytest.fixture(scope="session")
def kb():
    """The real knowledge base (read once: the tests never change it)."""
    return load_knowledge(REPO / "knowledge")


@pytest.fixture
async def shell(config, store, clock, regions):
    """A running demo shell; `shell.out.getvalue()` is the transcript so far."""
    seed_demo(store, regions, clock.now())
    sh = new_shell(config, store, clock)
    async with sh:
        yield sh
