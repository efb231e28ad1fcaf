"""Logging: one line per event, text or JSON, and the token never reaches the output."""

from __future__ import annotations

import io
import json
import logging
import sys
import threading
import warnings

import pytest

from bot.ops import logs
from bot.ops.logs import COMMAND, GUILD, LATENCY, REDACTED, add_secret, context, setup_logging

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.very-secret-signature_0123456789"


@pytest.fixture(autouse=True)
def isolated_logging(monkeypatch):
    """Each test starts with no registered secret and leaves the root logger as it was."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    hooks = (sys.excepthook, threading.excepthook)
    monkeypatch.setattr(logs, "_redactor", logs.Redactor())
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    sys.excepthook, threading.excepthook = hooks
    logging.captureWarnings(False)


def setup(fmt: str = "text", level: str = "INFO", secrets=(TOKEN,)) -> io.StringIO:
    stream = io.StringIO()
    setup_logging(level, fmt, secrets=secrets, stream=stream)
    return stream


def lines(stream: io.StringIO) -> list[str]:
    return stream.getvalue().splitlines()


def records(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in lines(stream)]


def boom(message: str) -> None:
    raise RuntimeError(message)


def test_text_line_has_time_level_logger_message_and_context():
    stream = setup("text")
    logging.getLogger("bot.cogs.faq").info(
        "answered %s", "venue", extra=context(guild=123, command="faq", latency=0.0042)
    )
    [line] = lines(stream)
    assert line.endswith(" INFO bot.cogs.faq: answered venue guild=123 command=faq latency=0.0042s")
    assert line[:4].isdigit() and "T" in line.split()[0]


def test_json_has_the_documented_fields():
    stream = setup("json")
    logging.getLogger("bot.cogs.faq").warning(
        "slow answer", extra={GUILD: 123, COMMAND: "faq", LATENCY: 0.5}
    )
    [record] = records(stream)
    assert record["level"] == "WARNING"
    assert record["logger"] == "bot.cogs.faq"
    assert record["message"] == "slow answer"
    assert (record["guild"], record["command"], record["latency"]) == (123, "faq", 0.5)
    assert record["time"].endswith("Z")
    assert "exception" not in record


def test_context_fields_are_omitted_when_not_passed():
    stream = setup("json")
    logging.getLogger("bot").info("started")
    assert set(records(stream)[0]) == {"time", "level", "logger", "message"}
    assert context(command="faq") == {"command": "faq"}


def test_json_exception_is_a_field_on_the_same_line():
    stream = setup("json")
    try:
        boom("the FAQ exploded")
    except RuntimeError:
        logging.getLogger("bot").exception("reload failed")
    [record] = records(stream)
    assert record["message"] == "reload failed"
    assert "Traceback" in record["exception"]
    assert "RuntimeError: the FAQ exploded" in record["exception"]


def test_text_exception_stays_on_one_line():
    stream = setup("text")
    try:
        boom("the FAQ exploded")
    except RuntimeError:
        logging.getLogger("bot").exception("reload failed")
    [line] = lines(stream)
    assert "reload failed | Traceback" in line
    assert "RuntimeError: the FAQ exploded" in line


def test_user_text_cannot_forge_a_log_line():
    stream = setup("text")
    typed = "hi\n2026-01-01 CRITICAL bot: fake\r\u2028more\x1b[2J"
    logging.getLogger("bot").info("question: %s", typed)
    assert len(lines(stream)) == 1  # splitlines() also splits on \r and \u2028
    assert "\x1b" not in stream.getvalue()
    assert "hi\\n2026-01-01 CRITICAL bot: fake" in stream.getvalue()


def test_level_filters_events():
    stream = setup("text", level="warning")
    logging.getLogger("bot").info("not shown")
    logging.getLogger("bot").warning("shown")
    assert [line.split(": ", 1)[1] for line in lines(stream)] == ["shown"]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_token_is_redacted_everywhere(fmt):
    stream = setup(fmt)
    log = logging.getLogger("bot.client.runner")
    log.info("token is %s", TOKEN)
    log.info(f"inline {TOKEN}")
    log.info("context", extra=context(command=TOKEN))
    try:
        boom(f"login failed with {TOKEN}")
    except RuntimeError:
        log.exception("crash")
    log.info("stack", stack_info=True)
    output = stream.getvalue()
    assert TOKEN not in output
    assert "very-secret-signature" not in output
    assert output.count(REDACTED) >= 4
    assert len(lines(stream)) == 5


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_discord_library_loggers_go_through_the_same_redaction(fmt):
    import discord  # noqa: F401  (its loggers are created on import)

    stream = setup(fmt)
    logging.getLogger("discord.client").warning("logging in using static token %s", TOKEN)
    logging.getLogger("discord.gateway").info("Shard ID None has connected to Gateway")
    output = stream.getvalue()
    assert TOKEN not in output
    assert "discord.client" in output and "discord.gateway" in output


def test_secret_registered_later_is_redacted():
    stream = setup("text", secrets=())
    add_secret("hunter2-database-password")
    logging.getLogger("bot").error("connect with hunter2-database-password")
    assert "hunter2" not in stream.getvalue()


def test_blank_and_missing_secrets_redact_nothing():
    stream = setup("text", secrets=(None, "", "  "))
    logging.getLogger("bot").info("nothing secret here")
    assert "nothing secret here" in stream.getvalue()
    assert REDACTED not in stream.getvalue()


def test_calling_setup_twice_does_not_duplicate_lines():
    setup("text")
    stream = setup("json")
    logging.getLogger("bot").info("once")
    assert len(lines(stream)) == 1
    assert records(stream)[0]["message"] == "once"


def test_uncaught_exception_is_logged_redacted():
    stream = setup("json")
    try:
        boom(f"fatal {TOKEN}")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    [record] = records(stream)
    assert record["level"] == "CRITICAL"
    assert "RuntimeError: fatal [REDACTED]" in record["exception"]


def test_warnings_are_logged_through_the_handler():
    stream = setup("json")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn(f"deprecated {TOKEN}", DeprecationWarning, stacklevel=1)
    [record] = records(stream)
    assert record["logger"] == "py.warnings"
    assert TOKEN not in record["message"]


def test_a_broken_format_string_still_gives_a_line():
    handler = setup_logging("INFO", "text", stream=io.StringIO())
    record = logging.LogRecord("bot", logging.INFO, __file__, 1, "%d entries", ("many",), None)
    line = handler.format(record)
    assert "'%d entries' (log formatting failed" in line


def test_health_check_access_lines_are_quiet():
    stream = setup("text", level="DEBUG")
    logging.getLogger("aiohttp.access").info('127.0.0.1 "GET /healthz" 200')
    assert stream.getvalue() == ""


@pytest.mark.parametrize(
    ("level", "fmt", "message"),
    [("LOUD", "text", "LOG_LEVEL: 'LOUD' is not a log level"), ("INFO", "xml", "LOG_FORMAT")],
)
def test_bad_level_or_format_names_the_setting(level, fmt, message):
    with pytest.raises(ValueError, match=message):
        setup_logging(level, fmt)


def test_voice_library_warnings_are_not_logged_at_start_up(monkeypatch):
    import discord
    from discord.voice_client import VoiceClient

    stream = io.StringIO()
    setup_logging("INFO", "text", stream=stream)
    monkeypatch.setattr(VoiceClient, "warn_nacl", True)
    monkeypatch.setattr(VoiceClient, "warn_dave", True)
    discord.Client(intents=discord.Intents.none())
    logging.getLogger("discord.client").warning("a real discord.py warning")
    out = stream.getvalue()
    assert "voice" not in out and "PyNaCl" not in out and "davey" not in out
    assert "a real discord.py warning" in out
