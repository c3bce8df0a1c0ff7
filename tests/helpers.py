"""Helpers for tests that talk to the running shell."""

from __future__ import annotations

from bot.shell import Shell


async def talk(shell: Shell, *lines: str) -> str:
    """Feed lines to the shell and return only the transcript they produced."""
    start = len(shell.out.getvalue())
    for line in lines:
        await shell.handle_line(line)
    return shell.out.getvalue()[start:]
