"""End-to-end: interactions that aged while the gateway was down are dropped with one summary
line per second naming that cause, not one line each blaming overload (issue 12, fault 7)."""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.fakediscord import FakeDiscord
from tests.fakediscord.process import BotProcess

pytestmark = pytest.mark.e2e

AGED = 300
OUTAGE_CAUSE = "it waited at Discord while the gateway connection was down"


def dropped_lines(bot: BotProcess) -> list[str]:
    return [line for line in bot.output().splitlines() if "dropped unanswered" in line]


async def test_aged_interactions_after_a_reconnect_are_summed_up_with_their_cause(
    fake_discord: FakeDiscord, bot_process
) -> None:
    bot: BotProcess = await bot_process()
    await fake_discord.force_reconnect(mode="close", code=4000, wait=False)
    aged = [
        await fake_discord.slash(
            "ask", {"question": f"where is the meeting {n}"}, barrier=False, age=2.7
        )
        for n in range(AGED)
    ]
    await fake_discord.wait_resumed(timeout=30)

    deadline = time.monotonic() + 30
    while "more interaction(s) dropped" not in bot.output() and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.5)  # a second summary, if any, is in too

    lines = dropped_lines(bot)
    assert 2 <= len(lines) <= 4, lines  # the old bot wrote 300 lines
    assert all(OUTAGE_CAUSE in line for line in lines), lines
    assert not any("clock is off" in line for line in lines)
    summed = sum(int(line.split(" more interaction")[0].rsplit(" ", 1)[1]) for line in lines[1:])
    assert summed == AGED - 1
    for handle in aged[:5]:
        assert handle.interaction.callback is None
    ix = await fake_discord.slash("ask", {"question": "where is the meeting"})
    assert (await ix.response(timeout=10)).embeds  # and fresh questions are answered
