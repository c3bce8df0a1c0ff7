"""The official Bot API description, and the checks every request passes.

Every call is checked against `bot/data/botapi.json`; a violation is answered the way
Telegram answers it (HTTP 400, ``"Bad Request: ..."``).
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import re
from collections.abc import Callable
from typing import Any

from bot.telegram_html import HtmlError, parse_html, trim

JSON = dict[str, Any]
Files = dict[str, tuple[str, bytes, str]]

# Parameters that PTB's ExtBot fills in from `Defaults` even for methods that do not define them
# (e.g. `disable_notification` on editMessageText). Telegram ignores them; so do we.
_PTB_DEFAULT_PARAMS = frozenset({"disable_notification", "protect_content", "parse_mode"})


class ApiError(Exception):
    """An error answer of the fake server; `parameters` is Telegram's ResponseParameters."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


class ConnectionLost(Exception):
    """The bot never gets an answer to its call; `processed` says whether the server did the
    call anyway (a lost answer) or never saw it (a broken connection)."""

    def __init__(self, processed: bool) -> None:
        super().__init__("answer lost" if processed else "connection broken")
        self.processed = processed


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


def too_many_requests(retry_after: int) -> ApiError:
    # PTB raises RetryAfter from `parameters.retry_after`, not from the code or the text.
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


@functools.cache
def load_spec() -> dict:
    """The Bot API description shipped in `bot/data/botapi.json` (read once per process)."""
    resource = importlib.resources.files("bot").joinpath("data/botapi.json")
    return json.loads(resource.read_text(encoding="utf-8"))


def clone(value: Any) -> Any:
    """A deep copy of JSON data; the JSON round trip is several times faster than deepcopy."""
    return json.loads(json.dumps(value))


def format_text(raw: str, parse_mode: Any, entities: Any = None) -> tuple[str, list[JSON]]:
    """What the user will see: (plain text, entities) after entity parsing."""
    mode = (parse_mode or "").lower() if isinstance(parse_mode, str) else ""
    if mode == "html":
        try:
            text, found = parse_html(raw)
        except HtmlError as exc:
            raise bad_request(str(exc)) from None
    elif mode in ("", "markdown", "markdownv2"):
        text, found = raw, list(entities) if isinstance(entities, list) else []
    else:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    return trim(text, found)


_LENGTH_RE = re.compile(r"(\d+)-(\d+) (characters|bytes)")
_DISCRIMINATOR_RE = re.compile(r'(?:must be|always) "?([a-z_]+)"?$')
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_BUTTON_META_FIELDS = frozenset({"text", "icon_custom_emoji_id", "style"})
_TEXT_LIMITS = ("message text is empty", "message is too long")
# (owner, field) -> (description when too short, description when too long)
_LENGTH_ERRORS: dict[tuple[str, str], tuple[str, str]] = {
    ("sendMessage", "text"): _TEXT_LIMITS,
    ("editMessageText", "text"): _TEXT_LIMITS,
    ("InlineKeyboardButton", "callback_data"): ("BUTTON_DATA_INVALID", "BUTTON_DATA_INVALID"),
    ("BotCommand", "command"): ("BOT_COMMAND_INVALID", "BOT_COMMAND_INVALID"),
    ("BotCommand", "description"): (
        "BOT_COMMAND_DESCRIPTION_INVALID",
        "BOT_COMMAND_DESCRIPTION_INVALID",
    ),
    ("answerCallbackQuery", "text"): ("MESSAGE_TOO_LONG", "MESSAGE_TOO_LONG"),
}
_MISSING_ERRORS = {("sendMessage", "text"): "message text is empty"}


def _label(path: str) -> str:
    nested = "." in path or "[" in path
    return f'field "{path}"' if nested else f'parameter "{path}"'


class Validator:
    """Checks parameters against the method and type descriptions of the spec."""

    def __init__(self, spec: dict) -> None:
        self.methods: dict[str, JSON] = spec["methods"]
        self.types: dict[str, JSON] = spec["types"]
        self._lower = {name.lower(): name for name in self.methods}
        self._fields = {
            name: {f["name"]: f for f in definition.get("fields", [])}
            for name, definition in [*self.types.items(), *self.methods.items()]
        }
        # Rules beyond the generic ones, per object type.
        self._object_rules: dict[str, Callable[[JSON], None]] = {
            "InlineKeyboardButton": self._button_rules,
            "InlineKeyboardMarkup": self._keyboard_rules,
            "BotCommand": self._command_rules,
        }

    def method_name(self, name: str) -> str | None:
        """The spec's spelling of a method name (Telegram matches them case-insensitively)."""
        return name if name in self.methods else self._lower.get(name.lower())

    def fields(self, owner: str) -> dict[str, JSON]:
        return self._fields.get(owner, {})

    def check_call(self, method: str, params: JSON, files: Files) -> None:
        fields = self.fields(method)
        for name in list(params):
            if name not in fields:
                if name in _PTB_DEFAULT_PARAMS:
                    del params[name]
                    continue
                raise bad_request(f'unknown parameter "{name}"')
        for name, spec_field in fields.items():
            if spec_field["required"] and name not in params and name not in files:
                raise bad_request(
                    _MISSING_ERRORS.get((method, name), f'parameter "{name}" is required')
                )
        for name, value in params.items():
            self.check_field(method, fields[name], value, params, name, files)

    def check_field(
        self, owner: str, spec_field: JSON, value: Any, siblings: JSON, path: str, files: Files
    ) -> None:
        self.check_type(spec_field["types"], value, path, files)
        if isinstance(value, str):
            self.check_length(owner, spec_field, value, siblings, path)

    def check_type(self, types: list[str], value: Any, path: str, files: Files) -> None:
        def wrong() -> ApiError:
            return bad_request(f"{_label(path)} must be of type {' or '.join(types)}")

        if isinstance(value, list):
            inner = [t.removeprefix("Array of ") for t in types if t.startswith("Array of ")]
            if not inner:
                raise wrong()
            for index, item in enumerate(value):
                self.check_type(inner, item, f"{path}[{index}]", files)
        elif isinstance(value, dict):
            candidates = self.object_candidates(types)
            if not candidates:
                raise wrong()
            self.check_union(candidates, value, path, files)
        elif isinstance(value, bool):
            if "Boolean" not in types:
                raise wrong()
        elif isinstance(value, int):
            if "Integer" not in types and "Float" not in types:
                raise wrong()
        elif isinstance(value, float):
            if "Float" not in types:
                raise wrong()
        elif isinstance(value, str):
            if "String" not in types and "InputFile" not in types:
                raise wrong()
            if value.startswith("attach://") and "InputFile" in types:
                if value.removeprefix("attach://") not in files:
                    raise bad_request(f"{_label(path)}: file {value} not found in the request")
            elif "String" not in types:
                raise wrong()
        else:
            raise wrong()

    def object_candidates(self, types: list[str]) -> list[str]:
        found: list[str] = []
        for name in types:
            definition = self.types.get(name)
            if definition is None or name == "InputFile":
                continue
            if definition.get("subtypes"):
                found += self.object_candidates(definition["subtypes"])
            else:
                found.append(name)
        return found

    def discriminator_ok(self, type_name: str, value: JSON) -> bool:
        for name, spec_field in self.fields(type_name).items():
            match = _DISCRIMINATOR_RE.search(spec_field["description"])
            if match and name in ("type", "source", "status") and value.get(name) != match[1]:
                return False
        return True

    def check_union(self, candidates: list[str], value: JSON, path: str, files: Files) -> None:
        if len(candidates) > 1:
            matching = [c for c in candidates if self.discriminator_ok(c, value)] or candidates
            candidates = sorted(matching, key=lambda c: -len(set(value) & set(self.fields(c))))
        first_error: ApiError | None = None
        for candidate in candidates:
            try:
                self.check_object(candidate, value, path, files)
                return
            except ApiError as error:
                first_error = first_error or error
        assert first_error is not None
        raise first_error

    def check_object(self, type_name: str, value: JSON, path: str, files: Files) -> None:
        fields = self.fields(type_name)
        for name in value:
            if name not in fields:
                raise bad_request(f'unknown field "{path}.{name}"')
        for name, spec_field in fields.items():
            if spec_field["required"] and name not in value:
                raise bad_request(f'field "{path}.{name}" is required')
        for name, item in value.items():
            self.check_field(type_name, fields[name], item, value, f"{path}.{name}", files)
        rule = self._object_rules.get(type_name)
        if rule:
            rule(value)

    def check_length(
        self, owner: str, spec_field: JSON, value: str, siblings: JSON, path: str
    ) -> None:
        name = spec_field["name"]
        companion = f"{name}_parse_mode"
        if companion not in self.fields(owner):
            companion = "parse_mode" if name in ("text", "caption", "message_text") else ""
        if companion and companion in self.fields(owner):
            entities = siblings.get(f"{name}_entities", siblings.get("entities"))
            value, _ = format_text(value, siblings.get(companion), entities)
        match = _LENGTH_RE.search(spec_field["description"])
        if not match:
            return
        low, high, unit = int(match[1]), int(match[2]), match[3]
        size = len(value.encode()) if unit == "bytes" else len(value)
        if low <= size <= high:
            return
        default = f"{_label(path)} must be {low}-{high} {unit} long"
        too_short, too_long = _LENGTH_ERRORS.get((owner, name), (default, default))
        if name == "caption" and (owner, name) not in _LENGTH_ERRORS:
            too_long = "message caption is too long"
        raise bad_request(too_short if size < low else too_long)

    @staticmethod
    def _button_rules(button: JSON) -> None:
        actions = set(button) - _BUTTON_META_FIELDS
        if not button.get("text", "").strip() or not actions:
            raise bad_request("text buttons are unallowed in the inline keyboard")
        if len(actions) > 1:
            raise bad_request(
                "can't parse inline keyboard button: exactly one action field must be used"
            )
        url = button.get("url")
        if url is not None and not re.match(r"(https?|tg)://\S+$", url):
            raise bad_request("BUTTON_URL_INVALID")

    @staticmethod
    def _keyboard_rules(markup: JSON) -> None:
        if sum(len(row) for row in markup["inline_keyboard"]) > 100:
            raise bad_request("reply markup is too long")

    @staticmethod
    def _command_rules(command: JSON) -> None:
        if not _COMMAND_RE.fullmatch(command["command"]):
            raise bad_request("BOT_COMMAND_INVALID")


@functools.cache
def default_validator() -> Validator:
    return Validator(load_spec())
