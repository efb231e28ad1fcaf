"""Start the bot as a subprocess against a running FakeDiscord, and stop it (bounded in time).

`tests/conftest.py` builds its `bot_process` fixture on `launch_bot`; test modules that want one
bot per module (a module-scoped fixture) can call it directly.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .driver import FakeDiscord

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]

BOT_SETTINGS = (
    "DISCORD_TOKEN",
    "FAQ_DIR",
    "DATA_DIR",
    "GUILD_IDS",
    "MOD_ROLE_IDS",
    "MOD_LOG_CHANNEL_ID",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "HEALTH_PORT",
    "HEALTH_HOST",
    "SHARD_COUNT",
    "SHARD_IDS",
    "RETENTION_DAYS",
    "COOLDOWN_RATE",
    "COOLDOWN_SECONDS",
    "PUBLIC_POSTS_PER_CHANNEL",
    "PUBLIC_POSTS_PER_USER",
    "PUBLIC_POST_SECONDS",
    "ABUSE_CEILING",
    "ABUSE_CEILING_SECONDS",
    "RELOAD_DEBOUNCE_SECONDS",
    "FAKE_DISCORD_URL",
)
"""Environment variables never inherited from the shell that runs the tests."""


@dataclass
class BotProcess:
    """A bot subprocess; its stdout and stderr go to files."""

    popen: subprocess.Popen[bytes]
    argv: Sequence[str]
    stdout_path: Path
    stderr_path: Path
    _files: list[IO[bytes]] = field(default_factory=list, repr=False)
    exit_expected: bool = False
    """Set by `stop()` and `wait_exit()`: the process may end without failing waits on the fake."""
    data_dir: Path | None = None
    """The bot's DATA_DIR (where its database and command-sync state live), if known."""

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def returncode(self) -> int | None:
        return self.popen.poll()

    def log_tail(self, lines: int = 60) -> str:
        parts = []
        for label, path in (("stdout", self.stdout_path), ("stderr", self.stderr_path)):
            try:
                text = path.read_text(errors="replace")
            except OSError:
                text = ""
            tail = "\n".join(text.splitlines()[-lines:])
            parts.append(f"--- {label} ({path}) ---\n{tail or '(empty)'}")
        return "\n".join(parts)

    def output(self) -> str:
        """Everything the process wrote so far (stdout, then stderr)."""
        return "".join(
            path.read_text(errors="replace") if path.exists() else ""
            for path in (self.stdout_path, self.stderr_path)
        )

    def death_reason(self) -> str | None:
        """Why waits on the fake can never succeed: the process died unexpectedly (or None)."""
        if self.exit_expected or self.popen.poll() is None:
            return None
        return f"the bot process {self.pid} exited with code {self.popen.returncode}"

    async def wait_exit(self, timeout: float = 15.0) -> int:
        """The exit code; AssertionError if the process is still running after `timeout` (it is
        then killed, so that it does not outlive the test)."""
        self.exit_expected = True
        deadline = time.monotonic() + timeout
        while (code := self.popen.poll()) is None:
            if time.monotonic() > deadline:
                self.popen.kill()
                self.popen.wait(timeout=5)
                raise AssertionError(
                    f"bot process {self.pid} still running after {timeout:g} s\n{self.log_tail()}"
                )
            await asyncio.sleep(0.05)
        return code

    async def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM, wait up to `timeout`, then SIGKILL. Returns the exit code. The default leaves
        room for the bot's own shutdown grace (10 s for work in flight, then disconnecting)."""
        self.exit_expected = True
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while self.popen.poll() is None and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            if self.popen.poll() is None:
                log.warning(
                    "bot process %s ignored SIGTERM for %g s: killing it", self.pid, timeout
                )
                self.popen.kill()
                self.popen.wait(timeout=5)
        for handle in self._files:
            handle.close()
        self._files.clear()
        return self.popen.returncode


async def launch_bot(
    fake: FakeDiscord,
    workdir: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    module: str | None = None,
    token: str | None = None,
    wait_ready: bool = True,
    ready_timeout: float = 30.0,
    shards: int = 1,
    fail_fast: bool = True,
    name: str = "bot",
) -> BotProcess:
    """Start `python -m tests.fakediscord.launcher [--module MODULE] ARGS` (ARGS default: `run`)
    from the repository root, with DISCORD_TOKEN, FAKE_DISCORD_URL, DATA_DIR (workdir/data) and
    XDG_DATA_HOME (workdir/xdg) set, the bot settings of the calling shell removed, then `env`.

    With `wait_ready`, return once the fake has seen READY on `shards` session(s) (AssertionError
    with the log tail if the process exits first or `ready_timeout` passes). With `fail_fast`,
    any wait on the fake fails at once if the process dies unexpectedly."""
    workdir.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "tests.fakediscord.launcher"]
    if module is not None:
        argv += ["--module", module]
    argv += list(args) if args else ["run"]
    child_env = {k: v for k, v in os.environ.items() if k not in BOT_SETTINGS}
    child_env.update(
        PYTHONUNBUFFERED="1",
        FAKE_DISCORD_URL=fake.url,
        DISCORD_TOKEN=fake.token if token is None else token,
        DATA_DIR=str(workdir / "data"),
        XDG_DATA_HOME=str(workdir / "xdg"),
    )
    child_env.update(env or {})
    stem = _free_stem(workdir, name)
    stdout_path = workdir / f"{stem}.stdout.log"
    stderr_path = workdir / f"{stem}.stderr.log"
    out = stdout_path.open("wb")
    err = stderr_path.open("wb")
    popen = subprocess.Popen(
        argv, cwd=REPO_ROOT, env=child_env, stdout=out, stderr=err, stdin=subprocess.DEVNULL
    )
    bot = BotProcess(
        popen, argv, stdout_path, stderr_path, [out, err], data_dir=Path(child_env["DATA_DIR"])
    )
    if fail_fast:
        fake.add_liveness_check(bot.death_reason)
    if wait_ready:
        deadline = time.monotonic() + ready_timeout
        while not fake.is_ready(shards):
            if popen.poll() is not None:
                bot.exit_expected = True
                raise AssertionError(
                    f"the bot exited with code {popen.returncode} before READY\n{bot.log_tail()}"
                )
            if time.monotonic() > deadline:
                await bot.stop()
                raise AssertionError(
                    f"the bot was not READY after {ready_timeout:g} s\n"
                    f"{fake.describe()}\n{bot.log_tail()}"
                )
            await asyncio.sleep(0.05)
    return bot


def _free_stem(workdir: Path, name: str) -> str:
    stem, number = name, 1
    while (workdir / f"{stem}.stdout.log").exists():
        number += 1
        stem = f"{name}{number}"
    return stem
