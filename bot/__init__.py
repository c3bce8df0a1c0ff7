"""Weer Thuis bot: the core (no Telegram here except in app.py, persistence.py and localapi.py)."""
