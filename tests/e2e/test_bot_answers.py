"""End-to-end: every command, autocomplete, button, select menu, the context menu, mentions and
DMs, through the fake Discord, with one bot process (started like `faqbot run`) for the module.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.engine.index import FaqIndex
from bot.engine.models import Outcome
from tests.e2e import test_bot_support as support
from tests.e2e.test_bot_support import (
    EPHEMERAL,
    NO_PINGS,
    SOURCE_FOOTER,
    Channels,
    assert_no_pings,
    embed,
    start_bot,
)
from tests.fakediscord import BotMessage, Channel, FakeDiscord
from tests.fakediscord.models import next_snowflake
from tests.fakediscord.process import BotProcess
from tests.fakediscord.state import StoredMessage

fake = support.fake
channels = support.channels
faq_dir = support.faq_dir
index = support.index

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

VOTE_ID = re.compile(r"faq:vote:(up|down):([a-z0-9-]+):([0-9a-f]+)")
TIMESTAMP = re.compile(r"<t:(\d+):([DR])>")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(
    fake: FakeDiscord, faq_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[BotProcess]:
    data = tmp_path_factory.mktemp("answers") / "data"
    process = await start_bot(fake, data, env={"FAQ_DIR": str(faq_dir)})
    yield process
    assert await process.stop() == 0
    fake.assert_clean()


def first_outcome(index: FaqIndex, outcome: Outcome, questions: list[str]) -> str:
    for question in questions:
        if index.answer(question).outcome is outcome:
            return question
    pytest.skip(f"none of {questions} gives {outcome} with this FAQ")


def assert_answer_card(message: BotMessage, index: FaqIndex, entry_id: str) -> None:
    entry = index.entry(entry_id)
    assert entry is not None
    card = embed(message)
    assert card["title"] == entry.question
    assert card["description"] == entry.answer
    assert message.embeds[-1]["footer"]["text"] == SOURCE_FOOTER
    assert_no_pings(message)
    ids = message.custom_ids
    votes = [VOTE_ID.fullmatch(i) for i in ids if i.startswith("faq:vote:")]
    assert [(m[1], m[2], m[3]) for m in votes if m] == [
        ("up", entry.id, index.faq.version),
        ("down", entry.id, index.faq.version),
    ]
    assert {"Helpful", "Not helpful"} <= set(message.button_labels)
    related = [i.removeprefix("faq:answer:") for i in ids if i.startswith("faq:answer:")]
    assert len(related) <= 3
    if entry.related:
        assert related == [r for r in entry.related if index.entry(r)][:3]
    links = [c for c in message.walk_components() if c.get("style") == 5]
    if entry.link:
        assert [c["url"] for c in links] == [entry.link]
        assert card["url"] == entry.link
    else:
        assert not links
    for component in message.walk_components():
        assert len(component.get("custom_id", "")) <= 100
        assert len(component.get("label") or "") <= 80


# --- /ask --------------------------------------------------------------------------------


async def test_ask_answers_publicly_with_an_embed(
    fake: FakeDiscord, bot: BotProcess, index: FaqIndex, channels: Channels
) -> None:
    ix = await fake.slash("ask", {"question": "When is the 12MSP?"}, channel=channels.next())
    callback = await ix.callback()
    assert callback.type == 4 and not callback.ephemeral
    message = await ix.response()
    assert_answer_card(message, index, "meeting-dates")
    when = next(f for f in embed(message)["fields"] if "When" in f["name"])
    styles = [style for _, style in TIMESTAMP.findall(when["value"])]
    assert styles == ["D", "D", "R"]
    start, end, _ = (int(t) for t, _ in TIMESTAMP.findall(when["value"]))
    assert end - start == 3 * 86400
    assert "faq:ics:meeting-dates" in message.custom_ids


async def test_ask_private_is_ephemeral(
    fake: FakeDiscord, bot: BotProcess, index: FaqIndex, channels: Channels
) -> None:
    ix = await fake.slash(
        "ask", {"question": "Where is the 12MSP held?", "private": True}, channel=channels.next()
    )
    message = await ix.response()
    assert (await ix.callback()).flags & EPHEMERAL
    assert message.ephemeral
    assert_answer_card(message, index, "meeting-venue")


async def test_ask_autocomplete_then_pick(
    fake: FakeDiscord, bot: BotProcess, index: FaqIndex, channels: Channels
) -> None:
    choices = await (await fake.autocomplete("ask", "question", "where is the venu")).choices()
    assert 2 <= len(choices) <= 25
    assert choices[0] == {"name": "where is the venu", "value": "where is the venu"}
    assert all(1 <= len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)
    picks = [c["value"] for c in choices[1:]]
    assert all(v.startswith("id:") for v in picks)
    assert "id:meeting-venue" in picks
    empty = await (await fake.autocomplete("ask", "question", "")).choices()
    assert 1 <= len(empty) <= 25

    pick = next(c for c in choices if c["value"] == "id:meeting-venue")
    ix = await fake.slash("ask", {"question": pick["value"]}, channel=channels.next())
    assert_answer_card(await ix.response(), index, "meeting-venue")


async def test_ask_low_confidence_offers_did_you_mean(
    fake: FakeDiscord, bot: BotProcess, index: FaqIndex, channels: Channels
) -> None:
    question = first_outcome(
        index, Outcome.SUGGESTED, ["the weapon", "states", "who", "date", "msp"]
    )
    expected = [c.entry.id for c in index.answer(question).alternatives][:3]
    channel = channels.next()
    ix = await fake.slash("ask", {"question": question}, channel=channel)
    message = await ix.response()
    assert not message.ephemeral
    assert "Did you mean" in message.content
    assert message.custom_ids == [f"faq:answer:{i}" for i in expected]
    assert message.allowed_mentions == NO_PINGS

    click = await fake.click(message, f"faq:answer:{expected[0]}")
    answer = await click.response()
    assert not answer.ephemeral
    assert_answer_card(answer, index, expected[0])


async def test_ask_says_plainly_what_the_release_does_not_say(
    fake: FakeDiscord, bot: BotProcess, index: FaqIndex, channels: Channels
) -> None:
    question = "where is the ICRC based"
    assert index.answer(question).outcome is Outcome.NOT_STATED
    ix = await fake.slash("ask", {"question": question}, channel=channels.next())
    message = await ix.response()
    assert message.content.startswith("The release does not give that (a place).")
    assert_answer_card(message, index, "icrc-participation")


async def test_ask_corrects_a_wrong_premise(
    fake: FakeDiscord, bot: BotProcess, index: FaqIndex, channels: Channels
) -> None:
    ix = await fake.slash("ask", {"question": "is it in November?"}, channel=channels.next())
    message = await ix.response()
    assert message.content == "No — 10–13 September 2024."
    assert_answer_card(message, index, "meeting-dates")


async def test_ask_declines_politely_and_privately(
    fake: FakeDiscord, bot: BotProcess, index: FaqIndex, channels: Channels
) -> None:
    question = "what about the weather in paris **tomorrow** @everyone <@&123456789012345678>"
    assert index.answer(question).outcome is Outcome.DECLINED
    ix = await fake.slash("ask", {"question": question}, channel=channels.next())
    message = await ix.response()
    assert message.ephemeral and message.allowed_mentions == NO_PINGS
    assert "/faq" in message.content
    for topic in index.faq.topics:
        assert topic.title in message.content
    assert "\\*\\*tomorrow\\*\\*" in message.content
    assert "@everyone" not in message.content.replace("@\u200beveryone", "")
    assert "<@&" not in message.content


async def test_same_answer_in_the_same_channel_links_to_the_first(
    fake: FakeDiscord, bot: BotProcess, index: FaqIndex, channels: Channels
) -> None:
    channel = channels.next()
    first = await (
        await fake.slash("ask", {"question": "who takes part?"}, channel=channel)
    ).response()
    assert not first.ephemeral
    again = await fake.slash("ask", {"question": "who takes part?"}, user="carol", channel=channel)
    second = await again.response()
    assert second.ephemeral
    assert f"/channels/{fake.guild.id}/{channel.id}/{first.id}" in second.content
    assert embed(second)["title"] == embed(first)["title"]
    elsewhere = await fake.slash("ask", {"question": "who takes part?"}, channel=channels.next())
    assert not (await elsewhere.response()).ephemeral


async def test_related_button_answers_that_entry(
    fake: FakeDiscord, bot: BotProcess, index: FaqIndex, channels: Channels
) -> None:
    ix = await fake.slash(
        "ask", {"question": "What is the ISU phone number?"}, channel=channels.next()
    )
    message = await ix.response()
    related = [i for i in message.custom_ids if i.startswith("faq:answer:")]
    assert related
    click = await fake.click(message, related[0], user="bob")
    answer = await click.response()
    assert_answer_card(answer, index, related[0].removeprefix("faq:answer:"))


async def test_vote_buttons_thank_privately(
    fake: FakeDiscord, bot: BotProcess, index: FaqIndex, channels: Channels
) -> None:
    ix = await fake.slash(
        "ask", {"question": "What does 12MSP stand for?"}, channel=channels.next()
    )
    message = await ix.response()
    for kind in ("up", "down"):
        custom_id = f"faq:vote:{kind}:what-is-12msp:{index.faq.version}"
        click = await fake.click(message, custom_id, user="carol")
        thanks = await click.response()
        assert thanks.ephemeral
        assert thanks.content == "Merci pour votre avis", "carol did not ask: her French"


async def test_calendar_button_sends_an_ics_file(
    fake: FakeDiscord, bot: BotProcess, channels: Channels
) -> None:
    ix = await fake.slash("ask", {"question": "How long is the 12MSP?"}, channel=channels.next())
    message = await ix.response()
    click = await fake.click(message, "faq:ics:meeting-duration")
    reply = await click.response()
    assert reply.ephemeral
    assert [f.filename for f in reply.files] == ["meeting-dates.ics"]
    assert b"DTSTART;VALUE=DATE:20240910\r\n" in reply.files[0].data


# --- topic commands -------------------------------------------------------------------------


def parse_ics(data: bytes) -> dict[str, str]:
    text = data.decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")
    unfolded = text.replace("\r\n ", "")
    fields = {}
    for line in unfolded.split("\r\n"):
        if line:
            key, _, value = line.partition(":")
            fields.setdefault(key, value)
    return fields


async def test_dates_answers_with_a_calendar_file(
    fake: FakeDiscord, bot: BotProcess, index: FaqIndex, channels: Channels
) -> None:
    ix = await fake.slash("dates", channel=channels.next())
    message = await ix.response()
    lead = index.faq.topic("dates").entry_ids[0]
    assert_answer_card(message, index, lead)
    assert [a["filename"] for a in message.attachments] == [f"{lead}.ics"]
    fields = parse_ics(message.files[0].data)
    assert fields["BEGIN"] == "VCALENDAR" and fields["VERSION"] == "2.0"
    assert fields["DTSTART;VALUE=DATE"] == "20240910"
    assert fields["DTEND;VALUE=DATE"] == "20240914"
    assert fields["UID"] and re.fullmatch(r"\d{8}T\d{6}Z", fields["DTSTAMP"])
    assert "Twelfth Meeting of States Parties" in fields["SUMMARY"]
    assert fields["LOCATION"] == "UN Geneva"
    assert "faq:ics:" + lead not in message.custom_ids


@pytest.mark.parametrize("command", ["venue", "participation", "obligations"])
async def test_topic_commands_answer_the_topic_lead(
    fake: FakeDiscord, bot: BotProcess, index: FaqIndex, channels: Channels, command: str
) -> None:
    ix = await fake.slash(command, channel=channels.next())
    message = await ix.response()
    assert not message.ephemeral
    assert_answer_card(message, index, index.faq.topic(command).entry_ids[0])


# --- /faq browsing --------------------------------------------------------------------------


async def test_faq_browse_topic_question_answer(
    fake: FakeDiscord, bot: BotProcess, index: FaqIndex, channels: Channels
) -> None:
    faq = index.faq
    ix = await fake.slash("faq", channel=channels.next())
    menu = await ix.response()
    assert menu.ephemeral and menu.custom_ids == ["faq:browse:topics"]
    options = menu.component("faq:browse:topics")["options"]
    assert [o["value"] for o in options] == [t.id for t in faq.topics]

    picked = await fake.select(menu, "faq:browse:topics", ["venue"])
    assert (await picked.callback()).type == 7
    topic_menu = await picked.response()
    assert topic_menu.id == menu.id
    assert embed(topic_menu)["title"] == faq.topic("venue").title
    questions = topic_menu.component("faq:browse:topic:venue")["options"]
    assert [o["value"] for o in questions] == list(faq.topic("venue").entry_ids)

    chosen = await fake.select(topic_menu, "faq:browse:topic:venue", ["dialogue-location"])
    answer = await chosen.response()
    assert answer.ephemeral and answer.id == menu.id
    assert_answer_card(answer, index, "dialogue-location")
    assert "faq:browse:topic:venue" in answer.custom_ids


async def test_faq_with_topic_and_topic_autocomplete(
    fake: FakeDiscord, bot: BotProcess, index: FaqIndex, channels: Channels
) -> None:
    choices = await (await fake.autocomplete("faq", "topic", "ven")).choices()
    assert choices[0] == {"name": "Venue", "value": "venue"}
    ix = await fake.slash("faq", {"topic": "contact"}, channel=channels.next())
    message = await ix.response()
    assert message.ephemeral
    assert embed(message)["title"] == index.faq.topic("contact").title
    assert "faq:browse:topic:contact" in message.custom_ids
    unknown = await (await fake.slash("faq", {"topic": "zzz"}, channel=channels.next())).response()
    assert unknown.ephemeral and "zzz" in unknown.content


# --- /about -----------------------------------------------------------------------------------


async def test_about_names_the_source_and_the_isu_contact(
    fake: FakeDiscord, bot: BotProcess, index: FaqIndex, channels: Channels
) -> None:
    message = await (await fake.slash("about", channel=channels.next())).response()
    assert message.ephemeral and message.allowed_mentions == NO_PINGS
    text = message.text
    assert "press release" in text and "5 September 2024" in text
    assert "info@cmconvention.org" in text and "+41 22 730 9761" in text
    assert embed(message)["footer"]["text"].startswith(SOURCE_FOOTER)


# --- context menu, mentions, DMs ----------------------------------------------------------------


async def test_context_menu_answers_the_target_message(
    fake: FakeDiscord, bot: BotProcess, index: FaqIndex, channels: Channels
) -> None:
    channel = channels.next()
    asked = await fake.message(
        "Where is the 12MSP held?", mention_bot=False, channel=channel, user="carol"
    )
    ix = await fake.context_menu("Answer with FAQ", asked.id, user="bob")
    message = await ix.response()
    assert not message.ephemeral
    assert str(asked.id) in message.content
    assert_answer_card(message, index, "meeting-venue")


async def test_mention_is_answered_in_a_reply(
    fake: FakeDiscord, bot: BotProcess, index: FaqIndex, channels: Channels
) -> None:
    channel = channels.next()
    asked = await fake.message("when is the 12msp? @everyone", channel=channel)
    reply = await asked.reply()
    assert reply.message_reference["message_id"] == str(asked.id)
    assert_answer_card(reply, index, "meeting-dates")
    assert reply.payload.get("mention_everyone") is False

    silent = await fake.message("when is the 12msp?", mention_bot=False, channel=channels.next())
    await silent.expect_no_reply(within=0.5)


async def test_dm_is_answered_and_commands_work_in_dms(
    fake: FakeDiscord, bot: BotProcess, index: FaqIndex
) -> None:
    asked = await fake.message("where is the 12msp held?", dm=True, mention_bot=False, user="carol")
    reply = await asked.reply()
    assert_answer_card(reply, index, "meeting-venue")
    ix = await fake.slash("ask", {"question": "What does 12MSP stand for?"}, dm=True, user="carol")
    assert_answer_card(await ix.response(), index, "what-is-12msp")


async def test_misses_and_votes_reach_the_store(
    fake: FakeDiscord, bot: BotProcess, index: FaqIndex, channels: Channels
) -> None:
    """The QuestionEvent hook and the vote buttons feed the store (bot/store.py, wired by the
    admin cog): a decline is recorded as a miss with its source, a vote under the FAQ version."""
    assert bot.data_dir is not None
    database = bot.data_dir / "faqbot.sqlite3"
    if not database.exists():
        pytest.skip("no store in this build")
    channel = channels.next()
    question = "is there a shuttle bus from the airport to the zoo"
    assert index.answer(question).outcome is Outcome.DECLINED
    await (await fake.slash("ask", {"question": question}, channel=channel)).response()
    message = await (
        await fake.slash("ask", {"question": "Where is the 12MSP held?"}, channel=channel)
    ).response()
    vote = f"faq:vote:down:meeting-venue:{index.faq.version}"
    await (await fake.click(message, vote, user="bob")).response()

    def rows() -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
        with sqlite3.connect(database) as db:
            misses = db.execute("SELECT question, outcome, source FROM questions").fetchall()
            votes = db.execute("SELECT entry_id, faq_version, helpful FROM votes").fetchall()
        return misses, votes

    wanted_vote = ("meeting-venue", index.faq.version, 0)
    for _ in range(50):
        misses, votes = rows()
        if (question, "declined", "slash") in misses and wanted_vote in votes:
            break
        await asyncio.sleep(0.1)
    assert (question, "declined", "slash") in misses
    assert wanted_vote in votes


def old_bot_message(fake: FakeDiscord, channel: Channel, custom_ids: list[str]) -> int:
    """A message the bot posted long ago (e.g. by an older version), put in the fake's world."""
    stored = StoredMessage(
        id=next_snowflake(),
        channel_id=channel.id,
        guild_id=fake.guild.id,
        author=fake.bot_user,
        member=None,
        content="An old answer",
        components=[
            {
                "type": 1,
                "components": [
                    {"type": 2, "style": 2, "label": "Old", "custom_id": c} for c in custom_ids
                ],
            }
        ],
    )
    fake.state.messages[stored.id] = stored
    return stored.id


async def test_buttons_from_older_versions_are_still_answered(
    fake: FakeDiscord, bot: BotProcess, channels: Channels
) -> None:
    stale = ["faq:legacy-format:42", "faq:answer:an-entry-removed-since"]
    message = old_bot_message(fake, channels.next(), stale)
    for custom_id in stale:
        reply = await (await fake.click(message, custom_id, user="carol")).response()
        assert reply.ephemeral and "/faq" in reply.content
