"""Logging set-up: one line per event, text or JSON, with every registered secret redacted.

Call `setup_logging` once, as early as possible. It installs a single handler on the
root logger, so discord.py's loggers (which propagate to the root) go through the same
formatting and redaction. Do not call `discord.utils.setup_logging` and pass
`log_handler=None` if you ever use `Client.run`.

Structured context goes in `extra=`, under the names below, or built with `context()`:

    log.info("answered %s", entry.id, extra=context(guild=guild_id, command="faq", latency=0.004))
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from types import TracebackType
from typing import TextIO

log = logging.getLogger(__name__)

GUILD = "guild"
"""`extra` key: the guild id the event concerns (int or str)."""
COMMAND = "command"
"""`extra` key: the command or interaction name, e.g. "faq" or "mention"."""
LATENCY = "latency"
"""`extra` key: how long the work took, in seconds (float)."""
CONTEXT_FIELDS: tuple[str, ...] = (GUILD, COMMAND, LATENCY)
"""Every `extra` key the formatters print, in this order."""

REDACTED = "[REDACTED]"
FORMATS = ("text", "json")


def context(
    *, guild: int | str | None = None, command: str | None = None, latency: float | None = None
) -> dict[str, object]:
    """An `extra=` mapping with only the fields that are set."""
    values: dict[str, object] = {GUILD: guild, COMMAND: command, LATENCY: latency}
    return {key: value for key, value in values.items() if value is not None}


class Redactor:
    """Replaces every registered secret in a text. Thread-safe; secrets can be added later."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        self._lock = threading.Lock()
        self._secrets: tuple[str, ...] = ()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        """Register a secret; blank values are ignored (they would match everywhere)."""
        if secret is None or not secret.strip():
            return
        variants = {secret, secret.strip()}
        # The JSON-escaped form too, in case a secret is logged inside serialised data.
        for value in list(variants):
            variants |= {json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}
        with self._lock:
            merged = set(self._secrets) | variants
            # Longest first, so a secret containing another is replaced whole.
            self._secrets = tuple(sorted(merged, key=len, reverse=True))

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    def __bool__(self) -> bool:
        return bool(self._secrets)


_ONE_LINE = {code: f"\\x{code:02x}" for code in [*range(0x20), 0x7F] if code != 0x09}
_ONE_LINE |= {0x0A: "\\n", 0x0D: "\\r", 0x85: "\\x85", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def _one_line(text: str) -> str:
    """Escape line breaks and control characters (terminal escapes included)."""
    return text.translate(_ONE_LINE)


class _BaseFormatter(logging.Formatter):
    """Shared behaviour: redaction of everything printed, and exception text as a string."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redact = redactor

    def _exception_text(self, record: logging.LogRecord) -> str | None:
        parts = []
        if record.exc_info:
            parts.append(self.formatException(record.exc_info))
        elif record.exc_text:
            parts.append(record.exc_text)
        if record.stack_info:
            parts.append(self.formatStack(record.stack_info))
        return self.redact("\n".join(parts)) if parts else None

    def _message(self, record: logging.LogRecord) -> str:
        try:
            message = record.getMessage()
        except Exception as exc:  # a bad %-format must not lose the event
            message = f"{record.msg!r} (log formatting failed: {exc})"
        return self.redact(message)

    def _context(self, record: logging.LogRecord) -> dict[str, object]:
        values: dict[str, object] = {}
        for key in CONTEXT_FIELDS:
            value = getattr(record, key, None)
            if value is None:
                continue
            if key == LATENCY and isinstance(value, int | float):
                values[key] = round(float(value), 6)
            elif isinstance(value, int | float | bool):
                values[key] = value
            else:
                values[key] = self.redact(str(value))
        return values


class TextFormatter(_BaseFormatter):
    """`2026-11-28T02:13:53.123Z INFO bot.x: message guild=1 command=faq latency=0.004s`.

    Line breaks and control characters in the message and the traceback are escaped
    (`\\n`, `\\x1b`), so one event is always one line and user text cannot forge log
    lines or send escape sequences to a terminal.
    """

    def format(self, record: logging.LogRecord) -> str:
        line = f"{_timestamp(record)} {record.levelname} {record.name}: {self._message(record)}"
        for key, value in self._context(record).items():
            shown = f"{value}s" if key == LATENCY and isinstance(value, float) else value
            line += f" {key}={shown}"
        exception = self._exception_text(record)
        if exception:
            line += f" | {exception}"
        return _one_line(line)


class JsonFormatter(_BaseFormatter):
    """One JSON object per line: time, level, logger, message, guild/command/latency, exception."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": self._message(record),
        }
        payload.update(self._context(record))
        exception = self._exception_text(record)
        if exception:
            payload["exception"] = exception
        return self.redact(json.dumps(payload, ensure_ascii=False, default=str))


def _timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class _BotHandler(logging.StreamHandler[TextIO]):
    """The one handler `setup_logging` installs; recognised so a second call replaces it."""


_redactor = Redactor()


def add_secret(secret: str | None) -> None:
    """Redact `secret` from every line logged from now on (both formats)."""
    _redactor.add(secret)


def parse_level(level: str | int) -> int:
    """`"info"`, `"INFO"`, `"WARN"` or `20` -> 20; ValueError naming LOG_LEVEL otherwise."""
    if isinstance(level, int):
        return level
    name = level.strip().upper()
    name = "WARNING" if name == "WARN" else name
    value = logging.getLevelNamesMapping().get(name)
    if value is None:
        raise ValueError(
            f"LOG_LEVEL: {level!r} is not a log level (DEBUG, INFO, WARNING, ERROR, CRITICAL)"
        )
    return value


VOICE_LIBRARY_LOGGER = "discord.client"
VOICE_LIBRARY_WARNING = "is not installed, voice will NOT be supported"
"""discord.py warns at every start that PyNaCl and davey (voice libraries) are missing; this
bot never joins a voice channel, so the two lines only make operators look for a problem."""


class _DropVoiceLibraryWarnings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.endswith(VOICE_LIBRARY_WARNING))


_VOICE_FILTER = _DropVoiceLibraryWarnings()


def setup_logging(
    level: str | int = "INFO",
    fmt: str = "text",
    secrets: Iterable[str | None] = (),
    *,
    stream: TextIO | None = None,
    quiet: Mapping[str, str | int] | None = None,
) -> logging.Handler:
    """Send every log record (the bot's and discord.py's) to `stream` (stderr), one line each.

    `fmt` is "text" or "json". Every string in `secrets` (e.g. the token) is replaced by
    `[REDACTED]` in messages, context fields, exception text and tracebacks. `quiet` maps
    noisy logger names to a minimum level (aiohttp.access is kept to WARNING by default).
    Calling it again replaces the previous handler. Uncaught exceptions are logged (and
    redacted) instead of being printed raw. Returns the installed handler.
    """
    if fmt not in FORMATS:
        raise ValueError(f"LOG_FORMAT: {fmt!r} is not a log format (text or json)")
    numeric = parse_level(level)
    for secret in secrets:
        _redactor.add(secret)

    handler = _BotHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(JsonFormatter(_redactor) if fmt == "json" else TextFormatter(_redactor))

    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _BotHandler)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(numeric)

    # Per-request access lines (every health check) are noise; keep their warnings only.
    quieter: dict[str, str | int] = {"aiohttp.access": "WARNING", **(quiet or {})}
    for name, name_level in quieter.items():
        logging.getLogger(name).setLevel(max(parse_level(name_level), numeric))

    logging.getLogger(VOICE_LIBRARY_LOGGER).addFilter(_VOICE_FILTER)  # once: same object
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_thread
    return handler


def _log_uncaught(
    kind: type[BaseException], value: BaseException, traceback: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, traceback)
        return
    logging.getLogger("bot").critical("uncaught exception", exc_info=(kind, value, traceback))


def _log_uncaught_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit or args.exc_value is None:
        return
    name = args.thread.name if args.thread else "?"
    logging.getLogger("bot").critical(
        "uncaught exception in thread %s",
        name,
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
    )
