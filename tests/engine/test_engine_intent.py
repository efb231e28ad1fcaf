"""Answering the way delegates ask: the meeting as the default subject, the kind of answer a
question wants, wrong premises, names the FAQ does not know, what the release does not say,
and why an entry won."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.engine.explain import render_explanation
from bot.engine.index import FaqIndex
from bot.engine.loader import load_faq, validate_faq_dir
from bot.engine.models import AnswerKind, Outcome
from bot.settings import SHIPPED_FAQ_DIR
from tests.engine.asserts import answered, answered_entry


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("when", "meeting-dates"),
        ("when?", "meeting-dates"),
        ("dates", "meeting-dates"),
        ("what day does it kick off", "meeting-dates"),
        ("location?", "meeting-venue"),
        ("where is it", "meeting-venue"),
        ("how many days in total", "meeting-duration"),
        ("who is coming", "participants"),
        ("meeting", "what-is-12msp"),
        ("12MSP?", "what-is-12msp"),
    ],
)
def test_a_question_that_names_no_subject_is_about_the_meeting(
    index: FaqIndex, question: str, entry_id: str
) -> None:
    assert answered_entry(index, question) == entry_id


def test_a_question_naming_another_subject_is_not_pulled_to_the_meeting(index: FaqIndex) -> None:
    assert answered_entry(index, "when was the stakeholder dialogue") == "dialogue-date"
    assert answered_entry(index, "where is the isu office") == "isu-address"


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("which year", "meeting-dates"),
        ("what month", "meeting-dates"),
        ("which year was the convention negotiated", "adoption-2008"),
        ("who convened the dialogue", "dialogue-organiser"),
        ("how many signatories", "signatories-count"),
    ],
)
def test_the_kind_of_question_prefers_entries_giving_that_kind_of_answer(
    index: FaqIndex, question: str, entry_id: str
) -> None:
    assert answered_entry(index, question) == entry_id


def test_a_wrong_premise_is_corrected_from_the_entry(index: FaqIndex) -> None:
    result = answered(index, "is it in November?")
    assert result.best.entry.id == "meeting-dates"
    assert result.premise is not None and not result.premise.holds
    assert result.note == "No — 10–13 September 2024."


def test_a_right_premise_is_confirmed(index: FaqIndex) -> None:
    result = index.answer("does it start on 10 September?")
    assert result.premise is not None and result.premise.holds
    assert result.note is not None and result.note.startswith("Yes — 10–13 September 2024")


def test_a_wrong_number_is_corrected(index: FaqIndex) -> None:
    result = index.answer("are 150 states parties taking part?")
    assert result.note is not None and result.note.startswith("No — ")
    assert "112" in result.note


def test_a_plain_answer_has_no_note(index: FaqIndex) -> None:
    result = index.answer("When is the 12MSP?")
    assert result.outcome is Outcome.ANSWERED and result.note is None


@pytest.mark.parametrize(
    "question",
    [
        "what does article 21 of the Geneva Conventions say",
        "when is the next Mine Ban Treaty meeting",
        "what did Ukraine say at the meeting",
        "Who wrote Hamlet?",
        "where is the cafeteria of Hamburg",
    ],
)
def test_a_name_or_thing_the_faq_does_not_know_is_not_answered(
    index: FaqIndex, question: str
) -> None:
    result = index.answer(question)
    assert result.outcome in (Outcome.DECLINED, Outcome.NOT_STATED), (question, result)


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("where is the ICRC based", "icrc-participation"),
        ("how many staff does the ICRC have", "icrc-participation"),
        ("who chairs the 2026 Review Conference", "review-conference"),
        ("what does the meeting cost", "what-is-12msp"),
        ("what time does the 12msp start", "meeting-dates"),
        ("what is the ICRC's budget", "icrc-participation"),
        # Asked without "did": still what someone said, which the release does not report.
        ("what the Lithuanian minister said about leaving the convention", "lithuania-withdrawal"),
        ("Do NGOs pay a fee to attend?", "civil-society-participation"),
        ("Can civil society groups still register?", "civil-society-participation"),
        ("what is a submunition, and how it is working?", "convention-prohibition"),
    ],
)
def test_what_the_release_does_not_say_is_said_plainly_with_what_it_does_say(
    index: FaqIndex, question: str, entry_id: str
) -> None:
    result = index.answer(question)
    assert result.outcome is Outcome.NOT_STATED, (question, result.outcome)
    assert result.best is not None and result.best.entry.id == entry_id
    assert result.shows_entry and not result.answered
    assert result.note is not None and result.note.startswith("The release does not")


def test_explain_says_which_signals_made_the_entry_win(index: FaqIndex) -> None:
    explanation = index.explain("location?")
    assert explanation.outcome is Outcome.ANSWERED and explanation.entry_id == "meeting-venue"
    assert explanation.kind is AnswerKind.WHERE
    winner, runner_up = explanation.candidates[:2]
    assert winner.entry_id == "meeting-venue" and winner.score > runner_up.score
    assert winner.subject > runner_up.subject or winner.kind > runner_up.kind
    text = render_explanation(explanation)
    assert "meeting-venue (venue.yaml:" in text and "coverage" in text and "kind where" in text


def test_explain_shows_words_the_faq_does_not_know(index: FaqIndex) -> None:
    explanation = index.explain("who wrote hamlet")
    assert explanation.outcome is Outcome.DECLINED
    assert "hamlet" in [word for word, _ in explanation.unknown]
    assert "hamlet" in render_explanation(explanation)


def _faq_copy(tmp_path: Path) -> Path:
    faq = tmp_path / "faq"
    shutil.copytree(SHIPPED_FAQ_DIR, faq)
    return faq


def test_the_default_subject_is_declared_in_the_faq_data(tmp_path: Path) -> None:
    faq = _faq_copy(tmp_path)
    (faq / "faq.yaml").unlink()
    index = FaqIndex(load_faq(faq))
    assert index.answer("when").outcome is not Outcome.ANSWERED
    assert index.answer("where is the 12msp").outcome is Outcome.ANSWERED


def test_a_subject_entry_that_does_not_exist_is_reported_with_its_line(tmp_path: Path) -> None:
    faq = _faq_copy(tmp_path)
    settings = faq / "faq.yaml"
    settings.write_text(
        settings.read_text().replace("entry: what-is-12msp", "entry: what-is-12mps")
    )
    report = validate_faq_dir(faq)
    assert report.faq is None
    [problem] = report.errors
    assert problem.file.endswith("faq.yaml") and problem.line > 1
    assert "what-is-12mps" in problem.message and "what-is-12msp" in problem.message


def test_an_unknown_answer_kind_is_an_error_with_its_line(tmp_path: Path) -> None:
    faq = _faq_copy(tmp_path)
    venue = faq / "venue.yaml"
    venue.write_text(venue.read_text().replace("answers: [where]", "answers: [wher]", 1))
    report = validate_faq_dir(faq)
    assert report.faq is None
    assert any("venue.yaml" in p.file and "where" in p.message for p in report.errors)
