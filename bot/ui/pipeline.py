"""The interaction pipeline every command, item and message goes through:

1. admission (`admit`, `admit_message`): an interaction too old to answer is dropped
   unanswered; while the bot shuts down, the user is told it is restarting;
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
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import discord

from bot.i18n import tr
from bot.ops.logs import context as log_context
from bot.services.cooldown import Cooldown
from bot.ui.reply import Reply, reply_to, say
from bot.ui.texts import (
    ERROR_TEXT,
    RESTARTING_TEXT,
    cooldown_text,
    message_language,
    reader_language,
    told,
)

if TYPE_CHECKING:
    from bot.client.faqbot import FaqBot

log = logging.getLogger(__name__)

Interaction = discord.Interaction["FaqBot"]


async def admit(interaction: Interaction) -> bool:
    """False for an interaction too old to answer (nothing is sent), and (after telling the
    user) while the bot shuts down. Never raises."""
    bot = interaction.client
    try:
        if bot.drop_expired(interaction):
            return False
        if not bot.draining:
            return True
        if interaction.type is discord.InteractionType.autocomplete:
            with contextlib.suppress(discord.HTTPException):
                await interaction.response.autocomplete([])
        else:
            await say(interaction, told(interaction, RESTARTING_TEXT))
        return False
    except Exception:
        log.exception("admission check failed")
    return True


async def admit_message(bot: FaqBot, message: discord.Message) -> bool:
    """False (after replying that the bot is restarting) while the bot shuts down."""
    if not bot.draining:
        return True
    with contextlib.suppress(discord.HTTPException):
        await reply_to(message, Reply(content=tr(message_language(message), RESTARTING_TEXT)))
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


async def check_cooldown(interaction: Interaction, cooldown: Cooldown) -> bool:
    """True when the user may go on; otherwise they are told (privately) when to retry."""
    verdict = cooldown.hit(interaction.user.id)
    if verdict.allowed:
        return True
    await say(
        interaction, cooldown_text(verdict.retry_seconds, reader_language(interaction.locale))
    )
    return False


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

    async def tell(text: str) -> None:
        await say(interaction, told(interaction, text))

    await report_failure(bot, error, where=where, guild_id=interaction.guild_id, tell=tell)


async def report_message_error(bot: FaqBot, message: discord.Message, error: BaseException) -> None:
    """Answering a mention or a DM failed."""

    async def tell(text: str) -> None:
        await reply_to(message, Reply(content=tr(message_language(message), text)))

    guild_id = message.guild.id if message.guild else None
    await report_failure(bot, error, where="answering a message", guild_id=guild_id, tell=tell)


async def report_failure(
    bot: FaqBot,
    error: BaseException,
    *,
    where: str,
    guild_id: int | None,
    tell: Callable[[str], Awaitable[None]],
) -> None:
    """Log the traceback, count it, tell the user "something went wrong" (`tell`), and tell
    the moderators. Never raises: every step is tried even when one before it failed."""
    original = getattr(error, "original", None) or error
    log.error(
        "%s failed: %s: %s",
        where,
        type(original).__name__,
        original,
        exc_info=(type(original), original, original.__traceback__),
        extra=log_context(guild=guild_id, command=where),
    )
    try:
        bot.count_error("handler")
    except Exception:
        log.exception("could not count the error")
    try:
        await tell(ERROR_TEXT)
    except Exception as exc:
        log.warning("could not send the error reply: %s", exc)
    try:
        await bot.alert_moderators(
            f"{where}:{type(original).__name__}",
            f"⚠️ {where} failed with {type(original).__name__} "
            f"(server {guild_id or 'DM'}); the traceback is in the bot's log.",
        )
    except Exception:
        log.exception("could not alert the moderators")
