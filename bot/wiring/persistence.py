"""python-telegram-bot persistence on the bot's own SQLite file (wiring; touches PTB).

Conversation states and user/chat scratch data are stored as JSON through `Store`, so a
restart resumes a conversation where it was. PTB hands over the changes of one round in no
fixed order; they are buffered and written together, so a conversation state never lands
without the draft that goes with it. The application writes them in the same transaction as
everything else the update wrote (see `bot.wiring.app.WeerThuisApplication`): a kill loses at most
the answer being typed, and a record is never saved without its draft ending.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from bot.storage import Store

ConversationKey = tuple[int | str, ...]
ConversationDict = dict[ConversationKey, object]
# Changes made by jobs (a conversation timing out) are not tied to an update; PTB writes them
# on this interval.
UPDATE_INTERVAL = 1.0


@dataclass(frozen=True)
class Dropped:
    """What a discarded round held: hand it over again or it is never written."""

    user_ids: set[int]
    chat_ids: set[int]
    conversations: set[tuple[str, ConversationKey]]


class SQLitePersistence(BasePersistence[dict, dict, dict]):
    """Stores conversations, user_data and chat_data; bot_data and callback data are not used.

    Changes PTB hands over wait in a buffer. `write_pending` writes them inside the caller's
    transaction (the update's unit of work) and `committed`/`discard` say how it ended;
    `commit` does all three in a transaction of its own (changes made by jobs, shutdown).
    """

    def __init__(self, store: Store, update_interval: float = UPDATE_INTERVAL) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=True, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self.store = store
        # What the file holds now, as JSON, so an unchanged scratch pad costs no write
        # (PTB hands over every touched user's and chat's data after each update). It moves
        # only when a write is committed, so a failed one is tried again with the next change.
        self._saved: dict[tuple[str, int], str] = {}
        # The same for conversation states: (name, key as JSON) → state.
        self._saved_states: dict[tuple[str, str], object] = {}
        # The latest change per scratch pad ("" = drop it) and per conversation.
        self._data: dict[tuple[str, int], str] = {}
        self._conversations: dict[tuple[str, str], object | None] = {}

    @property
    def pending(self) -> bool:
        return bool(self._data or self._conversations)

    def write_pending(self) -> None:
        """Write the buffered changes in the current transaction; raises `sqlite3.Error`."""
        with self.store.db.atomic():
            for (name, key), state in self._conversations.items():
                self.store.save_conversation(name, key, state)
            for (kind, owner_id), encoded in self._data.items():
                if encoded:
                    self.store.save_data(kind, owner_id, json.loads(encoded))
                else:
                    self.store.drop_data(kind, owner_id)

    def committed(self) -> None:
        """The written changes are in the file."""
        for place, encoded in self._data.items():
            if encoded:
                self._saved[place] = encoded
            else:
                self._saved.pop(place, None)
        for place, state in self._conversations.items():
            if state is None:
                self._saved_states.pop(place, None)
            else:
                self._saved_states[place] = state
        self.discard()

    def discard(self) -> Dropped:
        """Forget the buffered changes (their transaction was rolled back); returns what was
        dropped, so the caller can hand it over again."""
        dropped = Dropped(
            user_ids={owner for kind, owner in self._data if kind == "user"},
            chat_ids={owner for kind, owner in self._data if kind == "chat"},
            conversations={(name, tuple(json.loads(key))) for name, key in self._conversations},
        )
        self._data.clear()
        self._conversations.clear()
        return dropped

    def stored_data(self, kind: str, owner_id: int) -> dict:
        """A scratch pad as the file holds it, from memory (no read that could fail)."""
        encoded = self._saved.get((kind, owner_id))
        return json.loads(encoded) if encoded else {}

    def stored_state(self, name: str, key: ConversationKey) -> object | None:
        """A conversation's state as the file holds it, from memory."""
        return self._saved_states.get((name, json.dumps(list(key))))

    def commit(self) -> None:
        """Write everything buffered, all or nothing, in a transaction of its own."""
        if not self.pending:
            return
        try:
            with self.store.db.atomic():
                self.write_pending()
        except Exception:
            self.discard()
            raise
        self.committed()

    async def get_user_data(self) -> dict[int, dict]:
        return self._load("user")

    async def get_chat_data(self) -> dict[int, dict]:
        return self._load("chat")

    async def get_bot_data(self) -> dict:
        return {}

    async def get_callback_data(self) -> None:
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        stored = self.store.load_conversations(name)
        for key, state in stored.items():
            self._saved_states[(name, key)] = state
        return {tuple(json.loads(key)): state for key, state in stored.items()}

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        self._conversations[(name, json.dumps(list(key)))] = new_state

    async def update_user_data(self, user_id: int, data: dict) -> None:
        self._save("user", user_id, data)

    async def update_chat_data(self, chat_id: int, data: dict) -> None:
        self._save("chat", chat_id, data)

    async def update_bot_data(self, data: dict) -> None:  # pragma: no cover - bot_data is off
        return None

    async def update_callback_data(self, data: Any) -> None:  # pragma: no cover - off
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        self._save("chat", chat_id, {})

    async def drop_user_data(self, user_id: int) -> None:
        self._save("user", user_id, {})

    async def refresh_user_data(self, user_id: int, user_data: dict) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict) -> None:
        return None

    async def flush(self) -> None:
        self.commit()

    def _load(self, kind: str) -> dict[int, dict]:
        data = {int(k): v for k, v in self.store.load_data(kind).items()}
        for owner_id, value in data.items():
            self._saved[(kind, owner_id)] = json.dumps(value, sort_keys=True)
        return data

    def _save(self, kind: str, owner_id: int, data: dict) -> None:
        # An empty scratch pad is not worth a row (and leaves nothing behind after erasure).
        encoded = json.dumps(data, sort_keys=True) if data else ""
        if self._saved.get((kind, owner_id), "") == encoded:
            self._data.pop((kind, owner_id), None)
        else:
            self._data[(kind, owner_id)] = encoded
