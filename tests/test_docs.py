"""The README and the code agree: every chat command and CLI command is documented, the two
commands come first, and the core stays free of Telegram."""

from __future__ import annotations

import argparse
import ast
import re

from conftest import REPO

from bot.access.roles import COMMANDS
from bot.cli import build_parser

README = (REPO / "README.md").read_text(encoding="utf-8")
# Modules of bot/ allowed to touch python-telegram-bot: the wiring and the local Bot API.
TELEGRAM_MODULES = {"app.py", "persistence.py", "localapi.py", "shell.py"}


def _section(title: str) -> str:
    return README.split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def test_readme_opens_with_the_two_commands():
    blocks = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    assert "weerthuis shell --demo" in blocks[0]
    assert "pytest" in blocks[1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1] in ci


def test_chat_commands_in_readme_match_the_code():
    documented = re.findall(r"^\| `/(\w+)`", _section("Roles and commands"), flags=re.M)
    assert documented == [c.name for c in COMMANDS]


def _cli_commands(parser: argparse.ArgumentParser, prefix: str = "weerthuis") -> set[str]:
    found = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                nested = _cli_commands(sub, f"{prefix} {name}")
                found |= nested or {f"{prefix} {name}"}
    return found


def test_every_cli_command_is_documented():
    for command in _cli_commands(build_parser()):
        assert f"`{command}" in README, command


def test_core_modules_never_import_telegram():
    for path in sorted((REPO / "bot").glob("*.py")):
        if path.name in TELEGRAM_MODULES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(("telegram", "handlers")), f"{path.name} imports {name}"


def test_only_storage_speaks_sql():
    sql = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE TABLE)\b")
    for folder in ("bot", "handlers"):
        for path in sorted((REPO / folder).glob("*.py")):
            if path.name == "storage.py":
                continue
            assert not sql.search(path.read_text(encoding="utf-8")), path


def test_every_relative_link_in_the_readme_works_from_a_clone():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#]+)\)", readme)
    relative = [link for link in links if not link.startswith(("http://", "https://"))]
    assert relative, "the README links to the domain primer at least"
    missing = [link for link in relative if not (REPO / link).resolve().is_relative_to(REPO)]
    missing += [link for link in relative if not (REPO / link).exists()]
    assert missing == []


def test_every_module_is_in_the_readmes_architecture():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    modules = [p for folder in ("bot", "handlers") for p in sorted((REPO / folder).glob("*.py"))]
    missing = [str(p.relative_to(REPO)) for p in modules if p.name != "__init__.py"]
    assert [m for m in missing if m.split("/")[-1] not in readme] == []
