"""Assertions the engine tests share: an answer, and which entry gave it."""

from __future__ import annotations

from bot.engine.index import FaqIndex
from bot.engine.models import Answer, Outcome


def answered(index: FaqIndex, question: str) -> Answer:
    """The engine's answer to `question`, failing (with what it did instead) unless it answered."""
    result = index.answer(question)
    alternatives = [c.entry.id for c in result.alternatives]
    assert result.outcome is Outcome.ANSWERED and result.best is not None, (
        question,
        result.outcome,
        result.reason,
        alternatives,
    )
    return result


def answered_entry(index: FaqIndex, question: str) -> str:
    """The id of the entry that answered `question` (failing unless one did)."""
    best = answered(index, question).best
    assert best is not None
    return best.entry.id
