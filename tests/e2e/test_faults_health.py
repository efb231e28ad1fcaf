"""End-to-end: /healthz is true from the first answered interaction of a new session, not ~2 s
later when discord.py finishes waiting for the servers (issue 12, fault 7)."""

from __future__ import annotations

import asyncio
import json
import socket
import urllib.error
import urllib.request

import pytest

from tests.fakediscord import FakeDiscord

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def healthz(port: int) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


async def test_healthz_is_ok_as_soon_as_the_bot_answers(
    fake_discord: FakeDiscord, bot_process
) -> None:
    port = free_port()
    await bot_process(env={"HEALTH_PORT": str(port)})  # returns at the gateway's READY
    ix = await fake_discord.slash("ask", {"question": "When is the 12MSP?"}, barrier=False)
    assert (await ix.response(timeout=10)).embeds

    status, body = await asyncio.to_thread(healthz, port)

    assert (status, body["gateway"]) == (200, True)  # the old bot said 503 here
