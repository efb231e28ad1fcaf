"""A statement asked as a question ("So 120 States Parties will be represented?", "it ends on
the 14th, doesn't it?"): a yes/no question whose stated value is checked against the entry."""

from __future__ import annotations

import pytest

from bot.engine.index import FaqIndex
from bot.engine.intent import read_intent
from bot.engine.models import AnswerKind, Outcome


def test_a_statement_with_a_question_mark_and_a_value_is_a_yes_no_question() -> None:
    asked = read_intent("so 120 states parties will be represented", frozenset(), intonation=True)
    assert asked.yes_no and asked.kind is AnswerKind.HOW_MANY
    assert "120" in asked.premise_words
    stated = read_intent("so 120 states parties will be represented", frozenset())
    assert not stated.yes_no


def test_a_topic_with_a_question_mark_is_not_a_claim() -> None:
    assert not read_intent("meeting", frozenset(), intonation=True).yes_no
    # A question word asks: "when is it?" is not yes/no, question mark or not.
    assert not read_intent("when is it", frozenset(), intonation=True).yes_no


@pytest.mark.parametrize(
    "folded",
    [
        "it was negotiated in oslo wasn t it",
        "it ends on the 14th doesn t it",
        "the isu is in geneva yes",
    ],
)
def test_english_question_tags_make_a_statement_a_yes_no_question(folded: str) -> None:
    assert read_intent(folded, frozenset()).yes_no


@pytest.mark.parametrize(
    ("question", "correction"),
    [
        ("So 120 States Parties will be represented?", "112"),
        ("so it starts on the 12th?", "10–13 September 2024"),
        ("it ends on the 14th, doesn't it?", "10–13 September 2024"),
        ("the meeting is in vienna, isn't it?", "Geneva"),
    ],
)
def test_a_wrong_value_in_a_statement_is_corrected(
    index: FaqIndex, question: str, correction: str
) -> None:
    result = index.answer(question)
    assert result.outcome is Outcome.ANSWERED, (question, result.outcome)
    assert result.note is not None and result.note.startswith("No — "), result.note
    assert correction in result.note


def test_a_right_value_in_a_statement_is_confirmed(index: FaqIndex) -> None:
    result = index.answer("so it starts on the 10th?")
    assert result.note is not None and result.note.startswith("Yes — "), result.note
