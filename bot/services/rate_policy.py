"""The rate policy: protect channels from floods, not the bot from the people it serves.

Two independent limits, both sliding windows, free of any Discord import:

- **Public posts** (`claim_public_post`): at most `per_channel` public answers in one channel
  and `per_user` of them by one user in that channel per `post_seconds`. Past either, the
  answer is still given, privately. Only questions a person asked count (slash commands,
  the context menu, mentions): the bot's own buttons and private answers neither count nor
  are limited, and direct messages are not public.
- **Abuse ceiling** (`admit`): every request one user makes (buttons included) counts; past
  `ceiling` per `ceiling_seconds` (far above anyone asking in good faith) requests are
  refused. The user is told in words the first time in each window (`Admission.tell`) and
  each refused window is logged once.

Memory stays bounded: keys whose window is over are pruned as new keys arrive.
"""

from __future__ import annotations

import logging
import math
import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass

Clock = Callable[[], float]

log = logging.getLogger(__name__)

PRUNE_EVERY = 256
"""Drop the keys whose window is over after this many new keys."""


@dataclass(frozen=True, slots=True)
class RateLimits:
    """The numbers of the policy (from Settings: PUBLIC_POSTS_PER_CHANNEL and friends)."""

    per_channel: int = 12
    per_user: int = 5
    post_seconds: float = 60.0
    ceiling: int = 60
    ceiling_seconds: float = 60.0

    def __post_init__(self) -> None:
        if min(self.per_channel, self.per_user, self.ceiling) < 1:
            raise ValueError("every limit must be at least 1")
        if min(self.post_seconds, self.ceiling_seconds) <= 0:
            raise ValueError("every window must be longer than 0 seconds")


@dataclass(frozen=True, slots=True)
class Admission:
    """The abuse ceiling's verdict on one request."""

    allowed: bool
    tell: bool = False
    """Refused, and the user has not been told in this window: say so, in words."""
    retry_after: float = 0.0
    """Seconds until the user's oldest counted request leaves the window (0 when allowed)."""

    @property
    def retry_seconds(self) -> int:
        """`retry_after` rounded up to whole seconds, at least 1: what to show a person."""
        return max(1, math.ceil(self.retry_after))


class SlidingWindow:
    """At most `limit` events per `seconds` for each key, counted only when accepted."""

    def __init__(self, limit: int, seconds: float, clock: Clock) -> None:
        self.limit = limit
        self.seconds = seconds
        self._clock = clock
        self._events: dict[Hashable, deque[float]] = {}
        self._new_keys = 0

    def _live(self, key: Hashable, now: float) -> deque[float]:
        events = self._events.get(key)
        if events is None:
            events = self._events[key] = deque()
            self._new_keys += 1
            if self._new_keys >= PRUNE_EVERY:
                self._prune(now)
                self._events[key] = events
        while events and now - events[0] >= self.seconds:
            events.popleft()
        return events

    def has_room(self, key: Hashable) -> bool:
        return len(self._live(key, self._clock())) < self.limit

    def take(self, key: Hashable) -> bool:
        """Count one event for `key` when there is room; False (nothing counted) otherwise."""
        now = self._clock()
        events = self._live(key, now)
        if len(events) >= self.limit:
            return False
        events.append(now)
        return True

    def retry_after(self, key: Hashable) -> float:
        """Seconds until `key` has room again (0 when it has room now)."""
        now = self._clock()
        events = self._live(key, now)
        if len(events) < self.limit:
            return 0.0
        return max(self.seconds - (now - events[0]), 0.0)

    def __len__(self) -> int:
        return len(self._events)

    def _prune(self, now: float) -> None:
        self._new_keys = 0
        stale = [k for k, e in self._events.items() if not e or now - e[-1] >= self.seconds]
        for key in stale:
            del self._events[key]


class RatePolicy:
    """Decides, per request, whether it is served, and whether its answer may be public."""

    def __init__(self, limits: RateLimits = RateLimits(), *, clock: Clock = time.monotonic):
        self.limits = limits
        self._clock = clock
        self._channel_posts = SlidingWindow(limits.per_channel, limits.post_seconds, clock)
        self._user_posts = SlidingWindow(limits.per_user, limits.post_seconds, clock)
        self._requests = SlidingWindow(limits.ceiling, limits.ceiling_seconds, clock)
        self._told: dict[int, float] = {}

    def admit(self, user_id: int) -> Admission:
        """Count one request by `user_id` against the abuse ceiling."""
        if self._requests.take(user_id):
            return Admission(allowed=True)
        now = self._clock()
        told_at = self._told.get(user_id)
        tell = told_at is None or now - told_at >= self.limits.ceiling_seconds
        if tell:
            if len(self._told) >= PRUNE_EVERY:
                window = self.limits.ceiling_seconds
                self._told = {u: t for u, t in self._told.items() if now - t < window}
            self._told[user_id] = now
            log.warning(
                "user %s is past the abuse ceiling (%d requests in %g s): refusing until "
                "the window is over",
                user_id,
                self.limits.ceiling,
                self.limits.ceiling_seconds,
            )
        return Admission(allowed=False, tell=tell, retry_after=self._requests.retry_after(user_id))

    def claim_public_post(self, user_id: int, channel_id: int | None) -> bool:
        """True (and counted) when `user_id` may post one more public answer in `channel_id`;
        False: give this answer privately. A DM (`channel_id` None) is never public."""
        if channel_id is None:
            return True
        user_key = (channel_id, user_id)
        if not (self._channel_posts.has_room(channel_id) and self._user_posts.has_room(user_key)):
            return False
        self._channel_posts.take(channel_id)
        self._user_posts.take(user_key)
        return True
