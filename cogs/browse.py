"""/faq [topic]: browse the FAQ with select menus (privately: menus are personal)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands
from rapidfuzz import fuzz, process

from bot.engine.models import Faq, Topic
from bot.ui import components, render
from bot.ui import reply as _reply

if TYPE_CHECKING:
    from bot.client.faqbot import FaqBot

log = logging.getLogger(__name__)


def find_topic(faq: Faq, text: str) -> Topic | None:
    """A topic by id, by title (any case), or by a close enough spelling."""
    wanted = text.strip()
    if not wanted:
        return None
    topic = faq.topic(wanted) or faq.topic(wanted.casefold())
    if topic is not None:
        return topic
    by_title = {t.title.casefold(): t for t in faq.topics}
    if wanted.casefold() in by_title:
        return by_title[wanted.casefold()]
    names = {t.id: f"{t.id} {t.title}" for t in faq.topics}
    hit = process.extractOne(wanted, names, scorer=fuzz.WRatio, score_cutoff=85)
    return faq.topic(hit[2]) if hit else None


def topic_choices(faq: Faq, current: str) -> list[app_commands.Choice[str]]:
    typed = current.strip().casefold()
    topics = list(faq.topics)
    if typed:
        scored = [
            (
                fuzz.WRatio(typed, f"{t.title} {t.id} {t.description}".casefold())
                + (100 if t.title.casefold().startswith(typed) or t.id.startswith(typed) else 0),
                t,
            )
            for t in topics
        ]
        topics = [t for score, t in sorted(scored, key=lambda s: -s[0]) if score >= 50]
    return [
        app_commands.Choice(name=render.clip(t.title, render.CHOICE_NAME_LIMIT), value=t.id)
        for t in topics[: render.CHOICES_LIMIT]
    ]


class Browse(commands.Cog):
    def __init__(self, bot: FaqBot) -> None:
        self.bot = bot

    @app_commands.command(name="faq", description="Browse the FAQ by topic")
    @app_commands.describe(topic="Open this topic directly (leave empty to see every topic)")
    async def faq(
        self,
        interaction: discord.Interaction[FaqBot],
        topic: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        index = self.bot.knowledge.index
        chosen = None
        if topic:
            chosen = find_topic(index.faq, topic)
            if chosen is None:
                await _reply.send(
                    interaction,
                    _reply.Reply(
                        content=render.missing_topic_text(topic, index.faq),
                        embeds=(render.topics_embed(index.faq),),
                        view=components.browse_view(index.faq, None),
                        ephemeral=True,
                    ),
                )
                return
        await _reply.send(interaction, _reply.browser_reply(index, chosen))

    @faq.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: discord.Interaction[FaqBot], current: str
    ) -> list[app_commands.Choice[str]]:
        try:
            return topic_choices(self.bot.knowledge.index.faq, current)
        except Exception:
            log.exception("topic autocomplete failed")
            return []


async def setup(bot: FaqBot) -> None:
    await bot.add_cog(Browse(bot))
