"""/about: what the bot is, the source it answers from, and the ISU's contact details."""

from __future__ import annotations

from importlib import metadata
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.i18n import faq_language, tr
from bot.ui import card, embeds
from bot.ui.items import finished, new_view
from bot.ui.reply import Reply, send

if TYPE_CHECKING:
    from bot.client.faqbot import FaqBot


def package_version() -> str:
    try:
        return metadata.version("faqbot-12msp")
    except metadata.PackageNotFoundError:
        return "unknown"


class About(commands.Cog):
    def __init__(self, bot: FaqBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="about", description="What this bot is and where its answers come from"
    )
    async def about(self, interaction: discord.Interaction[FaqBot]) -> None:
        faq = card.reader_index(interaction).faq
        language = faq_language(faq)
        name = self.bot.user.name if self.bot.user else "the 12MSP FAQ bot"
        embed = embeds.about_embed(faq, bot_name=name, version=package_version())
        source = embeds.primary_source(faq)
        view = new_view()
        if source is not None and source.url:
            view.add_item(discord.ui.Button(label=tr(language, "Read the source"), url=source.url))
        website = next((e.link for e in embeds.contact_entries(faq) if e.link), None)
        if website:
            view.add_item(discord.ui.Button(label=tr(language, "ISU website"), url=website))
        await send(
            interaction,
            Reply(
                embeds=(embed,),
                view=finished(view) if view.children else None,
                ephemeral=True,
            ),
        )


async def setup(bot: FaqBot) -> None:
    await bot.add_cog(About(bot))
