"""Helpers shared by the bot's end-to-end tests (no tests here): one fake Discord and one bot
process per test module, started exactly as `faqbot run` starts (via the fake's launcher)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest
import pytest_asyncio

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import itertools  # noqa: E402
import shutil  # noqa: E402
from dataclasses import replace  # noqa: E402

from bot.engine.index import FaqIndex  # noqa: E402
from bot.engine.loader import load_faq  # noqa: E402
from bot.settings import SHIPPED_FAQ_DIR  # noqa: E402
from tests.fakediscord import BotMessage, Channel, FakeDiscord, World, default_world  # noqa: E402
from tests.fakediscord.models import make_channel  # noqa: E402

NO_PINGS = {"parse": []}
EPHEMERAL = 64
SOURCE_FOOTER = "Source: CCM ISU press release, 5 September 2024"
SETTINGS_ENV = (
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


@dataclass
class Bot:
    """A bot subprocess started through the fake's launcher."""

    popen: subprocess.Popen[bytes]
    log_path: Path
    _log: IO[bytes] = field(repr=False)
    data_dir: Path | None = None

    @property
    def returncode(self) -> int | None:
        return self.popen.poll()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    async def wait_exit(self, timeout: float = 15.0) -> int:
        deadline = time.monotonic() + timeout
        while (code := self.popen.poll()) is None:
            if time.monotonic() > deadline:
                self.popen.kill()
                pytest.fail(f"bot still running after {timeout:g} s\n{self.output()[-3000:]}")
            await asyncio.sleep(0.05)
        return code

    async def stop(self, timeout: float = 15.0) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                return await self.wait_exit(timeout)
            finally:
                if self.popen.poll() is None:
                    self.popen.kill()
                    self.popen.wait(5)
                self._log.close()
        self._log.close()
        return self.popen.returncode


async def start_bot(
    fake: FakeDiscord,
    data_dir: Path,
    *,
    env: Mapping[str, str] | None = None,
    module: str | None = None,
    token: str | None = None,
    wait_ready: bool = True,
    timeout: float = 30.0,
    log_name: str = "bot.log",
) -> Bot:
    argv = [sys.executable, "-m", "tests.fakediscord.launcher"]
    if module:
        argv += ["--module", module]
    argv.append("run")
    child_env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    child_env.update(
        PYTHONUNBUFFERED="1",
        FAKE_DISCORD_URL=fake.url,
        DISCORD_TOKEN=fake.token if token is None else token,
        DATA_DIR=str(data_dir),
        XDG_DATA_HOME=str(data_dir.parent / "xdg"),
        COOLDOWN_RATE="1000",
    )
    child_env.update(env or {})
    log_path = data_dir.parent / log_name
    log_path.parent.mkdir(parents=True, exist_ok=True)
    handle = log_path.open("ab")
    popen = subprocess.Popen(
        argv, cwd=REPO_ROOT, env=child_env, stdout=handle, stderr=subprocess.STDOUT
    )
    bot = Bot(popen, log_path, handle, data_dir)
    if wait_ready:
        deadline = time.monotonic() + timeout
        while not fake.is_ready():
            if popen.poll() is not None:
                pytest.fail(f"bot exited with {popen.returncode}\n{bot.output()[-3000:]}")
            if time.monotonic() > deadline:
                await bot.stop()
                pytest.fail(f"bot not ready after {timeout:g} s\n{fake.describe()}")
            await asyncio.sleep(0.05)
    return bot


EXTRA_CHANNELS = 40


def world_with_channels(count: int = EXTRA_CHANNELS) -> World:
    """The standard world plus `count` text channels `t0`, `t1`...: one per test, so the
    "already answered here a minute ago" rule never links one test's answer from another."""
    world = default_world()
    parent = world.general.parent_id
    extra = [
        replace(make_channel(f"t{i}", position=10 + i), parent_id=parent, guild_id=world.guild.id)
        for i in range(count)
    ]
    guild = replace(world.guild, channels=(*world.guild.channels, *extra))
    return replace(world, guild=guild)


class Channels:
    """Hands out a fresh text channel per test."""

    def __init__(self, fake: FakeDiscord) -> None:
        self._fake = fake
        self._numbers = itertools.count()

    def next(self) -> Channel:
        return self._fake.channel(f"t{next(self._numbers)}")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fake() -> AsyncIterator[FakeDiscord]:
    discord = FakeDiscord(world=world_with_channels())
    await discord.start()
    try:
        yield discord
    finally:
        await discord.stop()


@pytest.fixture(scope="module")
def channels(fake: FakeDiscord) -> Channels:
    return Channels(fake)


@pytest.fixture(scope="module")
def faq_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A snapshot of the shipped FAQ: the bot and the test's expectations read the same one."""
    target = tmp_path_factory.mktemp("faq") / "faq"
    shutil.copytree(SHIPPED_FAQ_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture(scope="module")
def index(faq_dir: Path) -> FaqIndex:
    return FaqIndex(load_faq(faq_dir))


def assert_no_pings(message: BotMessage) -> None:
    """Nobody is notified: `{"parse": []}`, plus `replied_user: false` on replies."""
    sent = dict(message.allowed_mentions or {"missing": True})
    if message.message_reference is not None:
        assert sent.pop("replied_user", False) is False
    assert sent == NO_PINGS


def embed(message: BotMessage, index: int = 0) -> Mapping[str, Any]:
    assert message.embeds, f"no embed in {message.payload}"
    return message.embeds[index]
