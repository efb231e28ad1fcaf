"""Question events: what every answer tells its subscribers."""

from __future__ import annotations

import dataclasses

import pytest

from bot.engine.index import FaqIndex
from bot.engine.models import Outcome
from bot.services.events import QuestionEvent, QuestionSource, ScoredEntry


def test_question_events(index: FaqIndex) -> None:
    answer = index.answer("when is the 12msp?")
    event = QuestionEvent.from_answer(
        answer,
        source=QuestionSource.SLASH,
        user_id=1,
        guild_id=2,
        channel_id=3,
        latency=0.01,
    )
    assert event.answered and not event.missed
    assert event.entry_id == answer.best.entry.id  # type: ignore[union-attr]
    assert event.candidates[0] == ScoredEntry(event.entry_id, round(answer.best.score, 4))  # type: ignore[union-attr, arg-type]
    assert event.faq_version == index.faq.version
    missed = QuestionEvent.from_answer(
        index.answer("weather in paris"),
        source=QuestionSource.DM,
        user_id=1,
        guild_id=None,
        channel_id=None,
        latency=0.0,
    )
    assert missed.missed and missed.entry_id is None and missed.outcome is Outcome.DECLINED
    direct = QuestionEvent.direct(
        index.faq.by_id["meeting-venue"],
        faq_version="v",
        source=QuestionSource.BUTTON,
        user_id=1,
        guild_id=None,
        channel_id=None,
        latency=0.0,
    )
    assert direct.entry_id == "meeting-venue" and direct.candidates == (
        ScoredEntry("meeting-venue", 1.0),
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        direct.user_id = 2  # type: ignore[misc]
