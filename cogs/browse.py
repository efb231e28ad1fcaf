"""/faq [topic]: browse the FAQ with select menus (privately: menus are personal)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.engine.lookup import find_topic, rank_topics
from bot.engine.models import Faq
from bot.i18n import faq_language
from bot.ui import browser, card, embeds, texts
from bot.ui.limits import CHOICE_NAME_LIMIT, CHOICES_LIMIT
from bot.ui.reply import Reply, send
from bot.ui.text import clip

if TYPE_CHECKING:
    from bot.client.faqbot import FaqBot

log = logging.getLogger(__name__)


def topic_choices(faq: Faq, current: str) -> list[app_commands.Choice[str]]:
    return [
        app_commands.Choice(name=clip(t.title, CHOICE_NAME_LIMIT), value=t.id)
        for t in rank_topics(faq, current)[:CHOICES_LIMIT]
    ]


class Browse(commands.Cog):
    def __init__(self, bot: FaqBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*browser.BROWSER_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*browser.BROWSER_ITEMS)

    @app_commands.command(name="faq", description="Browse the FAQ by topic")
    @app_commands.describe(topic="Open this topic directly (leave empty to see every topic)")
    async def faq(
        self,
        interaction: discord.Interaction[FaqBot],
        topic: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        index = card.reader_index(interaction)
        chosen = None
        if topic:
            chosen = find_topic(index.faq, topic)
            if chosen is None:
                await send(
                    interaction,
                    Reply(
                        content=texts.missing_topic_text(topic, index.faq, faq_language(index.faq)),
                        embeds=(embeds.topics_embed(index.faq),),
                        view=browser.browse_view(index.faq, None),
                        ephemeral=True,
                    ),
                )
                return
        await send(interaction, browser.browser_reply(index, chosen))

    @faq.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: discord.Interaction[FaqBot], current: str
    ) -> list[app_commands.Choice[str]]:
        try:
            return topic_choices(card.reader_index(interaction).faq, current)
        except Exception:
            log.exception("topic autocomplete failed")
            return []


async def setup(bot: FaqBot) -> None:
    await bot.add_cog(Browse(bot))
