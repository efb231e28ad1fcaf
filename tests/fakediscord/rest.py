"""The fake REST API under /api/v10: the routes discord.py calls, with Discord's error shapes.

Each handler returns a `Reply`; the dispatcher records the request, writes the HTTP response and
only then runs the reply's `after` hooks (publishing callbacks, gateway events), so a test that
awaits the bot's response never acts before discord.py could have read it.
"""

from __future__ import annotations

import inspect
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from aiohttp import web

from .gateway import GATEWAY_PATH, Gateway, _app_flags
from .models import Channel, ChannelType, Guild, Intent, Perm, next_snowflake
from .records import CallbackRecord, CommandSync, RecordedFile, RecordedRequest
from .state import ATTACHMENT_SIZE_LIMIT, FakeState, InteractionState, StoredMessage
from .validation import (
    EPHEMERAL,
    LOADING,
    Problem,
    check_callback,
    check_command,
    check_commands,
    check_message,
    error_body,
)

log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"
REDACTED_HEADERS = frozenset({"authorization", "cookie"})


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    after: list[Callable[[], Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Req:
    method: str
    path: str
    params: Mapping[str, str]
    query: Mapping[str, str]
    json: Any
    files: tuple[RecordedFile, ...]


Handler = Callable[[Req], Awaitable[Reply]]


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    regex: re.Pattern[str]
    handler: Handler
    auth: bool


def _error(status: int, message: str, code: int) -> Reply:
    return Reply(status=status, body={"message": message, "code": code})


def _unknown_message() -> Reply:
    return _error(404, "Unknown Message", 10008)


class RestApi:
    def __init__(self, state: FakeState, gateway: Gateway, *, shard_count: int = 1) -> None:
        self.state = state
        self.gateway = gateway
        self.shard_count = shard_count
        self.routes: list[Route] = []
        self._register()

    # --- routing -------------------------------------------------------------------------

    def _add(self, method: str, template: str, handler: Handler, *, auth: bool = True) -> None:
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        self.routes.append(Route(method, template, re.compile(pattern), handler, auth))

    def _register(self) -> None:
        add = self._add
        add("GET", "/users/@me", self.get_me)
        add("GET", "/users/@me/guilds", self.get_my_guilds)
        add("POST", "/users/@me/channels", self.create_dm)
        add("GET", "/users/{user_id}", self.get_user)
        add("GET", "/oauth2/applications/@me", self.get_application)
        add("GET", "/applications/@me", self.get_application)
        add("GET", "/gateway", self.get_gateway, auth=False)
        add("GET", "/gateway/bot", self.get_gateway_bot)
        for prefix in ("/applications/{app}", "/applications/{app}/guilds/{guild_id}"):
            add("GET", prefix + "/commands/permissions", self.get_command_permissions)
            add("GET", prefix + "/commands", self.get_commands)
            add("PUT", prefix + "/commands", self.put_commands)
            add("POST", prefix + "/commands", self.post_command)
            add("GET", prefix + "/commands/{command_id}", self.get_command)
            add("PATCH", prefix + "/commands/{command_id}", self.patch_command)
            add("DELETE", prefix + "/commands/{command_id}", self.delete_command)
        add("POST", "/interactions/{interaction_id}/{token}/callback", self.callback, auth=False)
        hook = "/webhooks/{app}/{token}"
        add("GET", hook + "/messages/@original", self.get_original, auth=False)
        add("PATCH", hook + "/messages/@original", self.edit_original, auth=False)
        add("DELETE", hook + "/messages/@original", self.delete_original, auth=False)
        add("POST", hook, self.followup, auth=False)
        add("GET", hook + "/messages/{message_id}", self.get_followup, auth=False)
        add("PATCH", hook + "/messages/{message_id}", self.edit_followup, auth=False)
        add("DELETE", hook + "/messages/{message_id}", self.delete_followup, auth=False)
        add("GET", "/channels/{channel_id}", self.get_channel)
        add("GET", "/channels/{channel_id}/messages", self.get_messages)
        add("POST", "/channels/{channel_id}/messages", self.post_message)
        add("GET", "/channels/{channel_id}/messages/{message_id}", self.get_message)
        add("PATCH", "/channels/{channel_id}/messages/{message_id}", self.edit_message)
        add("DELETE", "/channels/{channel_id}/messages/{message_id}", self.delete_message)
        add("POST", "/channels/{channel_id}/typing", self.typing)
        thread = "/channels/{channel_id}/messages/{message_id}/threads"
        add("POST", thread, self.start_thread)
        reaction = "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me"
        add("PUT", reaction, self.add_reaction)
        add("DELETE", reaction, self.remove_reaction)
        add("GET", "/guilds/{guild_id}", self.get_guild)
        add("GET", "/guilds/{guild_id}/channels", self.get_guild_channels)
        add("GET", "/guilds/{guild_id}/roles", self.get_guild_roles)
        add("GET", "/guilds/{guild_id}/members/{user_id}", self.get_member)

    def _match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            if route.method != method:
                continue
            m = route.regex.fullmatch(path)
            if m:
                return route, m.groupdict()
        return None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path[len(API_PREFIX) :] or "/"
        method = request.method
        try:
            body, files = await _read_body(request)
        except Exception as exc:  # a body the fake cannot parse is the bot's problem
            body, files = None, ()
            self.state.add_violation(method, path, [Problem((), "BODY", f"unreadable body: {exc}")])
        header = request.headers.get("Authorization")
        auth = (
            "none"
            if header is None
            else ("bot" if header == f"Bot {self.state.token}" else "wrong")
        )
        matched = self._match(method, path)
        route = matched[0] if matched else None
        req = Req(method, path, matched[1] if matched else {}, dict(request.query), body, files)
        rule = self.state.take_rate_limit(method, path) if route else None
        injected = self.state.take_injected_reply(method, path) if route and not rule else None
        if route is None:
            reply = _error(404, "404: Not Found", 0)
        elif rule is not None:
            reply = self._rate_limited(rule.retry_after, rule.is_global)
        elif injected is not None:
            reply = Reply(
                status=injected.status, body=injected.body, headers=dict(injected.headers)
            )
        elif route.auth and auth != "bot":
            reply = _error(401, "401: Unauthorized", 0)
        else:
            try:
                reply = await route.handler(req)
            except Exception as exc:
                log.exception("fake discord: handler for %s %s failed", method, path)
                self.state.fake_errors.append(f"{method} {path}: {exc!r}")
                reply = _error(400, f"fake discord internal error: {exc!r}", 0)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in REDACTED_HEADERS}
        self.state.record_request(
            RecordedRequest(
                seq=self.state.next_request_seq(),
                at=time.monotonic(),
                method=method,
                path=path,
                route=route.template if route else None,
                query=dict(request.query),
                json=body,
                headers=headers,
                auth=auth,
                files=files,
                status=reply.status,
                response=reply.body,
            )
        )
        response = _to_response(reply)
        await response.prepare(request)
        await response.write_eof()
        for hook in reply.after:
            result = hook()
            if inspect.isawaitable(result):
                await result
        self.state.notifier.notify()
        return response

    def _rate_limited(self, retry_after: float, is_global: bool) -> Reply:
        reset = time.time() + retry_after
        headers = {
            "Via": "1.1 google",
            "Retry-After": str(max(1, round(retry_after))),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{reset:.3f}",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Bucket": "fakebucket0000",
            "X-RateLimit-Scope": "global" if is_global else "user",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        body = {
            "message": "You are being rate limited.",
            "retry_after": retry_after,
            "global": is_global,
        }
        return Reply(status=429, body=body, headers=headers)

    def _invalid(self, req: Req, problems: list[Problem], *, status: int = 400) -> Reply:
        body = error_body(problems)
        self.state.add_violation(req.method, req.path, problems, req.json)
        return Reply(status=status, body=body)

    def _violation(self, req: Req, reply: Reply, message: str) -> Reply:
        self.state.add_violation(req.method, req.path, [Problem((), "PROTOCOL", message)], req.json)
        return reply

    # --- users, application, gateway ----------------------------------------------------

    def _bot_user_payload(self) -> dict[str, Any]:
        payload = self.state.bot_user.to_payload()
        payload.update(bot=True, verified=True, mfa_enabled=False, email=None, locale="en-US")
        return payload

    async def get_me(self, req: Req) -> Reply:
        return Reply(body=self._bot_user_payload())

    async def get_my_guilds(self, req: Req) -> Reply:
        """The servers the bot is in, as Discord pages them: by id, `after`, at most 200."""
        after = _int(req.query.get("after", "0"))
        limit = max(1, min(200, _int(req.query.get("limit", "200"))))
        guilds = sorted((g for g in self.state.guilds.values() if g.id > after), key=lambda g: g.id)
        body = [
            {
                "id": str(g.id),
                "name": g.name,
                "icon": None,
                "owner": g.owner_id == self.state.bot_user.id,
                "permissions": "0",
                "features": [],
            }
            for g in guilds[:limit]
        ]
        return Reply(body=body)

    async def get_user(self, req: Req) -> Reply:
        user = self.state.users().get(_int(req.params["user_id"]))
        if user is None:
            return _error(404, "Unknown User", 10013)
        return Reply(body=user.to_payload())

    async def create_dm(self, req: Req) -> Reply:
        recipient = _int((req.json or {}).get("recipient_id"))
        user = self.state.users().get(recipient)
        if user is None:
            return _error(400, "Unknown User", 10013)
        return Reply(body=self.state.dm_channel(user).to_payload())

    async def get_application(self, req: Req) -> Reply:
        owner = next(iter(self.state.guilds.values())).owner_id if self.state.guilds else None
        owner_user = self.state.users().get(owner) if owner else None
        body = {
            "id": str(self.state.application_id),
            "name": self.state.bot_user.username,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "owner": (owner_user or self.state.bot_user).to_payload(),
            "team": None,
            "flags": _app_flags(self.state),
            "hook": True,
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "tags": [],
            "integration_types_config": {"0": {}},
            "bot": self._bot_user_payload(),
            "approximate_guild_count": len(self.state.guilds),
        }
        return Reply(body=body)

    async def get_gateway(self, req: Req) -> Reply:
        return Reply(body={"url": self.gateway.base_ws_url + GATEWAY_PATH})

    async def get_gateway_bot(self, req: Req) -> Reply:
        body = {
            "url": self.gateway.base_ws_url + GATEWAY_PATH,
            "shards": self.shard_count,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 14_400_000,
                "max_concurrency": 1,
            },
        }
        return Reply(body=body)

    # --- application commands -----------------------------------------------------------

    def _scope(self, req: Req) -> int | Reply | None:
        if _int(req.params["app"]) != self.state.application_id:
            return _error(403, "Missing Access", 50001)
        guild_id = req.params.get("guild_id")
        if guild_id is None:
            return None
        gid = _int(guild_id)
        if gid not in self.state.guilds:
            return _error(403, "Missing Access", 50001)
        return gid

    def _command_object(
        self, command: Mapping[str, Any], guild_id: int | None, old: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        obj = dict(command)
        obj.setdefault("type", 1)
        obj.setdefault("description", "")
        obj.setdefault("options", [])
        perms = obj.get("default_member_permissions")
        obj["default_member_permissions"] = None if perms is None else str(perms)
        obj.setdefault("nsfw", False)
        if obj.get("contexts") is None and guild_id is None:
            obj["contexts"] = [0, 1, 2]
        if obj.get("integration_types") is None:
            obj["integration_types"] = [0]
        obj["id"] = old["id"] if old else str(next_snowflake())
        obj["application_id"] = str(self.state.application_id)
        obj["version"] = str(next_snowflake())
        if guild_id is not None:
            obj["guild_id"] = str(guild_id)
        return obj

    async def get_commands(self, req: Req) -> Reply:
        scope = self._scope(req)
        if isinstance(scope, Reply):
            return scope
        return Reply(body=self.state.synced_commands(scope))

    async def get_command_permissions(self, req: Req) -> Reply:
        scope = self._scope(req)
        return scope if isinstance(scope, Reply) else Reply(body=[])

    async def put_commands(self, req: Req) -> Reply:
        scope = self._scope(req)
        if isinstance(scope, Reply):
            return scope
        problems = check_commands(req.json)
        if problems:
            return self._invalid(req, problems)
        old = {(c["type"], c["name"]): c for c in self.state.synced_commands(scope)}
        new = [
            self._command_object(c, scope, old.get((c.get("type", 1), c.get("name"))))
            for c in req.json
        ]
        self.state.commands[scope] = new
        self.state.command_syncs.append(CommandSync("PUT", scope, tuple(req.json)))
        return Reply(body=new)

    async def post_command(self, req: Req) -> Reply:
        scope = self._scope(req)
        if isinstance(scope, Reply):
            return scope
        problems = check_command(req.json)
        if problems:
            return self._invalid(req, problems)
        current = self.state.synced_commands(scope)
        key = (req.json.get("type", 1), req.json.get("name"))
        old = next((c for c in current if (c["type"], c["name"]) == key), None)
        obj = self._command_object(req.json, scope, old)
        self.state.commands[scope] = [c for c in current if c is not old] + [obj]
        self.state.command_syncs.append(CommandSync("POST", scope, (req.json,)))
        return Reply(status=200 if old else 201, body=obj)

    def _find_command(self, req: Req) -> tuple[int | None, dict[str, Any]] | Reply:
        scope = self._scope(req)
        if isinstance(scope, Reply):
            return scope
        for command in self.state.synced_commands(scope):
            if command["id"] == req.params["command_id"]:
                return scope, command
        return _error(404, "Unknown application command", 10063)

    async def get_command(self, req: Req) -> Reply:
        found = self._find_command(req)
        return found if isinstance(found, Reply) else Reply(body=found[1])

    async def patch_command(self, req: Req) -> Reply:
        found = self._find_command(req)
        if isinstance(found, Reply):
            return found
        scope, command = found
        merged = {**command, **(req.json or {})}
        for key in ("id", "application_id", "version", "guild_id"):
            merged.pop(key, None)
        problems = check_command(merged)
        if problems:
            return self._invalid(req, problems)
        obj = self._command_object(merged, scope, command)
        self.state.commands[scope] = [
            obj if c is command else c for c in self.state.commands[scope]
        ]
        self.state.command_syncs.append(CommandSync("PATCH", scope, (req.json or {},)))
        return Reply(body=obj)

    async def delete_command(self, req: Req) -> Reply:
        found = self._find_command(req)
        if isinstance(found, Reply):
            return found
        scope, command = found
        self.state.commands[scope] = [c for c in self.state.commands[scope] if c is not command]
        self.state.command_syncs.append(CommandSync("DELETE", scope, ()))
        return Reply(status=204)

    # --- message helpers ----------------------------------------------------------------

    def _message_problems(
        self,
        sent: Any,
        files: tuple[RecordedFile, ...],
        *,
        creating: bool,
        interaction: bool,
        base: tuple[str | int, ...] = (),
    ) -> list[Problem]:
        if not isinstance(sent, Mapping):
            return [Problem(base, "DICT_TYPE_CONVERT", "a JSON object is required")]
        problems = check_message(
            sent, creating=creating, interaction=interaction, file_count=len(files), base=base
        )
        if creating and "allowed_mentions" not in sent:
            problems.append(
                Problem(
                    (*base, "allowed_mentions"),
                    "FAKE_ALLOWED_MENTIONS_MISSING",
                    "every message the bot creates must carry allowed_mentions "
                    "(set AllowedMentions on the client or the call)",
                )
            )
        if sum(f.size for f in files) > ATTACHMENT_SIZE_LIMIT:
            problems.append(Problem((*base, "files"), "40005", "Request entity too large"))
        return problems

    async def _dispatch_message(self, event: str, message: StoredMessage) -> None:
        if message.flags & EPHEMERAL:
            return
        intent = Intent.DIRECT_MESSAGES if message.guild_id is None else Intent.GUILD_MESSAGES
        await self.gateway.dispatch(
            event, message.to_payload(), guild_id=message.guild_id, intent=intent
        )

    async def _dispatch_delete(self, message: StoredMessage) -> None:
        if message.flags & EPHEMERAL:
            return
        data: dict[str, Any] = {"id": str(message.id), "channel_id": str(message.channel_id)}
        if message.guild_id is not None:
            data["guild_id"] = str(message.guild_id)
        intent = Intent.DIRECT_MESSAGES if message.guild_id is None else Intent.GUILD_MESSAGES
        await self.gateway.dispatch(
            "MESSAGE_DELETE", data, guild_id=message.guild_id, intent=intent
        )

    # --- interaction callbacks ----------------------------------------------------------

    async def callback(self, req: Req) -> Reply:
        interaction = self.state.interactions.get(_int(req.params["interaction_id"]))
        unknown = _error(404, "Unknown interaction", 10062)
        if interaction is None or interaction.token != req.params["token"]:
            return self._violation(req, unknown, "callback for an unknown interaction or token")
        if interaction.acked:
            return self._violation(
                req,
                _error(400, "Interaction has already been acknowledged.", 40060),
                f"second callback for {interaction.label}",
            )
        elapsed = time.monotonic() - interaction.created_at
        deadline = self.state.callback_deadline
        if deadline is not None and elapsed > deadline:
            return self._violation(
                req,
                unknown,
                f"callback for {interaction.label} came {elapsed:.2f} s after the interaction; "
                f"Discord allows {deadline:g} s (defer first)",
            )
        payload = req.json if isinstance(req.json, Mapping) else {}
        problems = check_callback(interaction.type, payload, file_count=len(req.files))
        kind = payload.get("type")
        data = payload.get("data") if isinstance(payload.get("data"), Mapping) else {}
        if not problems and kind == 4:
            problems += self._message_problems(
                data, req.files, creating=True, interaction=True, base=("data",)
            )
        elif not problems and kind == 7:
            problems += self._message_problems(
                data, req.files, creating=False, interaction=True, base=("data",)
            )
        no_message = interaction.source_message_id is None
        if not problems and no_message and (kind == 7 or (kind == 6 and interaction.type == 3)):
            problems.append(
                Problem(("type",), "INTERACTION_RESPONSE_TYPE_INVALID", "no message to update")
            )
        if problems:
            return self._invalid(req, problems)
        interaction.acked = True
        message = self._apply_callback(interaction, kind, data, req.files)
        body_message = message.to_payload() if message else None
        reply = Reply(status=204)
        if req.query.get("with_response") in ("1", "true", "True"):
            flags = message.flags if message else 0
            reply = Reply(
                body={
                    "interaction": {
                        "id": str(interaction.id),
                        "type": interaction.type,
                        "activity_instance_id": None,
                        "response_message_id": str(message.id) if message else None,
                        "response_message_loading": kind == 5,
                        "response_message_ephemeral": bool(flags & EPHEMERAL),
                    },
                    "resource": (
                        {"type": kind, "message": body_message} if body_message else {"type": kind}
                    ),
                }
            )

        source = {4: "callback", 5: "callback", 7: "update"}.get(kind)

        async def publish() -> None:
            snap = None
            if message is not None:
                snap = self.state.snapshot(
                    message,
                    source=source or "callback",
                    sent=data,
                    files=req.files,
                    interaction_id=interaction.id,
                    record=source is not None,
                )
            record = CallbackRecord(
                interaction_id=interaction.id,
                type=kind,
                data=dict(data) if data else None,
                files=req.files,
                message=snap,
                written_at=time.monotonic(),
            )
            interaction.callback = record
            self.state.callbacks.append(record)
            self.state.notifier.notify()
            if message is not None and kind == 4:
                await self._dispatch_message("MESSAGE_CREATE", message)
            elif message is not None and kind == 7:
                await self._dispatch_message("MESSAGE_UPDATE", message)

        reply.after.append(publish)
        return reply

    def _apply_callback(
        self,
        interaction: InteractionState,
        kind: int,
        data: Mapping[str, Any],
        files: tuple[RecordedFile, ...],
    ) -> StoredMessage | None:
        message_type = _response_message_type(interaction)
        if kind == 4:
            message = self.state.new_bot_message(
                channel_id=interaction.channel_id,
                guild_id=interaction.guild_id,
                sent=data,
                files=files,
                interaction=interaction,
                message_type=message_type,
            )
            interaction.original_id = message.id
            return message
        if kind == 5:
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            message = self.state.new_bot_message(
                channel_id=interaction.channel_id,
                guild_id=interaction.guild_id,
                sent={},
                files=(),
                interaction=interaction,
                message_type=message_type,
                flags=flags,
            )
            interaction.original_id = message.id
            return message
        if kind in (6, 7) and interaction.source_message_id is not None:
            message = self.state.messages[interaction.source_message_id]
            if kind == 7:
                self.state.apply_edit(message, data, files)
            interaction.original_id = message.id
            return message
        return None

    # --- interaction webhooks -----------------------------------------------------------

    def _hook_interaction(self, req: Req) -> InteractionState | Reply:
        interaction = self.state.interactions_by_token.get(req.params["token"])
        if interaction is None or _int(req.params["app"]) != self.state.application_id:
            return self._violation(
                req, _error(404, "Unknown Webhook", 10015), "webhook for an unknown interaction"
            )
        return interaction

    def _original(self, req: Req) -> tuple[InteractionState, StoredMessage] | Reply:
        interaction = self._hook_interaction(req)
        if isinstance(interaction, Reply):
            return interaction
        if not interaction.acked:
            return self._violation(
                req,
                _unknown_message(),
                f"@original of {interaction.label} used before the interaction was acknowledged",
            )
        message = self.state.messages.get(interaction.original_id or 0)
        if message is None or message.deleted:
            return self._violation(
                req, _unknown_message(), f"{interaction.label} has no @original message"
            )
        return interaction, message

    async def get_original(self, req: Req) -> Reply:
        found = self._original(req)
        return found if isinstance(found, Reply) else Reply(body=found[1].to_payload())

    async def edit_original(self, req: Req) -> Reply:
        found = self._original(req)
        if isinstance(found, Reply):
            return found
        interaction, message = found
        return self._edit_interaction_message(req, interaction, message, source="edit")

    def _edit_interaction_message(
        self, req: Req, interaction: InteractionState, message: StoredMessage, *, source: str
    ) -> Reply:
        sent = req.json if isinstance(req.json, Mapping) else {}
        loading = bool(message.flags & LOADING)
        problems = self._message_problems(sent, req.files, creating=loading, interaction=True)
        if problems:
            return self._invalid(req, problems)
        self.state.apply_edit(message, sent, req.files)

        async def publish() -> None:
            snap = self.state.snapshot(
                message, source=source, sent=sent, files=req.files, interaction_id=interaction.id
            )
            interaction.edits.append(snap)
            self.state.notifier.notify()
            await self._dispatch_message("MESSAGE_UPDATE", message)

        return Reply(body=message.to_payload(), after=[publish])

    async def delete_original(self, req: Req) -> Reply:
        found = self._original(req)
        if isinstance(found, Reply):
            return found
        interaction, message = found
        message.deleted = True
        interaction.deleted_original = True
        return Reply(status=204, after=[lambda: self._dispatch_delete(message)])

    async def followup(self, req: Req) -> Reply:
        interaction = self._hook_interaction(req)
        if isinstance(interaction, Reply):
            return interaction
        if not interaction.acked:
            return self._violation(
                req,
                _error(404, "Unknown Webhook", 10015),
                f"follow-up for {interaction.label} before the interaction was acknowledged",
            )
        sent = req.json if isinstance(req.json, Mapping) else {}
        problems = self._message_problems(sent, req.files, creating=True, interaction=True)
        if problems:
            return self._invalid(req, problems)
        original = self.state.messages.get(interaction.original_id or 0)
        if original is not None and original.flags & LOADING:
            # The first follow-up after a deferral replaces the "thinking..." message.
            without_flags = {k: v for k, v in sent.items() if k != "flags"}
            self.state.apply_edit(original, without_flags, req.files)
            message = original
        else:
            message = self.state.new_bot_message(
                channel_id=interaction.channel_id,
                guild_id=interaction.guild_id,
                sent=sent,
                files=req.files,
                interaction=interaction,
                message_type=_response_message_type(interaction),
            )

        async def publish() -> None:
            snap = self.state.snapshot(
                message,
                source="followup",
                sent=sent,
                files=req.files,
                interaction_id=interaction.id,
            )
            interaction.followups.append(snap)
            self.state.notifier.notify()
            event = "MESSAGE_UPDATE" if message is original else "MESSAGE_CREATE"
            await self._dispatch_message(event, message)

        if req.query.get("wait") not in ("1", "true", "True"):
            return Reply(status=204, after=[publish])
        return Reply(body=message.to_payload(), after=[publish])

    def _interaction_message(self, req: Req) -> tuple[InteractionState, StoredMessage] | Reply:
        interaction = self._hook_interaction(req)
        if isinstance(interaction, Reply):
            return interaction
        message_id = _int(req.params["message_id"])
        ids = {interaction.original_id, *(f.id for f in interaction.followups)}
        message = self.state.messages.get(message_id)
        if message_id not in ids or message is None or message.deleted:
            return self._violation(
                req, _unknown_message(), f"{interaction.label} has no message {message_id}"
            )
        return interaction, message

    async def get_followup(self, req: Req) -> Reply:
        found = self._interaction_message(req)
        return found if isinstance(found, Reply) else Reply(body=found[1].to_payload())

    async def edit_followup(self, req: Req) -> Reply:
        found = self._interaction_message(req)
        if isinstance(found, Reply):
            return found
        interaction, message = found
        return self._edit_interaction_message(req, interaction, message, source="edit")

    async def delete_followup(self, req: Req) -> Reply:
        found = self._interaction_message(req)
        if isinstance(found, Reply):
            return found
        _, message = found
        message.deleted = True
        return Reply(status=204, after=[lambda: self._dispatch_delete(message)])

    # --- channels and messages ----------------------------------------------------------

    def _channel(
        self, req: Req, needed: int = Perm.VIEW_CHANNEL
    ) -> tuple[Any, Guild | None] | Reply:
        found = self.state.find_channel(_int(req.params["channel_id"]))
        if found is None:
            return _error(404, "Unknown Channel", 10003)
        channel, guild = found
        if guild is not None:
            perms = self.state.bot_permissions(guild, channel)
            if perms & needed != needed:
                missing = Perm(needed & ~perms)
                return self._violation(
                    req,
                    _error(403, "Missing Permissions", 50013),
                    f"the bot lacks {missing!r} in #{channel.name}",
                )
        return channel, guild

    def _channel_message(self, req: Req, needed: int) -> StoredMessage | Reply:
        found = self._channel(req, needed)
        if isinstance(found, Reply):
            return found
        channel, _ = found
        message = self.state.messages.get(_int(req.params["message_id"]))
        if message is None or message.deleted or message.channel_id != channel.id:
            return _unknown_message()
        return message

    async def get_channel(self, req: Req) -> Reply:
        found = self._channel(req)
        return found if isinstance(found, Reply) else Reply(body=found[0].to_payload())

    async def get_messages(self, req: Req) -> Reply:
        found = self._channel(req, Perm.VIEW_CHANNEL | Perm.READ_MESSAGE_HISTORY)
        if isinstance(found, Reply):
            return found
        channel, _ = found
        limit = min(100, int(req.query.get("limit", 50)))
        messages = [
            m for m in self.state.messages.values() if m.channel_id == channel.id and not m.deleted
        ]
        messages = [m for m in messages if not m.flags & EPHEMERAL]
        messages.sort(key=lambda m: m.id, reverse=True)
        return Reply(body=[m.to_payload() for m in messages[:limit]])

    async def post_message(self, req: Req) -> Reply:
        needed = Perm.VIEW_CHANNEL | Perm.SEND_MESSAGES
        if req.files:
            needed |= Perm.ATTACH_FILES
        found = self._channel(req, needed)
        if isinstance(found, Reply):
            return found
        channel, guild = found
        sent = req.json if isinstance(req.json, Mapping) else {}
        problems = self._message_problems(sent, req.files, creating=True, interaction=False)
        reference = sent.get("message_reference")
        if isinstance(reference, Mapping) and reference.get("message_id"):
            target = self.state.messages.get(_int(reference["message_id"]))
            if (target is None or target.channel_id != channel.id) and reference.get(
                "fail_if_not_exists", True
            ):
                problems.append(
                    Problem(
                        ("message_reference",),
                        "MESSAGE_REFERENCE_UNKNOWN_MESSAGE",
                        "Unknown message",
                    )
                )
        if channel.type == ChannelType.DM and channel.recipient and channel.recipient.bot:
            return _error(403, "Cannot send messages to this user", 50007)
        if problems:
            return self._invalid(req, problems)
        message = self.state.new_bot_message(
            channel_id=channel.id, guild_id=guild.id if guild else None, sent=sent, files=req.files
        )

        async def publish() -> None:
            self.state.snapshot(message, source="channel", sent=sent, files=req.files)
            self.state.notifier.notify()
            await self._dispatch_message("MESSAGE_CREATE", message)

        return Reply(body=message.to_payload(), after=[publish])

    async def get_message(self, req: Req) -> Reply:
        message = self._channel_message(req, Perm.VIEW_CHANNEL | Perm.READ_MESSAGE_HISTORY)
        return message if isinstance(message, Reply) else Reply(body=message.to_payload())

    async def edit_message(self, req: Req) -> Reply:
        message = self._channel_message(req, Perm.VIEW_CHANNEL)
        if isinstance(message, Reply):
            return message
        if message.author.id != self.state.bot_user.id:
            return self._violation(
                req,
                _error(403, "Cannot edit a message authored by another user", 50005),
                "the bot edited someone else's message",
            )
        sent = req.json if isinstance(req.json, Mapping) else {}
        problems = self._message_problems(sent, req.files, creating=False, interaction=False)
        if problems:
            return self._invalid(req, problems)
        self.state.apply_edit(message, sent, req.files)

        async def publish() -> None:
            self.state.snapshot(message, source="channel_edit", sent=sent, files=req.files)
            self.state.notifier.notify()
            await self._dispatch_message("MESSAGE_UPDATE", message)

        return Reply(body=message.to_payload(), after=[publish])

    async def delete_message(self, req: Req) -> Reply:
        message = self._channel_message(req, Perm.VIEW_CHANNEL)
        if isinstance(message, Reply):
            return message
        if message.author.id != self.state.bot_user.id and message.guild_id is not None:
            guild = self.state.guilds[message.guild_id]
            channel = guild.channel_by_id(message.channel_id)
            if not self.state.bot_permissions(guild, channel) & Perm.MANAGE_MESSAGES:
                return self._violation(
                    req,
                    _error(403, "Missing Permissions", 50013),
                    "deleting without Manage Messages",
                )
        message.deleted = True
        return Reply(status=204, after=[lambda: self._dispatch_delete(message)])

    async def start_thread(self, req: Req) -> Reply:
        """A public thread from a message (its id is the message's, as on Discord); the bot
        needs Create Public Threads, and a message has at most one thread."""
        message = self._channel_message(req, Perm.VIEW_CHANNEL | Perm.CREATE_PUBLIC_THREADS)
        if isinstance(message, Reply):
            return message
        found = self.state.find_channel(message.channel_id)
        assert found is not None
        channel, guild = found
        if guild is None or channel.type != ChannelType.GUILD_TEXT:
            return _error(400, "Cannot execute action on this channel type", 50024)
        if self.state.find_channel(message.id) is not None:
            return _error(400, "A thread has already been created for this message", 160004)
        sent = req.json if isinstance(req.json, Mapping) else {}
        name = str(sent.get("name") or "")
        if not 1 <= len(name) <= 100:
            problem = Problem(("name",), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100.")
            return self._invalid(req, [problem])
        thread = Channel(
            id=message.id,
            name=name,
            type=ChannelType.PUBLIC_THREAD,
            parent_id=channel.id,
            guild_id=guild.id,
            owner_id=self.state.bot_user.id,
        )
        self.state.guilds[guild.id] = replace(guild, channels=(*guild.channels, thread))

        async def announce() -> None:
            await self.gateway.dispatch(
                "THREAD_CREATE",
                {**thread.to_payload(), "newly_created": True},
                guild_id=guild.id,
                intent=Intent.GUILDS,
            )

        return Reply(body=thread.to_payload(), after=[announce])

    async def typing(self, req: Req) -> Reply:
        found = self._channel(req, Perm.VIEW_CHANNEL | Perm.SEND_MESSAGES)
        return found if isinstance(found, Reply) else Reply(status=204)

    async def add_reaction(self, req: Req) -> Reply:
        message = self._channel_message(
            req, Perm.VIEW_CHANNEL | Perm.READ_MESSAGE_HISTORY | Perm.ADD_REACTIONS
        )
        if isinstance(message, Reply):
            return message
        message.reactions.append(req.params["emoji"])
        return Reply(status=204)

    async def remove_reaction(self, req: Req) -> Reply:
        message = self._channel_message(req, Perm.VIEW_CHANNEL)
        if isinstance(message, Reply):
            return message
        if req.params["emoji"] in message.reactions:
            message.reactions.remove(req.params["emoji"])
        return Reply(status=204)

    # --- guilds ---------------------------------------------------------------------------

    def _guild(self, req: Req) -> Guild | Reply:
        guild = self.state.guilds.get(_int(req.params["guild_id"]))
        return guild if guild is not None else _error(404, "Unknown Guild", 10004)

    async def get_guild(self, req: Req) -> Reply:
        guild = self._guild(req)
        if isinstance(guild, Reply):
            return guild
        payload = guild.to_payload(bot_member=None, include_members=False, joined_at="")
        for key in ("channels", "members", "threads", "voice_states", "presences", "joined_at"):
            payload.pop(key, None)
        return Reply(body=payload)

    async def get_guild_channels(self, req: Req) -> Reply:
        guild = self._guild(req)
        if isinstance(guild, Reply):
            return guild
        return Reply(body=[c.to_payload() for c in guild.channels])

    async def get_guild_roles(self, req: Req) -> Reply:
        guild = self._guild(req)
        if isinstance(guild, Reply):
            return guild
        return Reply(body=[r.to_payload() for r in guild.roles])

    async def get_member(self, req: Req) -> Reply:
        guild = self._guild(req)
        if isinstance(guild, Reply):
            return guild
        user_id = _int(req.params["user_id"])
        member = guild.member_by_id(user_id)
        if member is None and user_id == self.state.bot_user.id:
            member = self.state.bot_members[guild.id]
        if member is None:
            return _error(404, "Unknown Member", 10007)
        return Reply(body=member.to_payload())


def _response_message_type(interaction: InteractionState) -> int:
    if interaction.type == 2:
        return 20 if interaction.command_type in (None, 1) else 23
    return 0


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


async def _read_body(request: web.Request) -> tuple[Any, tuple[RecordedFile, ...]]:
    if not request.can_read_body:
        return None, ()
    content_type = request.content_type
    if content_type.startswith("multipart/"):
        reader = await request.multipart()
        payload: Any = None
        files: list[RecordedFile] = []
        while True:
            part = await reader.next()
            if part is None:
                break
            if part.filename:
                files.append(
                    RecordedFile(
                        field=part.name or "",
                        filename=part.filename,
                        content_type=part.headers.get("Content-Type", "application/octet-stream"),
                        data=bytes(await part.read()),
                    )
                )
            elif part.name == "payload_json":
                payload = json.loads(await part.text())
            else:
                await part.read()
        return payload, tuple(files)
    raw = await request.read()
    if not raw:
        return None, ()
    return json.loads(raw), ()


def _to_response(reply: Reply) -> web.StreamResponse:
    if reply.status == 204 or reply.body is None:
        return web.Response(status=reply.status, headers=reply.headers)
    data = json.dumps(reply.body, separators=(",", ":")).encode()
    headers = {**reply.headers, "Content-Type": "application/json"}
    return web.Response(status=reply.status, body=data, headers=headers)
