"""Config: parsed into a frozen dataclass, every mistake named by key, the token kept secret."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from bot.config import ConfigError, load_config, parse_config

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def _load(tmp_path: Path, text: str, env: dict | None = None):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, env=env or {})


def test_shipped_config_loads_with_every_setting():
    config = load_config(REPO / "config.yaml", env={})
    assert config.timezone == "Europe/Amsterdam"
    assert config.telegram.mode == "polling"
    assert config.quiet_hours.start.hour == 21
    assert [step.day for step in config.aftercare.plan] == [3, 14, 42, 91, 182, 365]
    assert (config.aftercare.start.hour, config.aftercare.end.hour) == (9, 17)
    assert config.knowledge_dir == REPO / "knowledge"
    assert config.token is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.language = "en"  # type: ignore[misc]


def test_every_shipped_key_has_a_comment():
    lines = (REPO / "config.yaml").read_text(encoding="utf-8").splitlines()
    raw = yaml.safe_load("\n".join(lines))
    for key in raw:
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
        assert lines[index - 1].lstrip().startswith("#"), f"{key} has no comment above it"


def test_environment_overrides_database_and_supplies_token(tmp_path):
    config = _load(
        tmp_path,
        "database: a.sqlite3\n",
        {"WEERTHUIS_DB": "/tmp/other.sqlite3", "TELEGRAM_BOT_TOKEN": TOKEN},
    )
    assert config.database == Path("/tmp/other.sqlite3")
    assert config.token == TOKEN
    assert TOKEN not in repr(config)


def test_relative_paths_are_relative_to_the_config_file(tmp_path):
    config = _load(tmp_path, "database: sub/db.sqlite3\n")
    assert config.database == tmp_path / "sub" / "db.sqlite3"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("languag: nl\n", "languag"),
        ("language: fr\n", "language"),
        ("timezone: Mars/Olympus\n", "timezone"),
        ("telegram:\n  mode: carrier-pigeon\n", "telegram.mode"),
        ("telegram:\n  rate_limiter: 'yes'\n", "telegram.rate_limiter"),
        ("telegram:\n  webhook:\n    port: 70000\n", "telegram.webhook.port"),
        ("telegram:\n  mode: webhook\n", "telegram.webhook.url"),
        ("telegram:\n  base_url: ftp://x\n", "telegram.base_url"),
        ("telegram:\n  extra: 1\n", "telegram.extra"),
        ("quiet_hours:\n  start: '25:00'\n", "quiet_hours.start"),
        ("invites:\n  valid_days: 0\n", "invites.valid_days"),
        ("conversation_timeout_minutes: soon\n", "conversation_timeout_minutes"),
        ("logging:\n  level: LOUD\n", "logging.level"),
        ("telegram: [1, 2]\n", "telegram"),
        ("aftercare:\n  plan: []\n", "aftercare.plan"),
        ("aftercare:\n  plan:\n    - {day: 14}\n    - {day: 3}\n", "aftercare.plan[2].day"),
        ("aftercare:\n  plan:\n    - {after: 3}\n", "aftercare.plan[1].day"),
        ("aftercare:\n  plan:\n    - {day: 3, window: 2}\n", "aftercare.plan[1].window"),
        ("aftercare:\n  hours:\n    start: '18:00'\n", "aftercare.hours"),
    ],
)
def test_bad_value_names_the_key(tmp_path, text, named):
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, text)
    message = str(caught.value)
    assert f": {named}:" in message
    assert "\n" not in message


def test_broken_yaml_and_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="line"):
        _load(tmp_path, "language: [nl\n")
    with pytest.raises(ConfigError, match="niet gevonden"):
        load_config(tmp_path / "nope.yaml", env={})


def test_malformed_token_is_refused_without_echoing_it(tmp_path):
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, "", {"TELEGRAM_BOT_TOKEN": "not a token but secret-ish"})
    assert "secret-ish" not in str(caught.value)


def test_quiet_hours_span_midnight():
    config = parse_config(
        {"quiet_hours": {"start": "21:00", "end": "08:00"}}, base_dir=Path("."), env={}
    )
    from datetime import time

    assert config.quiet_hours.contains(time(23, 30))
    assert config.quiet_hours.contains(time(7, 59))
    assert not config.quiet_hours.contains(time(8, 0))
    assert not config.quiet_hours.contains(time(12, 0))
