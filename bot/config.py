"""Settings: `config.yaml` plus environment, parsed once into a frozen dataclass.

Any unknown key, wrong type or bad value raises `ConfigError` naming the key, before anything
starts. The bot token is read from the environment only and is kept out of `repr`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
CONFIG_ENV = "WEERTHUIS_CONFIG"
DB_ENV = "WEERTHUIS_DB"
WEBHOOK_SECRET_ENV = "WEERTHUIS_WEBHOOK_SECRET"
DEFAULT_CONFIG = "config.yaml"

LANGUAGES = ("nl", "en")
MODES = ("polling", "webhook")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
_TOKEN_SHAPE = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{20,}$")
_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{4,31}$")
_SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_CLOCK_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class ConfigError(Exception):
    """The configuration is invalid; the message names the offending key."""


@dataclass(frozen=True)
class WebhookConfig:
    listen: str = "0.0.0.0"
    port: int = 8443
    url_path: str = "telegram"
    url: str = ""


@dataclass(frozen=True)
class TelegramConfig:
    mode: str = "polling"
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    rate_limiter: bool = True
    bot_username: str = "WeerThuisBot"
    webhook: WebhookConfig = field(default_factory=WebhookConfig)


@dataclass(frozen=True)
class QuietHours:
    start: time = time(21, 0)
    end: time = time(8, 0)

    def contains(self, moment: time) -> bool:
        """True when local time `moment` is inside the quiet period (which may span midnight)."""
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


@dataclass(frozen=True)
class CheckinStep:
    """One check-in of the soft-landing plan: `day` days after the move-in, asked from
    `before` days earlier to `after` days later."""

    day: int
    before: int = 0
    after: int = 3


DEFAULT_PLAN = (
    CheckinStep(3, 0, 2),
    CheckinStep(14, 2, 5),
    CheckinStep(42, 5, 10),
    CheckinStep(91, 7, 14),
    CheckinStep(182, 10, 21),
    CheckinStep(365, 14, 30),
)


@dataclass(frozen=True)
class AftercareConfig:
    plan: tuple[CheckinStep, ...] = DEFAULT_PLAN
    # Prompts to support workers go out on weekdays between these times (local time).
    start: time = time(9, 0)
    end: time = time(17, 0)


@dataclass(frozen=True)
class LoggingConfig:
    level: str = "INFO"
    file: Path | None = None


@dataclass(frozen=True)
class Config:
    language: str = "nl"
    timezone: str = "Europe/Amsterdam"
    database: Path = Path("data/weerthuis.sqlite3")
    knowledge_dir: Path = Path("knowledge")
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    quiet_hours: QuietHours = field(default_factory=QuietHours)
    invite_valid_days: int = 7
    conversation_timeout_minutes: int = 30
    retention_months: int = 24
    aftercare: AftercareConfig = field(default_factory=AftercareConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    token: str | None = field(default=None, repr=False)
    webhook_secret: str | None = field(default=None, repr=False)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def load_config(path: str | Path | None = None, env: dict[str, str] | None = None) -> Config:
    """Read the config file (argument, else $WEERTHUIS_CONFIG, else ./config.yaml) and environment.

    Raises `ConfigError` with one line naming the file and key on any problem.
    """
    env = dict(os.environ) if env is None else env
    config_path = Path(path or env.get(CONFIG_ENV) or DEFAULT_CONFIG)
    try:
        text = config_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{config_path}: configuratiebestand niet gevonden (file not found)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{config_path}: kan niet lezen (cannot read): {exc}") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{config_path}:{where} ongeldige YAML (invalid YAML)") from None
    return parse_config(
        raw or {}, base_dir=config_path.resolve().parent, env=env, source=str(config_path)
    )


def parse_config(
    raw: Any, *, base_dir: Path, env: dict[str, str], source: str = "config"
) -> Config:
    """Turn the parsed YAML mapping into a `Config`; see `load_config`."""
    reader = _Reader(source)
    top = reader.mapping(raw, "")
    reader.known(
        top,
        "",
        {
            "language",
            "timezone",
            "database",
            "knowledge_dir",
            "telegram",
            "quiet_hours",
            "invites",
            "conversation_timeout_minutes",
            "retention_months",
            "aftercare",
            "logging",
        },
    )
    language = reader.choice(top, "language", LANGUAGES, "nl")
    timezone = reader.string(top, "timezone", "Europe/Amsterdam")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise reader.error(
            "timezone", f"onbekende tijdzone (unknown timezone) {timezone!r}"
        ) from None

    database = _path(
        base_dir, env.get(DB_ENV) or reader.string(top, "database", "data/weerthuis.sqlite3")
    )
    knowledge_dir = _path(base_dir, reader.string(top, "knowledge_dir", "knowledge"))

    tg = reader.mapping(top.get("telegram", {}), "telegram")
    reader.known(
        tg,
        "telegram",
        {"mode", "base_url", "base_file_url", "rate_limiter", "bot_username", "webhook"},
    )
    wh = reader.mapping(tg.get("webhook", {}), "telegram.webhook")
    reader.known(wh, "telegram.webhook", {"listen", "port", "url_path", "url"})
    port = reader.integer(wh, "telegram.webhook.port", 8443, low=1, high=65535, key="port")
    webhook = WebhookConfig(
        listen=reader.string(wh, "telegram.webhook.listen", "0.0.0.0", key="listen"),
        port=port,
        url_path=reader.string(wh, "telegram.webhook.url_path", "telegram", key="url_path"),
        url=reader.string(wh, "telegram.webhook.url", "", key="url"),
    )
    mode = reader.choice(tg, "telegram.mode", MODES, "polling", key="mode")
    if mode == "webhook" and not webhook.url.startswith("https://"):
        raise reader.error("telegram.webhook.url", "webhook vereist een https:// URL (needs https)")
    username = reader.string(tg, "telegram.bot_username", "WeerThuisBot", key="bot_username")
    if not _USERNAME.match(username):
        raise reader.error(
            "telegram.bot_username", f"geen geldige botnaam (invalid), kreeg {username!r}"
        )
    webhook_secret = env.get(WEBHOOK_SECRET_ENV) or None
    if mode == "webhook" and not (webhook_secret and _SECRET_SHAPE.match(webhook_secret)):
        # Without a secret anyone who finds the URL can post updates as any user.
        raise ConfigError(
            f"{WEBHOOK_SECRET_ENV}: vereist in webhook-modus, 1-256 tekens A-Z a-z 0-9 _ - "
            "(required in webhook mode)"
        )
    telegram = TelegramConfig(
        mode=mode,
        base_url=_url(reader, tg, "telegram.base_url", "base_url", "https://api.telegram.org/bot"),
        base_file_url=_url(
            reader,
            tg,
            "telegram.base_file_url",
            "base_file_url",
            "https://api.telegram.org/file/bot",
        ),
        rate_limiter=reader.boolean(tg, "telegram.rate_limiter", True, key="rate_limiter"),
        bot_username=username,
        webhook=webhook,
    )

    qh = reader.mapping(top.get("quiet_hours", {}), "quiet_hours")
    reader.known(qh, "quiet_hours", {"start", "end"})
    quiet = QuietHours(
        start=reader.clock_time(qh, "quiet_hours.start", "21:00", key="start"),
        end=reader.clock_time(qh, "quiet_hours.end", "08:00", key="end"),
    )

    inv = reader.mapping(top.get("invites", {}), "invites")
    reader.known(inv, "invites", {"valid_days"})
    valid_days = reader.integer(inv, "invites.valid_days", 7, low=1, high=90, key="valid_days")
    timeout = reader.integer(top, "conversation_timeout_minutes", 30, low=1, high=24 * 60)
    retention = reader.integer(top, "retention_months", 24, low=1, high=120)

    aftercare = _aftercare(reader, reader.mapping(top.get("aftercare", {}), "aftercare"))

    lg = reader.mapping(top.get("logging", {}), "logging")
    reader.known(lg, "logging", {"level", "file"})
    level = reader.choice(lg, "logging.level", LOG_LEVELS, "INFO", key="level")
    log_file = reader.string(lg, "logging.file", "", key="file")

    token = env.get(TOKEN_ENV) or None
    if token is not None and not _TOKEN_SHAPE.match(token.strip()):
        # Never echo the value: a mistyped token is still a secret.
        raise ConfigError(f"{TOKEN_ENV}: heeft niet de vorm van een bot-token (not a bot token)")
    return Config(
        language=language,
        timezone=timezone,
        database=database,
        knowledge_dir=knowledge_dir,
        telegram=telegram,
        quiet_hours=quiet,
        invite_valid_days=valid_days,
        conversation_timeout_minutes=timeout,
        retention_months=retention,
        aftercare=aftercare,
        logging=LoggingConfig(level=level, file=_path(base_dir, log_file) if log_file else None),
        token=token.strip() if token else None,
        webhook_secret=webhook_secret,
    )


def _aftercare(reader: _Reader, data: dict) -> AftercareConfig:
    reader.known(data, "aftercare", {"plan", "hours"})
    hours = reader.mapping(data.get("hours", {}), "aftercare.hours")
    reader.known(hours, "aftercare.hours", {"start", "end"})
    start = reader.clock_time(hours, "aftercare.hours.start", "09:00", key="start")
    end = reader.clock_time(hours, "aftercare.hours.end", "17:00", key="end")
    if not start < end:
        raise reader.error("aftercare.hours", "start moet voor end liggen (start before end)")
    raw = data.get("plan")
    if raw is None:
        return AftercareConfig(start=start, end=end)
    if not isinstance(raw, list) or not raw:
        raise reader.error("aftercare.plan", "moet een niet-lege lijst zijn (a non-empty list)")
    steps = []
    for n, item in enumerate(raw, start=1):
        where = f"aftercare.plan[{n}]"
        item = reader.mapping(item, where)
        reader.known(item, where, {"day", "before", "after"})
        day = reader.integer(item, f"{where}.day", None, low=1, high=3650, key="day")
        before = reader.integer(item, f"{where}.before", 0, low=0, high=60, key="before")
        after = reader.integer(item, f"{where}.after", 3, low=0, high=90, key="after")
        if steps and day <= steps[-1].day:
            raise reader.error(f"{where}.day", "dagen moeten oplopen (days must increase)")
        steps.append(CheckinStep(day, before, after))
    return AftercareConfig(plan=tuple(steps), start=start, end=end)


def _path(base_dir: Path, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else base_dir / path


def _url(reader: _Reader, data: dict, dotted: str, key: str, default: str) -> str:
    value = reader.string(data, dotted, default, key=key)
    if not value.startswith(("https://", "http://")):
        raise reader.error(dotted, f"moet een http(s) URL zijn (must be a URL), kreeg {value!r}")
    return value


class _Reader:
    """Typed access to the raw YAML with errors that name the key."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(self, dotted: str, message: str) -> ConfigError:
        return ConfigError(f"{self.source}: {dotted}: {message}")

    def mapping(self, value: Any, dotted: str) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error(dotted or "(top)", "moet een mapping zijn (must be a mapping)")
        return value

    def known(self, data: dict, prefix: str, keys: set[str]) -> None:
        for key in data:
            if key not in keys:
                name = f"{prefix}.{key}" if prefix else str(key)
                raise self.error(name, "onbekende instelling (unknown key)")

    def _get(self, data: dict, key: str, default: Any) -> Any:
        value = data.get(key, default)
        return default if value is None else value

    def string(self, data: dict, dotted: str, default: str, key: str | None = None) -> str:
        value = self._get(data, key or dotted, default)
        if not isinstance(value, str):
            raise self.error(dotted, f"moet tekst zijn (must be a string), kreeg {value!r}")
        return value

    def choice(
        self,
        data: dict,
        dotted: str,
        options: tuple[str, ...],
        default: str,
        key: str | None = None,
    ) -> str:
        value = self.string(data, dotted, default, key)
        if value not in options:
            allowed = ", ".join(options)
            raise self.error(
                dotted, f"moet een van {allowed} zijn (must be one of), kreeg {value!r}"
            )
        return value

    def integer(
        self, data: dict, dotted: str, default: int, *, low: int, high: int, key: str | None = None
    ) -> int:
        value = self._get(data, key or dotted, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(
                dotted, f"moet een geheel getal zijn (must be an integer), kreeg {value!r}"
            )
        if not low <= value <= high:
            raise self.error(
                dotted, f"moet tussen {low} en {high} liggen (out of range), kreeg {value}"
            )
        return value

    def boolean(self, data: dict, dotted: str, default: bool, key: str | None = None) -> bool:
        value = self._get(data, key or dotted, default)
        if not isinstance(value, bool):
            raise self.error(
                dotted, f"moet true of false zijn (must be a boolean), kreeg {value!r}"
            )
        return value

    def clock_time(self, data: dict, dotted: str, default: str, key: str | None = None) -> time:
        value = self.string(data, dotted, default, key)
        match = _CLOCK_TIME.match(value)
        if not match:
            raise self.error(dotted, f"moet UU:MM zijn (must be HH:MM), kreeg {value!r}")
        return time(int(match.group(1)), int(match.group(2)))
