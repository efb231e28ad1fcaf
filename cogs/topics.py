"""/dates, /venue, /participation, /obligations: the lead answer of the matching FAQ topic."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.events import QuestionSource
from bot.ui import card, texts
from bot.ui.reply import say

if TYPE_CHECKING:
    from bot.client.faqbot import FaqBot

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TopicCommand:
    """A command answering the first entry of a FAQ topic (looked up when invoked)."""

    name: str
    topic: str
    description: str
    calendar_file: bool = False


TOPIC_COMMANDS = (
    TopicCommand(
        "dates", "dates", "When the 12MSP takes place (with a calendar file)", calendar_file=True
    ),
    TopicCommand("venue", "venue", "Where the 12MSP takes place"),
    TopicCommand("participation", "participation", "Who takes part in the 12MSP"),
    TopicCommand("obligations", "obligations", "States Parties' obligations the release quotes"),
)


async def answer_topic(interaction: discord.Interaction[FaqBot], spec: TopicCommand) -> None:
    started = time.perf_counter()
    faq = interaction.client.knowledge.index.faq
    topic = faq.topic(spec.topic)
    entry_id = next((i for i in topic.entry_ids if i in faq.by_id), None) if topic else None
    if entry_id is None:
        log.warning("/%s: the FAQ has no topic %r with entries", spec.name, spec.topic)
        await say(interaction, texts.missing_topic_text(spec.topic, faq))
        return
    await card.answer_interaction(
        interaction,
        source=QuestionSource.SLASH,
        entry_id=entry_id,
        calendar_file=spec.calendar_file,
        started=started,
    )


def _make_command(spec: TopicCommand) -> app_commands.Command:
    async def callback(interaction: discord.Interaction[FaqBot]) -> None:
        await answer_topic(interaction, spec)

    callback.__name__ = f"{spec.name}_command"
    return app_commands.Command(name=spec.name, description=spec.description, callback=callback)


class Topics(commands.Cog):
    """Registers one command per `TOPIC_COMMANDS` entry."""

    def __init__(self, bot: FaqBot) -> None:
        self.bot = bot
        self.commands_added = [_make_command(spec) for spec in TOPIC_COMMANDS]

    async def cog_load(self) -> None:
        for command in self.commands_added:
            self.bot.tree.add_command(command, override=True)

    async def cog_unload(self) -> None:
        for command in self.commands_added:
            self.bot.tree.remove_command(command.name)


async def setup(bot: FaqBot) -> None:
    await bot.add_cog(Topics(bot))
