"""The layering contracts in pyproject.toml ([tool.importlinter]), run by import-linter.

The contracts replace grep tests that looked at one folder level only. These tests run the
real `lint-imports` on this tree, and on temporary copies that break one rule each, to show
the contracts can fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import REPO

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess:
    # PYTHONPATH first, so the copy (not the installed tree) is what grimp reads.
    env = {**os.environ, "PYTHONPATH": str(root), "NO_COLOR": "1"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("bot", "handlers"):
        shutil.copytree(REPO / folder, root / folder, ignore=ignore)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def _contract_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.endswith((" KEPT", " BROKEN"))]


def test_this_tree_keeps_every_contract():
    result = _lint(REPO)
    assert _contract_lines(result.stdout) == [
        "The core never imports Telegram or the handlers KEPT",
        "Handlers never import storage (they make one core call) KEPT",
        "Handlers never import the wiring above them KEPT",
        "Knowledge never imports records KEPT",
        "Storage knows nothing above it KEPT",
    ]
    assert result.returncode == 0


def _add_import(root: Path, module: str, statement: str) -> None:
    path = root / (module.replace(".", "/") + ".py")
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("from __future__ import annotations\n")
    path.write_text(head + sep + statement + "\n" + rest, encoding="utf-8")


@pytest.mark.parametrize(
    ("module", "statement", "broken"),
    [
        # A core module deep in a sub-package, where the old one-level grep never looked.
        (
            "bot.records.cards",
            "import telegram  # noqa: F401",
            ["The core never imports Telegram or the handlers BROKEN"],
        ),
        (
            "bot.forms.engine",
            "from telegram.ext import ContextTypes  # noqa: F401",
            ["The core never imports Telegram or the handlers BROKEN"],
        ),
        (
            "handlers.mine",
            "from bot.storage import Store  # noqa: F401",
            ["Handlers never import storage (they make one core call) BROKEN"],
        ),
        (
            "bot.knowledge.search",
            "from bot.records import lifecycle  # noqa: F401",
            ["Knowledge never imports records BROKEN"],
        ),
        (
            "bot.storage.records",
            "from bot.records import registry  # noqa: F401",
            # Knowledge reads questions from storage, so it would reach records through it.
            ["Knowledge never imports records BROKEN", "Storage knows nothing above it BROKEN"],
        ),
    ],
)
def test_a_copy_that_breaks_a_rule_breaks_its_contract(tmp_path, module, statement, broken):
    root = _copy(tmp_path)
    _add_import(root, module, statement)
    result = _lint(root)
    assert [line for line in _contract_lines(result.stdout) if line.endswith("BROKEN")] == broken
    assert result.returncode == 1


# What may touch python-telegram-bot: the composition root, the local Bot API and the
# command line that starts them. Everything else in bot/ is core.
WIRING = {"bot.wiring", "bot.localapi", "bot.cli"}


def test_every_part_of_bot_is_core_or_wiring():
    """A new sub-package (matching, aftercare) is held by the core contract from its first
    commit: it must be named there, or here as wiring."""
    contracts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    [core] = [
        c
        for c in contracts["tool"]["importlinter"]["contracts"]
        if c["name"] == "The core never imports Telegram or the handlers"
    ]
    parts = {
        f"bot.{p.stem}"
        for p in (REPO / "bot").iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").exists()
    }
    assert set(core["source_modules"]) | WIRING == parts
    assert not set(core["source_modules"]) & WIRING
