"""Run the bot, unmodified, against the fake Discord.

    FAKE_DISCORD_URL=http://127.0.0.1:PORT python -m tests.fakediscord.launcher [--module MOD] ARGS

(from the repository root). It points discord.py at the fake (REST base, gateway, CDN), installs a
guard so that any connection to a host other than loopback fails loudly, then runs `MOD` (default
`bot`) exactly as `python -m MOD ARGS` would. Nothing in the product knows about the fake.
"""

from __future__ import annotations

import ipaddress
import os
import runpy
import socket
import sys
from typing import Any

ENV_URL = "FAKE_DISCORD_URL"


class NetworkGuardError(RuntimeError):
    """A connection to a non-loopback host was attempted under the fake."""


def is_local_host(host: object) -> bool:
    if not isinstance(host, str | bytes):
        return False
    name = host.decode() if isinstance(host, bytes) else host
    name = name.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name.split("%")[0]).is_loopback
    except ValueError:
        return False


def _blocked(what: str) -> NetworkGuardError:
    message = f"FAKEDISCORD NETWORK GUARD: blocked {what} (only 127.0.0.1/localhost is allowed)"
    print(message, file=sys.stderr, flush=True)
    return NetworkGuardError(message)


def install_network_guard() -> None:
    """Refuse DNS look-ups, socket connects and aiohttp requests to non-loopback hosts."""
    import aiohttp

    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex
    original_getaddrinfo = socket.getaddrinfo

    def check_address(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_local_host(address[0]):
            raise _blocked(f"socket connect to {address!r}")

    def connect(self: socket.socket, address: Any) -> None:
        check_address(self, address)
        return original_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        check_address(self, address)
        return original_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not is_local_host(host):
            raise _blocked(f"DNS look-up of {host!r}")
        return original_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo

    original_request = aiohttp.ClientSession._request

    async def guarded_request(
        self: aiohttp.ClientSession, method: str, url: Any, *a: Any, **kw: Any
    ) -> Any:
        from yarl import URL

        target = URL(str(url)) if not isinstance(url, URL) else url
        if self._base_url is not None and not target.is_absolute():
            target = self._base_url.join(target)
        if not is_local_host(target.host):
            raise _blocked(f"aiohttp {method} {target}")
        return await original_request(self, method, url, *a, **kw)

    aiohttp.ClientSession._request = guarded_request  # type: ignore[method-assign]


def point_discord_at(url: str) -> None:
    """Patch discord.py's REST base, default gateway and CDN base to the fake at `url`."""
    import discord.asset
    import discord.gateway
    import discord.http
    import yarl

    base = yarl.URL(url.rstrip("/"))
    if base.scheme not in ("http", "https") or not is_local_host(base.host):
        raise SystemExit(f"{ENV_URL} must be an http URL on 127.0.0.1/localhost, got {url!r}")
    discord.http.Route.BASE = str(base / "api" / "v10")
    ws_scheme = "ws" if base.scheme == "http" else "wss"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = base.with_scheme(ws_scheme).with_path(
        "/gateway"
    )
    discord.asset.Asset.BASE = str(base / "cdn")


def split_args(argv: list[str]) -> tuple[str, list[str]]:
    """Take a leading `--module MOD` (or `--module=MOD`); everything else is the bot's."""
    module = "bot"
    if argv and argv[0].startswith("--module="):
        return argv[0].split("=", 1)[1], argv[1:]
    if len(argv) >= 2 and argv[0] == "--module":
        return argv[1], argv[2:]
    return module, argv


def main(argv: list[str] | None = None) -> None:
    module, bot_args = split_args(list(sys.argv[1:] if argv is None else argv))
    url = os.environ.get(ENV_URL)
    if not url:
        raise SystemExit(f"{ENV_URL} is not set: start the fake Discord first")
    install_network_guard()
    point_discord_at(url)
    sys.argv = [module, *bot_args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
