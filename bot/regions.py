"""Regions and their municipalities, read from `knowledge/regions/*.yaml`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

REGIONS_FOLDER = "regions"


class RegionFileError(Exception):
    """A region file is missing, unreadable or malformed; the message names file and key."""


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
    demo_organisations: tuple[tuple[str, str], ...] = field(default=())


def load_regions(knowledge_dir: Path) -> dict[str, Region]:
    """Read every region file; returns regions by id. Raises `RegionFileError`."""
    folder = Path(knowledge_dir) / REGIONS_FOLDER
    if not folder.is_dir():
        raise RegionFileError(f"{folder}: map met regio's ontbreekt (regions folder missing)")
    regions: dict[str, Region] = {}
    for path in sorted(folder.glob("*.yaml")):
        region = _read_region(path)
        if region.id in regions:
            raise RegionFileError(f"{path}: id: regio {region.id!r} bestaat al (duplicate id)")
        regions[region.id] = region
    if not regions:
        raise RegionFileError(f"{folder}: geen regio's gevonden (no region files)")
    return regions


def _read_region(path: Path) -> Region:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RegionFileError(f"{path}: onleesbaar (unreadable): {type(exc).__name__}") from None
    if not isinstance(raw, dict):
        raise RegionFileError(f"{path}: moet een mapping zijn (must be a mapping)")
    region_id, name = raw.get("id"), raw.get("name")
    if not isinstance(region_id, str) or not region_id:
        raise RegionFileError(f"{path}: id: ontbreekt (missing)")
    if not isinstance(name, str) or not name:
        raise RegionFileError(f"{path}: name: ontbreekt (missing)")
    municipalities = []
    for index, item in enumerate(raw.get("municipalities") or []):
        if not isinstance(item, dict) or not item.get("id") or not item.get("name"):
            raise RegionFileError(f"{path}: municipalities[{index}]: id en name vereist")
        municipalities.append(
            Municipality(str(item["id"]), str(item["name"]), tuple(item.get("aliases") or ()))
        )
    organisations = tuple(
        (str(org["name"]), str(org["kind"])) for org in raw.get("demo_organisations") or ()
    )
    return Region(
        id=region_id,
        name=name,
        aliases=tuple(raw.get("aliases") or ()),
        municipalities=tuple(municipalities),
        demo_organisations=organisations,
    )
