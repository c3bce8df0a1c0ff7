"""What the bot showed a user: an output with its text and buttons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]


@dataclass
class Button:
    label: str
    callback_data: str | None = None
    url: str | None = None


@dataclass
class Output:
    """One thing the bot showed a user, in the order of the API calls."""

    to: int
    # "message" | "edit" | "buttons" (only the keyboard changed) | "photo" | "document" |
    # "callback_answer"
    kind: str
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


def buttons_of(markup: JSON | None) -> list[list[Button]]:
    if not markup:
        return []
    return [
        [Button(b["text"], b.get("callback_data"), b.get("url")) for b in row]
        for row in markup.get("inline_keyboard", [])
    ]
