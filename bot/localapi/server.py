"""The Telegram Bot API, played inside the process.

`LocalBotApi` is an in-memory Telegram server and `LocalRequest` is the `BaseRequest` that
talks to it, so a real python-telegram-bot `Application` (polling included) runs unchanged,
without a token and without a network. The server is strict on purpose: every call is checked
against the official Bot API description in `bot/data/botapi.json` and a violation is answered
the way Telegram answers it (HTTP 400, ``"Bad Request: ..."``), so PTB raises `BadRequest`.

The user side (`send_text`, `press`, ...) is synchronous and must be called from the thread
that runs the event loop; everything lives on that one loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import importlib.resources
import itertools
import json
import mimetypes
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from telegram.request import BaseRequest, RequestData

from bot.telegram_html import HtmlError, parse_html, trim, utf16_length

__all__ = ["Button", "LocalBotApi", "LocalRequest", "Output", "load_spec", "parse_html"]

JSON = dict[str, Any]
Files = dict[str, tuple[str, bytes, str]]

_DEFAULT_NAME = "Gebruiker"
_DEFAULT_LANGUAGE = "nl"
_FORBIDDEN_INITIATE = "Forbidden: bot can't initiate conversation with a user"
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
_NOT_FOUND_BODY = b'{"ok": false, "error_code": 404, "description": "Not Found"}'
_QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
# Parameters that PTB's ExtBot fills in from `Defaults` even for methods that do not define them
# (e.g. `disable_notification` on editMessageText). Telegram ignores them; so do we.
_PTB_DEFAULT_PARAMS = frozenset({"disable_notification", "protect_content", "parse_mode"})


# --------------------------------------------------------------------------------------------
# Public value objects
# --------------------------------------------------------------------------------------------


@dataclass
class Button:
    label: str
    callback_data: str | None = None
    url: str | None = None


@dataclass
class Output:
    """One thing the bot showed a user, in the order of the API calls."""

    to: int
    kind: str  # "message" | "edit" | "photo" | "document" | "callback_answer"
    text: str | None
    buttons: list[list[Button]] = field(default_factory=list)
    message_id: int | None = None
    file_name: str | None = None
    html: str | None = None
    show_alert: bool = False

    def as_json(self) -> dict:
        data: dict[str, Any] = {
            "to": self.to,
            "kind": self.kind,
            "text": self.text,
            "buttons": [[button.label for button in row] for row in self.buttons],
        }
        if self.kind == "document":
            data["file_name"] = self.file_name
        return data


class _ApiError(Exception):
    """An error answer of the fake server."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def _bad(reason: str) -> _ApiError:
    return _ApiError(400, f"Bad Request: {reason}")


# --------------------------------------------------------------------------------------------
# The spec
# --------------------------------------------------------------------------------------------


@functools.cache
def load_spec() -> dict:
    """The Bot API description shipped in `bot/data/botapi.json` (read once per process)."""
    resource = importlib.resources.files("bot").joinpath("data/botapi.json")
    return json.loads(resource.read_text(encoding="utf-8"))


def _clone(value: Any) -> Any:
    """A deep copy of JSON data; the JSON round trip is several times faster than deepcopy."""
    return json.loads(json.dumps(value))


def _format(raw: str, parse_mode: Any, entities: Any = None) -> tuple[str, list[JSON]]:
    """What the user will see: (plain text, entities) after entity parsing."""
    mode = (parse_mode or "").lower() if isinstance(parse_mode, str) else ""
    if mode == "html":
        try:
            text, found = parse_html(raw)
        except HtmlError as exc:
            raise _bad(str(exc)) from None
    elif mode in ("", "markdown", "markdownv2"):
        text, found = raw, list(entities) if isinstance(entities, list) else []
    else:
        raise _bad(f"unsupported parse_mode {parse_mode!r}")
    return trim(text, found)


# --------------------------------------------------------------------------------------------
# Validation against the spec
# --------------------------------------------------------------------------------------------

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


class _Validator:
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
                raise _bad(f'unknown parameter "{name}"')
        for name, spec_field in fields.items():
            if spec_field["required"] and name not in params and name not in files:
                raise _bad(_MISSING_ERRORS.get((method, name), f'parameter "{name}" is required'))
        for name, value in params.items():
            self.check_field(method, fields[name], value, params, name, files)

    def check_field(
        self, owner: str, spec_field: JSON, value: Any, siblings: JSON, path: str, files: Files
    ) -> None:
        self.check_type(spec_field["types"], value, path, files)
        if isinstance(value, str):
            self.check_length(owner, spec_field, value, siblings, path)

    def check_type(self, types: list[str], value: Any, path: str, files: Files) -> None:
        def wrong() -> _ApiError:
            return _bad(f"{_label(path)} must be of type {' or '.join(types)}")

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
                    raise _bad(f"{_label(path)}: file {value} not found in the request")
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
        first_error: _ApiError | None = None
        for candidate in candidates:
            try:
                self.check_object(candidate, value, path, files)
                return
            except _ApiError as error:
                first_error = first_error or error
        assert first_error is not None
        raise first_error

    def check_object(self, type_name: str, value: JSON, path: str, files: Files) -> None:
        fields = self.fields(type_name)
        for name in value:
            if name not in fields:
                raise _bad(f'unknown field "{path}.{name}"')
        for name, spec_field in fields.items():
            if spec_field["required"] and name not in value:
                raise _bad(f'field "{path}.{name}" is required')
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
            value, _ = _format(value, siblings.get(companion), entities)
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
        raise _bad(too_short if size < low else too_long)

    @staticmethod
    def _button_rules(button: JSON) -> None:
        actions = set(button) - _BUTTON_META_FIELDS
        if not button.get("text", "").strip() or not actions:
            raise _bad("text buttons are unallowed in the inline keyboard")
        if len(actions) > 1:
            raise _bad("can't parse inline keyboard button: exactly one action field must be used")
        url = button.get("url")
        if url is not None and not re.match(r"(https?|tg)://\S+$", url):
            raise _bad("BUTTON_URL_INVALID")

    @staticmethod
    def _keyboard_rules(markup: JSON) -> None:
        if sum(len(row) for row in markup["inline_keyboard"]) > 100:
            raise _bad("reply markup is too long")

    @staticmethod
    def _command_rules(command: JSON) -> None:
        if not _COMMAND_RE.fullmatch(command["command"]):
            raise _bad("BOT_COMMAND_INVALID")


@functools.cache
def _default_validator() -> _Validator:
    return _Validator(load_spec())


# --------------------------------------------------------------------------------------------
# The transport
# --------------------------------------------------------------------------------------------


def _read_upload(content: Any) -> bytes:
    if hasattr(content, "read"):
        content = content.read()
    return content.encode() if isinstance(content, str) else bytes(content)


class LocalRequest(BaseRequest):
    """A `BaseRequest` that answers from a `LocalBotApi` instead of the network."""

    __slots__ = ("_api",)

    def __init__(self, api: LocalBotApi) -> None:
        self._api = api

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if method == "GET" and "/file/bot" in url:
            return self._api._download(url)
        params: JSON = {}
        files: Files = {}
        if request_data is not None:
            # A JSON round trip gives exactly what the server would see (enums become strings).
            params = json.loads(json.dumps(request_data.parameters))
            for name, (file_name, content, mime) in request_data.multipart_data.items():
                files[name] = (file_name, _read_upload(content), mime)
        return await self._api._handle(url.rsplit("/", 1)[-1], params, files)


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


def _buttons(markup: JSON | None) -> list[list[Button]]:
    if not markup:
        return []
    return [
        [Button(b["text"], b.get("callback_data"), b.get("url")) for b in row]
        for row in markup.get("inline_keyboard", [])
    ]


def _same_ignoring_case(label: str, wanted: str) -> bool:
    return label.casefold() == wanted.casefold()


def _bare(label: str) -> str:
    """A label without emoji, symbols or punctuation around it, and without accents:
    "⬅️ Terug" -> "terug", "Coördinator" -> "coordinator"."""
    # A character shown as emoji (followed by VS-16) goes, whatever its category: "ℹ️" is a
    # letter to Unicode.
    chars = list(re.sub(".\ufe0f", "", label))
    while chars and unicodedata.category(chars[0])[0] in "SPZCM":
        chars.pop(0)
    while chars and unicodedata.category(chars[-1])[0] in "SPZCM":
        chars.pop()
    decomposed = unicodedata.normalize("NFKD", "".join(chars))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _same_ignoring_decoration(label: str, wanted: str) -> bool:
    return bool(_bare(wanted)) and _bare(label) == _bare(wanted)


def _starts_alike(label: str, wanted: str) -> bool:
    return bool(_bare(wanted)) and _bare(label).startswith(_bare(wanted))


def _update_type(update: JSON) -> str:
    return next(key for key in update if key != "update_id")


class LocalBotApi:
    """An in-memory Telegram Bot API server for one bot."""

    def __init__(
        self,
        *,
        bot_id: int = 7000000001,
        bot_username: str = "WeerThuisBot",
        bot_name: str = "Weer Thuis",
        clock: Any = None,
        spec: dict | None = None,
    ) -> None:
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.bot_name = bot_name
        self.clock = clock
        self._validator = _Validator(spec) if spec is not None else _default_validator()
        secret = hashlib.sha256(f"localapi:{bot_id}".encode()).hexdigest()[:30]
        self.token = f"{bot_id}:LOCAL{secret}"
        # What the bot did and what the tests look at.
        self.outputs: list[Output] = []
        self.calls: list[tuple[str, dict]] = []
        self.rejected: list[tuple[str, str]] = []
        self.commands: dict[tuple[str, int | str | None, str], list[tuple[str, str]]] = {}
        self.documents: list[tuple[int, str | None, bytes]] = []
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.menu_buttons: dict[int | None, JSON] = {}
        self.webhook: JSON | None = None
        self.known_chats: set[int] = set()
        self.injected_count = 0
        self.last_update_id = 0
        # Internal state.
        self._listeners: list[Callable[[Output], None]] = []
        self._users: dict[int, JSON] = {}
        self._messages: dict[tuple[int, int], JSON] = {}
        self._message_ids: dict[int, itertools.count] = {}
        self._files: dict[str, tuple[str | None, bytes, str]] = {}
        self._file_counter = itertools.count(1)
        self._query_counter = itertools.count(1)
        self._queries: dict[str, tuple[int, int | None]] = {}
        self._answered: set[str] = set()
        self._pending: list[JSON] = []
        self._allowed_updates: list[str] = []
        # Updates of a type the bot did not ask for: Telegram never delivers them.
        self.discarded_count = 0
        self._poll_generation = 0
        self._event: asyncio.Event | None = None
        self._event_loop: asyncio.AbstractEventLoop | None = None
        self._handlers: dict[str, Callable[[JSON, Files], Any]] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "sendChatAction": self._send_chat_action,
            "setMyCommands": self._set_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getMyCommands": self._get_my_commands,
            "setMyDescription": self._set_my_description,
            "getMyDescription": self._get_my_description,
            "setMyShortDescription": self._set_my_short_description,
            "getMyShortDescription": self._get_my_short_description,
            "setMyName": self._set_my_name,
            "getMyName": self._get_my_name,
            "setChatMenuButton": self._set_chat_menu_button,
            "getChatMenuButton": self._get_chat_menu_button,
            "getFile": self._get_file,
        }

    # ---------------------------------------------------------------- plumbing

    def request(self) -> LocalRequest:
        """A new `BaseRequest` bound to this server (one for the bot, one for getUpdates)."""
        return LocalRequest(self)

    def add_listener(self, fn: Callable[[Output], None]) -> None:
        self._listeners.append(fn)

    async def _handle(self, name: str, params: JSON, files: Files) -> tuple[int, bytes]:
        method = self._validator.method_name(name)
        try:
            if method is None:
                raise _ApiError(404, "Not Found")
            self._validator.check_call(method, params, files)
            handler = self._handlers.get(method)
            result = handler(params, files) if handler else True
            if asyncio.iscoroutine(result):
                result = await result
        except _ApiError as error:
            self.rejected.append((method or name, error.description))
            body = {"ok": False, "error_code": error.code, "description": error.description}
            return error.code, json.dumps(body).encode()
        self.calls.append((method, params))
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _download(self, url: str) -> tuple[int, bytes]:
        file_path = url.split("/file/bot", 1)[1].split("/", 1)[-1]
        for file_id, (_, content, _) in self._files.items():
            if self._file_path(file_id) == file_path:
                return 200, content
        return 404, _NOT_FOUND_BODY

    def _emit(self, output: Output) -> None:
        self.outputs.append(output)
        for listener in list(self._listeners):
            listener(output)

    def _now(self) -> int:
        now = self.clock.now() if self.clock is not None else datetime.now(UTC)
        return int(now.timestamp())

    def _bot_user(self) -> JSON:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_name,
            "username": self.bot_username,
        }

    def _user(self, user_id: int) -> JSON:
        info = self._users.get(user_id, {})
        user = {"id": user_id, "is_bot": False, "first_name": info.get("first_name", _DEFAULT_NAME)}
        if info.get("language_code"):
            user["language_code"] = info["language_code"]
        return user

    def _chat(self, chat_id: int) -> JSON:
        return {"id": chat_id, "type": "private", "first_name": self._user(chat_id)["first_name"]}

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _store_message(self, chat_id: int, sender: JSON, content: JSON) -> JSON:
        message_id = self._next_message_id(chat_id)
        message = {
            "message_id": message_id,
            "from": sender,
            "chat": self._chat(chat_id),
            "date": self._now(),
            **content,
        }
        self._messages[(chat_id, message_id)] = message
        return message

    def _new_file(self, kind: str, file_name: str | None, content: bytes, mime: str) -> JSON:
        number = next(self._file_counter)
        file_id = f"LOCAL-{kind}-{number:06d}"
        self._files[file_id] = (file_name, content, mime)
        return {"file_id": file_id, "file_unique_id": f"U{number:06d}", "file_size": len(content)}

    @staticmethod
    def _file_path(file_id: str) -> str:
        return f"files/{file_id}"

    # ---------------------------------------------------------------- user side

    def _register_user(
        self, user_id: int, first_name: str = _DEFAULT_NAME, language_code: str = _DEFAULT_LANGUAGE
    ) -> None:
        """Remember a user; a default name or language never overwrites an earlier one."""
        info = self._users.setdefault(
            user_id, {"first_name": _DEFAULT_NAME, "language_code": _DEFAULT_LANGUAGE}
        )
        if first_name != _DEFAULT_NAME:
            info["first_name"] = first_name
        if language_code != _DEFAULT_LANGUAGE:
            info["language_code"] = language_code
        self.known_chats.add(user_id)

    def _push_update(self, payload: JSON) -> int:
        self.last_update_id += 1
        self.injected_count += 1
        self._pending.append({"update_id": self.last_update_id, **payload})
        if self._event is not None:
            self._event.set()
        return self.last_update_id

    def _user_message(self, user_id: int, content: JSON) -> int:
        message = self._store_message(user_id, self._user(user_id), content)
        return self._push_update({"message": _clone(message)})

    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = _DEFAULT_NAME,
        language_code: str = _DEFAULT_LANGUAGE,
    ) -> int:
        """The user sends a text message; returns the update_id."""
        if not text.strip():
            raise ValueError("a Telegram user cannot send an empty message")
        self._register_user(user_id, first_name, language_code)
        content: JSON = {"text": text}
        command = re.match(r"/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]+)?", text)
        if command:
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_length(command.group(0))}
            ]
        return self._user_message(user_id, content)

    def send_group_text(self, user_id: int, group_id: int, text: str) -> int:
        """The user writes in a group the bot is a member of (group ids are negative)."""
        self._register_user(user_id)
        message = {
            "message_id": self._next_message_id(group_id),
            "from": self._user(user_id),
            "chat": {"id": group_id, "type": "group", "title": "Groep"},
            "date": self._now(),
            "text": text,
        }
        return self._push_update({"message": message})

    def last_user_message_id(self, user_id: int) -> int:
        """The newest message the user sent in their chat with the bot."""
        mine = [
            message_id
            for (chat_id, message_id), message in self._messages.items()
            if chat_id == user_id and message["from"]["id"] == user_id
        ]
        if not mine:
            raise ValueError(f"user {user_id} has sent nothing")
        return max(mine)

    def edit_text(self, user_id: int, message_id: int, text: str) -> int:
        """The user edits one of their own messages (an edited_message update)."""
        message = self._messages.get((user_id, message_id))
        if message is None or message["from"]["id"] != user_id:
            raise ValueError(f"user {user_id} has no message {message_id}")
        message["text"] = text
        message["edit_date"] = self._now()
        return self._push_update({"edited_message": _clone(message)})

    def send_photo(self, user_id: int, caption: str | None = None) -> int:
        """The user sends a photo (no text)."""
        self._register_user(user_id)
        sizes = []
        for width, height in ((90, 67), (800, 600)):
            info = self._new_file("photo", None, b"\xff\xd8\xff" + bytes(width), "image/jpeg")
            sizes.append({**info, "width": width, "height": height})
        content: JSON = {"photo": sizes}
        if caption:
            content["caption"] = caption
        return self._user_message(user_id, content)

    def send_document(self, user_id: int, file_name: str, content: bytes) -> int:
        """The user sends a file."""
        self._register_user(user_id)
        mime = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        info = self._new_file("document", file_name, bytes(content), mime)
        document = {**info, "file_name": file_name, "mime_type": mime}
        return self._user_message(user_id, {"document": document})

    def press(self, user_id: int, message_id: int, callback_data: str) -> int:
        """The user presses an inline button with this callback_data under a message."""
        message = self._messages.get((user_id, message_id))
        if message is None:
            raise ValueError(f"message {message_id} does not exist in the chat with {user_id}")
        self._register_user(user_id)
        query_id = f"{self.bot_id % 100000}{next(self._query_counter):09d}"
        self._queries[query_id] = (user_id, message_id)
        chat_instance = str(int(hashlib.sha256(f"{user_id}".encode()).hexdigest()[:15], 16))
        query = {
            "id": query_id,
            "from": self._user(user_id),
            "message": _clone(message),
            "chat_instance": chat_instance,
            "data": callback_data,
        }
        return self._push_update({"callback_query": query})

    def press_button(self, user_id: int, label_or_number: str) -> int:
        """Press a button of the newest bot message to the user that has inline buttons.

        A number presses the button numbered so as printed (1-based, left to right, top to
        bottom). Otherwise the label decides: exactly, then ignoring case, then ignoring emoji,
        punctuation around it and accents ("uitleg" finds "ℹ️ Uitleg"), then as the start of
        exactly one label ("Bewaren" finds "🅿️ Bewaren, WT-IZK-0001 wijzigen").
        """
        keyboards = [
            (message_id, _buttons(message.get("reply_markup")))
            for (chat_id, message_id), message in self._messages.items()
            if chat_id == user_id and message["from"]["id"] == self.bot_id
        ]
        keyboards = [(mid, rows) for mid, rows in keyboards if any(rows)]
        if not keyboards:
            raise ValueError(f"the bot has sent user {user_id} no message with inline buttons")
        message_id, rows = max(keyboards, key=lambda item: item[0])
        flat = [button for row in rows for button in row]
        wanted = str(label_or_number).strip()
        chosen = None
        if wanted.isascii() and wanted.isdigit():
            if not 1 <= int(wanted) <= len(flat):
                raise ValueError(f"no button {wanted} on message {message_id}: {len(flat)} buttons")
            chosen = flat[int(wanted) - 1]
        for same in (str.__eq__, _same_ignoring_case, _same_ignoring_decoration, _starts_alike):
            if chosen is not None:
                break
            matches = [b for b in flat if same(b.label, wanted)]
            if len(matches) > 1 and same in (_same_ignoring_decoration, _starts_alike):
                labels = ", ".join(f'"{b.label}"' for b in matches)
                raise ValueError(
                    f'button "{wanted}" is ambiguous on message {message_id}: {labels}'
                )
            if matches:
                chosen = matches[0]
        if chosen is None:
            choices = ", ".join(f'{n}. "{b.label}"' for n, b in enumerate(flat, 1))
            raise ValueError(f'no button "{wanted}" on message {message_id}; buttons: {choices}')
        if chosen.callback_data is None:
            raise ValueError(f'button "{chosen.label}" has no callback data (url={chosen.url})')
        return self.press(user_id, message_id, chosen.callback_data)

    def current_message(self, chat_id: int, message_id: int) -> dict | None:
        message = self._messages.get((chat_id, message_id))
        return _clone(message) if message is not None else None

    # ---------------------------------------------------------------- helpers for methods

    def _private_chat(self, chat_id: int | str) -> int:
        """The chat a bot may write to; Telegram's errors otherwise."""
        if isinstance(chat_id, str):
            if not re.fullmatch(r"-?\d+", chat_id):
                raise _bad("chat not found")
            chat_id = int(chat_id)
        if chat_id in self.known_chats:
            return chat_id
        if chat_id > 0:
            raise _ApiError(403, _FORBIDDEN_INITIATE)
        raise _bad("chat not found")

    @staticmethod
    def _inline_markup(params: JSON) -> JSON | None:
        markup = params.get("reply_markup")
        return markup if markup and "inline_keyboard" in markup else None

    def _reply_to(self, chat_id: int, params: JSON) -> JSON:
        reply = params.get("reply_parameters")
        if not reply:
            return {}
        target = self._messages.get((reply.get("chat_id", chat_id), reply["message_id"]))
        if target is None:
            if reply.get("allow_sending_without_reply"):
                return {}
            raise _bad("message to be replied not found")
        original = {k: v for k, v in target.items() if k != "reply_to_message"}
        return {"reply_to_message": _clone(original)}

    def _send(
        self, params: JSON, kind: str, content: JSON, text: str | None, file_name: str | None
    ) -> JSON:
        chat_id = int(params["chat_id"])
        markup = self._inline_markup(params)
        if markup:
            content["reply_markup"] = markup
        message = self._store_message(chat_id, self._bot_user(), content)
        self._emit(
            Output(
                to=chat_id,
                kind=kind,
                text=text,
                buttons=_buttons(markup),
                message_id=message["message_id"],
                file_name=file_name,
                html=self._html_of(params, "text" if kind == "message" else "caption"),
            )
        )
        return _clone(message)

    def _caption_content(self, params: JSON) -> tuple[JSON, str | None]:
        if "caption" not in params:
            return {}, None
        text, entities = _format(
            params["caption"], params.get("parse_mode"), params.get("caption_entities")
        )
        if not text:
            return {}, None
        content: JSON = {"caption": text}
        if entities:
            content["caption_entities"] = entities
        return content, text

    def _edit_target(self, params: JSON) -> tuple[int, JSON]:
        if "inline_message_id" in params:
            raise _bad("MESSAGE_ID_INVALID")  # inline messages are not simulated
        if "chat_id" not in params or "message_id" not in params:
            raise _bad("message identifier is not specified")
        chat_id = params["chat_id"]
        if isinstance(chat_id, str) and re.fullmatch(r"-?\d+", chat_id):
            chat_id = int(chat_id)
        if chat_id not in self.known_chats:
            raise _bad("chat not found")
        message = self._messages.get((chat_id, params["message_id"]))
        if message is None:
            raise _bad("message to edit not found")
        if message["from"]["id"] != self.bot_id:
            raise _bad("message can't be edited")
        return chat_id, message

    def _apply_edit(
        self, chat_id: int, message: JSON, content: JSON, params: JSON, html: str | None
    ) -> JSON:
        markup = self._inline_markup(params)
        new = {k: v for k, v in {**message, **content}.items() if v is not None}
        new.pop("reply_markup", None)
        if markup:
            new["reply_markup"] = markup
        comparable = ("text", "entities", "caption", "caption_entities", "reply_markup")
        if all(message.get(key) == new.get(key) for key in comparable):
            raise _bad(_NOT_MODIFIED)
        new["edit_date"] = self._now()
        message.clear()
        message.update(new)
        self._emit(
            Output(
                to=chat_id,
                kind="edit",
                text=message.get("text", message.get("caption")),
                buttons=_buttons(markup),
                message_id=message["message_id"],
                html=html,
            )
        )
        return _clone(message)

    @staticmethod
    def _html_of(params: JSON, key: str) -> str | None:
        """The raw text as sent, when it was HTML."""
        is_html = str(params.get("parse_mode", "")).lower() == "html"
        return params.get(key) if is_html else None

    @staticmethod
    def _scope_key(params: JSON) -> tuple[str, int | str | None, str]:
        scope = params.get("scope") or {"type": "default"}
        language = params.get("language_code") or ""
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise _bad("LANG_CODE_INVALID")
        return scope["type"], scope.get("chat_id"), language

    # ---------------------------------------------------------------- methods

    def _get_me(self, params: JSON, files: Files) -> JSON:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _wake_event(self) -> asyncio.Event:
        loop = asyncio.get_running_loop()
        if self._event is None or self._event_loop is not loop:
            self._event, self._event_loop = asyncio.Event(), loop
        return self._event

    async def _get_updates(self, params: JSON, files: Files) -> list[JSON]:
        if self.webhook is not None:
            raise _ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset", 0)
        if offset < 0:
            self._pending = self._pending[offset:]
        elif offset:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        if params.get("allowed_updates") is not None:
            self._allowed_updates = list(params["allowed_updates"])
        limit = min(max(params.get("limit", 100), 1), 100)
        self._poll_generation += 1
        generation = self._poll_generation
        event = self._wake_event()
        event.set()  # wakes an older long poll, which then ends with a 409 like on Telegram
        event.clear()
        updates = self._deliverable(limit)
        timeout = params.get("timeout", 0)
        if not updates and timeout > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), timeout)
            if generation != self._poll_generation:
                raise _ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            updates = self._deliverable(limit)
        return _clone(updates)

    def _deliverable(self, limit: int) -> list[JSON]:
        if self._allowed_updates:
            allowed = set(self._allowed_updates)
            kept = [u for u in self._pending if _update_type(u) in allowed]
            self.discarded_count += len(self._pending) - len(kept)
            self._pending = kept
        return self._pending[:limit]

    def _set_webhook(self, params: JSON, files: Files) -> bool:
        url = params["url"]
        if not url:
            return self._delete_webhook(params, files)
        if not url.startswith("https://"):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = {k: v for k, v in params.items() if k != "drop_pending_updates"}
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    def _delete_webhook(self, params: JSON, files: Files) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    def _get_webhook_info(self, params: JSON, files: Files) -> JSON:
        info: JSON = {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self.webhook and self.webhook.get("allowed_updates") is not None:
            info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

    def _send_message(self, params: JSON, files: Files) -> JSON:
        chat_id = self._private_chat(params["chat_id"])
        params["chat_id"] = chat_id
        text, entities = _format(params["text"], params.get("parse_mode"), params.get("entities"))
        content: JSON = {"text": text, **self._reply_to(chat_id, params)}
        if entities:
            content["entities"] = entities
        return self._send(params, "message", content, text, None)

    def _edit_message_text(self, params: JSON, files: Files) -> JSON:
        chat_id, message = self._edit_target(params)
        if "text" not in message:
            raise _bad("there is no text in the message to edit")
        text, entities = _format(params["text"], params.get("parse_mode"), params.get("entities"))
        content: JSON = {"text": text, "entities": entities or None}
        return self._apply_edit(chat_id, message, content, params, self._html_of(params, "text"))

    def _edit_message_caption(self, params: JSON, files: Files) -> JSON:
        chat_id, message = self._edit_target(params)
        if "photo" not in message and "document" not in message:
            raise _bad("there is no caption in the message to edit")
        content, _ = self._caption_content(params)
        content = {"caption": None, "caption_entities": None, **content}
        html = self._html_of(params, "caption")
        return self._apply_edit(chat_id, message, content, params, html)

    def _edit_message_reply_markup(self, params: JSON, files: Files) -> JSON:
        chat_id, message = self._edit_target(params)
        return self._apply_edit(chat_id, message, {}, params, None)

    def _delete_message(self, params: JSON, files: Files) -> bool:
        chat_id = params["chat_id"]
        if isinstance(chat_id, str) and re.fullmatch(r"-?\d+", chat_id):
            chat_id = int(chat_id)
        if self._messages.pop((chat_id, params["message_id"]), None) is None:
            raise _bad("message to delete not found")
        return True

    def _answer_callback_query(self, params: JSON, files: Files) -> bool:
        query_id = params["callback_query_id"]
        if query_id not in self._queries or query_id in self._answered:
            raise _bad(_QUERY_INVALID)
        self._answered.add(query_id)
        user_id, message_id = self._queries[query_id]
        if params.get("text"):
            self._emit(
                Output(
                    to=user_id,
                    kind="callback_answer",
                    text=params["text"],
                    buttons=[],
                    message_id=message_id,
                    show_alert=bool(params.get("show_alert", False)),
                )
            )
        return True

    def _send_photo(self, params: JSON, files: Files) -> JSON:
        chat_id = self._private_chat(params["chat_id"])
        params["chat_id"] = chat_id
        upload = files.get("photo")
        content_bytes = upload[1] if upload else b""
        info = self._new_file("photo", None, content_bytes, "image/jpeg")
        content, caption = self._caption_content(params)
        content = {"photo": [{**info, "width": 800, "height": 600}], **content}
        content.update(self._reply_to(chat_id, params))
        return self._send(params, "photo", content, caption, None)

    def _send_document(self, params: JSON, files: Files) -> JSON:
        chat_id = self._private_chat(params["chat_id"])
        params["chat_id"] = chat_id
        if "document" in files:
            file_name, data, mime = files["document"]
        else:  # a file_id we know, or a URL
            reference = params["document"].removeprefix("attach://")
            if reference in files:
                file_name, data, mime = files[reference]
            elif reference in self._files:
                file_name, data, mime = self._files[reference]
            else:
                file_name = reference.rstrip("/").rsplit("/", 1)[-1] or None
                data, mime = b"", "application/octet-stream"
        info = self._new_file("document", file_name, data, mime)
        self.documents.append((chat_id, file_name, data))
        document = {**info, "file_name": file_name, "mime_type": mime}
        content, caption = self._caption_content(params)
        content = {"document": {k: v for k, v in document.items() if v}, **content}
        content.update(self._reply_to(chat_id, params))
        return self._send(params, "document", content, caption, file_name)

    def _send_chat_action(self, params: JSON, files: Files) -> bool:
        self._private_chat(params["chat_id"])
        if params["action"] not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        return True

    def _set_my_commands(self, params: JSON, files: Files) -> bool:
        commands = params["commands"]
        if len(commands) > 100:
            raise _bad("BOT_COMMANDS_TOO_MUCH")
        key = self._scope_key(params)
        self.commands[key] = [(c["command"], c["description"]) for c in commands]
        return True

    def _delete_my_commands(self, params: JSON, files: Files) -> bool:
        self.commands.pop(self._scope_key(params), None)
        return True

    def _get_my_commands(self, params: JSON, files: Files) -> list[JSON]:
        pairs = self.commands.get(self._scope_key(params), [])
        return [{"command": command, "description": text} for command, text in pairs]

    def _set_my_description(self, params: JSON, files: Files) -> bool:
        self.descriptions[params.get("language_code", "")] = params.get("description", "")
        return True

    def _get_my_description(self, params: JSON, files: Files) -> JSON:
        return {"description": self.descriptions.get(params.get("language_code", ""), "")}

    def _set_my_short_description(self, params: JSON, files: Files) -> bool:
        language = params.get("language_code", "")
        self.short_descriptions[language] = params.get("short_description", "")
        return True

    def _get_my_short_description(self, params: JSON, files: Files) -> JSON:
        language = params.get("language_code", "")
        return {"short_description": self.short_descriptions.get(language, "")}

    def _set_my_name(self, params: JSON, files: Files) -> bool:
        self.names[params.get("language_code", "")] = params.get("name", "")
        return True

    def _get_my_name(self, params: JSON, files: Files) -> JSON:
        return {"name": self.names.get(params.get("language_code", ""), self.bot_name)}

    def _set_chat_menu_button(self, params: JSON, files: Files) -> bool:
        chat_id = params.get("chat_id")
        if chat_id is not None and chat_id not in self.known_chats:
            raise _bad("chat not found")
        self.menu_buttons[chat_id] = params.get("menu_button") or {"type": "default"}
        return True

    def _get_chat_menu_button(self, params: JSON, files: Files) -> JSON:
        chat_id = params.get("chat_id")
        return self.menu_buttons.get(chat_id) or self.menu_buttons.get(None) or {"type": "default"}

    def _get_file(self, params: JSON, files: Files) -> JSON:
        file_id = params["file_id"]
        if file_id not in self._files:
            raise _bad("invalid file_id")
        _, content, _ = self._files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": "U" + file_id.rsplit("-", 1)[-1],
            "file_size": len(content),
            "file_path": self._file_path(file_id),
        }
