"""End-to-end: an exception anywhere (command, autocomplete, button, select menu, mention) gets
a private "something went wrong" reply, the moderators are told, and the bot keeps serving.

The faults are injected test-side only: the bot runs as `tests.e2e.test_bot_faulty`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from tests.e2e import test_bot_support as support
from tests.e2e.test_bot_support import NO_PINGS, Channels, assert_no_pings, embed, start_bot
from tests.fakediscord import FakeDiscord
from tests.fakediscord.process import BotProcess

fake = support.fake
channels = support.channels
faq_dir = support.faq_dir

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

FAULTY = "tests.e2e.test_bot_faulty"
ERROR = "Something went wrong; the moderators have been told"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(
    fake: FakeDiscord, faq_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[BotProcess]:
    data = tmp_path_factory.mktemp("errors") / "data"
    env = {"FAQ_DIR": str(faq_dir), "MOD_LOG_CHANNEL_ID": str(fake.world.mod_log.id)}
    process = await start_bot(fake, data, env=env, module=FAULTY)
    yield process
    assert await process.stop() == 0
    fake.assert_clean()


async def assert_still_serving(fake: FakeDiscord, channels: Channels) -> None:
    ix = await fake.slash("ask", {"question": "Where is the 12MSP held?"}, channel=channels.next())
    message = await ix.response()
    assert embed(message)["title"] == "Where is the 12MSP held?"


async def test_command_failure_is_answered_privately_and_reported(
    fake: FakeDiscord, bot: BotProcess, channels: Channels
) -> None:
    before = len(fake.bot_messages)
    ix = await fake.slash("ask", {"question": "please explode"}, channel=channels.next())
    callback = await ix.callback()
    assert callback.type == 4 and callback.ephemeral
    message = await ix.response()
    assert message.content.startswith(ERROR)
    assert message.allowed_mentions == NO_PINGS
    alert = await fake.wait_for_bot_message(channel=fake.world.mod_log, after=before)
    assert "/ask" in alert.content and "InjectedError" in alert.content
    assert "please explode" not in alert.content
    assert alert.allowed_mentions == NO_PINGS
    await assert_still_serving(fake, channels)
    assert bot.returncode is None
    assert "injected engine failure" in bot.output()


async def test_autocomplete_failure_offers_no_choices(
    fake: FakeDiscord, bot: BotProcess, channels: Channels
) -> None:
    ix = await fake.autocomplete("ask", "question", "explode", channel=channels.next())
    callback = await ix.callback()
    assert callback.type == 8 and callback.choices == []


async def test_button_failure_is_answered_privately(
    fake: FakeDiscord, bot: BotProcess, channels: Channels
) -> None:
    ix = await fake.slash(
        "ask", {"question": "What is the ISU email address?"}, channel=channels.next()
    )
    message = await ix.response()
    assert "faq:answer:isu-phone" in message.custom_ids
    click = await fake.click(message, "faq:answer:isu-phone", user="carol")
    reply = await click.response()
    # In carol's language (her client is in French).
    assert reply.ephemeral and reply.content.startswith("Une erreur s'est produite")
    other = next(i for i in message.custom_ids if i.startswith("faq:answer:") and "phone" not in i)
    assert not (await (await fake.click(message, other, user="carol")).response()).ephemeral


async def test_select_failure_is_answered_privately(
    fake: FakeDiscord, bot: BotProcess, channels: Channels
) -> None:
    menu = await (await fake.slash("faq", channel=channels.next())).response()
    picked = await fake.select(menu, "faq:browse:topics", ["positions"])
    reply = await picked.response()
    assert reply.ephemeral and reply.content.startswith(ERROR)
    fine = await (await fake.select(menu, "faq:browse:topics", ["dates"])).response()
    assert fine.id == menu.id and "faq:browse:topic:dates" in fine.custom_ids


async def test_mention_failure_gets_a_short_reply(
    fake: FakeDiscord, bot: BotProcess, channels: Channels
) -> None:
    channel = channels.next()
    asked = await fake.message("explode please", channel=channel)
    reply = await asked.reply()
    assert reply.content.startswith(ERROR)
    assert_no_pings(reply)
    again = await fake.message("where is the 12msp held?", channel=channel)
    assert embed(await again.reply())["title"] == "Where is the 12MSP held?"
