""" "Ask the organisers" through the fake Discord: a declined question goes to the moderators
as a card, a moderator answers, and the delegate gets the answer by DM, or (DMs closed,
50007) as a channel reply that pings only them; identical questions merged; only
moderators may press the card's buttons; the card keeps working across a restart."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.services.store import DB_FILE
from tests.e2e.test_bot_support import start_bot
from tests.fakediscord import ChannelType, FakeDiscord, Perm, World, default_world
from tests.fakediscord.process import BotProcess
from tests.fakediscord.records import BotMessage

pytestmark = pytest.mark.e2e

WAIT = 30.0
QUESTION = "where can I network?"
ANSWER = "The network is UNOG-Guest; the password is at the registration desk."


def env(fake: FakeDiscord, **extra: str) -> dict[str, str]:
    world = fake.world
    return {
        "GUILD_IDS": str(world.guild.id),
        "HANDOFF_CHANNEL_ID": str(world.mod_log.id),
        **extra,
    }


def inputs(modal: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    for row in modal.get("components") or []:
        yield from row.get("components") or [row.get("component") or {}]


async def hand_off(fake: FakeDiscord, user: Any, question: str = QUESTION) -> BotMessage:
    """The delegate asks, is declined, presses "Ask the organisers" and sends the form;
    the private confirmation."""
    declined = await (
        await fake.slash("ask", {"question": question, "private": True}, user=user)
    ).response(timeout=WAIT)
    assert declined.ephemeral
    [ask] = [i for i in declined.custom_ids if i.startswith("faq:handoff:ask:")]
    assert "Ask the organisers" in declined.button_labels
    click = await fake.click(declined, ask, user=user)
    modal = await click.modal(timeout=WAIT)
    assert modal["custom_id"] == "faq:handoff:form"
    filled = {i["custom_id"]: i.get("value") for i in inputs(modal)}
    assert filled["question"] == question, "the question is filled in"
    sent = await fake.submit_modal(
        "faq:handoff:form",
        {"context": "I am with the <@&123456789012345678> delegation"},
        user=user,
        source=click,
    )
    confirmation = await sent.response(timeout=WAIT)
    assert confirmation.ephemeral
    # In the language of the reply the button was on (the question's: English here).
    said = confirmation.text
    assert "went to the moderators" in said and "direct message" in said
    return confirmation


async def card(fake: FakeDiscord, after: int = 0) -> BotMessage:
    return await fake.wait_for_bot_message(
        lambda m: "Question for the organisers" in m.text and m.source == "channel",
        channel=fake.world.mod_log,
        after=after,
        timeout=WAIT,
        what="the hand-off card",
    )


async def answer(fake: FakeDiscord, posted: BotMessage, text: str = ANSWER) -> BotMessage:
    """Bob (a moderator) presses Answer on the card and sends the form; his private report."""
    [button] = [i for i in posted.custom_ids if re.fullmatch(r"mod:handoff:answer:\d+", i)]
    click = await fake.click(posted, button, user=fake.world.bob)
    modal = await click.modal(timeout=WAIT)
    handoff_id = button.rsplit(":", 1)[1]
    assert modal["custom_id"] == f"mod:handoff:answer-form:{handoff_id}"
    sent = await fake.submit_modal(
        modal["custom_id"], {"answer": text}, user=fake.world.bob, source=click
    )
    report = await sent.response(timeout=WAIT)
    assert report.ephemeral
    return report


async def answer_with_dms_closed(fake: FakeDiscord, posted: BotMessage, asker: Any) -> BotMessage:
    """Bob answers while the asker takes no DMs (50007): the channel reply pinging them."""
    fake.answer_next_with(
        403,
        {"message": "Cannot send messages to this user", "code": 50007},
        "POST",
        "/channels/{channel_id}/messages",
    )
    before = len(fake.bot_messages)
    report = await answer(fake, posted)
    assert "1 as a reply in the channel where they asked" in report.text
    return await fake.wait_for_bot_message(
        lambda m: m.content.startswith(f"<@{asker.user.id}>"), after=before, timeout=WAIT
    )


def dm_channel_id(fake: FakeDiscord, member: Any) -> int:
    return fake.state.dm_channel(member.user).id


def askers(data: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(data / DB_FILE) as db:
        return db.execute("SELECT user_id, delivery FROM handoff_askers").fetchall()


async def test_the_whole_path_with_the_answer_by_dm(fake_discord: FakeDiscord, tmp_path: Path):
    world = fake_discord.world
    bot = await start_bot(fake_discord, tmp_path / "data", env=env(fake_discord))
    await hand_off(fake_discord, world.alice)

    posted = await card(fake_discord)
    assert posted.allowed_mentions == {"parse": []}
    text = posted.text
    assert "can I network" in text
    assert "delegation" in text and "<@&123456789012345678>" not in text, "escaped"
    fields = {f["name"]: f["value"] for f in posted.embeds[0]["fields"]}
    assert f"https://discord.com/channels/{world.guild.id}/" in fields["Asked"]
    assert fields["Asked by"] == "1 delegate"
    assert "`" in fields["Closest FAQ entries"]
    assert set(posted.button_labels) == {"Answer", "Answer with an FAQ entry", "Not for the FAQ"}
    assert askers(tmp_path / "data") == [(world.alice.user.id, "pending")]

    before = len(fake_discord.bot_messages)
    report = await answer(fake_discord, posted)
    assert "1 by direct message" in report.text
    dm = await fake_discord.wait_for_bot_message(
        channel=dm_channel_id(fake_discord, world.alice), after=before, timeout=WAIT
    )
    assert "answered by Bob" in dm.content and "<t:" in dm.content
    assert dm.embeds[0]["description"] == ANSWER
    assert dm.embeds[0]["footer"]["text"] == "Answered by Bob" and dm.embeds[0]["timestamp"]

    edited = await fake_discord.wait_for_bot_message(
        lambda m: m.id == posted.id and "Answered by Bob" in m.text,
        after=before,
        timeout=WAIT,
        what="the card updated",
    )
    assert edited.button_labels == ["Add to the FAQ"]
    [(user_id, delivery)] = askers(tmp_path / "data")
    assert user_id is None and delivery == "dm", "the user id is gone once delivered"

    draft = await (await fake_discord.click(edited, edited.custom_ids[0], user=world.bob)).response(
        timeout=WAIT
    )
    assert draft.ephemeral and 'moderator: "Bob"' in draft.text and ANSWER in draft.text

    listed = await (await fake_discord.slash("faq-admin handoffs", user=world.bob)).response(
        timeout=WAIT
    )
    assert "Open hand-offs (0)" in listed.text and "Median time to answer" in listed.text
    assert await bot.stop() == 0
    fake_discord.assert_clean()


async def test_closed_dms_get_a_channel_reply_pinging_only_the_asker(
    fake_discord: FakeDiscord, tmp_path: Path
):
    world = fake_discord.world
    bot = await start_bot(fake_discord, tmp_path / "data", env=env(fake_discord))
    await hand_off(fake_discord, world.alice)
    posted = await card(fake_discord)
    reply = await answer_with_dms_closed(fake_discord, posted, world.alice)
    assert reply.channel_id != world.mod_log.id
    mentions = reply.allowed_mentions or {}
    assert mentions.get("parse") == []
    assert [str(u) for u in mentions.get("users", [])] == [str(world.alice.user.id)]
    assert reply.embeds[0]["description"] == ANSWER
    assert askers(tmp_path / "data") == [(None, "channel")]
    assert await bot.stop() == 0


async def test_two_askers_one_card_both_answered(fake_discord: FakeDiscord, tmp_path: Path):
    world = fake_discord.world
    bot = await start_bot(fake_discord, tmp_path / "data", env=env(fake_discord))
    await hand_off(fake_discord, world.alice)
    posted = await card(fake_discord)
    second = await hand_off(fake_discord, world.carol, QUESTION.upper())
    # Carol's client is French, but she asked in English: she reads the English reply's
    # language (a French question is in test_a_french_askers_handoff_...).
    assert "you will both get the answer" in second.text
    merged = await fake_discord.wait_for_bot_message(
        lambda m: m.id == posted.id and "2 delegates" in m.text, timeout=WAIT
    )
    cards = [m for m in fake_discord.bot_messages if m.source == "channel"]
    assert [m.id for m in cards if "Question for the organisers" in m.text] == [posted.id]

    before = len(fake_discord.bot_messages)
    report = await answer(fake_discord, merged)
    assert "2 by direct message" in report.text
    for member in (world.alice, world.carol):
        dm = await fake_discord.wait_for_bot_message(
            channel=dm_channel_id(fake_discord, member), after=before, timeout=WAIT
        )
        assert dm.embeds[0]["description"] == ANSWER
    assert sorted(askers(tmp_path / "data")) == [(None, "dm"), (None, "dm")]
    assert await bot.stop() == 0


async def test_only_moderators_press_the_cards_buttons(fake_discord: FakeDiscord, tmp_path: Path):
    world = fake_discord.world
    bot = await start_bot(fake_discord, tmp_path / "data", env=env(fake_discord))
    await hand_off(fake_discord, world.alice)
    posted = await card(fake_discord)
    [button] = [i for i in posted.custom_ids if i.startswith("mod:handoff:answer:")]
    refused = await (await fake_discord.click(posted, button, user=world.carol)).response(
        timeout=WAIT
    )
    assert refused.ephemeral and "Only FAQ moderators" in refused.text
    assert askers(tmp_path / "data") == [(world.alice.user.id, "pending")]
    assert "refused hand-off answer" in bot.output()
    assert await bot.stop() == 0


async def test_a_restart_between_question_and_answer(fake_discord: FakeDiscord, tmp_path: Path):
    world = fake_discord.world
    data = tmp_path / "data"
    first: BotProcess = await start_bot(fake_discord, data, env=env(fake_discord), name="first")
    await hand_off(fake_discord, world.alice)
    posted = await card(fake_discord)
    assert await first.stop() == 0

    second = await start_bot(fake_discord, data, env=env(fake_discord), name="second")
    listed = await (await fake_discord.slash("faq-admin handoffs", user=world.bob)).response(
        timeout=WAIT
    )
    assert "Open hand-offs (1)" in listed.text and "network" in listed.text
    before = len(fake_discord.bot_messages)
    await answer(fake_discord, posted)
    dm = await fake_discord.wait_for_bot_message(
        channel=dm_channel_id(fake_discord, world.alice), after=before, timeout=WAIT
    )
    assert dm.embeds[0]["description"] == ANSWER
    assert await second.stop() == 0
    fake_discord.assert_clean()


FRENCH_QUESTION = "Où puis-je fumer pendant la réunion ?"


async def test_a_french_askers_handoff_is_answered_in_french_also_after_a_restart(
    fake_discord: FakeDiscord, tmp_path: Path
):
    """Carol asks in French; Bob (English) answers after a restart: the outcome, its footer,
    and the channel reply when her DMs are closed are in French. Bob reads English."""
    world = fake_discord.world
    data = tmp_path / "data"
    first = await start_bot(fake_discord, data, env=env(fake_discord), name="first")
    declined = await (
        await fake_discord.slash(
            "ask", {"question": FRENCH_QUESTION, "private": True}, user=world.carol
        )
    ).response(timeout=WAIT)
    [ask] = [i for i in declined.custom_ids if i.startswith("faq:handoff:ask:")]
    assert ask.endswith(":fr") and "Demander aux organisateurs" in declined.button_labels
    click = await fake_discord.click(declined, ask, user=world.carol)
    modal = await click.modal(timeout=WAIT)
    assert modal["title"] == "Demander aux organisateurs"
    sent = await fake_discord.submit_modal(
        "faq:handoff:form", {"context": ""}, user=world.carol, source=click
    )
    confirmation = await sent.response(timeout=WAIT)
    assert "transmise aux modérateurs" in confirmation.text
    posted = await card(fake_discord)
    fields = {f["name"]: f["value"] for f in posted.embeds[0]["fields"]}
    assert fields["Asked by"] == "1 delegate (reading French)", "moderators read English"
    assert await first.stop() == 0

    second = await start_bot(fake_discord, data, env=env(fake_discord), name="second")
    reply = await answer_with_dms_closed(fake_discord, posted, world.carol)
    assert "(vos messages privés sont fermés)" in reply.content
    assert "Les organisateurs ont répondu à votre question" in reply.content
    assert "réponse de Bob" in reply.content and "<t:" in reply.content
    [answered] = reply.embeds
    assert answered["title"] == "Réponse des organisateurs"
    assert answered["description"] == ANSWER, "the moderator's own words"
    assert answered["footer"]["text"] == "Réponse de Bob"
    assert await second.stop() == 0
    fake_discord.assert_clean()


def world_with_threads() -> World:
    """The standard world, the bot also allowed to create public threads."""
    world = default_world()
    role = replace(
        world.bot_role, permissions=world.bot_role.permissions | Perm.CREATE_PUBLIC_THREADS
    )
    roles = tuple(role if r.id == role.id else r for r in world.guild.roles)
    return replace(world, guild=replace(world.guild, roles=roles), bot_role=role)


@pytest.mark.fake_discord(world=world_with_threads())
async def test_a_thread_per_card_one_reminder_an_entry_answer_and_a_closed_question(
    fake_discord: FakeDiscord, tmp_path: Path
):
    world = fake_discord.world
    settings = env(fake_discord, HANDOFF_REMIND_AFTER_HOURS="0.0003")  # about a second
    bot = await start_bot(fake_discord, tmp_path / "data", env=settings)
    await hand_off(fake_discord, world.alice)
    posted = await card(fake_discord)

    # The card's thread, and one reminder in it.
    found = fake_discord.state.find_channel(posted.id)
    assert found is not None and found[0].type == ChannelType.PUBLIC_THREAD
    assert found[0].parent_id == world.mod_log.id and "network" in found[0].name
    reminder = await fake_discord.wait_for_bot_message(
        lambda m: "waited for an answer" in m.text, channel=posted.id, timeout=WAIT
    )
    assert reminder.allowed_mentions == {"parse": []}
    await asyncio.sleep(1.5)
    reminders = [m for m in fake_discord.bot_messages if "waited for an answer" in m.text]
    assert len(reminders) == 1, "reminded once"

    # Answer with an FAQ entry: a menu of entries, the delegate gets that entry's card.
    [entry_button] = [i for i in posted.custom_ids if i.startswith("mod:handoff:entry:")]
    menu = await (await fake_discord.click(posted, entry_button, user=world.bob)).response(
        timeout=WAIT
    )
    assert menu.ephemeral
    [pick] = [c for c in menu.walk_components() if c.get("type") == 3]
    values = [o["value"] for o in pick["options"]]
    assert "meeting-venue" in values and len(values) <= 25
    before = len(fake_discord.bot_messages)
    chosen = await fake_discord.select(menu, pick["custom_id"], ["meeting-venue"], user=world.bob)
    assert "1 by direct message" in (await chosen.response(timeout=WAIT)).text
    dm = await fake_discord.wait_for_bot_message(
        channel=dm_channel_id(fake_discord, world.alice), after=before, timeout=WAIT
    )
    assert "answered by Bob" in dm.content and "Geneva" in dm.text
    await fake_discord.wait_for_bot_message(
        lambda m: m.id == posted.id and "with the FAQ entry `meeting-venue`" in m.text,
        after=before,
        timeout=WAIT,
    )

    # Not for the FAQ: the delegate is told, with the moderator's note.
    await hand_off(fake_discord, world.carol, "Can I bring my dog to the meeting?")
    second = await card(fake_discord, after=before)
    [close] = [i for i in second.custom_ids if i.startswith("mod:handoff:close:")]
    click = await fake_discord.click(second, close, user=world.bob)
    modal = await click.modal(timeout=WAIT)
    before = len(fake_discord.bot_messages)
    sent = await fake_discord.submit_modal(
        modal["custom_id"], {"reason": "Please ask the UN Geneva security desk."}, source=click
    )
    assert "1 by direct message" in (await sent.response(timeout=WAIT)).text
    note = await fake_discord.wait_for_bot_message(
        channel=dm_channel_id(fake_discord, world.carol), after=before, timeout=WAIT
    )
    assert "will not answer it in the FAQ" in note.content and "security desk" in note.content
    closed = await fake_discord.wait_for_bot_message(
        lambda m: m.id == second.id and "Not for the FAQ: closed by Bob" in m.text,
        after=before,
        timeout=WAIT,
    )
    assert closed.button_labels == []
    assert await bot.stop() == 0
    fake_discord.assert_clean()
