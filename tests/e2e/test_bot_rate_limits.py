"""End-to-end: the rate policy with low limits (PUBLIC_POSTS_PER_USER=2, ABUSE_CEILING=6 per
60 s): past the public-post limit answers go private, never refused; the bot's own buttons
are not counted; past the abuse ceiling the bot refuses in words, once per window for
mentions."""

from __future__ import annotations

import asyncio
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

RETRY = re.compile(r"try again in (\d+) seconds?")
CEILING = 6


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(
    fake: FakeDiscord, faq_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[BotProcess]:
    data = tmp_path_factory.mktemp("rate-limits") / "data"
    env = {
        "FAQ_DIR": str(faq_dir),
        "PUBLIC_POSTS_PER_USER": "2",
        "PUBLIC_POST_SECONDS": "60",
        "ABUSE_CEILING": str(CEILING),
        "ABUSE_CEILING_SECONDS": "60",
    }
    process = await start_bot(fake, data, env=env)
    yield process
    assert await process.stop() == 0
    fake.assert_clean()


def retry_seconds(text: str) -> int:
    found = RETRY.search(text)
    assert found, text
    return int(found.group(1))


async def test_past_the_public_limit_slash_answers_are_private_not_refused(
    fake: FakeDiscord, bot: BotProcess, channels: Channels
) -> None:
    channel = channels.next()
    for question in ("Where is the 12MSP held?", "When is the 12MSP?"):
        ix = await fake.slash("ask", {"question": question}, user="alice", channel=channel)
        assert not (await ix.response()).ephemeral
    private = await (await fake.slash("participation", user="alice", channel=channel)).response()
    assert private.ephemeral and embed(private)["title"], private.content
    assert "try again" not in private.content
    other = await fake.slash("obligations", user="owner", channel=channel)
    assert not (await other.response()).ephemeral, "the limit is per user"
    elsewhere = await fake.slash("participation", user="alice", channel=channels.next())
    assert not (await elsewhere.response()).ephemeral, "and per channel"


async def test_the_bots_own_buttons_are_not_counted(
    fake: FakeDiscord, bot: BotProcess, channels: Channels
) -> None:
    channel = channels.next()
    ix = await fake.slash(
        "ask", {"question": "What is the ISU phone number?"}, user="carol", channel=channel
    )
    message = await ix.response()
    await (await fake.slash("venue", user="carol", channel=channel)).response()
    related = [i for i in message.custom_ids if i.startswith("faq:answer:")]
    for custom_id in related[:2]:
        clicked = await (await fake.click(message, custom_id, user="carol")).response()
        assert embed(clicked) and not clicked.ephemeral
    vote = next(i for i in message.custom_ids if i.startswith("faq:vote:up:"))
    thanks = await (await fake.click(message, vote, user="carol")).response()
    assert thanks.content == "Thanks for the feedback"


async def test_past_the_ceiling_a_mention_is_refused_in_words_once_per_window(
    fake: FakeDiscord, bot: BotProcess, channels: Channels
) -> None:
    channel = channels.next()
    for _ in range(CEILING):
        asked = await fake.message("where is the 12msp held?", user="bob", channel=channel)
        await asked.reply()
    told = await fake.message("who takes part?", user="bob", channel=channel)
    reply = await told.reply()
    assert not reply.embeds and 1 <= retry_seconds(reply.content) <= 60
    quiet = await fake.message("what is the ccm?", user="bob", channel=channel)
    await quiet.expect_no_reply(within=0.5)
    await asyncio.sleep(0.2)
    reactions = fake.requests_to("PUT", f"/channels/{channel.id}/messages/{quiet.id}/reactions/*")
    assert not reactions, "never only a reaction"
    ix = await fake.slash("ask", {"question": "who takes part?"}, user="bob", channel=channel)
    refused = await ix.response()
    assert refused.ephemeral and 1 <= retry_seconds(refused.content) <= 60
    other = await fake.message("who takes part?", user="alice", channel=channel)
    assert embed(await other.reply()), "one user's flood does not touch anyone else"


async def test_past_the_public_limit_a_mention_is_answered_by_dm_or_told_where_to_ask(
    fake: FakeDiscord, bot: BotProcess, channels: Channels
) -> None:
    """owner: 1 request in the first test, 4 here, under the ceiling of 6."""
    channel = channels.next()
    for question in ("who convened the dialogue", "what does CCM stand for"):
        asked = await fake.message(question, user="owner", channel=channel)
        assert embed(await asked.reply())
    dm_channel = fake.state.dm_channel(fake.member("owner").user)
    busy = await fake.message("lithuania withdrawal", user="owner", channel=channel)
    direct = await fake.wait_for_bot_message(
        lambda m: bool(m.embeds), channel=dm_channel, what="the answer by DM"
    )
    assert str(busy.id) in direct.content, "the DM says which question it answers"
    await fake.wait_for_request("PUT", f"/channels/{channel.id}/messages/{busy.id}/reactions/*")
    await busy.expect_no_reply(within=0.3)

    fake.answer_next_with(
        403,
        {"message": "Cannot send messages to this user", "code": 50007},
        "POST",
        f"/channels/{dm_channel.id}/messages",
    )
    closed = await fake.message(
        "when was the press release published", user="owner", channel=channel
    )
    told = await closed.reply()
    assert not told.embeds and "/ask" in told.content and "private" in told.content
