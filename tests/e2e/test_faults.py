"""End-to-end: the real bot (`faqbot run` through the fake's launcher) under faults a user would
notice: a dropped gateway, Discord's 429s, a burst of questions, and it must never talk to
anything but the fake. Every wait is bounded.

A rejected token and an exception inside a command are covered in `test_bot_lifecycle.py`
(`test_rejected_token_is_one_line_and_never_printed`) and `test_bot_errors.py`
(`test_command_failure_is_answered_privately_and_reported`), both against the real bot.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import shutil
from collections import Counter
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

import psutil
import pytest

from bot.engine.encoder import load_encoder
from bot.engine.index import FaqIndex
from bot.engine.loader import load_faq
from bot.engine.models import Outcome
from bot.settings import SHIPPED_FAQ_DIR
from tests.fakediscord import (
    BotMessage,
    CallbackRecord,
    Channel,
    FakeDiscord,
    InteractionHandle,
    Member,
    World,
    default_world,
    make_member,
)
from tests.fakediscord.gateway import RESUME_PATH
from tests.fakediscord.process import BotProcess

pytestmark = pytest.mark.e2e

EPHEMERAL = 64
CALLBACK_ROUTE = "/interactions/{id}/{token}/callback"
VENUE_TITLE = "Where is the 12MSP held?"
RETRY = re.compile(r"try again in (\d+) seconds?")
DECLINE = "couldn't find an answer"
SUGGEST = "Did you mean"

BURST_USERS = 50
BURST_SIZE = 200
BURST_COOLDOWN_RATE = 3
"""With 4 questions per user inside the window, every user's 4th is refused: 50 cooldowns."""
DISCORD_DEADLINE = 3.0

QUESTIONS = (
    # in scope, phrased the way people type
    "where is the meeting",
    "When is the 12MSP?",
    "what are the dates of the twelfth msp",
    "which city hosts 12MSP",
    "who can attend",
    "can NGOs attend",
    "what does 12MSP stand for",
    "what does CCM stand for",
    "phone number of the implementation support unit",
    "how can I email the ISU",
    "when was the convention adopted",
    "lithuania withdrawal",
    "is there cluster munition use in ukraine",
    "when will the review conference happen",
    # vague: the engine offers choices
    "states",
    "what should I wear",
    # out of scope: a polite decline
    "what is the weather in paris",
    "how do I get a visa",
    "is there wifi",
    "what about pizza",
    "where do I sleep",
    "registration deadline",
    "shuttle bus to the zoo",
    "xyzzy",
)


class Kind(StrEnum):
    ANSWER = "answer"
    SUGGESTION = "suggestion"
    DECLINE = "decline"
    COOLDOWN = "cooldown"


EXPECTED_KIND = {
    Outcome.ANSWERED: Kind.ANSWER,
    Outcome.SUGGESTED: Kind.SUGGESTION,
    Outcome.DECLINED: Kind.DECLINE,
    Outcome.NOT_STATED: Kind.ANSWER,
}
"""A question the release is silent on gets the nearest entry's card, under its note."""


# --- fixtures and helpers -------------------------------------------------------------------


@pytest.fixture
def faq_dir(tmp_path: Path) -> Path:
    """A snapshot of the shipped FAQ: the bot and the expectations read the same one."""
    target = tmp_path / "faq"
    shutil.copytree(SHIPPED_FAQ_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture
def index(faq_dir: Path) -> FaqIndex:
    """The index the bot builds: with the sentence encoder it loads at start-up."""
    return FaqIndex(load_faq(faq_dir), encoder=load_encoder())


def world_with_users(count: int) -> World:
    """The standard world plus members `user0` ... `user{count-1}`."""
    world = default_world()
    extra = [make_member(f"user{i}") for i in range(count)]
    return replace(world, guild=replace(world.guild, members=(*world.guild.members, *extra)))


def venue_card(message: BotMessage) -> None:
    """What the user sees for "where is the meeting": the venue card, about UN Geneva."""
    assert message.embeds, f"no answer card in {message.payload}"
    card = message.embeds[0]
    assert card["title"] == VENUE_TITLE
    assert "UN Geneva" in card["description"]


def callback_latency(fake: FakeDiscord, ix: InteractionHandle) -> float:
    """Seconds from the interaction's dispatch to the accepted callback's arrival."""
    accepted = [
        r for r in fake.requests_to("POST", f"/interactions/{ix.id}/*/callback") if r.status < 300
    ]
    assert len(accepted) == 1, [str(r) for r in accepted]
    return accepted[0].at - ix.interaction.created_at


async def ask_now(
    fake: FakeDiscord, question: str, user: Member, channel: Channel
) -> InteractionHandle:
    """Dispatch `/ask question` at once (no gateway barrier first), as Discord does when many
    people ask at the same moment."""
    return await fake.slash(
        "ask", {"question": question}, user=user, channel=channel, barrier=False
    )


def classify(record: CallbackRecord) -> Kind:
    """What kind of reply the user got, from what Discord would show."""
    assert record.type == 4, f"callback type {record.type}, not a message"
    assert record.message is not None
    message = record.message
    if message.embeds:
        return Kind.ANSWER
    if RETRY.search(message.content):
        return Kind.COOLDOWN
    if SUGGEST in message.content:
        return Kind.SUGGESTION
    if DECLINE in message.content:
        return Kind.DECLINE
    raise AssertionError(f"unrecognised reply: {message.payload}")


def is_loopback(address: object) -> bool:
    host = getattr(address, "ip", None)
    if not host:
        return True  # no remote end (a listening socket)
    return ipaddress.ip_address(str(host).split("%")[0]).is_loopback


# --- a dropped gateway ------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["close", "reconnect"], ids=["close-4000", "op7-reconnect"])
async def test_dropped_gateway_resumes_and_keeps_answering(
    fake_discord: FakeDiscord, bot_process, mode: str
) -> None:
    await bot_process()
    before = fake_discord.gateway.current[0]
    session_id = before.id

    session = await fake_discord.force_reconnect(mode=mode, code=4000, wait=True, timeout=30)

    assert session is before and session.id == session_id
    assert session.conn is not None and session.conn.path == RESUME_PATH
    assert len(fake_discord.identifies) == 1, "the client identified again instead of resuming"
    assert [(r.session_id, r.accepted) for r in fake_discord.resumes] == [(session_id, True)]
    ix = await fake_discord.slash("ask", {"question": "where is the meeting"})
    venue_card(await ix.response(timeout=10))
    assert callback_latency(fake_discord, ix) < DISCORD_DEADLINE
    fake_discord.assert_clean()


async def test_question_asked_while_disconnected_is_answered_after_resume(
    fake_discord: FakeDiscord, bot_process
) -> None:
    await bot_process()
    await fake_discord.force_reconnect(mode="close", code=4000, wait=False)
    ix = await fake_discord.slash("ask", {"question": "where is the meeting"}, user="carol")
    await fake_discord.wait_resumed(timeout=30)
    assert fake_discord.resumes[-1].replayed >= 1, "the question was not replayed on RESUME"
    venue_card(await ix.response(timeout=10))
    assert len(fake_discord.identifies) == 1
    fake_discord.assert_clean()


# --- 429s -------------------------------------------------------------------------------------


@pytest.mark.parametrize("is_global", [False, True], ids=["route", "global"])
async def test_429_on_the_interaction_callback_is_retried(
    fake_discord: FakeDiscord, bot_process, is_global: bool
) -> None:
    await bot_process()
    fake_discord.answer_next_with_429("POST", CALLBACK_ROUTE, retry_after=0.3, is_global=is_global)

    ix = await fake_discord.slash("ask", {"question": "where is the meeting"})

    venue_card(await ix.response(timeout=10))
    attempts = fake_discord.requests_to("POST", f"/interactions/{ix.id}/*/callback")
    assert [r.status for r in attempts] == [429, 200]
    assert attempts[0].json == attempts[1].json, "the retry must send the same answer"
    assert attempts[1].at - attempts[0].at >= 0.3 - 0.05, "retried before retry_after"
    assert callback_latency(fake_discord, ix) < DISCORD_DEADLINE
    fake_discord.assert_clean()


async def test_429_on_a_mention_reply_is_retried_and_sent_once(
    fake_discord: FakeDiscord, bot_process
) -> None:
    await bot_process()
    channel = fake_discord.world.faq
    route = f"/channels/{channel.id}/messages"
    fake_discord.answer_next_with_429("POST", route, retry_after=0.3)

    asked = await fake_discord.message("where is the meeting?", channel=channel, user="bob")

    reply = await asked.reply(timeout=10)
    venue_card(reply)
    assert reply.message_reference is not None
    assert reply.message_reference["message_id"] == str(asked.id)
    assert [r.status for r in fake_discord.requests_to("POST", route)] == [429, 200]
    await asyncio.sleep(0.5)
    assert len(asked.replies) == 1, "the reply was posted twice"
    fake_discord.assert_clean()


# --- a burst of questions ---------------------------------------------------------------------


@dataclass(frozen=True)
class Asked:
    handle: InteractionHandle
    user: Member
    question: str


@pytest.mark.fake_discord(world=world_with_users(BURST_USERS))
async def test_burst_of_200_questions_from_50_users_all_answered_in_time(
    fake_discord: FakeDiscord, bot_process, faq_dir: Path, index: FaqIndex
) -> None:
    env = {
        "FAQ_DIR": str(faq_dir),
        "COOLDOWN_RATE": str(BURST_COOLDOWN_RATE),
        "COOLDOWN_SECONDS": "60",
    }
    bot: BotProcess = await bot_process(env=env)
    users = [fake_discord.member(f"user{i}") for i in range(BURST_USERS)]
    channels = [fake_discord.world.general, fake_discord.world.faq]
    plan = [
        (users[n % BURST_USERS], QUESTIONS[n % len(QUESTIONS)], channels[n % 2])
        for n in range(BURST_SIZE)
    ]

    # Dispatched back to back with `barrier=False`: 200 barriers would be 200 heartbeats from
    # the client, past discord.py's gateway send limit (a 60 s stall).
    warm_up = await fake_discord.slash("ask", {"question": "where is the meeting"}, user="alice")
    venue_card(await warm_up.response())
    sent = [
        Asked(await ask_now(fake_discord, question, user, channel), user, question)
        for user, question, channel in plan
    ]
    dispatched = [a.handle.interaction.created_at for a in sent]
    assert max(dispatched) - min(dispatched) < 2.0, "the questions were not sent as a burst"

    results = await asyncio.gather(
        *(a.handle.callback(timeout=15) for a in sent), return_exceptions=True
    )
    unanswered = [str(r).splitlines()[0] for r in results if isinstance(r, BaseException)]
    assert not unanswered, f"{len(unanswered)} of {BURST_SIZE} never answered: {unanswered[:5]}"
    fake_discord.assert_clean()  # among others: no callback after Discord's 3 s deadline

    kinds: Counter[Kind] = Counter()
    per_user: dict[int, Counter[Kind]] = {u.id: Counter() for u in users}
    wrong: list[str] = []
    latencies = []
    for asked, record in zip(sent, results, strict=True):
        assert isinstance(record, CallbackRecord)
        kind = classify(record)
        kinds[kind] += 1
        per_user[asked.user.id][kind] += 1
        latencies.append(callback_latency(fake_discord, asked.handle))
        if kind is Kind.COOLDOWN:
            if not record.flags & EPHEMERAL:
                wrong.append(f"{asked.question!r}: cooldown message is public")
            continue
        verdict = index.answer(asked.question)
        expected = EXPECTED_KIND[verdict.outcome]
        if kind is not expected:
            wrong.append(f"{asked.question!r}: got a {kind}, expected a {expected}")
        elif kind is Kind.ANSWER and verdict.best is not None:
            assert record.message is not None
            title = record.message.embeds[0]["title"]
            if title != verdict.best.entry.question:
                wrong.append(f"{asked.question!r}: answered {title!r}")
        elif kind is Kind.DECLINE and not record.flags & EPHEMERAL:
            wrong.append(f"{asked.question!r}: the decline is public")
    assert not wrong, "\n".join(wrong)

    assert sum(kinds.values()) == BURST_SIZE
    per = BURST_SIZE // BURST_USERS
    assert kinds[Kind.COOLDOWN] == BURST_USERS * (per - BURST_COOLDOWN_RATE), kinds
    assert all(c[Kind.COOLDOWN] == per - BURST_COOLDOWN_RATE for c in per_user.values())
    assert kinds[Kind.ANSWER] and kinds[Kind.DECLINE], kinds  # suggestions depend on the FAQ
    latencies.sort()
    assert latencies[-1] < DISCORD_DEADLINE, f"slowest callback {latencies[-1]:.2f} s"

    ix = await fake_discord.slash("ask", {"question": "where is the meeting"}, user="alice")
    venue_card(await ix.response(timeout=10))
    assert bot.returncode is None


# --- only the fake --------------------------------------------------------------------------


async def test_the_bot_talks_to_nothing_but_the_fake(
    fake_discord: FakeDiscord, bot_process
) -> None:
    bot: BotProcess = await bot_process()
    world = fake_discord.world
    answered = await fake_discord.slash("ask", {"question": "where is the meeting"})
    venue_card(await answered.response())
    await (await fake_discord.slash("dates", channel=world.faq)).response()
    await (await fake_discord.slash("about")).response()
    menu = await (await fake_discord.slash("faq")).response()
    await (await fake_discord.select(menu, "faq:browse:topics", ["venue"])).response()
    await (await fake_discord.autocomplete("ask", "question", "where is the venu")).choices()
    mention = await fake_discord.message("when is the 12msp?", user="carol")
    assert (await mention.reply()).embeds
    dm = await fake_discord.message("where is the meeting?", dm=True, mention_bot=False)
    venue_card(await dm.reply())

    assert fake_discord.unknown_routes == []
    assert {r.auth for r in fake_discord.requests} <= {"bot", "none"}
    assert "NETWORK GUARD" not in bot.output()
    process = psutil.Process(bot.pid)
    sockets = [*process.net_connections(kind="inet")]
    for child in process.children(recursive=True):
        sockets += child.net_connections(kind="inet")
    outside = [c for c in sockets if not (is_loopback(c.laddr) and is_loopback(c.raddr))]
    assert not outside, f"sockets outside loopback: {outside}"
    assert any(c.raddr and c.raddr.port == int(fake_discord.url.rsplit(":", 1)[1]) for c in sockets)
    fake_discord.assert_clean()
