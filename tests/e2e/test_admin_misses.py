"""From unanswered questions to learned aliases, through the fake Discord: delegates ask what
the FAQ does not cover, a moderator reviews the grouped misses, adds one as an alias with a
button, the next delegate gets the answer, and the alias can be removed again."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import sqlite3
from pathlib import Path

import pytest
import yaml

from bot.services.store import DB_FILE
from tests.e2e.test_admin_commands import WAIT, copy_faq, private_reply

pytestmark = pytest.mark.e2e

NETWORKING = ("where can I network?", "Where can I network", "where can i network please")
"""Declined with the venue as the closest entry (smoking, parking, wifi or rooms are topics the
venue entry declares the release silent on: those get "the release does not mention")."""


@pytest.fixture
async def started(fake_discord, bot_process, tmp_path):
    faq = copy_faq(tmp_path)
    world = fake_discord.world
    bot = await bot_process(
        env={
            "GUILD_IDS": str(world.guild.id),
            "FAQ_DIR": str(faq),
            "MOD_LOG_CHANNEL_ID": str(world.mod_log.id),
        }
    )
    return bot, tmp_path / "data"


async def ask(fake_discord, question: str, user) -> str:
    handle = await fake_discord.slash("ask", {"question": question, "private": True}, user=user)
    return (await handle.response(timeout=WAIT)).text


async def wait_for_rows(db: Path, count: int) -> list[tuple]:
    """The bot records misses right after answering; wait (bounded) until they are in."""
    rows: list[tuple] = []
    for _ in range(400):
        with sqlite3.connect(db) as conn:
            rows = conn.execute(
                "SELECT question, outcome, guild_id, asker FROM questions"
            ).fetchall()
        if len(rows) >= count:
            return rows
        await asyncio.sleep(0.05)
    return rows


async def ask_past_the_alias_bar(fake_discord) -> None:
    """NETWORKING asked by two people: a group that gets an "Add as alias" button."""
    world = fake_discord.world
    for question, user in zip(NETWORKING[:2], (world.alice, world.carol), strict=True):
        await ask(fake_discord, question, user)


async def test_misses_are_recorded_grouped_and_become_aliases(fake_discord, started):
    _, data = started
    world = fake_discord.world
    for question, user in zip(NETWORKING, (world.alice, world.carol, world.alice), strict=True):
        await ask(fake_discord, question, user)
    await ask(fake_discord, "what is the wifi password", world.carol)
    answered = await ask(fake_discord, "When is the 12MSP?", world.alice)
    assert "September" in answered

    # Recorded: the misses only, with guild and outcome, and no user id.
    rows = await wait_for_rows(data / DB_FILE, 4)
    assert len(rows) == 4
    assert {r[0] for r in rows} == {*NETWORKING, "what is the wifi password"}
    assert all(r[1] in ("declined", "suggested") and r[2] == world.guild.id for r in rows)
    raw = b"".join(p.read_bytes() for p in data.glob(DB_FILE + "*"))
    for user in (world.alice, world.carol):
        assert str(user.user.id).encode() not in raw

    # The moderator sees them grouped, most frequent first, with the closest entry.
    reply = await private_reply(await fake_discord.slash("faq-admin misses", user=world.bob))
    description = reply.embeds[0]["description"]
    first, second = description.split("**2.**")
    assert "3×, 2 people" in first and "network" in first and "+1 similar" in first
    assert "closest: `meeting-venue`" in first
    assert "wifi password" in second and "below the bar for an alias" in second
    labels = [c.get("label", "") for c in reply.walk_components()]
    assert not any(label.startswith("2. ") for label in labels), "no alias for one asker"
    button = next(c for c in reply.walk_components() if c.get("label", "").startswith("1. "))
    assert button["label"] == "1. Add as alias of meeting-venue"
    assert re.fullmatch(r"mod:alias:add:\d+", button["custom_id"])
    assert all(len(cid) <= 100 for cid in reply.custom_ids)

    # One click: the alias is validated, saved under DATA_DIR and live at once.
    before = len(fake_discord.bot_messages)
    added = await private_reply(
        await fake_discord.click(reply.id, button["custom_id"], user=world.bob)
    )
    assert "is now an alias of meeting-venue" in added.text and "is live" in added.text
    learned = yaml.safe_load((data / "learned-aliases.yaml").read_text(encoding="utf-8"))
    alias = learned["aliases"]["meeting-venue"][0]
    assert alias.lower().startswith("where can i network")
    # ... and kept as a check that the question keeps reaching the entry.
    assert "kept as a check in checks" in added.text
    checks = yaml.safe_load((data.parent / "faq" / "checks.yaml").read_text(encoding="utf-8"))
    assert {"ask": alias, "expect": "meeting-venue"} in checks["checks"]
    posted = await fake_discord.wait_for_bot_message(
        lambda m: "loaded" in m.text, channel=world.mod_log, after=before, timeout=WAIT
    )
    assert "meeting-venue" in posted.text and "alias added by" in posted.text

    assert "UN Geneva" in await ask(fake_discord, alias, world.carol)
    status = await private_reply(await fake_discord.slash("faq-admin status", user=world.bob))
    field = next(f for f in status.embeds[0]["fields"] if f["name"] == "Learned aliases")
    assert field["value"] == "1"

    # Undo removes it again.
    undo = next(c for c in added.walk_components() if c.get("label") == "Undo")
    assert re.fullmatch(r"mod:alias:rm:\d+", undo["custom_id"])
    removed = await private_reply(
        await fake_discord.click(added.id, undo["custom_id"], user=world.bob)
    )
    assert "no longer an alias of meeting-venue" in removed.text
    assert "its check dropped" in removed.text and "is live" in removed.text
    checks = yaml.safe_load((data.parent / "faq" / "checks.yaml").read_text(encoding="utf-8"))
    assert {"ask": alias, "expect": "meeting-venue"} not in checks["checks"]
    learned = yaml.safe_load((data / "learned-aliases.yaml").read_text(encoding="utf-8"))
    assert learned == {"aliases": {}}
    fake_discord.assert_clean()


async def test_unalias_command_with_autocomplete(fake_discord, started):
    _, data = started
    world = fake_discord.world
    (data / "learned-aliases.yaml").write_text(
        "aliases:\n  meeting-venue: [where can i leave my coat]\n", encoding="utf-8"
    )
    reply = await private_reply(await fake_discord.slash("faq-admin reload", user=world.bob))
    assert "1 changed" in reply.text

    entries = await (
        await fake_discord.autocomplete("faq-admin unalias", "entry", "venue", user=world.bob)
    ).choices(timeout=WAIT)
    assert [c["value"] for c in entries] == ["meeting-venue"]
    aliases = await (
        await fake_discord.autocomplete(
            "faq-admin unalias", "alias", "", options={"entry": "meeting-venue"}, user=world.bob
        )
    ).choices(timeout=WAIT)
    assert [c["value"] for c in aliases] == ["where can i leave my coat"]

    listing = await private_reply(await fake_discord.slash("faq-admin aliases", user=world.bob))
    assert "where can i leave my coat" in listing.text
    assert any(cid.startswith("mod:alias:rm:") for cid in listing.custom_ids)

    done = await private_reply(
        await fake_discord.slash(
            "faq-admin unalias",
            {"entry": "meeting-venue", "alias": "where can i leave my coat"},
            user=world.bob,
        )
    )
    assert "no longer an alias" in done.text
    again = await private_reply(
        await fake_discord.slash(
            "faq-admin unalias",
            {"entry": "meeting-venue", "alias": "where can i leave my coat"},
            user=world.bob,
        )
    )
    assert "is not a learned alias" in again.text


async def test_an_alias_that_would_break_the_faq_is_refused(fake_discord, started, tmp_path):
    _, data = started
    world = fake_discord.world
    await ask_past_the_alias_bar(fake_discord)
    await wait_for_rows(data / DB_FILE, 2)
    reply = await private_reply(await fake_discord.slash("faq-admin misses", user=world.bob))
    custom_id = reply.custom_ids[0]
    assert reply.button_labels[0] == "1. Add as alias of meeting-venue"

    # Meanwhile an editor gives that very question to another entry in faq/.
    dates = tmp_path / "faq" / "dates.yaml"
    text = dates.read_text(encoding="utf-8")
    dates.write_text(
        text.replace(
            "      - msp schedule\n", f"      - msp schedule\n      - {NETWORKING[0]}\n", 1
        ),
        encoding="utf-8",
    )
    reloaded = await private_reply(await fake_discord.slash("faq-admin reload", user=world.bob))
    assert "1 changed" in reloaded.text and "meeting-dates" in reloaded.text

    refused = await private_reply(await fake_discord.click(reply.id, custom_id, user=world.bob))
    assert "cannot be an alias of meeting-venue" in refused.text
    assert "also a question or alias of 'meeting-dates'" in refused.text
    assert "dates.yaml" in refused.text
    assert not (data / "learned-aliases.yaml").exists()


async def test_buttons_check_the_moderator_again_when_clicked(fake_discord, started):
    """bob lists the misses, then loses his moderator role: his click is refused."""
    _, data = started
    world = fake_discord.world
    await ask_past_the_alias_bar(fake_discord)
    await wait_for_rows(data / DB_FILE, 2)
    reply = await private_reply(await fake_discord.slash("faq-admin misses", user=world.bob))
    custom_id = reply.custom_ids[0]

    await fake_discord.add_member(dataclasses.replace(world.bob, roles=()))
    refused = await private_reply(await fake_discord.click(reply.id, custom_id, user=world.bob))
    assert refused.text == "Only FAQ moderators can use this."
    assert not (data / "learned-aliases.yaml").exists()


async def test_direct_message_misses_are_shown_when_the_bot_serves_one_server(
    fake_discord, started
):
    _, data = started
    world = fake_discord.world
    message = await fake_discord.message("is there a shuttle from the airport", dm=True)
    await message.reply(timeout=WAIT)
    rows = await wait_for_rows(data / DB_FILE, 1)
    assert rows[0][2] is None  # no server
    reply = await private_reply(await fake_discord.slash("faq-admin misses", user=world.bob))
    assert "shuttle from the airport" in reply.text


async def test_add_alias_button_works_after_a_restart(fake_discord, bot_process, tmp_path):
    faq = copy_faq(tmp_path)
    world = fake_discord.world
    env = {"GUILD_IDS": str(world.guild.id), "FAQ_DIR": str(faq)}
    first = await bot_process(env=env, fail_fast=False)  # it is stopped on purpose
    await ask_past_the_alias_bar(fake_discord)
    await wait_for_rows(tmp_path / "data" / DB_FILE, 2)
    reply = await private_reply(await fake_discord.slash("faq-admin misses", user=world.bob))
    assert await first.stop() == 0

    await bot_process(env=env)  # same DATA_DIR: the button's row id is still there
    added = await private_reply(
        await fake_discord.click(reply.id, reply.custom_ids[0], user=world.bob)
    )
    assert "is now an alias of meeting-venue" in added.text
