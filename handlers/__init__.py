"""The Telegram surface: each module translates updates into core calls and replies back."""
