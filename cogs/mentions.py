"""Mentions and DMs: a message that mentions the bot, or any DM, is answered in a reply.

Needs no privileged intent: Discord includes the content of messages that mention the
bot and of DMs. A reply that only pings the bot (no mention in the text) is not a question.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.services.events import QuestionSource
from bot.ui import card, pipeline

if TYPE_CHECKING:
    from bot.client.faqbot import FaqBot


_ANSWERED_TYPES = (discord.MessageType.default, discord.MessageType.reply)


def mention_pattern(user_id: int, role_id: int | None = None) -> re.Pattern[str]:
    """`<@id>`, `<@!id>`, and the bot's own role `<@&role>` when it has one."""
    parts = [rf"<@!?{user_id}>"]
    if role_id is not None:
        parts.append(rf"<@&{role_id}>")
    return re.compile("|".join(parts))


def strip_mentions(text: str, pattern: re.Pattern[str]) -> str:
    return " ".join(pattern.sub(" ", text).split())


class Mentions(commands.Cog):
    def __init__(self, bot: FaqBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        bot = self.bot
        if message.author.bot or message.webhook_id is not None or bot.user is None:
            return
        if message.type not in _ANSWERED_TYPES:
            return
        if message.guild is None:
            source = QuestionSource.DM
            text = strip_mentions(message.content, mention_pattern(bot.user.id))
        else:
            role = message.guild.self_role
            pattern = mention_pattern(bot.user.id, role.id if role else None)
            if not pattern.search(message.content):
                return
            source = QuestionSource.MENTION
            text = strip_mentions(message.content, pattern)

        async def answer() -> None:
            await card.answer_message(bot, message, text, source=source)

        await pipeline.run_guarded_message(bot, message, answer)


async def setup(bot: FaqBot) -> None:
    await bot.add_cog(Mentions(bot))
