"""Telegram's HTML formatting (parse_mode HTML), parsed the way Telegram parses it.

Pure text processing, used by the local Bot API and by the knowledge-base check, so that an
answer Telegram would refuse is caught before it is ever sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]


class HtmlError(ValueError):
    """Telegram would refuse this text; the message is Telegram's wording."""


_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]*);")
_SPECIAL_RE = re.compile(r"[<&]")
_TAG_NAME_RE = re.compile(r"[A-Za-z0-9-]*")
_ATTR_RE = re.compile(r"""([A-Za-z0-9_-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str]
    start: int  # UTF-16 offset in the produced text


class _HtmlParser:
    """A small scanner with the rules and (roughly) the error wording of Telegram's parser."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.out: list[str] = []
        self.pos = 0  # UTF-16 position in the produced text
        self.stack: list[_OpenTag] = []
        self.entities: list[JSON] = []

    def fail(self, reason: str, index: int | None = None) -> HtmlError:
        if index is not None:
            reason += f" at byte offset {len(self.raw[:index].encode())}"
        return HtmlError(f"can't parse entities: {reason}")

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.pos += utf16_length(text)

    def decode_entity(self, index: int) -> tuple[str, int]:
        match = _ENTITY_RE.match(self.raw, index)
        if not match:
            return "&", index + 1  # a lone ampersand is plain text
        body = match.group(1)
        if body.startswith("#"):
            hexadecimal = body[1] in "xX"
            number = int(body[2:], 16) if hexadecimal else int(body[1:])
            if not 0 < number <= 0x10FFFF or 0xD800 <= number <= 0xDFFF:
                raise self.fail(f'Invalid HTML entity "{match.group(0)}"', index)
            return chr(number), match.end()
        if body not in _NAMED_ENTITIES:
            raise self.fail(f'Unsupported HTML entity "{match.group(0)}"', index)
        return _NAMED_ENTITIES[body], match.end()

    @staticmethod
    def unescape(value: str) -> str:
        """Attribute values may contain entities too (but no tags)."""
        sub, parts, i = _HtmlParser(value), [], 0
        while i < len(value):
            if value[i] == "&":
                text, i = sub.decode_entity(i)
            else:
                text, i = value[i], i + 1
            parts.append(text)
        return "".join(parts)

    def run(self) -> tuple[str, list[JSON]]:
        raw, i = self.raw, 0
        while i < len(raw):
            char = raw[i]
            if char == "&":
                text, i = self.decode_entity(i)
                self.emit(text)
            elif char != "<":
                # Plain text runs up to the next tag or entity: emit it in one piece.
                special = _SPECIAL_RE.search(raw, i)
                end = special.start() if special else len(raw)
                self.emit(raw[i:end])
                i = end
            elif raw.startswith("</", i):
                i = self.end_tag(i)
            else:
                i = self.start_tag(i)
        if self.stack:
            name = self.stack[-1].name
            raise self.fail(f'Can\'t find end tag corresponding to start tag "{name}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def start_tag(self, begin: int) -> int:
        raw = self.raw
        match = _TAG_NAME_RE.match(raw, begin + 1)
        name, j = match.group(0).lower(), match.end()
        if name not in _TAG_ENTITY:
            raise self.fail(f'Unsupported start tag "{name}"', begin)
        attrs: dict[str, str] = {}
        while True:
            while j < len(raw) and raw[j].isspace():
                j += 1
            if j >= len(raw):
                raise self.fail("Unclosed start tag", begin)
            if raw[j] == ">":
                break
            attr = _ATTR_RE.match(raw, j)
            if not attr:
                raise self.fail(f'Empty attribute name in the tag "{name}"', j)
            value = next((g for g in attr.groups()[1:] if g is not None), "")
            attrs[attr.group(1).lower()] = self.unescape(value)
            j = attr.end()
        self.check_attributes(name, attrs, begin)
        self.stack.append(_OpenTag(name, attrs, self.pos))
        return j + 1

    def check_attributes(self, name: str, attrs: dict[str, str], begin: int) -> None:
        if name == "a" and not attrs.get("href"):
            raise self.fail('Tag "a" must have attribute "href"', begin)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise self.fail('Tag "span" must have class "tg-spoiler"', begin)
        if name == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
            raise self.fail('Tag "tg-emoji" must have attribute "emoji-id"', begin)
        if name == "tg-time" and not attrs.get("unix", "").isdigit():
            raise self.fail('Tag "tg-time" must have attribute "unix"', begin)

    def end_tag(self, begin: int) -> int:
        raw = self.raw
        match = _TAG_NAME_RE.match(raw, begin + 2)
        name, j = match.group(0).lower(), match.end()
        while j < len(raw) and raw[j].isspace():
            j += 1
        if j >= len(raw) or raw[j] != ">":
            raise self.fail("Unclosed end tag", begin)
        if not self.stack:
            raise self.fail(f'Unexpected end tag "</{name}>"', begin)
        top = self.stack[-1]
        if name != top.name:
            raise self.fail(
                f"Unmatched end tag at byte offset {len(raw[:begin].encode())}, "
                f'expected "</{top.name}>", found "</{name}>"'
            )
        self.stack.pop()
        self.close(top)
        return j + 1

    def close(self, tag: _OpenTag) -> None:
        entity: JSON = {"type": _TAG_ENTITY[tag.name], "offset": tag.start}
        entity["length"] = self.pos - tag.start
        attrs = tag.attrs
        if tag.name == "a":
            entity["url"] = attrs["href"]
        elif tag.name == "blockquote" and "expandable" in attrs:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "code" and self.stack and self.stack[-1].name == "pre":
            language = attrs.get("class", "")
            if language.startswith("language-"):
                self.stack[-1].attrs["language"] = language.removeprefix("language-")
                return  # Telegram folds <pre><code class="language-x"> into one pre entity
        elif tag.name == "pre" and attrs.get("language"):
            entity["language"] = attrs["language"]
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = attrs["emoji-id"]
        elif tag.name == "tg-time":
            entity["unix_time"] = int(attrs["unix"])
            if attrs.get("format"):
                entity["date_time_format"] = attrs["format"]
        if entity["length"] > 0:
            self.entities.append(entity)


def parse_html(raw: str) -> tuple[str, list[JSON]]:
    """Plain text and entities of an HTML-formatted message; raises on what Telegram refuses."""
    return _HtmlParser(raw).run()


def trim(text: str, entities: list[JSON]) -> tuple[str, list[JSON]]:
    """Telegram strips leading and trailing whitespace; entity offsets move along."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    lead = utf16_length(text[: len(text) - len(text.lstrip())])
    total = utf16_length(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept
