"""Regions and their municipalities (loaded with the knowledge base, `bot.knowledge.base`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Municipality:
    id: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    municipalities: tuple[Municipality, ...] = ()
    demo_organisations: tuple[tuple[str, str], ...] = ()
