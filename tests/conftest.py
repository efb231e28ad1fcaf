"""Shared fixtures: the fake Discord (`fake_discord`) and the bot running against it
(`bot_process`). End-to-end tests are marked `@pytest.mark.e2e`."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # `tests.fakediscord` must be importable under plain `pytest`
    sys.path.insert(0, str(REPO_ROOT))

from tests.fakediscord import SAMPLE_BOT_MODULE, FakeDiscord  # noqa: E402

BOT_SETTINGS = (
    "DISCORD_TOKEN",
    "FAQ_DIR",
    "DATA_DIR",
    "GUILD_IDS",
    "MOD_ROLE_IDS",
    "MOD_LOG_CHANNEL_ID",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "HEALTH_PORT",
    "HEALTH_HOST",
    "SHARD_COUNT",
    "SHARD_IDS",
    "RETENTION_DAYS",
    "COOLDOWN_RATE",
    "COOLDOWN_SECONDS",
    "RELOAD_DEBOUNCE_SECONDS",
    "FAKE_DISCORD_URL",
)
"""Environment variables never inherited from the shell running the tests."""

_FAKES = pytest.StashKey[FakeDiscord]()
_BOTS = pytest.StashKey[list["BotProcess"]]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "e2e: end-to-end test (a bot process against the fake Discord)"
    )
    config.addinivalue_line(
        "markers",
        "fake_discord(**kwargs): keyword arguments for the `fake_discord` fixture's FakeDiscord "
        "(world=, guilds=, shard_count=, allowed_intents=, callback_deadline=, ...)",
    )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """On failure, attach the bot's log tail and the fake's state to the report."""
    report = yield
    if report.failed:
        for bot in item.stash.get(_BOTS, []):
            report.sections.append((f"bot process {bot.pid} log tail", bot.log_tail()))
        fake = item.stash.get(_FAKES, None)
        if fake is not None:
            report.sections.append(("fake discord", fake.describe()))
    return report


@pytest.fixture
async def fake_discord(request: pytest.FixtureRequest) -> AsyncIterator[FakeDiscord]:
    """A started fake Discord with the standard world (`fake_discord.world`): guild `Test Guild`,
    channels #general, #faq, #mod-log (moderators only), roles @everyone and Moderator (Manage
    Server), members alice, bob (moderator), carol (locale fr) and owner.

    `@pytest.mark.fake_discord(**kwargs)` on a test passes keyword arguments to FakeDiscord."""
    marker = request.node.get_closest_marker("fake_discord")
    fake = FakeDiscord(**(marker.kwargs if marker else {}))
    await fake.start()
    request.node.stash[_FAKES] = fake
    try:
        yield fake
    finally:
        await fake.stop()


@dataclass
class BotProcess:
    """A bot subprocess; its stdout and stderr go to files."""

    popen: subprocess.Popen[bytes]
    argv: Sequence[str]
    stdout_path: Path
    stderr_path: Path
    _files: list[IO[bytes]] = field(default_factory=list, repr=False)
    exit_expected: bool = False
    """Set by `stop()` and `wait_exit()`: the process may end without failing waits on the fake."""

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def returncode(self) -> int | None:
        return self.popen.poll()

    def log_tail(self, lines: int = 60) -> str:
        parts = []
        for label, path in (("stdout", self.stdout_path), ("stderr", self.stderr_path)):
            try:
                text = path.read_text(errors="replace")
            except OSError:
                text = ""
            tail = "\n".join(text.splitlines()[-lines:])
            parts.append(f"--- {label} ({path}) ---\n{tail or '(empty)'}")
        return "\n".join(parts)

    def death_reason(self) -> str | None:
        """Why waits on the fake can never succeed: the process died unexpectedly (or None)."""
        if self.exit_expected or self.popen.poll() is None:
            return None
        return f"the bot process {self.pid} exited with code {self.popen.returncode}"

    def output(self) -> str:
        return self.stdout_path.read_text(errors="replace") + self.stderr_path.read_text(
            errors="replace"
        )

    async def wait_exit(self, timeout: float = 15.0) -> int:
        """The exit code; fails the test if the process is still running after `timeout`."""
        self.exit_expected = True
        deadline = time.monotonic() + timeout
        while (code := self.popen.poll()) is None:
            if time.monotonic() > deadline:
                pytest.fail(
                    f"bot process {self.pid} still running after {timeout:g} s\n" + self.log_tail()
                )
            await asyncio.sleep(0.05)
        return code

    async def stop(self, timeout: float = 10.0) -> int:
        """SIGTERM, wait up to `timeout`, then SIGKILL. Returns the exit code."""
        self.exit_expected = True
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while self.popen.poll() is None and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            if self.popen.poll() is None:
                self.popen.kill()
                self.popen.wait(timeout=5)
        for handle in self._files:
            handle.close()
        self._files.clear()
        return self.popen.returncode


StartBot = Callable[..., Awaitable[BotProcess]]


@pytest.fixture
async def bot_process(
    fake_discord: FakeDiscord, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[StartBot]:
    """A factory: `bot = await bot_process(*args, env={...}, module=None, token=None,
    wait_ready=True, ready_timeout=30, shards=1, fail_fast=True)` starts
    `python -m tests.fakediscord.launcher [--module MODULE] ARGS` (ARGS default: `run`) from the
    repository root, with DISCORD_TOKEN, FAKE_DISCORD_URL, DATA_DIR (tmp_path/data) and `env`,
    and waits for the gateway READY. With `fail_fast`, any wait on the fake fails at once if the
    process has exited (pass False when the test stops the bot on purpose). Every process is
    stopped (SIGTERM, then SIGKILL) at teardown; on failure the log tails are in the report.
    """
    started: list[BotProcess] = []
    request.node.stash[_BOTS] = started

    async def start(
        *args: str,
        env: Mapping[str, str] | None = None,
        module: str | None = None,
        token: str | None = None,
        wait_ready: bool = True,
        ready_timeout: float = 30.0,
        shards: int = 1,
        fail_fast: bool = True,
    ) -> BotProcess:
        index = len(started)
        argv = [sys.executable, "-m", "tests.fakediscord.launcher"]
        if module is not None:
            argv += ["--module", module]
        argv += list(args) if args else ["run"]
        child_env = {k: v for k, v in os.environ.items() if k not in BOT_SETTINGS}
        child_env.update(
            PYTHONUNBUFFERED="1",
            FAKE_DISCORD_URL=fake_discord.url,
            DISCORD_TOKEN=fake_discord.token if token is None else token,
            DATA_DIR=str(tmp_path / "data"),
            XDG_DATA_HOME=str(tmp_path / "xdg"),
        )
        child_env.update(env or {})
        stdout_path = tmp_path / f"bot{index}.stdout.log"
        stderr_path = tmp_path / f"bot{index}.stderr.log"
        out = stdout_path.open("wb")
        err = stderr_path.open("wb")
        popen = subprocess.Popen(
            argv, cwd=REPO_ROOT, env=child_env, stdout=out, stderr=err, stdin=subprocess.DEVNULL
        )
        bot = BotProcess(popen, argv, stdout_path, stderr_path, [out, err])
        started.append(bot)
        if fail_fast:
            fake_discord.add_liveness_check(bot.death_reason)
        if wait_ready:
            deadline = time.monotonic() + ready_timeout
            while not fake_discord.is_ready(shards):
                if popen.poll() is not None:
                    pytest.fail(
                        f"the bot exited with code {popen.returncode} before READY\n"
                        + bot.log_tail()
                    )
                if time.monotonic() > deadline:
                    await bot.stop()
                    pytest.fail(
                        f"the bot was not READY after {ready_timeout:g} s\n"
                        f"{fake_discord.describe()}\n{bot.log_tail()}"
                    )
                await asyncio.sleep(0.05)
        return bot

    try:
        yield start
    finally:
        for bot in reversed(started):
            await bot.stop()


@pytest.fixture
async def sample_bot(fake_discord: FakeDiscord, bot_process: StartBot) -> BotProcess:
    """The harness's own sample bot, READY, with its commands synced to the test guild."""
    return await bot_process(
        module=SAMPLE_BOT_MODULE, env={"GUILD_IDS": str(fake_discord.guild.id)}
    )
