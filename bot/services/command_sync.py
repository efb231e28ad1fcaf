"""Sync application commands only when they changed: a hash per scope, kept under DATA_DIR.

Discord rate-limits command registration, and a global sync takes a while to reach every
client, so the bot must not re-register on every start. The adapter builds the payload it
would send for each scope ("global" or "guild:<id>"); `CommandSyncState.plan` says which
scopes differ from what was last registered for this application, and `record` stores the
new hashes once Discord accepted them. No discord import: payloads are plain JSON values.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.services.files import write_atomic

log = logging.getLogger(__name__)

STATE_FILE = "command-sync.json"
GLOBAL = "global"
_FORMAT = 1


def guild_scope(guild_id: int) -> str:
    return f"guild:{guild_id}"


def scope_guild_id(scope: str) -> int | None:
    """The guild id of a "guild:<id>" scope, None for the global scope."""
    if scope == GLOBAL:
        return None
    return int(scope.removeprefix("guild:"))


def payload_hash(payload: Sequence[Mapping[str, Any]]) -> str:
    """A stable hash of a command payload: key order and command order do not matter."""
    commands = sorted(
        (json.dumps(command, sort_keys=True, separators=(",", ":"), default=str))
        for command in payload
    )
    return hashlib.sha256("\n".join(commands).encode()).hexdigest()


EMPTY_HASH = payload_hash([])


@dataclass(frozen=True, slots=True)
class ScopePlan:
    """One scope to register: the scope name and the hash its payload has."""

    scope: str
    digest: str
    commands: int

    @property
    def guild_id(self) -> int | None:
        return scope_guild_id(self.scope)


class CommandSyncState:
    """The hashes last registered with Discord, per application and scope."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / STATE_FILE

    def load(self, application_id: int) -> dict[str, str]:
        """Scope -> hash for `application_id`; empty when unknown, unreadable or another app."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable %s (%s): commands will be synced", self.path, exc)
            return {}
        if not isinstance(raw, dict) or raw.get("format") != _FORMAT:
            return {}
        if str(raw.get("application_id")) != str(application_id):
            return {}
        scopes = raw.get("scopes")
        if not isinstance(scopes, dict):
            return {}
        return {str(k): str(v) for k, v in scopes.items()}

    def plan(
        self, application_id: int, payloads: Mapping[str, Sequence[Mapping[str, Any]]]
    ) -> list[ScopePlan]:
        """The scopes whose payload differs from the last one registered.

        A scope known from before but absent from `payloads` is planned with an empty payload
        (its commands must be removed, e.g. after GUILD_IDS changed); an unknown scope with
        an empty payload is left alone (nothing of ours is registered there).
        """
        stored = self.load(application_id)
        wanted = {scope: list(payload) for scope, payload in payloads.items()}
        for scope in stored:
            wanted.setdefault(scope, [])
        plans = []
        for scope, payload in sorted(wanted.items(), key=lambda item: item[0] != GLOBAL):
            digest = payload_hash(payload)
            previous = stored.get(scope)
            if previous == digest or (previous is None and digest == EMPTY_HASH):
                continue
            plans.append(ScopePlan(scope=scope, digest=digest, commands=len(payload)))
        return plans

    def record(self, application_id: int, synced: Iterable[ScopePlan]) -> None:
        """Remember what Discord accepted; empty scopes are forgotten."""
        scopes = self.load(application_id)
        for plan in synced:
            if plan.digest == EMPTY_HASH:
                scopes.pop(plan.scope, None)
            else:
                scopes[plan.scope] = plan.digest
        body = {"format": _FORMAT, "application_id": str(application_id), "scopes": scopes}
        write_atomic(self.path, json.dumps(body, indent=2, sort_keys=True) + "\n")
