"""YAML read with line numbers, and a checker that collects every problem with file and line.

The knowledge base (`bot.knowledge.base`) and the allocation rules (`bot.knowledge.rules`) read
their files through it, so `kb check` names the file and line of each problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.privacy.personal_data import find_personal_data
from bot.telegram_html import HtmlError, parse_html

MAX_ANSWER_CHARS = 1000
SOURCE_KEYS = {"seed", "name", "title", "date", "url", "example"}


class LineMapping(dict):
    """A YAML mapping that remembers where it, and each of its keys, started."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = 0
        self.key_lines: dict[str, int] = {}
        self.duplicate_keys: list[tuple[str, int]] = []


# The C parser when PyYAML has it (several times faster); our constructor either way.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineMapping:
    loader.flatten_mapping(node)
    mapping = LineMapping()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str | int | float | bool) and key is not None:
            # "? [a, b]" is valid YAML but no key of ours; report it like a duplicate.
            mapping.duplicate_keys.append((f"{type(key).__name__}-sleutel", line))
            continue
        if key in mapping:
            mapping.duplicate_keys.append((str(key), line))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[str(key)] = line
    return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,  # type: ignore[arg-type]
)


class Checker:
    """Collects problems while reading; each one gets file and line."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[str] = []

    def where(self, path: Path, line: int) -> str:
        try:
            shown = path.relative_to(self.root)
        except ValueError:
            shown = path
        return f"{shown}:{line}"

    def add(self, path: Path, line: int, message: str) -> None:
        self.problems.append(f"{self.where(path, line)}: {message}")

    def read(self, path: Path) -> Any:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.add(path, 1, f"onleesbaar bestand (unreadable): {type(exc).__name__}")
            return None
        try:
            return yaml.load(text, Loader=_LineLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            context = getattr(exc, "context_mark", None)
            line = mark.line + 1 if mark else 1
            problem = getattr(exc, "problem", None) or "ongeldige YAML"
            begun = (
                f" (begonnen op regel {context.line + 1})"
                if context and context.line + 1 != line
                else ""
            )
            self.add(path, line, f"ongeldige YAML (invalid YAML): {problem}{begun}")
            return None

    def mapping(self, path: Path, value: Any, line: int, what: str) -> LineMapping | None:
        if not isinstance(value, LineMapping):
            self.add(path, line, f"{what}: moet een mapping zijn (must be a mapping)")
            return None
        for key, key_line in value.duplicate_keys:
            problem = (
                "ongeldige sleutel (invalid key)"
                if key.endswith("-sleutel")
                else "staat er twee keer (duplicate key)"
            )
            self.add(path, key_line, f"{what}: sleutel {key!r} {problem}")
        return value

    def keys(self, path: Path, data: LineMapping, allowed: set[str], what: str) -> None:
        for key in data:
            if key not in allowed:
                line = data.key_lines.get(str(key), data.line)
                self.add(path, line, f"{what}: onbekende sleutel {key!r} (unknown key)")

    def text(self, path: Path, data: LineMapping, key: str, what: str, *, required: bool) -> str:
        value = data.get(key)
        line = data.key_lines.get(key, data.line)
        if value is None:
            if required:
                self.add(path, data.line, f"{what}: {key} ontbreekt (missing)")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.add(path, line, f"{what}: {key} moet tekst zijn (must be text)")
            return ""
        text = str(value).strip()
        if required and not text:
            self.add(path, line, f"{what}: {key} is leeg (empty)")
        return text

    def items(self, path: Path, data: LineMapping, key: str, what: str) -> list:
        """The list under `key` (empty when absent); a problem when it is something else."""
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            line = data.key_lines.get(key, data.line)
            self.add(path, line, f"{what}: {key} moet een lijst zijn (must be a list)")
            return []
        return value

    def texts(self, path: Path, data: LineMapping, key: str, what: str) -> tuple[str, ...]:
        value = data.get(key) or []
        line = data.key_lines.get(key, data.line)
        if not isinstance(value, list) or not all(
            isinstance(v, str | int) and not isinstance(v, bool) for v in value
        ):
            self.add(path, line, f"{what}: {key} moet een lijst met tekst zijn (list of text)")
            return ()
        items = tuple(str(v).strip() for v in value)
        if any(not item for item in items):
            self.add(path, line, f"{what}: {key} bevat een lege regel (empty item)")
        return tuple(item for item in items if item)

    def html(self, path: Path, line: int, what: str, text: str) -> None:
        try:
            plain, _ = parse_html(text)
        except HtmlError as exc:
            self.add(path, line, f"{what}: Telegram weigert deze HTML (Telegram refuses): {exc}")
            return
        contact = [
            f for f in find_personal_data(plain) if f in ("een e-mailadres", "een telefoonnummer")
        ]
        if contact:
            self.add(
                path,
                line,
                f"{what}: antwoord bevat {' en '.join(contact)}; verwijs naar organisaties",
            )
        if not plain.strip():
            self.add(path, line, f"{what}: antwoord is leeg (empty answer)")
        elif len(plain) > MAX_ANSWER_CHARS:
            self.add(path, line, f"{what}: antwoord is langer dan {MAX_ANSWER_CHARS} tekens")

    def sources(self, path: Path, data: LineMapping, what: str, *, required: bool) -> tuple:
        value = data.get("sources")
        line = data.key_lines.get("sources", data.line)
        if value is None:
            if required:
                self.add(path, data.line, f"{what}: sources ontbreekt (every fact needs a source)")
            return ()
        if not isinstance(value, list) or (required and not value):
            self.add(path, line, f"{what}: sources moet een niet-lege lijst zijn")
            return ()
        for source in value:
            src = self.mapping(path, source, line, f"{what}: source")
            if src is None:
                continue
            self.keys(path, src, SOURCE_KEYS, f"{what}: source")
            if not src.get("seed") and not src.get("name"):
                self.add(path, src.line, f"{what}: source heeft seed of name nodig")
        return tuple(dict(s) for s in value if isinstance(s, dict))


def finite_number(value: Any) -> bool:
    return (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and value == value  # not NaN
        and abs(value) != float("inf")
    )
