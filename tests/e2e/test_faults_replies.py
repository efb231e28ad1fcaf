"""End-to-end: a miss is recorded whether or not its reply could be sent (issue 12, fault 4),
and a 429 that outlasts Discord's 3 s is an expired interaction, not a crash (fault 7)."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest

from tests.fakediscord import FakeDiscord
from tests.fakediscord.process import BotProcess

pytestmark = pytest.mark.e2e

WAIT = 30.0
CALLBACK_ROUTE = "/interactions/{id}/{token}/callback"
BAD_GATEWAY = {"message": "502: Bad Gateway", "code": 0}
DISCORD_5XX_TRIES = 5
"""discord.py sends a request at most this many times when Discord answers 5xx."""


def questions_in(database: Path) -> list[str]:
    if not database.exists():
        return []
    with sqlite3.connect(database) as db:
        return [r[0] for r in db.execute("SELECT question FROM questions ORDER BY id")]


async def wait_for_rows(database: Path, expected: list[str]) -> None:
    deadline = time.monotonic() + WAIT
    while questions_in(database) != expected and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert questions_in(database) == expected


async def test_a_mention_whose_reply_fails_with_502s_is_still_recorded(
    fake_discord: FakeDiscord, bot_process, tmp_path: Path
) -> None:
    bot: BotProcess = await bot_process()
    channel = fake_discord.world.faq
    for _ in range(DISCORD_5XX_TRIES):
        fake_discord.answer_next_with(502, BAD_GATEWAY, "POST", f"/channels/{channel.id}/messages")

    await fake_discord.message("where to network please", channel=channel, user="bob")

    await wait_for_rows(tmp_path / "data" / "faqbot.sqlite3", ["where to network please"])
    deadline = time.monotonic() + WAIT
    while "could not reply to message" not in bot.output() and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    [line] = [x for x in bot.output().splitlines() if "could not reply to message" in x]
    assert "Discord answered 502 after retries" in line
    assert "Traceback" not in bot.output()
    assert bot.returncode is None


async def test_a_429_past_discords_3_s_is_an_expired_interaction_and_the_miss_is_kept(
    fake_discord: FakeDiscord, bot_process, tmp_path: Path
) -> None:
    bot: BotProcess = await bot_process()
    fake_discord.answer_next_with_429("POST", CALLBACK_ROUTE, retry_after=3.5)

    ix = await fake_discord.slash("ask", {"question": "what about pizza"})

    await wait_for_rows(tmp_path / "data" / "faqbot.sqlite3", ["what about pizza"])
    deadline = time.monotonic() + WAIT
    while "Unknown interaction" not in bot.output() and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    output = bot.output()
    assert "10062 Unknown interaction" in output
    assert "Traceback" not in output
    assert ix.interaction.callback is None  # Discord refused the late reply; nothing shown
