"""Sending: a `Reply` is built first, then sent as an interaction response (`send`, `edit`,
`say`), as a reply to a message (`reply_to`), by direct message (`send_direct`), or posted in
a channel (`post_to_channel`).
Nothing sent here pings anyone."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import Any

import discord
from discord.utils import MISSING

from bot.ui.limits import CONTENT_LIMIT, NO_MENTIONS

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    data: bytes
    description: str | None = None

    def to_file(self) -> discord.File:
        return discord.File(
            io.BytesIO(self.data), filename=self.filename, description=self.description
        )


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to send: built first, sent by `send` (interactions) or `reply_to`."""

    content: str | None = None
    embeds: tuple[discord.Embed, ...] = ()
    view: discord.ui.View | None = None
    attachments: tuple[Attachment, ...] = ()
    ephemeral: bool = False


@dataclass(frozen=True, slots=True)
class Sent:
    message_id: int | None
    url: str | None


def jump_url(guild_id: int | None, channel_id: int | None, message_id: int) -> str:
    return f"https://discord.com/channels/{guild_id or '@me'}/{channel_id}/{message_id}"


def _parts(reply: Reply) -> dict[str, Any]:
    """The embeds, view and files of `reply` as discord.py's send methods take them (each
    left out when there is none)."""
    parts: dict[str, Any] = {}
    if reply.embeds:
        parts["embeds"] = list(reply.embeds)
    if reply.view is not None:
        parts["view"] = reply.view
    if reply.attachments:
        parts["files"] = [a.to_file() for a in reply.attachments]
    return parts


async def send(interaction: Interaction, reply: Reply) -> Sent:
    """Respond (or follow up, when already responded) with `reply`; no mention pings."""
    options = {"ephemeral": reply.ephemeral, "allowed_mentions": NO_MENTIONS, **_parts(reply)}
    message_id: int | None
    if not interaction.response.is_done():
        response = await interaction.response.send_message(reply.content or None, **options)
        message_id = response.message_id
    else:
        message = await interaction.followup.send(reply.content or MISSING, wait=True, **options)
        message_id = message.id
    url = None
    if message_id is not None and not reply.ephemeral:
        url = jump_url(interaction.guild_id, interaction.channel_id, message_id)
    return Sent(message_id=message_id, url=url)


async def edit(interaction: Interaction, reply: Reply) -> None:
    """Replace the message the component is on (used while browsing, privately)."""
    await interaction.response.edit_message(
        content=reply.content,
        embeds=list(reply.embeds),
        view=reply.view,
        allowed_mentions=NO_MENTIONS,
    )


async def say(interaction: Interaction, text: str) -> None:
    """A short private reply (or follow-up once answered); never raises (used on error
    paths too)."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
    except discord.HTTPException as exc:
        log.warning("could not reply to interaction %s: %s", interaction.id, exc)


async def reply_to(message: discord.Message, reply: Reply) -> discord.Message:
    """Reply to a message without pinging anyone (its author included); still sent when the
    message was deleted meanwhile."""
    return await message.channel.send(
        content=reply.content or None,
        reference=message.to_reference(fail_if_not_exists=False),
        allowed_mentions=NO_MENTIONS,
        mention_author=False,
        **_parts(reply),
    )


async def send_direct(user: discord.User | discord.Member, reply: Reply) -> discord.Message:
    """Send `reply` to `user` by direct message, without pinging anyone; raises
    `discord.Forbidden` when the user does not accept direct messages from the bot."""
    return await user.send(
        content=reply.content or None, allowed_mentions=NO_MENTIONS, **_parts(reply)
    )


async def post_to_channel(
    client: discord.Client,
    channel_id: int,
    *,
    text: str | None = None,
    embed: discord.Embed | None = None,
) -> None:
    """Post in a channel by id (the moderators' log channel); a failure is logged, never
    raised."""
    try:
        channel = client.get_channel(channel_id) or await client.fetch_channel(channel_id)
        if isinstance(channel, discord.abc.Messageable):
            optional: dict[str, Any] = {"embed": embed} if embed is not None else {}
            await channel.send(
                content=text[:CONTENT_LIMIT] if text else None,
                allowed_mentions=NO_MENTIONS,
                **optional,
            )
    except discord.HTTPException as exc:
        log.warning("could not post to MOD_LOG_CHANNEL_ID %s: %s", channel_id, exc)
