"""End-to-end: interactions the bot can no longer answer (Discord accepts the first reply only
within 3 s of the interaction's creation) cost nothing and bother nobody.

- One that is already older than that when it arrives (its snowflake id says when Discord
  created it) gets no reply at all, and the bot goes on answering fresh ones.
- When the bot is busy, interactions wait their turn (at most `MAX_CONCURRENT` are handled at
  once, first come first served); one whose turn comes too late is dropped the same way.
- A reply Discord refuses with 404 10062 "Unknown interaction" is not followed by an error
  message (that would fail too) nor by an alert in the moderators' log channel.

The bot runs as `tests.e2e.test_bot_faulty`: a question containing "slowly" keeps it busy.

Both are counted in `/metrics` (`faqbot_interactions_expired_total`) and logged in one WARNING
line each, without a traceback.
"""

from __future__ import annotations

import asyncio
import socket
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from prometheus_client.parser import text_string_to_metric_families

from bot.client.faqbot import MAX_CONCURRENT
from tests.e2e import test_bot_support as support
from tests.e2e.test_bot_support import Channels, embed, start_bot
from tests.fakediscord import BotMessage, FakeDiscord, InteractionHandle, RecordedRequest
from tests.fakediscord.process import BotProcess

fake = support.fake
channels = support.channels
faq_dir = support.faq_dir

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

VENUE = "Where is the 12MSP held?"
LATE = 5.0
"""Seconds: how old the stale interactions already are when the fake dispatches them."""
CALLBACK_ROUTE = "/interactions/{id}/{token}/callback"
UNKNOWN_INTERACTION = {"message": "Unknown interaction", "code": 10062}
VOTE_THANKS_FR = "Merci pour votre avis"
FAULTY = "tests.e2e.test_bot_faulty"
BROKEN_BUTTON = "faq:answer:isu-phone"
"""Raises in the faulty bot: not clicked here."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(
    fake: FakeDiscord, faq_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[BotProcess]:
    data = tmp_path_factory.mktemp("expired") / "data"
    port = free_port()
    env = {
        "FAQ_DIR": str(faq_dir),
        "MOD_LOG_CHANNEL_ID": str(fake.world.mod_log.id),
        "HEALTH_PORT": str(port),
    }
    process = await start_bot(fake, data, env=env, module=FAULTY)
    process.health_port = port  # type: ignore[attr-defined]
    yield process
    assert await process.stop() == 0
    fake.assert_clean()


async def expired_count(bot: BotProcess, stage: str) -> float:
    """`faqbot_interactions_expired_total{stage=...}` from the bot's /metrics."""
    url = f"http://127.0.0.1:{bot.health_port}/metrics"  # type: ignore[attr-defined]

    def get() -> str:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()

    for family in text_string_to_metric_families(await asyncio.to_thread(get)):
        for sample in family.samples:
            if sample.name == "faqbot_interactions_expired_total" and sample.labels == {
                "stage": stage
            }:
                return sample.value
    raise AssertionError("faqbot_interactions_expired_total is not in /metrics")


async def log_line(bot: BotProcess, text: str, timeout: float = 10.0) -> str:
    """The bot's first log line containing `text` (waiting for it at most `timeout` s)."""
    for _ in range(round(timeout / 0.05)):
        found = [line for line in bot.output().splitlines() if text in line]
        if found:
            return found[0]
        await asyncio.sleep(0.05)
    raise AssertionError(f"the bot never logged {text!r}\n{bot.log_tail()}")


def requests_for(fake: FakeDiscord, ix: InteractionHandle) -> list[RecordedRequest]:
    """Every request the bot made about this interaction (callback, follow-ups, edits)."""
    token = ix.interaction.token
    return [r for r in fake.requests if f"/{ix.id}/" in r.path or f"/{token}" in r.path]


async def expect_no_request(fake: FakeDiscord, method: str, pattern: str, after: int) -> None:
    try:
        found = await fake.wait_for_request(method, pattern, timeout=1.0, after=after)
    except AssertionError:
        return
    raise AssertionError(f"unexpected request: {found}")


async def expect_no_alert(fake: FakeDiscord, after: int) -> None:
    try:
        alert = await fake.wait_for_bot_message(
            channel=fake.world.mod_log, after=after, timeout=1.0
        )
    except AssertionError:
        return
    raise AssertionError(f"the moderators were alerted: {alert.content!r}")


async def answer_card(fake: FakeDiscord, channels: Channels) -> BotMessage:
    message = await (
        await fake.slash("ask", {"question": VENUE}, channel=channels.next())
    ).response()
    assert embed(message)["title"] == VENUE
    return message


# --- too old on arrival ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["slash", "autocomplete", "click"])
async def test_an_interaction_older_than_discord_allows_gets_no_reply_and_the_next_is_answered(
    fake: FakeDiscord, bot: BotProcess, channels: Channels, kind: str
) -> None:
    before = await expired_count(bot, "arrival")
    if kind == "slash":
        stale = await fake.slash("ask", {"question": VENUE}, channel=channels.next(), age=LATE)
    elif kind == "autocomplete":
        stale = await fake.autocomplete("ask", "question", "where is the venu", age=LATE)
    else:
        card = await answer_card(fake, channels)
        vote = next(i for i in card.custom_ids if i.startswith("faq:vote:up:"))
        stale = await fake.click(card, vote, user="carol", age=LATE)

    # The bot keeps serving: the next, fresh interaction of the same kind is answered.
    if kind == "slash":
        fresh = await fake.slash("ask", {"question": VENUE}, channel=channels.next())
        assert embed(await fresh.response())["title"] == VENUE
    elif kind == "autocomplete":
        fresh = await fake.autocomplete("ask", "question", "where is the venu")
        assert await fresh.choices()
    else:
        fresh = await fake.click(card, vote, user="carol")
        # Carol (French client) did not ask the question: she is thanked in French.
        assert (await fresh.response()).content.startswith(VOTE_THANKS_FR)

    await stale.expect_no_callback(within=1.0)
    assert requests_for(fake, stale) == [], "the bot did work for an expired interaction"
    line = await log_line(bot, f"interaction {stale.id} dropped unanswered")
    assert " WARNING " in line and f"{LATE:.1f} s old on arrival" in line
    assert "Traceback" not in line
    assert await expired_count(bot, "arrival") == before + 1
    fake.assert_clean()  # among others: no callback after Discord's deadline


async def test_when_busy_a_question_that_waited_too_long_for_its_turn_gets_no_reply(
    fake: FakeDiscord, bot: BotProcess, channels: Channels
) -> None:
    before = await expired_count(bot, "arrival")
    channel = channels.next()
    busy = [
        await fake.slash("ask", {"question": f"answer slowly {n}"}, channel=channel, barrier=False)
        for n in range(MAX_CONCURRENT)
    ]
    # Young enough to be answered on arrival, but its turn comes only when a slow one is done.
    waiting = await fake.slash(
        "ask", {"question": VENUE}, channel=channels.next(), barrier=False, age=2.0
    )

    results = await asyncio.gather(*(ix.callback(timeout=15) for ix in busy))
    assert all(r.type == 4 for r in results), "every question ahead of it is answered"
    await waiting.expect_no_callback(within=1.0)
    assert requests_for(fake, waiting) == []
    line = await log_line(bot, f"interaction {waiting.id} dropped unanswered")
    assert " WARNING " in line and "Traceback" not in line
    assert await expired_count(bot, "arrival") == before + 1
    await answer_card(fake, channels)  # and it keeps answering
    fake.assert_clean()


# --- refused by Discord when replying -------------------------------------------------------


@pytest.mark.parametrize("kind", ["slash", "click"])
async def test_a_reply_refused_as_unknown_interaction_is_not_retried_nor_reported(
    fake: FakeDiscord, bot: BotProcess, channels: Channels, kind: str
) -> None:
    before = await expired_count(bot, "reply")
    card = await answer_card(fake, channels) if kind == "click" else None
    alerts = len(fake.bot_messages)
    seq = fake.requests[-1].seq
    fake.answer_next_with(404, UNKNOWN_INTERACTION, "POST", CALLBACK_ROUTE)
    if card is None:
        ix = await fake.slash("ask", {"question": VENUE}, channel=channels.next())
    else:
        related = next(
            i for i in card.custom_ids if i.startswith("faq:answer:") and i != BROKEN_BUTTON
        )
        ix = await fake.click(card, related, user="carol")

    line = await log_line(bot, f"no longer accepts a reply to interaction {ix.id}")
    assert " WARNING " in line and "10062" in line and "Traceback" not in line
    await expect_no_request(fake, "POST", f"/webhooks/*/{ix.interaction.token}", after=seq)
    await expect_no_alert(fake, after=alerts)
    assert [r.status for r in requests_for(fake, ix)] == [404], "a second request was sent"
    assert await expired_count(bot, "reply") == before + 1

    await answer_card(fake, channels)  # and it keeps answering
    output = bot.output()
    assert "Traceback" not in output and " ERROR " not in output
    fake.assert_clean()
