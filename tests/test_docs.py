"""The README and the code agree: every chat command and CLI command is documented, the two
commands come first, and the core stays free of Telegram."""

from __future__ import annotations

import argparse
import re

from conftest import REPO

from bot.access.roles import COMMANDS
from bot.cli import build_parser

README = (REPO / "README.md").read_text(encoding="utf-8")


# Modules of bot/ allowed to touch python-telegram-bot: the wiring and the local Bot API.
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


def test_only_storage_speaks_sql():
    sql = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE TABLE)\b")
    for folder in ("bot", "handlers"):
        for path in sorted((REPO / folder).rglob("*.py")):
            if path.is_relative_to(REPO / "bot" / "storage"):
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


def _architecture_tree() -> set[str]:
    """The paths the README's architecture block names: "  name/" opens a folder, a line
    "    a.py, b.py   what they do" names modules in the folder above it."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Architecture") :]
    block = section.split("```\n")[1]
    named, folders = set(), []
    for line in block.splitlines():
        spaces = len(line) - len(line.lstrip(" "))
        entry = line.strip().split("  ")[0]
        if not entry or spaces > 2 * len(folders):
            continue  # a description continued on the next line
        del folders[spaces // 2 :]
        if entry.endswith("/"):
            folders.append(entry.rstrip("/"))
            named.add("/".join(folders) + "/")
        else:
            named |= {"/".join([*folders, name]) for name in entry.split(", ")}
    return named


def test_every_module_and_package_is_in_the_readmes_architecture():
    named = _architecture_tree()
    actual = set()
    for folder in ("bot", "handlers"):
        for path in (REPO / folder).rglob("*.py"):
            relative = path.relative_to(REPO)
            actual |= {
                "/".join(relative.parts[: i + 1]) + "/" for i in range(len(relative.parts) - 1)
            }
            if path.name != "__init__.py":
                actual.add(str(relative))
    assert len(actual) > 60  # the sub-packages are searched too
    assert sorted(actual - named) == []
    # ... and nothing named there is gone.
    gone = [p for p in named if p.startswith(("bot/", "handlers/")) and not (REPO / p).exists()]
    assert gone == []
