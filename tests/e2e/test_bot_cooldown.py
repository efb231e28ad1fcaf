"""End-to-end: the per-user cooldown on /ask, buttons and mentions (COOLDOWN_RATE=2 per 60 s)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from tests.e2e import test_bot_support as support
from tests.e2e.test_bot_support import Channels, embed, start_bot
from tests.fakediscord import FakeDiscord
from tests.fakediscord.process import BotProcess

fake = support.fake
channels = support.channels
faq_dir = support.faq_dir

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

RETRY = re.compile(
    r"(?:try again in|réessayer dans|intentarlo en) (\d+) (?:seconds?|secondes?|segundos?)"
)
"""The cooldown text in the clicker's language (carol's client is in French)."""


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(
    fake: FakeDiscord, faq_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[BotProcess]:
    data = tmp_path_factory.mktemp("cooldown") / "data"
    env = {"FAQ_DIR": str(faq_dir), "COOLDOWN_RATE": "2", "COOLDOWN_SECONDS": "60"}
    process = await start_bot(fake, data, env=env)
    yield process
    assert await process.stop() == 0
    fake.assert_clean()


def retry_seconds(text: str) -> int:
    found = RETRY.search(text)
    assert found, text
    return int(found.group(1))


async def test_slash_commands_cool_down_privately(
    fake: FakeDiscord, bot: BotProcess, channels: Channels
) -> None:
    for question in ("Where is the 12MSP held?", "When is the 12MSP?"):
        ix = await fake.slash("ask", {"question": question}, channel=channels.next())
        assert not (await ix.response()).ephemeral
    ix = await fake.slash("venue", channel=channels.next())
    refused = await ix.response()
    assert refused.ephemeral and not refused.embeds
    assert 1 <= retry_seconds(refused.content) <= 60
    other = await fake.slash("ask", {"question": "When is the 12MSP?"}, user="owner")
    assert not (await other.response()).ephemeral


async def test_buttons_cool_down_but_votes_do_not(
    fake: FakeDiscord, bot: BotProcess, channels: Channels
) -> None:
    ix = await fake.slash(
        "ask", {"question": "What is the ISU phone number?"}, user="carol", channel=channels.next()
    )
    message = await ix.response()
    related = [i for i in message.custom_ids if i.startswith("faq:answer:")]
    first = await (await fake.click(message, related[0], user="carol")).response()
    assert embed(first)
    cooled = await (await fake.click(message, related[-1], user="carol")).response()
    assert cooled.ephemeral and retry_seconds(cooled.content) >= 1
    vote = next(i for i in message.custom_ids if i.startswith("faq:vote:up:"))
    thanks = await (await fake.click(message, vote, user="carol")).response()
    assert thanks.content == "Thanks for the feedback"  # in the language of the answer


async def test_mentions_cool_down_with_one_reply_then_a_reaction(
    fake: FakeDiscord, bot: BotProcess, channels: Channels
) -> None:
    channel = channels.next()
    for question in ("where is the 12msp held?", "when is the 12msp?"):
        asked = await fake.message(question, user="bob", channel=channel)
        assert embed(await asked.reply())
    told = await fake.message("who takes part?", user="bob", channel=channel)
    reply = await told.reply()
    assert not reply.embeds and retry_seconds(reply.content) >= 1
    quiet = await fake.message("what is the ccm?", user="bob", channel=channel)
    reaction = await fake.wait_for_request(
        "PUT", f"/channels/{channel.id}/messages/{quiet.id}/reactions/*"
    )
    assert reaction.status == 204
    await quiet.expect_no_reply(within=0.3)
