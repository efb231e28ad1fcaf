"""Text normalisation shared by the index and the questions: one function, both sides."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

MAX_QUESTION_CHARS = 1000
"""A question is cut to this before matching; nobody asks a FAQ question in more."""

_DISCORD_MARKUP = re.compile(
    r"<a?:\w+:\d+>"  # custom emoji
    r"|<@[!&]?\d+>"  # user and role mentions
    r"|<#\d+>"  # channel mentions
    r"|<t:\d+(?::\w)?>"  # timestamps
    r"|@(?:everyone|here)\b",
)
_URL = re.compile(r"https?://\S+")
_NON_WORD = re.compile(r"[^\w]+")
_TYPOGRAPHY = re.compile("[‘’‚‛“”„‟–—―‐‑‒…•·«»‹›]")
"""Curly quotes, dashes and bullets: common in pasted text, and cheaper to drop than to
decompose with unicodedata."""
_ASCII_PUNCTUATION_TO_SPACE = str.maketrans(
    {chr(c): " " for c in range(128) if not chr(c).isalnum()}
)
_COMBINING_MARK = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
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
    guys folks everyone anybody take takes taking took happen happens happened happening
    occur occurs
    recently currently presently nowadays lately precisely approximately roughly basically
    generally usually normally overall totally altogether anyway already soon right exact
    till correct total going
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
    text = _DISCORD_MARKUP.sub(" ", text)
    text = _URL.sub(lambda m: " " + m.group(0).split("//", 1)[1] + " ", text)
    if not text.isascii():
        text = _TYPOGRAPHY.sub(" ", text)
    if not text.isascii():
        text = _COMBINING_MARK.sub("", unicodedata.normalize("NFKD", text))
    if text.isascii():
        text = text.translate(_ASCII_PUNCTUATION_TO_SPACE).lower()
    else:
        text = _NON_WORD.sub(" ", text.casefold()).replace("_", " ")
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class Synonyms:
    """Phrase rewrites on folded words: every variant becomes its canonical phrase."""

    rules: Mapping[tuple[str, ...], tuple[str, ...]]
    sizes: Mapping[str, tuple[int, ...]]
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
        sizes: dict[str, set[int]] = {}
        for key in rules:
            sizes.setdefault(key[0], set()).add(len(key))
        return cls(rules, {w: tuple(sorted(n, reverse=True)) for w, n in sizes.items()})

    def apply(self, words: list[str]) -> list[str]:
        """Rewrite the longest variant starting at each position, left to right."""
        sizes = self.sizes
        out: list[str] = []
        done = 0
        # Only positions whose word starts some variant are worth a look.
        for i in [i for i, word in enumerate(words) if word in sizes]:
            if i < done:
                continue
            for size in sizes[words[i]]:
                target = self.rules.get(tuple(words[i : i + size]))
                if target is not None:
                    out += words[done:i]
                    out += target
                    done = i + size
                    break
        return out + words[done:] if done else words


NO_SYNONYMS = Synonyms(rules={}, sizes={})


QUESTION_TERMS = frozenset(
    stem(w) for w in "where when who why many much mean meant meaning stand long whose".split()
)
"""Stems that say what kind of answer is wanted but not what about: on their own they
never make a question in scope ("who wrote Hamlet" is not a participation question)."""


def words(text: str, synonyms: Synonyms = NO_SYNONYMS) -> list[str]:
    """The meaningful words of a text, in order: folded, synonyms applied, stop words dropped."""
    return [w for w in synonyms.apply(fold(text).split()) if w not in STOP_WORDS]


_BREAK = "zzfaqbreakzz"
"""A word no text contains, to process many texts in one pass and split them again."""


def split_each(texts: Sequence[str], synonyms: Synonyms = NO_SYNONYMS) -> list[list[str]]:
    """Folded words of several texts, synonyms applied, stop words kept: one pass, not one
    per text (the cost of folding is mostly per call)."""
    return [synonyms.apply(part.split()) for part in fold(f" {_BREAK} ".join(texts)).split(_BREAK)]


REFERENCE_WORDS = frozenset({"articl", "paragraph", "annex", "rule", "protocol"})
"""Stems that a number completes: "article 5" and "article 21" are different things."""


def join_references(stems: list[str]) -> list[str]:
    """`["articl", "21"]` -> `["articl 21"]`: a numbered reference is one term."""
    if not REFERENCE_WORDS.intersection(stems):
        return stems
    out: list[str] = []
    for word in stems:
        if out and out[-1] in REFERENCE_WORDS and word.isdigit():
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
    return out


def terms(text: str, synonyms: Synonyms = NO_SYNONYMS) -> list[str]:
    """The stems of `words`: what the index stores and questions are matched on."""
    return [stem(w) for w in words(text, synonyms)]


ELLIPSIS = "…"


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters (ellipsis included), preferring a word boundary."""
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return text[:limit]
    cut = text[: limit - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space >= limit * 0.6:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


LIST_SHOWN = 5
"""Items named in one line about many (servers, ids, scopes); the rest are counted."""


def shown_list(items: list[str], limit: int = LIST_SHOWN) -> str:
    """`a, b, c, d, e and 995 more`: a long list in one short line."""
    head = ", ".join(items[:limit])
    return f"{head} and {len(items) - limit:,} more" if len(items) > limit else head
