"""`faqbot run`: load settings and the FAQ, connect to Discord, serve until SIGTERM/SIGINT.

Exit codes: 0 after a clean shutdown, 1 when Discord rejects the token or the bot fails
at run time, 2 when the configuration (settings, FAQ, health port) prevents starting.
Problems are printed as one line each, never as a traceback, and the token never appears
in any output (it is registered for redaction before anything is logged).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from pathlib import Path
from typing import Any

import aiohttp
import discord

from bot.engine.encoder import load_encoder
from bot.ops.health import HealthServer, HealthServerError
from bot.ops.logs import setup_logging
from bot.ops.metrics import Metrics
from bot.services.knowledge import KnowledgeBase
from bot.services.learned import learned_path
from bot.settings import Settings, SettingsError, load_settings

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_CONFIG = 2
SHUTDOWN_GRACE_SECONDS = 10.0
"""How long a shutdown waits for interactions in flight before disconnecting."""

NO_TOKEN = (
    "DISCORD_TOKEN is not set: create a bot in the Discord Developer Portal "
    "(https://discord.com/developers/applications > New Application > Bot > Reset Token), "
    "then set DISCORD_TOKEN to that token in the environment or the --env-file."
)
REJECTED_TOKEN = (
    "Discord rejected the token (DISCORD_TOKEN): it is wrong or was reset. Copy a new one "
    "from the Developer Portal (your application > Bot > Reset Token) and restart."
)
PRIVILEGED_INTENTS = (
    "Discord refused the connection: a privileged intent was requested that the application "
    "does not have enabled in the Developer Portal."
)


def _error(message: str) -> None:
    print(f"faqbot: {message}", file=sys.stderr, flush=True)


def run_bot(env_file: Path | None = None) -> int:
    """Run the bot until it is told to stop; return the process exit code."""
    try:
        settings = load_settings(env_file)
    except SettingsError as exc:
        for line in exc.problems:
            _error(line)
        return EXIT_CONFIG
    token = settings.token
    if token is None:
        _error(NO_TOKEN)
        return EXIT_CONFIG
    setup_logging(settings.log_level, settings.log_format, secrets=[token])
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _error(f"DATA_DIR: cannot create {settings.data_dir}: {exc.strerror or exc}")
        return EXIT_CONFIG
    load_encoder()  # before the first index is built, so every index has the second opinion
    knowledge = KnowledgeBase(settings.faq_dir, learned_path(settings.data_dir))
    # No last good FAQ to keep yet: failing checks are served, as warnings (logged, shown
    # by /faq-admin status); invalid files still stop the start.
    result = knowledge.reload(force=True)
    if not result.ok:
        _error(f"the FAQ in {settings.faq_dir} has errors (run `faqbot validate`):")
        for problem in result.problems:
            _error(str(problem))
        return EXIT_CONFIG
    try:
        return asyncio.run(_serve(settings, knowledge, token))
    except KeyboardInterrupt:  # a second signal while shutting down: stopped, not cleanly
        _error("stopped before the shutdown finished (second signal)")
        return EXIT_FAILED


async def _serve(settings: Settings, knowledge: KnowledgeBase, token: str) -> int:
    from bot.client.faqbot import create_bot

    metrics = Metrics()
    bot = create_bot(settings, knowledge, metrics=metrics)
    health = None
    if settings.health_port is not None:
        health = HealthServer(
            settings.health_host, settings.health_port, bot.health_status, metrics
        )
        try:
            await health.start()
        except HealthServerError as exc:
            _error(str(exc))
            return EXIT_CONFIG

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGTERM, signal.SIGINT)
    for signum in signals:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, _on_signal, stop, signum)
    try:
        async with bot:
            return await _run_until_stopped(bot, token, stop)
    finally:
        for signum in signals:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(signum)
        if health is not None:
            await health.stop()


def _on_signal(stop: asyncio.Event, signum: int) -> None:
    if stop.is_set():
        log.warning("%s again: stopping now", signal.Signals(signum).name)
        raise KeyboardInterrupt
    log.info("%s received: shutting down", signal.Signals(signum).name)
    stop.set()


async def _run_until_stopped(bot: Any, token: str, stop: asyncio.Event) -> int:
    runner = asyncio.create_task(bot.start(token), name="discord-client")
    stopper = asyncio.create_task(stop.wait(), name="shutdown-signal")
    done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
    if runner in done:
        stopper.cancel()
        return _exit_code(runner)
    await bot.shutdown(SHUTDOWN_GRACE_SECONDS)
    try:
        await asyncio.wait_for(runner, timeout=SHUTDOWN_GRACE_SECONDS)
    except TimeoutError:
        log.warning("the Discord client did not stop in time")
    except Exception as exc:
        log.debug("client ended with %s during shutdown", type(exc).__name__)
    log.info("stopped")
    return EXIT_OK


def _exit_code(task: asyncio.Task[None]) -> int:
    """Explain why the client stopped on its own, in one line."""
    exc = task.exception()
    if exc is None:
        log.info("stopped")
        return EXIT_OK
    if isinstance(exc, discord.LoginFailure):
        _error(REJECTED_TOKEN)
    elif isinstance(exc, discord.PrivilegedIntentsRequired):
        _error(PRIVILEGED_INTENTS)
    elif isinstance(exc, discord.ConnectionClosed) and exc.code == 4004:
        _error(REJECTED_TOKEN)
    elif isinstance(exc, aiohttp.ClientError | OSError):
        _error(f"cannot reach Discord: {type(exc).__name__}: {exc}")
    elif isinstance(exc, discord.HTTPException):
        _error(f"Discord refused a request at start-up: {exc.status} {exc.text or exc}")
    else:
        log.critical("the bot stopped on an unexpected error", exc_info=exc)
        _error(f"the bot stopped on an unexpected error: {type(exc).__name__}: {exc}")
    return EXIT_FAILED
