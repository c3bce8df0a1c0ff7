"""Regions and their municipalities (loaded with the knowledge base, `bot.knowledge.base`)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


def slug(text: str) -> str:
    """'Zachte landing' → 'zachte-landing'; accents dropped, slashes and spaces become '-'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


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
    # Names that point at the region in a question only: towns inside its municipalities and
    # former municipalities (`places`), and the parties' organisations (`organisations`).
    places: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
