"""The shared handles every handler and job needs, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.config import Config
from bot.regions import Region
from bot.storage import Store


class Clock(Protocol):
    def now(self) -> datetime: ...


@dataclass
class Services:
    config: Config
    store: Store
    clock: Clock
    regions: dict[str, Region]
