"""Time-window bookkeeping for the Discord adapter, free of any Discord import.

- `Cooldown`: at most `rate` actions per `per` seconds per key (a user id), sliding window.
- `RecentPosts`: which entry was posted publicly in which channel in the last minute, so
  the bot can point to that message instead of posting the same answer twice.

Both are bounded in memory: stale keys are pruned as new ones arrive.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass

Clock = Callable[[], float]


_PRUNE_EVERY = 256
"""Prune stale keys after this many new keys."""


@dataclass(frozen=True, slots=True)
class CooldownResult:
    """The verdict on one attempt."""

    allowed: bool
    retry_after: float = 0.0
    """Seconds until the next attempt would be allowed (0 when allowed)."""
    first_refusal: bool = False
    """True for the first refused attempt since the key was last allowed: tell the user once,
    stay quiet (or just react) on the next ones."""

    @property
    def retry_seconds(self) -> int:
        """`retry_after` rounded up to whole seconds, at least 1: what to show a person."""
        return max(1, math.ceil(self.retry_after))


class Cooldown:
    """A sliding-window rate limit per key: `rate` attempts per `per` seconds."""

    def __init__(self, rate: int, per: float, *, clock: Clock = time.monotonic) -> None:
        if rate < 1 or per <= 0:
            raise ValueError("rate must be >= 1 and per > 0")
        self.rate = rate
        self.per = per
        self._clock = clock
        self._hits: dict[Hashable, deque[float]] = {}
        self._warned: set[Hashable] = set()
        self._new_keys = 0

    def hit(self, key: Hashable) -> CooldownResult:
        """Count an attempt by `key` if allowed; refused attempts are not counted."""
        now = self._clock()
        hits = self._hits.get(key)
        if hits is None:
            hits = self._hits[key] = deque()
            self._new_keys += 1
            if self._new_keys >= _PRUNE_EVERY:
                self._prune(now)
        while hits and now - hits[0] >= self.per:
            hits.popleft()
        if len(hits) < self.rate:
            hits.append(now)
            self._warned.discard(key)
            return CooldownResult(allowed=True)
        retry = self.per - (now - hits[0])
        first = key not in self._warned
        self._warned.add(key)
        return CooldownResult(allowed=False, retry_after=max(retry, 0.0), first_refusal=first)

    def reset(self, key: Hashable) -> None:
        self._hits.pop(key, None)
        self._warned.discard(key)

    def __len__(self) -> int:
        return len(self._hits)

    def _prune(self, now: float) -> None:
        self._new_keys = 0
        stale = [k for k, hits in self._hits.items() if not hits or now - hits[-1] >= self.per]
        for key in stale:
            del self._hits[key]
            self._warned.discard(key)


@dataclass(frozen=True, slots=True)
class RecentPost:
    """A public answer: where it is, and when it was posted (clock time)."""

    url: str
    at: float


class RecentPosts:
    """Public answers of the last `window` seconds, by (channel id, entry id)."""

    def __init__(self, window: float = 60.0, *, clock: Clock = time.monotonic) -> None:
        self.window = window
        self._clock = clock
        self._posts: dict[tuple[int, str], RecentPost] = {}

    def find(self, channel_id: int | None, entry_id: str) -> RecentPost | None:
        """The answer to `entry_id` posted in `channel_id` within the window, if any."""
        if channel_id is None:
            return None
        post = self._posts.get((channel_id, entry_id))
        if post is None:
            return None
        if self._clock() - post.at >= self.window:
            del self._posts[(channel_id, entry_id)]
            return None
        return post

    def remember(self, channel_id: int | None, entry_id: str, url: str) -> None:
        if channel_id is None:
            return
        now = self._clock()
        if len(self._posts) > 1024:
            self._posts = {k: p for k, p in self._posts.items() if now - p.at < self.window}
        self._posts[(channel_id, entry_id)] = RecentPost(url=url, at=now)

    def __len__(self) -> int:
        return len(self._posts)
