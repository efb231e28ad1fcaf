"""Questions worded the way people who never read the FAQ ask: common words that are not
typos, asides and frames around the question, the asker's own situation, verbs of the
asking, the vocabulary of each entry's concepts, and the encoder agreeing with the words."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from bot.engine.index import ANSWER_WORDS_ENCODED, FaqIndex
from bot.engine.loader import load_faq
from bot.engine.models import AnswerKind, Faq, Outcome
from bot.engine.questions import asked_text, question_parts
from bot.settings import SHIPPED_FAQ_DIR
from tests.engine.asserts import answered, answered_entry


@pytest.fixture(scope="module")
def faq() -> Faq:
    return load_faq(SHIPPED_FAQ_DIR)


@pytest.fixture(scope="module")
def index(faq: Faq) -> FaqIndex:
    return FaqIndex(faq)


def test_a_common_english_word_is_not_read_as_a_typo_of_an_faq_word(index: FaqIndex) -> None:
    # "present" is one letter from nothing the FAQ has and common in English: it is not
    # "president" (which made the question about the Presidency and declined it).
    result = answered(index, "Is it true that 150 States Parties will be present?")
    assert result.best.entry.id == "states-parties-count"
    assert result.note == "No — 112 States Parties."
    terms = {t.term for t in index.explain("will they be present").terms}
    assert "present" in terms and "presid" not in terms


def test_an_aside_inside_a_question_is_left_out(index: FaqIndex) -> None:
    result = index.answer(
        "What, apart from the meeting itself, did the dialogue identify as key challenges?"
    )
    assert result.outcome is Outcome.ANSWERED and result.best is not None
    assert result.best.entry.id == "challenges-overview"
    assert result.also == ()


def test_a_phrase_that_only_sets_the_frame_is_not_a_question_of_its_own(
    index: FaqIndex,
) -> None:
    question = "Under the convention, are member states meant to bring in non-members?"
    assert question_parts(question) == [question]
    result = index.answer(question)
    assert result.best is not None and result.best.entry.id == "encourage-joining"
    assert result.also == ()
    # A real second question after a comma still splits.
    assert len(question_parts("how many attend, and when is the review conference?")) == 2


def test_what_a_message_asks_is_read_without_the_askers_own_situation() -> None:
    assert (
        asked_text("I represent a survivors' network. Besides governments, who takes part?")
        == "Besides governments, who takes part"
    )
    # A part about the asker that asks something itself stays.
    assert asked_text("can I join the meeting online?") == "can I join the meeting online?"
    assert "which body presides" in asked_text(
        "As a matter of form, may I ask which body presides - is it the ISU?"
    )


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # A participle next to "of" is a verb of the asking, not a thing the release omits.
        (
            "Were any States Parties suspected of allowing transit of cluster munitions "
            "across their territory?",
            "weapons-transfers",
        ),
        # How the asker wants it told says nothing of what it is about.
        ("How did the release characterise the transfers?", "weapons-transfers"),
        # "talked about" wraps the subject; the guardrail is what is asked.
        ("what is the guardrail they talked about", "guardrail"),
    ],
)
def test_the_words_of_the_asking_do_not_sink_or_silence_a_question(
    index: FaqIndex, question: str, entry: str
) -> None:
    assert answered_entry(index, question) == entry


def test_forms_of_one_word_are_one_reading_of_an_abbreviation(index: FaqIndex) -> None:
    # "lith" begins "lithuania" and "lithuanian": the same word, not an ambiguity.
    result = index.answer("lith exit?")
    assert result.best is not None and result.best.entry.id == "lithuania-withdrawal"


class _StubEncoder:
    """Every phrasing of an entry encodes to that entry's axis; a question to the mix the
    test chooses, so the encoder's likeness of each entry is exactly what the test says.
    Answers have axes of their own: no answer is like any question."""

    def __init__(self, faq: Faq, likeness: dict[str, float]) -> None:
        self.axis = {e.id: i for i, e in enumerate(faq.entries)}
        self.owner = {p: e.id for e in faq.entries for p in (e.question, *e.aliases)}
        self.answer_axis = {
            " ".join(e.answer.split()[:ANSWER_WORDS_ENCODED]): len(faq.entries) + i
            for i, e in enumerate(faq.entries)
        }
        self.size = 2 * len(faq.entries) + 1
        self.likeness = likeness

    def _unit(self, weights: dict[int, float]) -> np.ndarray:
        vector = np.zeros(self.size, dtype=np.float32)
        for axis, weight in weights.items():
            vector[axis] = weight
        rest = 1.0 - float(vector @ vector)
        vector[-1] = np.sqrt(max(rest, 0.0))
        return vector

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.vstack(
            [
                self._unit(
                    {
                        self.answer_axis[t]
                        if t in self.answer_axis
                        else self.axis[self.owner[t]]: 1.0
                    }
                )
                for t in texts
            ]
        )

    def encode_question(self, text: str) -> np.ndarray:
        return self._unit({self.axis[e]: v for e, v in self.likeness.items()})

    def similarities(self, vectors: np.ndarray, vector: np.ndarray) -> np.ndarray:
        return vectors @ vector


def test_the_encoder_agreeing_with_the_first_hint_answers_below_its_paraphrase_gate(
    faq: Faq, index: FaqIndex
) -> None:
    question = "how can advocacy improve"
    declined = index.answer(question)
    assert declined.outcome is Outcome.DECLINED
    assert declined.alternatives and declined.alternatives[0].entry.id == "advocacy"
    # 0.55 is below the paraphrase gate (0.63), but the words' first hint and the
    # encoder's clearly closest entry are the same: two signals agree.
    agreeing = FaqIndex(faq, encoder=_StubEncoder(faq, {"advocacy": 0.55, "guardrail": 0.3}))  # type: ignore[arg-type]
    answered = agreeing.answer(question)
    assert answered.outcome is Outcome.ANSWERED and answered.best is not None
    assert answered.best.entry.id == "advocacy"
    # The encoder preferring another entry, or not clearly, is no such evidence.
    for likeness in (
        {"implementation-support": 0.55, "advocacy": 0.3},
        {"advocacy": 0.55, "guardrail": 0.5},
    ):
        other = FaqIndex(faq, encoder=_StubEncoder(faq, likeness))  # type: ignore[arg-type]
        assert other.answer(question).outcome is not Outcome.ANSWERED


def test_a_typo_one_letter_from_a_stop_word_is_that_stop_word(index: FaqIndex) -> None:
    # "bein" is "being" (a stop word) before it is "begin" (the dates' word).
    assert answered_entry(index, "were is it bein held") == "meeting-venue"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("which conflicts were explicitly named", "use-in-conflicts"),
        ("how many states parties are realistically coming", "states-parties-count"),
    ],
)
def test_an_adverb_the_faq_does_not_know_neither_sinks_nor_silences_a_question(
    index: FaqIndex, question: str, entry: str
) -> None:
    assert answered_entry(index, question) == entry


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # "art 21" is the article, not a speaker whose words the release does not report.
        ("what does art 21 say about non parties", "article-21"),
        # The meeting's month as delegates abbreviate it.
        ("starts 10 sept?", "meeting-dates"),
        # A request asks for what follows it: "send" is not the signatories' "sending".
        ("can u send me the msp link", "website-12msp"),
    ],
)
def test_shorthands_and_requests_reach_the_entry_they_ask_for(
    index: FaqIndex, question: str, entry: str
) -> None:
    assert answered_entry(index, question) == entry


def test_another_month_abbreviated_is_still_checked_as_a_premise(index: FaqIndex) -> None:
    result = index.answer("is it in nov?")
    assert result.best is not None and result.best.entry.id == "meeting-dates"
    assert result.note == "No — 10–13 September 2024."


def test_a_word_describing_what_the_entry_covers_is_not_another_thing(index: FaqIndex) -> None:
    # "tough" before "security", which the entry covers, describes it: not "not stated".
    result = index.answer(
        "Does the tough security situation explain why the disarmament debate has come back?"
    )
    assert result.outcome is Outcome.ANSWERED and result.best is not None
    assert result.best.entry.id == "security-environment"
    # A thing of its own next to what the entry covers still is one.
    budget = index.answer("what does the ICRC budget look like")
    assert budget.outcome is Outcome.NOT_STATED and budget.note is not None
    assert "budget" in budget.note


def test_what_the_readout_says_asks_what_the_release_says(index: FaqIndex) -> None:
    # The readout is the release itself, not a speaker whose words it does not report.
    assert (
        answered_entry(index, "What does the readout say about whether the rules hold in wartime?")
        == "rules-in-war"
    )
    russia = index.answer("What did Russia say about the rules in war?")
    assert russia.outcome is Outcome.NOT_STATED


@pytest.mark.parametrize(
    "question", ["quotes from the 2008 negotiations?", "a quote by someone who negotiated in 2008"]
)
def test_a_quote_from_someone_asks_what_was_said_not_when(index: FaqIndex, question: str) -> None:
    # "2008" and "negotiated" are the adoption's words too; a quote asks what was said.
    assert answered_entry(index, question) == "win-wars-quote"


def test_a_terse_note_with_a_wrong_value_gets_no_and_the_fact(index: FaqIndex) -> None:
    result = answered(index, "3rd review conference 2025?")
    assert result.best.entry.id == "review-conference"
    assert result.note == "No — 2026."
    count = index.answer("signatories 15?")
    assert count.best is not None and count.best.entry.id == "signatories-count"
    assert count.note == "No — 12 treaty Signatories."


def test_a_plural_is_as_common_as_its_singular(index: FaqIndex) -> None:
    # "considerations" (zipf 3.7) is the plural of an ordinary word (4.3): not a rare thing
    # the release does not mention.
    result = index.answer(
        "Can military usefulness be weighed separately from other considerations?"
    )
    assert result.outcome is Outcome.ANSWERED and result.best is not None
    assert result.best.entry.id == "military-utility"


@pytest.mark.parametrize(
    "question",
    [
        "I represent a veterans association. What kinds of participants are expected?",
        "our ministry represents several governments: what kinds of participants are expected?",
    ],
)
def test_what_kinds_of_participants_is_asked_without_the_askers_scene(
    index: FaqIndex, question: str
) -> None:
    # "represent", "association", "governments" are the asker's; "what kinds of
    # participants" asks who they are, not how many States come.
    assert answered_entry(index, question) == "participants"


def test_for_instance_frames_an_example_it_names_no_new_thing(index: FaqIndex) -> None:
    assert (
        answered_entry(
            index, "Are any aid groups represented at the meeting, the ICRC for instance?"
        )
        == "icrc-participation"
    )


@pytest.mark.parametrize(
    ("question", "not_this"),
    [
        # "still" is in a phrasing of the legitimacy entry ("still valid"): no evidence.
        ("is the meeting still on?", "military-legitimacy"),
    ],
)
def test_an_adverb_of_time_lends_an_entry_little(
    index: FaqIndex, question: str, not_this: str
) -> None:
    result = index.answer(question)
    assert result.best is None or result.best.entry.id != not_this


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        # The quoted text is where the asker read it, not a thing the release omits.
        ("What goal is stated in the quoted text of Article 21?", "article-21"),
    ],
)
def test_how_a_question_points_at_the_text_is_not_what_it_asks(
    index: FaqIndex, question: str, entry_id: str
) -> None:
    assert answered_entry(index, question) == entry_id


def test_a_list_the_question_refers_to_is_not_a_thing_the_release_omits(index: FaqIndex) -> None:
    # "the list of participants" frames where the asker saw the name: the release need not
    # mention a list for the entry to answer.
    assert (
        answered_entry(index, "What does ICRC mean in the list of participants?")
        == "icrc-participation"
    )


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("When is the meeting and who is coming?", "meeting-dates"),
        ("where is it and who comes?", "meeting-venue"),
    ],
)
def test_two_questions_each_with_its_question_word_are_two_questions(
    index: FaqIndex, question: str, first: str
) -> None:
    # Together their words matched an entry neither asks about (where the release "comes
    # from"); each part is a question of its own.
    result = answered(index, question)
    assert result.best.entry.id == first
    assert [c.entry.id for c in result.also] == ["participants"]


def test_a_tag_alone_does_not_get_the_meetings_card(index: FaqIndex) -> None:
    # "is that correct" asks about the claim before it, not about the meeting in general.
    assert asked_text("My colleague says it lasts five days - is that correct?").startswith("My")
    result = index.answer("My colleague says the meeting lasts five days - is that correct?")
    assert result.best is None or result.best.entry.id != "what-is-12msp"


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        # "the function of": a noun, not "how does it function" (a definition).
        (
            "How did participants describe the function of the IHL norms enshrined in the CCM?",
            "guardrail",
        ),
        # "the PO box number of": a thing named, not a count.
        ("PO box number of the support unit?", "isu-address"),
        # "discourage who": the entry names whom (States not party).
        ("States Parties must discourage who from using cluster munitions?", "discourage-use"),
        # The closing paragraph reporting the Presidency's remarks mentions it.
        (
            "What implementation support mechanisms did the Presidency mention?",
            "implementation-support",
        ),
    ],
)
def test_nouns_like_function_or_box_number_do_not_set_the_kind_of_answer(
    index: FaqIndex, question: str, entry_id: str
) -> None:
    assert answered_entry(index, question) == entry_id


@pytest.mark.parametrize(
    "question",
    [
        "How many conflicts with cluster munition use does the release name?",
        "How many ongoing conflicts are named where the weapon is being used?",
    ],
)
def test_a_count_of_what_the_release_names_is_answered_by_its_list(
    index: FaqIndex, question: str
) -> None:
    # The release names four countries; no entry states a count, the list gives it.
    assert answered_entry(index, question) == "use-in-conflicts"


def test_a_count_the_release_does_not_name_is_still_not_stated(index: FaqIndex) -> None:
    result = index.answer("how many cluster munitions has Ukraine received")
    assert result.outcome is not Outcome.ANSWERED


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("What do participants think these developments indicate?", "ihl-weakening"),
        (
            "How is the Convention positioned in relation to peace, security and"
            " development goals?",
            "cross-cutting-goals",
        ),
        (
            "Is an action plan envisaged in connection with the 2026 Review Conference?",
            "review-conference",
        ),
    ],
)
def test_verbs_of_judging_frame_the_question_they_are_not_its_subject(
    index: FaqIndex, question: str, entry_id: str
) -> None:
    # "think", "positioned", "envisaged": how the release regards a thing, not a new thing.
    assert answered_entry(index, question) == entry_id


def test_a_verb_after_still_that_the_faq_does_not_know_is_what_the_release_omits(
    index: FaqIndex,
) -> None:
    # "making" is common English, but after "still" it is what is asked: not the
    # withdrawal entry, whose words ("countries", "cluster munitions") merely overlap.
    result = index.answer("which countries are still making cluster munitions")
    assert result.outcome is not Outcome.ANSWERED
    assert result.best is None or result.best.entry.id != "lithuania-withdrawal"
    kept = index.answer("Do the arguments against the military legitimacy still hold?")
    assert kept.outcome is Outcome.ANSWERED and kept.best is not None
    assert kept.best.entry.id == "military-legitimacy"


def test_sits_in_a_place_asks_where_a_body_is(index: FaqIndex) -> None:
    result = answered(index, "The Implementation Support Unit sits in New York, yes?")
    assert result.best.entry.id == "isu-address"
    assert result.note is not None and result.note.startswith("No —")


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("Who should advocacy efforts be broadened to include?", "advocacy"),
        ("Between which kinds of states did those transfers take place?", "weapons-transfers"),
    ],
)
def test_an_entry_far_ahead_answers_though_the_asker_words_it_otherwise(
    index: FaqIndex, question: str, entry_id: str
) -> None:
    assert answered_entry(index, question) == entry_id


@pytest.mark.parametrize(
    "question",
    [
        "Which hotel should I book?",
        "when was the UN founded",
        "do I need to go to Lausanne for the meeting?",
    ],
)
def test_a_clear_lead_lacking_a_silent_topic_a_name_or_the_meeting_is_still_declined(
    index: FaqIndex, question: str
) -> None:
    assert index.answer(question).outcome is not Outcome.ANSWERED


def test_mtg_is_the_meeting(index: FaqIndex) -> None:
    assert answered_entry(index, "where is the ccm mtg") == "meeting-venue"


@pytest.mark.parametrize(
    ("question", "entry", "span"),
    [
        (
            "How many years will pass between the 2008 negotiations and the review conference?",
            "adoption-2008",
            "eighteen years",
        ),
        ("how many years after this meeting is the third review conference", None, "two years"),
        ("how many days after the press release does the meeting open", None, "five days"),
    ],
)
def test_a_span_of_years_or_days_between_two_dates_is_answered_with_the_span(
    index: FaqIndex, question: str, entry: str | None, span: str
) -> None:
    # "how many years after X" sets one date against another (when), neither a count of
    # things nor how long something lasts: the entries of dates give the spans.
    result = answered(index, question)
    assert result.best is not None and entry in (None, result.best.entry.id)
    assert span in result.best.entry.answer
    assert index.explain(question).kind is AnswerKind.WHEN


def test_the_sum_and_difference_of_the_announced_states_are_answered(index: FaqIndex) -> None:
    result = answered(index, "total number of states, parties plus signatories, attending?")
    assert result.best is not None and "124 States in all" in result.best.entry.answer
    result = answered(index, "how many more states parties than signatories are coming")
    assert result.best is not None and "100 " in result.best.entry.answer


def test_a_request_for_a_summary_is_how_to_tell_it_not_what_about(index: FaqIndex) -> None:
    # "tl;dr" is one word, and a word the dialogue entry has ("summary", "tldr"): after
    # what is asked about, it must not pull the question to that entry.
    assert answered_entry(index, "key discussion areas tl;dr") == "key-areas"
    assert answered_entry(index, "summary of the key areas for discussion pls") == "key-areas"
    tldr = answered(index, "tldr of the press release?")
    assert tldr.best is not None and "10–13 September" in tldr.best.entry.answer


def test_a_heading_and_a_participle_frame_are_part_of_the_question_after_them(
    index: FaqIndex,
) -> None:
    question = "Quick arithmetic check: counting inclusively, how many days is the 12MSP?"
    assert question_parts(question) == [question]
    result = answered(index, question)
    assert result.best is not None and result.best.entry.id == "meeting-duration"
    assert result.also == ()


def test_each_link_of_the_release_names_the_other(index: FaqIndex) -> None:
    result = answered(index, "what docs are linked in the release")
    assert result.best is not None and "Lausanne" in result.best.entry.answer


def test_a_count_of_something_no_entry_counts_is_not_stated(index: FaqIndex) -> None:
    # The entries' numbers count States (or conflicts, transfers, days): "how many
    # submunitions were destroyed" asks a number the release does not give.
    result = index.answer("How many submunitions have States Parties destroyed to date?")
    assert result.outcome is not Outcome.ANSWERED
    assert answered_entry(index, "how many signatries r coming") == "signatories-count"
    assert answered_entry(index, "how many sp attending?") == "states-parties-count"


def test_the_us_in_lowercase_is_the_country(index: FaqIndex) -> None:
    # "the us" is never the pronoun: a place the release does not mention.
    result = index.answer("is the us a party to the ccm")
    assert result.outcome is Outcome.NOT_STATED and result.note is not None
    assert "USA" in result.note
    assert answered_entry(index, "can you tell us the dates") == "meeting-dates"


def test_the_states_of_the_transfers_are_not_named(index: FaqIndex) -> None:
    result = index.answer("which states were involved in the five weapons transfers")
    assert result.outcome is Outcome.NOT_STATED
    assert answered_entry(index, "how many transfers were there") == "weapons-transfers"


def test_a_guess_after_the_question_is_checked_against_the_answer(index: FaqIndex) -> None:
    # The guess ("new york") is not a word of what is asked: the question before it is
    # answered, and the guess contradicted.
    result = answered(index, "where's the msp being held, new york?")
    assert result.best is not None and result.best.entry.id == "meeting-venue"
    assert result.note == "No — At UN Geneva."
