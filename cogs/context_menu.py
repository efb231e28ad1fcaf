"""The "Answer with FAQ" message command: answers the target message's text."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.i18n import N_
from bot.services.events import QuestionSource
from bot.ui import card, texts
from bot.ui.reply import say

if TYPE_CHECKING:
    from bot.client.faqbot import FaqBot


NAME = "Answer with FAQ"
NO_TEXT = N_("That message has no text I can answer. Try `/ask` with the question instead.")


class ContextMenu(commands.Cog):
    def __init__(self, bot: FaqBot) -> None:
        self.bot = bot
        self.menu = app_commands.ContextMenu(name=NAME, callback=self.answer_message)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu, override=True)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    async def answer_message(
        self, interaction: discord.Interaction[FaqBot], message: discord.Message
    ) -> None:
        started = time.perf_counter()
        text = message.content.strip()
        if not text:
            await say(interaction, texts.told(interaction, NO_TEXT))
            return
        await card.answer_interaction(
            interaction,
            source=QuestionSource.CONTEXT_MENU,
            question=text,
            content=texts.told(interaction, "In answer to {url}", url=message.jump_url),
            started=started,
        )


async def setup(bot: FaqBot) -> None:
    await bot.add_cog(ContextMenu(bot))
