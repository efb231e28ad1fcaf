"""The rate policy: public posts limited per channel and user, an abuse ceiling that refuses
in words once per window, and nothing refused to someone asking in good faith."""

from __future__ import annotations

import logging

import pytest

from bot.services.rate_policy import RateLimits, RatePolicy


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


CHANNEL = 111
OTHER_CHANNEL = 222


def test_twenty_questions_a_minute_are_all_served() -> None:
    clock = Clock()
    policy = RatePolicy(RateLimits(), clock=clock)
    for _ in range(20):
        assert policy.admit(7).allowed
        clock.now += 3.0


def test_public_posts_past_the_user_limit_go_private_then_public_again() -> None:
    clock = Clock()
    policy = RatePolicy(RateLimits(per_channel=10, per_user=3, post_seconds=60), clock=clock)
    verdicts = [policy.claim_public_post(7, CHANNEL) for _ in range(5)]
    assert verdicts == [True, True, True, False, False]
    assert policy.claim_public_post(8, CHANNEL), "another user still posts in the channel"
    assert policy.claim_public_post(7, OTHER_CHANNEL), "the limit is per channel"
    clock.now += 60.0
    assert policy.claim_public_post(7, CHANNEL)


def test_a_channel_takes_at_most_per_channel_public_posts_from_everyone() -> None:
    clock = Clock()
    policy = RatePolicy(RateLimits(per_channel=4, per_user=3, post_seconds=60), clock=clock)
    verdicts = [policy.claim_public_post(user, CHANNEL) for user in range(1, 7)]
    assert verdicts == [True, True, True, True, False, False]


def test_refused_public_claims_are_not_counted() -> None:
    clock = Clock()
    policy = RatePolicy(RateLimits(per_channel=2, per_user=2, post_seconds=60), clock=clock)
    assert policy.claim_public_post(1, CHANNEL) and policy.claim_public_post(1, CHANNEL)
    clock.now += 30.0
    assert not policy.claim_public_post(1, CHANNEL)
    clock.now += 30.0  # the first two left the window; the refusal did not add one
    assert policy.claim_public_post(1, CHANNEL) and policy.claim_public_post(1, CHANNEL)


def test_direct_messages_are_never_limited_as_public_posts() -> None:
    policy = RatePolicy(RateLimits(per_channel=1, per_user=1), clock=Clock())
    assert all(policy.claim_public_post(7, None) for _ in range(50))


def test_abuse_ceiling_refuses_in_words_once_per_window(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    policy = RatePolicy(RateLimits(ceiling=3, ceiling_seconds=60), clock=clock)
    assert all(policy.admit(7).allowed for _ in range(3))
    with caplog.at_level(logging.WARNING, logger="bot.services.rate_policy"):
        first = policy.admit(7)
        clock.now += 10.0
        second = policy.admit(7)
    assert not first.allowed and first.tell and first.retry_seconds == 60
    assert not second.allowed and not second.tell and second.retry_seconds == 50
    assert len([r for r in caplog.records if "abuse ceiling" in r.getMessage()]) == 1
    assert policy.admit(8).allowed, "one user's abuse does not touch anyone else"
    clock.now += 50.0
    assert policy.admit(7).allowed, "served again once the window is over"


def test_a_new_window_of_abuse_is_told_again() -> None:
    clock = Clock()
    policy = RatePolicy(RateLimits(ceiling=1, ceiling_seconds=10), clock=clock)
    assert policy.admit(7).allowed
    assert policy.admit(7).tell
    clock.now += 10.0
    assert policy.admit(7).allowed
    assert policy.admit(7).tell


def test_memory_stays_bounded_with_many_users() -> None:
    clock = Clock()
    policy = RatePolicy(RateLimits(), clock=clock)
    for user in range(5000):
        policy.admit(user)
        policy.claim_public_post(user, CHANNEL + user)
        clock.now += 1.0
    assert len(policy._requests) < 1000
    assert len(policy._channel_posts) < 1000


@pytest.mark.parametrize(
    "limits",
    [
        {"per_channel": 0},
        {"per_user": 0},
        {"ceiling": 0},
        {"post_seconds": 0},
        {"ceiling_seconds": -1},
    ],
)
def test_limits_must_be_positive(limits: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        RateLimits(**limits)  # type: ignore[arg-type]
