"""What the fake records: immutable snapshots that tests assert on."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .validation import EPHEMERAL, LOADING, Problem


@dataclass(frozen=True)
class RecordedFile:
    """One uploaded file of a multipart request."""

    field: str
    filename: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class RecordedRequest:
    """One REST request as the fake saw it (the Authorization header is never kept)."""

    seq: int
    at: float
    method: str
    path: str
    """Path below /api/v10, without the query string."""
    route: str | None
    """The route template that matched (e.g. `/channels/{channel_id}/messages`), None if unknown."""
    query: Mapping[str, str]
    json: Any
    headers: Mapping[str, str]
    auth: str
    """`bot` (right token), `wrong` (another token), or `none` (no Authorization header)."""
    files: tuple[RecordedFile, ...]
    status: int
    response: Any = None

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status}"


@dataclass(frozen=True)
class Violation:
    """A payload Discord would reject (or a protocol misuse); the request was answered 400/404."""

    method: str
    path: str
    problems: tuple[Problem, ...]
    body: Any = None

    def __str__(self) -> str:
        details = "; ".join(str(p) for p in self.problems)
        return f"{self.method} {self.path}: {details}"


@dataclass(frozen=True)
class CommandSync:
    """One application command write (a PUT bulk overwrite, or a single POST/PATCH/DELETE)."""

    method: str
    guild_id: int | None
    """None for global commands."""
    commands: tuple[Mapping[str, Any], ...]
    """What the bot sent (a single command for POST/PATCH, nothing for DELETE)."""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(str(c.get("name")) for c in self.commands)


@dataclass(frozen=True)
class BotMessage:
    """A message as it stood when the bot created or edited it (a snapshot)."""

    id: int
    channel_id: int
    guild_id: int | None
    source: str
    """`callback`, `followup`, `edit` (of @original or a follow-up), `channel` (channel POST),
    `channel_edit`, or `update` (a component's message updated by callback type 7)."""
    payload: Mapping[str, Any]
    """The full message object the fake answered with."""
    sent: Mapping[str, Any]
    """Exactly what the bot sent (the message part of its JSON or payload_json)."""
    files: tuple[RecordedFile, ...] = ()
    interaction_id: int | None = None
    written_at: float = 0.0

    @property
    def content(self) -> str:
        return str(self.payload.get("content") or "")

    @property
    def embeds(self) -> list[Mapping[str, Any]]:
        return list(self.payload.get("embeds") or [])

    @property
    def components(self) -> list[Mapping[str, Any]]:
        return list(self.payload.get("components") or [])

    @property
    def flags(self) -> int:
        return int(self.payload.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def allowed_mentions(self) -> Mapping[str, Any] | None:
        return self.sent.get("allowed_mentions")

    @property
    def attachments(self) -> list[Mapping[str, Any]]:
        return list(self.payload.get("attachments") or [])

    @property
    def message_reference(self) -> Mapping[str, Any] | None:
        return self.payload.get("message_reference")

    def walk_components(self) -> Iterator[Mapping[str, Any]]:
        return walk_components(self.components)

    @property
    def custom_ids(self) -> list[str]:
        return [c["custom_id"] for c in self.walk_components() if c.get("custom_id")]

    def component(self, custom_id: str) -> Mapping[str, Any]:
        for comp in self.walk_components():
            if comp.get("custom_id") == custom_id:
                return comp
        raise AssertionError(
            f"message {self.id} has no component with custom_id {custom_id!r} "
            f"(has: {self.custom_ids})"
        )

    @property
    def button_labels(self) -> list[str]:
        return [str(c.get("label")) for c in self.walk_components() if c.get("type") == 2]

    @property
    def text(self) -> str:
        """Content plus every embed's title, description, fields and footer, for `in` checks."""
        parts = [self.content]
        for embed in self.embeds:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            for fld in embed.get("fields") or []:
                parts += [fld.get("name") or "", fld.get("value") or ""]
            parts.append((embed.get("footer") or {}).get("text") or "")
            parts.append((embed.get("author") or {}).get("name") or "")
        for comp in self.walk_components():
            if comp.get("type") == 10:
                parts.append(str(comp.get("content") or ""))
        return "\n".join(p for p in parts if p)


def walk_components(components: Any) -> Iterator[Mapping[str, Any]]:
    for comp in components or []:
        if not isinstance(comp, Mapping):
            continue
        yield comp
        yield from walk_components(comp.get("components"))
        for key in ("accessory", "component"):
            if isinstance(comp.get(key), Mapping):
                yield comp[key]
                yield from walk_components(comp[key].get("components"))


@dataclass(frozen=True)
class CallbackRecord:
    """The bot's initial response to an interaction, recorded after its HTTP answer was written."""

    interaction_id: int
    type: int
    data: Mapping[str, Any] | None
    files: tuple[RecordedFile, ...] = ()
    message: BotMessage | None = None
    """The created (type 4), loading (type 5) or updated (type 7) message."""
    written_at: float = 0.0

    @property
    def flags(self) -> int:
        return int((self.data or {}).get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def deferred(self) -> bool:
        return self.type in (5, 6)

    @property
    def content(self) -> str:
        return str((self.data or {}).get("content") or "")

    @property
    def choices(self) -> list[Mapping[str, Any]]:
        """Autocomplete choices (callback type 8)."""
        if self.type != 8:
            raise AssertionError(f"callback type is {self.type}, not 8 (autocomplete result)")
        return list((self.data or {}).get("choices") or [])

    @property
    def modal(self) -> Mapping[str, Any]:
        """The modal (callback type 9): custom_id, title, components."""
        if self.type != 9:
            raise AssertionError(f"callback type is {self.type}, not 9 (modal)")
        return self.data or {}


@dataclass(frozen=True)
class GatewayEvent:
    """A dispatch the fake sent (or buffered for replay) on a gateway session."""

    shard_id: int
    seq: int
    name: str
    data: Mapping[str, Any] = field(repr=False)


@dataclass(frozen=True)
class Identify:
    """An IDENTIFY the bot sent (token removed)."""

    intents: int | None
    shard: tuple[int, int] | None
    token_ok: bool
    payload: Mapping[str, Any] = field(repr=False)


@dataclass(frozen=True)
class Resume:
    session_id: str
    seq: int | None
    accepted: bool
    replayed: int


def is_loading(message: Mapping[str, Any]) -> bool:
    return bool(int(message.get("flags") or 0) & LOADING)
