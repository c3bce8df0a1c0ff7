"""Logging that names users by id and handlers by name, and never shows the token or texts."""

from __future__ import annotations

import logging
import sys

from bot.config import Config

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Third-party loggers that would print request URLs (which contain the token) or whole
# updates (which contain what users typed) at their chattier levels.
_QUIET = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "telegram": logging.INFO,
    "apscheduler": logging.INFO,
}


REDACTED = "[geheim]"


def redact(text: str, secrets: list[str]) -> str:
    """`text` with every secret (and the secret half of a bot token) replaced."""
    for secret in secrets:
        if not secret:
            continue
        text = text.replace(secret, REDACTED)
        _, _, key = secret.partition(":")
        if len(key) >= 20:
            text = text.replace(key, REDACTED)
    return text


class RedactSecrets(logging.Filter):
    """Replace any secret that slipped into a log record, as a last line of defence."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        redacted = redact(message, self.secrets)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class ShortStartFailures(logging.Filter):
    """PTB logs a failed start (token rejected, Telegram unreachable) with kilobytes of
    traceback; `weerthuis run` explains it in one line, so the log keeps only the message."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("telegram") and "(Bootstrap" in record.getMessage():
            record.exc_info, record.exc_text = None, None
        return True


class DropChattyRecords(logging.Filter):
    """PTB's and httpx's debug records carry whole updates (what users typed) and request URLs
    (the token); they are dropped even when someone turns the level down to DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        minimum = _QUIET.get(record.name.split(".", 1)[0])
        return minimum is None or record.levelno >= minimum


def setup_logging(config: Config, stream=None) -> logging.Handler:
    """Configure the root logger from config; returns the handler it installed."""
    if config.logging.file is not None:
        config.logging.file.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(config.logging.file, encoding="utf-8")
    else:
        handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(DropChattyRecords())
    handler.addFilter(ShortStartFailures())
    handler.addFilter(RedactSecrets([config.token or "", config.webhook_secret or ""]))
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_weerthuis", False):
            root.removeHandler(old)
    handler._weerthuis = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(config.logging.level)
    for name, level in _QUIET.items():
        logging.getLogger(name).setLevel(max(level, logging.getLevelName(config.logging.level)))
    return handler
