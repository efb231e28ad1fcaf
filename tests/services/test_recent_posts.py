"""Recent public answers: linked within the window, never once their message is deleted."""

from __future__ import annotations

from bot.services.recent_posts import RecentPosts


def test_recent_posts_expire() -> None:
    now = [0.0]
    posts = RecentPosts(60.0, clock=lambda: now[0])
    posts.remember(1, "a", 10, "url")
    found = posts.find(1, "a")
    assert found is not None and (found.url, found.message_id) == ("url", 10)
    assert posts.find(2, "a") is None and posts.find(None, "a") is None
    now[0] = 60.0
    assert posts.find(1, "a") is None


def test_a_deleted_answer_is_forgotten_at_once() -> None:
    posts = RecentPosts(60.0, clock=lambda: 0.0)
    posts.remember(1, "a", 10, "url-10")
    posts.remember(1, "b", 11, "url-11")
    assert posts.forget_message(10)
    assert posts.find(1, "a") is None
    assert posts.find(1, "b") is not None, "other answers stay"
    assert not posts.forget_message(10) and not posts.forget_message(999)


def test_a_newer_answer_replaces_the_older_one_and_only_its_deletion_counts() -> None:
    posts = RecentPosts(60.0, clock=lambda: 0.0)
    posts.remember(1, "a", 10, "url-10")
    posts.remember(1, "a", 12, "url-12")
    assert not posts.forget_message(10), "the older message is no longer linked anyway"
    found = posts.find(1, "a")
    assert found is not None and found.url == "url-12"


def test_memory_stays_bounded() -> None:
    now = [0.0]
    posts = RecentPosts(60.0, clock=lambda: now[0])
    for number in range(5000):
        posts.remember(number, "a", number, f"url-{number}")
        now[0] += 1.0
    assert len(posts) < 1100 and len(posts._keys) == len(posts)
