"""End-to-end: hostile FAQ files and a broken database, against the real bot through the fake
Discord (issue 12, faults 1, 2, 3 and 5). Every wait is bounded."""

from __future__ import annotations

import asyncio
import re
import shutil
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from bot.services.store import CORRUPT_MARK, DB_FILE
from bot.settings import SHIPPED_FAQ_DIR
from tests.fakediscord import FakeDiscord
from tests.fakediscord.process import BotProcess
from tests.yaml_bomb import BOMB

pytestmark = pytest.mark.e2e

WAIT = 30.0
DECLINE = "couldn't find an answer"
RELOADED = re.compile(r"reload \(files changed\): FAQ \w+ unchanged")
HUGE_ENTRIES = 50_000
HUGE_ENTRY = """\
  - id: generated-{n}
    question: "Generated question number {n} about the meeting?"
    answer: "The meeting is at UN Geneva. {filler}"
    sources:
      - "taking place at UN Geneva 10-13 September"
"""


@pytest.fixture
def faq_dir(tmp_path: Path) -> Path:
    target = tmp_path / "faq"
    shutil.copytree(SHIPPED_FAQ_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def env_for(fake: FakeDiscord, faq_dir: Path) -> dict[str, str]:
    return {
        "FAQ_DIR": str(faq_dir),
        "MOD_LOG_CHANNEL_ID": str(fake.world.mod_log.id),
        "RELOAD_DEBOUNCE_SECONDS": "0.2",
        "GUILD_IDS": str(fake.world.guild.id),
    }


async def venue_still_answered(fake: FakeDiscord) -> None:
    ix = await fake.slash("ask", {"question": "where is the meeting"})
    message = await ix.response(timeout=WAIT)
    assert message.embeds and "UN Geneva" in message.embeds[0]["description"]


async def test_a_yaml_bomb_at_start_up_is_one_line_and_exit_2(
    fake_discord: FakeDiscord, bot_process, faq_dir: Path
) -> None:
    (faq_dir / "venue.yaml").write_text(BOMB, encoding="utf-8")
    started = time.monotonic()
    bot: BotProcess = await bot_process(env=env_for(fake_discord, faq_dir), wait_ready=False)
    assert await bot.wait_exit(timeout=WAIT) == 2  # the old bot hung, growing, printing nothing
    output = bot.output()
    assert "Traceback" not in output
    assert "faqbot: venue.yaml:8: YAML aliases expand too far (past 100,000 values)" in output
    assert time.monotonic() - started < WAIT
    assert not fake_discord.identifies


async def test_a_yaml_bomb_saved_while_running_is_reported_and_the_faq_kept(
    fake_discord: FakeDiscord, bot_process, faq_dir: Path
) -> None:
    world = fake_discord.world
    await bot_process(env=env_for(fake_discord, faq_dir))
    before = len(fake_discord.bot_messages)

    (faq_dir / "venue.yaml").write_text(BOMB, encoding="utf-8")

    posted = await fake_discord.wait_for_bot_message(
        lambda m: "reload failed" in m.text, channel=world.mod_log, after=before, timeout=WAIT
    )
    assert "venue.yaml:8: YAML aliases expand too far" in posted.text
    reply = await fake_discord.slash("faq-admin reload", user=world.bob)
    answer = await reply.response(timeout=WAIT)
    assert "FAQ reload failed" in answer.text and "aliases expand too far" in answer.text
    await venue_still_answered(fake_discord)
    fake_discord.assert_clean()


async def test_a_huge_file_is_refused_the_fix_is_picked_up_and_sigterm_ends_the_bot(
    fake_discord: FakeDiscord, bot_process, faq_dir: Path
) -> None:
    world = fake_discord.world
    bot: BotProcess = await bot_process(env=env_for(fake_discord, faq_dir))
    filler = "Padding to make the file large. " * 8
    huge = faq_dir / "generated.yaml"
    before = len(fake_discord.bot_messages)
    huge.write_text(
        "topic: generated\ntitle: Generated\nentries:\n"
        + "".join(HUGE_ENTRY.format(n=n, filler=filler) for n in range(HUGE_ENTRIES)),
        encoding="utf-8",
    )

    posted = await fake_discord.wait_for_bot_message(
        lambda m: "reload failed" in m.text, channel=world.mod_log, after=before, timeout=WAIT
    )
    assert "generated.yaml: file is " in posted.text and "at most 1,048,576" in posted.text
    await venue_still_answered(fake_discord)

    huge.unlink()  # the moderator removes the file: picked up without a command
    deadline = time.monotonic() + WAIT
    while not RELOADED.search(bot.output()):
        assert time.monotonic() < deadline, bot.log_tail()
        await asyncio.sleep(0.1)
    bot.popen.send_signal(signal.SIGTERM)
    assert await bot.wait_exit(timeout=15) == 0


async def ask_a_miss(fake: FakeDiscord, question: str) -> None:
    ix = await fake.slash("ask", {"question": question})
    message = await ix.response(timeout=WAIT)
    assert DECLINE in message.text, message.text


def questions_in(database: Path) -> list[str]:
    with sqlite3.connect(database) as db:
        return [r[0] for r in db.execute("SELECT question FROM questions ORDER BY id")]


async def wait_for_rows(database: Path, expected: list[str]) -> None:
    """The misses are committed in the background: poll (bounded) until they are there."""
    deadline = time.monotonic() + WAIT
    found: list[str] = []
    while time.monotonic() < deadline:
        if database.exists():
            try:
                found = questions_in(database)
            except sqlite3.OperationalError:  # just recreated: its tables are on their way
                found = []
            if found == expected:
                return
        await asyncio.sleep(0.1)
    assert found == expected


async def test_a_database_deleted_while_running_is_recreated_and_keeps_the_misses(
    fake_discord: FakeDiscord, bot_process, faq_dir: Path, tmp_path: Path
) -> None:
    await bot_process(env=env_for(fake_discord, faq_dir))
    database = tmp_path / "data" / DB_FILE
    await ask_a_miss(fake_discord, "what is the weather in paris")
    await wait_for_rows(database, ["what is the weather in paris"])

    database.unlink()
    await ask_a_miss(fake_discord, "where to network")

    # The old bot wrote it into the deleted file.
    await wait_for_rows(database, ["where to network"])


async def test_a_corrupt_database_at_start_up_is_moved_aside_and_misses_go_on(
    fake_discord: FakeDiscord, bot_process, faq_dir: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / DB_FILE).write_bytes(b"definitely not sqlite " * 200)
    bot: BotProcess = await bot_process(env=env_for(fake_discord, faq_dir))

    await ask_a_miss(fake_discord, "what about pizza")

    await wait_for_rows(data / DB_FILE, ["what about pizza"])
    [kept] = [p for p in data.glob(f"{DB_FILE}{CORRUPT_MARK}*") if not p.name.endswith("-wal")]
    assert kept.read_bytes().startswith(b"definitely not sqlite")
    assert "is corrupt" in bot.output() and "Traceback" not in bot.output()
