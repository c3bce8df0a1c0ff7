"""Weer Thuis bot. The core works on plain data and a store handle; only `wiring/` and
`localapi/` touch python-telegram-bot (the contracts in pyproject.toml hold that)."""
