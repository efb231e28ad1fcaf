"""End-to-end: start-up and shutdown of the real bot process (`faqbot run` via the launcher):
token problems, SIGTERM, restarts (buttons keep working, no second command sync), GUILD_IDS,
sharding, the health endpoint, and the token never being logged."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import urllib.request
from pathlib import Path

import pytest

from tests.e2e import test_bot_support as support
from tests.e2e.test_bot_support import embed, start_bot
from tests.fakediscord import FakeDiscord, default_world

faq_dir = support.faq_dir

pytestmark = [pytest.mark.e2e]

FAULTY = "tests.e2e.test_bot_faulty"


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("faqbot:")]


def put_syncs(fake: FakeDiscord) -> list[tuple[int | None, tuple[str, ...]]]:
    return [(s.guild_id, s.names) for s in fake.command_syncs if s.method == "PUT"]


async def test_missing_token_explains_and_exits_2(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    bot = await start_bot(fake_discord, tmp_path / "data", token="", wait_ready=False)
    assert await bot.wait_exit() == 2
    output = bot.output()
    assert "Traceback" not in output
    [line] = error_lines(output)
    assert "DISCORD_TOKEN" in line and "Developer Portal" in line
    assert not fake_discord.requests


async def test_rejected_token_is_one_line_and_never_printed(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    wrong = "MTIzNDU2Nzg5MDEyMzQ1Njc4.wrong.not-the-token-discord-knows"
    bot = await start_bot(fake_discord, tmp_path / "data", token=wrong, wait_ready=False)
    assert await bot.wait_exit() == 1
    output = bot.output()
    assert "Traceback" not in output and wrong not in output
    [line] = error_lines(output)
    assert "rejected the token" in line


async def test_sigterm_exits_0_cleanly(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    bot = await start_bot(fake_discord, tmp_path / "data", env={"LOG_LEVEL": "DEBUG"})
    ix = await fake_discord.slash("ask", {"question": "When is the 12MSP?"})
    assert embed(await ix.response())
    bot.popen.send_signal(signal.SIGTERM)
    assert await bot.wait_exit() == 0
    output = bot.output()
    assert "Traceback" not in output
    assert "SIGTERM received" in output
    assert fake_discord.token not in output
    assert not fake_discord.is_ready()
    fake_discord.assert_clean()


async def test_sigterm_finishes_work_in_flight_and_refuses_new_work(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    bot = await start_bot(fake_discord, tmp_path / "data", module=FAULTY)
    slow = await fake_discord.slash("ask", {"question": "when is the 12msp, slowly"})
    await asyncio.sleep(0.3)
    bot.popen.send_signal(signal.SIGTERM)
    await asyncio.sleep(0.3)
    late = await fake_discord.slash("ask", {"question": "Where is the 12MSP held?"}, user="bob")
    refused = await late.response()
    assert refused.ephemeral and "restarting" in refused.content
    answered = await slow.response(timeout=5)
    assert embed(answered)["title"].startswith("When is the Twelfth Meeting")
    assert await bot.wait_exit() == 0


async def test_restart_keeps_buttons_working_without_a_second_sync(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    first = await start_bot(fake_discord, data, name="first")
    assert put_syncs(fake_discord) and put_syncs(fake_discord)[0][0] is None
    message = await (
        await fake_discord.slash("ask", {"question": "What is the ISU phone number?"})
    ).response()
    assert await first.stop() == 0
    synced = put_syncs(fake_discord)
    assert (data / "command-sync.json").is_file()

    second = await start_bot(fake_discord, data, name="second")
    related = next(i for i in message.custom_ids if i.startswith("faq:answer:"))
    answer = await (await fake_discord.click(message, related, user="bob")).response()
    assert embed(answer)["title"]
    vote = next(i for i in message.custom_ids if i.startswith("faq:vote:down:"))
    thanks = await (await fake_discord.click(message, vote, user="bob")).response()
    assert thanks.content == "Thanks for the feedback"
    assert put_syncs(fake_discord) == synced, "commands were synced again with nothing changed"
    assert "application commands unchanged" in second.output()
    assert await second.stop() == 0
    fake_discord.assert_clean()


async def test_guild_ids_sync_to_the_guild_then_back_to_global(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    guild = fake_discord.guild.id
    bot = await start_bot(fake_discord, data, env={"GUILD_IDS": str(guild)}, name="g")
    syncs = put_syncs(fake_discord)
    assert [g for g, _ in syncs] == [guild]
    assert "ask" in syncs[0][1] and "Answer with FAQ" in syncs[0][1]
    ix = await fake_discord.slash("ask", {"question": "Where is the 12MSP held?"})
    assert embed(await ix.response())
    assert await bot.stop() == 0

    bot = await start_bot(fake_discord, data, name="global")
    after = put_syncs(fake_discord)[len(syncs) :]
    assert (None, syncs[0][1]) in [(g, tuple(n)) for g, n in after] or any(
        g is None and set(n) == set(syncs[0][1]) for g, n in after
    )
    assert (guild, ()) in after, "the guild's copies must be removed"
    assert await bot.stop() == 0


async def test_sharded_bot_answers_on_every_shard(tmp_path: Path) -> None:
    async with FakeDiscord(world=default_world(), shard_count=2) as fake:
        bot = await start_bot(fake, tmp_path / "data", env={"SHARD_COUNT": "2"}, wait_ready=False)
        await fake.wait_ready(timeout=30, shards=2)
        assert sorted(i.shard[0] for i in fake.identifies if i.shard) == [0, 1]
        ix = await fake.slash("ask", {"question": "When is the 12MSP?"})
        assert embed(await ix.response())
        assert await bot.stop() == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_health_endpoint_reports_the_bot(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    port = free_port()
    bot = await start_bot(fake_discord, tmp_path / "data", env={"HEALTH_PORT": str(port)})
    await (await fake_discord.slash("ask", {"question": "When is the 12MSP?"})).response()

    def get(path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    for _ in range(100):
        status, body = await asyncio.to_thread(get, "/healthz")
        if status == 200:
            break
        await asyncio.sleep(0.1)
    health = json.loads(body)
    assert status == 200 and health["gateway"] is True and health["entries"] > 0
    _, metrics = await asyncio.to_thread(get, "/metrics")
    assert b'faqbot_questions_total{outcome="answered",source="slash"} 1.0' in metrics
    assert await bot.stop() == 0
