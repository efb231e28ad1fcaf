"""`FakeDiscord`: start the fake, act like Discord's users, and await what the bot does."""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Literal, Self

from aiohttp import web

from .gateway import GATEWAY_PATH, RESUME_PATH, Gateway, Session
from .models import (
    Channel,
    Guild,
    Intent,
    Member,
    Role,
    User,
    World,
    default_world,
    make_user,
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
from .rest import API_PREFIX, RestApi
from .state import FakeState, InteractionState, StoredMessage, route_regex

log = logging.getLogger(__name__)

DEFAULT_TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAw.fake.discord-token-for-tests"
DEFAULT_TIMEOUT = 10.0
_PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)

UserLike = Member | User | str
ChannelLike = Channel | str | int
MessageLike = BotMessage | int


class FakeDiscord:
    """A fake Discord (REST + gateway) on 127.0.0.1 and the driver tests use to act on it.

    Use as `async with FakeDiscord() as fake:` or `await fake.start()` / `await fake.stop()`.
    With no `guilds`, the standard `default_world()` is used and exposed as `fake.world` (a
    snapshot: after `add_member`/`add_channel`, `fake.guild` / `fake.member()` are current).
    """

    def __init__(
        self,
        *,
        world: World | None = None,
        guilds: Sequence[Guild] | None = None,
        token: str = DEFAULT_TOKEN,
        bot_name: str = "FAQ Bot",
        callback_deadline: float | None = 3.0,
        allowed_intents: int | None = None,
        shard_count: int = 1,
        heartbeat_interval_ms: int = 41250,
        default_timeout: float = DEFAULT_TIMEOUT,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        if world is None and guilds is None:
            world = default_world()
        self.world = world
        self.default_timeout = default_timeout
        self.host = host
        self.port = port
        self.bot_user = make_user(bot_name, bot=True)
        self.attachment_contents: dict[str, bytes] = {}
        """Attachment id -> the bytes a test sent (served at the attachment's CDN url)."""
        self.state = FakeState(
            token=token,
            bot_user=self.bot_user,
            guilds=guilds if guilds is not None else [world.guild],  # type: ignore[union-attr]
            callback_deadline=callback_deadline,
            allowed_intents=allowed_intents,
        )
        self.gateway = Gateway(self.state, heartbeat_interval_ms=heartbeat_interval_ms)
        self.rest = RestApi(self.state, self.gateway, shard_count=shard_count)
        self._runner: web.AppRunner | None = None
        self.url = ""

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> Self:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self.rest.handle)
        app.router.add_get(GATEWAY_PATH, self.gateway.handle)
        app.router.add_get(RESUME_PATH, self.gateway.handle)
        app.router.add_get("/cdn/{tail:.*}", self._cdn)
        app.router.add_route("*", "/{tail:.*}", self._outside_api)
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://{self.host}:{port}"
        self.state.base_url = self.url
        self.gateway.base_ws_url = f"ws://{self.host}:{port}"
        log.info("fake discord listening on %s", self.url)
        return self

    async def stop(self) -> None:
        if self._runner is None:
            return
        try:
            await asyncio.wait_for(self.gateway.close_all(), 5.0)
        except TimeoutError:
            log.warning("fake discord: gateway connections did not close within 5 s")
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _cdn(self, request: web.Request) -> web.Response:
        """An attachment a test sent in a slash option is served as sent; anything else is a
        1x1 PNG (avatars, icons)."""
        sent = self.attachment_contents.get(request.match_info["tail"].split("/")[-2:][0])
        if sent is not None:
            return web.Response(body=sent, content_type="application/octet-stream")
        return web.Response(body=_PNG_1X1, content_type="image/png")

    async def _outside_api(self, request: web.Request) -> web.Response:
        self.state.record_request(
            RecordedRequest(
                seq=self.state.next_request_seq(),
                at=time.monotonic(),
                method=request.method,
                path=request.path,
                route=None,
                query=dict(request.query),
                json=None,
                headers={},
                auth="none",
                files=(),
                status=404,
            )
        )
        return web.Response(status=404, text="404: Not Found")

    # --- what was recorded ---------------------------------------------------------------

    @property
    def token(self) -> str:
        return self.state.token

    @property
    def application_id(self) -> int:
        return self.state.application_id

    @property
    def guild(self) -> Guild:
        """The first guild (the standard world's `Test Guild`)."""
        return next(iter(self.state.guilds.values()))

    @property
    def guilds(self) -> list[Guild]:
        return list(self.state.guilds.values())

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.state.requests

    @property
    def violations(self) -> list[Violation]:
        return self.state.violations

    @property
    def unknown_routes(self) -> list[RecordedRequest]:
        return self.state.unknown_routes

    @property
    def fake_errors(self) -> list[str]:
        return self.state.fake_errors

    @property
    def callbacks(self) -> list[CallbackRecord]:
        return self.state.callbacks

    @property
    def bot_messages(self) -> list[BotMessage]:
        """Every message the bot created or edited, in order (snapshots)."""
        return self.state.bot_messages

    @property
    def identifies(self) -> list[Identify]:
        return self.state.identifies

    @property
    def resumes(self) -> list[Resume]:
        return self.state.resumes

    @property
    def command_syncs(self) -> list[CommandSync]:
        return self.state.command_syncs

    @property
    def events(self) -> list[GatewayEvent]:
        """Every gateway dispatch the fake sent or buffered."""
        return self.state.events

    @property
    def presence_updates(self) -> list[Mapping[str, Any]]:
        return self.state.presence_updates

    def commands(self, guild: Guild | int | None = None) -> list[dict[str, Any]]:
        """The commands the bot synced, globally (None) or for one guild."""
        return self.state.synced_commands(_id(guild) if guild is not None else None)

    def files(self) -> list[RecordedFile]:
        """Every file the bot uploaded."""
        return [f for r in self.requests for f in r.files]

    def requests_to(self, method: str, pattern: str) -> list[RecordedRequest]:
        """Requests whose path (below /api/v10) matches `pattern` (`{x}` one segment, `*` any)."""
        regex = route_regex(pattern)
        return [r for r in self.requests if r.method == method and regex.fullmatch(r.path)]

    def add_liveness_check(self, check: Any) -> None:
        """`check()` returns None while all is well, else a reason (e.g. "the bot exited with
        code 1"): every wait then fails at once with that reason."""
        self.state.notifier.liveness_checks.append(check)

    def assert_clean(self) -> None:
        """No violations, no unknown routes, no internal errors of the fake."""
        problems = [f"violation: {v}" for v in self.violations]
        problems += [f"unknown route: {r}" for r in self.unknown_routes]
        problems += [f"fake discord error: {e}" for e in self.fake_errors]
        assert not problems, "fake discord saw problems:\n" + "\n".join(problems)

    def describe(self) -> str:
        """A summary of the fake's state, for failure reports."""
        sessions = ", ".join(
            f"shard {s.shard_id}: {'connected' if s.conn else 'disconnected'}, seq {s.seq}, "
            f"client seq {s.client_seq}, resumes {s.resumes}"
            for s in self.gateway.current.values()
        )
        lines = [
            f"identifies: {len(self.identifies)}; sessions: {sessions or 'none'}",
            f"command syncs: {[(c.method, c.guild_id, c.names) for c in self.command_syncs]}",
            self.state.describe_recent(),
        ]
        if self.fake_errors:
            lines.append("fake discord errors:\n" + "\n".join(f"  {e}" for e in self.fake_errors))
        return "\n".join(lines)

    async def wait_for_request(
        self, method: str, pattern: str, *, timeout: float | None = None, after: int = 0
    ) -> RecordedRequest:
        """The first request matching (method, pattern) with seq > `after`."""
        regex = route_regex(pattern)

        def probe() -> RecordedRequest | None:
            for r in self.requests:
                if r.seq > after and r.method == method and regex.fullmatch(r.path):
                    return r
            return None

        return await self._wait(probe, timeout, f"request {method} {pattern}")

    async def wait_for_bot_message(
        self,
        predicate: Any = None,
        *,
        channel: ChannelLike | None = None,
        after: int = 0,
        timeout: float | None = None,
        what: str = "a bot message",
    ) -> BotMessage:
        """The first bot message snapshot (index >= `after` in `bot_messages`) matching."""
        channel_id = self._channel_id(channel) if channel is not None else None

        def probe() -> BotMessage | None:
            for snap in self.bot_messages[after:]:
                if channel_id is not None and snap.channel_id != channel_id:
                    continue
                if predicate is None or predicate(snap):
                    return snap
            return None

        return await self._wait(probe, timeout, what)

    async def _wait(self, probe: Any, timeout: float | None, what: str) -> Any:
        return await self.state.notifier.wait_for(
            probe,
            timeout=self.default_timeout if timeout is None else timeout,
            what=what,
            context=self.describe,
        )

    # --- readiness -----------------------------------------------------------------------

    def is_ready(self, shards: int = 1) -> bool:
        """READY and every GUILD_CREATE were sent and the client has read them (on `shards`
        sessions)."""
        sessions = list(self.gateway.current.values())
        return len(sessions) >= shards and all(s.ready and s.conn for s in sessions)

    async def wait_ready(self, timeout: float | None = None, *, shards: int = 1) -> None:
        await self._wait(
            lambda: True if self.is_ready(shards) else None,
            timeout,
            f"the bot's gateway READY on {shards} shard(s)",
        )

    async def wait_resumed(
        self, *, shard_id: int = 0, count: int = 1, timeout: float | None = None
    ) -> Session:
        """Wait until the shard's session was resumed `count` times and the client caught up."""

        def probe() -> Session | None:
            session = self.gateway.current.get(shard_id)
            if session and session.resumes >= count and session.conn and session.ready:
                return session
            return None

        return await self._wait(probe, timeout, f"RESUME #{count} of shard {shard_id}")

    # --- faults --------------------------------------------------------------------------

    def answer_next_with_429(
        self, method: str, route_pattern: str, retry_after: float = 0.3, *, is_global: bool = False
    ) -> None:
        """The next request matching (method, pattern below /api/v10; `{x}` is one path segment,
        `*` anything) gets one 429 with Discord's headers and body."""
        from .state import RateLimitRule

        self.state.rate_limit_rules.append(
            RateLimitRule(
                method=method.upper(),
                pattern=route_regex(route_pattern),
                retry_after=retry_after,
                is_global=is_global,
                description=f"{method} {route_pattern}",
            )
        )

    def answer_next_with(
        self,
        status: int,
        body: Any,
        method: str,
        route_pattern: str,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """The next request matching (method, pattern below /api/v10, as for
        `answer_next_with_429`) gets this answer instead of being handled: e.g.
        `answer_next_with(404, {"message": "Unknown interaction", "code": 10062}, "POST",
        "/interactions/{id}/{token}/callback")`. The request is recorded with that status and
        changes nothing in the fake's state."""
        from .state import InjectedReply

        self.state.injected_replies.append(
            InjectedReply(
                method=method.upper(),
                pattern=route_regex(route_pattern),
                status=status,
                body=body,
                headers=dict(headers or {}),
                description=f"{method} {route_pattern} -> {status}",
            )
        )

    async def force_reconnect(
        self,
        *,
        mode: Literal["close", "reconnect"] = "close",
        shard_id: int = 0,
        code: int = 4000,
        wait: bool = True,
        timeout: float | None = None,
    ) -> Session:
        """Drop the gateway connection (close `code`, or send op 7 RECONNECT); with `wait`,
        return once the client has RESUMED."""
        session = self.gateway.current.get(shard_id)
        if session is None:
            raise AssertionError(f"no gateway session for shard {shard_id}")
        before = session.resumes
        if mode == "close":
            await self.gateway.force_close(shard_id, code)
        else:
            await self.gateway.send_reconnect(shard_id)
        if wait:
            return await self.wait_resumed(shard_id=shard_id, count=before + 1, timeout=timeout)
        return session

    async def invalidate_session(self, *, shard_id: int = 0, resumable: bool = False) -> None:
        """Send op 9 INVALID_SESSION (discord.py then IDENTIFYs again, after a 5 s sleep)."""
        await self.gateway.invalidate(shard_id, resumable=resumable)

    # --- the world -----------------------------------------------------------------------

    def _guild(self, guild: Guild | int | None) -> Guild:
        if guild is None:
            return self.guild
        found = self.state.guilds.get(_id(guild))
        if found is None:
            raise AssertionError(f"no guild {guild!r} in the fake")
        return found

    def member(self, name: str, guild: Guild | int | None = None) -> Member:
        return self._guild(guild).member(name)

    def channel(self, name: str, guild: Guild | int | None = None) -> Channel:
        return self._guild(guild).channel(name)

    def role(self, name: str, guild: Guild | int | None = None) -> Role:
        return self._guild(guild).role(name)

    async def add_member(self, member: Member, guild: Guild | int | None = None) -> Member:
        """Add (or replace) a member; the bot hears GUILD_MEMBER_ADD if it has the intent."""
        target = self._guild(guild)
        self.state.guilds[target.id] = target.with_member(member)
        payload = {**member.to_payload(), "guild_id": str(target.id)}
        await self.gateway.dispatch(
            "GUILD_MEMBER_ADD", payload, guild_id=target.id, intent=Intent.GUILD_MEMBERS
        )
        return member

    async def add_channel(self, channel: Channel, guild: Guild | int | None = None) -> Channel:
        """Add a channel to a guild (before or after the bot connected: CHANNEL_CREATE)."""
        target = self._guild(guild)
        channel = replace(channel, guild_id=target.id)
        others = tuple(c for c in target.channels if c.id != channel.id)
        self.state.guilds[target.id] = replace(target, channels=(*others, channel))
        await self.gateway.dispatch(
            "CHANNEL_CREATE", channel.to_payload(), guild_id=target.id, intent=Intent.GUILDS
        )
        return channel

    def _default_user(self) -> User:
        if self.world is not None:
            return self.world.alice.user
        guild = self.guild
        return next(
            (m.user for m in guild.members if m.id != guild.owner_id), guild.members[0].user
        )

    def _user(self, user: UserLike | None) -> User:
        if user is None:
            return self._default_user()
        if isinstance(user, Member):
            return user.user
        if isinstance(user, User):
            return user
        for guild in self.state.guilds.values():
            try:
                return guild.member(user).user
            except KeyError:
                continue
        raise AssertionError(f"no user named {user!r} in any guild")

    def _channel_id(self, channel: ChannelLike) -> int:
        if isinstance(channel, Channel):
            return channel.id
        if isinstance(channel, int):
            return channel
        return self.channel(channel).id

    def _place(
        self, user: User, guild: Guild | int | None, channel: ChannelLike | None, dm: bool
    ) -> tuple[Guild | None, Channel]:
        if dm:
            return None, self.state.dm_channel(user)
        target = self._guild(guild)
        if channel is None:
            if self.world is not None and target.id == self.world.guild.id:
                return target, target.channel_by_id(self.world.general.id)  # type: ignore[return-value]
            if not target.text_channels:
                raise AssertionError(f"guild {target.name!r} has no text channel: pass channel=")
            return target, target.text_channels[0]
        found = self.state.find_channel(self._channel_id(channel))
        if found is None:
            raise AssertionError(f"no channel {channel!r}")
        return found[1], found[0]

    # --- interactions --------------------------------------------------------------------

    async def _command(
        self, name: str, kind: int, guild: Guild | None, timeout: float | None
    ) -> dict[str, Any]:
        def probe() -> dict[str, Any] | None:
            scopes: list[int | None] = [guild.id] if guild is not None else []
            scopes.append(None)
            for scope in scopes:
                for command in self.state.synced_commands(scope):
                    if command["name"] == name and command.get("type", 1) == kind:
                        return command
            return None

        def context() -> str:
            synced = {
                ("global" if scope is None else f"guild {scope}"): [c["name"] for c in cmds]
                for scope, cmds in self.state.commands.items()
            }
            return f"the bot synced: {synced or 'nothing'}\n{self.describe()}"

        wait = self.default_timeout if timeout is None else timeout
        return await self.state.notifier.wait_for(
            probe,
            timeout=wait,
            what=f"command {name!r} (type {kind}) in the bot's synced commands",
            context=context,
        )

    async def slash(
        self,
        name: str,
        options: Mapping[str, Any] | None = None,
        *,
        user: UserLike | None = None,
        guild: Guild | int | None = None,
        channel: ChannelLike | None = None,
        locale: str | None = None,
        dm: bool = False,
        check_permissions: bool = True,
        timeout: float | None = None,
        barrier: bool = True,
        age: float = 0.0,
    ) -> InteractionHandle:
        """Invoke `/name` (`"faq search"` for a sub-command, `"a b c"` for a group's).

        `barrier=False` dispatches at once, without first round-tripping a heartbeat with the
        client (see `_barrier`): use it to send many interactions quickly (a burst, a load
        test), as discord.py lets a client send only about 110 gateway messages a minute
        and stalls for the rest of the minute past that. `age` makes the interaction that
        many seconds old already (its snowflake id says so, and Discord's 3 s deadline for
        the callback is counted from then), as when the bot receives it late."""
        return await self._application_command(
            name,
            options or {},
            focused=None,
            user=user,
            guild=guild,
            channel=channel,
            locale=locale,
            dm=dm,
            check_permissions=check_permissions,
            timeout=timeout,
            barrier=barrier,
            age=age,
        )

    async def autocomplete(
        self,
        name: str,
        focused: str,
        value: str,
        *,
        options: Mapping[str, Any] | None = None,
        user: UserLike | None = None,
        guild: Guild | int | None = None,
        channel: ChannelLike | None = None,
        locale: str | None = None,
        dm: bool = False,
        timeout: float | None = None,
        barrier: bool = True,
        age: float = 0.0,
    ) -> InteractionHandle:
        """Type `value` into option `focused` of `/name`: the bot should answer with choices.
        `barrier` and `age` as for `slash`."""
        return await self._application_command(
            name,
            {**(options or {}), focused: value},
            focused=focused,
            user=user,
            guild=guild,
            channel=channel,
            locale=locale,
            dm=dm,
            check_permissions=True,
            timeout=timeout,
            barrier=barrier,
            age=age,
        )

    async def _application_command(
        self,
        name: str,
        options: Mapping[str, Any],
        *,
        focused: str | None,
        user: UserLike | None,
        guild: Guild | int | None,
        channel: ChannelLike | None,
        locale: str | None,
        dm: bool,
        check_permissions: bool,
        timeout: float | None,
        barrier: bool,
        age: float,
    ) -> InteractionHandle:
        who = self._user(user)
        where_guild, where = self._place(who, guild, channel, dm)
        parts = name.strip().lstrip("/").split()
        if not parts:
            raise ValueError("empty command name")
        command = await self._command(parts[0], 1, where_guild, timeout)
        label = "/" + " ".join(parts)
        if check_permissions:
            self._check_usable(command, who, where_guild, where, label)
        node: Mapping[str, Any] = command
        path: list[Mapping[str, Any]] = []
        for part in parts[1:]:
            sub = next(
                (
                    o
                    for o in node.get("options") or []
                    if o.get("name") == part and o.get("type") in (1, 2)
                ),
                None,
            )
            if sub is None:
                subs = [o["name"] for o in node.get("options") or [] if o.get("type") in (1, 2)]
                raise AssertionError(
                    f"{label}: {node['name']!r} has no sub-command {part!r} ({subs})"
                )
            path.append(sub)
            node = sub
        if any(o.get("type") in (1, 2) for o in node.get("options") or []):
            subs = [o["name"] for o in node.get("options") or []]
            raise AssertionError(f"{label} is a group; name a sub-command: {subs}")
        values, resolved = self._option_values(label, node, options, where_guild, where, focused)
        for sub in reversed(path):
            values = [{"name": sub["name"], "type": sub["type"], "options": values}]
        data: dict[str, Any] = {
            "id": command["id"],
            "name": command["name"],
            "type": 1,
            "options": values,
        }
        if resolved:
            data["resolved"] = resolved
        if command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        kind = 4 if focused is not None else 2
        interaction = self.state.new_interaction(
            type=kind,
            data=data,
            user=who,
            channel=where,
            guild=where_guild,
            label=label + (f" (autocomplete {focused})" if focused else ""),
            locale=locale,
            age=age,
        )
        return await self._deliver(interaction, barrier=barrier)

    def _check_usable(
        self,
        command: Mapping[str, Any],
        user: User,
        guild: Guild | None,
        channel: Channel,
        label: str,
    ) -> None:
        """Discord hides commands the user may not use; the driver refuses to invoke them."""
        contexts = command.get("contexts")
        if guild is None:
            no_dms = command.get("dm_permission") is False
            if no_dms or (contexts is not None and 1 not in contexts):
                raise CommandUnavailableError(f"{label} is not available in DMs")
            return
        if contexts is not None and 0 not in contexts:
            raise CommandUnavailableError(f"{label} is not available in servers")
        required = command.get("default_member_permissions")
        if required is None:
            return
        member = guild.member_by_id(user.id) or Member(user=user)
        perms = guild.permissions_in(member, channel)
        if int(required) & ~perms:
            raise CommandUnavailableError(
                f"{label} needs permissions {required} which {user.username} lacks "
                f"(has {perms}); Discord would not show it"
            )

    def _option_values(
        self,
        label: str,
        node: Mapping[str, Any],
        given: Mapping[str, Any],
        guild: Guild | None,
        channel: Channel,
        focused: str | None,
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        schema = {o["name"]: o for o in node.get("options") or []}
        unknown = sorted(set(given) - set(schema))
        if unknown:
            raise AssertionError(f"{label} has no option(s) {unknown}; it has {sorted(schema)}")
        if focused is not None and not schema[focused].get("autocomplete"):
            raise AssertionError(f"{label}: option {focused!r} has no autocomplete")
        values: list[dict[str, Any]] = []
        resolved: dict[str, dict[str, Any]] = {}
        for opt_name, opt in schema.items():
            if opt_name not in given:
                if opt.get("required") and focused is None:
                    raise AssertionError(f"{label}: required option {opt_name!r} is missing")
                continue
            value = given[opt_name]
            entry: dict[str, Any] = {"name": opt_name, "type": opt["type"]}
            if opt_name == focused:
                entry.update(value=str(value), focused=True)
            else:
                entry["value"] = self._option_value(label, opt, value, guild, channel, resolved)
            values.append(entry)
        return values, resolved

    def _option_value(
        self,
        label: str,
        opt: Mapping[str, Any],
        value: Any,
        guild: Guild | None,
        channel: Channel,
        resolved: dict[str, dict[str, Any]],
    ) -> Any:
        kind = opt["type"]
        where = f"{label} option {opt['name']!r}"
        if kind in (3, 4, 10):
            value = {3: str, 4: int, 10: float}[kind](value)
            choices = [c["value"] for c in opt.get("choices") or []]
            if choices and value not in choices:
                raise AssertionError(f"{where}: {value!r} is not one of the choices {choices}")
            if kind == 3:
                lo, hi = opt.get("min_length", 0), opt.get("max_length", 6000)
                if not lo <= len(value) <= hi:
                    raise AssertionError(f"{where}: length must be {lo}..{hi}")
            else:
                lo, hi = opt.get("min_value"), opt.get("max_value")
                if (lo is not None and value < lo) or (hi is not None and value > hi):
                    raise AssertionError(f"{where}: {value} outside {lo}..{hi}")
            return value
        if kind == 5:
            return bool(value)
        if kind in (6, 9) and isinstance(value, Member | User | str):
            user = self._user(value)
            resolved.setdefault("users", {})[str(user.id)] = user.to_payload()
            member = guild.member_by_id(user.id) if guild else None
            if member is not None and guild is not None:
                resolved.setdefault("members", {})[str(user.id)] = member.to_payload(
                    with_user=False, permissions=guild.permissions_in(member, channel)
                )
            return str(user.id)
        if kind in (8, 9) and isinstance(value, Role):
            resolved.setdefault("roles", {})[str(value.id)] = value.to_payload()
            return str(value.id)
        if kind == 7 and isinstance(value, Channel):
            data = value.to_payload()
            data["permissions"] = str(_all_bits())
            resolved.setdefault("channels", {})[str(value.id)] = data
            return str(value.id)
        if kind == 11 and isinstance(value, tuple) and len(value) == 2:
            filename, content = value
            attachment_id = str(next_snowflake())
            self.attachment_contents[attachment_id] = bytes(content)
            url = f"{self.url}/cdn/attachments/{channel.id}/{attachment_id}/{filename}"
            resolved.setdefault("attachments", {})[attachment_id] = {
                "id": attachment_id,
                "filename": filename,
                "size": len(content),
                "url": url,
                "proxy_url": url,
                "content_type": "application/octet-stream",
            }
            return attachment_id
        raise AssertionError(f"{where}: cannot send {value!r} for option type {kind}")

    async def context_menu(
        self,
        name: str,
        target_message: MessageLike | UserMessage | None = None,
        *,
        target_user: UserLike | None = None,
        user: UserLike | None = None,
        locale: str | None = None,
        timeout: float | None = None,
    ) -> InteractionHandle:
        """Run a message (given `target_message`) or user (given `target_user`) context menu."""
        who = self._user(user)
        if target_message is not None:
            stored = self._stored(target_message)
            found = self.state.find_channel(stored.channel_id)
            assert found is not None
            channel, guild = found
            command = await self._command(name, 3, guild, timeout)
            data: dict[str, Any] = {
                "id": command["id"],
                "name": name,
                "type": 3,
                "target_id": str(stored.id),
                "resolved": {"messages": {str(stored.id): stored.to_payload()}},
            }
        elif target_user is not None:
            guild, channel = self._place(who, None, None, dm=False)
            command = await self._command(name, 2, guild, timeout)
            target = self._user(target_user)
            resolved: dict[str, Any] = {"users": {str(target.id): target.to_payload()}}
            member = guild.member_by_id(target.id) if guild else None
            if member is not None and guild is not None:
                resolved["members"] = {
                    str(target.id): member.to_payload(
                        with_user=False, permissions=guild.permissions_in(member, channel)
                    )
                }
            data = {
                "id": command["id"],
                "name": name,
                "type": 2,
                "target_id": str(target.id),
                "resolved": resolved,
            }
        else:
            raise ValueError("context_menu needs target_message or target_user")
        if command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        self._check_usable(command, who, guild, channel, f"context menu {name!r}")
        interaction = self.state.new_interaction(
            type=2,
            data=data,
            user=who,
            channel=channel,
            guild=guild,
            label=f"context menu {name!r}",
            locale=locale,
        )
        return await self._deliver(interaction)

    def _stored(self, message: MessageLike | UserMessage) -> StoredMessage:
        message_id = message if isinstance(message, int) else message.id
        stored = self.state.messages.get(message_id)
        if stored is None or stored.deleted:
            raise AssertionError(f"message {message_id} does not exist (or was deleted)")
        return stored

    async def delete_message(self, message: MessageLike | UserMessage) -> None:
        """Someone (a moderator, the author) deletes a message: it is gone, and the bot gets
        MESSAGE_DELETE like Discord sends it (GUILD_MESSAGES, no privileged intent)."""
        stored = self._stored(message)
        stored.deleted = True
        await self.rest._dispatch_delete(stored)

    def _component_user(self, stored: StoredMessage, user: UserLike | None) -> User:
        owner = None
        if stored.interaction_metadata is not None:
            owner = self.state.interactions.get(int(stored.interaction_metadata["id"]))
        if user is None:
            return owner.user if owner else self._default_user()
        who = self._user(user)
        if stored.flags & 64 and owner is not None and owner.user.id != who.id:
            raise AssertionError(
                f"message {stored.id} is ephemeral: only {owner.user.username} can see it"
            )
        return who

    async def click(
        self,
        message: MessageLike,
        custom_id: str,
        *,
        user: UserLike | None = None,
        barrier: bool = True,
        age: float = 0.0,
    ) -> InteractionHandle:
        """Click the button `custom_id` on a message the bot posted (its current state).

        The barrier (on by default) makes sure the bot has read the answer that created the
        message before the click arrives; `barrier` and `age` as for `slash`."""
        stored = self._stored(message)
        component = _find_component(stored, custom_id)
        if component.get("type") != 2:
            raise AssertionError(f"{custom_id!r} is not a button (type {component.get('type')})")
        if component.get("disabled"):
            raise AssertionError(f"button {custom_id!r} is disabled")
        who = self._component_user(stored, user)
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._component_interaction(
            stored, who, data, f"click {custom_id!r}", barrier=barrier, age=age
        )

    async def select(
        self,
        message: MessageLike,
        custom_id: str,
        values: Sequence[Any],
        *,
        user: UserLike | None = None,
        barrier: bool = True,
        age: float = 0.0,
    ) -> InteractionHandle:
        """Choose `values` in the select menu `custom_id` of a message the bot posted
        (`barrier` and `age` as for `click`)."""
        stored = self._stored(message)
        component = _find_component(stored, custom_id)
        kind = component.get("type")
        if kind not in (3, 5, 6, 7, 8):
            raise AssertionError(f"{custom_id!r} is not a select menu (type {kind})")
        if component.get("disabled"):
            raise AssertionError(f"select {custom_id!r} is disabled")
        lo, hi = component.get("min_values", 1), component.get("max_values", 1)
        if not lo <= len(values) <= hi:
            raise AssertionError(f"select {custom_id!r} takes {lo}..{hi} values, got {len(values)}")
        who = self._component_user(stored, user)
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": kind}
        if kind == 3:
            allowed = [o["value"] for o in component.get("options") or []]
            bad = [v for v in values if v not in allowed]
            if bad:
                raise AssertionError(f"select {custom_id!r}: {bad} not among options {allowed}")
            data["values"] = list(values)
        else:
            found = self.state.find_channel(stored.channel_id)
            guild, channel = (found[1], found[0]) if found else (None, None)
            resolved: dict[str, dict[str, Any]] = {}
            opt_type = {5: 6, 6: 8, 7: 7, 8: 9}[kind]
            opt = {"name": custom_id, "type": opt_type}
            data["values"] = [
                self._option_value(custom_id, opt, v, guild, channel, resolved)  # type: ignore[arg-type]
                for v in values
            ]
            data["resolved"] = resolved
        return await self._component_interaction(
            stored, who, data, f"select {custom_id!r}", barrier=barrier, age=age
        )

    async def _component_interaction(
        self,
        stored: StoredMessage,
        user: User,
        data: dict[str, Any],
        label: str,
        *,
        barrier: bool = True,
        age: float = 0.0,
    ) -> InteractionHandle:
        found = self.state.find_channel(stored.channel_id)
        if found is None:
            raise AssertionError(f"message {stored.id} is in unknown channel {stored.channel_id}")
        channel, guild = found
        interaction = self.state.new_interaction(
            type=3,
            data=data,
            user=user,
            channel=channel,
            guild=guild,
            label=label,
            locale=None,
            message=stored,
            age=age,
        )
        return await self._deliver(interaction, barrier=barrier)

    async def submit_modal(
        self,
        custom_id: str,
        fields: Mapping[str, str | Sequence[str]],
        *,
        user: UserLike | None = None,
        source: InteractionHandle | None = None,
    ) -> InteractionHandle:
        """Submit the modal `custom_id` the bot showed (the latest one, or `source`'s) with
        `fields` (text input custom_id -> value; select custom_id -> list of values)."""
        shown = None
        for interaction in reversed(list(self.state.interactions.values())):
            record = interaction.callback
            if source is not None and interaction.id != source.id:
                continue
            if record and record.type == 9 and (record.data or {}).get("custom_id") == custom_id:
                shown = interaction
                break
        if shown is None or shown.callback is None:
            modals = [
                (i.callback.data or {}).get("custom_id")
                for i in self.state.interactions.values()
                if i.callback and i.callback.type == 9
            ]
            raise AssertionError(
                f"the bot never showed modal {custom_id!r} (modals shown: {modals})"
            )
        modal = shown.callback.data or {}
        components, used = _modal_submission(modal, fields)
        unused = sorted(set(fields) - used)
        if unused:
            raise AssertionError(f"modal {custom_id!r} has no input(s) {unused}")
        found = self.state.find_channel(shown.channel_id)
        assert found is not None
        channel, guild = found
        who = self._user(user) if user is not None else shown.user
        source_message = (
            self.state.messages.get(shown.source_message_id) if shown.source_message_id else None
        )
        interaction = self.state.new_interaction(
            type=5,
            data={"custom_id": custom_id, "components": components},
            user=who,
            channel=channel,
            guild=guild,
            label=f"modal {custom_id!r}",
            locale=None,
            message=source_message,
        )
        interaction.source_message_id = source_message.id if source_message else None
        return await self._deliver(interaction, barrier=True)

    async def _deliver(
        self, interaction: InteractionState, *, barrier: bool = True
    ) -> InteractionHandle:
        session = self.gateway.session_for(interaction.guild_id)
        if session is None:
            raise AssertionError(
                f"cannot deliver {interaction.label}: no gateway session (is the bot connected? "
                "await fake.wait_ready() first)"
            )
        if barrier:
            await self._barrier(session)
        handle = InteractionHandle(self, interaction)
        interaction.created_at = time.monotonic() - interaction.age
        await self.gateway.dispatch(
            "INTERACTION_CREATE", interaction.payload, guild_id=interaction.guild_id
        )
        log.info("fake discord: sent %s (interaction %s)", interaction.label, interaction.id)
        return handle

    async def _barrier(self, session: Session, timeout: float | None = None) -> None:
        """Make sure the client has read everything sent so far, including HTTP answers written
        before now (its event loop ran the HTTP reader before answering this heartbeat)."""
        conn = session.conn
        if conn is None:
            return
        target = session.seq
        before = conn.heartbeats
        if not await conn.send({"op": 1, "d": None, "s": None, "t": None}):
            return

        def probe() -> bool | None:
            if session.conn is not conn:
                return True
            return True if conn.heartbeats > before and session.client_seq >= target else None

        await self._wait(probe, timeout, "the bot's heartbeat (gateway barrier)")

    # --- messages from users -------------------------------------------------------------

    async def message(
        self,
        content: str,
        *,
        mention_bot: bool = True,
        dm: bool = False,
        user: UserLike | None = None,
        channel: ChannelLike | None = None,
        guild: Guild | int | None = None,
        reply_to: MessageLike | None = None,
    ) -> UserMessage:
        """A user posts a message (mentioning the bot by default, or in a DM)."""
        who = self._user(user)
        where_guild, where = self._place(who, guild, channel, dm)
        text = f"{self.bot_user.mention} {content}" if mention_bot else content
        member = where_guild.member_by_id(who.id) if where_guild else None
        mentions = []
        if mention_bot:
            bot = self.bot_user.to_payload()
            if where_guild is not None:
                bot["member"] = self.state.bot_members[where_guild.id].to_payload(with_user=False)
            mentions.append(bot)
        stored = StoredMessage(
            id=next_snowflake(),
            channel_id=where.id,
            guild_id=where_guild.id if where_guild else None,
            author=who,
            member=member,
            content=text,
            mentions=mentions,
        )
        if reply_to is not None:
            target = self._stored(reply_to)
            stored.message_reference = {
                "type": 0,
                "message_id": str(target.id),
                "channel_id": str(target.channel_id),
            }
            stored.referenced = target
            stored.type = 19
        self.state.messages[stored.id] = stored
        payload = stored.to_payload()
        session = self.gateway.session_for(stored.guild_id)
        if (
            session is not None
            and not session.has_intent(Intent.MESSAGE_CONTENT)
            and not dm
            and not mention_bot
        ):
            payload.update(content="", embeds=[], attachments=[], components=[])
        intent = Intent.DIRECT_MESSAGES if dm else Intent.GUILD_MESSAGES
        start = len(self.bot_messages)
        delivered = await self.gateway.dispatch(
            "MESSAGE_CREATE", payload, guild_id=stored.guild_id, intent=intent
        )
        note = ""
        if delivered is None:
            note = "no gateway session" if session is None else f"the bot's intents lack {intent!r}"
            log.info("fake discord: message %s not delivered: %s", stored.id, note)
        return UserMessage(self, stored, start, note)


class CommandUnavailableError(AssertionError):
    """The user could not invoke this command in Discord (permissions or context)."""


class InteractionHandle:
    """One interaction the fake sent; await what the bot did with it."""

    def __init__(self, fake: FakeDiscord, interaction: InteractionState) -> None:
        self.fake = fake
        self.interaction = interaction
        self._start = len(fake.bot_messages)

    def __repr__(self) -> str:
        return f"<InteractionHandle {self.label} id={self.id}>"

    @property
    def id(self) -> int:
        return self.interaction.id

    @property
    def label(self) -> str:
        return self.interaction.label

    @property
    def payload(self) -> Mapping[str, Any]:
        return self.interaction.payload

    @property
    def followups(self) -> list[BotMessage]:
        return list(self.interaction.followups)

    @property
    def edits(self) -> list[BotMessage]:
        return list(self.interaction.edits)

    async def callback(self, timeout: float | None = None) -> CallbackRecord:
        """The bot's initial response (returns after its HTTP answer was written)."""
        return await self.fake._wait(
            lambda: self.interaction.callback,
            timeout,
            f"the bot's callback for {self.label} (interaction {self.id})",
        )

    async def response(self, timeout: float | None = None) -> BotMessage:
        """The message the user sees: the callback's message (type 4), the updated message
        (type 7), or after a deferral (5, 6) the first edit of @original or follow-up."""
        started = time.monotonic()
        record = await self.callback(timeout)
        if record.type in (4, 7):
            assert record.message is not None
            return record.message
        if record.type not in (5, 6):
            raise AssertionError(
                f"{self.label}: the bot answered with callback type {record.type}, not a message"
            )
        left = None if timeout is None else max(0.0, timeout - (time.monotonic() - started))

        def probe() -> BotMessage | None:
            candidates = self.interaction.edits + self.interaction.followups
            return min(candidates, key=lambda m: m.written_at) if candidates else None

        return await self.fake._wait(
            probe, left, f"the bot's message after deferring {self.label} (edit or follow-up)"
        )

    async def followup(self, index: int = 0, timeout: float | None = None) -> BotMessage:
        return await self.fake._wait(
            lambda: (
                self.interaction.followups[index]
                if len(self.interaction.followups) > index
                else None
            ),
            timeout,
            f"follow-up #{index} for {self.label}",
        )

    async def edit(self, index: int = 0, timeout: float | None = None) -> BotMessage:
        return await self.fake._wait(
            lambda: self.interaction.edits[index] if len(self.interaction.edits) > index else None,
            timeout,
            f"edit #{index} of {self.label}'s messages",
        )

    async def channel_message(
        self,
        channel: ChannelLike | None = None,
        *,
        index: int = 0,
        timeout: float | None = None,
    ) -> BotMessage:
        """The `index`-th channel message (a plain POST /channels/{id}/messages, e.g. to a log
        channel) the bot posted since this interaction was sent, in `channel` if given."""
        channel_id = self.fake._channel_id(channel) if channel is not None else None

        def probe() -> BotMessage | None:
            found = [
                m
                for m in self.fake.bot_messages[self._start :]
                if m.source == "channel" and (channel_id is None or m.channel_id == channel_id)
            ]
            return found[index] if len(found) > index else None

        where = f" in channel {channel}" if channel is not None else ""
        return await self.fake._wait(
            probe, timeout, f"channel message #{index}{where} after {self.label}"
        )

    async def choices(self, timeout: float | None = None) -> list[Mapping[str, Any]]:
        """Autocomplete choices the bot answered with."""
        return (await self.callback(timeout)).choices

    async def modal(self, timeout: float | None = None) -> Mapping[str, Any]:
        """The modal the bot opened."""
        return (await self.callback(timeout)).modal

    async def expect_no_callback(self, within: float = 1.0) -> None:
        """Assert the bot does NOT answer within `within` seconds."""
        try:
            record = await self.callback(within)
        except AssertionError:
            return
        raise AssertionError(f"{self.label}: expected no answer, got callback type {record.type}")


class UserMessage:
    """A message a user posted; await the bot's reply."""

    def __init__(self, fake: FakeDiscord, stored: StoredMessage, start: int, note: str) -> None:
        self.fake = fake
        self.stored = stored
        self._start = start
        self.undelivered_reason = note

    @property
    def id(self) -> int:
        return self.stored.id

    @property
    def channel_id(self) -> int:
        return self.stored.channel_id

    @property
    def delivered(self) -> bool:
        return not self.undelivered_reason

    def _replies(self) -> list[BotMessage]:
        out = []
        for snap in self.fake.bot_messages[self._start :]:
            if snap.source not in ("channel",):
                continue
            ref = snap.message_reference or {}
            if snap.channel_id == self.channel_id or ref.get("message_id") == str(self.id):
                out.append(snap)
        return out

    @property
    def replies(self) -> list[BotMessage]:
        return self._replies()

    async def reply(self, timeout: float | None = None, *, index: int = 0) -> BotMessage:
        """The bot's `index`-th message in this channel (or replying to this message) since."""
        what = f"the bot's reply #{index} to message {self.id} ({self.stored.content[:40]!r})"
        if self.undelivered_reason:
            what += f" [note: MESSAGE_CREATE was not delivered: {self.undelivered_reason}]"
        return await self.fake._wait(
            lambda: self._replies()[index] if len(self._replies()) > index else None,
            timeout,
            what,
        )

    async def expect_no_reply(self, within: float = 1.0) -> None:
        try:
            got = await self.reply(within)
        except AssertionError:
            return
        raise AssertionError(f"expected no reply to message {self.id}, got {got.content!r}")


def _find_component(stored: StoredMessage, custom_id: str) -> Mapping[str, Any]:
    from .records import walk_components

    ids = []
    for comp in walk_components(stored.components):
        if comp.get("custom_id") == custom_id:
            return comp
        if comp.get("custom_id"):
            ids.append(comp["custom_id"])
    raise AssertionError(f"message {stored.id} has no component {custom_id!r} (it has {ids})")


def _modal_submission(
    modal: Mapping[str, Any], fields: Mapping[str, str | Sequence[str]]
) -> tuple[list[dict[str, Any]], set[str]]:
    used: set[str] = set()
    out: list[dict[str, Any]] = []

    def submitted(component: Mapping[str, Any]) -> dict[str, Any]:
        cid = component.get("custom_id")
        kind = component.get("type")
        if kind == 4:
            value = fields.get(cid, component.get("value") or "")  # type: ignore[arg-type]
            if not isinstance(value, str):
                raise AssertionError(f"text input {cid!r} takes a string")
            required = component.get("required", True)
            lo, hi = component.get("min_length", 0), component.get("max_length", 4000)
            if required and not value:
                raise AssertionError(f"modal input {cid!r} is required")
            if value and not lo <= len(value) <= hi:
                raise AssertionError(f"modal input {cid!r} must be {lo}..{hi} characters")
            used.add(cid)  # type: ignore[arg-type]
            return {"type": 4, "custom_id": cid, "value": value}
        values = fields.get(cid, [])  # type: ignore[arg-type]
        used.add(cid)  # type: ignore[arg-type]
        return {"type": kind, "custom_id": cid, "values": list(values)}

    for row in modal.get("components") or []:
        if row.get("type") == 1:
            out.append({"type": 1, "components": [submitted(c) for c in row["components"]]})
        elif row.get("type") == 18:
            out.append({"type": 18, "component": submitted(row["component"])})
    return out, used


def _id(value: Guild | int) -> int:
    return value if isinstance(value, int) else value.id


def _all_bits() -> int:
    return (1 << 53) - 1


__all__ = [
    "DEFAULT_TOKEN",
    "CommandUnavailableError",
    "FakeDiscord",
    "InteractionHandle",
    "UserMessage",
]
