"""Immutable data types shared by the loader, the matcher and every adapter (CLI, cogs)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class EventDates:
    """A date range stated by the source, rendered by adapters in each reader's time zone."""

    start: date
    end: date
    timezone: str = "Europe/Zurich"

    @property
    def start_at(self) -> datetime:
        """Local midnight at the start of the first day."""
        return datetime.combine(self.start, time.min, tzinfo=ZoneInfo(self.timezone))

    @property
    def end_at(self) -> datetime:
        """Local end of the last day."""
        return datetime.combine(self.end, time.max, tzinfo=ZoneInfo(self.timezone))


class AnswerKind(StrEnum):
    """What kind of question an entry answers; a question of another kind loses to entries
    that answer its kind, and alone it gets "the release does not say"."""

    WHEN = "when"
    WHERE = "where"
    WHO = "who"
    HOW_MANY = "how-many"
    HOW_LONG = "how-long"
    WHY = "why"
    SAID = "said"
    """What someone said or argued: the release reports statements of participants."""
    WHAT = "what"
    """What something is (a definition): never asked for by a when/where/how many question."""


@dataclass(frozen=True, slots=True)
class ModeratorStatement:
    """A source of its own kind: a moderator's answer, who gave it and when."""

    moderator: str
    date: date
    statement: str


@dataclass(frozen=True, slots=True)
class FaqEntry:
    """One question and its answer, with the verbatim source quotes and the moderator
    statements it rests on (at least one of either)."""

    id: str
    topic: str
    question: str
    answer: str
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    link: str | None = None
    link_label: str | None = None
    event: EventDates | None = None
    answers: frozenset[AnswerKind] = frozenset()
    """Kinds of question this entry answers; empty: any kind."""
    not_stated: tuple[str, ...] = ()
    """Topics next to this entry the release is silent on ("session times")."""
    file: Path | None = None
    line: int = 0
    statements: tuple[ModeratorStatement, ...] = ()
    """Moderator statements among `sources:`; `sources` holds the release quotes."""

    @property
    def cited_statement(self) -> ModeratorStatement | None:
        """The moderator statement the footer cites: only when no release quote backs the
        answer, because a quote is checked against the release and a statement is not."""
        return self.statements[0] if self.statements and not self.sources else None

    @property
    def lead(self) -> str:
        """The answer's opening bold sentence ("10–13 September 2024."), or its first line."""
        text = self.answer.strip()
        if text.startswith("**") and "**" in text[2:]:
            return " ".join(text[2 : text.index("**", 2)].split())
        return " ".join(text.splitlines()[0].split()) if text else ""

    @property
    def location(self) -> str:
        """`file:line` where a moderator finds this entry."""
        return f"{self.file.name if self.file else '?'}:{self.line}"


@dataclass(frozen=True, slots=True)
class Topic:
    """A group of entries, one per FAQ file."""

    id: str
    title: str
    description: str
    entry_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Source:
    """A source document the FAQ quotes from."""

    title: str
    date: date | None
    url: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Subject:
    """What a question that names no other subject is about (here: the 12MSP)."""

    name: str
    phrases: tuple[str, ...]
    """Ways to name it ("Twelfth Meeting of States Parties", "meeting"): a question made of
    these words alone gets `entry`; a question naming nothing is read as if it named it."""
    entry: str
    """The entry that answers the bare subject ("12MSP?")."""
    number: int | None = None
    """Its number in a series of meetings (12): another number is another meeting."""
    series: tuple[str, ...] = ()
    """What a numbered meeting of the series is called ("MSP", "réunion"): "13e réunion",
    "la 11.ª REP", "MSP 13" name another meeting than the subject."""
    ordinals: Mapping[str, int] = field(default_factory=dict)
    """Ordinals written as words, folded ("onzieme": 11, "decima": 10): "la dixième
    réunion" names another meeting as "la 10e réunion" does."""


DECLINE = "decline"
"""What a check expects when no entry may answer its question."""


@dataclass(frozen=True, slots=True)
class FaqCheck:
    """A question the FAQ must keep answering with `expect` (an entry id, or `decline`)."""

    question: str
    expect: str
    file: str
    line: int
    language: str | None = None
    """The FAQ language the question is asked in (`faq/<code>/checks.yaml`); None: English."""


@dataclass(frozen=True, slots=True)
class Language:
    """A language the FAQ is written in besides English (`faq/<code>/language.yaml`): how
    its questions are read and how it writes the English answers' facts."""

    code: str
    """The folder name under faq/ and the gettext catalogue name ("fr", "es")."""
    name: str
    """How the language names itself ("Français")."""
    stemmer: str
    """A Snowball algorithm ("french")."""
    locales: tuple[str, ...]
    """Discord locales answered in this language ("fr", "es-ES", "es-419")."""
    stop_words: frozenset[str]
    question_words: Mapping[str, tuple[str, ...]]
    """English word the engine reads ("when") -> this language's phrasings ("quand")."""
    names: Mapping[str, tuple[str, ...]]
    """English proper name, month or acronym -> how this language writes it."""
    file: Path | None = None
    yes_no_tags: tuple[str, ...] = ()
    """What ends a yes/no question asked by intonation ("c'est ça", "verdad"); a question
    with no question word that ends in "?" is one too ("c'est en novembre ?")."""
    determiners: frozenset[str] = frozenset()
    """Folded articles and possessives ("la", "los", "sus"): the word after one names a
    thing, which the release may not mention ("la parole", "el orden del día")."""
    place_words: tuple[str, ...] = ()
    """Folded words before a place, as English "in" and "at" ("à", "en"): the place a yes/no
    question takes for granted follows one ("c'est à Vienne ?")."""
    choice_words: tuple[str, ...] = ()
    """Folded words offering a choice, as English "or" ("ou", "o"): an either/or question
    ("Genève ou New York ?") is answered by the option the release supports."""
    asking_words: tuple[str, ...] = ()
    """Folded words opening a question without saying its kind ("quel", "comment", "qué"):
    a message asking two things splits before one as before a question word ("quel article
    pour l'universalisation et quel mail pour l'ISU ?")."""
    request_verbs: frozenset[str] = frozenset()
    """Folded verbs a request asks with ("savoir", "confirmer", "saber"): before a question
    word, "si" or an article, what leads up to one in its sentence only frames the question
    ("notre ministre souhaite savoir quels États…", "nuestra misión necesita saber cuántos…")."""
    idioms: tuple[str, ...] = ()
    """Folded phrases whose question words ask nothing ("de longue date", "hasta la fecha")."""
    reporting_verbs: frozenset[str] = frozenset()
    """Folded verbs of what the release says ("mentionnés", "citée", "considera", "indica"):
    weighed as English "mention", the asking rather than what is asked about."""
    asker_words: frozenset[str] = frozenset()
    """Folded words of the asker ("je", "notre", "mi"): a clause with one before a request
    frames the request too ("je dois réserver mon billet, pouvez-vous me confirmer…")."""


@dataclass(frozen=True, slots=True)
class Faq:
    """A complete, validated FAQ: entries, topics, synonyms and the source text."""

    entries: tuple[FaqEntry, ...]
    topics: tuple[Topic, ...]
    synonyms: Mapping[str, tuple[str, ...]]
    sources: tuple[Source, ...]
    version: str
    """Short content hash of every file that went into this FAQ."""
    quoted_sources: Mapping[str, Source] = field(default_factory=dict, compare=False)
    """Entry id -> the source its first quote was found in (resolved by the loader)."""
    subject: Subject | None = None
    not_about: tuple[str, ...] = ()
    """Names of other things (treaties, meetings) the release does not cover: a question
    naming one is declined even when its other words match."""
    checks: tuple[FaqCheck, ...] = field(default=(), compare=False)
    """Questions it must keep answering (`checks.yaml`), run by `bot.engine.checks`."""
    language: Language | None = None
    """None for the English FAQ; the language of a translation (`translations`)."""
    translations: Mapping[str, Faq] = field(default_factory=dict, compare=False)
    """Language code -> the same entries (same ids) in that language, from faq/<code>/."""
    by_id: Mapping[str, FaqEntry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", MappingProxyType({e.id: e for e in self.entries}))

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def source_of(self, entry: FaqEntry) -> Source | None:
        """The source document the entry quotes, else the FAQ's first source."""
        found = self.quoted_sources.get(entry.id)
        if found is not None:
            return found
        return self.sources[0] if self.sources else None


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """A validation finding, printed as `file:line: severity: message`."""

    file: str
    line: int
    message: str
    severity: Severity = Severity.ERROR
    cause: Problem | None = None
    """Set on a knock-on error: the error it follows from (fix that one and this one goes)."""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{where}: {prefix}{self.message}"


class HasProblems:
    """Mixin for results that carry `problems`: split them into errors and warnings."""

    __slots__ = ()
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)


class FaqError(Exception):
    """A FAQ directory that cannot be loaded; `problems` says every reason and where."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in problems))


class Outcome(StrEnum):
    ANSWERED = "answered"
    """A confident answer: `best` is set."""
    SUGGESTED = "suggested"
    """Close but not sure, or ambiguous: `alternatives` holds the choices to offer."""
    DECLINED = "declined"
    """Nothing in the FAQ fits; `alternatives` may hold weak hints."""
    REFUSED = "refused"
    """The input is not a question we can process (empty, too long...); `reason` says why."""
    NOT_STATED = "not_stated"
    """The question is about something the FAQ knows, but asks what the release does not
    say: `note` says so and `best` is the entry with what the release does say."""


@dataclass(frozen=True, slots=True)
class Candidate:
    entry: FaqEntry
    score: float
    """0..1, higher is better."""


@dataclass(frozen=True, slots=True)
class PremiseCheck:
    """A yes/no question whose premise ("in November?") was checked against the entry."""

    holds: bool
    premise: str
    """The words of the question that were checked ("november")."""
    stated: str
    """What the entry says instead, from its own text ("10–13 September 2024.")."""

    @property
    def text(self) -> str:
        return f"{'Yes' if self.holds else 'No'} — {self.stated}"


@dataclass(frozen=True, slots=True)
class Answer:
    """The engine's verdict on one question."""

    question: str
    outcome: Outcome
    best: Candidate | None = None
    alternatives: tuple[Candidate, ...] = ()
    reason: str | None = None
    faq_version: str = ""
    premise: PremiseCheck | None = None
    """Set on an answer to a yes/no question whose premise the entry confirms or corrects."""
    also: tuple[Candidate, ...] = ()
    """Entries answering the question's other parts ("where and when?"), after `best`."""

    @property
    def answered(self) -> bool:
        return self.outcome is Outcome.ANSWERED

    @property
    def shows_entry(self) -> bool:
        """An entry is shown: a confident answer, or what the release does say next to a
        question it is silent on."""
        return self.best is not None and self.outcome in (Outcome.ANSWERED, Outcome.NOT_STATED)

    @property
    def note(self) -> str | None:
        """The line shown above the entry: "No — 10–13 September 2024." or "The release does
        not say …", then a line for each other part's entry ("Also — Where…? At UN
        Geneva."); None for a plain answer."""
        lines = []
        if self.outcome is Outcome.NOT_STATED and self.reason:
            lines.append(self.reason)
        elif self.premise:
            lines.append(self.premise.text)
        lines.extend(f"Also — {c.entry.question} {c.entry.lead}" for c in self.also)
        return "\n".join(lines) or None
