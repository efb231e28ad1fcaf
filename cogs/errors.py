"""The command tree's error handler: every failed command gets a private, polite reply.

Unexpected errors are logged with their traceback and reported to the moderators
(`MOD_LOG_CHANNEL_ID`); expected ones (a check failed, a stale command) are explained.
Component errors are handled alike by `cogs._reply.run_guarded`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.ui import render
from bot.ui import reply as _reply

if TYPE_CHECKING:
    from bot.client.faqbot import FaqBot

log = logging.getLogger(__name__)

STALE_COMMAND = (
    "That command is no longer available (the bot's commands were just updated). "
    "Please try again in a minute."
)
NOT_HERE = "You can't use that command here."
BAD_INPUT = "I couldn't read one of the options: {error}"


class Errors(commands.Cog):
    def __init__(self, bot: FaqBot) -> None:
        self.bot = bot
        self._previous: Any = None

    async def cog_load(self) -> None:
        self._previous = self.bot.tree.on_error
        self.bot.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]

    async def cog_unload(self) -> None:
        if self._previous is not None:
            self.bot.tree.on_error = self._previous  # type: ignore[method-assign]

    async def on_app_command_error(
        self, interaction: discord.Interaction[FaqBot], error: app_commands.AppCommandError
    ) -> None:
        name = interaction.command.qualified_name if interaction.command else "command"
        if isinstance(error, app_commands.CommandNotFound):
            log.info("stale command %r invoked", getattr(error, "name", "?"))
            await _reply.say(interaction, STALE_COMMAND)
        elif isinstance(error, app_commands.CheckFailure):
            message = str(error) if str(error) and "check functions" not in str(error) else NOT_HERE
            await _reply.say(interaction, render.clip(message, render.CONTENT_LIMIT))
        elif isinstance(error, app_commands.TransformerError):
            text = BAD_INPUT.format(error=render.echo(str(error), 300))
            await _reply.say(interaction, text)
        else:
            await _reply.report_interaction_error(interaction, error, where=f"/{name}")


async def setup(bot: FaqBot) -> None:
    await bot.add_cog(Errors(bot))
