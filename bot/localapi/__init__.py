"""The Telegram Bot API played in-process, and the shell on top of it (PTB)."""
