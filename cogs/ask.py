"""/ask: answer any question, with autocomplete over the FAQ's questions."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.engine.lookup import ID_MARKER, named_entry
from bot.services.events import QuestionSource
from bot.ui import card
from bot.ui.limits import CHOICE_NAME_LIMIT, CHOICE_VALUE_LIMIT, CHOICES_LIMIT
from bot.ui.text import clip

if TYPE_CHECKING:
    from bot.client.faqbot import FaqBot

log = logging.getLogger(__name__)

MAX_QUESTION_LENGTH = 300


class Ask(commands.Cog):
    def __init__(self, bot: FaqBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*card.CARD_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*card.CARD_ITEMS)

    @app_commands.command(name="ask", description="Ask a question about the 12MSP")
    @app_commands.describe(
        question="Your question, e.g. “When is the meeting?” (suggestions appear as you type)",
        private="Show the answer only to you (default: everyone in the channel sees it)",
    )
    async def ask(
        self,
        interaction: discord.Interaction[FaqBot],
        question: app_commands.Range[str, 1, MAX_QUESTION_LENGTH],
        private: bool = False,
    ) -> None:
        started = time.perf_counter()
        entry = named_entry(self.bot.knowledge.index, question)
        if entry is not None:
            picked = question.strip().startswith(ID_MARKER)
            # A typed FAQ question is answered in its own language; a pick in the user's.
            typed_in = None if picked else self.bot.knowledge.languages.written_in(question)
            await card.answer_interaction(
                interaction,
                source=QuestionSource.AUTOCOMPLETE if picked else QuestionSource.SLASH,
                entry_id=entry.id,
                private=private,
                started=started,
                language=typed_in,
            )
            return
        await card.answer_interaction(
            interaction,
            source=QuestionSource.SLASH,
            question=question,
            private=private,
            started=started,
        )

    @ask.autocomplete("question")
    async def question_autocomplete(
        self, interaction: discord.Interaction[FaqBot], current: str
    ) -> list[app_commands.Choice[str]]:
        """What was typed (so Enter keeps it), then the FAQ questions that best match."""
        try:
            return question_choices(self.bot, current)
        except Exception:
            log.exception("autocomplete failed for %r", current[:100])
            self.bot.count_error("autocomplete")
            return []


def question_choices(bot: FaqBot, current: str) -> list[app_commands.Choice[str]]:
    typed = " ".join(current.split())
    choices: list[app_commands.Choice[str]] = []
    if typed and not typed.startswith(ID_MARKER) and len(typed) <= CHOICE_VALUE_LIMIT:
        choices.append(app_commands.Choice(name=typed, value=typed))
    limit = CHOICES_LIMIT - len(choices)
    for entry in bot.knowledge.index.suggest(typed, limit):
        if typed.casefold() == entry.question.casefold():
            choices = [c for c in choices if c.value != typed]
        choices.append(
            app_commands.Choice(
                name=clip(entry.question, CHOICE_NAME_LIMIT),
                value=f"{ID_MARKER}{entry.id}",
            )
        )
    return choices[:CHOICES_LIMIT]


async def setup(bot: FaqBot) -> None:
    await bot.add_cog(Ask(bot))
