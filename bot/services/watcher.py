"""Reload the FAQ when its files change, once they have been quiet for a while.

Polling (by default twice a second) rather than inotify: it is portable, works on network
and container volumes where file events do not arrive, and the FAQ is a few hundred
kilobytes, so a full fingerprint costs well under a millisecond of hashing per poll.

Editors save in several steps (write a temporary file, rename, touch), so a change only
triggers a reload once the fingerprint has stayed the same for `debounce` seconds.
Every reload, automatic or requested (`/faq-admin reload`, a learned alias), goes through
`FaqWatcher.reload`, one at a time, and is announced to the listeners.

Reloads and polls run in daemon threads of their own, not in asyncio's default executor: a
process whose event loop has ended must exit even if a file read never returns (asyncio.run
and the interpreter both wait for executor threads), so SIGTERM always ends the bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.services.knowledge import KnowledgeBase, ReloadResult

log = logging.getLogger(__name__)

ReloadListener = Callable[[ReloadResult, str], Awaitable[None]]
"""`async def listener(result, reason)`; `reason` says what caused the reload."""

DEFAULT_POLL_SECONDS = 0.5

Result = TypeVar("Result")


async def in_daemon_thread(work: Callable[[], Result], name: str) -> Result:
    """`work()` in a new daemon thread; cancelling the await abandons the thread, which then
    cannot keep the process alive."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Result] = loop.create_future()

    def deliver(outcome: Callable[[], None]) -> None:
        if not future.done():
            outcome()

    def run() -> None:
        try:
            value = work()
        except BaseException as exc:  # handed to the awaiting task
            error = exc
            with contextlib.suppress(RuntimeError):  # the loop is already closed
                loop.call_soon_threadsafe(deliver, lambda: future.set_exception(error))
        else:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(deliver, lambda: future.set_result(value))

    threading.Thread(target=run, name=name, daemon=True).start()
    return await future


class FaqWatcher:
    """Polls the FAQ files of a `KnowledgeBase` and reloads it after a quiet period."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        *,
        debounce: float = 1.0,
        poll_interval: float = DEFAULT_POLL_SECONDS,
    ) -> None:
        self.knowledge = knowledge
        self.debounce = max(debounce, 0.0)
        self.poll_interval = max(poll_interval, 0.01)
        self._listeners: list[ReloadListener] = []
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self.reloads = 0
        """Reload attempts made through this watcher (automatic and requested)."""

    # --- listeners -------------------------------------------------------------------------

    def add_listener(self, listener: ReloadListener) -> None:
        """Call `listener(result, reason)` after every reload attempt."""
        if listener not in self._listeners:
            self._listeners.append(listener)

    def remove_listener(self, listener: ReloadListener) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    # --- reloading -------------------------------------------------------------------------

    async def reload(self, reason: str = "requested", *, force: bool = False) -> ReloadResult:
        """Validate and swap in the FAQ now (in a thread), then tell the listeners; `force`
        serves it even when its checks fail (see `KnowledgeBase.reload`)."""
        async with self._lock:
            result = await in_daemon_thread(
                lambda: self.knowledge.reload(force=force), "faq-reload"
            )
            self.reloads += 1
        log.info("reload (%s): %s", reason, result.summary())
        for listener in list(self._listeners):
            try:
                await listener(result, reason)
            except Exception:
                log.exception("reload listener %r failed", listener)
        return result

    # --- watching --------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Start polling in a background task (idempotent); needs a running event loop."""
        if self.running:
            return
        self._task = asyncio.get_running_loop().create_task(self._watch(), name="faq-watcher")
        log.info(
            "watching %s for changes (debounce %.1f s, poll %.2f s)",
            self.knowledge.faq_dir,
            self.debounce,
            self.poll_interval,
        )

    async def stop(self) -> None:
        """Stop polling at once; a reload in progress is abandoned to its daemon thread."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _watch(self) -> None:
        loop = asyncio.get_running_loop()
        last: str | None = None
        changed_at = loop.time()
        while True:
            try:
                current = await in_daemon_thread(self.knowledge.fingerprint, "faq-poll")
                now = loop.time()
                if current != last:
                    last, changed_at = current, now
                quiet = now - changed_at >= self.debounce
                if quiet and current != self.knowledge.seen_fingerprint:
                    await self.reload("files changed")
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("FAQ watcher: polling failed; trying again")
            await asyncio.sleep(self.poll_interval)
