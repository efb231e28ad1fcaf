"""The moderators' persistent buttons and what they do: learn a missed question as an alias
of an entry, and remove a learned alias again.

custom_id formats (<= 100 characters; the alias text stays in SQLite, not in the id):
- `mod:alias:add:<candidate row id>`  "Add as alias of <entry>" under `/faq-admin misses`
- `mod:alias:rm:<candidate row id>`   "Remove" (after adding, and in `/faq-admin aliases`)
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord

from bot.services.editing import forget_check, keep_as_check
from bot.services.learned import LearnedAliasesError
from bot.ui.items import ItemClass, finished, new_view
from bot.ui.limits import (
    COLOUR_FAIL,
    COLOUR_OK,
    CONTENT_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_TITLE_LIMIT,
)
from bot.ui.reply import Reply, say, send
from bot.ui.text import clip, code_block, echo
from cogs.admin._access import ModeratorButton

if TYPE_CHECKING:
    from bot.client.faqbot import FaqBot

    Interaction = discord.Interaction[FaqBot]


Button = discord.ui.Button[discord.ui.View]

ADD_ALIAS_PREFIX = "mod:alias:add:"
REMOVE_ALIAS_PREFIX = "mod:alias:rm:"
RESULT_SHOWN = 500
"""Characters of an alias change's message shown to the moderator."""
NO_STORE = "The question database is not available (see the bot's log)."


class AddAliasButton(ModeratorButton, prefix=ADD_ALIAS_PREFIX):
    """Adds a stored miss as an alias of the entry the engine thought closest."""

    where = "add alias button"
    default_label = "Add as alias"
    style = discord.ButtonStyle.primary

    async def press(self, interaction: Interaction) -> None:
        await add_alias(interaction, self.number)


class RemoveAliasButton(ModeratorButton, prefix=REMOVE_ALIAS_PREFIX):
    """Removes a learned alias (the text stays in SQLite; the custom_id has its row id)."""

    where = "remove alias button"
    default_label = "Remove"
    style = discord.ButtonStyle.danger

    async def press(self, interaction: Interaction) -> None:
        store = interaction.client.store
        candidate = await store.alias_candidate(self.number) if store else None
        if candidate is None:
            await say(interaction, "This button has expired; use `/faq-admin unalias`.")
            return
        await remove_alias(interaction, candidate.entry_id, candidate.alias)


ADMIN_ITEMS: tuple[ItemClass, ...] = (AddAliasButton, RemoveAliasButton)
"""Registered by the admin cog."""


async def send_embed(
    interaction: Interaction, embed: discord.Embed, view: discord.ui.View | None = None
) -> None:
    """A private embed (with the view's buttons, when it has any)."""
    shown_view = finished(view) if view is not None and view.children else None
    await send(interaction, Reply(embeds=(embed,), view=shown_view, ephemeral=True))


async def add_alias(interaction: Interaction, candidate_id: int) -> None:
    bot = interaction.client
    store = bot.store
    if store is None:
        await say(interaction, NO_STORE)
        return
    await interaction.response.defer(ephemeral=True, thinking=True)
    candidate = await store.alias_candidate(candidate_id)
    if candidate is None:
        await say(interaction, "This suggestion has expired; run `/faq-admin misses` again.")
        return
    change = await asyncio.to_thread(
        bot.learned.add, candidate.entry_id, candidate.alias, faq_dir=bot.knowledge.faq_dir
    )
    if not change.ok:
        embed = discord.Embed(
            title=clip(change.message, EMBED_TITLE_LIMIT),
            description=code_block(map(str, change.problems), EMBED_DESCRIPTION_LIMIT)
            if change.problems
            else None,
            colour=COLOUR_FAIL,
        )
        await send_embed(interaction, embed)
        return
    await store.set_alias_status(candidate_id, "accepted")
    text = change.message
    if change.changed:
        result = await bot.faq_watcher.reload(
            f"alias added by {interaction.user} ({interaction.user.id})"
        )
        text += (
            f"; FAQ {result.version} is live"
            if result.ok
            else f"; saved, but the FAQ does not load: {result.summary()}"
        )
        if result.ok:
            note = await asyncio.to_thread(
                keep_as_check,
                bot.knowledge.faq_dir,
                bot.knowledge.index,
                candidate.alias,
                candidate.entry_id,
            )
            text += f"; {note}."
    view = new_view()
    view.add_item(RemoveAliasButton(candidate_id, label="Undo"))
    embed = discord.Embed(description=echo(text, RESULT_SHOWN), colour=COLOUR_OK)
    await send_embed(interaction, embed, view)


async def remove_alias(interaction: Interaction, entry_id: str, alias: str) -> None:
    bot = interaction.client
    await interaction.response.defer(ephemeral=True, thinking=True)
    try:
        change = await asyncio.to_thread(bot.learned.remove, entry_id, alias)
    except LearnedAliasesError as exc:
        await say(
            interaction, clip(f"The learned aliases file has errors: {exc}", CONTENT_LIMIT - 100)
        )
        return
    text = change.message
    if change.changed:
        # Its check goes first: without the alias the question may no longer reach the entry.
        note = await asyncio.to_thread(forget_check, bot.knowledge.faq_dir, alias, entry_id)
        if note != "no check to drop":
            text += f"; {note}"
        result = await bot.faq_watcher.reload(
            f"alias removed by {interaction.user} ({interaction.user.id})"
        )
        text += f"; FAQ {result.version} is live." if result.ok else f"; {result.summary()}"
    embed = discord.Embed(
        description=echo(text, RESULT_SHOWN), colour=COLOUR_OK if change.ok else COLOUR_FAIL
    )
    await send_embed(interaction, embed)
