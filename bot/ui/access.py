"""Who is a moderator: a member of MOD_ROLE_IDS, or with Manage Server when MOD_ROLE_IDS is
empty; in a server only. The one rule for `/faq-admin`, its buttons and the hand-off cards."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import discord

from bot.ui.reply import say

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
