"""Reload the FAQ when its files change, once they have been quiet for a while.

Polling (by default twice a second) rather than inotify: it is portable, works on network
and container volumes where file events do not arrive, and the FAQ is a few hundred
kilobytes, so a full fingerprint costs well under a millisecond of hashing per poll.

Editors save in several steps (write a temporary file, rename, touch), so a change only
triggers a reload once the fingerprint has stayed the same for `debounce` seconds.
Every reload, automatic or requested (`/faq-admin reload`, a learned alias), goes through
`FaqWatcher.reload`, one at a time, and is announced to the listeners.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.services.knowledge import KnowledgeBase, ReloadResult

log = logging.getLogger(__name__)

ReloadListener = Callable[[ReloadResult, str], Awaitable[None]]
"""`async def listener(result, reason)`; `reason` says what caused the reload."""

DEFAULT_POLL_SECONDS = 0.5


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

    async def reload(self, reason: str = "requested") -> ReloadResult:
        """Validate and swap in the FAQ now (in a thread), then tell the listeners."""
        async with self._lock:
            result = await asyncio.to_thread(self.knowledge.reload)
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
        """Stop polling; a reload in progress finishes first."""
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
                current = await asyncio.to_thread(self.knowledge.fingerprint)
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
