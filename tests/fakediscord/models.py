"""The fake Discord's world: users, roles, channels, members, guilds, as small immutable values.

Builders (`make_user`, `make_role`, ...) give every object a fresh, realistic snowflake, so
ids look like Discord's (time based, 18-19 digits) and pass the bot's id validation.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import IntEnum, IntFlag
from typing import Any, TypeVar

DISCORD_EPOCH_MS = 1_420_070_400_000

_counter = itertools.count(1)
_counter_lock = threading.Lock()


def next_snowflake(at: float | None = None) -> int:
    """A new, unique, Discord-shaped id (milliseconds since the Discord epoch << 22 | counter),
    for now or for the Unix time `at`."""
    with _counter_lock:
        increment = next(_counter) & 0xFFF
    millis = int((time.time() if at is None else at) * 1000) - DISCORD_EPOCH_MS
    return (millis << 22) | (1 << 17) | increment


def snowflake_for_shard(shard_id: int, shard_count: int) -> int:
    """A fresh id whose guild would live on `shard_id` of `shard_count` ((id >> 22) % count)."""
    base = next_snowflake()
    millis = base >> 22
    millis += (shard_id - millis % shard_count) % shard_count
    return (millis << 22) | (base & 0x3FFFFF)


def snowflake_time(snowflake: int) -> datetime:
    return datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, tz=UTC)


def iso_now() -> str:
    return datetime.now(tz=UTC).isoformat()


class Perm(IntFlag):
    """Discord permission bits (the ones a FAQ bot and its tests care about, and a few more)."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_AUDIT_LOG = 1 << 7
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    CONNECT = 1 << 20
    MANAGE_ROLES = 1 << 28
    MANAGE_WEBHOOKS = 1 << 29
    USE_APPLICATION_COMMANDS = 1 << 31
    MANAGE_THREADS = 1 << 34
    CREATE_PUBLIC_THREADS = 1 << 35
    SEND_MESSAGES_IN_THREADS = 1 << 38
    MODERATE_MEMBERS = 1 << 40


ALL_PERMISSIONS = (1 << 53) - 1

DEFAULT_EVERYONE_PERMISSIONS = (
    Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.ADD_REACTIONS
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.USE_APPLICATION_COMMANDS
    | Perm.USE_EXTERNAL_EMOJIS
    | Perm.SEND_MESSAGES_IN_THREADS
    | Perm.CONNECT
    | Perm.CREATE_INSTANT_INVITE
)

DEFAULT_BOT_PERMISSIONS = (
    Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.SEND_MESSAGES_IN_THREADS
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.ADD_REACTIONS
    | Perm.USE_EXTERNAL_EMOJIS
)


class Intent(IntFlag):
    GUILDS = 1 << 0
    GUILD_MEMBERS = 1 << 1
    GUILD_MODERATION = 1 << 2
    GUILD_PRESENCES = 1 << 8
    GUILD_MESSAGES = 1 << 9
    GUILD_MESSAGE_REACTIONS = 1 << 10
    DIRECT_MESSAGES = 1 << 12
    MESSAGE_CONTENT = 1 << 15


PRIVILEGED_INTENTS = Intent.GUILD_MEMBERS | Intent.GUILD_PRESENCES | Intent.MESSAGE_CONTENT


class ChannelType(IntEnum):
    GUILD_TEXT = 0
    DM = 1
    GUILD_VOICE = 2
    GUILD_CATEGORY = 4
    GUILD_ANNOUNCEMENT = 5
    PUBLIC_THREAD = 11
    GUILD_FORUM = 15


@dataclass(frozen=True)
class User:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    locale: str = "en-US"
    """The user's client locale: what Discord sends as an interaction's `locale`."""

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.global_name,
            "discriminator": "0",
            "avatar": None,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
        }
        if self.bot:
            payload["bot"] = True
        return payload


@dataclass(frozen=True)
class Role:
    id: int
    name: str
    permissions: int = 0
    position: int = 1
    mentionable: bool = False
    managed: bool = False

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"

    def to_payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }


@dataclass(frozen=True)
class Overwrite:
    """A channel permission overwrite: type 0 for a role, 1 for a member."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0

    def to_payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "type": self.type,
            "allow": str(self.allow),
            "deny": str(self.deny),
        }


@dataclass(frozen=True)
class Channel:
    id: int
    name: str
    type: ChannelType = ChannelType.GUILD_TEXT
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    overwrites: tuple[Overwrite, ...] = ()
    guild_id: int | None = None
    recipient: User | None = None
    """Only for DM channels: the other user."""
    owner_id: int | None = None
    """Only for threads: who started it."""

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    @property
    def is_dm(self) -> bool:
        return self.type == ChannelType.DM

    def to_payload(self) -> dict[str, Any]:
        if self.type == ChannelType.DM:
            recipients = [self.recipient.to_payload()] if self.recipient else []
            return {
                "id": str(self.id),
                "type": int(self.type),
                "last_message_id": None,
                "recipients": recipients,
                "flags": 0,
            }
        payload: dict[str, Any] = {
            "id": str(self.id),
            "type": int(self.type),
            "name": self.name,
            "position": self.position,
            "parent_id": str(self.parent_id) if self.parent_id else None,
            "permission_overwrites": [o.to_payload() for o in self.overwrites],
            "nsfw": False,
            "flags": 0,
        }
        if self.guild_id is not None:
            payload["guild_id"] = str(self.guild_id)
        if self.type in (ChannelType.GUILD_TEXT, ChannelType.GUILD_ANNOUNCEMENT):
            payload.update(topic=self.topic, rate_limit_per_user=0, last_message_id=None)
        elif self.type == ChannelType.GUILD_VOICE:
            payload.update(bitrate=64000, user_limit=0, rtc_region=None)
        elif self.type == ChannelType.GUILD_FORUM:
            payload.update(topic=self.topic, available_tags=[], default_reaction_emoji=None)
        elif self.type == ChannelType.PUBLIC_THREAD:
            payload.update(
                owner_id=str(self.owner_id or 0),
                last_message_id=None,
                rate_limit_per_user=0,
                message_count=0,
                member_count=1,
                thread_metadata={
                    "archived": False,
                    "auto_archive_duration": 1440,
                    "archive_timestamp": "2024-09-10T08:00:00+00:00",
                    "locked": False,
                },
            )
        return payload


@dataclass(frozen=True)
class Member:
    user: User
    roles: tuple[int, ...] = ()
    """Role ids, not counting @everyone."""
    nick: str | None = None
    extra_permissions: int = 0
    """Permission bits granted on top of the roles (a shortcut for tests, not a Discord concept)."""
    joined_at: str = field(default_factory=iso_now)

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def locale(self) -> str:
        return self.user.locale

    def to_payload(
        self, *, with_user: bool = True, permissions: int | None = None
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "roles": [str(r) for r in self.roles],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_user:
            payload["user"] = self.user.to_payload()
        if permissions is not None:
            payload["permissions"] = str(permissions)
        return payload


@dataclass(frozen=True)
class Guild:
    id: int
    name: str
    owner_id: int
    roles: tuple[Role, ...]
    channels: tuple[Channel, ...]
    members: tuple[Member, ...]
    preferred_locale: str = "en-US"

    @property
    def everyone(self) -> Role:
        return self.role_by_id(self.id)

    def role_by_id(self, role_id: int) -> Role:
        for role in self.roles:
            if role.id == role_id:
                return role
        raise KeyError(f"guild {self.name!r} has no role {role_id}")

    def role(self, name: str) -> Role:
        return _by_name(self.roles, name, f"role in guild {self.name!r}")

    def channel(self, name: str) -> Channel:
        return _by_name(self.channels, name, f"channel in guild {self.name!r}")

    def channel_by_id(self, channel_id: int) -> Channel | None:
        return next((c for c in self.channels if c.id == channel_id), None)

    def member(self, name: str) -> Member:
        for member in self.members:
            if name in (member.user.username, member.nick, member.user.global_name):
                return member
        names = sorted(m.user.username for m in self.members)
        raise KeyError(f"no member {name!r} in guild {self.name!r} (members: {names})")

    def member_by_id(self, user_id: int) -> Member | None:
        return next((m for m in self.members if m.id == user_id), None)

    @property
    def text_channels(self) -> tuple[Channel, ...]:
        return tuple(c for c in self.channels if c.type == ChannelType.GUILD_TEXT)

    def with_member(self, member: Member) -> Guild:
        others = tuple(m for m in self.members if m.id != member.id)
        return replace(self, members=(*others, member))

    def base_permissions(self, member: Member) -> int:
        if member.id == self.owner_id:
            return ALL_PERMISSIONS
        perms = self.everyone.permissions | member.extra_permissions
        for role_id in member.roles:
            perms |= self.role_by_id(role_id).permissions
        if perms & Perm.ADMINISTRATOR:
            return ALL_PERMISSIONS
        return perms

    def permissions_in(self, member: Member, channel: Channel | None) -> int:
        """Discord's permission computation: base, then @everyone, role and member overwrites."""
        perms = self.base_permissions(member)
        if perms == ALL_PERMISSIONS or channel is None:
            return perms
        overwrites = {(o.type, o.id): o for o in channel.overwrites}
        if channel.parent_id and not channel.overwrites:
            parent = self.channel_by_id(channel.parent_id)
            overwrites = {(o.type, o.id): o for o in parent.overwrites} if parent else {}
        everyone = overwrites.get((0, self.id))
        if everyone:
            perms = (perms & ~everyone.deny) | everyone.allow
        allow = deny = 0
        for role_id in member.roles:
            ow = overwrites.get((0, role_id))
            if ow:
                allow |= ow.allow
                deny |= ow.deny
        perms = (perms & ~deny) | allow
        mine = overwrites.get((1, member.id))
        if mine:
            perms = (perms & ~mine.deny) | mine.allow
        if not perms & Perm.VIEW_CHANNEL:
            return 0
        return perms

    def to_payload(
        self, *, bot_member: Member | None, include_members: bool, joined_at: str
    ) -> dict[str, Any]:
        members = list(self.members) if include_members else []
        if bot_member is not None and all(m.id != bot_member.id for m in members):
            members.append(bot_member)
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "preferred_locale": self.preferred_locale,
            "features": [],
            "roles": [r.to_payload() for r in self.roles],
            "emojis": [],
            "stickers": [],
            "channels": [c.to_payload() for c in self.channels],
            "threads": [],
            "members": [m.to_payload() for m in members],
            "member_count": len(self.members) + (1 if bot_member else 0),
            "large": False,
            "unavailable": False,
            "joined_at": joined_at,
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "max_members": 500000,
            "max_video_channel_users": 25,
            "application_id": None,
            "lazy": True,
        }


_Named = TypeVar("_Named", Role, Channel)


def _by_name(items: Iterable[_Named], name: str, what: str) -> _Named:
    for item in items:
        if item.name == name:
            return item
    names = sorted(i.name for i in items)
    raise KeyError(f"no {what} named {name!r} (have: {names})")


# --- builders ---------------------------------------------------------------------------


def make_user(
    username: str,
    *,
    id: int | None = None,
    global_name: str | None = None,
    bot: bool = False,
    locale: str = "en-US",
) -> User:
    return User(
        id=id or next_snowflake(),
        username=username,
        global_name=global_name,
        bot=bot,
        locale=locale,
    )


def make_role(
    name: str,
    *,
    permissions: int = 0,
    id: int | None = None,
    position: int = 1,
    mentionable: bool = False,
    managed: bool = False,
) -> Role:
    """A role; `managed=True` marks a bot's own role (the fake gives it to the bot member)."""
    return Role(
        id=id or next_snowflake(),
        name=name,
        permissions=int(permissions),
        position=position,
        mentionable=mentionable,
        managed=managed,
    )


def make_channel(
    name: str,
    *,
    type: ChannelType = ChannelType.GUILD_TEXT,
    id: int | None = None,
    position: int = 0,
    parent: Channel | None = None,
    topic: str | None = None,
    overwrites: Iterable[Overwrite] = (),
) -> Channel:
    return Channel(
        id=id or next_snowflake(),
        name=name,
        type=type,
        position=position,
        parent_id=parent.id if parent else None,
        topic=topic,
        overwrites=tuple(overwrites),
    )


def make_member(
    user: User | str,
    *,
    roles: Iterable[Role | int] = (),
    nick: str | None = None,
    permissions: int = 0,
    locale: str | None = None,
) -> Member:
    """A guild member; `user` may be a User or a username (a new user is made)."""
    if isinstance(user, str):
        user = make_user(user, locale=locale or "en-US")
    elif locale is not None:
        user = replace(user, locale=locale)
    role_ids = tuple(r.id if isinstance(r, Role) else int(r) for r in roles)
    return Member(user=user, roles=role_ids, nick=nick, extra_permissions=int(permissions))


def make_guild(
    name: str,
    *,
    channels: Iterable[Channel] = (),
    roles: Iterable[Role] = (),
    members: Iterable[Member] = (),
    owner: User | None = None,
    id: int | None = None,
    everyone_permissions: int = DEFAULT_EVERYONE_PERMISSIONS,
    preferred_locale: str = "en-US",
) -> Guild:
    """A guild; its @everyone role (id == guild id) is added for you, and a #general text channel
    when no channels are given."""
    guild_id = id or next_snowflake()
    channels = tuple(channels) or (make_channel("general"),)
    everyone = Role(
        id=guild_id, name="@everyone", permissions=int(everyone_permissions), position=0
    )
    members = tuple(members)
    owner_id = owner.id if owner else (members[0].id if members else next_snowflake())
    if owner is not None and all(m.id != owner.id for m in members):
        members = (Member(user=owner), *members)
    return Guild(
        id=guild_id,
        name=name,
        owner_id=owner_id,
        roles=(everyone, *roles),
        channels=tuple(replace(c, guild_id=guild_id) for c in channels),
        members=members,
        preferred_locale=preferred_locale,
    )


@dataclass(frozen=True)
class World:
    """The standard test world: one guild with a few channels, roles and members."""

    guild: Guild
    moderator_role: Role
    bot_role: Role
    general: Channel
    faq: Channel
    mod_log: Channel
    alice: Member
    bob: Member
    carol: Member
    owner: Member

    @property
    def members(self) -> Mapping[str, Member]:
        return {m.user.username: m for m in self.guild.members}


def default_world() -> World:
    """One guild `Test Guild`: #general, #faq, #mod-log (visible to moderators only) under a
    category, a voice channel; roles @everyone and `Moderator` (Manage Server); members alice
    (en-US), bob (moderator, en-GB), carol (fr) and the owner; the bot gets the managed role
    `FAQ Bot` (which may see #mod-log)."""
    moderator = make_role("Moderator", permissions=Perm.MANAGE_GUILD | Perm.MANAGE_MESSAGES)
    bot_role = make_role("FAQ Bot", permissions=DEFAULT_BOT_PERMISSIONS, position=2, managed=True)
    category = make_channel("Text Channels", type=ChannelType.GUILD_CATEGORY)
    general = make_channel("general", parent=category, position=0, topic="General chat")
    faq = make_channel("faq", parent=category, position=1, topic="Ask the bot")
    owner = make_member(make_user("owner", global_name="Guild Owner"))
    alice = make_member(make_user("alice", global_name="Alice"))
    bob = make_member(make_user("bob", global_name="Bob", locale="en-GB"), roles=[moderator])
    carol = make_member(make_user("carol", global_name="Carol", locale="fr"))
    voice = make_channel("Voice", type=ChannelType.GUILD_VOICE, position=3)
    guild_id = next_snowflake()
    mod_log = make_channel(
        "mod-log",
        parent=category,
        position=2,
        overwrites=[
            Overwrite(id=guild_id, type=0, deny=Perm.VIEW_CHANNEL),
            Overwrite(id=moderator.id, type=0, allow=Perm.VIEW_CHANNEL),
            Overwrite(id=bot_role.id, type=0, allow=Perm.VIEW_CHANNEL),
        ],
    )
    guild = make_guild(
        "Test Guild",
        id=guild_id,
        channels=[category, general, faq, mod_log, voice],
        roles=[moderator, bot_role],
        members=[owner, alice, bob, carol],
        owner=owner.user,
    )
    return World(
        guild=guild,
        moderator_role=moderator,
        bot_role=bot_role,
        general=guild.channel("general"),
        faq=guild.channel("faq"),
        mod_log=guild.channel("mod-log"),
        alice=alice,
        bob=bob,
        carol=carol,
        owner=owner,
    )
