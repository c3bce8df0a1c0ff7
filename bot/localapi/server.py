"""The Telegram Bot API, played inside the process.

`LocalBotApi` is an in-memory Telegram server and `LocalRequest` is the `BaseRequest` that
talks to it, so a real python-telegram-bot `Application` (polling included) runs unchanged,
without a token and without a network. The server is strict on purpose: every call is checked
against the official Bot API description in `bot/data/botapi.json` and a violation is answered
the way Telegram answers it (HTTP 400, ``"Bad Request: ..."``), so PTB raises `BadRequest`.

The user side (`send_text`, `press`, ...) is synchronous and must be called from the thread
that runs the event loop; everything lives on that one loop.

Opt-in, for tests of how the bot copes with Telegram: flood limits (`flood_limits`), failures
on demand (`inject`, `block`) and a journal file of every message delivered, written durably
before the bot hears back (`journal`), so it still tells the truth after the bot is killed.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import os
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from bot.localapi.flood import INJECTABLE_ERRORS, FloodLimits, Injection
from bot.localapi.outputs import Button, Output, buttons_of
from bot.localapi.spec import (
    JSON,
    ApiError,
    ConnectionLost,
    Files,
    Validator,
    bad_request,
    clone,
    default_validator,
    format_text,
    load_spec,
    too_many_requests,
)
from bot.localapi.transport import LocalRequest
from bot.localapi.users import DEFAULT_NAME, SimulatedUsers
from bot.telegram_html import parse_html

__all__ = [
    "Button",
    "FloodLimits",
    "LocalBotApi",
    "LocalRequest",
    "Output",
    "load_spec",
    "parse_html",
]


_FORBIDDEN_INITIATE = "Forbidden: bot can't initiate conversation with a user"
_FORBIDDEN_BLOCKED = "Forbidden: bot was blocked by the user"
# The calls that put a new message in a chat: what flood limits, blocks and the journal see.
_SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument"})
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


def _update_type(update: JSON) -> str:
    return next(key for key in update if key != "update_id")


def _chat_id_of(params: JSON) -> int | None:
    """The numeric chat a call addresses, before the method checks it."""
    chat_id = params.get("chat_id")
    if isinstance(chat_id, str) and re.fullmatch(r"-?\d+", chat_id):
        return int(chat_id)
    return chat_id if isinstance(chat_id, int) and not isinstance(chat_id, bool) else None


class _Journal:
    """JSON lines of the messages delivered, on disk before the bot gets its answer."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._file: IO[str] | None = None

    def append(self, entry: JSON) -> None:
        if self._file is None:
            # Append: a restarted bot gets a new server that must add to the same story.
            self._file = self.path.open("a", encoding="utf-8")
        self._file.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._file.flush()
        # A SIGKILLed bot process must not take delivered messages with it.
        os.fsync(self._file.fileno())

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


class LocalBotApi(SimulatedUsers):
    """An in-memory Telegram Bot API server for one bot."""

    def __init__(
        self,
        *,
        bot_id: int = 7000000001,
        bot_username: str = "WeerThuisBot",
        bot_name: str = "Weer Thuis",
        clock: Any = None,
        spec: dict | None = None,
        flood_limits: FloodLimits | None = None,
        journal: str | Path | None = None,
    ) -> None:
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.bot_name = bot_name
        self.clock = clock
        self._validator = Validator(spec) if spec is not None else default_validator()
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
        # Telegram's refusals, all off unless a test asks (see bot/localapi/flood.py).
        self.flood_limits = flood_limits
        self.too_many_requests = 0
        self.flood_refusals: list[tuple[int, str]] = []
        self.injected_failures = 0
        self.blocked: set[int] = set()
        self._injections: list[Injection] = []
        self._journal = _Journal(journal) if journal is not None else None
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

    def close(self) -> None:
        """Close the journal file (a killed process never does; the journal is fsynced)."""
        if self._journal is not None:
            self._journal.close()

    # ---------------------------------------------------------------- failures on demand

    def inject(
        self,
        method: str,
        error: str,
        *,
        chat_id: int | None = None,
        times: int = 1,
        retry_after: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` (to `chat_id`, or any chat) fail.

        "retry_after" and "forbidden" are Telegram's 429 and 403 answers; "network" breaks the
        connection before the server sees the call; "timeout" loses the answer after the
        server did the call, the way duplicates are born.
        """
        if error not in INJECTABLE_ERRORS:
            raise ValueError(f"unknown error {error!r}; one of {sorted(INJECTABLE_ERRORS)}")
        name = self._validator.method_name(method)
        if name is None:
            raise ValueError(f"unknown method {method!r}")
        if times < 1 or retry_after < 1:
            raise ValueError("times and retry_after must be at least 1")
        self._injections.append(Injection(name, error, chat_id, times, retry_after))

    def block(self, user_id: int) -> None:
        """The user blocks the bot: every send to them gets Telegram's 403."""
        self.blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        self.blocked.discard(user_id)

    def _take_injection(self, method: str | None, params: JSON) -> Injection | None:
        chat_id = _chat_id_of(params)
        for injection in self._injections:
            if injection.matches(method or "", chat_id):
                injection.times -= 1
                if injection.times == 0:
                    self._injections.remove(injection)
                self.injected_failures += 1
                return injection
        return None

    @staticmethod
    def _injected_answer(injection: Injection | None) -> None:
        if injection is None:
            return
        if injection.error == "retry_after":
            raise too_many_requests(injection.retry_after)
        if injection.error == "forbidden":
            raise ApiError(403, _FORBIDDEN_BLOCKED)

    # ---------------------------------------------------------------- the call itself

    async def _handle(self, name: str, params: JSON, files: Files) -> tuple[int, bytes]:
        method = self._validator.method_name(name)
        injection = self._take_injection(method, params)
        if injection is not None and injection.error == "network":
            raise ConnectionLost(processed=False)
        try:
            if method is None:
                raise ApiError(404, "Not Found")
            self._injected_answer(injection)
            result = await self._call(method, params, files)
        except ApiError as error:
            self.rejected.append((method or name, error.description))
            answer = error.code, json.dumps(error.body()).encode()
        else:
            self.calls.append((method, params))
            answer = 200, json.dumps({"ok": True, "result": result}).encode()
        if injection is not None and injection.error == "timeout":
            raise ConnectionLost(processed=True)
        return answer

    async def _call(self, method: str, params: JSON, files: Files) -> Any:
        self._validator.check_call(method, params, files)
        sends = method in _SEND_METHODS
        if sends:
            self._admit_send(method, params)
        handler = self._handlers.get(method)
        result = handler(params, files) if handler else True
        if asyncio.iscoroutine(result):
            result = await result
        if sends:
            self._accepted_send(method, result)
        return result

    def _admit_send(self, method: str, params: JSON) -> None:
        """Refuse a send before anything is stored: blocked, or over the flood limits."""
        # An unknown chat gets its own error first, and uses no flood budget.
        chat_id = self._private_chat(params["chat_id"])
        if chat_id in self.blocked:
            raise ApiError(403, _FORBIDDEN_BLOCKED)
        if self.flood_limits is None:
            return
        retry_after = self.flood_limits.retry_after(chat_id)
        if retry_after:
            self.too_many_requests += 1
            self.flood_refusals.append((chat_id, method))
            raise too_many_requests(retry_after)

    def _accepted_send(self, method: str, message: JSON) -> None:
        chat_id = message["chat"]["id"]
        if self.flood_limits is not None:
            self.flood_limits.accept(chat_id)
        if self._journal is not None:
            self._journal.append(
                {
                    "chat_id": chat_id,
                    "message_id": message["message_id"],
                    "method": method,
                    "text": message.get("text", message.get("caption")),
                }
            )

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
        user = {"id": user_id, "is_bot": False, "first_name": info.get("first_name", DEFAULT_NAME)}
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

    # ---------------------------------------------------------------- helpers for methods

    def _private_chat(self, chat_id: int | str) -> int:
        """The chat a bot may write to; Telegram's errors otherwise."""
        if isinstance(chat_id, str):
            if not re.fullmatch(r"-?\d+", chat_id):
                raise bad_request("chat not found")
            chat_id = int(chat_id)
        if chat_id in self.known_chats:
            return chat_id
        if chat_id > 0:
            raise ApiError(403, _FORBIDDEN_INITIATE)
        raise bad_request("chat not found")

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
            raise bad_request("message to be replied not found")
        original = {k: v for k, v in target.items() if k != "reply_to_message"}
        return {"reply_to_message": clone(original)}

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
                buttons=buttons_of(markup),
                message_id=message["message_id"],
                file_name=file_name,
                html=self._html_of(params, "text" if kind == "message" else "caption"),
            )
        )
        return clone(message)

    def _caption_content(self, params: JSON) -> tuple[JSON, str | None]:
        if "caption" not in params:
            return {}, None
        text, entities = format_text(
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
            raise bad_request("MESSAGE_ID_INVALID")  # inline messages are not simulated
        if "chat_id" not in params or "message_id" not in params:
            raise bad_request("message identifier is not specified")
        chat_id = params["chat_id"]
        if isinstance(chat_id, str) and re.fullmatch(r"-?\d+", chat_id):
            chat_id = int(chat_id)
        if chat_id not in self.known_chats:
            raise bad_request("chat not found")
        message = self._messages.get((chat_id, params["message_id"]))
        if message is None:
            raise bad_request("message to edit not found")
        if message["from"]["id"] != self.bot_id:
            raise bad_request("message can't be edited")
        return chat_id, message

    def _apply_edit(
        self,
        chat_id: int,
        message: JSON,
        content: JSON,
        params: JSON,
        html: str | None,
        kind: str = "edit",
    ) -> JSON:
        markup = self._inline_markup(params)
        new = {k: v for k, v in {**message, **content}.items() if v is not None}
        new.pop("reply_markup", None)
        if markup:
            new["reply_markup"] = markup
        comparable = ("text", "entities", "caption", "caption_entities", "reply_markup")
        if all(message.get(key) == new.get(key) for key in comparable):
            raise bad_request(_NOT_MODIFIED)
        new["edit_date"] = self._now()
        message.clear()
        message.update(new)
        self._emit(
            Output(
                to=chat_id,
                kind=kind,
                text=message.get("text", message.get("caption")),
                buttons=buttons_of(markup),
                message_id=message["message_id"],
                html=html,
            )
        )
        return clone(message)

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
            raise bad_request("LANG_CODE_INVALID")
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
            raise ApiError(
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
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            updates = self._deliverable(limit)
        return clone(updates)

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
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
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
        text, entities = format_text(
            params["text"], params.get("parse_mode"), params.get("entities")
        )
        content: JSON = {"text": text, **self._reply_to(chat_id, params)}
        if entities:
            content["entities"] = entities
        return self._send(params, "message", content, text, None)

    def _edit_message_text(self, params: JSON, files: Files) -> JSON:
        chat_id, message = self._edit_target(params)
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        text, entities = format_text(
            params["text"], params.get("parse_mode"), params.get("entities")
        )
        content: JSON = {"text": text, "entities": entities or None}
        return self._apply_edit(chat_id, message, content, params, self._html_of(params, "text"))

    def _edit_message_caption(self, params: JSON, files: Files) -> JSON:
        chat_id, message = self._edit_target(params)
        if "photo" not in message and "document" not in message:
            raise bad_request("there is no caption in the message to edit")
        content, _ = self._caption_content(params)
        content = {"caption": None, "caption_entities": None, **content}
        html = self._html_of(params, "caption")
        return self._apply_edit(chat_id, message, content, params, html)

    def _edit_message_reply_markup(self, params: JSON, files: Files) -> JSON:
        chat_id, message = self._edit_target(params)
        return self._apply_edit(chat_id, message, {}, params, None, kind="buttons")

    def _delete_message(self, params: JSON, files: Files) -> bool:
        chat_id = params["chat_id"]
        if isinstance(chat_id, str) and re.fullmatch(r"-?\d+", chat_id):
            chat_id = int(chat_id)
        if self._messages.pop((chat_id, params["message_id"]), None) is None:
            raise bad_request("message to delete not found")
        return True

    def _answer_callback_query(self, params: JSON, files: Files) -> bool:
        query_id = params["callback_query_id"]
        if query_id not in self._queries or query_id in self._answered:
            raise bad_request(_QUERY_INVALID)
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
            raise bad_request("wrong parameter action in request")
        return True

    def _set_my_commands(self, params: JSON, files: Files) -> bool:
        commands = params["commands"]
        if len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
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
            raise bad_request("chat not found")
        self.menu_buttons[chat_id] = params.get("menu_button") or {"type": "default"}
        return True

    def _get_chat_menu_button(self, params: JSON, files: Files) -> JSON:
        chat_id = params.get("chat_id")
        return self.menu_buttons.get(chat_id) or self.menu_buttons.get(None) or {"type": "default"}

    def _get_file(self, params: JSON, files: Files) -> JSON:
        file_id = params["file_id"]
        if file_id not in self._files:
            raise bad_request("invalid file_id")
        _, content, _ = self._files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": "U" + file_id.rsplit("-", 1)[-1],
            "file_size": len(content),
            "file_path": self._file_path(file_id),
        }
