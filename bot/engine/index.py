"""The matcher: an immutable index over one FAQ version that turns questions into answers.

Scoring, per entry:
- coverage: the share of the question's meaning (its terms, weighted by rarity) that the entry's
  question, aliases and keywords contain; words found only in the answer count for less, and
  typo-corrected words count by how close they were. This is the confidence: an out-of-scope
  question ("weather in Paris") has words the FAQ does not know, so its coverage is low.
- phrase: how close the question is, as a whole, to the entry's best question or alias
  (rapidfuzz token sort ratio over stems), so extra or missing words cost something.
- weight: BM25 over question, aliases and keywords, so an entry that says a word often
  (many "where" aliases) wins a one-word question.
- subject: a share of the FAQ's default subject (the 12MSP) the entry names, so a question
  that names no other subject ("when?", "location?") gets the meeting's entry.
- kind: an entry that answers the question's kind (when, where, how many...) gains, one that
  declares other kinds loses; a question only a mismatched entry covers gets "the release
  does not say".

Words the FAQ does not know weigh by how rare they are in general English (`salience`): a
name or a topical word ("Hamlet", "Ottawa") sinks a question, a filler word does not.
"""

from __future__ import annotations

import gc
import heapq
import logging
import math
import re
import time
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from itertools import chain
from operator import itemgetter

import numpy as np
from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import OSA

from bot.engine.encoder import SentenceEncoder, loaded_encoder
from bot.engine.explain import EntrySignals, Explanation, QueryTerm
from bot.engine.intent import ENGLISH_PLACE_WORDS, Intent, check_premise, read_intent
from bot.engine.meetings import NumberedMeetings
from bot.engine.models import (
    Answer,
    AnswerKind,
    Candidate,
    Faq,
    FaqEntry,
    Outcome,
    PremiseCheck,
)
from bot.engine.questions import (
    OPENING_QUESTION,
    REQUEST_FRAME,
    TAG_ONLY,
    asked_text,
    checked_value,
    question_clauses,
    question_options,
    question_parts,
)
from bot.engine.salience import PLACE_NAME_WORDS, Salience, english_zipf, place_names
from bot.engine.silence import (
    ASKING_WORDS,
    ASPECT_WORDS,
    SUMMING_UP_WORDS,
    Lexicon,
    is_adverb,
    silence,
    unchecked_name,
)
from bot.engine.text import (
    MAX_QUESTION_CHARS,
    QUESTION_TERMS,
    REFERENCE_WORDS,
    STOP_WORDS,
    Synonyms,
    fold,
    join_references,
    split_each,
    stem,
    words,
)

log = logging.getLogger(__name__)

ANSWER_WORDS_ENCODED = 45
"""Words of each answer the encoder compares questions with (`Thresholds.encoder_answer_text`):
the opening words carry the fact, and a long text takes the encoder longer."""
ANSWER_WARM_BATCH = 4
"""Answers `FaqIndex.warm_answers` encodes per turn, between its `keep_going` checks (the
encoder runs its model outside its lock: a question never waits for a turn)."""


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where the engine draws its lines; tuned on the dev set, checked on held-out questions."""

    min_coverage: float = 0.6
    lead_coverage: float = 0.5
    """Coverage from which an English question's best entry answers below `min_coverage`,
    when it knows every word of the question and leads the next entry by `lead_margin`."""
    lead_margin: float = 0.1
    answer: float = 0.5
    margin: float = 0.03
    suggest: float = 0.4
    hint_coverage: float = 0.34
    weak_field: float = 0.45
    silent_field: float = 0.8
    """How much a word of an entry's `not_stated` topics counts for it (answer words: 0.45)."""
    question_word: float = 0.5
    """Weight of where/when/who... relative to their rarity: they say what kind of answer is
    wanted, the other words say what it is about."""
    typo_cutoff: float = 80.0
    unknown_rarity: float = 3.0
    """An unknown word weighs like a word found in this many entries."""
    phrase_extra: float = 0.5
    """How much a phrase's words the question lacks count against it, relative to the
    question's own words: less, since one expanded abbreviation (12MSP) is several words."""
    autocomplete: float = 0.3
    """Matcher score from which a guess leads the autocomplete list."""
    silent_zipf: float = 5.3
    """A word the FAQ does not know, at most this common in English ("budget", "hotel",
    "population"), left uncovered by an otherwise matching entry: the question asks about
    something next to the entry that the release does not mention."""
    about_margin: float = 0.15
    """Coverage by which a kind-mismatched entry beats the winner to be what the question is
    about ("who chairs the 2026 Review Conference": the conference, not the agenda)."""
    encoder_pick: float = 0.6
    """Sentence-encoder similarity from which it picks one of the engine's choices ..."""
    encoder_margin: float = 0.06
    """... when that far ahead of the next choice."""
    encoder_answer: float = 0.63
    """Similarity from which the encoder answers a question the engine declined (only an
    entry the engine found some support for). At 0.6 it answered release-silent questions
    of the tuning sets ("is the meeting open to the general public", 0.62); the paraphrases
    it gets right there are all at 0.64 or more."""
    encoder_agree: float = 0.5
    """Similarity from which the encoder answers a declined English question whose first
    hint (the engine's closest entry) is also the encoder's closest: two signals agreeing.
    At 0.45 it answered "explain quantum entanglement simply"."""
    encoder_agree_margin: float = 0.08
    """... when that far ahead of the encoder's next entry."""
    encoder_answer_text: float = 0.35
    """Likeness of the question to the first hint's answer text from which it answers a
    declined English question, when no other answer is as close (`encoder_answer_text_margin`)."""
    encoder_answer_text_margin: float = 0.03
    encoder_suggest: float = 0.45
    """Similarity from which the encoder offers entries ("Did you mean...?")."""
    rare_zipf: float = 3.8
    """Any uncovered word at most this common ("cafeteria", "headquartered") makes it not
    stated, noun or not (verbs of the asking are commoner: "relaxed" 4.0, "cited" 4.3)."""
    word_zipf: float = 4.5
    """An English word at least this common is never read as a typo of an FAQ word."""
    stop_typo_zipf: float = 4.5
    """An unknown word one edit from a stop word ("dose", "wat") is read as that stop word
    unless it is at least this common in English ("form" is a word, not "from")."""


@dataclass(frozen=True, slots=True)
class Weights:
    """How the signals add up to a score; named so `bench/` can tune them."""

    coverage: float = 0.55
    bm25: float = 0.15
    """Times BM25 relative to the best shortlisted entry's."""
    phrase: float = 0.3
    subject: float = 0.08
    """Times the share of the default subject the entry names."""
    kind_match: float = 0.1
    """Added when the entry declares the question's kind."""
    kind_mismatch: float = 0.15
    """Taken off when the entry declares other kinds only."""
    wording: float = 0.05
    """Times the word-for-word likeness (stop words kept) of the question to the entry's
    closest question or alias, for entries within `Thresholds.margin` of the best: it
    separates entries matching the same terms ("what was the dialogue about" is not
    "where was the dialogue")."""
    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    shortlist: int = 40
    """Entries scored exactly after the cheap pass over the postings."""
    typo_floor: float = 60.0
    """rapidfuzz ratio at which a typo correction would be trusted 0 ..."""
    typo_span: float = 40.0
    """... and how far above it trust reaches 1 (ratio 100)."""
    swap_trust: float = 0.75
    """Trust in a correction one transposition away ("mnay" -> "many")."""
    salience: Salience = field(default_factory=Salience)


@dataclass(frozen=True, slots=True)
class _Doc:
    """What the index keeps per entry."""

    entry: FaqEntry
    strong: Counter[str]
    weak: frozenset[str]
    phrases: tuple[frozenset[str], ...]
    length: int
    silent: tuple[tuple[str, frozenset[str]], ...]
    """The entry's `not_stated` topics with their stems."""
    silent_terms: frozenset[str] = frozenset()
    """Their stems together, not already in the entry's phrasings."""
    wordings: tuple[str, ...] = ()
    """The question and aliases word for word (stop words kept), for `Weights.wording`."""


@dataclass(frozen=True, slots=True)
class _Query:
    """A question as the matcher sees it."""

    folded: str
    terms: dict[str, tuple[float, float]]
    """Each distinct term -> (weight, match factor)."""
    total: float
    intent: Intent
    implied: frozenset[str]
    """Terms of the default subject added because the question named nothing."""
    unknown: tuple[tuple[str, float], ...]
    """Words the FAQ does not know, with their weight."""
    names: frozenset[str] = frozenset()
    """Folded words the asker capitalised inside the sentence ("Russia"), and places the
    FAQ does not know: names."""
    shown: Mapping[str, str] = field(default_factory=dict)
    """A place name joined into one word ("newyork") -> as the asker wrote it."""
    plain: str = ""
    """The folded question as written, place names not joined."""
    written: str = ""
    """The question as the asker wrote it (punctuation kept)."""
    asked: str = ""
    """What it asks without the parts that only set the asker's scene (`asked_text`)."""
    asked_folded: str = ""
    """The same folded: `folded` itself when nothing sets the scene."""

    @property
    def topical(self) -> frozenset[str]:
        """Terms that say what the question is about (not where/who, not numbers)."""
        return (
            frozenset(t for t in self.terms if t not in QUESTION_TERMS and not t.isdigit())
            - self.implied
        )


@dataclass(frozen=True, slots=True)
class _Scored:
    entry: FaqEntry
    score: float
    coverage: float
    on_topic: bool
    """False when only question words (where, who...) or numbers matched, not the subject."""
    bm25: float = 0.0
    phrase: float = 0.0
    subject: float = 0.0
    kind: float = 0.0
    wording: float = 0.0

    @property
    def candidate(self) -> Candidate:
        return Candidate(self.entry, min(self.score, 1.0))

    @property
    def kind_mismatch(self) -> bool:
        return self.kind < 0


def _several(question: str, answers: dict[str, Answer]) -> Answer:
    """One answer to a question asking several things: the first entry's, the others in
    `also` (`answers` by entry id, in the order asked)."""
    first, *others = answers.values()
    return replace(
        first,
        question=question,
        alternatives=(),
        also=tuple(a.best for a in others if a.best is not None),
        reason=f"answers {len(answers)} questions in one",
    )


class FaqIndex:
    """All lookups over one FAQ version; safe to share between tasks, never mutated (but
    for `defer_answers`, once, before it serves)."""

    def __init__(
        self,
        faq: Faq,
        thresholds: Thresholds | None = None,
        weights: Weights | None = None,
        encoder: SentenceEncoder | None = None,
        analysis: Synonyms | None = None,
    ) -> None:
        """`analysis` reads the FAQ and questions in place of `faq.synonyms` (another
        language: `bot.engine.language.LanguageAnalysis`)."""
        started = time.perf_counter()
        self.synonyms = analysis or Synonyms.build(faq.synonyms)
        # Another language's salience is its own word frequencies (LanguageAnalysis.zipf).
        self._zipf: Callable[[str], float] = getattr(analysis, "zipf", english_zipf)
        # ... and its place names are its own as well as English ones ("lettonie", "latvia").
        # Less names made of the subject's words: "à la réunion" is the meeting, not La Réunion.
        named = {w for p in faq.subject.phrases for w in fold(p).split()} if faq.subject else set()
        self._places = frozenset(
            name
            for name in place_names(getattr(analysis, "code", "en"))
            if not set(name.split()) <= named
        )
        self._reads_stems = analysis is not None
        self._place_words: tuple[str, ...] = (
            getattr(analysis, "place_words", ()) or ENGLISH_PLACE_WORDS
        )
        with _gc_paused():
            self._build(faq, thresholds, weights)
        self._build_encoder(encoder)
        self.build_seconds = time.perf_counter() - started

    def _build_encoder(self, encoder: SentenceEncoder | None) -> None:
        """Phrase embeddings for the second opinion, grouped by entry (cached by text)."""
        self.encoder = encoder
        if encoder is None:
            return
        texts: list[str] = []
        starts: list[int] = []
        for doc in self._docs:
            starts.append(len(texts))
            texts.extend((doc.entry.question, *doc.entry.aliases))
        self._phrase_vectors = encoder.encode(texts)
        self._phrase_starts = np.asarray(starts, dtype=np.intp)
        # Only English compares questions with answers (`_answer_likeness`).
        self._answer_texts = (
            ()
            if self._reads_stems
            else tuple(" ".join(d.entry.answer.split()[:ANSWER_WORDS_ENCODED]) for d in self._docs)
        )
        self._answers_on_demand = True

    def warm_answers(self, *, keep_going: Callable[[], bool] = lambda: True) -> None:
        """Encode the answer texts questions are compared with, `ANSWER_WARM_BATCH` at a time,
        until all are cached or `keep_going()` is false. Meant for a background thread after
        the build (and `defer_answers`): encoding them in the build would make a cold
        1,000-entry build take 19.6 s instead of 6.9 (target 10 s)."""
        if self.encoder is None:
            return
        for start in range(0, len(self._answer_texts), ANSWER_WARM_BATCH):
            if not keep_going():
                return
            self.encoder.encode(self._answer_texts[start : start + ANSWER_WARM_BATCH])

    def defer_answers(self) -> None:
        """From now on a question is compared with its hints' answer texts only once they are
        all warm, and never waits for the encoder to encode one (about 10 ms each at 1,000
        entries, up to three a question): call before serving, then `warm_answers` in the
        background. Until they are warm its lexical decision stands, so a question asked in
        the first seconds after a start can be answered differently (bench/engine_bench.py
        --cold-answers counts how many)."""
        self._answers_on_demand = False

    def phrase_similarities(self, question: str) -> np.ndarray | None:
        """The encoder's similarity of `question` to each entry's closest question or alias,
        in `faq.entries` order; None without the encoder."""
        if self.encoder is None:
            return None
        vector = self.encoder.encode_question(question)
        return np.maximum.reduceat(
            self.encoder.similarities(self._phrase_vectors, vector), self._phrase_starts
        )

    def _build(self, faq: Faq, thresholds: Thresholds | None, weights: Weights | None) -> None:
        self.faq = faq
        self.thresholds = thresholds or Thresholds()
        self.weights = weights or Weights()
        vocabulary: set[str] = set()
        self._docs = tuple(self._doc(entry, vocabulary) for entry in faq.entries)
        strong_postings: dict[str, list[int]] = defaultdict(list)
        weak_postings: dict[str, list[int]] = defaultdict(list)
        for i, doc in enumerate(self._docs):
            for term in doc.strong:
                strong_postings[term].append(i)
            for term in (doc.weak | doc.silent_terms) - doc.strong.keys():
                weak_postings[term].append(i)
        self._strong_postings = {t: tuple(p) for t, p in strong_postings.items()}
        self._weak_postings = {t: tuple(p) for t, p in weak_postings.items()}
        n = max(len(self._docs), 1)
        # An unknown word weighs like a word found in a few entries: enough that a question
        # made of unknown words is declined, not so much that one stray verb sinks a question.
        self._unknown_idf = math.log(1 + n / self.thresholds.unknown_rarity)
        self._idf = {
            t: min(
                math.log(1 + n / (len(strong_postings[t]) + len(weak_postings[t]))),
                self._unknown_idf,
            )
            for t in strong_postings.keys() | weak_postings.keys()
        }
        self._phrase_weights = tuple(
            tuple(sum(map(self._idf.__getitem__, phrase)) for phrase in doc.phrases)
            for doc in self._docs
        )
        # Answer-only words shortlist entries only while they are specific; common ones still
        # count for the shortlisted entries, but scanning them for every entry costs too much.
        self._weak_scan_limit = max(64, n // 20)
        # Typos are corrected on whole words ("meetng" -> "meeting"), not on stems.
        self._vocab = tuple(sorted(vocabulary | self._idf.keys()))
        self._known_words = frozenset(vocabulary)
        self._where_words = frozenset(
            w
            for e in faq.entries
            if AnswerKind.WHERE in e.answers
            for w in fold(e.lead).split()
            if w not in STOP_WORDS and not w[0].isdigit()
        )
        if self._reads_stems:
            # Read by English stop words only, a translation's leads made its own stop words
            # and the Convention's words places ("armes à sous-munitions", "municiones en
            # racimo": no question where). Its places are capitalised, and not the subject's.
            stops: frozenset[str] = getattr(self.synonyms, "stop_words", frozenset())
            subject = {
                stem(t)
                for p in (faq.subject.phrases if faq.subject else ())
                for t in words(p, self.synonyms)
            }
            self._where_words = (
                frozenset(
                    folded
                    for e in faq.entries
                    if AnswerKind.WHERE in e.answers
                    for w in re.findall(r"\w+", e.lead)
                    if w[0].isupper()
                    and (folded := fold(w)) not in stops
                    and not subject & {stem(t) for t in words(w, self.synonyms)}
                )
                & self._where_words
            )
        self._faq_text = (
            " "
            + " ".join(
                fold(" ".join((e.question, *e.aliases, *e.keywords, e.answer))) for e in faq.entries
            )
            + " "
        )
        self._avg_length = sum(d.length for d in self._docs) / n or 1.0
        self._autocomplete_phrases = tuple(
            (i, utils.default_process(p))
            for i, d in enumerate(self._docs)
            for p in (d.entry.question, *d.entry.aliases)
        )
        self._silent_terms = frozenset(
            term for doc in self._docs for _, terms in doc.silent for term in terms
        )
        self._build_subject()
        faq_read = " " + " ".join(self.synonyms.apply(self._faq_text.split())) + " "
        self._not_about = tuple(
            (name, self._not_about_keys(name, faq_read)) for name in faq.not_about if fold(name)
        )
        # What names a meeting: the subject's own name and its one-word names ("meeting").
        self._meeting_terms = self._subject_terms | self._subject_words
        # Sorted: a set's order changes with the process's hash seed.
        self._stop_typos = tuple(sorted(w for w in STOP_WORDS if len(w) >= 3))
        self._correct = lru_cache(maxsize=4096)(self._correct_uncached)
        self._lexicon = Lexicon(
            self.synonyms,
            self._places,
            self._known_words,
            self._idf.keys(),
            self._silent_terms,
            self._reads_stems,
            self.thresholds.rare_zipf,
            self.thresholds.silent_zipf,
            self._zipf,
            self._correct,
            self._is_stop_typo,
        )

    def _not_about_keys(self, name: str, faq_read: str) -> frozenset[str]:
        """A `not_about` name as written and as the synonyms read it ("13th MSP" is the 13th
        Meeting of States Parties), unless the synonyms make it words the FAQ itself uses
        (another language's synonyms may read "CMC" as the Convention)."""
        written = fold(name)
        read = " ".join(self.synonyms.apply(written.split()))
        if read == written or f" {read} " in faq_read:
            return frozenset({f" {written} "})
        return frozenset({f" {written} ", f" {read} "})

    def _build_subject(self) -> None:
        subject = self.faq.subject
        self._subject_entry = self.faq.by_id.get(subject.entry) if subject else None
        self._meetings = NumberedMeetings.of(subject)
        phrases = (
            [frozenset(map(stem, words(p, self.synonyms))) for p in subject.phrases]
            if subject
            else []
        )
        self._subject_phrases = tuple(p for p in phrases if p)
        self._subject_terms = self._subject_phrases[0] if self._subject_phrases else frozenset()
        # "the meeting", "the conference": one word naming the subject, which an entry about
        # the subject ("When is the 12MSP?") covers without writing it.
        self._subject_words = frozenset(
            chain.from_iterable(p for p in self._subject_phrases if len(p) == 1)
        )
        everything = sum(self._idf.get(t, 0.0) for t in self._subject_terms) or 1.0
        # Measured on each entry's own question: an alias that mentions the meeting in
        # passing ("email about the 12msp") does not make the entry about the meeting.
        questions = split_each([doc.entry.question for doc in self._docs], self.synonyms)
        self._subject_share = tuple(
            sum(self._idf.get(t, 0.0) for t in self._subject_terms.intersection(map(stem, q)))
            / everything
            for q in questions
        )

    def _doc(self, entry: FaqEntry, vocabulary: set[str]) -> _Doc:
        # Keywords are phrasings too ("venue"): short ones delegates type as they are.
        phrases = (entry.question, *entry.aliases, *entry.keywords)
        *tokens, answer_tokens = split_each(
            (*phrases, *entry.not_stated, entry.answer), self.synonyms
        )
        phrase_tokens, silent_tokens = tokens[: len(phrases)], tokens[len(phrases) :]
        phrase_words = [[w for w in p if w not in STOP_WORDS] for p in phrase_tokens]
        silent_words = [[w for w in p if w not in STOP_WORDS] for p in silent_tokens]
        answer_words = set(answer_tokens) - STOP_WORDS
        vocabulary.update(*phrase_words, *silent_words, answer_words)
        stemmed = [join_references(list(map(stem, found))) for found in phrase_words]
        silent = tuple(
            (topic, frozenset(map(stem, found)))
            for topic, found in zip(entry.not_stated, silent_words, strict=True)
            if found
        )
        strong = Counter(chain.from_iterable(stemmed))
        weak = frozenset(join_references([stem(w) for w in answer_tokens if w not in STOP_WORDS]))
        # A declared silent topic is a phrasing too: "the daily programme" is asked as such.
        phrase_sets = tuple(frozenset(stems) for stems in stemmed if stems) + tuple(
            terms for _, terms in silent
        )
        silent_terms = frozenset(chain.from_iterable(t for _, t in silent)) - strong.keys()
        wordings = tuple(" ".join(t) for t in phrase_tokens[: 1 + len(entry.aliases)])
        return _Doc(
            entry,
            strong,
            weak,
            phrase_sets,
            sum(map(len, stemmed)),
            silent,
            silent_terms,
            wordings,
        )

    # --- public API ------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._docs)

    def entry(self, entry_id: str) -> FaqEntry | None:
        return self.faq.by_id.get(entry_id)

    def _doc_of(self, entry: FaqEntry) -> _Doc:
        return self._docs[self._position[id(entry)]]

    def _silence(self, best: _Scored, query: _Query) -> str | None:
        """What the release does not say of `best`'s entry that the question asks."""
        return silence(self._lexicon, self._doc_of(best.entry), query, best.kind_mismatch)

    def _unchecked_name(
        self, query: _Query, premise: PremiseCheck | None, entry: FaqEntry | None = None
    ) -> str | None:
        """A place the question names that `entry` can neither confirm nor deny."""
        doc = self._doc_of(entry) if entry is not None else None
        return unchecked_name(self._lexicon, query, premise, entry, doc)

    def answer(self, question: str) -> Answer:
        """The engine's verdict: a confident answer, choices to offer, or an honest decline."""
        return self._verdict(question)[0]

    def explain(self, question: str, limit: int = 5) -> Explanation:
        """Why the engine answers `question` as it does: the terms and their weights, and
        each leading entry's signals. `render_explanation` turns it into plain text."""
        answer, query, ranked = self._verdict(question, limit=limit)
        terms: tuple[QueryTerm, ...] = ()
        candidates: tuple[EntrySignals, ...] = ()
        if query is not None:
            terms = tuple(
                QueryTerm(
                    term=term,
                    weight=round(weight, 3),
                    match=round(factor, 3),
                    implied=term in query.implied,
                    known=term in self._idf,
                )
                for term, (weight, factor) in query.terms.items()
            )
            candidates = tuple(self._signals(s, query) for s in ranked)
        intent = query.intent if query is not None else None
        return Explanation(
            question=question,
            outcome=answer.outcome,
            entry_id=answer.best.entry.id if answer.best else None,
            reason=answer.reason,
            note=answer.note,
            kind=intent.kind if intent else None,
            yes_no=intent.yes_no if intent else False,
            implied_subject=bool(query and query.implied),
            terms=terms,
            unknown=query.unknown if query is not None else (),
            candidates=candidates,
            weights=self.weights,
            also=tuple(c.entry.id for c in answer.also),
        )

    def rank(self, question: str, limit: int = 5) -> list[Candidate]:
        """The best `limit` entries with their scores, for debugging a wrong answer."""
        query = self._parse(question)
        return [s.candidate for s in self._rank(query, limit)]

    def suggest(self, text: str, limit: int = 25) -> list[FaqEntry]:
        """Entries for partly typed text (autocomplete): the matcher's best guesses for the
        words so far (typos corrected), then questions and aliases the text resembles."""
        picked: dict[int, FaqEntry] = {}
        if text.strip():
            for scored in self._rank(self._parse(text), limit):
                if scored.score >= self.thresholds.autocomplete:
                    picked.setdefault(id(scored.entry), scored.entry)
        query = utils.default_process(text[:MAX_QUESTION_CHARS])
        if not query:
            for doc in self._docs:
                picked.setdefault(id(doc.entry), doc.entry)
                if len(picked) >= limit:
                    break
            return list(picked.values())[:limit]
        hits = process.extract(
            query,
            [p for _, p in self._autocomplete_phrases],
            scorer=fuzz.WRatio,
            limit=limit * 4,
            score_cutoff=50,
        )
        for _, _, position in hits:
            entry = self._docs[self._autocomplete_phrases[position][0]].entry
            picked.setdefault(id(entry), entry)
            if len(picked) >= limit:
                break
        return list(picked.values())[:limit]

    # --- the verdict -----------------------------------------------------------------------

    def _verdict(
        self, question: str, limit: int = 5
    ) -> tuple[Answer, _Query | None, list[_Scored]]:
        answer, query, ranked = self._whole_verdict(question, limit)
        parsed_whole = query is not None and query.written == question[:MAX_QUESTION_CHARS]
        asked = query.asked if query is not None and parsed_whole else asked_text(question)
        scene_less: tuple[Answer, _Query | None] | None = None
        if parsed_whole and asked != question:
            # The asker's own scene ("I represent ...", "my boss ...") lends its words to
            # entries it is not about: what it asks, without the scene, answers first.
            found, clause_query, _ = self._whole_verdict(asked)
            scene_less = (found, clause_query)
            if (
                found.answered
                and clause_query is not None
                and not self._names_nothing(clause_query)
            ):
                reason = f"answers the question inside the message: “{asked}”"
                return replace(found, question=question, reason=reason), query, ranked
        if answer.answered:
            return answer, query, ranked
        # A clause that names nothing ("which one was it") is read as about the meeting:
        # the answer of last resort when no clause names what it asks about.
        unnamed: Answer | None = None
        # What it asks without the asker's situation first, then each sentence that asks.
        for clause in dict.fromkeys(
            ([asked] if asked != question else []) + question_clauses(question)
        ):
            if TAG_ONLY.fullmatch(fold(clause)):
                continue
            if scene_less is not None and clause == asked:
                found, clause_query = scene_less
            else:
                found, clause_query, _ = self._whole_verdict(clause)
            if not found.answered:
                continue
            reason = f"answers the question inside the message: “{clause}”"
            found = replace(found, question=question, reason=reason)
            if clause_query is not None and self._names_nothing(clause_query):
                unnamed = unnamed or found
                continue
            return found, query, ranked
        return unnamed or answer, query, ranked

    def _names_nothing(self, query: _Query) -> bool:
        """A question read as about the meeting, or whose words are all common English
        ("which one was it"): it says nothing of what it asks about."""
        if query.implied:
            return True
        salience = self.weights.salience
        return all(
            salience.known_factor(self._zipf(term)) < 1.0
            for term in query.topical
            if term in self._idf
        ) and not any(w for w, _ in query.unknown)

    def _whole_verdict(
        self, question: str, limit: int = 5
    ) -> tuple[Answer, _Query | None, list[_Scored]]:
        """One question as a whole: one entry, the parts of a question asking several
        things, or the option of an either/or choice the release supports."""
        aside = _ASIDE.search(question)
        if aside:
            # "What else, besides the conference itself, are states preparing for": the
            # aside names what is not asked.
            rest = f"{question[: aside.start()]} {question[aside.end() :]}"
            found, query, ranked = self._whole_verdict(rest, limit)
            return replace(found, question=question), query, ranked
        besides = _BESIDES.match(question)
        if besides and words(question[besides.end() :]):
            # "Besides Lithuania's withdrawal, what other ...": the rest is the question.
            found, query, ranked = self._whole_verdict(question[besides.end() :], limit)
            return replace(found, question=question), query, ranked
        answer, query, ranked = self._single_verdict(question, limit)
        parts = question_parts(question, loose=not answer.answered)
        if len(parts) > 1:
            combined = self.answer_parts(question, parts)
            whole = answer.best.entry if answer.answered and answer.best else None
            # A split that loses the whole question's answer split it wrongly ("number of
            # states (parties + signatories)"), unless each part is a question of its own
            # ("when's the meeting and who's coming": together they matched neither).
            if combined is not None and (
                whole is None
                or whole.id in {c.entry.id for c in (combined.best, *combined.also) if c}
                or all(OPENING_QUESTION.match(fold(p)) for p in parts)
            ):
                return combined, query, ranked
        guessed = None if answer.answered else self._guessed_value(question)
        if guessed is not None:
            return guessed, query, ranked
        chosen = self._either_or(question, answer)
        if chosen is not None:
            return chosen, query, ranked
        of_subject = self._value_of_another(question, answer)
        if of_subject is not None:
            return of_subject, query, ranked
        corrected = self._other_reference(question, answer, query)
        if corrected is not None:
            return corrected, query, ranked
        return answer, query, ranked

    def _other_reference(
        self, question: str, answer: Answer, query: _Query | None
    ) -> Answer | None:
        """ "Is it Article 12 that tells states to promote adherence?": a yes/no question
        naming a numbered reference the FAQ does not have, whose rest is answered by an entry
        with another number of that kind, gets "No — Article 21." and that entry; None
        otherwise."""
        if self._reads_stems or query is None or answer.answered or not query.intent.yes_no:
            return None
        unknown = [w for w, _ in query.unknown if w.split()[0] in REFERENCE_WORDS and " " in w]
        if len(unknown) != 1:
            return None
        kind, number = unknown[0].split()
        written = next(_REFERENCE.finditer(question), None)
        if written is None or written["number"] != number:
            return None
        found = self._lexical_verdict(
            f"{question[: written.start()]} {written['word']} {question[written.end() :]}"
        )[0]
        if not found.answered or found.best is None or found.premise is not None:
            return None
        doc = self._docs[self._position[id(found.best.entry)]]
        numbers = sorted({t.split()[1] for t in doc.strong if t.split()[0] == kind and " " in t})
        if len(numbers) != 1:
            return None
        word = written["word"].rstrip(".").capitalize()
        stated = f"{'Article' if word.lower() in ('art', 'arts') else word} {numbers[0]}."
        return replace(
            found,
            question=question,
            premise=PremiseCheck(holds=False, premise=unknown[0], stated=stated),
            reason=f"the entry of another {word.lower()}: the FAQ has no {word} {number}",
        )

    def _guessed_value(self, question: str) -> Answer | None:
        """ "where's the msp being held, new york?": a question with the asker's guess
        after it is the question, its answer checked against the guess ("No — At UN
        Geneva."); None for any other question, or a guess the entry cannot check."""
        guess = None if self._reads_stems else _GUESS.match(question[:MAX_QUESTION_CHARS])
        if guess is None:
            return None
        found = self._single_verdict(guess["asked"])[0]
        if not found.answered or found.best is None or found.premise is not None:
            return None
        link = _GUESS_LINK[guess["wh"].lower()]
        probe = self._parse(f"is it {link} {guess['value']}?")
        premise = check_premise(probe.folded, probe.intent, found.best.entry, self._places)
        if premise is None:
            return None
        reason = f"answers the question before the guess: “{guess['asked']}”"
        return replace(found, question=question, premise=premise, reason=reason)

    def _value_of_another(self, question: str, answer: Answer) -> Answer | None:
        """ "Is the meeting at the ISU office?": a yes/no question checking a value that is
        another entry's thing (the ISU's street) asks about its subject (where the meeting
        is): that entry answers, not the value's. None for any other question."""
        split = None if self._reads_stems else checked_value(question)
        if split is None:
            return None
        about, value = split
        # By their words alone, as an either/or option is: each must be clear.
        of_value = self._lexical_verdict(value)[0]
        if of_value.outcome is not Outcome.ANSWERED or of_value.best is None:
            return None
        whole = answer.best.entry if answer.answered and answer.best else None
        if whole is not None and whole is not of_value.best.entry:
            return None
        found, about_query, _ = self._lexical_verdict(about)
        if (
            found.outcome is not Outcome.ANSWERED
            or found.best is None
            or found.premise is not None
            or found.best.entry is of_value.best.entry
            or about_query is None
        ):
            return None
        # "Is the ISU office at Chemin Eugène-Rigot?": the value's entry is about the same
        # subject (the ISU), and answers with "Yes".
        value_doc = self._docs[self._position[id(of_value.best.entry)]]
        if about_query.topical and about_query.topical <= value_doc.strong.keys():
            return None
        return replace(
            found,
            question=question,
            reason=f"answers what the question checks of its subject: “{about}”",
        )

    def _either_or(self, question: str, answer: Answer) -> Answer | None:
        """ "un geneva or un nyc", "next week or next month?": the option the release
        supports, when exactly one entry answers some option and another option is declined,
        not stated or contradicted; None for a question that offers no such choice."""
        options = question_options(question)
        if not options or (answer.answered and answer.premise is None):
            return None
        supported: dict[str, Answer] = {}
        refuted = False
        for option in options:
            # Checked by its words: the encoder's likeness is no evidence for one option.
            found = self._lexical_verdict(option)[0]
            if found.outcome is Outcome.ANSWERED and found.best is not None:
                if found.premise is not None and not found.premise.holds:
                    refuted = True
                    continue
                supported.setdefault(found.best.entry.id, found)
            else:
                refuted = True
        if len(supported) > 1 and not refuted and not answer.answered:
            # "dates or venue?": not a choice but two questions, each with its entry.
            return _several(question, supported)
        if len(supported) != 1 or not refuted:
            return None
        (found,) = supported.values()
        if answer.answered and answer.best and answer.best.entry.id != found.best.entry.id:  # type: ignore[union-attr]
            return None
        # A choice is answered by the option, not by "Yes"/"No".
        return replace(
            found,
            question=question,
            premise=None,
            reason=f"answers the option the release supports: “{found.question}”",
        )

    def answer_parts(self, question: str, parts: list[str]) -> Answer | None:
        """One answer to a question asking two things ("dates & email?", split by the caller
        or, in another language, at its "et"/"y"): the first part's entry, with the other
        parts' entries in `also`; None unless two parts are answered by different entries."""
        answered: dict[str, Answer] = {}
        for part in parts:
            if TAG_ONLY.fullmatch(fold(part)):
                # "..., can u confirm": asks about the other part, not of its own.
                continue
            answer = self._single_verdict(part)[0]
            if answer.outcome is Outcome.ANSWERED and answer.best is not None:
                answered.setdefault(answer.best.entry.id, answer)
        if len(answered) < 2:
            return None
        return _several(question, answered)

    def _single_verdict(
        self, question: str, limit: int = 5
    ) -> tuple[Answer, _Query | None, list[_Scored]]:
        answer, query, ranked = self._lexical_verdict(question, limit)
        if (
            self.encoder is not None
            and query is not None
            and answer.outcome in (Outcome.SUGGESTED, Outcome.DECLINED)
            and self._other_subject(query) is None
            and self.other_meeting(query.plain or query.folded) is None
        ):
            answer = self._second_opinion(answer, query, ranked)
        return answer, query, ranked

    def _second_opinion(self, answer: Answer, query: _Query, ranked: list[_Scored]) -> Answer:
        """The encoder, where the lexical engine was unsure: it picks among the engine's own
        choices, or offers its closest entries; it never overrides a confident answer."""
        assert self.encoder is not None
        t = self.thresholds
        similarity = self._encoder_similarity(answer.question, query.asked)
        position = self._position
        if answer.outcome is Outcome.SUGGESTED:
            picks = sorted(
                ((float(similarity[position[id(c.entry)]]), c) for c in answer.alternatives),
                key=itemgetter(0),
                reverse=True,
            )
            top, choice = picks[0]
            runner_up = picks[1][0] if len(picks) > 1 else 0.0
            if top >= t.encoder_pick and top - runner_up >= t.encoder_margin:
                rest = tuple(c for _, c in picks[1:])
                premise = check_premise(query.folded, query.intent, choice.entry, self._places)
                unchecked = self._unchecked_name(query, premise, choice.entry)
                # The pick is an answer like any other: a topic its entry declares the
                # release silent on ("which countries still produce them": production) is
                # not stated, however close the sentences.
                picked = next((s for s in ranked if s.entry is choice.entry), None)
                silent = None if unchecked or picked is None else self._silence(picked, query)
                return replace(
                    answer,
                    outcome=Outcome.NOT_STATED if unchecked or silent else Outcome.ANSWERED,
                    best=choice,
                    alternatives=rest,
                    reason=unchecked or silent or f"picked by the sentence encoder ({top:.2f})",
                    premise=None if silent else premise,
                )
            return answer
        asked = set(query.asked_folded.split())
        if any(
            w in query.names or (0.0 < self._lexicon.word_zipf(w) <= t.rare_zipf and w in asked)
            for w, _ in query.unknown
        ):
            # A name or a rare word the FAQ does not know: what the question is about is
            # not in the FAQ, however alike the sentences look.
            return answer
        order = np.argsort(-similarity)[:3]
        scores = {id(s.entry): s for s in ranked}
        best = int(order[0])
        entry = self._docs[best].entry
        lexical = scores.get(id(entry))
        top = float(similarity[best])
        # Two signals agreeing are more evidence than either alone: the engine's first hint
        # that is also, clearly, the encoder's closest entry needs less likeness (a
        # translation sets its own `encoder_agree`: its phrasings are closer to its questions).
        agreed = (
            bool(answer.alternatives)
            and answer.alternatives[0].entry is entry
            and top - float(similarity[order[1]]) >= t.encoder_agree_margin
        )
        gate = min(t.encoder_agree, t.encoder_answer) if agreed else t.encoder_answer
        likeness = None
        if not (top >= gate and lexical is not None):
            likeness = self._answer_likeness(answer, query)
        if likeness is not None:
            # The first hint whose ANSWER is, clearly, the closest to the question: people
            # ask with the words of the fact, which the entry's phrasings need not have.
            entry = answer.alternatives[0].entry
            lexical = scores.get(id(entry))
            top = gate = float(similarity[self._position[id(entry)]])
        if top >= gate and lexical is not None and lexical.coverage >= t.hint_coverage:
            # What the words ask must pass every check, however close the sentences: an
            # entry's phrasings or answer are as close to a question about another thing of
            # theirs ("the military usefulness of drones", "Action 23 of the Lausanne plan").
            silent = self._silence(lexical, query)
            if likeness is not None:
                found = (
                    "the engine's first hint, whose answer the sentence encoder finds closest"
                    f" ({likeness:.2f})"
                )
            elif top < t.encoder_answer:
                found = f"the engine's first hint, also the sentence encoder's closest ({top:.2f})"
            else:
                found = f"paraphrase found by the sentence encoder ({top:.2f})"
            return replace(
                answer,
                outcome=Outcome.NOT_STATED if silent else Outcome.ANSWERED,
                best=lexical.candidate,
                alternatives=(),
                reason=silent or found,
                premise=None
                if silent
                else check_premise(query.folded, query.intent, entry, self._places),
            )
        if not answer.alternatives:
            # Offer what the encoder finds closest instead of nothing at all.
            choices = tuple(
                Candidate(self._docs[i].entry, round(float(similarity[i]), 4))
                for i in order
                if similarity[i] >= t.encoder_suggest
            )
            return replace(answer, alternatives=choices)
        return answer

    def _answer_likeness(self, answer: Answer, query: _Query) -> float | None:
        """The encoder's likeness of the question to the engine's first hint's answer text,
        when that answer is clearly the closest of the hints' answers (English); None
        otherwise, or when their answers are not all warm yet after `defer_answers`."""
        assert self.encoder is not None
        t = self.thresholds
        if self._reads_stems or not answer.alternatives:
            return None
        # Compared with the other hints' answers only.
        rivals = [self._position[id(c.entry)] for c in answer.alternatives]
        likeness = self._answer_similarity(answer.question, query.asked, rivals)
        if likeness is None:
            return None
        order = np.argsort(-likeness, kind="stable")
        runner_up = float(likeness[order[1]]) if len(order) > 1 else -1.0
        closest = (
            int(order[0]) == 0
            and float(likeness[0]) >= t.encoder_answer_text
            and float(likeness[0]) - runner_up >= t.encoder_answer_text_margin
        )
        return float(likeness[0]) if closest else None

    def _answer_similarity(self, question: str, asked: str, rivals: list[int]) -> np.ndarray | None:
        """The likeness of the answer texts of the entries at `rivals` to the question (or
        what it asks), in that order; None when one is not warm and `defer_answers` holds
        the question back from encoding it."""
        assert self.encoder is not None
        texts = [self._answer_texts[i] for i in rivals]
        answers = (
            self.encoder.encode(texts) if self._answers_on_demand else self.encoder.cached(texts)
        )
        return None if answers is None else self._likeness(answers, question, asked)

    def _encoder_similarity(self, question: str, asked: str) -> np.ndarray:
        """Each entry's closest phrasing to the question, or to what it `asked` without the
        asker's own situation around it, whichever is closer: the scene dilutes a long
        message's likeness to the entry it asks for."""
        return np.maximum.reduceat(
            self._likeness(self._phrase_vectors, question, asked), self._phrase_starts
        )

    def _likeness(self, vectors: np.ndarray, question: str, asked: str) -> np.ndarray:
        """Each row of `vectors`' likeness to the question or to what it `asked`, whichever
        is closer."""
        assert self.encoder is not None
        best: np.ndarray | None = None
        for text in dict.fromkeys((question, asked)):
            similarity = self.encoder.similarities(vectors, self.encoder.encode_question(text))
            best = similarity if best is None else np.maximum(best, similarity)
        assert best is not None
        return best

    def _lexical_verdict(
        self, question: str, limit: int = 5
    ) -> tuple[Answer, _Query | None, list[_Scored]]:
        t = self.thresholds
        version = self.faq.version
        if not question or not question.strip():
            return (
                Answer(question, Outcome.REFUSED, reason="empty question", faq_version=version),
                None,
                [],
            )
        query = self._parse(question)
        other = self._other_subject(query)
        if other is not None:
            mistaken = self._mistaken_subject(question, query, other)
            if mistaken is not None:
                return mistaken, query, []
            reason = f"the question is about {other}, which the release does not cover"
            return Answer(question, Outcome.DECLINED, reason=reason, faq_version=version), query, []
        quoted = self._quoted_entry(question)
        if quoted is not None:
            reason = f"its answer has the words quoted: “{quoted[1]}”"
            return (
                Answer(
                    question,
                    Outcome.ANSWERED,
                    Candidate(quoted[0], 1.0),
                    reason=reason,
                    faq_version=version,
                ),
                query,
                [],
            )
        meeting = self.other_meeting(query.plain or query.folded)
        if meeting is not None:
            return self._another_meeting(question, query, meeting), query, []
        bare = self._bare_subject(query)
        if bare is not None:
            subject_entry = Candidate(bare, 1.0)
            return Answer(question, Outcome.ANSWERED, subject_entry, faq_version=version), query, []
        ranked = self._rank(query, limit=max(limit, 5))
        if not ranked:
            answer = Answer(
                question, Outcome.DECLINED, reason="no words the FAQ knows", faq_version=version
            )
            return answer, query, ranked
        best = ranked[0]
        # An entry covering clearly more of the question, that lost only on the kind of
        # answer, is what the question is about: the release does not say that of it. In
        # English before the decline too; another language's question words, read as
        # English kinds, are too coarse to overrule a best entry that covers too little.
        about = max(ranked[:3], key=lambda s: s.coverage)
        lost_on_kind = about.kind_mismatch and about.coverage - best.coverage >= t.about_margin
        if lost_on_kind and not self._reads_stems:
            best = about
        if (best.coverage < t.min_coverage and not self._clear_lead(query, ranked)) or (
            not best.on_topic
        ):
            hints = tuple(s.candidate for s in ranked[:3] if s.coverage >= t.hint_coverage)
            answer = Answer(
                question,
                Outcome.DECLINED,
                alternatives=hints if best.on_topic else (),
                reason="nothing in the FAQ covers this question",
                faq_version=version,
            )
            return answer, query, ranked
        if lost_on_kind:
            best = about
        silent = self._silence(best, query)
        if silent is not None:
            rest = tuple(s.candidate for s in ranked[1:4] if s.score >= t.suggest)
            answer = Answer(
                question,
                Outcome.NOT_STATED,
                best.candidate,
                rest,
                reason=silent,
                faq_version=version,
            )
            return answer, query, ranked
        runner_up = ranked[1] if len(ranked) > 1 else None
        clear = (
            runner_up is None
            or best.score - runner_up.score >= t.margin
            or self._neighbours(best.entry, runner_up.entry)
        )
        if best.score >= t.answer and clear:
            rest = tuple(s.candidate for s in ranked[1:4] if s.score >= t.suggest)
            premise = check_premise(query.folded, query.intent, best.entry, self._places)
            unchecked = self._unchecked_name(query, premise, best.entry)
            if unchecked is not None:
                answer = Answer(
                    question,
                    Outcome.NOT_STATED,
                    best.candidate,
                    rest,
                    reason=unchecked,
                    faq_version=version,
                )
                return answer, query, ranked
            answer = Answer(
                question,
                Outcome.ANSWERED,
                best.candidate,
                rest,
                faq_version=version,
                premise=premise,
            )
            return answer, query, ranked
        choices = tuple(s.candidate for s in ranked[:3] if s.score >= t.suggest)
        unchecked = self._unchecked_name(query, None) if query.intent.yes_no else None
        if unchecked is not None:
            # "Is the United States a State Party?": whichever entry is closest, the release
            # does not mention the place.
            answer = Answer(
                question,
                Outcome.NOT_STATED,
                best.candidate,
                choices[1:],
                reason=unchecked,
                faq_version=version,
            )
            return answer, query, ranked
        answer = Answer(
            question,
            Outcome.SUGGESTED,
            alternatives=choices or (best.candidate,),
            reason="close call between entries" if not clear else "low confidence",
            faq_version=version,
        )
        return answer, query, ranked

    def _clear_lead(self, query: _Query, ranked: list[_Scored]) -> bool:
        """ "Who should advocacy efforts be broadened to include?": every word is the FAQ's,
        and one entry, covering most of them, is far ahead of any other: people ask with
        words of their own ("broadened", "include") that an entry's phrasings lack."""
        best = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        t = self.thresholds
        doc = self._doc_of(best.entry)
        missing = query.topical - doc.strong.keys() - doc.weak
        names = {stem(n) for n in query.names}
        return (
            not self._reads_stems
            and not query.unknown
            # What it lacks is no topic the release is silent on ("which hotel should I
            # book"), no name ("when was the UN founded") ...
            # ... nor the meeting itself, which the entry is not about ("do I need to go to
            # Lausanne for the meeting": the action plan's entry lacks the meeting).
            and not missing & (self._silent_terms | names | self._meeting_terms)
            and best.coverage >= t.lead_coverage
            and best.score >= t.answer
            and best.score - runner_up >= t.lead_margin
        )

    def other_meeting(self, folded: str) -> str | None:
        """The meeting of the subject's series, with another number, that `folded` names."""
        return self._meetings.other(folded) if self._meetings is not None else None

    def _another_meeting(self, question: str, query: _Query, meeting: str) -> Answer:
        """ "c'est la 11e ?": no, it is the subject (its entry); "when is the 13th MSP?":
        declined, the release is about the subject only."""
        if query.intent.yes_no and self._subject_entry is not None:
            return self._not_this_meeting(question, self._subject_entry, meeting)
        reason = (
            f"the question is about another meeting (“{meeting}”), which the release does not cover"
        )
        return Answer(question, Outcome.DECLINED, reason=reason, faq_version=self.faq.version)

    def _not_this_meeting(self, question: str, subject: FaqEntry, other: str) -> Answer:
        """ "No —" and the subject's entry, for a yes/no question taking the meeting for
        `other` (a `not_about` meeting or another number of the series)."""
        return Answer(
            question,
            Outcome.ANSWERED,
            Candidate(subject, 1.0),
            reason=f"the question takes the meeting for {other}",
            faq_version=self.faq.version,
            premise=PremiseCheck(holds=False, premise=fold(other), stated=subject.lead),
        )

    def _other_subject(self, query: _Query) -> str | None:
        """The `not_about` name the question mentions, if any."""
        plain = query.plain or query.folded
        texts = (f" {plain} ", f" {' '.join(self.synonyms.apply(plain.split()))} ")
        return next(
            (name for name, keys in self._not_about if any(k in t for k in keys for t in texts)),
            None,
        )

    def _quoted_entry(self, question: str) -> tuple[FaqEntry, str] | None:
        """ "where does the phrase “echo-chamber” come from": the one entry whose answer has
        the words the question quotes (two words at least), whatever else it asks."""
        for match in _QUOTED.finditer(question[:MAX_QUESTION_CHARS]):
            passage = fold(match["passage"])
            if len(passage.split()) < 2:
                continue
            padded = f" {passage} "
            having = [d.entry for d in self._docs if padded in f" {fold(d.entry.answer)} "]
            if len(having) > 1:
                # Several answers repeat it: the entry that is about it names it too.
                having = [
                    e
                    for e in having
                    if padded in f" {fold(' '.join((e.question, *e.aliases, *e.keywords)))} "
                ]
            if len(having) == 1:
                return having[0], match["passage"].strip()
        return None

    def _mistaken_subject(self, question: str, query: _Query, other: str) -> Answer | None:
        """ "is this the 11th MSP?": a yes/no question that only takes the meeting to be
        another one the FAQ declares `not_about` gets "No —" and the subject's entry; a
        question about that other meeting ("when is the 13th MSP") is still declined."""
        subject = self._subject_entry
        if subject is None or not query.intent.yes_no:
            return None
        named = {stem(w) for w in words(other, self.synonyms)}
        # What the name's synonyms spell out counts too ("11MSP": the eleventh meeting ...).
        spelt = {
            stem(w)
            for variant, target in self.synonyms.rules.items()
            if set(map(stem, target)) <= named
            for w in variant
        }
        if not (named | spelt) & self._meeting_terms:
            # Another treaty or body ("is this the Ottawa Treaty?") is not a mistaken meeting.
            return None
        asked = {stem(w) for w in words(query.plain or query.folded, self.synonyms)}
        if asked - named - self._meeting_terms - QUESTION_TERMS:
            return None
        return self._not_this_meeting(question, subject, other)

    def _bare_subject(self, query: _Query) -> FaqEntry | None:
        """The subject's own entry for a question that only names the subject ("12MSP?")."""
        if self._subject_entry is None or query.implied or query.intent.kind:
            return None
        if query.intent.yes_no or query.unknown or len(query.terms) != len(query.topical):
            return None
        topical = query.topical
        return self._subject_entry if topical and topical in self._subject_phrases else None

    # --- scoring ---------------------------------------------------------------------------

    def _parse(self, question: str) -> _Query:
        text = _HASH_NUMBER.sub(" number of ", question[:MAX_QUESTION_CHARS])
        text = _OBLIGED.sub(" obligations ", text)
        text = _US.sub("USA", text)
        text = _TRUE_THAT.sub("is it ", text)
        # "can u send me the msp link": the request asks for what follows.
        text = REQUEST_FRAME.sub("", text, count=1) or text
        folded, places, unknown_places, shown = self._join_places(_question_typos(fold(text)))
        intent = read_intent(
            self._with_question_words(folded),
            self._known_words,
            places,
            unknown_places,
            self._place_words,
            intonation=question.rstrip().endswith("?") and not self._reads_stems,
        )
        weights: dict[str, tuple[float, float]] = {}
        unknown: list[tuple[str, float]] = []
        previous = ""
        premise_words, other_places = (
            self._lexicon.read(intent.premise_words),
            self._lexicon.read(intent.other_places),
        )
        for word in words(folded, self.synonyms):
            if word in premise_words:
                continue
            if word in other_places:
                # A place the FAQ does not know is a name, not a typo of some FAQ word.
                weight = round(self._unknown_idf * self.weights.salience.unseen, 3)
                unknown.append((word, weight))
                weights[word] = (weight, 0.0)
                continue
            if word.isdigit() and previous in REFERENCE_WORDS:
                # "article 5": the reference replaces the bare word, as in the index.
                weights.pop(previous, None)
                self._weigh_reference(f"{previous} {word}", weights, unknown)
                previous = ""
                continue
            after_aspect = previous in ASPECT_WORDS and not self._reads_stems
            previous = stem(word)
            self._weigh(word, weights, unknown, after_aspect=after_aspect)
        implied: frozenset[str] = frozenset()
        topical = [t for t in weights if t not in QUESTION_TERMS and not t.isdigit()]
        if (
            not topical
            and self._subject_terms
            and (intent.kind or intent.yes_no or weights)
            and not _ABOUT_THE_BOT.search(folded)
        ):
            # A question that names nothing ("when?", "is it in November?") is about the
            # FAQ's default subject: read it as if it named it.
            implied = frozenset(t for t in self._subject_terms if t not in weights)
            for term in implied:
                weights[term] = (self._idf.get(term, self._unknown_idf), 1.0)
        total = sum(w for w, _ in weights.values())
        # Read as the question's words are (another language's analysis stems them).
        names = frozenset(
            name
            for w in _NAME.findall(text)
            for name in self.synonyms.apply(fold(w).split())
            if name not in STOP_WORDS
        )
        names |= intent.other_places
        asked = asked_text(question)
        return _Query(
            folded,
            weights,
            total,
            intent,
            implied,
            tuple(unknown),
            names,
            shown,
            fold(text),
            question[:MAX_QUESTION_CHARS],
            asked,
            folded if asked == question else fold(asked),
        )

    def _join_places(
        self, folded: str
    ) -> tuple[str, frozenset[str], frozenset[str], dict[str, str]]:
        """`folded` with each place name the FAQ does not know made one word ("new york" ->
        "newyork", so "york" is not matched alone); the question's place words, those the
        FAQ does not know, and how each joined name was written."""
        known = self._places
        tokens = folded.split()
        out: list[str] = []
        places: set[str] = set()
        unknown: set[str] = set()
        shown: dict[str, str] = {}
        i = 0
        while i < len(tokens):
            for size in range(min(PLACE_NAME_WORDS, len(tokens) - i), 0, -1):
                name = " ".join(tokens[i : i + size])
                if name not in known and (size > 1 or name not in self._where_words):
                    continue
                if name in self._known_words or f" {name} " in self._faq_text:
                    out.extend(tokens[i : i + size])
                    places.add(tokens[i + size - 1])
                else:
                    out.append(name.replace(" ", ""))
                    places.add(out[-1])
                    unknown.add(out[-1])
                    shown[out[-1]] = name
                i += size
                break
            else:
                out.append(tokens[i])
                i += 1
        return " ".join(out), frozenset(places), frozenset(unknown), shown

    def _with_question_words(self, folded: str) -> str:
        """`folded` with misspelt question words restored ("wen" -> "when", "mnay" ->
        "many"), so the question's kind is read through typos."""
        out = []
        for word in folded.split():
            if word not in self._known_words and word not in STOP_WORDS and len(word) > 2:
                known, factor = self._correct(word)
                word = _QUESTION_WORD_OF_STEM.get(known, word) if factor else word
            out.append(word)
        return " ".join(out)

    def _weigh(
        self,
        word: str,
        weights: dict[str, tuple[float, float]],
        unknown: list[tuple[str, float]],
        *,
        after_aspect: bool = False,
    ) -> None:
        """Add one question word to `weights`: its rarity, and how sure the match is;
        `after_aspect`: it follows "still", "already"... (the verb of what is asked)."""
        term = stem(word)
        if term in self._idf:
            known, factor = term, 1.0
        else:
            known, factor = self._correct(word)
        stop_typo = factor < 1.0 and known not in QUESTION_TERMS and self._is_stop_typo(word)
        if stop_typo or (not factor and term in ASKING_WORDS):
            # "bein" is "being" before it is "begin": a stop word is the likelier typo.
            # "how did the release characterise ...": how to tell it, not what about.
            return
        if factor:
            weight = self._idf.get(known, self._unknown_idf)
            if known not in QUESTION_TERMS and not word.isdigit():
                weight *= self.weights.salience.known_factor(self._zipf(word))
            if (
                known in _REPORTING_VERBS
                or known in SUMMING_UP_WORDS
                or (known in ASPECT_WORDS and not self._reads_stems)
            ):
                # "the guardrail they talked about": the asking, not what is asked about;
                # "is the meeting still on": when it holds, not what; "key areas tl;dr":
                # how to tell it, even where an entry has the word ("summary").
                weight *= self.weights.salience.common_known
        else:
            weight = self._unknown_idf * self.weights.salience.factor(word, self._zipf)
            if after_aspect:
                # "which countries are still making them": the verb after "still" is what
                # is asked; unknown to the FAQ, it is a thing the release does not report,
                # however common a word.
                weight = max(weight, self._unknown_idf)
            if is_adverb(word) and self._zipf(word) > 0.0 and not self._reads_stems:
                # "directly", "formally": how something is, never a subject of its own.
                weight *= self.weights.salience.floor
        if known in QUESTION_TERMS:
            weight *= self.thresholds.question_word
        elif word.isdigit():
            # Numbers identify things ("article 5" is not "article 21"): a number the
            # entry does not contain must cost more than an ordinary word.
            weight = max(weight, self._unknown_idf) * 2
        if not factor:
            unknown.append((word, round(weight, 3)))
        key = known if factor else term
        if key not in weights or weights[key][1] < factor:
            weights[key] = (weight, factor)

    def _weigh_reference(
        self, term: str, weights: dict[str, tuple[float, float]], unknown: list[tuple[str, float]]
    ) -> None:
        """A numbered reference ("articl 21"): known, or as heavy as an unknown number."""
        if term in self._idf:
            weights[term] = (self._idf[term], 1.0)
            return
        weight = self._unknown_idf * 2
        unknown.append((term, round(weight, 3)))
        weights[term] = (weight, 0.0)

    def _is_stop_typo(self, word: str) -> bool:
        """ "dose" for "does", "wat" for "what": one edit from a stop word, and not itself a
        common word in the index's language."""
        if len(word) < 3 or self._zipf(word) >= self.thresholds.stop_typo_zipf:
            return False
        # Every stop word one edit away, not the first found: "ver" is one edit from "her",
        # "over" and "very", and which came first depended on the hash seed.
        hits = process.extract(
            word, self._stop_typos, scorer=OSA.distance, score_cutoff=1, limit=None
        )
        return any(hit[0][0] == word[0] for hit in hits)

    def _correct_uncached(self, word: str) -> tuple[str, float]:
        """The stem of the closest known word and how much to trust it (0: nothing close)."""
        term = stem(word)
        if len(word) < 3 or any(ch.isdigit() for ch in word):
            return term, 0.0
        if not self._reads_stems and self._zipf(word) >= self.thresholds.word_zipf:
            # A word English uses this much is that word, not a typo ("present" is not
            # "president"); misspellings are rare ("meting" 2.0, "confrence" 1.2).
            return term, 0.0
        cutoff = self.thresholds.typo_cutoff + (5.0 if len(word) == 3 else 0.0)
        w = self.weights
        hit = process.extractOne(word, self._vocab, scorer=fuzz.ratio, score_cutoff=cutoff)
        if hit is not None and hit[0][0] == word[0]:
            known, trust = stem(hit[0]), (hit[1] - w.typo_floor) / w.typo_span
        elif len(word) >= 4:
            # Swapped letters ("mnay", "wnen") cost two edits to ratio, one to OSA.
            swapped = process.extractOne(word, self._vocab, scorer=OSA.distance, score_cutoff=1)
            if swapped is None or swapped[0][0] != word[0]:
                return self._abbreviated(word)
            known, trust = stem(swapped[0]), w.swap_trust
        else:
            return term, 0.0
        if self._reads_stems and self._zipf(word) > 0.0:
            # A word of the language ("arepas": "arep"), not a typo of a FAQ stem a letter
            # away ("areq", áreas), nor one going on past it ("abrigo": "abrig", not "abri");
            # a shorter form of the same word still is ("negoc", "negoci"), unless the
            # language uses it as a word of its own ("en bas": "bas" is not "base").
            common = self._zipf(word) >= self.thresholds.word_zipf
            if not known.startswith(term) or (known != term and common):
                return term, 0.0
        return (known, trust) if known in self._idf else (term, 0.0)

    def _abbreviated(self, word: str) -> tuple[str, float]:
        """ "lith" for "lithuania": a word the FAQ does not know and the language rarely uses,
        that begins exactly one FAQ word of at least twice its length."""
        term = stem(word)
        if self._zipf(word) >= self.thresholds.rare_zipf:
            return term, 0.0
        start = bisect_left(self._vocab, word)
        longer = set()
        for known in self._vocab[start : start + 8]:
            if not known.startswith(word):
                break
            if len(known) >= 2 * len(word):
                longer.add(stem(known))
        # Forms of one word ("lithuania", "lithuanian") are one reading, the shortest.
        shortest = min(longer, key=len, default="")
        if not longer or any(not other.startswith(shortest) for other in longer):
            return term, 0.0
        known = shortest
        return (known, self.weights.swap_trust) if known in self._idf else (term, 0.0)

    def _rank(self, query: _Query, limit: int) -> list[_Scored]:
        total = query.total
        if not total:
            return []
        t = self.thresholds
        w = self.weights
        terms_in = query.terms
        # Shortlist: a cheap pass over the postings, then exact scores for the best few.
        rough: dict[int, float] = defaultdict(float)
        for term, (weight, factor) in terms_in.items():
            if not factor:
                continue
            for i in self._strong_postings.get(term, ()):
                rough[i] += weight * factor
            weak = self._weak_postings.get(term, ())
            if len(weak) <= self._weak_scan_limit:
                for i in weak:
                    rough[i] += weight * factor * t.weak_field
        if not rough:
            return []
        shortlist = [i for i, _ in heapq.nlargest(w.shortlist, rough.items(), key=itemgetter(1))]
        only_question_words = not query.topical and not query.implied
        exact = [self._exact(i, terms_in, total) for i in shortlist]
        best_bm25 = max(bm25 for _, _, bm25 in exact) or 1.0
        kind = query.intent.kind
        # Without the phrase part a score is known up to w.phrase: visit the best first and
        # stop once even a perfect phrase could not bring an entry into the top `limit`.
        partial = []
        for i, (coverage, topical, bm25) in zip(shortlist, exact, strict=True):
            if not coverage:
                continue
            subject = w.subject * self._subject_share[i]
            fit = self._kind_fit(self._docs[i].entry, kind)
            base = w.coverage * coverage + w.bm25 * bm25 / best_bm25 + subject + fit
            partial.append((base, coverage, topical, i, bm25 / best_bm25, subject, fit))
        partial.sort(reverse=True)
        terms = frozenset(terms_in)
        scored: list[_Scored] = []
        for base, coverage, topical, i, bm25_share, subject, fit in partial:
            if len(scored) >= limit and base + w.phrase < scored[limit - 1].score:
                break
            phrase = self._best_overlap(i, terms_in, terms, total)
            # Uncapped: the subject and kind parts must still separate two perfect matches.
            score = round(max(0.0, base + w.phrase * phrase), 4)
            on_topic = topical or only_question_words
            scored.append(
                _Scored(
                    self._docs[i].entry,
                    score,
                    coverage,
                    on_topic,
                    bm25=round(bm25_share, 4),
                    phrase=round(phrase, 4),
                    subject=round(subject, 4),
                    kind=fit,
                )
            )
            scored.sort(key=lambda s: (s.score, s.coverage), reverse=True)
        return self._break_ties(scored[:limit], query)

    def _break_ties(self, scored: list[_Scored], query: _Query) -> list[_Scored]:
        """Entries within the margin of the best, told apart by their wording."""
        if len(scored) < 2 or scored[0].score - scored[1].score >= self.thresholds.margin:
            return scored
        if not query.topical and not query.implied:
            # Question words alone ("when") name no subject to tell entries apart by.
            return scored
        asked = " ".join(self.synonyms.apply(query.folded.split()))
        top = scored[0].score
        out = []
        for s in scored:
            if (
                top - s.score < self.thresholds.margin
                and s.coverage >= self.thresholds.min_coverage
            ):
                wordings = self._docs[self._position[id(s.entry)]].wordings
                hit = process.extractOne(asked, wordings, scorer=fuzz.ratio)
                wording = round(hit[1] / 100, 4) if hit else 0.0
                s = replace(
                    s, score=round(s.score + self.weights.wording * wording, 4), wording=wording
                )
            out.append(s)
        out.sort(key=lambda s: (s.score, s.coverage), reverse=True)
        return out

    def _kind_fit(self, entry: FaqEntry, kind: AnswerKind | None) -> float:
        if kind is None:
            return 0.0
        if not entry.answers:
            # "What did Ukraine say?" asks for a statement: only entries that report one fit.
            return -self.weights.kind_mismatch if kind is AnswerKind.SAID else 0.0
        return self.weights.kind_match if kind in entry.answers else -self.weights.kind_mismatch

    def _exact(
        self, i: int, query: dict[str, tuple[float, float]], total: float
    ) -> tuple[float, bool, float]:
        """Coverage, whether a subject word matched, and BM25 of one entry."""
        doc = self._docs[i]
        covered = bm25 = 0.0
        topical = False
        w = self.weights
        norm = w.bm25_k1 * (1 - w.bm25_b + w.bm25_b * doc.length / self._avg_length)
        saturation = w.bm25_k1 + 1
        names_subject = self._subject_share[i] > 0
        for term, (weight, factor) in query.items():
            if not factor:
                continue
            count = doc.strong.get(term, 0)
            if not count and names_subject and term in self._subject_words:
                count = 1
            if count:
                covered += weight * factor
                bm25 += weight * factor * count * saturation / (count + norm)
            elif term in doc.silent_terms:
                # A topic the release is silent on, next to this entry ("a room" next to the
                # venue): it finds the entry, to be told it is not stated, without making the
                # entry the best match for the word ("venue" of the review conference).
                covered += weight * factor * self.thresholds.silent_field
            elif term in doc.weak:
                covered += weight * factor * self.thresholds.weak_field
            else:
                continue
            topical = topical or (term not in QUESTION_TERMS and not term.isdigit())
        return covered / total, topical, bm25

    def _signals(self, scored: _Scored, query: _Query) -> EntrySignals:
        doc = self._docs[self._position[id(scored.entry)]]
        matched = tuple(
            t
            for t in query.terms
            if query.terms[t][1] and (t in doc.strong or t in doc.weak or t in doc.silent_terms)
        )
        missing = tuple(t for t in query.terms if t not in matched)
        return EntrySignals(
            entry_id=scored.entry.id,
            location=scored.entry.location,
            score=scored.score,
            coverage=round(scored.coverage, 4),
            bm25=scored.bm25,
            phrase=scored.phrase,
            subject=scored.subject,
            kind=scored.kind,
            wording=scored.wording,
            matched=matched,
            missing=missing,
        )

    @cached_property
    def _position(self) -> dict[int, int]:
        return {id(doc.entry): i for i, doc in enumerate(self._docs)}

    @staticmethod
    def _neighbours(a: FaqEntry, b: FaqEntry) -> bool:
        """Entries that list each other as related: answering one and offering the other as a
        follow-up button serves the asker better than making them choose first."""
        return b.id in a.related or a.id in b.related

    def _best_overlap(
        self,
        i: int,
        query: dict[str, tuple[float, float]],
        terms: frozenset[str],
        total: float,
    ) -> float:
        """Weighted Jaccard of the question and the entry's closest question or alias."""
        best = 0.0
        for phrase, phrase_weight in zip(
            self._docs[i].phrases, self._phrase_weights[i], strict=True
        ):
            common = phrase & terms
            if not common:
                continue
            shared = shared_idf = 0.0
            for term in common:
                weight, factor = query[term]
                shared += weight * factor
                shared_idf += self._idf[term]
            if shared:
                extra = phrase_weight - shared_idf
                best = max(best, shared / (total + self.thresholds.phrase_extra * extra))
        return best


_REPORTING_VERBS = frozenset(
    stem(w) for w in "talk talked talking mention mentioned mentioning discuss discussed".split()
)
"""Verbs of reporting that a question about what was said wraps around its subject."""

_REFERENCE = re.compile(
    r"\b(?P<word>articles?|art\.?|paragraphs?|annex|rules?|protocols?)\s*(?P<number>\d+)\b",
    re.IGNORECASE,
)
"""A numbered reference as written ("Article 12", "art. 12")."""

_QUOTED = re.compile(r"[\"“”«»]\s*(?P<passage>[^\"“”«»]{3,200}?)\s*[\"“”«»]")
"""A passage the question quotes ("…the phrase “echo chamber”…")."""

_BESIDES = re.compile(
    r"^\W*(?:besides|apart from|aside from|other than|except for|leaving aside)\b[^,;:?]*[,;:]\s*",
    re.IGNORECASE,
)
"""What a question sets aside before asking ("Besides Lithuania's withdrawal, what other
developments ..."): matched, that part would win."""

_ASIDE = re.compile(
    r"(?:,|\s[-–—])\s*(?:besides|apart from|aside from|except for|leaving aside|other than)\b"
    r"[^,;:?]*,\s*",
    re.IGNORECASE,
)
"""An aside inside a question (", besides the norm itself, "): the same as `_BESIDES`."""

_NAME = re.compile(r"(?<=[\w,;:] )[A-Z][\w-]*")
"""A capitalised word inside a sentence (not its first word): a name, as delegates write."""


_LEADING_WERE = re.compile(r"^were (?=(is|s|are|does|do|did|will|can|was)\b)")
"""'were is it' is 'where is it': "were" opens no question with "is" after it."""
_QUESTION_WORD_TYPOS = {"hw": "how", "wat": "what", "wht": "what", "whn": "when", "wer": "where"}
"""Question words too short for typo correction ("hw many")."""


def _question_typos(folded: str) -> str:
    """`folded` with short misspelt question words restored ("hw many", "were is it")."""
    folded = _LEADING_WERE.sub("where ", folded)
    return " ".join(_QUESTION_WORD_TYPOS.get(w, w) for w in folded.split())


_GUESS = re.compile(
    r"^(?P<asked>.*?\b(?P<wh>where|when|who)(?:'s| is| was| are| were| will| does| did)?\b"
    r"[^,;:?]*?)\s*[,;:]\s*(?:(?:or|maybe|perhaps|probably|is it|was it|in|at|by|on) )*"
    r"(?P<value>[\w .'-]{2,30}?)\s*\?+\s*$",
    re.IGNORECASE,
)
"""A question and the asker's guess after it: "where's the msp being held, new york?"."""
_GUESS_LINK = {"where": "in", "when": "in", "who": "by"}
"""How "is it ... ?" checks a guess at each question word ("is it in New York")."""

_US = re.compile(r"\bU\.?S\.?(A\.?)?(?![\w.])|(?<=\b[Tt]he )(?i:usa?)\b")
""""the US": capitals tell the country from the stop word "us", and so does "the" ("is the
us a party": "the us" is never the pronoun)."""

_QUESTION_WORD_OF_STEM = {stem(w): w for w in "where when who why many much long".split()}

_ABOUT_THE_BOT = re.compile(r"\b(?:are|r) (?:you|u|ya)\b(?! (?:sure|able)\b)")
""" "who are you", "what are you": the asker asks about the bot, not about the meeting."""

_OBLIGED = re.compile(
    r"\b(?:must|should|have to|has to|need to|(?:is|are) (?:supposed|required|expected|obliged"
    r"|meant) to)(?=(?: [\w']+){0,3} do\b)",
    re.IGNORECASE,
)
""" "what must member states do about ...": a question about obligations, however far the
"do" ("supposed to do" next to each other is a synonym already)."""

_TRUE_THAT = re.compile(
    r"^\W*(?:is it|it is|it's|is this|is that) (?:true|accurate|the case|so)(?: that)?\b\W*",
    re.IGNORECASE,
)
""" "Is it true that 120 States Parties will be present?": a yes/no question about what
follows, the truth words asking nothing themselves."""

_HASH_NUMBER = re.compile(r"(?<![<\w&])#(?=\s*(of\b|[a-z]))", re.IGNORECASE)
"""`# of parties`: the number sign as delegates type it (not a channel mention `<#1>`)."""


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Building allocates millions of small objects and no cycles; the cyclic collector
    would walk the growing heap again and again for nothing (about a fifth of the time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_index(faq: Faq, encoder: SentenceEncoder | None = None) -> FaqIndex:
    """Build the index for `faq`, logging how long it took; with the encoder loaded at
    start-up (`load_encoder`) unless one is given."""
    index = FaqIndex(faq, encoder=encoder or loaded_encoder())
    log.info(
        "FAQ %s indexed: %d entries in %.0f ms", faq.version, len(index), index.build_seconds * 1e3
    )
    return index
