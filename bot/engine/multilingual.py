"""One question in any language: which language to answer in, and the answer in it.

The rule: the question's own language when it is detected with confidence and the FAQ is
written in it; otherwise the asker's preferred language (`fallback`: the Discord locale,
else the server's, else English). A question confidently in another language (German,
Arabic...) is matched across languages by the multilingual sentence encoder and answered in
English; the adapters add one line in the asker's language saying which languages the bot
speaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from operator import itemgetter

from bot.engine.index import FaqIndex
from bot.engine.intent import read_intent
from bot.engine.language import (
    ENGLISH,
    QUESTION_KINDS,
    YES_NO_OPENER,
    Detection,
    LanguageAnalysis,
    LanguageDetector,
    LanguageMarkers,
    language_detector,
    opens_asking,
    stem_frequencies,
    with_english_choices,
    with_question_words,
    without_idioms,
    without_request_frames,
    without_unaccented_question_words,
)
from bot.engine.models import (
    Answer,
    AnswerKind,
    Candidate,
    Faq,
    Language,
    Outcome,
    PremiseCheck,
)
from bot.engine.text import fold

CROSS_LINGUAL_ANSWER = 0.5
"""Encoder similarity at which a question in a language without content is answered with
the closest entry (measured in docs/matching-options: paraphrases score above it)."""
CROSS_LINGUAL_MARGIN = 0.05
"""... and by this much ahead of the next entry; closer calls are offered as choices."""
TRANSLATED_ANSWER = 0.6
"""The same, for a French or Spanish question the lexical engine declined: stricter, since
near-domain questions ("the Ottawa Convention's next meeting") score up to ~0.6 too; below
it the closest entries are offered as choices."""
TRANSLATED_PARAPHRASE = 0.75
"""`Thresholds.encoder_answer` (0.63 in English) in a translation's own index: a question is
closer to phrasings in its own language than to their English originals, so unrelated
entries score higher too ("cuando es el meeting de la CCM": the Convention's adoption at
0.74); from 0.75 the tuning sets' paraphrases it answered were all right but one."""
TRANSLATED_SILENT_ZIPF = 5.5
"""`Thresholds.silent_zipf` (5.3 in English) in a translation's index: a stem weighs as
common as all its forms together (`StemFrequencies`), which puts a noun up to ~0.3 above
its commonest form (singular and plural), so the bar for "a thing the release does not
mention" moves with it ("¿Cuál es la capital de Suiza?": "capital" 5.35, answered by the
venue at 5.3). No tuning question changed between 5.3 and 5.5."""
TRANSLATED_RARE_ZIPF = 3.0
"""`Thresholds.rare_zipf` (3.8 in English) in a translation's index: a French or Spanish verb
is spread over many more forms than an English one, and its stem does not join them all
("compromet", "enfreint", "attribuent": 3.2-3.4), so at 3.8 a verb of the question was read
as a rare thing the release does not mention ("la Lituanie a-t-elle enfreint la
Convention ?"); what a question names still is ("accréditation", 3.5, is a silent topic of
the entries it reaches)."""
TRANSLATED_AGREE = 0.6
"""`Thresholds.encoder_agree` (0.5 in English) in a translation's own index: a declined
question whose first hint is also, clearly, the encoder's closest entry is answered from
this likeness, the silence checks still applying ("la « normalisation » dont ils parlent,
c'est quoi": the normalisation entry, first for both, 0.68). On the tuning sets the rule's
right answers were at 0.56-0.68 and its wrong one at 0.58; at 0.55 it also answered an
out-of-scope question of a validation set."""
CROSS_LINGUAL_SUGGEST = 0.35
"""Entries at least this close are offered as "did you mean" instead of a bare decline."""


def translated_index(english: FaqIndex, code: str) -> FaqIndex:
    """The index of the FAQ's translation `code`, read by its language, with the English
    index's settings."""
    translated = english.faq.translations[code]
    assert translated.language is not None
    analysis = LanguageAnalysis.of(translated.language, translated.synonyms)
    # Built with the index (a reload's thread), not by the first question that needs it.
    stem_frequencies(analysis.code, analysis.stemmer_name)
    return FaqIndex(
        translated,
        thresholds=replace(
            english.thresholds,
            encoder_answer=TRANSLATED_PARAPHRASE,
            silent_zipf=TRANSLATED_SILENT_ZIPF,
            encoder_agree=TRANSLATED_AGREE,
            rare_zipf=TRANSLATED_RARE_ZIPF,
        ),
        weights=english.weights,
        encoder=english.encoder,
        analysis=analysis,
    )


def with_numbers_in_digits(question: str, index: FaqIndex) -> str:
    """`question` with each number its language's synonyms write in words ("nonante",
    "noventa") in digits: a number in a premise is checked as written ("90 États parties,
    c'est juste ?": "Non — 112"), where a word the stemmer cuts ("non") reads as another."""
    numbers = [
        (variant, canonical[0])
        for variant, canonical in index.synonyms.rules.items()
        if len(canonical) == 1 and canonical[0].isdigit()
    ]
    for variant, digits in sorted(numbers, key=lambda pair: -len(pair[0])):
        spelt = r"[\s-]+".join(map(re.escape, variant))
        # Not a part of a larger number ("soixante-douze", "treinta y cinco").
        whole = rf"(?<![\w-]){spelt}(?![\w-]|\s+(?:y|et)\s)"
        question = re.sub(whole, digits, question, flags=re.IGNORECASE)
    return question


def answer_in(index: FaqIndex, question: str) -> Answer:
    """`index`'s answer to `question` asked in its FAQ's language (its question words read
    as the English ones the engine knows)."""
    language = index.faq.language
    if language is None:
        return index.answer(question)
    asked = question
    question = without_idioms(with_numbers_in_digits(question, index), language)
    question = with_fragments_joined(without_request_frames(question, language), language)
    question = without_unaccented_question_words(with_english_choices(question, language), language)
    for parts in (sentence_parts(question, language), language_parts(question, language)):
        if len(parts) > 1:
            combined = index.answer_parts(
                asked, [with_question_words(part, language) for part in parts]
            )
            if combined is not None:
                return combined
    read = sentences_with_question_words(with_opened_questions(question), language)
    answer = index.answer(read)
    if answer.outcome in (Outcome.SUGGESTED, Outcome.DECLINED) and read != (
        whole := with_question_words(question, language)
    ):
        # Its sentences found nothing: the message as a whole may still ask what the release
        # does not say ("hay side events? donde veo el programa?"), never more than that.
        as_whole = index.answer(whole)
        if as_whole.outcome is Outcome.NOT_STATED:
            answer = as_whole
    if answer.outcome is Outcome.DECLINED:
        answer = asking_clauses(index, question, language) or answer
    answer = place_of_another(index, question, language, answer) or answer
    answer = other_reference(index, question, language) or answer
    return replace(answer, question=asked)


LONG_MESSAGE_WORDS = 15
"""Words from which a declined message may be a scene around its question."""
SCENE_WORDS = 5
"""Words before its first asking clause from which a message sets a scene (who asks, why)."""
CLAUSE = re.compile(r"¿?[^,;:.!?¿¡]+")
"""A clause of a message, with the "¿" opening it, if any."""


def asking_clauses(index: FaqIndex, question: str, language: Language) -> Answer | None:
    """ "Hola buenas, soy voluntaria de …, estamos preparando una charla …, pero lo
    principal es saber cuántos Estados Partes van a estar…": a long message declined as a
    whole, with no other treaty or meeting in it, whose clauses that ask (a question word,
    an asking word first, a "¿") come after a scene: answered by those clauses, without
    the greetings and the scene around them; None unless they are."""
    if len(fold(question).split()) < LONG_MESSAGE_WORDS or names_other_things(index, question):
        return None
    clauses = [c.strip() for c in CLAUSE.findall(question) if fold(c)]
    asks = [
        c.startswith("¿") or _asks_kind(c, language) or opens_asking(c, language) for c in clauses
    ]
    asking = [c for c, a in zip(clauses, asks, strict=True) if a]
    scene = clauses[: asks.index(True)] if asking else clauses
    if not asking or len(fold(" ".join(scene)).split()) < SCENE_WORDS:
        return None
    if len(asking) > 1:
        parts = [with_question_words(without_request_frames(c, language), language) for c in asking]
        combined = index.answer_parts(question, parts)
        if combined is not None:
            return combined
    for clause in reversed(asking):
        found = answer_in(index, clause)
        if found.outcome is Outcome.ANSWERED:
            return found
    return None


def _asks_kind(clause: str, language: Language) -> bool:
    """`clause` has a question word of a kind ("cuántos", "quel jour")."""
    read = with_question_words(clause, language)
    return any(kind in read[: len(read) - len(clause)].split(" ") for kind in QUESTION_KINDS) or (
        "how many" in read[: len(read) - len(clause)]
    )


def names_other_things(index: FaqIndex, question: str) -> bool:
    """The question names a treaty or body the FAQ does not cover (`not_about`), or
    another meeting of the subject's series ("13e assemblée")."""
    folded = f" {fold(question)} "
    if index.other_meeting(folded.strip()) is not None:
        return True
    return any(f" {fold(name)} " in folded for name in index.faq.not_about)


REFERENCE = re.compile(
    r"\b(?P<word>art(?:icles?|[ií]culos?)?\.?)\s*(?:n[°ºo]\s*)?(?P<number>\d{1,3})\b",
    re.IGNORECASE,
)
"""A numbered article as French and Spanish write it ("l'article 12", "artículo 7", "art. 1")."""


def other_reference(index: FaqIndex, question: str, language: Language) -> Answer | None:
    """ "C'est l'article 1 qui oblige à encourager les autres États à adhérer ?": a yes/no
    question naming an article no entry has, whose rest is answered by an entry naming one
    other article, gets "No — Article 21." and that entry, as English does; None otherwise
    (the release cannot be silent on what its own article says)."""
    named = list(REFERENCE.finditer(question))
    if len(named) != 1 or not with_question_words(question, language).startswith(
        f"{YES_NO_OPENER} "
    ):
        return None
    reference = named[0]
    answers = [entry.answer for entry in index.faq.entries]
    if any(m["number"] == reference["number"] for a in answers for m in REFERENCE.finditer(a)):
        return None
    rest = f"{question[: reference.start()]}{reference['word']}{question[reference.end() :]}"
    # What is checked is the sentence naming the article, not a tag after it ("Entiendo que
    # es el artículo 7 el que regula la universalización; ¿es así según el comunicado?").
    naming = [s for s in message_sentences(with_opened_questions(rest)) if reference["word"] in s]
    found = answer_in(index, naming[0] if len(naming) == 1 else rest)
    if not found.answered or found.best is None or found.premise is not None:
        return None
    stated = {m.group() for m in REFERENCE.finditer(found.best.entry.answer)}
    if len({REFERENCE.fullmatch(s)["number"] for s in stated}) != 1:  # type: ignore[index]
        return None
    written = min(stated, key=len)
    written = f"{written[0].upper()}{written[1:]}."
    return replace(
        found,
        premise=PremiseCheck(holds=False, premise=fold(reference.group()), stated=written),
        reason=f"the entry of another article: the FAQ has no {reference.group()}",
    )


WORD = re.compile(r"[^\W\d_][\w-]*")
"""A word of a question as written (its case kept: a place is a capitalised name)."""
PLACE_ARTICLES = frozenset({"la", "le", "les", "l", "el", "los", "las"})
"""Articles between a place word and a place ("à la Haye", "en El Salvador")."""


def place_of_another(
    index: FaqIndex, question: str, language: Language, answer: Answer
) -> Answer | None:
    """ "c'est à Lausanne ?", "¿la reunión es en Lausana?": a yes/no question whose place is
    another entry's thing (the Lausanne Action Plan) asks where its subject is, as English's
    "is the meeting in Lausanne?" does: the entry of that where-question answers, not the
    plan's. None for any other question."""
    wheres = language.question_words.get("where", ())
    if not wheres or not with_question_words(question, language).startswith(f"{YES_NO_OPENER} "):
        return None
    tokens = list(WORD.finditer(question))
    for i, word in enumerate(tokens[:-1]):
        if fold(word.group()) not in language.place_words:
            continue
        named = tokens[i + 1]
        if fold(named.group()) in PLACE_ARTICLES and i + 2 < len(tokens):
            named = tokens[i + 2]
        if not named.group()[0].isupper():
            continue
        of_value = index.answer(named.group())
        if of_value.outcome is not Outcome.ANSWERED or of_value.best is None:
            continue
        value_entry = of_value.best.entry
        if f" {fold(named.group())} " not in f" {fold(value_entry.question)} ":
            # A place the entry only answers with ("¿se menciona a Ucrania?": the conflicts
            # the weapons are used in) is what is asked about, not another thing's name.
            continue
        if answer.answered and answer.best is not None and answer.best.entry is not value_entry:
            return None
        about = f"{question[: word.start()]}{wheres[0]}{question[named.end() :]}"
        found = index.answer(with_question_words(about, language))
        if (
            found.outcome is not Outcome.ANSWERED
            or found.best is None
            or found.best.entry is value_entry
            or found.premise is not None
            or (found.best.entry.answers and AnswerKind.WHERE not in found.best.entry.answers)
        ):
            return None
        reason = f"answers what the question checks of its subject: “{about.strip()}”"
        return replace(found, reason=reason)
    return None


OPENED_QUESTION = re.compile(r"(?<=\w)\s*[,;:]?\s+¿")
"""An opening question mark after words (Spanish): what comes before it is another
sentence ("Trabajo en una ONG en Quito, ¿las organizaciones … participan?")."""


def with_opened_questions(question: str) -> str:
    """`question` with a sentence break before each "¿" that follows words, so the engine,
    which tries a long message sentence by sentence, tries the question without the
    asker's scene before it (the message as a whole is still tried first)."""
    return OPENED_QUESTION.sub(". ¿", question)


SENTENCE_BREAK = re.compile(r"(?<=[.!?;:])\s+")
"""Where a message's sentences end, as the engine splits a long message into clauses."""


def message_sentences(question: str) -> list[str]:
    """The sentences of `question` that have words (`SENTENCE_BREAK`)."""
    return [s for s in SENTENCE_BREAK.split(question.strip()) if fold(s)]


FRAGMENT_WORDS = 3
"""Words up to which a sentence of question words alone ("Vers qui ?", "¿y cuándo?") is a
follow-up of the sentence before it."""


def with_fragments_joined(question: str, language: Language) -> str:
    """`question` with each follow-up fragment, a short sentence of stop words and question
    words alone ("Le dialogue a-t-il recommandé d'élargir le plaidoyer ? Vers qui ?",
    "EEUU le mandó bombas a Ucrania? cuándo?"), joined to the sentence it follows: it asks
    about that sentence's thing, not about the meeting, which a question naming nothing is
    read as."""
    sentences = message_sentences(with_opened_questions(question))
    if len(sentences) < 2:
        return question
    asking = {fold(p) for kind in QUESTION_KINDS for p in language.question_words.get(kind, ())}
    joined = [sentences[0]]
    for sentence in sentences[1:]:
        folded = fold(sentence).split()
        fragment = (
            len(folded) <= FRAGMENT_WORDS
            and any(w in asking for w in folded)
            and all(w in asking or w in language.stop_words for w in folded)
        )
        if fragment:
            joined[-1] = f"{joined[-1].rstrip(' ?!.;:')} {sentence.lstrip('¿')}"
        else:
            joined.append(sentence)
    return " ".join(joined) if len(joined) < len(sentences) else question


def sentences_with_question_words(question: str, language: Language) -> str:
    """`question` with each sentence's question words put first in it, in English
    (`with_question_words`): the engine tries a long message sentence by sentence, and
    each must carry its own kind ("Hola, buen día. Nuestra misión necesita saber cuántos
    días son las sesiones": "how many" belongs to the second sentence, not the greeting)."""
    sentences = message_sentences(question)
    if len(sentences) < 2:
        return with_question_words(question, language)
    return " ".join(with_question_words(sentence, language) for sentence in sentences)


def sentence_parts(question: str, language: Language) -> list[str]:
    """The parts of the first sentence of `question` that asks two things (`language_parts`),
    without the sentences around it: in "Bonjour, je viens d'arriver à la mission … .
    Pourriez-vous me rappeler où et quand elle a lieu ?" the greeting and the scene are no
    part of "où"; `[question]` when no sentence splits."""
    sentences = message_sentences(with_opened_questions(question))
    if len(sentences) < 2:
        return [question]
    for sentence in sentences:
        parts = language_parts(sentence, language)
        if len(parts) > 1:
            return parts
    return [question]


PLUS = re.compile(r"\s*[+&]\s*")
"""A "+" or "&" joining two questions ("ville + dates", "fechas & lugar")."""

CONJUNCTIONS = ("and", "et", "y", "e", "pis")
"""What joins two questions in one message ("où est-ce et combien d'États y vont ?"), in
the FAQ's languages (Quebec French's "pis" too): where one is followed by a question word
of the language, it splits."""


def language_parts(question: str, language: Language) -> list[str]:
    """`question` split where a conjunction, a comma, "+" or "&" comes right before one of
    `language`'s question words or asking words ("dónde es la reunión y cuántos estados
    partes participan", "quel article … et quel mail …")."""
    phrases = sorted(
        {fold(p) for kind in QUESTION_KINDS for p in language.question_words.get(kind, ())}
        | set(language.asking_words),
        key=len,
        reverse=True,
    )
    if not phrases:
        return [question]
    asking = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases if p)
    joins = "|".join(CONJUNCTIONS)
    # After the conjunction, a yes/no opener, a place word or a preposition (one of the
    # language's stop words) may come first ("et c'est où ?", "y en qué ciudad…", "y para
    # cuándo…", "et pour quand…").
    lead = sorted(
        {fold(p) for p in language.question_words.get(YES_NO_OPENER, ())}
        | set(language.place_words)
        | {w for w in language.stop_words if w.isalpha()},
        key=len,
        reverse=True,
    )
    leading = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in lead if p)
    optional = rf"(?:(?:{leading})\s+)?" if leading else ""
    splitter = re.compile(rf"\s*(?:,?\s+(?:{joins})\s+|,\s*)(?={optional}(?:{asking})\b)")
    # Folding drops "+" and "&": read as the conjunction they stand for ("lieu + dates").
    folded = f" {fold(PLUS.sub(' and ', question))} "
    for idiom in language.idioms:
        # "… et, d'autre part, quel article …": an idiom between the conjunction and the
        # question word asks nothing.
        folded = folded.replace(f" {idiom} ", " ")
    parts = [p.strip() for p in splitter.split(folded.strip()) if p.strip()]
    return parts if len(parts) > 1 else [question]


@dataclass(frozen=True, slots=True)
class LocalizedAnswer:
    """The engine's answer and the language it is written in."""

    answer: Answer
    """Its entries are those of the FAQ in `language`."""
    language: str
    """The language of the entries and of every text around them ("en", "fr", "es")."""
    asked_in: str | None = None
    """The question's language when detected with confidence (any ISO 639-1 code)."""

    @property
    def other_language(self) -> str | None:
        """The question's language when the FAQ is not written in it (the adapters then say
        which languages the bot speaks, in that language)."""
        return self.asked_in if self.asked_in and self.asked_in != self.language else None


class MultilingualIndex:
    """The English index and one per translation, built with the same encoder."""

    def __init__(self, english: FaqIndex, detector: LanguageDetector | None = None) -> None:
        self.english = english
        self.faq = english.faq
        self.encoder = english.encoder
        self.detector = detector or language_detector()
        self.indexes: dict[str, FaqIndex] = {ENGLISH: english}
        # Each translation's own questions and aliases are encoded too (cached by text): a
        # French question is closer to French phrasings than to their English originals,
        # and its index's encoder picks among its "did you mean" choices as English's does.
        for code in self.faq.translations:
            self.indexes[code] = translated_index(english, code)
        self.markers = LanguageMarkers.of(self.faq)
        self._entry_ids = tuple(e.id for e in self.faq.entries)

    @property
    def faqs(self) -> dict[str, Faq]:
        """Language code -> the FAQ in it, English first."""
        return {code: index.faq for code, index in self.indexes.items()}

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.indexes)

    def written_in(self, question: str) -> str | None:
        """The question's language when detected with confidence and the FAQ has it."""
        detected = self.detect(question).code
        return detected if detected in self.indexes else None

    def detect(self, question: str) -> Detection:
        """fastText's detection; where it is not sure of a FAQ language, the words and
        letters only one FAQ language writes ("tel de l'UAA", "¿fechas?") decide."""
        detection = self.detector.detect(question)
        marked = self.markers.decide(question, detection.code, detection.guess)
        if marked is None or marked == detection.code:
            return detection
        return Detection(marked, detection.score, marked)

    def index_in(self, language: str | None) -> FaqIndex:
        """The index of the FAQ in `language`, else the English one."""
        return self.indexes.get(language or ENGLISH, self.english)

    def language_of(self, locale: str | None) -> str | None:
        """The FAQ language a Discord locale ("fr", "es-419", "en-US") reads, if any."""
        if not locale:
            return None
        for code, faq in self.faqs.items():
            if faq.language is not None and locale in faq.language.locales:
                return code
        base = locale.split("-")[0].lower()
        return base if base in self.indexes else None

    def answer(
        self, question: str, *, language: str | None = None, fallback: str = ENGLISH
    ) -> LocalizedAnswer:
        """The answer, in `language` when given (`faqbot ask --lang`), else by the rule
        above; `fallback` is the asker's preferred FAQ language."""
        if language in self.indexes:
            return LocalizedAnswer(self._answer_in(language, question), language)
        detection = self.detect(question)
        detected = detection.code
        if detected in self.indexes:
            answer = self._answer_in(detected, question)
            if answer.outcome is Outcome.DECLINED and detected != ENGLISH:
                # English words in a question detected as French ("quand a lieu le meeting");
                # without any, the English engine would only be guessing from typo fixes.
                english = self.english.answer(question)
                other_things = names_other_things(self.indexes[detected], question)
                if (
                    english.outcome is Outcome.ANSWERED
                    and self.markers.count(question)[ENGLISH]
                    and not other_things
                ):
                    answer = self._translated(english, detected)
                elif not other_things:
                    # A paraphrase the words do not reach: the encoder, across languages
                    # (English has its own second opinion inside the engine).
                    read_as = self.indexes[detected].faq.language
                    asked = with_question_words(question, read_as) if read_as else question
                    kind = read_intent(fold(asked), frozenset()).kind
                    found = self._by_encoder(
                        question,
                        answer,
                        answer_at=TRANSLATED_ANSWER,
                        kind=kind,
                        hints_only=True,
                    )
                    answer = self._translated(found, detected)
            return LocalizedAnswer(answer, detected, detected)
        if detected is not None:
            return self._other_language(question, detected)
        chosen = fallback if fallback in self.indexes else ENGLISH
        answer = self._answer_in(chosen, question)
        if not answer.shows_entry and answer.outcome is not Outcome.REFUSED:
            # Too short to detect ("venue?" from a French locale): try the other languages,
            # the likeliest first, and show what one finds in the asker's language.
            guess = detection.guess
            others = sorted(self.indexes, key=lambda code: code != guess)
            for code in others:
                if code != chosen:
                    other = self._answer_in(code, question)
                    if other.shows_entry:
                        answer = self._translated(other, chosen)
                        break
        return LocalizedAnswer(answer, chosen)

    def _answer_in(self, code: str, question: str) -> Answer:
        return answer_in(self.indexes[code], question)

    def _translated(self, answer: Answer, code: str) -> Answer:
        """The same answer with the entries of the FAQ in `code`."""
        by_id = self.indexes[code].faq.by_id

        def local(candidate: Candidate) -> Candidate:
            return replace(candidate, entry=by_id[candidate.entry.id])

        premise = answer.premise
        if premise is not None and answer.best is not None:
            premise = replace(premise, stated=by_id[answer.best.entry.id].lead)
        return replace(
            answer,
            best=local(answer.best) if answer.best else None,
            alternatives=tuple(map(local, answer.alternatives)),
            premise=premise,
            also=tuple(map(local, answer.also)),
        )

    def _other_language(self, question: str, detected: str) -> LocalizedAnswer:
        """A question in a language the FAQ is not written in: the English engine where it
        can (names, numbers), else the closest entries by the multilingual encoder."""
        answer = self.english.answer(question)
        if answer.shows_entry:
            return LocalizedAnswer(answer, ENGLISH, detected)
        return LocalizedAnswer(self._by_encoder(question, answer), ENGLISH, detected)

    def _by_encoder(
        self,
        question: str,
        answer: Answer,
        *,
        answer_at: float = CROSS_LINGUAL_ANSWER,
        kind: AnswerKind | None = None,
        hints_only: bool = False,
    ) -> Answer:
        """`answer` (a decline) replaced by the entry whose English phrasings the encoder
        finds closest, or by its closest entries as choices (`hints_only`: as hints of the
        decline); only offered when it answers another `kind` of question than asked
        ("cuándo..." is not answered by the venue)."""
        # The English phrasings: measured against each language's own (or both), matching
        # a declined French or Spanish question with its own language's phrasings answered
        # more of the tuning sets wrongly (Spanish v3 6.8% -> 10.2%) for no more right.
        similarity = self.english.phrase_similarities(question)
        if similarity is None:
            return answer
        ranked = sorted(enumerate(map(float, similarity)), key=itemgetter(1), reverse=True)[:3]
        by_id = self.faq.by_id
        choices = tuple(
            Candidate(by_id[self._entry_ids[i]], round(score, 4))
            for i, score in ranked
            if score >= CROSS_LINGUAL_SUGGEST
        )
        (top_i, top), (_, runner_up) = ranked[0], ranked[1]
        top_entry = by_id[self._entry_ids[top_i]]
        fits = kind is None or not top_entry.answers or kind in top_entry.answers
        if top >= answer_at and top - runner_up >= CROSS_LINGUAL_MARGIN and fits:
            best = Candidate(top_entry, round(top, 4))
            return replace(
                answer,
                outcome=Outcome.ANSWERED,
                best=best,
                alternatives=choices[1:],
                reason=f"matched across languages by the sentence encoder ({top:.2f})",
                premise=None,
            )
        if choices and hints_only:
            # As the English second opinion does: unsure, it leaves the decline and offers
            # its closest entries as hints ("combien de victimes en 2023 ?" is not a choice
            # between the casualties and the number of States Parties).
            return replace(answer, best=None, alternatives=choices)
        if choices:
            outcome = Outcome.SUGGESTED if len(choices) > 1 else Outcome.DECLINED
            return replace(answer, outcome=outcome, best=None, alternatives=choices)
        return answer
