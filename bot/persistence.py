"""python-telegram-bot persistence on the bot's own SQLite file (wiring; touches PTB).

Conversation states and user/chat scratch data are stored as JSON through `Store`, so a
restart resumes a conversation where it was. PTB hands over the changes of one round in no
fixed order; they are buffered and written by `commit()` in one transaction, so a conversation
state never lands without the draft that goes with it. The application commits after every
update (see `bot.app.WeerThuisApplication`): a kill loses at most the answer being typed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from bot.storage import Store

ConversationKey = tuple[int | str, ...]
ConversationDict = dict[ConversationKey, object]
# Changes made by jobs (a conversation timing out) are not tied to an update; PTB writes them
# on this interval.
UPDATE_INTERVAL = 1.0


class SQLitePersistence(BasePersistence[dict, dict, dict]):
    """Stores conversations, user_data and chat_data; bot_data and callback data are not used."""

    def __init__(self, store: Store, update_interval: float = UPDATE_INTERVAL) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=True, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self.store = store
        # What the file holds now, as JSON, so an unchanged scratch pad costs no write
        # (PTB hands over every touched user's and chat's data after each update).
        self._saved: dict[tuple[str, int], str] = {}
        self._pending: list[Callable[[], None]] = []

    def commit(self) -> None:
        """Write everything buffered since the last commit, all or nothing."""
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        with self.store.db.atomic():
            for write in pending:
                write()

    async def get_user_data(self) -> dict[int, dict]:
        return self._load("user")

    async def get_chat_data(self) -> dict[int, dict]:
        return self._load("chat")

    async def get_bot_data(self) -> dict:
        return {}

    async def get_callback_data(self) -> None:
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        return {
            tuple(json.loads(key)): state
            for key, state in self.store.load_conversations(name).items()
        }

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        encoded_key = json.dumps(list(key))
        self._pending.append(lambda: self.store.save_conversation(name, encoded_key, new_state))

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
        encoded = json.dumps(data, sort_keys=True) if data else ""
        if self._saved.get((kind, owner_id), "") == encoded:
            return
        # The cache moves now, so a second change in the same round is compared with this one.
        if data:
            self._saved[(kind, owner_id)] = encoded
            snapshot = json.loads(encoded)
            self._pending.append(lambda: self.store.save_data(kind, owner_id, snapshot))
        else:
            # An empty scratch pad is not worth a row (and leaves nothing behind after erasure).
            self._saved.pop((kind, owner_id), None)
            self._pending.append(lambda: self.store.drop_data(kind, owner_id))
