"""When the release is silent: the checks that turn an entry's answer into "the release does
not mention X. What it does say:" — a topic the entry declares `not_stated`, a speaker the
entry does not report, a thing or place the question names that the entry does not cover,
an answer of another kind than asked, a place a yes/no question names that the entry can
neither confirm nor deny.

Pure functions over what the index knows of its words (`Lexicon`), of an entry
(`EntryTerms`) and of the question (`AskedQuery`); `bot.engine.index` calls them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Protocol

from bot.engine.intent import Intent
from bot.engine.models import AnswerKind, FaqEntry, PremiseCheck
from bot.engine.text import QUESTION_TERMS, STOP_WORDS, Synonyms, fold, stem, words

KIND_WORDS = {
    AnswerKind.WHEN: "a date",
    AnswerKind.WHERE: "a place",
    AnswerKind.WHO: "a name",
    AnswerKind.HOW_MANY: "a number",
    AnswerKind.HOW_LONG: "a duration",
    AnswerKind.WHY: "a reason",
    AnswerKind.SAID: "what was said",
    AnswerKind.WHAT: "a definition",
}
"""What a question of each kind asks for, in "the release does not give that (...)"."""

SUMMING_UP_WORDS = frozenset(
    stem(w)
    for w in """summarize summary tldr nutshell recap gist overview arithmetic math maths
    calculate calculation inclusively inclusive""".split()
)
"""Words asking for the answer shortened or worked out ("key areas tl;dr", "quick arithmetic
check"): how to tell it even where an entry has the word ("summary"), so they weigh little."""

ASKING_WORDS = SUMMING_UP_WORDS | frozenset(
    stem(w)
    for w in """characterize describe portray depict frame framed outline elaborate
    clarify explain comment significance importance purpose relevance context
    background kind kinds type types sort sorts example examples instance
    list lists listed text texts wording passage excerpt confirm confirmation verify
    think thinks thought consider considers considered regard regarded envisage envisaged
    envisages position positioned indicate indicates indicated single singled grounds
    """.split()
)
"""Words saying how the answer should be told ("characterise", "the significance of"), or
framing what is asked ("what kinds of participants", "the Red Cross for example"), never
what it is about."""

ASPECT_WORDS = frozenset(stem(w) for w in "still already yet ever even today now anymore".split())
"""Adverbs of time and aspect: a question is "still" or "today" about its subject, and an
entry's phrasing with them ("is lithuania still a state party") is no evidence of it."""

_POSSESSIVE = re.compile(r"\b(\w+) s (\w+)\b")
"""A folded possessive: "lithuania's army" -> "lithuania s army"."""


def is_adverb(word: str) -> bool:
    """An English adverb of manner by its form ("directly", "legally"; not "italy")."""
    return len(word) > 5 and word.endswith("ly")


def display_name(name: str) -> str:
    """A folded place name as it is written: "New York", "USA"."""
    return name.upper() if len(name) <= 3 else name.title()


class EntryTerms(Protocol):
    """What the silence checks read of an indexed entry."""

    @property
    def strong(self) -> Counter[str]: ...
    @property
    def weak(self) -> frozenset[str]: ...
    @property
    def phrases(self) -> tuple[frozenset[str], ...]: ...
    @property
    def silent(self) -> tuple[tuple[str, frozenset[str]], ...]: ...
    @property
    def silent_terms(self) -> frozenset[str]: ...


class AskedQuery(Protocol):
    """What the silence checks read of a parsed question."""

    @property
    def folded(self) -> str: ...
    @property
    def terms(self) -> dict[str, tuple[float, float]]: ...
    @property
    def intent(self) -> Intent: ...
    @property
    def implied(self) -> frozenset[str]: ...
    @property
    def names(self) -> frozenset[str]: ...
    @property
    def shown(self) -> Mapping[str, str]: ...
    @property
    def asked_folded(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Lexicon:
    """What the index knows of words, as the silence checks need it."""

    synonyms: Synonyms
    places: frozenset[str]
    """Place names of the index's language(s), folded."""
    known_words: frozenset[str]
    """Whole words the FAQ uses."""
    known_terms: Collection[str]
    """Stems the index weighs."""
    silent_terms: frozenset[str]
    """Stems of every topic some entry declares the release silent on."""
    reads_stems: bool
    """Another language's analysis reads the words (it stems them)."""
    rare_zipf: float
    silent_zipf: float
    zipf: Callable[[str], float]
    correct: Callable[[str], tuple[str, float]]
    is_stop_typo: Callable[[str], bool]

    def read(self, folded_words: frozenset[str]) -> frozenset[str]:
        """Folded words, and the forms the question's words take once read: another
        language's analysis stems them ("lettonie" is read "letton")."""
        if not self.reads_stems:
            return folded_words
        return folded_words | {w for word in folded_words for w in self.synonyms.apply([word])}

    def word_zipf(self, word: str) -> float:
        """How common a word is, counting an English plural as common as its singular:
        "considerations" (3.7) is as ordinary as "consideration" (4.3), not a rare thing."""
        zipf = self.zipf(word)
        if self.reads_stems or len(word) <= 4 or not word.endswith("s") or word.endswith("ss"):
            return zipf
        singular = f"{word[:-3]}y" if word.endswith("ies") else word[:-1]
        return max(zipf, self.zipf(singular))


def unchecked_name(
    lexicon: Lexicon,
    query: AskedQuery,
    premise: PremiseCheck | None,
    entry: FaqEntry | None = None,
    doc: EntryTerms | None = None,
) -> str | None:
    """A yes/no question about a place the FAQ does not know ("is russia a party?") that
    the entry can neither confirm nor deny: the release does not mention it. Of a place
    the entry names for something else ("is Ukraine a state party?" of the conflicts
    entry), the question's other FAQ words must be the entry's too. A premise
    checked on another place leaves it unchecked ("is russia using them in ukraine?")."""
    checked = set(premise.premise.split()) if premise is not None else set()
    unchecked = query.intent.other_places - checked
    if unchecked and (premise is None or premise.holds):
        names = ", ".join(sorted(display_name(query.shown.get(p, p)) for p in unchecked))
        return f"The release does not mention {names}. What it does say:"
    if premise is not None or entry is None or doc is None or not query.intent.yes_no:
        return None
    # A place the entry's own question names is what the entry is about ("Lithuania's
    # withdrawal"): its answer speaks of it.
    own = set(fold(entry.question).split())
    # Written as a name ("Ukraine"): "reunión" is a meeting, not the island.
    places = [
        w
        for w in query.folded.split()
        if w in query.names and w in lexicon.places and w in lexicon.known_words and w not in own
    ]
    if not places:
        return None
    covered = doc.strong.keys() | doc.weak
    missing = [
        term
        for term, (_, factor) in query.terms.items()
        if factor == 1.0
        and term in lexicon.known_terms
        and term not in covered
        and term not in QUESTION_TERMS
        and term not in query.implied
    ]
    if not missing:
        return None
    names = ", ".join(sorted({display_name(p) for p in places}))
    return f"The release does not say that of {names}. What it does say:"


def silence(
    lexicon: Lexicon, doc: EntryTerms, query: AskedQuery, kind_mismatch: bool
) -> str | None:
    """What the release does not say, when the question asks exactly that of the entry
    `doc` indexes (an answer of the words or of the encoder alike)."""
    asked = query.terms.keys()
    # The entry's own phrasing ("timing") answers, even if a silent topic ("the time")
    # has the same words.
    own = doc.phrases[: len(doc.phrases) - len(doc.silent)]
    for topic, topic_terms in () if frozenset(asked) in own else doc.silent:
        if topic_terms <= asked:
            return f"The release does not mention {topic}. What it does say:"
    speaker = query.intent.speaker
    # The speaker must be what the entry is about (its question, aliases, keywords), not
    # a country its answer names: "what did Ukraine say" is not answered by the use there.
    if speaker and not {stem(w) for w in words(speaker, lexicon.synonyms)} <= doc.strong.keys():
        who = speaker.replace(" s ", "’s ")
        return f"The release does not report what {who} said. What it does say:"
    covered = doc.strong.keys() | doc.weak | doc.silent_terms
    for word in possessed_things(lexicon, query, covered):
        return f"The release does not mention “{word}”. What it does say:"
    for word in uncovered_things(lexicon, query, covered):
        return f"The release does not mention “{word}”. What it does say:"
    # "how many submunitions were destroyed": the entry's number counts something else.
    counted = counted_thing(lexicon, query)
    if counted is not None and counted[1] not in doc.strong.keys() | doc.weak:
        return f"The release does not give the number of {counted[0]}. What it does say:"
    kind = query.intent.kind
    if kind_mismatch and kind is not None and not query.intent.yes_no:
        return f"The release does not give that ({KIND_WORDS[kind]}). What it does say:"
    return None


_COUNTED = re.compile(r"\b(?:how many|number of) (?P<rest>(?:\w+ ){0,3}\w+)")


def counted_thing(lexicon: Lexicon, query: AskedQuery) -> tuple[str, str] | None:
    """What a "how many" question counts ("how many submunitions were destroyed"), as
    written and as the FAQ's term (typos corrected); None for another question, a word the
    FAQ does not know, or one that may not be a noun ("how many are coming")."""
    match = None if lexicon.reads_stems else _COUNTED.search(query.asked_folded)
    if match is None:
        return None
    for word in lexicon.synonyms.apply(match["rest"].split()):
        if word in STOP_WORDS:
            continue
        if word.endswith(("ing", "ed")) or is_adverb(word) or stem(word) in ASKING_WORDS:
            return None
        term, factor = (
            (stem(word), 1.0) if stem(word) in lexicon.known_terms else lexicon.correct(word)
        )
        return (word, term) if factor else None
    return None


def possessed_things(lexicon: Lexicon, query: AskedQuery, covered: set[str]) -> Iterator[str]:
    """ "lithuania's army": another attribute of a country or city, whatever the word
    and however alike the sentences ("the convention's rules" is not a place's); and a
    country or city the entry does not name."""
    text = " ".join(lexicon.synonyms.apply(query.folded.split()))
    premises = query.intent.premise_words | {query.intent.place or ""}
    for match in _POSSESSIVE.finditer(text):
        word = match[2]
        if match[1] in lexicon.places and word not in STOP_WORDS and stem(word) not in covered:
            yield word
    # A country the FAQ names elsewhere ("what did the presidency say about Ukraine"):
    # this entry says nothing of it.
    for word in text.split():
        checked = word in lexicon.read(premises)
        if word in lexicon.places and not checked and stem(word) not in covered:
            yield display_name(word)


def _after_determiners(synonyms: Synonyms, folded: str) -> frozenset[str]:
    """Another language's words after its determiners ("la parole", "el orden"), as
    they are read: its analysis drops the determiners English's pattern looks for."""
    determiners: frozenset[str] = getattr(synonyms, "determiners", frozenset())
    tokens = folded.split()
    return frozenset(
        word
        for before, token in pairwise(tokens)
        if before in determiners
        for word in synonyms.apply([token])
    )


def uncovered_things(lexicon: Lexicon, query: AskedQuery, covered: set[str]) -> Iterator[str]:
    """Words naming a thing ("the budget", "population of") that the entry does not
    cover, rare enough in English to be what the question is about, not filler."""
    asked = query.asked_folded
    text = " ".join(lexicon.synonyms.apply(asked.split()))
    nouns = _after_determiners(lexicon.synonyms, asked)
    # Another language's reading stems the words: the note shows them as the asker wrote
    # them ("deuxieme", not its stem "deuxiem").
    written = (
        {read: word for word in query.folded.split() for read in lexicon.synonyms.apply([word])}
        if lexicon.reads_stems
        else {}
    )
    tokens = text.split()
    for position, word in enumerate(tokens):
        if len(word) <= 3 or word in STOP_WORDS or stem(word) in covered:
            continue
        if stem(word) in QUESTION_TERMS or word in lexicon.read(query.intent.premise_words):
            continue
        if stem(word) in ASKING_WORDS or is_adverb(word):
            # "how did participants characterise ...": how the asker wants it told.
            continue
        if stem(word) not in lexicon.known_terms and lexicon.is_stop_typo(word):
            continue
        known, factor = (
            (stem(word), 1.0) if stem(word) in lexicon.known_terms else lexicon.correct(word)
        )
        zipf = lexicon.word_zipf(word)
        # "accused of letting": a participle next to "of" is a verb of the asking.
        verb = word.endswith(("ed", "ing"))
        if factor and (known in covered or known not in lexicon.silent_terms):
            # A word of the FAQ's own domain ("treaty", "consultation") is not a new
            # subject; only the topics some entry declares the release silent on are.
            continue
        rare = 0.0 < zipf <= lexicon.rare_zipf
        # Nouns come with these words; a verb of the asking ("who spoke") does not.
        before = (
            "the|a|an|its|their|these|those|s" if verb else "the|a|an|its|their|these|those|s|of"
        )
        # "the tough security situation": an English word before one the entry covers
        # describes that thing; it is not another thing (French "la deuxième conférence"
        # puts its ordinals there: read as before).
        followers = [] if lexicon.reads_stems else re.findall(rf"\b{word} (\w+)", text)
        describes = bool(followers) and all(
            f not in STOP_WORDS and stem(f) in covered for f in followers
        )
        thing = (
            0.0 < zipf <= lexicon.silent_zipf
            and not describes
            and bool(
                word in nouns
                or re.search(rf"\b({before}) {word}\b", text)
                or (not verb and re.search(rf"\b{word} of\b", text))
            )
        )
        # "which countries are still making them": the verb after "still" is what is asked.
        after_aspect = position > 0 and stem(tokens[position - 1]) in ASPECT_WORDS
        if word in query.names or rare or thing or (after_aspect and not lexicon.reads_stems):
            yield query.shown.get(word, written.get(word, word))
