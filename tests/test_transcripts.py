"""Whole conversations, compared as whole transcripts (the house rule).

Each file in `tests/transcripts/` is a conversation as the shell prints it: lines starting with
`» ` are what the user typed or pressed, everything under them is what the bot answered, in
order, including edits and keyboards taken off. A `# ` line at the top says what it shows. The
test replays the inputs through the real Application on a fresh demo database (users only) and
compares the whole text.

After a deliberate change of the bot's texts, rewrite the files and read the diff before
committing it:

    WEERTHUIS_WRITE_TRANSCRIPTS=1 python -m pytest tests/test_transcripts.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import talk

HERE = Path(__file__).parent / "transcripts"
FILES = sorted(HERE.glob("*.txt"))
INPUT = "» "


def _inputs(text: str) -> list[str]:
    return [line.removeprefix(INPUT) for line in text.splitlines() if line.startswith(INPUT)]


def _header(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if not line.startswith("# "):
            break
        lines.append(line + "\n")
    return "".join(lines)


async def _replay(shell, inputs: list[str]) -> str:
    out = []
    for line in inputs:
        out.append(f"{INPUT}{line}\n")
        out.append(await talk(shell, line))
    return "".join(out)


def test_there_are_transcripts():
    assert len(FILES) >= 8


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
async def test_a_whole_conversation_reads_as_written(shell, path):
    written = path.read_text(encoding="utf-8")
    header = _header(written)
    assert header, f"{path.name}: say in a '# ' line what the conversation shows"
    replayed = header + await _replay(shell, _inputs(written))
    if os.environ.get("WEERTHUIS_WRITE_TRANSCRIPTS") and replayed != written:
        path.write_text(replayed, encoding="utf-8")
    assert replayed == written
