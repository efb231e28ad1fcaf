"""End-to-end: 1,000 GUILD_IDS of servers the bot is not in (issue 12, fault 6) neither delay
the gateway connection nor flood the log: one request lists the bot's servers, only those are
synced, and the others are named in one line."""

from __future__ import annotations

import time

import pytest

from tests.fakediscord import FakeDiscord
from tests.fakediscord.process import BotProcess

pytestmark = pytest.mark.e2e

ABSENT = 999
FIRST_ABSENT = 100_000_000_000_000_000


async def test_a_thousand_guild_ids_the_bot_is_not_in_cost_one_line_and_no_wait(
    fake_discord: FakeDiscord, bot_process
) -> None:
    guild = fake_discord.world.guild
    absent = [FIRST_ABSENT + n for n in range(ABSENT)]
    started = time.monotonic()
    bot: BotProcess = await bot_process(
        env={"GUILD_IDS": ",".join(str(g) for g in (guild.id, *absent))}, ready_timeout=30
    )
    connected = time.monotonic() - started

    ix = await fake_discord.slash("ask", {"question": "where is the meeting"})
    assert (await ix.response(timeout=30)).embeds
    puts = fake_discord.requests_to("PUT", "/applications/*/guilds/*/commands")
    assert [r.status for r in puts] == [200], [str(r) for r in puts]  # the old bot sent 1,000
    assert len(fake_discord.requests_to("GET", "/users/@me/guilds")) == 1
    lines = bot.output().splitlines()
    [warning] = [line for line in lines if "GUILD_IDS: the bot is not in" in line]
    assert "999 of the 1000 server(s)" in warning
    assert f"{FIRST_ABSENT}, {FIRST_ABSENT + 1}" in warning and "and 994 more" in warning
    assert len(warning) < 400
    assert not [line for line in lines if "could not register commands" in line]
    assert connected < 30  # bounded wait only: the old bot synced 1,000 scopes first
    fake_discord.assert_clean()
