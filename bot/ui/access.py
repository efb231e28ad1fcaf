"""Who is a moderator: a member of MOD_ROLE_IDS, or with Manage Server when MOD_ROLE_IDS is
empty; in a server only. The one rule for `/faq-admin`, its buttons and the hand-off cards."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Self

import discord

from bot.ui.items import AnyInteraction, GuardedItem, label_of
from bot.ui.limits import BUTTON_LABEL_LIMIT
from bot.ui.reply import say
from bot.ui.text import clip

if TYPE_CHECKING:
    from bot.client.faqbot import FaqBot

    Interaction = discord.Interaction[FaqBot]


log = logging.getLogger(__name__)

REFUSAL = "Only FAQ moderators can use this."
GUILD_ONLY = "This only works in a server."


def is_moderator(
    role_ids: Iterable[int], *, manage_guild: bool, mod_role_ids: Sequence[int]
) -> bool:
    """A member of MOD_ROLE_IDS; with no MOD_ROLE_IDS, anyone with Manage Server."""
    if mod_role_ids:
        return not set(mod_role_ids).isdisjoint(role_ids)
    return manage_guild


def member_role_ids(user: discord.abc.User) -> set[int]:
    roles = {role.id for role in getattr(user, "roles", ())}
    return roles | set(getattr(user, "_roles", ()))  # ids even for roles not in the cache


def allowed(interaction: Interaction) -> bool:
    """Whether the user is a moderator (see the module doc)."""
    return is_moderator(
        member_role_ids(interaction.user),
        manage_guild=interaction.permissions.manage_guild,
        mod_role_ids=interaction.client.settings.mod_role_ids,
    )


def refusal(interaction: Interaction, what: str) -> str | None:
    """Why the user may not use `what` (logged when not a moderator), or None."""
    if interaction.guild_id is None:
        return GUILD_ONLY
    if allowed(interaction):
        return None
    log.warning(
        "refused %s for user %s (not a moderator) in guild %s",
        what,
        interaction.user.id,
        interaction.guild_id,
    )
    return REFUSAL


async def admitted(interaction: Interaction, what: str) -> bool:
    """True for a moderator; anyone else is told privately why not."""
    reason = refusal(interaction, what)
    if reason is None:
        return True
    await say(interaction, reason)
    return False


class ModeratorButton(
    GuardedItem,
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"mod:(?:[a-z]+:)+(?P<id>[0-9]{1,18})",
):
    """A button only moderators may press, for one numbered thing (a preview, a stored row):
    its custom_id is `prefix` and the number. A subclass names its `prefix` (a class keyword:
    its template follows from it), `default_label`, `style`, and `press`; anyone else who
    clicks is told privately why not. Never registered itself: its template is only the
    shape every subclass's custom_id has."""

    prefix: ClassVar[str]
    default_label: ClassVar[str]
    style: ClassVar[discord.ButtonStyle] = discord.ButtonStyle.secondary

    def __init_subclass__(cls, *, prefix: str, **kwargs: Any) -> None:
        cls.prefix = prefix
        super().__init_subclass__(template=rf"{re.escape(prefix)}(?P<id>[0-9]{{1,18}})", **kwargs)

    def __init__(self, number: int, *, label: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=clip(label or self.default_label, BUTTON_LABEL_LIMIT),
                style=self.style,
                custom_id=f"{self.prefix}{number}",
            )
        )
        self.number = number

    @classmethod
    async def from_custom_id(
        cls, interaction: AnyInteraction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(int(match["id"]), label=label_of(item, cls.default_label))

    async def handle(self, interaction: Interaction) -> None:
        if await admitted(interaction, self.where):
            await self.press(interaction)

    async def press(self, interaction: Interaction) -> None:
        """What a moderator's click does."""
        raise NotImplementedError
