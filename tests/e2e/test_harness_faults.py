"""The fake Discord's faults against the sample bot: bad token, reconnects, 429s, violations."""

from __future__ import annotations

import time

import pytest

from tests.fakediscord import (
    SAMPLE_BOT_MODULE,
    FakeDiscord,
    make_guild,
    make_member,
    snowflake_for_shard,
)
from tests.fakediscord.gateway import RESUME_PATH

pytestmark = pytest.mark.e2e


async def test_wrong_token_gets_401_and_the_bot_exits(
    fake_discord: FakeDiscord, bot_process
) -> None:
    bot = await bot_process(
        module=SAMPLE_BOT_MODULE, token="not-the-token", wait_ready=False, fail_fast=False
    )
    code = await bot.wait_exit(timeout=20)
    assert code != 0
    me = fake_discord.requests_to("GET", "/users/@me")
    assert [(r.status, r.auth) for r in me] == [(401, "wrong")]
    assert me[0].response == {"message": "401: Unauthorized", "code": 0}
    assert fake_discord.identifies == []
    assert "LoginFailure" in bot.output()


@pytest.mark.parametrize("mode", ["close", "reconnect"])
async def test_forced_reconnect_resumes(fake_discord: FakeDiscord, sample_bot, mode) -> None:
    before = await fake_discord.slash("echo", {"text": "before"})
    assert (await before.response()).content.startswith("echo: before")

    session = await fake_discord.force_reconnect(mode=mode)
    assert session.resumes == 1
    assert [r.accepted for r in fake_discord.resumes] == [True]
    assert session.conn is not None and session.conn.path == RESUME_PATH
    assert len(fake_discord.identifies) == 1, "a RESUME, not a new IDENTIFY"
    assert "RESUMED" in [e.name for e in fake_discord.events]

    after = await fake_discord.slash("echo", {"text": "after"})
    assert (await after.response()).content.startswith("echo: after")
    fake_discord.assert_clean()


async def test_events_sent_while_disconnected_are_replayed(
    fake_discord: FakeDiscord, sample_bot
) -> None:
    await fake_discord.force_reconnect(wait=False)
    ix = await fake_discord.slash("echo", {"text": "missed"})
    await fake_discord.wait_resumed()
    assert fake_discord.resumes[-1].replayed >= 1
    assert (await ix.response()).content.startswith("echo: missed")
    fake_discord.assert_clean()


async def test_one_429_on_the_callback_is_retried(fake_discord: FakeDiscord, sample_bot) -> None:
    fake_discord.answer_next_with_429("POST", "/interactions/{id}/{token}/callback", 0.3)
    ix = await fake_discord.slash("echo", {"text": "limited"})
    assert (await ix.response()).content.startswith("echo: limited")
    statuses = [r.status for r in fake_discord.requests_to("POST", "/interactions/*/callback")]
    assert statuses == [429, 200]
    limited = fake_discord.requests_to("POST", "/interactions/*/callback")[0]
    assert limited.response["retry_after"] == 0.3
    fake_discord.assert_clean()


async def test_oversized_payload_is_a_violation(fake_discord: FakeDiscord, sample_bot) -> None:
    ix = await fake_discord.slash("oversize")
    fallback = await ix.response()
    assert fallback.content == "too long, sorry"
    assert len(fake_discord.violations) == 1
    problem = fake_discord.violations[0].problems[0]
    assert problem.path == ("data", "content")
    assert problem.code == "BASE_TYPE_MAX_LENGTH"
    rejected = fake_discord.requests_to("POST", "/interactions/*/callback")[0]
    assert rejected.status == 400 and rejected.response["code"] == 50035
    assert fake_discord.unknown_routes == []


async def test_unknown_route_is_404_and_recorded(fake_discord: FakeDiscord) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        url = f"{fake_discord.url}/api/v10/nothing/here"
        async with session.get(url, headers={"Authorization": f"Bot {fake_discord.token}"}) as r:
            assert r.status == 404
            assert r.headers["Content-Type"] == "application/json"
    assert [r.path for r in fake_discord.unknown_routes] == ["/nothing/here"]
    with pytest.raises(AssertionError, match="unknown route"):
        fake_discord.assert_clean()


GUARD_PROBE = """
import asyncio, socket, aiohttp
def real(*a, **k):
    raise SystemExit("REAL NETWORK CALL ATTEMPTED")
socket.socket.connect = real
socket.getaddrinfo = real
aiohttp.ClientSession._request = real
from tests.fakediscord.launcher import NetworkGuardError, install_network_guard
install_network_guard()
for call in (
    lambda: socket.socket().connect(("192.0.2.1", 443)),
    lambda: socket.getaddrinfo("discord.com", 443),
):
    try:
        call()
    except NetworkGuardError:
        pass
    else:
        raise SystemExit("not blocked")
async def web():
    async with aiohttp.ClientSession() as session:
        try:
            await session.get("https://discord.com/api/v10/users/@me")
        except NetworkGuardError:
            return
    raise SystemExit("aiohttp not blocked")
asyncio.run(web())
print("GUARD OK")
"""


async def test_launcher_guard_blocks_non_local_hosts(tmp_path) -> None:
    """The real calls are stubbed first, so a broken guard can never reach the network."""
    import subprocess
    import sys

    from tests.fakediscord.launcher import is_local_host

    assert is_local_host("127.0.0.1") and is_local_host("localhost") and is_local_host("::1")
    assert not is_local_host("discord.com") and not is_local_host("10.0.0.1")
    root = __import__("pathlib").Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", GUARD_PROBE],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "GUARD OK" in done.stdout
    assert done.stderr.count("FAKEDISCORD NETWORK GUARD: blocked") == 3


SHARD_GUILDS = [
    make_guild("Shard zero", id=snowflake_for_shard(0, 2), members=[make_member("dana")]),
    make_guild("Shard one", id=snowflake_for_shard(1, 2), members=[make_member("eve")]),
]


@pytest.mark.fake_discord(guilds=SHARD_GUILDS, shard_count=2)
async def test_auto_sharded_bot_gets_one_session_per_shard(
    fake_discord: FakeDiscord, bot_process
) -> None:
    zero, one = SHARD_GUILDS
    await bot_process(
        module=SAMPLE_BOT_MODULE,
        env={"SAMPLEBOT_SHARDED": "1", "GUILD_IDS": f"{zero.id},{one.id}"},
        shards=2,
    )
    assert fake_discord.requests_to("GET", "/gateway/bot")[0].status == 200
    assert sorted(i.shard for i in fake_discord.identifies) == [(0, 2), (1, 2)]
    guild_creates = {
        e.shard_id: e.data["id"] for e in fake_discord.events if e.name == "GUILD_CREATE"
    }
    assert guild_creates == {0: str(zero.id), 1: str(one.id)}

    ix = await fake_discord.slash("echo", {"text": "far away"}, guild=one, user=one.member("eve"))
    assert (await ix.response()).content.startswith("echo: far away")
    assert [e.shard_id for e in fake_discord.events if e.name == "INTERACTION_CREATE"] == [1]
    fake_discord.assert_clean()


async def test_waits_fail_fast_when_the_bot_dies(fake_discord: FakeDiscord, sample_bot) -> None:
    sample_bot.popen.kill()
    sample_bot.popen.wait(timeout=10)
    started = time.monotonic()
    with pytest.raises(AssertionError, match=r"the bot process \d+ exited with code -9"):
        ix = await fake_discord.slash("ping")
        await ix.callback(timeout=10)
    assert time.monotonic() - started < 2
