"""Questions that offer a choice, quote the release, mistake the meeting for another one, or
ask what the release does not say next to something it does: either/or questions, a quoted
passage, "is this the 11th MSP?", membership of a country the release names for its
conflicts, how the weapon works, what a question sets aside."""

from __future__ import annotations

import pytest

from bot.engine.explain import render_explanation
from bot.engine.index import FaqIndex
from bot.engine.models import Outcome
from bot.engine.questions import checked_value, question_clauses, question_options
from tests.engine.asserts import answered, answered_entry


@pytest.mark.parametrize(
    ("question", "options"),
    [
        ("un geneva or un nyc", ["un geneva", "un nyc"]),
        ("is it in new york or geneva?", ["is it in new york?", "is it in geneva?"]),
        (
            "is the meeting next week or next month",
            ["is the meeting next week", "is the meeting next month"],
        ),
        ("ratify, accept, approve or accede - where's that wording from?", []),
        ("when is the meeting", []),
    ],
)
def test_either_or_questions_are_split_into_their_options(
    question: str, options: list[str]
) -> None:
    assert question_options(question) == options


@pytest.mark.parametrize(
    ("question", "entry", "fact"),
    [
        ("un geneva or un nyc", "meeting-venue", "Geneva"),
        ("is it in new york or geneva?", "meeting-venue", "Geneva"),
        ("is it in september or october", "meeting-dates", "September"),
        (
            "which review conference is coming up, the second or the third?",
            "review-conference",
            "Third",
        ),
    ],
)
def test_an_either_or_question_gets_the_option_the_release_supports(
    index: FaqIndex, question: str, entry: str, fact: str
) -> None:
    result = answered(index, question)
    assert result.best.entry.id == entry and fact in result.best.entry.answer
    # A choice is answered with the option, not with "Yes" or "No".
    assert result.premise is None


def test_two_options_each_answered_are_two_questions(index: FaqIndex) -> None:
    result = answered(index, "dates or venue?")
    assert {result.best.entry.id, *(c.entry.id for c in result.also)} == {
        "meeting-dates",
        "meeting-venue",
    }


def test_options_the_release_says_nothing_of_are_not_answered(index: FaqIndex) -> None:
    assert index.answer("is there a reception or lunch for delegates").outcome is not (
        Outcome.ANSWERED
    )


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("where does the phrase “echo-chamber” come from", "presidency-closing"),
        ('where does the line "do not win wars" come from?', "win-wars-quote"),
        ("ratify, accept, approve or accede - where's that wording from?", "article-21"),
    ],
)
def test_a_quoted_passage_finds_the_entry_whose_answer_has_it(
    index: FaqIndex, question: str, entry: str
) -> None:
    assert answered_entry(index, question) == entry


@pytest.mark.parametrize(
    "question",
    [
        "is this the 11th MSP?",
        "is this the 11th meeting of states parties?",
        "is the meeting the 13th msp",
    ],
)
def test_the_meeting_mistaken_for_another_is_corrected(index: FaqIndex, question: str) -> None:
    result = answered(index, question)
    assert result.best.entry.id == "what-is-12msp"
    assert result.note is not None and result.note.startswith("No — Twelfth Meeting")


@pytest.mark.parametrize(
    "question", ["when is the 13th MSP", "is the 13msp in geneva", "is this the ottawa treaty"]
)
def test_a_question_about_another_meeting_or_treaty_is_still_declined(
    index: FaqIndex, question: str
) -> None:
    assert index.answer(question).outcome is Outcome.DECLINED


@pytest.mark.parametrize(
    ("question", "note"),
    [
        ("is Ukraine a state party", "The release does not say that of Ukraine."),
        (
            "Is the United States a State Party to the Convention?",
            "The release does not mention United States.",
        ),
        ("how do submunitions actually work", "The release does not mention how they work."),
        ("where can I smoke at the venue", "The release does not mention smoking."),
        (
            "which states parties coordinate the work under the convention",
            "The release does not mention the coordination of the work.",
        ),
        (
            "Who are the parties to the conflict in Yemen?",
            "The release does not mention the parties to the conflicts.",
        ),
    ],
)
def test_next_to_what_the_release_says_it_says_what_it_does_not(
    index: FaqIndex, question: str, note: str
) -> None:
    result = index.answer(question)
    assert result.outcome is Outcome.NOT_STATED
    assert result.note is not None and result.note.startswith(note)


def test_a_place_the_entry_is_about_is_answered(index: FaqIndex) -> None:
    assert (
        answered_entry(index, "is lithuania's withdrawal even allowed under the convention")
        == "lithuania-withdrawal"
    )


def test_what_members_must_do_about_outsiders_gets_both_obligations(index: FaqIndex) -> None:
    result = index.answer(
        "What must States Parties do regarding countries that have not joined the Convention?"
    )
    assert result.outcome is Outcome.ANSWERED and result.best is not None
    assert "encourage" in result.best.entry.answer and "discourage" in result.best.entry.answer


def test_what_a_question_sets_aside_is_not_what_it_asks(index: FaqIndex) -> None:
    result = index.answer(
        "Besides Lithuania's withdrawal, what other developments did participants voice "
        "concern about?"
    )
    assert result.best is not None and result.best.entry.id != "lithuania-withdrawal"


def test_a_question_asked_in_words_comes_before_a_follow_up(index: FaqIndex) -> None:
    question = (
        "As a matter of protocol, may I ask which body presides over the Twelfth Meeting "
        "- is it the ISU?"
    )
    assert question_clauses(question)[0] == "which body presides over the Twelfth Meeting"
    result = index.answer(question)
    assert result.best is not None and result.best.entry.id == "presidency-who"


def test_an_abbreviated_name_is_read_as_the_faq_word_it_begins(index: FaqIndex) -> None:
    result = index.answer("lith withdrawal -- what did participants think")
    assert result.best is not None and result.best.entry.id == "lithuania-withdrawal"


def test_the_explanation_says_why_a_quoted_or_mistaken_question_won(index: FaqIndex) -> None:
    quoted = render_explanation(index.explain('where does the line "do not win wars" come from?'))
    assert "quoted" in quoted and "win-wars-quote" in quoted
    mistaken = render_explanation(index.explain("is this the 11th MSP?"))
    assert "takes the meeting for" in mistaken and "what-is-12msp" in mistaken


def test_a_question_about_the_bot_is_not_read_as_about_the_meeting(index: FaqIndex) -> None:
    assert index.answer("who are you").outcome is not Outcome.ANSWERED
    assert index.answer("who?").outcome is Outcome.ANSWERED


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        (
            "Is the meeting at the ISU office on Chemin Eugène-Rigot?",
            ("where is the meeting", "the isu office on chemin eugene rigot"),
        ),
        ("the release is from the icrc right?", ("who is the release from", "the icrc")),
        ("The website is cmconvention.org, right?", ("what is the website", "cmconvention org")),
        ("Is the MSP in September?", None),
        ("when is the meeting", None),
    ],
)
def test_a_yes_no_question_checking_a_value_is_split_into_its_subject_and_the_value(
    question: str, asked: tuple[str, str] | None
) -> None:
    assert checked_value(question) == asked


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        # The ISU's street is another entry's thing: the meeting's venue answers.
        ("Is the 12MSP held at the ISU's office on Chemin Eugène-Rigot?", "meeting-venue"),
        ("Is it at the ISU office?", "meeting-venue"),
        # The Red Cross attends; the dialogue was convened by the ISU.
        ("Was the dialogue convened by the Red Cross?", "dialogue-organiser"),
    ],
)
def test_a_value_that_is_another_entrys_thing_gets_the_subjects_answer(
    index: FaqIndex, question: str, entry_id: str
) -> None:
    result = answered(index, question)
    assert result.best.entry.id == entry_id
    assert result.note is None or not result.note.startswith("Yes")


def test_a_value_of_the_subjects_own_entry_is_still_confirmed(index: FaqIndex) -> None:
    result = index.answer("Is the ISU office at Chemin Eugène-Rigot?")
    assert result.best is not None and result.best.entry.id == "isu-street"
    assert result.note is not None and result.note.startswith("Yes")


def test_a_request_to_confirm_is_no_question_of_its_own(index: FaqIndex) -> None:
    result = answered(index, "is the meeting on 10 to 13 september, can u confirm")
    assert result.best.entry.id == "meeting-dates"
    assert result.note == "Yes — 10–13 September 2024."


@pytest.mark.parametrize(
    "question",
    [
        "Is it Article 13 that tells states to promote universal adherence?",
        "is it art. 13 that tells states to promote universal adherence?",
    ],
)
def test_a_wrong_article_number_in_a_premise_is_corrected(index: FaqIndex, question: str) -> None:
    result = answered(index, question)
    assert result.best.entry.id == "article-21"
    assert result.note == "No — Article 21."


def test_another_article_asked_about_is_still_not_answered(index: FaqIndex) -> None:
    # Not a premise to correct: a question about what the FAQ does not have.
    assert not index.answer("What does Article 6 say about international cooperation?").answered
