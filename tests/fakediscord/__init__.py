"""A fake Discord (API v10 REST + gateway) for end-to-end tests of a discord.py bot.

async with FakeDiscord() as fake:          # the standard world: see models.default_world
    ...start the bot against fake.url (see launcher.py and tests/conftest.py)...
    await fake.wait_ready()
    ix = await fake.slash("faq", {"query": "dates"})
    message = await ix.response()
    assert "2024" in message.text
    fake.assert_clean()
"""

from .driver import (
    DEFAULT_TOKEN,
    CommandUnavailableError,
    FakeDiscord,
    InteractionHandle,
    UserMessage,
)
from .models import (
    Channel,
    ChannelType,
    Guild,
    Intent,
    Member,
    Overwrite,
    Perm,
    Role,
    User,
    World,
    default_world,
    make_channel,
    make_guild,
    make_member,
    make_role,
    make_user,
    next_snowflake,
    snowflake_for_shard,
)
from .records import (
    BotMessage,
    CallbackRecord,
    CommandSync,
    Identify,
    RecordedFile,
    RecordedRequest,
    Resume,
    Violation,
)
from .validation import Problem

SAMPLE_BOT_MODULE = "tests.fakediscord.samplebot"
"""The harness's own minimal bot, runnable by the launcher with `--module`."""

__all__ = [
    "DEFAULT_TOKEN",
    "SAMPLE_BOT_MODULE",
    "BotMessage",
    "CallbackRecord",
    "Channel",
    "ChannelType",
    "CommandSync",
    "CommandUnavailableError",
    "FakeDiscord",
    "Guild",
    "Identify",
    "Intent",
    "InteractionHandle",
    "Member",
    "Overwrite",
    "Perm",
    "Problem",
    "RecordedFile",
    "RecordedRequest",
    "Resume",
    "Role",
    "User",
    "UserMessage",
    "Violation",
    "World",
    "default_world",
    "make_channel",
    "make_guild",
    "make_member",
    "make_role",
    "make_user",
    "next_snowflake",
    "snowflake_for_shard",
]
