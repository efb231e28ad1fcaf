"""The matcher as delegates meet it: right answers, honest declines, choices when unsure."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bot.engine.index import FaqIndex
from bot.engine.loader import load_faq
from bot.engine.models import Outcome
from bot.engine.text import fold, terms
from bot.settings import SHIPPED_FAQ_DIR
from tests.engine.asserts import answered_entry


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("where is the meeting held?", "meeting-venue"),
        ("WHEN IS THE 12MSP???", "meeting-dates"),
        ("when does the twelfth msp take place", "meeting-dates"),
        ("how many state parties attend", "states-parties-count"),
        ("Is the Red Cross there?", "icrc-participation"),
        ("what does art. 21 require", "article-21"),
        ("who is withdrawing from the CCM", "lithuania-withdrawal"),
        ("email address of the implementation support unit", "isu-email"),
        ("lausanne action plan", "lausanne-action-plan"),
    ],
)
def test_plain_questions_get_the_right_entry(index: FaqIndex, question: str, entry_id: str) -> None:
    assert answered_entry(index, question) == entry_id


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("wher is the meetng", "meeting-venue"),
        ("lithuanai withdrawl", "lithuania-withdrawal"),
        ("isu telephone nummber", "isu-phone"),
    ],
)
def test_typos_are_tolerated(index: FaqIndex, question: str, entry_id: str) -> None:
    result = index.answer(question)
    assert result.best is not None and result.best.entry.id == entry_id, result


def test_british_and_american_spellings_match_alike(index: FaqIndex) -> None:
    organised = index.answer("who organised the stakeholder dialogue")
    organized = index.answer("who organized the stakeholder dialogue")
    assert organised.best and organized.best
    assert organised.best.entry.id == organized.best.entry.id == "dialogue-organiser"


def test_abbreviations_mean_the_same_as_their_full_form(index: FaqIndex) -> None:
    short = index.answer("what is the ICRC's role")
    full = index.answer("what is the International Committee of the Red Cross's role")
    assert short.best and full.best and short.best.entry.id == full.best.entry.id


@pytest.mark.parametrize(
    "question",
    [
        "What is the weather like in Geneva tomorrow?",
        "Who wrote Hamlet?",
        "tell me a joke",
        "qwertyuiop asdf",
        "What is article 5 about?",
        "how do I reset my Discord password",
        "best pizza near the lake",
    ],
)
def test_out_of_scope_questions_are_declined(index: FaqIndex, question: str) -> None:
    result = index.answer(question)
    assert result.outcome is Outcome.DECLINED, result
    assert result.best is None


def test_a_question_naming_no_subject_is_about_the_meeting(index: FaqIndex) -> None:
    """The FAQ declares the 12MSP its default subject (faq/faq.yaml)."""
    assert answered_entry(index, "where is it") == "meeting-venue"


def test_an_ambiguous_question_offers_choices_instead_of_guessing(index: FaqIndex) -> None:
    result = index.answer("the weapon")
    assert result.outcome is Outcome.SUGGESTED, result
    assert 2 <= len(result.alternatives) <= 3


def test_an_answer_comes_with_ranked_alternatives_and_the_faq_version(index: FaqIndex) -> None:
    result = index.answer("when is the 12msp")
    assert result.best is not None
    scores = [result.best.score, *(c.score for c in result.alternatives)]
    assert scores == sorted(scores, reverse=True)
    assert result.best.entry.id not in [c.entry.id for c in result.alternatives]
    assert result.faq_version == index.faq.version


@pytest.mark.parametrize(
    "question",
    [
        "",
        "   \n\t ",
        "where " * 2000,
        "x" * 10_000,
        "🙂🎉🔥",
        "\x00\x07\x1b[31mwhere\x1b[0m is the meeting",
        "会议在哪里举行？",
        "Где проходит встреча?",
        "<@123456789012345678> <@&987654321098765432> @everyone where is the meeting",
        "**where** _is_ `the` ~~meeting~~ > ||spoiler||",
        "\u202eeteem eht si erehw",
    ],
)
def test_hostile_input_never_crashes(index: FaqIndex, question: str) -> None:
    result = index.answer(question)
    assert result.outcome in set(Outcome)
    if result.outcome is Outcome.ANSWERED:
        assert result.best is not None


def test_empty_input_is_refused_with_a_reason(index: FaqIndex) -> None:
    result = index.answer("  ")
    assert result.outcome is Outcome.REFUSED and result.reason


def test_discord_markup_is_ignored_when_matching(index: FaqIndex) -> None:
    plain = index.answer("where is the meeting")
    marked = index.answer("<@123456789012345678> **where** is the `meeting`?")
    assert plain.best and marked.best and plain.best.entry.id == marked.best.entry.id


def test_fold_strips_accents_case_dashes_and_mentions() -> None:
    assert fold("Eugène–Rigot <@12345> ÉTATS—Parties!") == "eugene rigot etats parties"


def test_terms_drop_stop_words_and_stem() -> None:
    assert terms("Where are the meetings being held?") == ["where", "meet", "held"]


def test_autocomplete_suggests_matching_questions_within_limits(index: FaqIndex) -> None:
    assert index.suggest("lithu", 5)[0].id == "lithuania-withdrawal"
    assert len(index.suggest("", 25)) == 25
    assert len(index.suggest("x" * 10_000, 25)) <= 25


def test_a_moderator_synonym_changes_what_matches(tmp_path: Path) -> None:
    faq_dir = tmp_path / "faq"
    shutil.copytree(SHIPPED_FAQ_DIR, faq_dir)
    before = FaqIndex(load_faq(faq_dir)).answer("where is the gathering held")
    synonyms = faq_dir / "synonyms.yaml"
    # As a moderator would: to the meeting's own line if it has one ("mtg"), else a new one.
    text = synonyms.read_text(encoding="utf-8")
    edited = text.replace("\n  meeting: [", "\n  meeting: [gathering, ", 1)
    synonyms.write_text(
        edited if edited != text else text + "  meeting: [gathering]\n", encoding="utf-8"
    )
    after = FaqIndex(load_faq(faq_dir)).answer("where is the gathering held")
    assert not (before.answered and before.best and before.best.entry.id == "meeting-venue")
    assert after.answered and after.best and after.best.entry.id == "meeting-venue"


def test_words_at_the_end_of_a_long_answer_are_still_indexed() -> None:
    base = load_faq(SHIPPED_FAQ_DIR)
    entry = base.by_id["meeting-venue"]
    long_answer = entry.answer + " filler" * 500 + " kaleidoscope"
    entries = tuple(replace(e, answer=long_answer) if e is entry else e for e in base.entries)
    faq = replace(base, entries=entries)
    ranked = FaqIndex(faq).rank("kaleidoscope")
    assert [c.entry.id for c in ranked] == ["meeting-venue"]
