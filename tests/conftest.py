"""Shared fixtures: the fake Discord (`fake_discord`) and the bot running against it
(`bot_process`, `sample_bot`). End-to-end tests are marked `@pytest.mark.e2e`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.engine.index import FaqIndex
from bot.engine.loader import load_faq
from bot.engine.models import Faq
from bot.settings import SHIPPED_FAQ_DIR
from tests.fakediscord import SAMPLE_BOT_MODULE, FakeDiscord
from tests.fakediscord.process import BotProcess, launch_bot

REPO_ROOT = Path(__file__).resolve().parent.parent

_FAKES = pytest.StashKey[FakeDiscord]()
_BOTS = pytest.StashKey[list[BotProcess]]()

StartBot = Callable[..., Awaitable[BotProcess]]


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


@pytest.fixture
async def bot_process(
    fake_discord: FakeDiscord, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[StartBot]:
    """A factory: `bot = await bot_process(*args, env={...}, module=None, token=None,
    wait_ready=True, ready_timeout=30, shards=1, fail_fast=True)` starts
    `python -m tests.fakediscord.launcher [--module MODULE] ARGS` (ARGS default: `run`) from the
    repository root, with DISCORD_TOKEN, FAKE_DISCORD_URL, DATA_DIR (tmp_path/data) and `env`,
    and waits for the gateway READY (see `tests.fakediscord.process.launch_bot`). With
    `fail_fast`, any wait on the fake fails at once if the process dies unexpectedly. Every
    process is stopped (SIGTERM, then SIGKILL) at teardown; on failure the log tails are in the
    report."""
    started: list[BotProcess] = []
    request.node.stash[_BOTS] = started

    async def start(*args: str, **kwargs: Any) -> BotProcess:
        bot = await launch_bot(fake_discord, tmp_path, *args, **kwargs)
        started.append(bot)
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


@pytest.fixture(scope="session")
def index() -> FaqIndex:
    """The shipped FAQ, indexed (a module may override it with its own)."""
    return FaqIndex(load_faq(SHIPPED_FAQ_DIR))


@pytest.fixture(scope="session")
def faq(index: FaqIndex) -> Faq:
    return index.faq
