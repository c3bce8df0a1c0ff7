"""PTB's conversation states and user, chat and bot data.

A part of `Store`; the only SQL for these tables.
"""

from __future__ import annotations

import json
from typing import Any

from bot.storage.database import UnitDatabase


class ChatMemory:
    """PTB's conversation states and user, chat and bot data."""

    db: UnitDatabase

    def load_conversations(self, name: str) -> dict[str, Any]:
        return {
            row["key"]: json.loads(row["state"])
            for row in self.db["conversation_states"].rows_where("name = ?", [name])
        }

    def save_conversation(self, name: str, key: str, state: Any) -> None:
        if state is None:
            self.db["conversation_states"].delete_where("name = ? AND key = ?", [name, key])
        else:
            self.db["conversation_states"].upsert(
                {"name": name, "key": key, "state": json.dumps(state)}, pk=("name", "key")
            )

    def load_data(self, kind: str) -> dict[int, Any]:
        table, key = _data_table(kind)
        return {row[key]: json.loads(row["data"]) for row in self.db[table].rows}

    def save_data(self, kind: str, owner_id: int, data: Any) -> None:
        table, key = _data_table(kind)
        self.db[table].upsert({key: owner_id, "data": json.dumps(data)}, pk=key)

    def drop_data(self, kind: str, owner_id: int) -> None:
        table, key = _data_table(kind)
        self.db[table].delete_where(f"{key} = ?", [owner_id])


def _data_table(kind: str) -> tuple[str, str]:
    tables = {
        "user": ("user_data", "user_id"),
        "chat": ("chat_data", "chat_id"),
        "bot": ("bot_data", "id"),
    }
    return tables[kind]
