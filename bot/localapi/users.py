"""The simulated users: what a person does in Telegram (type, edit, press a button).

Synchronous; call it from the thread that runs the event loop.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import unicodedata

from bot.localapi.outputs import buttons_of
from bot.localapi.spec import JSON, clone
from bot.telegram_html import utf16_length

DEFAULT_NAME = "Gebruiker"
DEFAULT_LANGUAGE = "nl"


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


class SimulatedUsers:
    """The user side of `LocalBotApi`."""

    def _register_user(
        self, user_id: int, first_name: str = DEFAULT_NAME, language_code: str = DEFAULT_LANGUAGE
    ) -> None:
        """Remember a user; a default name or language never overwrites an earlier one."""
        info = self._users.setdefault(
            user_id, {"first_name": DEFAULT_NAME, "language_code": DEFAULT_LANGUAGE}
        )
        if first_name != DEFAULT_NAME:
            info["first_name"] = first_name
        if language_code != DEFAULT_LANGUAGE:
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
        return self._push_update({"message": clone(message)})

    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = DEFAULT_NAME,
        language_code: str = DEFAULT_LANGUAGE,
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
        return self._push_update({"edited_message": clone(message)})

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
            "message": clone(message),
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
            (message_id, buttons_of(message.get("reply_markup")))
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
        return clone(message) if message is not None else None
