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

import logging
import math
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process, utils

from bot.engine.models import Answer, Candidate, Faq, FaqEntry, Outcome
from bot.engine.text import MAX_QUESTION_CHARS, Synonyms, fold, terms

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where the engine draws its lines; tuned on the dev set, checked on held-out questions."""

    min_coverage: float = 0.6
    answer: float = 0.62
    margin: float = 0.05
    suggest: float = 0.4
    hint_coverage: float = 0.34
    weak_field: float = 0.45
    typo_cutoff: float = 80.0


@dataclass(frozen=True, slots=True)
class _Doc:
    """What the index keeps per entry."""

    entry: FaqEntry
    strong: Counter[str]
    weak: frozenset[str]
    phrases: tuple[str, ...]
    length: int


class FaqIndex:
    """All lookups over one FAQ version; safe to share between tasks, never mutated."""

    def __init__(self, faq: Faq, thresholds: Thresholds | None = None) -> None:
        started = time.perf_counter()
        self.faq = faq
        self.thresholds = thresholds or Thresholds()
        self.synonyms = Synonyms.build(faq.synonyms)
        self._docs = tuple(self._doc(entry) for entry in faq.entries)
        self._position = {d.entry.id: i for i, d in enumerate(self._docs)}
        self._postings: dict[str, list[tuple[int, int, bool]]] = defaultdict(list)
        doc_freq: Counter[str] = Counter()
        for i, doc in enumerate(self._docs):
            for term, count in doc.strong.items():
                self._postings[term].append((i, count, True))
            for term in doc.weak - doc.strong.keys():
                self._postings[term].append((i, 0, False))
            doc_freq.update(doc.strong.keys() | doc.weak)
        n = max(len(self._docs), 1)
        self._idf = {t: math.log(1 + n / df) for t, df in doc_freq.items()}
        self._unknown_idf = math.log(1 + n) + 0.5
        self._vocab = tuple(sorted(self._idf))
        self._avg_length = sum(d.length for d in self._docs) / n or 1.0
        self._autocomplete_phrases = tuple(
            (i, utils.default_process(p))
            for i, d in enumerate(self._docs)
            for p in (d.entry.question, *d.entry.aliases)
        )
        self._correct = lru_cache(maxsize=4096)(self._correct_uncached)
        self.build_seconds = time.perf_counter() - started

    def _doc(self, entry: FaqEntry) -> _Doc:
        strong: Counter[str] = Counter()
        phrases = []
        for phrase in (entry.question, *entry.aliases):
            stems = terms(phrase, self.synonyms)
            strong.update(stems)
            phrases.append(" ".join(stems))
        for keyword in entry.keywords:
            strong.update(terms(keyword, self.synonyms))
        weak = frozenset(terms(entry.answer, self.synonyms))
        return _Doc(entry, strong, weak, tuple(phrases), sum(strong.values()))

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
        ranked, coverage = self._rank(question, limit=5)
        if not ranked:
            return Answer(
                question, Outcome.DECLINED, reason="no words the FAQ knows", faq_version=version
            )
        best = ranked[0]
        if coverage[best.entry.id] < t.min_coverage:
            hints = tuple(c for c in ranked[:3] if coverage[c.entry.id] >= t.hint_coverage)
            return Answer(
                question,
                Outcome.DECLINED,
                alternatives=hints,
                reason="nothing in the FAQ covers this question",
                faq_version=version,
            )
        runner_up = ranked[1] if len(ranked) > 1 else None
        clear = runner_up is None or best.score - runner_up.score >= t.margin
        if best.score >= t.answer and clear:
            rest = tuple(c for c in ranked[1:4] if c.score >= t.suggest)
            return Answer(question, Outcome.ANSWERED, best, rest, faq_version=version)
        choices = tuple(c for c in ranked[:3] if c.score >= t.suggest) or (best,)
        return Answer(
            question,
            Outcome.SUGGESTED,
            alternatives=choices,
            reason="close call between entries" if not clear else "low confidence",
            faq_version=version,
        )

    def rank(self, question: str, limit: int = 5) -> list[Candidate]:
        """The best `limit` entries with their scores, for debugging a wrong answer."""
        return self._rank(question, limit)[0]

    def suggest(self, text: str, limit: int = 25) -> list[FaqEntry]:
        """Entries whose question or alias best matches partly typed text (autocomplete)."""
        query = utils.default_process(text[:MAX_QUESTION_CHARS])
        if not query:
            return [d.entry for d in self._docs[:limit]]
        hits = process.extract(
            query,
            [p for _, p in self._autocomplete_phrases],
            scorer=fuzz.WRatio,
            limit=limit * 4,
            score_cutoff=50,
        )
        picked: dict[int, None] = {}
        for _, _, position in hits:
            picked.setdefault(self._autocomplete_phrases[position][0], None)
            if len(picked) == limit:
                break
        return [self._docs[i].entry for i in picked]

    # --- scoring ---------------------------------------------------------------------------

    def _query_terms(self, question: str) -> dict[str, tuple[float, float]]:
        """Each distinct query term -> (weight, match factor), typos corrected to known terms."""
        weights: dict[str, tuple[float, float]] = {}
        for term in terms(question, self.synonyms):
            if term in self._idf:
                known, factor = term, 1.0
            else:
                known, factor = self._correct(term)
            weight = self._idf.get(known, self._unknown_idf) if factor else self._unknown_idf
            key = known if factor else term
            if key not in weights or weights[key][1] < factor:
                weights[key] = (weight, factor)
        return weights

    def _correct_uncached(self, term: str) -> tuple[str, float]:
        """The closest known term and how much to trust it (0 when nothing is close)."""
        if len(term) < 4 or term.isdigit():
            return term, 0.0
        hit = process.extractOne(
            term, self._vocab, scorer=fuzz.ratio, score_cutoff=self.thresholds.typo_cutoff
        )
        if hit is None or hit[0][0] != term[0]:
            return term, 0.0
        return hit[0], (hit[1] - 60.0) / 40.0

    def _rank(self, question: str, limit: int) -> tuple[list[Candidate], dict[str, float]]:
        query = self._query_terms(question)
        total = sum(w for w, _ in query.values())
        if not total:
            return [], {}
        t = self.thresholds
        covered: dict[int, float] = defaultdict(float)
        bm25: dict[int, float] = defaultdict(float)
        for term, (weight, factor) in query.items():
            if not factor:
                continue
            for i, count, strong in self._postings.get(term, ()):
                covered[i] += weight * factor * (1.0 if strong else t.weak_field)
                if strong:
                    norm = 1.2 * (0.25 + 0.75 * self._docs[i].length / self._avg_length)
                    bm25[i] += weight * factor * count * 2.2 / (count + norm)
        if not covered:
            return [], {}
        shortlist = sorted(covered, key=lambda i: (covered[i], bm25[i]), reverse=True)[:25]
        best_bm25 = max(bm25[i] for i in shortlist) or 1.0
        query_phrase = " ".join(query)
        scored = []
        for i in shortlist:
            phrase = max(
                (fuzz.token_sort_ratio(query_phrase, p) for p in self._docs[i].phrases),
                default=0.0,
            )
            coverage = covered[i] / total
            score = 0.6 * coverage + 0.25 * phrase / 100.0 + 0.15 * bm25[i] / best_bm25
            scored.append((round(min(score, 1.0), 4), coverage, i))
        scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
        top = scored[:limit]
        ranked = [Candidate(self._docs[i].entry, score) for score, _, i in top]
        return ranked, {self._docs[i].entry.id: coverage for _, coverage, i in top}


def build_index(faq: Faq) -> FaqIndex:
    """Build the index for `faq`, logging how long it took."""
    index = FaqIndex(faq)
    log.info(
        "FAQ %s indexed: %d entries in %.0f ms", faq.version, len(index), index.build_seconds * 1e3
    )
    return index


def folded_phrases(entries: Sequence[FaqEntry]) -> list[str]:
    """Every question and alias, folded: what a naive matcher would compare against."""
    return [fold(p) for e in entries for p in (e.question, *e.aliases)]
