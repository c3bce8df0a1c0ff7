"""The knowledge base: question-and-answer entries, regions and the glossary, read from YAML and
validated as a whole. Every problem is reported with file and line; `load_knowledge` raises
`KnowledgeError` with all of them, so an invalid knowledge base never goes into service."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.knowledge.aftercare_rules import AftercareRules, read_aftercare
from bot.knowledge.checker import (
    Checker,
    LineMapping,
    finite_number,
)
from bot.knowledge.regions import Municipality, Region, slug
from bot.knowledge.rules import AllocationRules, RentLimits, read_rent_limits, read_rules

# Entry ids travel in callback data ("kb:a:<id>", 64 bytes at most).
MAX_ID_LENGTH = 48
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ENTRY_KEYS = {
    "id",
    "question",
    "alternates",
    "answer",
    "answer_en",
    "tags",
    "region",
    "municipality",
    "sources",
    "follow_ups",
}
REGION_KEYS = {
    "id",
    "name",
    "aliases",
    "sources",
    "municipalities",
    "parties",
    "agreements",
    "allocation_rules",
    "demo_organisations",
    "joined",
    "profiles",
    "aftercare",
    "places",
}
# The example uitstroomprofielen of the candidate form (`bot.forms.candidate.PROFILES`), for
# a region without its own: what a region's aftercare plan may be given for.
EXAMPLE_PROFILE_IDS = ("zelfstandig", "begeleid", "beschermd_thuis")
PROFILE_KEYS = {"id", "label", "help", "source"}
AGREEMENT_KEYS = {
    "id",
    "text",
    "kind",
    "number",
    "unit",
    "period",
    "years",
    "date",
    "source",
    "sources",
}
AGREEMENT_KINDS = ("afspraak", "resultaat")
JOINED_KEYS = {"year", "round", "note", "source"}
MUNICIPALITY_KEYS = {"id", "name", "aliases", "neighbourhoods", "neighbourhoods_example"}
TERM_KEYS = {"term", "aliases", "abbreviations", "alternates", "definition", "sources"}
ORGANISATION_KINDS = ("gemeente", "corporatie", "zorgaanbieder")


class KnowledgeError(Exception):
    """The knowledge base is invalid; `problems` lists every 'file:line: message'."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Entry:
    id: str
    question: str
    alternates: tuple[str, ...]
    answer: str
    answer_en: str | None = None
    tags: tuple[str, ...] = ()
    region: str | None = None
    municipality: str | None = None
    follow_ups: tuple[str, ...] = ()
    sources: tuple[dict, ...] = ()
    source_file: str = ""
    names: tuple[str, ...] = ()  # a glossary entry's term, aliases and abbreviations


@dataclass(frozen=True)
class Agreement:
    """What a region agreed (`kind` afspraak: a quota later features apply) or reached
    (`kind` resultaat: a figure to quote, never to apply)."""

    id: str
    text: str
    kind: str = "afspraak"
    number: float | None = None
    unit: str | None = None
    period: str | None = None
    years: int | None = None


@dataclass(frozen=True)
class RegionFacts:
    region: Region
    parties: dict[str, tuple[str, ...]] = field(default_factory=dict)
    agreements: tuple[Agreement, ...] = ()
    allocation_rules: AllocationRules = field(default_factory=AllocationRules)
    neighbourhoods: dict[str, tuple[str, ...]] = field(default_factory=dict)
    joined: dict = field(default_factory=dict)  # year and/or round the region joined
    # The region's own uitstroomprofielen: (id, label, explanation); empty means "use the
    # examples".
    profiles: tuple[tuple[str, str, str], ...] = ()
    aftercare: AftercareRules = field(default_factory=AftercareRules)


@dataclass(frozen=True)
class KnowledgeBase:
    entries: tuple[Entry, ...]
    regions: dict[str, Region]
    facts: dict[str, RegionFacts]
    synonyms: tuple[tuple[str, ...], ...]
    abbreviations: dict[str, str]
    rent_limits: dict[int, RentLimits] = field(default_factory=dict)
    # Places outside the regions (`elsewhere.yaml`): a question naming one is not about them.
    elsewhere: tuple[str, ...] = ()
    # Subjects the knowledge base does not cover (`outside.yaml`): word → subject.
    outside: dict[str, str] = field(default_factory=dict)

    def entry(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    @property
    def _by_id(self) -> dict[str, Entry]:
        cached = self.__dict__.get("_by_id_cache")
        if cached is None:
            cached = {e.id: e for e in self.entries}
            object.__setattr__(self, "_by_id_cache", cached)
        return cached


# --- loading ----------------------------------------------------------------------------------


def load_knowledge(folder: Path) -> KnowledgeBase:
    """Read and validate everything under `folder`. Raises `KnowledgeError` listing all problems."""
    folder = Path(folder)
    check = Checker(folder)
    if not folder.is_dir():
        raise KnowledgeError([f"{folder}: map bestaat niet (folder missing)"])
    regions, facts = _load_regions(check, folder)
    rent_limits = read_rent_limits(check, folder / "rent_limits.yaml")
    _check_region_names(check, folder, regions)
    elsewhere = _load_elsewhere(check, folder, regions)
    terms, synonyms, abbreviations = _load_glossary(check, folder)
    entries = _load_entries(check, folder)
    entries.extend(terms)
    _check_references(check, folder, entries, regions)
    outside = _load_outside(check, folder, entries)
    if not entries:
        check.problems.append(f"{folder}: geen vragen en antwoorden gevonden (no entries)")
    if check.problems:
        raise KnowledgeError(check.problems)
    return KnowledgeBase(
        entries=tuple(entries),
        regions=regions,
        facts=facts,
        synonyms=tuple(synonyms),
        abbreviations=abbreviations,
        rent_limits=rent_limits,
        elsewhere=elsewhere,
        outside=outside,
    )


def check_knowledge(folder: Path) -> list[str]:
    """All problems of the knowledge base in `folder`; empty when valid."""
    from bot.knowledge.search import SearchIndex  # the search imports this module

    try:
        kb = load_knowledge(folder)
    except KnowledgeError as exc:
        return exc.problems
    return SearchIndex.build(kb).problems


def _load_regions(check: Checker, folder: Path) -> tuple[dict[str, Region], dict]:
    regions: dict[str, Region] = {}
    facts: dict[str, RegionFacts] = {}
    region_dir = folder / "regions"
    paths = sorted(region_dir.glob("*.yaml")) if region_dir.is_dir() else []
    if not paths:
        check.problems.append(f"{region_dir}: geen regiobestanden (no region files)")
    for path in paths:
        data = check.mapping(path, check.read(path), 1, "regio")
        if data is None:
            continue
        check.keys(path, data, REGION_KEYS, "regio")
        region_id = check.text(path, data, "id", "regio", required=True)
        name = check.text(path, data, "name", "regio", required=True)
        if region_id and not _ID.match(region_id):
            check.add(path, data.key_lines.get("id", 1), f"regio: id {region_id!r} ongeldig")
        if region_id in regions:
            check.add(path, data.key_lines.get("id", 1), f"regio: id {region_id!r} bestaat al")
            continue
        check.sources(path, data, f"regio {region_id}", required=True)
        municipalities, neighbourhoods = _municipalities(check, path, data, region_id)
        organisations = []
        for org in check.items(path, data, "demo_organisations", "regio"):
            item = check.mapping(path, org, data.line, "demo_organisations")
            if item is None:
                continue
            if item.get("kind") not in ORGANISATION_KINDS or not item.get("name"):
                check.add(
                    path, item.line, "demo_organisations: name en kind (gemeente, ...) vereist"
                )
                continue
            organisations.append((str(item["name"]), str(item["kind"])))
        parties = _parties(check, path, data, region_id)
        region = Region(
            id=region_id,
            name=name,
            aliases=check.texts(path, data, "aliases", f"regio {region_id}"),
            municipalities=municipalities,
            demo_organisations=tuple(organisations),
            places=check.texts(path, data, "places", f"regio {region_id}"),
            organisations=tuple(
                name
                for kind in ("corporations", "care_providers")
                for name in parties.get(kind, ())
            ),
        )
        regions[region_id] = region
        known_places = {m.name for m in municipalities}
        for place in parties.get("municipalities", ()):
            if known_places and place not in known_places:
                line = data.key_lines.get("parties", data.line)
                check.add(path, line, f"regio {region_id}: parties: gemeente {place!r} onbekend")
        joined = check.mapping(path, data.get("joined") or LineMapping(), data.line, "joined")
        if joined:
            check.keys(path, joined, JOINED_KEYS, "joined")
        profiles = []
        for item in check.items(path, data, "profiles", f"regio {region_id}"):
            profile = check.mapping(path, item, data.line, "profiles")
            if profile is None:
                continue
            check.keys(path, profile, PROFILE_KEYS, "profiles")
            pid = check.text(path, profile, "id", "profiel", required=True)
            label = check.text(path, profile, "label", "profiel", required=True)
            if not profile.get("source"):
                check.add(path, profile.line, f"profiel {pid}: source ontbreekt")
            profiles.append(
                (pid, label, check.text(path, profile, "help", "profiel", required=False))
            )
        agreements = _agreements(check, path, data, region_id)
        slugs = {mid: tuple(slug(n) for n in hoods) for mid, hoods in neighbourhoods.items()}
        rules = read_rules(check, path, data, slugs, {a.id: a for a in agreements})
        profile_ids = {p[0] for p in profiles} or set(EXAMPLE_PROFILE_IDS)
        facts[region_id] = RegionFacts(
            aftercare=read_aftercare(check, path, data, profile_ids),
            region=region,
            allocation_rules=rules,
            profiles=tuple(profiles),
            joined=dict(joined or {}),
            parties=parties,
            agreements=agreements,
            neighbourhoods=neighbourhoods,
        )
    return regions, facts


def _municipalities(check: Checker, path: Path, data: LineMapping, region_id: str):
    municipalities, neighbourhoods, seen = [], {}, set()
    for item in check.items(path, data, "municipalities", f"regio {region_id}"):
        what = f"regio {region_id}: gemeente"
        entry = check.mapping(path, item, data.key_lines.get("municipalities", 1), what)
        if entry is None:
            continue
        check.keys(path, entry, MUNICIPALITY_KEYS, what)
        mid = check.text(path, entry, "id", what, required=True)
        name = check.text(path, entry, "name", what, required=True)
        if mid in seen:
            check.add(path, entry.line, f"{what}: id {mid!r} staat er twee keer")
        seen.add(mid)
        municipalities.append(Municipality(mid, name, check.texts(path, entry, "aliases", what)))
        neighbourhoods[mid] = check.texts(path, entry, "neighbourhoods", what)
    return tuple(municipalities), neighbourhoods


def _parties(check: Checker, path: Path, data: LineMapping, region_id: str) -> dict:
    raw = data.get("parties")
    if raw is None:
        return {}
    parties = check.mapping(path, raw, data.key_lines.get("parties", data.line), "parties")
    if parties is None:
        return {}
    return {str(k): check.texts(path, parties, k, f"regio {region_id}: parties") for k in parties}


def _agreements(check: Checker, path: Path, data: LineMapping, region_id: str) -> tuple:
    agreements = []
    for item in check.items(path, data, "agreements", f"regio {region_id}"):
        what = f"regio {region_id}: afspraak"
        entry = check.mapping(path, item, data.key_lines.get("agreements", 1), what)
        if entry is None:
            continue
        check.keys(path, entry, AGREEMENT_KEYS, what)
        text = check.text(path, entry, "text", what, required=True)
        kind = entry.get("kind", "afspraak")
        if kind not in AGREEMENT_KINDS:
            check.add(
                path,
                entry.key_lines.get("kind", entry.line),
                f"{what}: kind is afspraak of resultaat",
            )
        number = entry.get("number")
        if number is not None and not finite_number(number):
            check.add(path, entry.key_lines.get("number", entry.line), f"{what}: number geen getal")
            number = None
        years = entry.get("years")
        if years is not None and (
            isinstance(years, bool) or not isinstance(years, int) or years < 1
        ):
            check.add(
                path, entry.key_lines.get("years", entry.line), f"{what}: years geen geheel getal"
            )
            years = None
        sources = _agreement_sources(check, path, entry, what)
        if number is not None and not sources:
            check.add(path, entry.line, f"{what}: een getal zonder bron (number without source)")
        agreements.append(
            Agreement(
                id=str(entry.get("id") or slug(text)[:40]),
                text=text,
                kind=kind if kind in AGREEMENT_KINDS else "afspraak",
                number=number,
                unit=entry.get("unit"),
                period=entry.get("period"),
                years=years,
            )
        )
    return tuple(agreements)


def _agreement_sources(check: Checker, path: Path, entry: LineMapping, what: str) -> list[dict]:
    """An agreement's `source` (one) or `sources` (several); each needs a seed or a name."""
    raw = entry.get("sources", [entry["source"]] if "source" in entry else [])
    line = entry.key_lines.get("source", entry.key_lines.get("sources", entry.line))
    if not isinstance(raw, list):
        raw = [raw]
    valid = []
    for source in raw:
        if not isinstance(source, dict) or not (source.get("seed") or source.get("name")):
            check.add(
                path, line, f"{what}: bron moet seed of name hebben (source needs seed or name)"
            )
            continue
        valid.append(dict(source))
    return valid


def _check_region_names(check: Checker, folder: Path, regions: dict[str, Region]) -> None:
    """A name (region, alias or municipality) may point at one region only."""
    owner: dict[str, str] = {}
    for region in regions.values():
        names = {
            region.name,
            *region.aliases,
            *region.places,
            *region.organisations,
            region.id.replace("-", " "),
        }
        for municipality in region.municipalities:
            names |= {municipality.name, *municipality.aliases}
        for name in names:
            key = _name_key(name)
            if owner.setdefault(key, region.id) != region.id:
                check.problems.append(
                    f"regions/{region.id}.yaml: naam {name!r} hoort ook bij regio {owner[key]!r}"
                )


def _load_elsewhere(check: Checker, folder: Path, regions: dict[str, Region]) -> tuple[str, ...]:
    """The optional list of places outside the regions; none may be a name of a region."""
    path = folder / "elsewhere.yaml"
    if not path.exists():
        return ()
    data = check.mapping(path, check.read(path), 1, "elsewhere")
    if data is None:
        return ()
    check.keys(path, data, {"sources", "places"}, "elsewhere")
    check.sources(path, data, "elsewhere", required=True)
    places = check.texts(path, data, "places", "elsewhere")
    owned = {}
    for region in regions.values():
        names = {region.name, *region.aliases, *region.places, region.id.replace("-", " ")}
        for municipality in region.municipalities:
            names |= {municipality.name, *municipality.aliases}
        owned.update({_name_key(n): region.id for n in names})
    for place in places:
        if _name_key(place) in owned:
            check.add(
                path,
                data.key_lines.get("places", 1),
                f"elsewhere: {place!r} hoort bij regio {owned[_name_key(place)]!r}",
            )
    return places


_OUTSIDE_WORD = re.compile(r"[a-z0-9àáâäèéêëìíîïòóôöùúûü'-]+")
# A subject may be a phrase of a few words ("housing first"); its words alone are no subject.
MAX_OUTSIDE_WORDS = 3
_OUTSIDE_PHRASE = re.compile(
    rf"{_OUTSIDE_WORD.pattern}(?: {_OUTSIDE_WORD.pattern}){{0,{MAX_OUTSIDE_WORDS - 1}}}"
)


def _load_outside(check: Checker, folder: Path, entries: list[Entry]) -> dict[str, str]:
    """The optional list of subjects the knowledge base does not cover (`outside.yaml`):
    word → subject. A word the knowledge base itself uses would decline questions it can
    answer, so that is a problem with its line."""
    path = folder / "outside.yaml"
    if not path.exists():
        return {}
    data = check.mapping(path, check.read(path), 1, "buiten")
    if data is None:
        return {}
    check.keys(path, data, {"subjects"}, "buiten")
    texts = " ".join(
        " ".join((e.question, *e.alternates, e.answer, *e.tags)) for e in entries
    ).lower()
    known = set(_OUTSIDE_WORD.findall(texts))
    spaced = " " + " ".join(_OUTSIDE_WORD.findall(texts)) + " "
    found: dict[str, str] = {}
    for item in check.items(path, data, "subjects", "buiten"):
        what = "buiten"
        item = check.mapping(path, item, data.key_lines.get("subjects", 1), what)
        if item is None:
            continue
        check.keys(path, item, {"subject", "words"}, what)
        subject = check.text(path, item, "subject", what, required=True)
        line = item.key_lines.get("words", item.line)
        what = f"buiten {subject!r}"
        listed = check.texts(path, item, "words", what)
        if not listed and "words" not in item:
            check.add(path, item.line, f"{what}: words ontbreekt (missing)")
        for word in listed:
            if len(word.split()) > MAX_OUTSIDE_WORDS:
                check.add(
                    path, line, f"{what}: {word!r} heeft meer dan {MAX_OUTSIDE_WORDS} woorden"
                )
            elif not _OUTSIDE_PHRASE.fullmatch(word):
                check.add(
                    path, line, f"{what}: {word!r} is geen woord of woordgroep in kleine letters"
                )
            elif word in found:
                check.add(path, line, f"{what}: {word!r} staat ook bij {found[word]!r}")
            elif word in known or f" {word} " in spaced:
                check.add(path, line, f"{what}: {word!r} staat in de kennisbank zelf")
            else:
                found[word] = subject
    return found


def _name_key(name: str) -> str:
    return " ".join(name.lower().replace("-", " ").split())


def _load_glossary(check: Checker, folder: Path):
    path = folder / "glossary.yaml"
    entries: list[Entry] = []
    synonyms: list[tuple[str, ...]] = []
    abbreviations: dict[str, str] = {}
    if not path.exists():
        return entries, synonyms, abbreviations
    data = check.mapping(path, check.read(path), 1, "glossary")
    if data is None:
        return entries, synonyms, abbreviations
    check.keys(path, data, {"terms", "synonyms"}, "glossary")
    for item in check.items(path, data, "terms", "glossary"):
        term_data = check.mapping(path, item, data.key_lines.get("terms", 1), "begrip")
        if term_data is None:
            continue
        check.keys(path, term_data, TERM_KEYS, "begrip")
        term = check.text(path, term_data, "term", "begrip", required=True)
        what = f"begrip {term}"
        definition = check.text(path, term_data, "definition", what, required=True)
        if definition:
            check.html(
                path, term_data.key_lines.get("definition", term_data.line), what, definition
            )
        aliases = check.texts(path, term_data, "aliases", what)
        abbrevs = check.texts(path, term_data, "abbreviations", what)
        sources = check.sources(path, term_data, what, required=True)
        for abbreviation in abbrevs:
            abbreviations[abbreviation.lower()] = term
        names = (term, *aliases, *abbrevs)
        alternates = tuple(
            phrase.format(name=name)
            for name in names
            for phrase in ("wat is {name}", "wat betekent {name}", "wie is {name}", "{name}")
        ) + check.texts(path, term_data, "alternates", what)
        entries.append(
            Entry(
                id=f"begrip-{slug(term)}",
                question=f"Wat betekent ‘{term}’?",
                alternates=alternates,
                answer=f"<b>{_escape(term)}</b>: {definition}",
                tags=("begrip",),
                sources=sources,
                source_file=f"{path}:{term_data.line}",
                names=names,
            )
        )
        synonyms.append(tuple(n.lower() for n in names))
    for group in check.items(path, data, "synonyms", "glossary"):
        line = data.key_lines.get("synonyms", 1)
        if (
            not isinstance(group, list)
            or len(group) < 2
            or not all(isinstance(w, str) for w in group)
        ):
            check.add(path, line, "synonyms: elke groep is een lijst van minstens twee woorden")
            continue
        synonyms.append(tuple(w.lower().strip() for w in group))
    return entries, synonyms, abbreviations


def _load_entries(check: Checker, folder: Path) -> list[Entry]:
    entries: list[Entry] = []
    qa_dir = folder / "qa"
    for path in sorted(qa_dir.glob("*.yaml")) if qa_dir.is_dir() else []:
        data = check.mapping(path, check.read(path), 1, "bestand")
        if data is None:
            continue
        check.keys(path, data, {"entries"}, "bestand")
        items = data.get("entries")
        if not isinstance(items, list):
            check.add(path, data.line, "entries: moet een lijst zijn (must be a list)")
            continue
        for item in items:
            entry = _entry(check, path, item, data.key_lines.get("entries", 1))
            if entry is not None:
                entries.append(entry)
    return entries


def _entry(check: Checker, path: Path, item: Any, line: int) -> Entry | None:
    data = check.mapping(path, item, line, "vraag")
    if data is None:
        return None
    entry_id = check.text(path, data, "id", "vraag", required=True)
    what = f"vraag {entry_id or '?'}"
    check.keys(path, data, ENTRY_KEYS, what)
    if entry_id and (not _ID.match(entry_id) or len(entry_id) > MAX_ID_LENGTH):
        check.add(
            path,
            data.key_lines.get("id", data.line),
            f"{what}: id alleen a-z, 0-9 en '-', hoogstens {MAX_ID_LENGTH} tekens",
        )
    question = check.text(path, data, "question", what, required=True)
    answer = check.text(path, data, "answer", what, required=True)
    if answer:
        check.html(path, data.key_lines.get("answer", data.line), what, answer)
    answer_en = check.text(path, data, "answer_en", what, required=False) or None
    if answer_en:
        check.html(path, data.key_lines.get("answer_en", data.line), what, answer_en)
    return Entry(
        id=entry_id,
        question=question,
        alternates=check.texts(path, data, "alternates", what),
        answer=answer,
        answer_en=answer_en,
        tags=check.texts(path, data, "tags", what),
        region=check.text(path, data, "region", what, required=False) or None,
        municipality=check.text(path, data, "municipality", what, required=False) or None,
        follow_ups=check.texts(path, data, "follow_ups", what),
        sources=check.sources(path, data, what, required=True),
        source_file=f"{path}:{data.line}",
    )


def _check_references(
    check: Checker, folder: Path, entries: list[Entry], regions: dict[str, Region]
) -> None:
    seen: dict[str, str] = {}
    for entry in entries:
        where = entry.source_file
        if entry.id in seen:
            first = _shown(folder, seen[entry.id])
            check.problems.append(f"{_shown(folder, where)}: id {entry.id!r} bestaat al ({first})")
        else:
            seen[entry.id] = where
    for entry in entries:
        where = _shown(folder, entry.source_file)
        for target in entry.follow_ups:
            if target not in seen:
                check.problems.append(
                    f"{where}: vraag {entry.id}: follow_up {target!r} verwijst nergens heen"
                )
        if entry.region and entry.region not in regions:
            check.problems.append(f"{where}: vraag {entry.id}: onbekende regio {entry.region!r}")
        if entry.municipality:
            known = {
                m.id
                for region in regions.values()
                if entry.region in (None, region.id)
                for m in region.municipalities
            }
            if entry.municipality not in known:
                check.problems.append(
                    f"{where}: vraag {entry.id}: onbekende gemeente {entry.municipality!r}"
                )


def _shown(folder: Path, where: str) -> str:
    prefix = str(folder) + "/"
    return where[len(prefix) :] if where.startswith(prefix) else where


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
