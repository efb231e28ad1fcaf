"""Text normalisation shared by the index and the questions: one function, both sides."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

MAX_QUESTION_CHARS = 500
"""Longer input is cut before matching; nobody asks a FAQ question in more."""

_DISCORD_MARKUP = re.compile(
    r"<a?:\w+:\d+>"  # custom emoji
    r"|<@[!&]?\d+>"  # user and role mentions
    r"|<#\d+>"  # channel mentions
    r"|<t:\d+(?::\w)?>"  # timestamps
    r"|@(?:everyone|here)\b",
)
_URL = re.compile(r"https?://\S+")
_NON_WORD = re.compile(r"[^\w]+")
_BRITISH_ISE = re.compile(r"(?<=\w{3})is(e|ed|es|er|ers|ing|ation|ations)$")
_BRITISH_TRE = re.compile(r"(?<=\w{3})tre(s?)$")

STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any are aren as at be because been before
    being below between both but by can cannot could couldn d did didn do does doesn doing don
    down during each either else etc ever every few for from further get gets got had hadn has
    hasn have haven having he her here hers herself him himself his how i if im in into is isn it
    its itself just let ll m ma me might mine more most must mustn my myself need needs no nor not
    now o of off on once only or other our ours ourselves out over own please pls plz re s same
    shall shan she should shouldn so some such t than that thats the their theirs them themselves
    then there these they this those through thus to too u under until up us ve very via was wasn
    we were weren what whats whatever which while whom will with won would wouldn y yes yet you
    your yours yourself yourselves hi hello hey thanks thank thx ok okay dear bot faq tell know
    like want wanted wondering wonder anyone somebody someone something anything question
    questions answer info information details detail kindly help also really actually exactly
    besides except apart regarding concerning among along within without whether else
    guys folks everyone anybody take takes taking took happen happens happening occur occurs
    """.split()
)
"""Function words and chat filler. Question words that carry meaning (where, when, who, why,
many) are deliberately absent: "where is it" is a venue question."""

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Stem one lower-case word, folding British spellings to American first."""
    word = _BRITISH_TRE.sub(r"ter\1", _BRITISH_ISE.sub(r"iz\1", word))
    return _stemmer.stemWord(word)


def fold(text: str) -> str:
    """Lower-case, strip accents, Discord markup and punctuation; collapse whitespace."""
    text = _DISCORD_MARKUP.sub(" ", text[: MAX_QUESTION_CHARS * 4])
    text = _URL.sub(lambda m: " " + m.group(0).split("//", 1)[1] + " ", text)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NON_WORD.sub(" ", text.casefold()).replace("_", " ")
    return " ".join(text.split()[:MAX_QUESTION_CHARS])


@dataclass(frozen=True, slots=True)
class Synonyms:
    """Phrase rewrites applied to folded text: every variant becomes its canonical phrase."""

    rules: Mapping[tuple[str, ...], tuple[str, ...]]
    sizes_by_first_word: Mapping[str, tuple[int, ...]]
    """For each word that starts a variant, the variant lengths to try, longest first."""

    @classmethod
    def build(cls, table: Mapping[str, Iterable[str]]) -> Synonyms:
        rules: dict[tuple[str, ...], tuple[str, ...]] = {}
        for canonical, variants in table.items():
            target = tuple(fold(canonical).split())
            for variant in variants:
                key = tuple(fold(str(variant)).split())
                if key and key != target:
                    rules[key] = target
        sizes: dict[str, set[int]] = defaultdict(set)
        for key in rules:
            sizes[key[0]].add(len(key))
        return cls(
            rules=rules,
            sizes_by_first_word={w: tuple(sorted(n, reverse=True)) for w, n in sizes.items()},
        )

    def apply(self, words: list[str]) -> list[str]:
        """Rewrite the longest matching variant at each position, left to right."""
        if not self.rules:
            return words
        out: list[str] = []
        i = 0
        while i < len(words):
            for size in self.sizes_by_first_word.get(words[i], ()):
                target = self.rules.get(tuple(words[i : i + size]))
                if target is not None:
                    out.extend(target)
                    i += size
                    break
            else:
                out.append(words[i])
                i += 1
        return out


NO_SYNONYMS = Synonyms(rules={}, sizes_by_first_word={})


QUESTION_TERMS = frozenset(
    stem(w) for w in "where when who why many much mean meant meaning stand long whose".split()
)
"""Stems that say what kind of answer is wanted but not what about: on their own they
never make a question in scope ("who wrote Hamlet" is not a participation question)."""


def words(text: str, synonyms: Synonyms = NO_SYNONYMS) -> list[str]:
    """The meaningful words of a text, in order: folded, synonyms applied, stop words dropped."""
    return [w for w in synonyms.apply(fold(text).split()) if w not in STOP_WORDS]


def terms(text: str, synonyms: Synonyms = NO_SYNONYMS) -> list[str]:
    """The stems of `words`: what the index stores and questions are matched on."""
    return [stem(w) for w in words(text, synonyms)]
