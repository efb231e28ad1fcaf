"""The interaction pipeline every command, item and message goes through:

1. admission (`admit`, `admit_message`): an interaction too old to answer is dropped
   unanswered; while the bot shuts down, the user is told it is restarting; past the abuse
   ceiling (`bot.services.rate_policy`) the user is told, in words, when to try again;
2. work in flight (`FaqBot.handling`, entered by the command tree, by `run_guarded` for
   items and by `run_guarded_message` for mentions and DMs);
3. failures (`report_interaction_error`, `report_message_error`, both through
   `report_failure`): logged with the traceback, counted, a private "something went wrong",
   and one line for the moderators (`FaqBot.alert_moderators`).

The texts users read on these paths are in `bot.ui.texts`.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol

import discord

from bot.i18n import tr
from bot.ops.logs import context as log_context
from bot.services.storage_errors import storage_problem
from bot.services.store import StoreError
from bot.ui.reply import Reply, reply_to, say
from bot.ui.texts import (
    ERROR_TEXT,
    RESTARTING_TEXT,
    STORAGE_ERROR_TEXT,
    message_language,
    reader_language,
    slow_down_text,
    told,
)

if TYPE_CHECKING:
    from bot.client.faqbot import FaqBot


class Tell(Protocol):
    """Says a text of `bot.ui.texts` to the user, in their language, filled with `values`."""

    def __call__(self, text: str, **values: object) -> Awaitable[None]: ...


log = logging.getLogger(__name__)

Interaction = discord.Interaction["FaqBot"]


async def admit(interaction: Interaction) -> bool:
    """False for an interaction too old to answer (nothing is sent), and (after telling the
    user) while the bot shuts down or when the user is past the abuse ceiling. Never raises."""
    bot = interaction.client
    try:
        if bot.drop_expired(interaction):
            return False
        autocomplete = interaction.type is discord.InteractionType.autocomplete
        if bot.draining:
            if autocomplete:
                with contextlib.suppress(discord.HTTPException):
                    await interaction.response.autocomplete([])
            else:
                await say(interaction, told(interaction, RESTARTING_TEXT))
            return False
        if autocomplete:
            return True  # typing is not asking: never counted
        verdict = bot.rate_policy.admit(interaction.user.id)
        if not verdict.allowed:
            # Private, so it floods nothing; unanswered, Discord would say "interaction failed".
            language = reader_language(interaction.locale)
            await say(interaction, slow_down_text(verdict.retry_seconds, language))
            return False
        return True
    except Exception:
        log.exception("admission check failed")
    return True


async def admit_message(bot: FaqBot, message: discord.Message) -> bool:
    """False (after replying that the bot is restarting) while the bot shuts down; False
    past the abuse ceiling, told in words the first time in the window and silent after
    (a public reply to each would flood the channel the ceiling protects)."""
    if bot.draining:
        with contextlib.suppress(discord.HTTPException):
            await reply_to(message, Reply(content=tr(message_language(message), RESTARTING_TEXT)))
        return False
    verdict = bot.rate_policy.admit(message.author.id)
    if verdict.allowed:
        return True
    if verdict.tell:
        with contextlib.suppress(discord.HTTPException):
            slow_down = slow_down_text(verdict.retry_seconds, message_language(message))
            await reply_to(message, Reply(content=slow_down))
    return False


async def run_guarded(
    interaction: Interaction,
    handler: Callable[[Interaction], Awaitable[None]],
    *,
    where: str,
) -> None:
    """Run a component handler as work in flight (when its turn comes: dropped if that made
    it too old to answer); any exception gets an error reply."""
    bot = interaction.client
    async with bot.handling():
        if bot.drop_expired(interaction):
            return
        try:
            await handler(interaction)
        except Exception as exc:
            await report_interaction_error(interaction, exc, where=where)


async def run_guarded_message(
    bot: FaqBot, message: discord.Message, handler: Callable[[], Awaitable[None]]
) -> None:
    """Admit a mention or DM, then run its handler as work in flight; a channel the bot may
    not write in is logged, any other failure reported."""
    if not await admit_message(bot, message):
        return
    async with bot.handling():
        try:
            await handler()
        except discord.Forbidden as exc:
            log.warning(
                "cannot reply in channel %s (missing permission): %s", message.channel.id, exc
            )
        except Exception as exc:
            await report_message_error(bot, message, exc)


async def report_interaction_error(
    interaction: Interaction, error: BaseException, *, where: str
) -> None:
    """A failed command or item. Discord's 10062 "Unknown interaction" (the reply came after
    its 3 s) is expected under load: counted and logged in one line, with no reply (it would
    fail too) and no alert."""
    bot = interaction.client
    try:
        if bot.expired_on_reply(interaction, error, where=where):
            return
    except Exception:
        log.exception("could not check for an expired interaction")

    async def tell(text: str, **values: object) -> None:
        await say(interaction, told(interaction, text, **values))

    await report_failure(bot, error, where=where, guild_id=interaction.guild_id, tell=tell)


async def report_message_error(bot: FaqBot, message: discord.Message, error: BaseException) -> None:
    """Answering a mention or a DM failed. Discord failing the reply (5xx or 429 after
    discord.py's retries) is Discord's outage, not our bug: one line, no traceback (the question
    was recorded before the reply)."""
    original = getattr(error, "original", None) or error
    if isinstance(original, discord.HTTPException) and (
        original.status >= 500 or original.status == 429
    ):
        log.warning(
            "could not reply to message %s: Discord answered %s after retries; nothing sent",
            message.id,
            original.status,
        )
        bot.count_error("discord_http")
        return

    async def tell(text: str, **values: object) -> None:
        await reply_to(message, Reply(content=tr(message_language(message), text, **values)))

    guild_id = message.guild.id if message.guild else None
    await report_failure(bot, error, where="answering a message", guild_id=guild_id, tell=tell)


async def report_failure(
    bot: FaqBot,
    error: BaseException,
    *,
    where: str,
    guild_id: int | None,
    tell: Tell,
) -> None:
    """Log the traceback, count it, tell the user "something went wrong" (`tell`), and tell
    the moderators. Never raises: every step is tried even when one before it failed.

    A storage failure (read-only DATA_DIR, full disk, a database error) is not a bug: one
    line in words, no traceback, and the user and the moderators read the cause."""
    original = getattr(error, "original", None) or error
    context = log_context(guild=guild_id, command=where)
    if isinstance(original, OSError | sqlite3.Error | StoreError):
        problem = storage_problem(original)
        log.error("%s failed: %s (%s)", where, problem, original, extra=context)
        await _count_tell_alert(
            bot,
            tell,
            kind="storage",
            text=STORAGE_ERROR_TEXT,
            values={"problem": problem},
            alert_key=f"storage:{problem}",
            alert=f"⚠️ {where} failed: {problem} (data folder {bot.store_dir}).",
        )
        return
    name = type(original).__name__
    log.error(
        "%s failed: %s: %s",
        where,
        name,
        original,
        exc_info=(type(original), original, original.__traceback__),
        extra=context,
    )
    await _count_tell_alert(
        bot,
        tell,
        kind="handler",
        text=ERROR_TEXT,
        values={},
        alert_key=f"{where}:{name}",
        alert=(
            f"⚠️ {where} failed with {name} (server {guild_id or 'DM'}); "
            "the traceback is in the bot's log."
        ),
    )


async def _count_tell_alert(
    bot: FaqBot,
    tell: Tell,
    *,
    kind: str,
    text: str,
    values: dict[str, object],
    alert_key: str,
    alert: str,
) -> None:
    """Count the failure as `kind`, tell the user `text`, alert the moderators: each step
    tried even when one before it failed."""
    try:
        bot.count_error(kind)
    except Exception:
        log.exception("could not count the error")
    try:
        await tell(text, **values)
    except Exception as exc:
        log.warning("could not send the error reply: %s", exc)
    try:
        await bot.alert_moderators(alert_key, alert)
    except Exception:
        log.exception("could not alert the moderators")
