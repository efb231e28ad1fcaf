"""The sentence encoder behind the lexical engine: loads from its package with no network,
encodes each text once across reloads, finds paraphrases, never overrides a sure answer."""

from __future__ import annotations

import shutil
import socket
import threading
from pathlib import Path

import numpy as np
import pytest
import wordfreq

from bot.engine.encoder import SentenceEncoder
from bot.engine.index import ANSWER_WORDS_ENCODED, FaqIndex, build_index
from bot.engine.loader import load_faq
from bot.engine.models import Outcome
from bot.engine.multilingual import MultilingualIndex
from bot.engine.salience import english_frequencies, english_zipf
from bot.settings import SHIPPED_FAQ_DIR
from tests.engine.asserts import answered, answered_entry


class NetworkUsedError(AssertionError):
    pass


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder()


@pytest.fixture(scope="module")
def plain() -> FaqIndex:
    return FaqIndex(load_faq(SHIPPED_FAQ_DIR))


@pytest.fixture(scope="module")
def encoded(encoder: SentenceEncoder) -> FaqIndex:
    return FaqIndex(load_faq(SHIPPED_FAQ_DIR), encoder=encoder)


def test_the_model_and_word_frequencies_load_without_any_network(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise NetworkUsedError(f"network used: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    # wordfreq's data ships in its package too: read it again with the network refused.
    wordfreq.get_frequency_dict.cache_clear()
    wordfreq.get_frequency_list.cache_clear()
    wordfreq._wf_cache.clear()
    english_frequencies.cache_clear()
    english_zipf.cache_clear()
    assert english_zipf("cafeteria") > 0.0
    fresh = SentenceEncoder()
    vectors = fresh.encode(
        ["when is the meeting", "on which days does the 12MSP take place", "ISU phone number"]
    )
    assert vectors.shape == (3, 512)
    same, other = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert same > other


def test_an_unchanged_faq_is_not_encoded_again_on_reload(
    tmp_path: Path, encoder: SentenceEncoder
) -> None:
    faq_dir = tmp_path / "faq"
    shutil.copytree(SHIPPED_FAQ_DIR, faq_dir)
    FaqIndex(load_faq(faq_dir), encoder=encoder)
    before = encoder.encoded
    FaqIndex(load_faq(faq_dir), encoder=encoder)
    assert encoder.encoded == before
    venue = faq_dir / "venue.yaml"
    venue.write_text(
        venue.read_text().replace(
            "      - 12msp venue\n",
            "      - 12msp venue\n      - whereabouts of the twelfth meeting\n",
            1,
        )
    )
    FaqIndex(load_faq(faq_dir), encoder=encoder)
    assert encoder.encoded == before + 1


def test_warmed_answers_are_not_encoded_again_when_a_question_is_compared_with_them() -> None:
    fresh = SentenceEncoder()
    faq = load_faq(SHIPPED_FAQ_DIR)
    index = FaqIndex(faq, encoder=fresh)
    built = fresh.encoded
    index.warm_answers(keep_going=lambda: False)
    assert fresh.encoded == built
    index.warm_answers()
    answers = {" ".join(e.answer.split()[:ANSWER_WORDS_ENCODED]) for e in faq.entries}
    assert fresh.encoded == built + len(answers)
    # Declined by the words, so the encoder compares it with its hints' answers (two more
    # encodes when they are cold): all warm, only the question itself is encoded.
    before = fresh.encoded
    index.answer("the convention is seen as a way of advancing which goal?")
    assert fresh.encoded == before + 1


def test_a_question_asked_before_the_answers_warm_encodes_none_of_them() -> None:
    fresh = SentenceEncoder()
    faq = load_faq(SHIPPED_FAQ_DIR)
    question = "the convention is seen as a way of advancing which goal?"
    on_demand = FaqIndex(faq, encoder=fresh)
    expected = on_demand.answer(question)  # its hints' answers encoded as it is asked
    served = SentenceEncoder()
    index = FaqIndex(faq, encoder=served)
    index.defer_answers()
    before = served.encoded
    index.answer(question)
    # Only the question itself: its hints' answers wait for the warm-up.
    assert served.encoded == before + 1
    index.warm_answers()
    assert index.answer(question) == expected


def test_a_question_encodes_while_another_thread_runs_the_model() -> None:
    encoder = SentenceEncoder()
    encoder.encode(["when is the meeting"])
    started, release = threading.Event(), threading.Event()
    model = encoder._model

    class Blocking:
        def encode(self, texts: list[str]) -> np.ndarray:
            if "a long answer warming" in texts:
                started.set()
                release.wait(timeout=30)
            return np.asarray(model.encode(texts))

    encoder._model = Blocking()  # type: ignore[assignment]
    warming = threading.Thread(target=encoder.encode, args=(["a long answer warming"],))
    warming.start()
    try:
        assert started.wait(timeout=30)
        # Neither a cached text nor a new one waits for the other thread's batch.
        assert encoder.encode(["when is the meeting"]).shape == (1, 512)
        assert encoder.encode(["who chairs it"]).shape == (1, 512)
        assert warming.is_alive()
    finally:
        release.set()
        warming.join(timeout=30)
    assert encoder.cached(["a long answer warming", "who chairs it"]) is not None
    assert encoder.cached(["never asked"]) is None


def test_build_index_uses_the_encoder_given(encoder: SentenceEncoder) -> None:
    index = build_index(load_faq(SHIPPED_FAQ_DIR), encoder=encoder)
    assert index.encoder is encoder


def test_a_paraphrase_is_answered_and_the_same_of_another_thing_is_not(
    plain: FaqIndex, encoded: FaqIndex
) -> None:
    question = "what did they conclude about military usefulness"
    # The words alone answer it too now (one entry leads clearly, every word known); the
    # encoder must not turn that away, nor answer the same sentence about another thing.
    assert plain.answer(question).outcome is Outcome.ANSWERED
    assert plain.answer(f"{question} of drones").outcome is not Outcome.ANSWERED
    assert answered_entry(encoded, question) == "military-utility"
    # As close a sentence about another thing of the entry's: the release does not say.
    near = encoded.answer(f"{question} of drones")
    assert near.outcome is Outcome.NOT_STATED and near.note is not None
    assert "drones" in near.note


def test_the_encoder_agreeing_with_the_words_first_hint_answers(
    plain: FaqIndex, encoded: FaqIndex
) -> None:
    # The words' first hint is the prohibition; the encoder finds it closest, clearly,
    # though below its own paraphrase gate: the two agree.
    question = "How is the convention's prohibition on use being tested today?"
    declined = plain.answer(question)
    assert declined.outcome is Outcome.DECLINED
    assert declined.alternatives[0].entry.id == "convention-prohibition"
    result = answered(encoded, question)
    assert result.best.entry.id == "convention-prohibition"
    assert result.reason is not None and "first hint" in result.reason


def test_the_first_hint_whose_answer_the_encoder_finds_closest_answers(
    plain: FaqIndex, encoded: FaqIndex
) -> None:
    # Declined by the words ("assessed", "independently", "factors" are not the entry's),
    # but the entry's answer is, clearly, the closest to the question of the hints' answers.
    question = "May military usefulness be assessed by itself, independently of other factors?"
    declined = plain.answer(question)
    assert declined.outcome is Outcome.DECLINED
    assert declined.alternatives[0].entry.id == "military-utility"
    result = answered(encoded, question)
    assert result.best.entry.id == "military-utility"
    assert result.reason is not None and "whose answer" in result.reason
    # Out of scope near the domain, the answers are not close enough: still declined.
    for near in ("What time is lunch served?", "how many employees does the ISU have"):
        assert encoded.answer(near).outcome is not Outcome.ANSWERED
    # Another thing of the same entry's: the answer is as close, but the release does not
    # mention that thing, and the note says so.
    near = encoded.answer(
        "May the military usefulness of drones be assessed independently of other factors?"
    )
    assert near.outcome is Outcome.NOT_STATED and near.note is not None
    assert "drones" in near.note


@pytest.mark.parametrize(
    "question",
    ["Which countries still manufacture cluster munitions?", "which nations produce the weapon"],
)
def test_what_the_encoder_picks_or_agrees_on_says_what_the_release_does_not(
    plain: FaqIndex, encoded: FaqIndex, question: str
) -> None:
    # The conflicts' entry declares the release silent on production: whether the words
    # decide or the encoder picks among their choices, the answer says so.
    for index in (plain, encoded):
        result = index.answer(question)
        assert result.outcome is Outcome.NOT_STATED and result.best is not None
        assert result.best.entry.id == "use-in-conflicts"
        assert result.note is not None and "release does not mention" in result.note


@pytest.mark.parametrize(
    "question",
    [
        "When is the 12MSP?",
        "where is it",
        "how many states parties",
        "lithuania withdrawal",
        "is it in November?",
        "who chairs the 2026 Review Conference",
        "Who wrote Hamlet?",
        "what does article 21 of the Geneva Conventions say",
    ],
)
def test_the_encoder_never_changes_a_sure_lexical_verdict(
    plain: FaqIndex, encoded: FaqIndex, question: str
) -> None:
    lexical = plain.answer(question)
    if lexical.outcome in (Outcome.ANSWERED, Outcome.NOT_STATED):
        second = encoded.answer(question)
        assert second.outcome is lexical.outcome
        assert second.best == lexical.best and second.note == lexical.note
    if lexical.outcome is Outcome.DECLINED and "Hamlet" in question:
        assert encoded.answer(question).outcome is Outcome.DECLINED


def test_embeddings_are_unit_vectors(encoder: SentenceEncoder) -> None:
    norms = np.linalg.norm(encoder.encode(["a", "the meeting of states parties"]), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-3)


@pytest.fixture(scope="module")
def languages(encoded: FaqIndex) -> MultilingualIndex:
    return MultilingualIndex(encoded)


def test_a_french_question_with_an_english_word_is_answered_in_french(
    languages: MultilingualIndex,
) -> None:
    reply = languages.answer("quand a lieu le meeting ?")
    assert reply.language == "fr" and reply.answer.outcome is Outcome.ANSWERED
    assert reply.answer.best is not None and reply.answer.best.entry.id == "meeting-dates"


def test_across_languages_the_encoder_only_answers_the_kind_of_question_asked(
    languages: MultilingualIndex,
) -> None:
    """ "Cuándo" asks for a date: the venue, however close the sentence, is only offered."""
    reply = languages.answer("cuando es el meeting de la CCM")
    assert reply.language == "es"
    if reply.answer.outcome is Outcome.ANSWERED:
        assert reply.answer.best is not None and reply.answer.best.entry.id == "meeting-dates"
    assert "meeting-dates" in {c.entry.id for c in reply.answer.alternatives} | {
        reply.answer.best.entry.id if reply.answer.best else ""
    }


def test_each_translation_is_encoded_in_its_own_words_once(
    languages: MultilingualIndex, encoder: SentenceEncoder
) -> None:
    """A French question is compared with the French phrasings too (its index's encoder
    picks among its did-you-mean choices), and a reload encodes nothing again."""
    french = languages.indexes["fr"]
    question = french.faq.by_id["meeting-dates"].question
    at = [e.id for e in french.faq.entries].index("meeting-dates")
    own, english = (
        french.phrase_similarities(question),
        languages.english.phrase_similarities(question),
    )
    assert own is not None and english is not None
    assert own[at] > 0.99 > english[at]
    before = encoder.encoded
    MultilingualIndex(FaqIndex(load_faq(SHIPPED_FAQ_DIR), encoder=encoder))
    assert encoder.encoded == before
