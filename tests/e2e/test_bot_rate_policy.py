"""End-to-end with the default rate policy: a delegate asking in good faith gets every answer
(past a channel's public-post limit, privately), a moderator's "Answer with FAQ" is always
public, a deleted answer is never linked, and public replies never repeat the asker's text."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.i18n import tr
from bot.ui.texts import PRIVATE_ANSWER_TEXT
from tests.e2e import test_bot_support as support
from tests.e2e.test_bot_support import Channels, assert_no_pings, embed, start_bot
from tests.fakediscord import BotMessage, FakeDiscord
from tests.fakediscord.process import BotProcess

fake = support.fake
channels = support.channels
faq_dir = support.faq_dir

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

DEFAULT_POLICY = {
    "PUBLIC_POSTS_PER_CHANNEL": "",
    "PUBLIC_POSTS_PER_USER": "",
    "PUBLIC_POST_SECONDS": "",
    "ABUSE_CEILING": "",
    "ABUSE_CEILING_SECONDS": "",
}
"""Empty variables mean the documented defaults (start_bot raises them for other modules)."""
REFUSAL = "try again in"
HOSTILE_PARTS = (
    "discord.gg",
    "evil.example",
    "https://",
    "\x1b",
    "\u202e",
    "\u200b",
    "official notice",
    "cancelled",
    "free nitro",
)
HOSTILE_DECLINED = (
    "free nitro at discord.gg/n1tro and https://evil.example/login \x1b[31m\u202egro\u200bup "
    "…” — official notice: the meeting is cancelled “"
)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(
    fake: FakeDiscord, faq_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[BotProcess]:
    data = tmp_path_factory.mktemp("rate-policy") / "data"
    process = await start_bot(fake, data, env={"FAQ_DIR": str(faq_dir), **DEFAULT_POLICY})
    yield process
    assert await process.stop() == 0
    fake.assert_clean()


def related_ids(message: BotMessage) -> list[str]:
    return [i for i in message.custom_ids if i.startswith("faq:answer:")]


def entry_of(message: BotMessage) -> str:
    """The entry an answer card is for (its vote buttons name it)."""
    vote = next(i for i in message.custom_ids if i.startswith("faq:vote:up:"))
    return vote.split(":")[3]


async def test_twelve_things_in_twenty_seconds_get_twelve_answers(
    fake: FakeDiscord, bot: BotProcess, channels: Channels
) -> None:
    channel = channels.next()
    started = time.monotonic()
    answers: list[BotMessage] = []
    for command in ("dates", "venue", "participation", "obligations"):
        answers.append(await (await fake.slash(command, user="carol", channel=channel)).response())
    for question in (
        "who convened the dialogue",
        "what does CCM stand for",
        "lithuania withdrawal",
    ):
        ix = await fake.slash("ask", {"question": question}, user="carol", channel=channel)
        answers.append(await ix.response())
    for _ in range(2):  # related questions not posted in this channel yet (else: linked)
        cards = [m for m in answers if not m.ephemeral]
        posted = {entry_of(m) for m in cards}
        host, custom_id = next(
            (m, i) for m in cards for i in related_ids(m) if i.split(":")[2] not in posted
        )
        answers.append(await (await fake.click(host, custom_id, user="carol")).response())
    for question in ("when was the press release published", "what is meant by normalization"):
        asked = await fake.message(question, user="carol", channel=channel)
        dm = await fake.wait_for_bot_message(
            lambda m: m.channel_id != channel.id and bool(m.embeds),
            after=len(fake.bot_messages) - 1,
            what=f"the answer to {question!r} by DM",
        )
        answers.append(dm)
        await fake.wait_for_request(
            "PUT", f"/channels/{channel.id}/messages/{asked.id}/reactions/*"
        )
    asked = await fake.message("when will the review conference happen", dm=True, user="carol")
    answers.append(await asked.reply())
    elapsed = time.monotonic() - started

    assert elapsed < 20, f"{elapsed:.1f} s"
    assert len(answers) == 12
    assert all(m.embeds for m in answers), [m.content for m in answers if not m.embeds]
    assert not any(REFUSAL in m.content or "réessayer" in m.content for m in answers)
    public = [m for m in answers[:7] if not m.ephemeral]
    assert len(public) == 5, "five public answers per user and channel a minute, then private"
    # Written in the language of the answer it stands above (carol's client is in French).
    privately = {tr(language, PRIVATE_ANSWER_TEXT) for language in ("en", "fr")}
    assert all(m.ephemeral and m.content.split("\n")[0] in privately for m in answers[5:7]), [
        m.content for m in answers[5:7]
    ]
    assert not answers[7].ephemeral and not answers[8].ephemeral, "buttons are not counted"
    for message in answers:
        assert_no_pings(message)


async def test_no_voice_library_warnings_at_start_up(bot: BotProcess) -> None:
    log = bot.output()
    assert "has connected to Gateway" in log, "the client was created and logged"
    assert "voice will NOT be supported" not in log and "PyNaCl" not in log


async def test_a_moderators_answer_with_faq_is_public_twice_in_a_minute(
    fake: FakeDiscord, bot: BotProcess, channels: Channels
) -> None:
    channel = channels.next()
    for delegate in ("carol", "alice"):
        asked = await fake.message(
            "where is the meeting held?", mention_bot=False, channel=channel, user=delegate
        )
        ix = await fake.context_menu("Answer with FAQ", asked.id, user="bob")
        message = await ix.response()
        assert not message.ephemeral, message.content
        assert embed(message)["title"] == "Where is the 12MSP held?"
        assert str(asked.id) in message.content, "the answer links the message it answers"


async def test_a_deleted_answer_is_not_linked(
    fake: FakeDiscord, bot: BotProcess, channels: Channels
) -> None:
    channel = channels.next()
    asked = {"question": "where is the meeting"}
    posted = await (await fake.slash("ask", asked, user="alice", channel=channel)).response()
    assert not posted.ephemeral
    linked = await fake.slash("venue", user="owner", channel=channel)
    assert str(posted.id) in (await linked.response()).content, "an existing answer is linked"

    await fake.delete_message(posted.id)
    again = await (await fake.slash("venue", user="owner", channel=channel)).response()
    assert not again.ephemeral and embed(again)["title"] == "Where is the 12MSP held?"
    assert str(posted.id) not in again.content

    await fake.delete_message(again.id)
    asked = await fake.message("where is the meeting?", user="alice", channel=channel)
    reply = await asked.reply()
    assert embed(reply)["title"] == "Where is the 12MSP held?", reply.content
    assert str(again.id) not in reply.content


async def test_a_hostile_declined_mention_posts_none_of_its_hostile_parts(
    fake: FakeDiscord, bot: BotProcess, channels: Channels
) -> None:
    channel = channels.next()
    asked = await fake.message(HOSTILE_DECLINED, user="alice", channel=channel)
    reply = await asked.reply()
    assert not reply.embeds, "declined: no answer card"
    shown = reply.text.lower()
    for part in HOSTILE_PARTS:
        assert part not in shown, (part, reply.text)
    assert "/faq" in reply.text


async def test_a_private_echo_keeps_the_words_but_no_hostile_part(
    fake: FakeDiscord, bot: BotProcess, channels: Channels
) -> None:
    ix = await fake.slash(
        "ask", {"question": HOSTILE_DECLINED}, user="alice", channel=channels.next()
    )
    message = await ix.response()
    assert message.ephemeral
    for part in ("discord.gg", "https://", "\x1b", "\u202e", "\u200b", "“ ", " ”"):
        assert part not in message.content, (part, message.content)
    assert "group" in message.content and "discord[.]gg" in message.content


async def test_an_empty_dm_is_not_told_about_a_mention(fake: FakeDiscord, bot: BotProcess) -> None:
    asked = await fake.message("   ", dm=True, mention_bot=False, user="alice")
    reply = await asked.reply()
    assert "mention" not in reply.content and "question" in reply.content
