"""Which entry was answered publicly in which channel in the last minute, so the bot can link
that answer instead of posting the same one twice. Free of any Discord import.

A remembered answer is forgotten as soon as its message is deleted (`forget_message`, fed by
Discord's message delete events), so a link always leads to a message that exists.
Bounded in memory: posts older than the window are pruned as new ones arrive.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]

PRUNE_ABOVE = 1024
"""Prune posts older than the window when more than this many are remembered."""


@dataclass(frozen=True, slots=True)
class RecentPost:
    """A public answer: its message, where it is, and when it was posted (clock time)."""

    message_id: int
    url: str
    at: float


class RecentPosts:
    """Public answers of the last `window` seconds, by (channel id, entry id)."""

    def __init__(self, window: float = 60.0, *, clock: Clock = time.monotonic) -> None:
        self.window = window
        self._clock = clock
        self._posts: dict[tuple[int, str], RecentPost] = {}
        self._keys: dict[int, tuple[int, str]] = {}
        """message id -> its key in `_posts`, to forget a deleted message at once."""

    def find(self, channel_id: int | None, entry_id: str) -> RecentPost | None:
        """The answer to `entry_id` posted in `channel_id` within the window, if any."""
        if channel_id is None:
            return None
        post = self._posts.get((channel_id, entry_id))
        if post is None:
            return None
        if self._clock() - post.at >= self.window:
            self._drop((channel_id, entry_id))
            return None
        return post

    def remember(self, channel_id: int | None, entry_id: str, message_id: int, url: str) -> None:
        if channel_id is None:
            return
        now = self._clock()
        if len(self._posts) > PRUNE_ABOVE:
            for key in [k for k, p in self._posts.items() if now - p.at >= self.window]:
                self._drop(key)
        key = (channel_id, entry_id)
        self._drop(key)
        self._posts[key] = RecentPost(message_id=message_id, url=url, at=now)
        self._keys[message_id] = key

    def forget_message(self, message_id: int) -> bool:
        """A message was deleted: never link it again. True when it was a remembered answer."""
        key = self._keys.get(message_id)
        if key is None:
            return False
        self._drop(key)
        return True

    def _drop(self, key: tuple[int, str]) -> None:
        post = self._posts.pop(key, None)
        if post is not None:
            self._keys.pop(post.message_id, None)

    def __len__(self) -> int:
        return len(self._posts)
