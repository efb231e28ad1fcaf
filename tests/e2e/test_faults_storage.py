"""End-to-end: storage faults seen by moderators (issue 12, faults 3, 5 and 7): a deleted or
corrupt database is announced in MOD_LOG_CHANNEL_ID and `/faq-admin status` tells the truth;
a full disk or a read-only DATA_DIR is explained in words, and listing misses still works."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest

from bot.services.store import DB_FILE
from tests.e2e.test_admin_commands import copy_faq
from tests.e2e.test_admin_misses import NETWORKING
from tests.fakediscord import FakeDiscord

pytestmark = pytest.mark.e2e

WAIT = 30.0
FAULTY = "tests.e2e.faulty_storage"
MISSES = ("where to network", "is there a prayer room for delegates")


def bot_env(fake: FakeDiscord, tmp_path: Path) -> dict[str, str]:
    world = fake.world
    return {
        "GUILD_IDS": str(world.guild.id),
        "FAQ_DIR": str(copy_faq(tmp_path)),
        "MOD_LOG_CHANNEL_ID": str(world.mod_log.id),
    }


async def private_reply(handle):
    message = await handle.response(timeout=WAIT)
    assert message.ephemeral, message.text
    return message


async def ask(fake: FakeDiscord, question: str, user=None) -> None:
    handle = await fake.slash("ask", {"question": question, "private": True}, user=user)
    await handle.response(timeout=WAIT)


def count_rows(database: Path) -> int:
    if not database.exists():
        return 0
    with sqlite3.connect(database) as db:
        return int(db.execute("SELECT COUNT(*) FROM questions").fetchone()[0])


async def wait_rows(database: Path, count: int) -> None:
    deadline = time.monotonic() + WAIT
    while count_rows(database) < count and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert count_rows(database) == count


async def database_field(fake: FakeDiscord) -> str:
    status = await private_reply(await fake.slash("faq-admin status", user=fake.world.bob))
    return next(f["value"] for f in status.embeds[0]["fields"] if f["name"] == "Database")


async def test_a_deleted_database_is_announced_and_status_tells_the_truth(
    fake_discord: FakeDiscord, bot_process, tmp_path: Path
) -> None:
    world = fake_discord.world
    await bot_process(env=bot_env(fake_discord, tmp_path))
    database = tmp_path / "data" / DB_FILE
    for question in MISSES:
        await ask(fake_discord, question)
    await wait_rows(database, 2)
    assert (await database_field(fake_discord)).startswith("2 misses")

    before = len(fake_discord.bot_messages)
    database.unlink()
    await ask(fake_discord, "is there a cloakroom")

    posted = await fake_discord.wait_for_bot_message(
        lambda m: "was deleted" in m.text, channel=world.mod_log, after=before, timeout=WAIT
    )
    assert "faqbot.sqlite3 was deleted while the bot was running" in posted.text
    await wait_rows(database, 1)
    field = await database_field(fake_discord)
    assert field.startswith("1 misses"), field  # the old bot still said 3, from a deleted file
    assert "was deleted" in field


async def test_a_corrupt_database_is_announced_to_the_moderators(
    fake_discord: FakeDiscord, bot_process, tmp_path: Path
) -> None:
    world = fake_discord.world
    data = tmp_path / "data"
    data.mkdir()
    (data / DB_FILE).write_bytes(b"garbage, not a database " * 100)
    await bot_process(env=bot_env(fake_discord, tmp_path))

    posted = await fake_discord.wait_for_bot_message(
        lambda m: "is corrupt" in m.text, channel=world.mod_log, timeout=WAIT
    )
    assert "moved aside to faqbot.sqlite3.corrupt-" in posted.text
    assert "moved aside" in await database_field(fake_discord)


async def test_on_a_full_disk_the_misses_are_still_listed_and_the_cause_is_said(
    fake_discord: FakeDiscord, bot_process, tmp_path: Path
) -> None:
    env = {**bot_env(fake_discord, tmp_path), "FAULTY_STORAGE": "full"}
    await bot_process(env=env, module=FAULTY)
    for question in MISSES:
        await ask(fake_discord, question)
    # Past the alias bar (two askers, the right closest entry): the one group that would get
    # an "Add as alias" button if its candidate could be saved.
    world = fake_discord.world
    for question, user in zip(NETWORKING[:2], (world.alice, world.carol), strict=True):
        await ask(fake_discord, question, user=user)
    await wait_rows(tmp_path / "data" / DB_FILE, 4)

    reply = await private_reply(
        await fake_discord.slash("faq-admin misses", user=fake_discord.world.bob)
    )

    embed = reply.embeds[0]
    assert "network" in embed["description"] and "prayer room" in embed["description"]
    assert embed["footer"]["text"].startswith("No alias buttons: the disk is full.")
    assert not reply.custom_ids


async def test_adding_an_alias_on_a_read_only_data_dir_says_so_in_words(
    fake_discord: FakeDiscord, bot_process, tmp_path: Path
) -> None:
    env = {**bot_env(fake_discord, tmp_path), "FAULTY_STORAGE": "read-only"}
    bot = await bot_process(env=env, module=FAULTY)
    world = fake_discord.world
    for question, user in zip(NETWORKING[:2], (world.alice, world.carol), strict=True):
        await ask(fake_discord, question, user=user)  # past the alias bar
    await wait_rows(tmp_path / "data" / DB_FILE, 2)
    listing = await private_reply(
        await fake_discord.slash("faq-admin misses", user=fake_discord.world.bob)
    )
    [custom_id] = listing.custom_ids

    clicked = await private_reply(
        await fake_discord.click(listing.id, custom_id, user=fake_discord.world.bob)
    )

    assert "DATA_DIR is read-only" in clicked.text, clicked.text  # it used to say "(OSError)"
    assert "learned-aliases.yaml" in clicked.text
    assert "Traceback" not in bot.output()
