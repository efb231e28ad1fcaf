"""A tiny HTTP server for orchestrators: `GET /healthz` (JSON) and `GET /metrics` (Prometheus).

It knows nothing about Discord: the bot passes a `status_provider` callable that returns
a `HealthStatus` snapshot, evaluated on every request.
"""

from __future__ import annotations

import errno
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from bot.ops.metrics import CONTENT_TYPE, Metrics

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HealthStatus:
    """What the bot reports about itself at one instant."""

    gateway_connected: bool
    faq_version: str | None
    entries: int
    uptime_seconds: float
    latency_seconds: float | None = None

    @property
    def healthy(self) -> bool:
        """Connected to the gateway and serving a loaded FAQ."""
        return self.gateway_connected and self.faq_version is not None


StatusProvider = Callable[[], HealthStatus]


class HealthServerError(Exception):
    """The server could not start (port in use, unknown host...); the message says which."""


class HealthServer:
    """Serves /healthz and /metrics on `host:port` (port 0 picks a free port, see `.port`)."""

    def __init__(
        self,
        host: str,
        port: int,
        status_provider: StatusProvider,
        metrics: Metrics | None = None,
    ) -> None:
        self.host = host
        self._requested_port = port
        self._status = status_provider
        self._metrics = metrics
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    @property
    def port(self) -> int:
        """The port actually bound (useful with port 0); only valid after `start()`."""
        if self._port is None:
            raise RuntimeError("HealthServer.port is only known after start()")
        return self._port

    @property
    def url(self) -> str:
        """`http://host:port`, for logs and tests."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def start(self) -> None:
        """Bind and start serving; HealthServerError when the address cannot be used."""
        if self._runner is not None:
            return
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._serve_metrics)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self._requested_port)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            raise HealthServerError(self._explain(exc)) from exc
        self._runner = runner
        addresses = runner.addresses
        self._port = int(addresses[0][1]) if addresses else self._requested_port
        log.info("health server listening on %s (/healthz, /metrics)", self.url)

    async def stop(self) -> None:
        """Stop serving and release the port; safe to call twice or before `start()`."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
            log.info("health server stopped")

    async def __aenter__(self) -> HealthServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def _explain(self, exc: OSError) -> str:
        where = f"HEALTH_HOST/HEALTH_PORT: cannot listen on {self.host}:{self._requested_port}"
        if exc.errno == errno.EADDRINUSE:
            return f"{where}: the port is already in use (stop the other process or pick another)"
        if exc.errno == errno.EADDRNOTAVAIL:
            return f"{where}: {self.host} is not an address of this machine"
        if exc.errno == errno.EACCES:
            return f"{where}: permission denied (ports below 1024 need privileges)"
        return f"{where}: {exc.strerror or exc}"

    def _snapshot(self) -> HealthStatus | None:
        try:
            return self._status()
        except Exception:
            log.exception("health: the status provider failed")
            if self._metrics is not None:
                self._metrics.error("health_status")
            return None

    async def _healthz(self, request: web.Request) -> web.Response:
        status = self._snapshot() or _UNKNOWN
        latency = status.latency_seconds
        if latency is not None and not math.isfinite(latency):
            latency = None  # discord.py reports inf before the first heartbeat
        body = {
            "status": "ok" if status.healthy else "unavailable",
            "gateway": status.gateway_connected,
            "faq_version": status.faq_version,
            "entries": status.entries,
            "uptime_seconds": round(status.uptime_seconds, 3),
            "latency_seconds": None if latency is None else round(latency, 6),
        }
        return web.json_response(body, status=200 if status.healthy else 503, headers=_NO_CACHE)

    async def _serve_metrics(self, request: web.Request) -> web.Response:
        if self._metrics is None:
            raise web.HTTPNotFound(text="metrics are not enabled\n")
        status = self._snapshot()
        if status is not None:
            # Pull the gateway latency at scrape time, so it is never stale.
            latency = status.latency_seconds if status.gateway_connected else None
            self._metrics.gateway_latency(latency)
        response = web.Response(body=self._metrics.render(), headers=_NO_CACHE)
        response.headers["Content-Type"] = CONTENT_TYPE
        return response


_NO_CACHE = {"Cache-Control": "no-store"}
_UNKNOWN = HealthStatus(gateway_connected=False, faq_version=None, entries=0, uptime_seconds=0.0)
"""Reported when the status provider itself fails."""
