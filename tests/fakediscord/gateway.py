"""The fake gateway: HELLO, IDENTIFY, heartbeats, READY, GUILD_CREATE, RESUME, dispatches.

Sessions keep a log of every dispatch (with its sequence number) so that a RESUME replays what
the client missed, as Discord does. With `compress=zlib-stream` each connection has one zlib
compressor and every payload ends with a Z_SYNC_FLUSH, which is what discord.py expects; with
`compress=zstd-stream` (discord.py's choice when `zstandard` is installed) a zstd stream with a
block flush per payload.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .models import PRIVILEGED_INTENTS, Intent, iso_now
from .records import GatewayEvent, Identify, Resume
from .state import FakeState

log = logging.getLogger(__name__)

DISPATCH = 0
HEARTBEAT = 1
IDENTIFY = 2
PRESENCE = 3
VOICE = 4
RESUME = 6
RECONNECT = 7
REQUEST_MEMBERS = 8
INVALID_SESSION = 9
HELLO = 10
HEARTBEAT_ACK = 11
GATEWAY_PATH = "/gateway"
RESUME_PATH = "/resume-gateway"


class _Compressor:
    """One compression stream per connection; every payload ends with a flush so the client
    can decode it on its own (zlib: Z_SYNC_FLUSH, the `00 00 ff ff` discord.py looks for)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        if kind == "zstd-stream":
            import zstandard  # only when discord.py asks for it, i.e. zstandard is installed

            self._zstd_flush = zstandard.COMPRESSOBJ_FLUSH_BLOCK
            self._obj: Any = zstandard.ZstdCompressor().compressobj()
        else:
            self._obj = zlib.compressobj()

    def __call__(self, data: bytes) -> bytes:
        if self.kind == "zstd-stream":
            return self._obj.compress(data) + self._obj.flush(self._zstd_flush)
        return self._obj.compress(data) + self._obj.flush(zlib.Z_SYNC_FLUSH)


def _zstd_available() -> bool:
    try:
        import zstandard  # noqa: F401
    except ImportError:
        return False
    return True


class GatewayConnection:
    """One websocket; sends are serialised so the shared compression stream stays in order."""

    def __init__(self, ws: web.WebSocketResponse, *, compression: str | None, path: str) -> None:
        self.ws = ws
        self.path = path
        self.compression = compression
        self.compressor = _Compressor(compression) if compression else None
        self.lock = asyncio.Lock()
        self.session: Session | None = None
        self.heartbeats = 0
        self.closing = False

    async def send(self, payload: Mapping[str, Any]) -> bool:
        text = json.dumps(payload, separators=(",", ":"))
        async with self.lock:
            if self.ws.closed or self.closing:
                return False
            try:
                if self.compressor is not None:
                    await self.ws.send_bytes(self.compressor(text.encode()))
                else:
                    await self.ws.send_str(text)
            except (ConnectionError, RuntimeError) as exc:
                log.debug("gateway send failed: %s", exc)
                return False
        return True


@dataclass
class Session:
    id: str
    shard_id: int
    shard_count: int
    intents: int
    seq: int = 0
    log: list[tuple[int, str, Mapping[str, Any]]] = field(default_factory=list)
    conn: GatewayConnection | None = None
    ready_seq: int = 0
    """The sequence number of the last GUILD_CREATE sent after READY."""
    client_seq: int = -1
    """The last sequence number the client reported in a heartbeat."""
    resumes: int = 0
    invalidated: bool = False

    @property
    def ready(self) -> bool:
        return self.ready_seq > 0 and self.client_seq >= self.ready_seq

    def has_intent(self, intent: int) -> bool:
        return bool(self.intents & intent)


class Gateway:
    def __init__(self, state: FakeState, *, heartbeat_interval_ms: int = 41250) -> None:
        self.state = state
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.sessions: dict[str, Session] = {}
        self.current: dict[int, Session] = {}
        """The newest session per shard id."""
        self.connections: list[GatewayConnection] = []
        self.base_ws_url = ""
        self._tasks: set[asyncio.Task[Any]] = set()

    # --- websocket handling --------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        compression = request.query.get("compress")
        supported = {None, "zlib-stream"} | ({"zstd-stream"} if _zstd_available() else set())
        if compression not in supported:
            log.error("fake gateway: unsupported compression %r", compression)
            await ws.close(code=4000, message=b"unsupported compression")
            return ws
        if request.query.get("encoding", "json") != "json":
            await ws.close(code=4002, message=b"only json encoding")
            return ws
        conn = GatewayConnection(ws, compression=compression, path=request.path)
        self.connections.append(conn)
        await conn.send(
            {
                "op": HELLO,
                "d": {"heartbeat_interval": self.heartbeat_interval_ms},
                "s": None,
                "t": None,
            }
        )
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await self._on_payload(conn, json.loads(msg.data))
                elif msg.type == WSMsgType.BINARY:
                    await self._close(conn, 4002, "binary frames are not supported")
                elif msg.type == WSMsgType.ERROR:
                    break
        except Exception:
            log.exception("fake gateway: error while handling a connection")
            raise
        finally:
            self._detach(conn)
            self.connections.remove(conn)
        return ws

    def _detach(self, conn: GatewayConnection) -> None:
        session = conn.session
        if session is not None and session.conn is conn:
            session.conn = None
            log.info("fake gateway: shard %s session %s disconnected", session.shard_id, session.id)
        self.state.notifier.notify()

    async def _close(self, conn: GatewayConnection, code: int, reason: str) -> None:
        log.info("fake gateway: closing connection with %s (%s)", code, reason)
        conn.closing = True
        self._detach(conn)
        with contextlib.suppress(Exception):
            await conn.ws.close(code=code, message=reason.encode())

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _on_payload(self, conn: GatewayConnection, payload: Mapping[str, Any]) -> None:
        op = payload.get("op")
        data = payload.get("d")
        if op == HEARTBEAT:
            conn.heartbeats += 1
            if conn.session is not None and isinstance(data, int):
                conn.session.client_seq = max(conn.session.client_seq, data)
            await conn.send({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
            self.state.notifier.notify()
        elif op == IDENTIFY:
            await self._identify(conn, data or {})
        elif op == RESUME:
            await self._resume(conn, data or {})
        elif conn.session is None:
            log.warning("fake gateway: op %s before IDENTIFY/RESUME: %s", op, payload)
            await self._close(conn, 4003, "Not authenticated.")
        elif op == PRESENCE:
            self.state.presence_updates.append(data or {})
            self.state.notifier.notify()
        elif op == REQUEST_MEMBERS:
            await self._request_members(conn.session, data or {})
        elif op == VOICE:
            pass
        else:
            await self._close(conn, 4001, f"Unknown opcode {op!r}.")

    async def _identify(self, conn: GatewayConnection, data: Mapping[str, Any]) -> None:
        token_ok = data.get("token") == self.state.token
        intents = data.get("intents")
        shard = data.get("shard")
        shard_pair = (int(shard[0]), int(shard[1])) if isinstance(shard, list | tuple) else None
        clean = {k: v for k, v in data.items() if k != "token"}
        self.state.identifies.append(
            Identify(intents=intents, shard=shard_pair, token_ok=token_ok, payload=clean)
        )
        self.state.notifier.notify()
        if conn.session is not None:
            await self._close(conn, 4005, "Already authenticated.")
            return
        if not token_ok:
            await self._close(conn, 4004, "Authentication failed.")
            return
        if not isinstance(intents, int):
            await self._close(conn, 4013, "Invalid intent(s).")
            return
        if intents & PRIVILEGED_INTENTS & ~self.state.allowed_privileged_intents:
            await self._close(conn, 4014, "Disallowed intent(s).")
            return
        shard_id, shard_count = shard_pair or (0, 1)
        if shard_count < 1 or not 0 <= shard_id < shard_count:
            await self._close(conn, 4010, "Invalid shard.")
            return
        session = Session(
            id=secrets.token_hex(16), shard_id=shard_id, shard_count=shard_count, intents=intents
        )
        self.sessions[session.id] = session
        self.current[shard_id] = session
        session.conn = conn
        conn.session = session
        log.info(
            "fake gateway: shard %s/%s identified (intents %s)", shard_id, shard_count, intents
        )
        guilds = [
            g for g in self.state.guilds.values() if self._shard_of(g.id, shard_count) == shard_id
        ]
        await self._dispatch_to(session, "READY", self._ready_payload(session, guilds, shard_pair))
        members_intent = session.has_intent(Intent.GUILD_MEMBERS)
        seq = session.seq
        for guild in guilds:
            payload = guild.to_payload(
                bot_member=self.state.bot_members[guild.id],
                include_members=members_intent,
                joined_at=iso_now(),
            )
            seq = await self._dispatch_to(session, "GUILD_CREATE", payload)
        session.ready_seq = seq
        # Ask for a heartbeat now: its sequence number tells when the client has read everything.
        await conn.send({"op": HEARTBEAT, "d": None, "s": None, "t": None})
        self.state.notifier.notify()

    def _ready_payload(
        self, session: Session, guilds: list[Any], shard: tuple[int, int] | None
    ) -> dict[str, Any]:
        user = self.state.bot_user.to_payload()
        user.update(bot=True, verified=True, mfa_enabled=False, email=None, flags=0)
        payload: dict[str, Any] = {
            "v": 10,
            "user": user,
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.base_ws_url + RESUME_PATH,
            "application": {"id": str(self.state.application_id), "flags": _app_flags(self.state)},
            "private_channels": [],
            "presences": [],
            "relationships": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["local"],
            "auth": {},
            "user_settings": {},
        }
        if shard is not None:
            payload["shard"] = list(shard)
        return payload

    async def _resume(self, conn: GatewayConnection, data: Mapping[str, Any]) -> None:
        session = self.sessions.get(str(data.get("session_id")))
        seq = data.get("seq")
        if session is None or data.get("token") != self.state.token or session.invalidated:
            self.state.resumes.append(
                Resume(session_id=str(data.get("session_id")), seq=seq, accepted=False, replayed=0)
            )
            self.state.notifier.notify()
            await conn.send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        old = session.conn
        if old is not None and old is not conn:
            self._spawn(self._close(old, 4000, "Session resumed elsewhere."))
        conn.session = session
        after = seq if isinstance(seq, int) else 0
        index = 0
        replayed = 0
        while index < len(session.log):
            event_seq, name, payload = session.log[index]
            index += 1
            if event_seq <= after:
                continue
            if name == "INTERACTION_CREATE":
                interaction = self.state.interactions.get(int(payload["id"]))
                if interaction is not None:
                    interaction.created_at = time.monotonic()
            await conn.send({"op": DISPATCH, "t": name, "s": event_seq, "d": payload})
            replayed += 1
        session.conn = conn
        session.resumes += 1
        self.state.resumes.append(
            Resume(session_id=session.id, seq=seq, accepted=True, replayed=replayed)
        )
        log.info("fake gateway: session %s resumed, %s events replayed", session.id, replayed)
        resumed_seq = await self._dispatch_to(session, "RESUMED", {})
        await conn.send({"op": HEARTBEAT, "d": None, "s": None, "t": None})
        session.ready_seq = max(session.ready_seq, resumed_seq)
        self.state.notifier.notify()

    async def _request_members(self, session: Session, data: Mapping[str, Any]) -> None:
        guild = self.state.guilds.get(int(data.get("guild_id", 0)))
        if guild is None:
            return
        members = [m.to_payload() for m in guild.members]
        members.append(self.state.bot_members[guild.id].to_payload())
        user_ids = data.get("user_ids")
        if user_ids:
            wanted = {str(u) for u in user_ids}
            members = [m for m in members if m["user"]["id"] in wanted]
        chunk: dict[str, Any] = {
            "guild_id": str(guild.id),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        await self._dispatch_to(session, "GUILD_MEMBERS_CHUNK", chunk)

    # --- dispatching ---------------------------------------------------------------------

    @staticmethod
    def _shard_of(guild_id: int, shard_count: int) -> int:
        return (guild_id >> 22) % shard_count

    def session_for(self, guild_id: int | None) -> Session | None:
        if not self.current:
            return None
        count = next(iter(self.current.values())).shard_count
        shard_id = 0 if guild_id is None else self._shard_of(guild_id, count)
        return self.current.get(shard_id)

    async def _dispatch_to(self, session: Session, name: str, data: Mapping[str, Any]) -> int:
        session.seq += 1
        seq = session.seq
        session.log.append((seq, name, data))
        self.state.events.append(GatewayEvent(session.shard_id, seq, name, data))
        conn = session.conn
        if conn is not None:
            await conn.send({"op": DISPATCH, "t": name, "s": seq, "d": data})
        return seq

    async def dispatch(
        self,
        name: str,
        data: Mapping[str, Any],
        *,
        guild_id: int | None,
        intent: int | None = None,
    ) -> Session | None:
        """Send an event to the session of the guild's shard (DMs: shard 0), if it has the intent.

        Returns the session, or None if no session exists or its intents exclude the event."""
        session = self.session_for(guild_id)
        if session is None:
            return None
        if intent is not None and not session.has_intent(intent):
            return None
        await self._dispatch_to(session, name, data)
        self.state.notifier.notify()
        return session

    # --- faults --------------------------------------------------------------------------

    def _session(self, shard_id: int) -> Session:
        session = self.current.get(shard_id)
        if session is None:
            raise AssertionError(f"no gateway session for shard {shard_id} (did the bot connect?)")
        return session

    async def force_close(self, shard_id: int, code: int) -> Session:
        session = self._session(shard_id)
        if session.conn is None:
            raise AssertionError(f"shard {shard_id} is not connected")
        conn = session.conn
        conn.closing = True
        self._detach(conn)
        self._spawn(self._close(conn, code, "closed by the test"))
        return session

    async def send_reconnect(self, shard_id: int) -> Session:
        session = self._session(shard_id)
        if session.conn is None:
            raise AssertionError(f"shard {shard_id} is not connected")
        await session.conn.send({"op": RECONNECT, "d": None, "s": None, "t": None})
        return session

    async def invalidate(self, shard_id: int, *, resumable: bool) -> Session:
        session = self._session(shard_id)
        if session.conn is None:
            raise AssertionError(f"shard {shard_id} is not connected")
        if not resumable:
            session.invalidated = True
        await session.conn.send({"op": INVALID_SESSION, "d": resumable, "s": None, "t": None})
        return session

    async def close_all(self) -> None:
        for conn in list(self.connections):
            await self._close(conn, 1001, "fake discord stopping")
        for task in list(self._tasks):
            task.cancel()


def _app_flags(state: FakeState) -> int:
    flags = 0
    allowed = state.allowed_privileged_intents
    if allowed & Intent.GUILD_PRESENCES:
        flags |= 1 << 13
    if allowed & Intent.GUILD_MEMBERS:
        flags |= 1 << 15
    if allowed & Intent.MESSAGE_CONTENT:
        flags |= 1 << 19
    return flags
