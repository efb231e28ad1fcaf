"""Per-user cooldowns and the recent-posts memory."""

from __future__ import annotations

from bot.services.cooldown import Cooldown, RecentPosts


def test_cooldown_window_and_first_refusal() -> None:
    now = [0.0]
    cooldown = Cooldown(2, 10.0, clock=lambda: now[0])
    assert cooldown.hit(1).allowed and cooldown.hit(1).allowed
    refused = cooldown.hit(1)
    assert not refused.allowed and refused.first_refusal and refused.retry_seconds == 10
    now[0] = 4.2
    again = cooldown.hit(1)
    assert not again.first_refusal and again.retry_seconds == 6
    assert cooldown.hit(2).allowed
    now[0] = 10.0
    assert cooldown.hit(1).allowed
    for user in range(1000):
        cooldown.hit(user + 10)
    now[0] = 100.0
    for user in range(300):
        cooldown.hit(user + 5000)
    assert len(cooldown) < 1000


def test_recent_posts_expire() -> None:
    now = [0.0]
    posts = RecentPosts(60.0, clock=lambda: now[0])
    posts.remember(1, "a", "url")
    assert posts.find(1, "a").url == "url"  # type: ignore[union-attr]
    assert posts.find(2, "a") is None and posts.find(None, "a") is None
    now[0] = 60.0
    assert posts.find(1, "a") is None
