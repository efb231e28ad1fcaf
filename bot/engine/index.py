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
"""

from __future__ import annotations

import gc
import heapq
import logging
import math
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from operator import itemgetter

from rapidfuzz import fuzz, process, utils

from bot.engine.models import Answer, Candidate, Faq, FaqEntry, Outcome
from bot.engine.text import (
    MAX_QUESTION_CHARS,
    QUESTION_TERMS,
    STOP_WORDS,
    Synonyms,
    split_each,
    stem,
    words,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where the engine draws its lines; tuned on the dev set, checked on held-out questions."""

    min_coverage: float = 0.6
    answer: float = 0.5
    margin: float = 0.03
    suggest: float = 0.4
    hint_coverage: float = 0.34
    weak_field: float = 0.45
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


@dataclass(frozen=True, slots=True)
class _Doc:
    """What the index keeps per entry."""

    entry: FaqEntry
    strong: Counter[str]
    weak: frozenset[str]
    phrases: tuple[frozenset[str], ...]
    length: int


@dataclass(frozen=True, slots=True)
class _Scored:
    entry: FaqEntry
    score: float
    coverage: float
    on_topic: bool
    """False when only question words (where, who...) or numbers matched, not the subject."""

    @property
    def candidate(self) -> Candidate:
        return Candidate(self.entry, self.score)


class FaqIndex:
    """All lookups over one FAQ version; safe to share between tasks, never mutated."""

    def __init__(self, faq: Faq, thresholds: Thresholds | None = None) -> None:
        started = time.perf_counter()
        with _gc_paused():
            self._build(faq, thresholds)
        self.build_seconds = time.perf_counter() - started

    def _build(self, faq: Faq, thresholds: Thresholds | None) -> None:
        self.faq = faq
        self.thresholds = thresholds or Thresholds()
        self.synonyms = Synonyms.build(faq.synonyms)
        vocabulary: set[str] = set()
        self._docs = tuple(self._doc(entry, vocabulary) for entry in faq.entries)
        strong_postings: dict[str, list[int]] = defaultdict(list)
        weak_postings: dict[str, list[int]] = defaultdict(list)
        for i, doc in enumerate(self._docs):
            for term in doc.strong:
                strong_postings[term].append(i)
            for term in doc.weak - doc.strong.keys():
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
        self._avg_length = sum(d.length for d in self._docs) / n or 1.0
        self._autocomplete_phrases = tuple(
            (i, utils.default_process(p))
            for i, d in enumerate(self._docs)
            for p in (d.entry.question, *d.entry.aliases)
        )
        self._correct = lru_cache(maxsize=4096)(self._correct_uncached)

    def _doc(self, entry: FaqEntry, vocabulary: set[str]) -> _Doc:
        # Keywords are phrasings too ("venue"): short ones delegates type as they are.
        phrases = (entry.question, *entry.aliases, *entry.keywords)
        *phrase_tokens, answer_tokens = split_each((*phrases, entry.answer), self.synonyms)
        phrase_words = [[w for w in p if w not in STOP_WORDS] for p in phrase_tokens]
        answer_words = set(answer_tokens) - STOP_WORDS
        vocabulary.update(*phrase_words, answer_words)
        stemmed = [list(map(stem, found)) for found in phrase_words]
        strong = Counter(chain.from_iterable(stemmed))
        weak = frozenset(map(stem, answer_words))
        phrase_sets = tuple(frozenset(stems) for stems in stemmed if stems)
        return _Doc(entry, strong, weak, phrase_sets, sum(map(len, stemmed)))

    # --- public API ------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._docs)

    def entry(self, entry_id: str) -> FaqEntry | None:
        return self.faq.by_id.get(entry_id)

    def answer(self, question: str) -> Answer:
        """The engine's verdict: a confident answer, choices to offer, or an honest decline."""
        t = self.thresholds
        version = self.faq.version
        if not question or not question.strip():
            return Answer(question, Outcome.REFUSED, reason="empty question", faq_version=version)
        ranked = self._rank(question, limit=5)
        if not ranked:
            return Answer(
                question, Outcome.DECLINED, reason="no words the FAQ knows", faq_version=version
            )
        best = ranked[0]
        if best.coverage < t.min_coverage or not best.on_topic:
            hints = tuple(s.candidate for s in ranked[:3] if s.coverage >= t.hint_coverage)
            return Answer(
                question,
                Outcome.DECLINED,
                alternatives=hints if best.on_topic else (),
                reason="nothing in the FAQ covers this question",
                faq_version=version,
            )
        runner_up = ranked[1] if len(ranked) > 1 else None
        clear = (
            runner_up is None
            or best.score - runner_up.score >= t.margin
            or self._neighbours(best.entry, runner_up.entry)
        )
        if best.score >= t.answer and clear:
            rest = tuple(s.candidate for s in ranked[1:4] if s.score >= t.suggest)
            return Answer(question, Outcome.ANSWERED, best.candidate, rest, faq_version=version)
        choices = tuple(s.candidate for s in ranked[:3] if s.score >= t.suggest)
        return Answer(
            question,
            Outcome.SUGGESTED,
            alternatives=choices or (best.candidate,),
            reason="close call between entries" if not clear else "low confidence",
            faq_version=version,
        )

    def rank(self, question: str, limit: int = 5) -> list[Candidate]:
        """The best `limit` entries with their scores, for debugging a wrong answer."""
        return [s.candidate for s in self._rank(question, limit)]

    def suggest(self, text: str, limit: int = 25) -> list[FaqEntry]:
        """Entries for partly typed text (autocomplete): the matcher's best guesses for the
        words so far (typos corrected), then questions and aliases the text resembles."""
        picked: dict[int, FaqEntry] = {}
        if text.strip():
            for scored in self._rank(text, limit):
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

    # --- scoring ---------------------------------------------------------------------------

    def _query_terms(self, question: str) -> dict[str, tuple[float, float]]:
        """Each distinct query term -> (weight, match factor), typos corrected to known terms."""
        weights: dict[str, tuple[float, float]] = {}
        for word in words(question[:MAX_QUESTION_CHARS], self.synonyms):
            self._weigh(word, weights)
        return weights

    def _weigh(self, word: str, weights: dict[str, tuple[float, float]]) -> None:
        """Add one question word to `weights`: its rarity, and how sure the match is."""
        term = stem(word)
        if term in self._idf:
            known, factor = term, 1.0
        else:
            known, factor = self._correct(word)
        weight = self._idf.get(known, self._unknown_idf) if factor else self._unknown_idf
        if known in QUESTION_TERMS:
            weight *= self.thresholds.question_word
        elif word.isdigit():
            # Numbers identify things ("article 5" is not "article 21"): a number the
            # entry does not contain must cost more than an ordinary word.
            weight = max(weight, self._unknown_idf) * 2
        key = known if factor else term
        if key not in weights or weights[key][1] < factor:
            weights[key] = (weight, factor)

    def _correct_uncached(self, word: str) -> tuple[str, float]:
        """The stem of the closest known word and how much to trust it (0: nothing close)."""
        term = stem(word)
        if len(word) < 3 or any(ch.isdigit() for ch in word):
            return term, 0.0
        cutoff = self.thresholds.typo_cutoff + (5.0 if len(word) == 3 else 0.0)
        hit = process.extractOne(word, self._vocab, scorer=fuzz.ratio, score_cutoff=cutoff)
        if hit is None or hit[0][0] != word[0]:
            return term, 0.0
        known = stem(hit[0])
        return (known, (hit[1] - 60.0) / 40.0) if known in self._idf else (term, 0.0)

    def _rank(self, question: str, limit: int) -> list[_Scored]:
        query = self._query_terms(question)
        total = sum(w for w, _ in query.values())
        if not total:
            return []
        t = self.thresholds
        # Shortlist: a cheap pass over the postings, then exact scores for the best few.
        rough: dict[int, float] = defaultdict(float)
        for term, (weight, factor) in query.items():
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
        shortlist = [i for i, _ in heapq.nlargest(40, rough.items(), key=itemgetter(1))]
        only_question_words = all(t in QUESTION_TERMS or t.isdigit() for t in query)
        exact = [self._exact(i, query, total) for i in shortlist]
        best_bm25 = max(bm25 for _, _, bm25 in exact) or 1.0
        # Without the phrase part a score is known up to 0.3: visit the best first and stop
        # once even a perfect phrase could not bring an entry into the top `limit`.
        partial = sorted(
            (
                (0.55 * coverage + 0.15 * bm25 / best_bm25, coverage, topical, i)
                for i, (coverage, topical, bm25) in zip(shortlist, exact, strict=True)
                if coverage
            ),
            reverse=True,
        )
        terms = frozenset(query)
        scored: list[_Scored] = []
        for base, coverage, topical, i in partial:
            if len(scored) >= limit and base + 0.3 < scored[limit - 1].score:
                break
            phrase = self._best_overlap(i, query, terms, total)
            score = round(min(base + 0.3 * phrase, 1.0), 4)
            on_topic = topical or only_question_words
            scored.append(_Scored(self._docs[i].entry, score, coverage, on_topic))
            scored.sort(key=lambda s: (s.score, s.coverage), reverse=True)
        return scored[:limit]

    def _exact(
        self, i: int, query: dict[str, tuple[float, float]], total: float
    ) -> tuple[float, bool, float]:
        """Coverage, whether a subject word matched, and BM25 of one entry."""
        doc = self._docs[i]
        covered = bm25 = 0.0
        topical = False
        norm = 1.2 * (0.25 + 0.75 * doc.length / self._avg_length)
        for term, (weight, factor) in query.items():
            if not factor:
                continue
            count = doc.strong.get(term, 0)
            if count:
                covered += weight * factor
                bm25 += weight * factor * count * 2.2 / (count + norm)
            elif term in doc.weak:
                covered += weight * factor * self.thresholds.weak_field
            else:
                continue
            topical = topical or (term not in QUESTION_TERMS and not term.isdigit())
        return covered / total, topical, bm25

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


def build_index(faq: Faq) -> FaqIndex:
    """Build the index for `faq`, logging how long it took."""
    index = FaqIndex(faq)
    log.info(
        "FAQ %s indexed: %d entries in %.0f ms", faq.version, len(index), index.build_seconds * 1e3
    )
    return index
