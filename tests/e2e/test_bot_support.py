"""Helpers shared by the bot's end-to-end tests (no tests here): one fake Discord and one bot
process per test module, started exactly as `faqbot run` starts (via the fake's launcher)."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import AsyncIterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.engine.encoder import load_encoder
from bot.engine.index import FaqIndex
from bot.engine.loader import load_faq
from bot.settings import SHIPPED_FAQ_DIR
from tests.fakediscord import BotMessage, Channel, FakeDiscord, World, default_world
from tests.fakediscord.models import make_channel
from tests.fakediscord.process import BotProcess, launch_bot

NO_PINGS = {"parse": []}
EPHEMERAL = 64
SOURCE_FOOTER = "Source: CCM ISU press release, 5 September 2024"


async def start_bot(
    fake: FakeDiscord, data_dir: Path, *, env: Mapping[str, str] | None = None, **kwargs: Any
) -> BotProcess:
    """`launch_bot` with DATA_DIR `data_dir`, its logs and XDG_DATA_HOME beside it (in
    `data_dir.parent`), and COOLDOWN_RATE 1000 unless `env` sets it: the tests ask faster than
    a person would. Other keywords (`module`, `token`, `wait_ready`, `name`...) go to
    `launch_bot`."""
    settings = {"COOLDOWN_RATE": "1000", "DATA_DIR": str(data_dir), **(env or {})}
    return await launch_bot(fake, data_dir.parent, env=settings, **kwargs)


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
    """The index the bot builds: with the sentence encoder it loads at start-up."""
    return FaqIndex(load_faq(faq_dir), encoder=load_encoder())


def assert_no_pings(message: BotMessage) -> None:
    """Nobody is notified: `{"parse": []}`, plus `replied_user: false` on replies."""
    sent = dict(message.allowed_mentions or {"missing": True})
    if message.message_reference is not None:
        assert sent.pop("replied_user", False) is False
    assert sent == NO_PINGS


def embed(message: BotMessage, index: int = 0) -> Mapping[str, Any]:
    assert message.embeds, f"no embed in {message.payload}"
    return message.embeds[index]
