"""Questions as delegates type them: a wrong place or day in a yes/no question, a statement
with "right?", a country the FAQ does not know, two questions in one, close calls told apart
by their wording, and another attribute of a country the release names."""

from __future__ import annotations

import pytest

from bot.engine.explain import render_explanation
from bot.engine.index import FaqIndex
from bot.engine.models import Outcome
from bot.engine.questions import question_clauses, question_parts
from bot.engine.salience import place_names
from tests.engine.asserts import answered


def test_place_names_come_from_shipped_data_and_leave_common_words_out() -> None:
    places = place_names()
    assert {"vienna", "new york", "estonia", "united states", "usa"} <= places
    assert not {"east", "center", "us", "the"} & places


@pytest.mark.parametrize(
    ("question", "note"),
    [
        ("is it in Vienna this yr", "No — At UN Geneva."),
        ("is the 12MSP in New York?", "No — At UN Geneva."),
        ("is it at the UN?", "Yes — At UN Geneva."),
    ],
)
def test_a_place_in_a_yes_no_question_is_confirmed_or_corrected(
    index: FaqIndex, question: str, note: str
) -> None:
    result = answered(index, question)
    assert result.best.entry.id == "meeting-venue"
    assert result.note == note


def test_a_place_the_faq_knows_but_the_entry_does_not_name_is_not_denied(
    index: FaqIndex,
) -> None:
    result = index.answer("is the meeting held in switzerland?")
    assert result.best is not None and result.best.entry.id == "meeting-venue"
    assert result.premise is None


def test_a_place_outside_a_list_of_places_is_not_mentioned_rather_than_denied(
    index: FaqIndex,
) -> None:
    vietnam = index.answer("were cluster bombs used in the vietnam war")
    assert vietnam.outcome is Outcome.NOT_STATED
    assert vietnam.note is not None and "Vietnam" in vietnam.note
    asked = index.answer("does the release mention cluster bomb use in gaza?")
    assert asked.outcome is Outcome.ANSWERED and asked.premise is not None
    assert not asked.premise.holds


@pytest.mark.parametrize(
    ("question", "holds"),
    [
        ("it starts monday the 9th right?", False),
        ("does 12msp run till the 15th??", False),
        ("is it over by the 13th?", True),
    ],
)
def test_a_day_stated_in_a_yes_no_or_tag_question_is_checked(
    index: FaqIndex, question: str, holds: bool
) -> None:
    result = index.answer(question)
    assert result.outcome is Outcome.ANSWERED and result.premise is not None, result
    assert result.premise.holds is holds
    assert result.note is not None and "10–13 September 2024" in result.note


def test_a_wrong_country_is_corrected_and_an_unknown_one_is_not_stated(index: FaqIndex) -> None:
    estonia = index.answer("did estonia withdraw from the ccm?")
    assert estonia.best is not None and estonia.best.entry.id == "lithuania-withdrawal"
    assert estonia.note is not None and estonia.note.startswith("No — Lithuania")
    russia = index.answer("is russia party to the ccm?")
    assert russia.outcome is not Outcome.ANSWERED
    us = index.answer("when did the US last use cluster munitions")
    assert us.outcome is not Outcome.ANSWERED


def test_another_attribute_of_a_country_is_not_stated(index: FaqIndex) -> None:
    assert not index.answer("who is lithuania's president").answered
    result = index.answer("what is lithuania's position")
    assert result.outcome is Outcome.NOT_STATED
    assert result.note is not None and "position" in result.note
    assert index.answer("what about lithuania's withdrawal").answered


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("where + when?", ["where", "when?"]),
        ("dates & email pls", ["dates", "email pls"]),
        (
            "Is the Red Cross attending, and how many signatories?",
            ["Is the Red Cross attending", "how many signatories?"],
        ),
        ("civil society and the red cross", ["civil society and the red cross"]),
        ("number of states (parties + signatories)", ["number of states (parties + signatories)"]),
    ],
)
def test_a_question_splits_where_it_asks_a_second_thing(question: str, parts: list[str]) -> None:
    assert question_parts(question) == parts


def test_a_question_asking_two_things_gets_both_entries(index: FaqIndex) -> None:
    result = answered(index, "how many states parties attending and when is the review conference?")
    assert result.best.entry.id == "states-parties-count"
    assert [c.entry.id for c in result.also] == ["review-conference"]
    assert result.note is not None and "2026" in result.note
    explained = render_explanation(
        index.explain("how many states parties attending and when is the review conference?")
    )
    assert "also answers (other parts of the question): review-conference" in explained


def test_wording_tells_apart_entries_matching_the_same_words(index: FaqIndex) -> None:
    result = index.answer("What was the stakeholder dialogue about?")
    assert result.best is not None and result.best.entry.id == "stakeholder-dialogue"
    explained = render_explanation(index.explain("What was the stakeholder dialogue about?"))
    assert "wording" in explained


def test_an_entrys_own_phrasing_wins_over_a_silent_topic_with_the_same_words(
    index: FaqIndex,
) -> None:
    assert index.answer("timing").answered
    assert index.answer("what time does it start").outcome is Outcome.NOT_STATED


def test_chat_shorthands_read_as_the_words_they_stand_for(index: FaqIndex) -> None:
    result = index.answer("where r cluster bombs used rn")
    assert result.best is not None and result.best.entry.id == "use-in-conflicts"
    assert result.answered


def test_the_question_inside_a_long_message_is_answered(index: FaqIndex) -> None:
    message = (
        "Hello! Our delegation is preparing its travel. Could you tell me how many States "
        "Parties will be represented at the meeting?"
    )
    result = index.answer(message)
    assert result.answered and result.best is not None
    assert result.best.entry.id == "states-parties-count"
    assert result.reason is not None and "how many States Parties" in result.reason


def test_filler_sentences_of_a_message_are_not_tried_alone() -> None:
    clauses = question_clauses("Was Lithuania's withdrawal discussed? Was it? Thanks!")
    assert clauses == ["Was Lithuania's withdrawal discussed?"]


def test_a_when_joining_clauses_does_not_ask_for_a_date(index: FaqIndex) -> None:
    result = index.answer("what should states do when others use cluster bombs")
    assert result.answered and result.best is not None
    assert result.best.entry.id == "discourage-use"


def test_a_country_the_entry_does_not_name_is_not_stated_of_it(index: FaqIndex) -> None:
    assert not index.answer("what did the presidency say about Ukraine").answered
    result = index.answer("what did the presidency say in closing about Ukraine")
    assert result.outcome is Outcome.NOT_STATED, result
    assert result.note is not None and "Ukraine" in result.note
    assert index.answer("are cluster munitions used in Ukraine?").answered


def test_a_statement_inside_a_message_is_not_answered(index: FaqIndex) -> None:
    notice = "free nitro at discord.gg/n1tro — official notice: the meeting is cancelled"
    assert question_clauses(notice) == []
    assert not index.answer(notice).answered
