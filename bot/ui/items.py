"""The one base of every persistent item (buttons and menus that survive a restart), and the
view helpers they are sent in.

An item's state lives in its custom_id (a `DynamicItem` template); its behaviour lives in its
own `handle` (discord.py's `dynamic_counter.py` pattern), so no module calls back into another
to handle a click. Each cog registers the items it sends with `bot.add_dynamic_items`.

Views are built "finished" (`view.stop()` before sending): discord.py then never stores or
times them out. A stored view that times out would unregister the DynamicItem templates it
contains, and every older button with them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, cast

import discord

from bot.ui import pipeline

if TYPE_CHECKING:
    from bot.client.faqbot import FaqBot

ItemClass = type[discord.ui.DynamicItem[Any]]
AnyInteraction = discord.Interaction[Any]
"""How discord.py types the interactions it hands to items and cogs (any client)."""


def ours(interaction: AnyInteraction) -> discord.Interaction[FaqBot]:
    """The interaction, typed with our client: every interaction this bot receives is."""
    return cast("discord.Interaction[FaqBot]", interaction)


class GuardedItem:
    """Mixed in before `discord.ui.DynamicItem`: refuse politely while shutting down, count
    the work as in flight, and turn any exception into an ephemeral error reply (discord.py
    would only log it and leave the interaction unanswered)."""

    where: ClassVar[str] = "component"
    """How logs, metrics and moderator alerts name this item."""

    async def interaction_check(self, interaction: AnyInteraction, /) -> bool:
        return await pipeline.admit(ours(interaction))

    async def callback(self, interaction: AnyInteraction) -> None:
        await pipeline.run_guarded(ours(interaction), self.handle, where=self.where)

    async def handle(self, interaction: discord.Interaction[FaqBot]) -> None:
        """What a click does (the interaction is admitted and counted as in flight)."""
        raise NotImplementedError


def label_of(item: discord.ui.Item[Any], default: str) -> str:
    """The label of the button a click came from (`from_custom_id` rebuilds it with it)."""
    label = item.label if isinstance(item, discord.ui.Button) else None
    return label or default


def options_of(item: discord.ui.Item[Any]) -> list[discord.SelectOption]:
    """The options of the select menu a choice came from."""
    return list(item.options) if isinstance(item, discord.ui.Select) else []


def handles(items: Iterable[ItemClass], custom_id: str) -> bool:
    """Whether one of `items` handles `custom_id`."""
    return any(cls.__discord_ui_compiled_template__.fullmatch(custom_id) for cls in items)


def namespace(item: ItemClass) -> str:
    """`faq:` for a template `faq:answer:...`: the prefix shared by a feature's custom_ids."""
    return item.__discord_ui_compiled_template__.pattern.split(":", 1)[0] + ":"


def new_view() -> discord.ui.View:
    return discord.ui.View(timeout=None)


def finished(view: discord.ui.View) -> discord.ui.View:
    """Mark `view` done so discord.py sends it without storing it (see the module doc)."""
    view.stop()
    return view
