"""The fake Discord's mutable state: world, messages, interactions, commands, and every record.

REST handlers and the gateway change it; the driver reads it and waits on it. Everything runs on
the event loop of the test, so no locking is needed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from .models import (
    DEFAULT_BOT_PERMISSIONS,
    PRIVILEGED_INTENTS,
    Channel,
    ChannelType,
    Guild,
    Member,
    User,
    iso_now,
    next_snowflake,
)
from .records import (
    BotMessage,
    CallbackRecord,
    CommandSync,
    GatewayEvent,
    Identify,
    RecordedFile,
    RecordedRequest,
    Resume,
    Violation,
)
from .validation import LOADING, Problem

log = logging.getLogger(__name__)

T = TypeVar("T")

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


class Notifier:
    """Lets coroutines wait until a probe over the state returns something (bounded in time)."""

    POLL_SECONDS = 0.25

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None
        self.liveness_checks: list[Callable[[], str | None]] = []
        """Each returns a reason when what the tests wait for can no longer come (say, the bot
        process died); waits then fail at once instead of at their timeout."""

    def notify(self) -> None:
        if self._event is not None:
            self._event.set()
            self._event = None

    async def wait_for(
        self,
        probe: Callable[[], T | None],
        *,
        timeout: float,
        what: str,
        context: Callable[[], str] | None = None,
    ) -> T:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = probe()
            if result is not None:
                return result
            remaining = deadline - loop.time()
            dead = next((r for r in (check() for check in self.liveness_checks) if r), None)
            if remaining <= 0 or dead:
                details = context() if context else ""
                head = f"{what} never arrived" + (f": {dead}" if dead else f" within {timeout:g} s")
                raise AssertionError(head + (f"\n{details}" if details else ""))
            if self._event is None:
                self._event = asyncio.Event()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._event.wait(), min(remaining, self.POLL_SECONDS))


@dataclass
class StoredMessage:
    """A message in the fake world (the bot's or a user's), as it currently stands."""

    id: int
    channel_id: int
    guild_id: int | None
    author: User
    member: Member | None
    content: str = ""
    embeds: list[Any] = field(default_factory=list)
    components: list[Any] = field(default_factory=list)
    flags: int = 0
    attachments: list[dict[str, Any]] = field(default_factory=list)
    message_reference: dict[str, Any] | None = None
    type: int = 0
    interaction_metadata: dict[str, Any] | None = None
    interaction: dict[str, Any] | None = None
    webhook_id: int | None = None
    application_id: int | None = None
    mentions: list[dict[str, Any]] = field(default_factory=list)
    mention_roles: list[str] = field(default_factory=list)
    timestamp: str = field(default_factory=iso_now)
    edited_timestamp: str | None = None
    deleted: bool = False
    reactions: list[str] = field(default_factory=list)
    referenced: StoredMessage | None = None

    def to_payload(self, *, with_reference: bool = True) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "author": self.author.to_payload(),
            "content": self.content,
            "timestamp": self.timestamp,
            "edited_timestamp": self.edited_timestamp,
            "tts": False,
            "mention_everyone": False,
            "mentions": self.mentions,
            "mention_roles": self.mention_roles,
            "attachments": self.attachments,
            "embeds": self.embeds,
            "components": self.components,
            "pinned": False,
            "type": self.type,
            "flags": self.flags,
        }
        if self.guild_id is not None:
            payload["guild_id"] = str(self.guild_id)
            if self.member is not None:
                payload["member"] = self.member.to_payload(with_user=False)
        if self.webhook_id is not None:
            payload["webhook_id"] = str(self.webhook_id)
        if self.application_id is not None:
            payload["application_id"] = str(self.application_id)
        if self.interaction_metadata is not None:
            payload["interaction_metadata"] = self.interaction_metadata
        if self.interaction is not None:
            payload["interaction"] = self.interaction
        if self.message_reference is not None:
            payload["message_reference"] = self.message_reference
            if with_reference and self.referenced is not None:
                payload["referenced_message"] = self.referenced.to_payload(with_reference=False)
        return payload


@dataclass
class InteractionState:
    """One interaction the fake sent, and what the bot did with it."""

    id: int
    token: str
    type: int
    payload: dict[str, Any]
    """The INTERACTION_CREATE `d` the fake dispatched."""
    channel_id: int
    guild_id: int | None
    user: User
    created_at: float
    """`time.monotonic()` when Discord created it: its dispatch, minus `age`."""
    label: str
    """Human readable, for error messages: `/faq search`, `click 'faq:next'`."""
    age: float = 0.0
    """How old it already was when the fake dispatched it (its id encodes that time)."""
    command_type: int | None = None
    source_message_id: int | None = None
    """For component interactions: the message the component is on."""
    acked: bool = False
    """Set as soon as a valid callback is accepted (before its answer is written)."""
    callback: CallbackRecord | None = None
    """Set once the callback's answer was written: what the driver waits for."""
    original_id: int | None = None
    """The @original message id once there is one."""
    followups: list[BotMessage] = field(default_factory=list)
    edits: list[BotMessage] = field(default_factory=list)
    deleted_original: bool = False


@dataclass(frozen=True)
class RateLimitRule:
    method: str
    pattern: re.Pattern[str]
    retry_after: float
    is_global: bool
    description: str


@dataclass(frozen=True)
class InjectedReply:
    """One canned answer for the next request matching (method, pattern)."""

    method: str
    pattern: re.Pattern[str]
    status: int
    body: Any
    headers: Mapping[str, str]
    description: str


def route_regex(pattern: str) -> re.Pattern[str]:
    """`/interactions/{id}/{token}/callback` or `/channels/*/messages` -> a full-match regex."""
    out = []
    for part in re.split(r"(\{[^}]*\}|\*)", pattern):
        if part == "*":
            out.append(".*")
        elif part.startswith("{") and part.endswith("}"):
            out.append("[^/]+")
        else:
            out.append(re.escape(part))
    return re.compile("".join(out))


class FakeState:
    """Everything the fake knows and records."""

    def __init__(
        self,
        *,
        token: str,
        bot_user: User,
        guilds: Iterable[Guild],
        callback_deadline: float | None,
        allowed_intents: int | None,
    ) -> None:
        self.token = token
        self.bot_user = bot_user
        self.application_id = bot_user.id
        self.callback_deadline = callback_deadline
        self.allowed_privileged_intents = (
            int(PRIVILEGED_INTENTS) if allowed_intents is None else allowed_intents
        )
        self.base_url = ""
        self.guilds: dict[int, Guild] = {}
        self.bot_members: dict[int, Member] = {}
        for guild in guilds:
            self.add_guild(guild)
        self.dm_channels: dict[int, Channel] = {}
        self.messages: dict[int, StoredMessage] = {}
        self.interactions: dict[int, InteractionState] = {}
        self.interactions_by_token: dict[str, InteractionState] = {}
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.command_syncs: list[CommandSync] = []
        self.requests: list[RecordedRequest] = []
        self.unknown_routes: list[RecordedRequest] = []
        self.violations: list[Violation] = []
        self.fake_errors: list[str] = []
        """Bugs of the fake itself (a handler raised): a test should fail on these too."""
        self.callbacks: list[CallbackRecord] = []
        self.bot_messages: list[BotMessage] = []
        self.identifies: list[Identify] = []
        self.resumes: list[Resume] = []
        self.events: list[GatewayEvent] = []
        self.presence_updates: list[Mapping[str, Any]] = []
        self.rate_limit_rules: list[RateLimitRule] = []
        self.injected_replies: list[InjectedReply] = []
        self.notifier = Notifier()
        self._request_seq = 0

    # --- world ---------------------------------------------------------------------------

    def add_guild(self, guild: Guild) -> None:
        managed = [r for r in guild.roles if r.managed]
        if managed:
            bot_role = managed[0]
        else:
            from .models import make_role

            bot_role = make_role(
                self.bot_user.username, permissions=DEFAULT_BOT_PERMISSIONS, managed=True
            )
            guild = replace(guild, roles=(*guild.roles, bot_role))
        self.guilds[guild.id] = guild
        self.bot_members[guild.id] = Member(user=self.bot_user, roles=(bot_role.id,))

    def users(self) -> dict[int, User]:
        found = {self.bot_user.id: self.bot_user}
        for guild in self.guilds.values():
            found.update({m.id: m.user for m in guild.members})
        for channel in self.dm_channels.values():
            if channel.recipient:
                found[channel.recipient.id] = channel.recipient
        return found

    def find_channel(self, channel_id: int) -> tuple[Channel, Guild | None] | None:
        for guild in self.guilds.values():
            channel = guild.channel_by_id(channel_id)
            if channel is not None:
                return channel, guild
        for channel in self.dm_channels.values():
            if channel.id == channel_id:
                return channel, None
        return None

    def dm_channel(self, user: User) -> Channel:
        channel = self.dm_channels.get(user.id)
        if channel is None:
            channel = Channel(id=next_snowflake(), name="", type=ChannelType.DM, recipient=user)
            self.dm_channels[user.id] = channel
        return channel

    def bot_permissions(self, guild: Guild, channel: Channel | None) -> int:
        return guild.permissions_in(self.bot_members[guild.id], channel)

    # --- recording -----------------------------------------------------------------------

    def next_request_seq(self) -> int:
        self._request_seq += 1
        return self._request_seq

    def record_request(self, request: RecordedRequest) -> None:
        self.requests.append(request)
        if request.route is None:
            self.unknown_routes.append(request)
            log.warning("fake discord: unknown route %s %s", request.method, request.path)
        self.notifier.notify()

    def add_violation(
        self, method: str, path: str, problems: Iterable[Problem], body: Any = None
    ) -> Violation:
        violation = Violation(method=method, path=path, problems=tuple(problems), body=body)
        self.violations.append(violation)
        log.warning("fake discord: violation: %s", violation)
        self.notifier.notify()
        return violation

    def take_injected_reply(self, method: str, path: str) -> InjectedReply | None:
        for reply in self.injected_replies:
            if reply.method in (method, "*") and reply.pattern.fullmatch(path):
                self.injected_replies.remove(reply)
                return reply
        return None

    def take_rate_limit(self, method: str, path: str) -> RateLimitRule | None:
        for rule in self.rate_limit_rules:
            if rule.method in (method, "*") and rule.pattern.fullmatch(path):
                self.rate_limit_rules.remove(rule)
                return rule
        return None

    # --- messages ------------------------------------------------------------------------

    def attachment_payloads(
        self, channel_id: int, files: Iterable[RecordedFile], sent: Mapping[str, Any]
    ) -> list[dict[str, Any]]:
        described = {}
        for item in sent.get("attachments") or []:
            if isinstance(item, Mapping) and "id" in item:
                described[str(item["id"])] = item
        out = []
        for index, file in enumerate(files):
            attachment_id = next_snowflake()
            meta = described.get(str(index), {})
            url = f"{self.base_url}/cdn/attachments/{channel_id}/{attachment_id}/{file.filename}"
            out.append(
                {
                    "id": str(attachment_id),
                    "filename": meta.get("filename") or file.filename,
                    "description": meta.get("description"),
                    "size": file.size,
                    "url": url,
                    "proxy_url": url,
                    "content_type": file.content_type,
                }
            )
        return out

    def new_bot_message(
        self,
        *,
        channel_id: int,
        guild_id: int | None,
        sent: Mapping[str, Any],
        files: tuple[RecordedFile, ...],
        interaction: InteractionState | None = None,
        message_type: int = 0,
        flags: int | None = None,
        message_id: int | None = None,
    ) -> StoredMessage:
        member = self.bot_members.get(guild_id) if guild_id is not None else None
        message = StoredMessage(
            id=message_id or next_snowflake(),
            channel_id=channel_id,
            guild_id=guild_id,
            author=self.bot_user,
            member=member,
            type=message_type,
            application_id=self.application_id if interaction else None,
            webhook_id=self.application_id if interaction else None,
        )
        self.apply_edit(message, sent, files, creating=True)
        if flags is not None:
            message.flags = flags
        if interaction is not None:
            message.interaction_metadata = {
                "id": str(interaction.id),
                "type": interaction.type,
                "user": interaction.user.to_payload(),
                "authorizing_integration_owners": interaction.payload.get(
                    "authorizing_integration_owners", {}
                ),
            }
            if interaction.type == 2:
                message.interaction = {
                    "id": str(interaction.id),
                    "type": interaction.type,
                    "name": interaction.label.lstrip("/"),
                    "user": interaction.user.to_payload(),
                }
        reference = sent.get("message_reference")
        if isinstance(reference, Mapping) and reference.get("message_id"):
            message.message_reference = {
                "type": reference.get("type", 0),
                "message_id": str(reference["message_id"]),
                "channel_id": str(reference.get("channel_id") or channel_id),
            }
            if guild_id is not None:
                message.message_reference["guild_id"] = str(reference.get("guild_id") or guild_id)
            message.referenced = self.messages.get(int(reference["message_id"]))
            if message.type == 0:
                message.type = 19
        self.messages[message.id] = message
        return message

    def apply_edit(
        self,
        message: StoredMessage,
        sent: Mapping[str, Any],
        files: tuple[RecordedFile, ...],
        *,
        creating: bool = False,
    ) -> None:
        if "content" in sent:
            message.content = sent.get("content") or ""
        if "embeds" in sent:
            message.embeds = list(sent.get("embeds") or [])
        if "components" in sent:
            message.components = list(sent.get("components") or [])
        if "flags" in sent and sent.get("flags") is not None:
            keep = message.flags & ~LOADING if not creating else 0
            message.flags = keep | int(sent["flags"])
        if "attachments" in sent and not creating:
            keep_ids = {
                str(a.get("id")) for a in sent.get("attachments") or [] if isinstance(a, Mapping)
            }
            message.attachments = [a for a in message.attachments if a["id"] in keep_ids]
        if files:
            message.attachments = message.attachments + self.attachment_payloads(
                message.channel_id, files, sent
            )
        if not creating:
            message.flags &= ~LOADING
            message.edited_timestamp = iso_now()

    def snapshot(
        self,
        message: StoredMessage,
        *,
        source: str,
        sent: Mapping[str, Any],
        files: tuple[RecordedFile, ...] = (),
        interaction_id: int | None = None,
        record: bool = True,
    ) -> BotMessage:
        snap = BotMessage(
            id=message.id,
            channel_id=message.channel_id,
            guild_id=message.guild_id,
            source=source,
            payload=message.to_payload(),
            sent=dict(sent),
            files=files,
            interaction_id=interaction_id,
            written_at=time.monotonic(),
        )
        if record:
            self.bot_messages.append(snap)
        return snap

    # --- interactions --------------------------------------------------------------------

    def new_interaction(
        self,
        *,
        type: int,
        data: dict[str, Any] | None,
        user: User,
        channel: Channel,
        guild: Guild | None,
        label: str,
        locale: str | None,
        message: StoredMessage | None = None,
        age: float = 0.0,
    ) -> InteractionState:
        """`age`: seconds since Discord created it (its id says so; its 3 s run from then)."""
        interaction_id = next_snowflake(time.time() - age) if age else next_snowflake()
        token = "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(48)
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": type,
            "token": token,
            "version": 1,
            "locale": locale or user.locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            "channel_id": str(channel.id),
            "channel": channel.to_payload(),
        }
        if data is not None:
            payload["data"] = data
        if guild is not None:
            member = guild.member_by_id(user.id) or Member(user=user)
            payload["guild_id"] = str(guild.id)
            payload["guild"] = {
                "id": str(guild.id),
                "locale": guild.preferred_locale,
                "features": [],
            }
            payload["guild_locale"] = guild.preferred_locale
            payload["member"] = member.to_payload(permissions=guild.permissions_in(member, channel))
            payload["app_permissions"] = str(self.bot_permissions(guild, channel))
            payload["authorizing_integration_owners"] = {"0": str(guild.id)}
            payload["context"] = 0
        else:
            payload["user"] = user.to_payload()
            payload["app_permissions"] = str(DEFAULT_BOT_PERMISSIONS)
            payload["authorizing_integration_owners"] = {"0": "0"}
            payload["context"] = 1
        if message is not None:
            payload["message"] = message.to_payload()
        state = InteractionState(
            id=interaction_id,
            token=token,
            type=type,
            payload=payload,
            channel_id=channel.id,
            guild_id=guild.id if guild else None,
            user=user,
            created_at=time.monotonic() - age,
            label=label,
            age=age,
            command_type=(data or {}).get("type") if type in (2, 4) else None,
            source_message_id=message.id if message else None,
        )
        self.interactions[interaction_id] = state
        self.interactions_by_token[token] = state
        return state

    def synced_commands(self, guild_id: int | None) -> list[dict[str, Any]]:
        return self.commands.get(guild_id, [])

    def describe_recent(self, limit: int = 15) -> str:
        """The last requests and all violations, for timeout messages."""
        lines = [f"  {r}" for r in self.requests[-limit:]]
        out = "recent REST requests:\n" + ("\n".join(lines) if lines else "  (none)")
        if self.violations:
            out += "\nviolations:\n" + "\n".join(f"  {v}" for v in self.violations)
        return out
