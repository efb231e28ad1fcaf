"""The shape of moderator-edited FAQ files; unknown keys are errors, not silently ignored."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    HttpUrl,
    Tag,
    field_validator,
    model_validator,
)

from bot.engine.models import AnswerKind

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

MAX_QUESTION = 200
"""Embed titles allow 256 characters; we keep room for a marker."""
MAX_ANSWER = 3500
"""Embed descriptions allow 4,096 characters; rendered dates and notes need the rest."""
MAX_ALIAS = 200
MAX_LINK_LABEL = 80
MAX_NOT_ABOUT = 200
"""Names of other treaties/meetings in `faq.yaml`; each is one substring test per question."""
MAX_MODERATOR_NAME = 80


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class EventSchema(_Strict):
    start: dt.date
    end: dt.date
    timezone: str = "Europe/Zurich"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name like Europe/Zurich)"
            ) from None
        return value

    @model_validator(mode="after")
    def _ordered(self) -> EventSchema:
        if self.end < self.start:
            raise ValueError(f"event ends ({self.end}) before it starts ({self.start})")
        return self


class ModeratorStatementSchema(_Strict):
    """A `sources:` item of its own kind: what a moderator answered, by whom and when."""

    moderator: str = Field(min_length=1, max_length=MAX_MODERATOR_NAME)
    date: dt.date
    statement: str = Field(min_length=1, max_length=MAX_ANSWER)


def _source_kind(value: object) -> str:
    """A mapping is a moderator statement; anything else is read as a release quote."""
    return "moderator" if isinstance(value, dict | ModeratorStatementSchema) else "quote"


SourceItem = Annotated[
    Annotated[str, Tag("quote")] | Annotated[ModeratorStatementSchema, Tag("moderator")],
    Discriminator(_source_kind),
]
"""A release quote (text found verbatim in a source) or a moderator statement."""


class EntrySchema(_Strict):
    id: str = Field(pattern=SLUG, max_length=60)
    question: str = Field(min_length=3, max_length=MAX_QUESTION)
    answer: str = Field(min_length=1, max_length=MAX_ANSWER)
    sources: list[SourceItem] = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list, max_length=10)
    link: HttpUrl | None = None
    link_label: str | None = Field(default=None, min_length=1, max_length=MAX_LINK_LABEL)
    event: EventSchema | None = None
    answers: list[AnswerKind] = Field(default_factory=list)
    not_stated: list[str] = Field(default_factory=list, max_length=20)

    @field_validator("aliases", "keywords", mode="before")
    @classmethod
    def _scalars_as_text(cls, values: object) -> object:
        """`keywords: [2024, dates]` means the text "2024"; YAML would make it a number."""
        if isinstance(values, list):
            return [str(v) if isinstance(v, int | float | dt.date) else v for v in values]
        return values

    @field_validator("aliases", "keywords", "not_stated")
    @classmethod
    def _non_empty_items(cls, values: list[str]) -> list[str]:
        cleaned = [v.strip() for v in values]
        if any(not v for v in cleaned):
            raise ValueError("empty item in list")
        return cleaned

    @field_validator("sources")
    @classmethod
    def _non_empty_quotes(
        cls, values: list[str | ModeratorStatementSchema]
    ) -> list[str | ModeratorStatementSchema]:
        cleaned = [v.strip() if isinstance(v, str) else v for v in values]
        if any(v == "" for v in cleaned):
            raise ValueError("empty item in list")
        return cleaned

    @field_validator("aliases")
    @classmethod
    def _alias_length(cls, values: list[str]) -> list[str]:
        for value in values:
            if len(value) > MAX_ALIAS:
                raise ValueError(f"alias longer than {MAX_ALIAS} characters: {value[:40]!r}...")
        return values

    @model_validator(mode="after")
    def _label_with_link(self) -> EntrySchema:
        if self.link is not None and not self.link_label:
            raise ValueError("link_label is required when link is set")
        if self.link_label and self.link is None:
            raise ValueError("link_label without link")
        return self


class TopicFileSchema(_Strict):
    topic: str = Field(pattern=SLUG, max_length=40)
    title: str = Field(min_length=1, max_length=80)
    description: str = Field(default="", max_length=100)
    entries: list[EntrySchema] = Field(min_length=1)


class SynonymsFileSchema(_Strict):
    synonyms: dict[str, list[str]]

    @field_validator("synonyms")
    @classmethod
    def _non_empty(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for canonical, variants in value.items():
            if not canonical.strip():
                raise ValueError("empty canonical phrase")
            if any(not str(v).strip() for v in variants):
                raise ValueError(f"empty variant for {canonical!r}")
        return value


class SubjectSchema(_Strict):
    name: str = Field(min_length=1, max_length=80)
    phrases: list[str] = Field(min_length=1, max_length=30)
    entry: str = Field(pattern=SLUG, max_length=60)
    number: int | None = Field(default=None, ge=1, le=999)
    series: list[str] = Field(default_factory=list, max_length=30)
    ordinals: dict[str, int] = Field(default_factory=dict, max_length=40)


class SettingsFileSchema(_Strict):
    """`faq/faq.yaml`: settings for the whole FAQ."""

    subject: SubjectSchema | None = None
    not_about: list[str] = Field(default_factory=list, max_length=MAX_NOT_ABOUT)

    @field_validator("not_about")
    @classmethod
    def _non_empty_names(cls, values: list[str]) -> list[str]:
        if any(not v.strip() for v in values):
            raise ValueError("empty name in not_about")
        return [v.strip() for v in values]


MAX_CHECKS = 2000
"""Checks in `checks.yaml`; each is one question asked at every reload (about 5 ms)."""
MAX_CHECK_QUESTION = 500
"""The longest question `/ask` takes."""


class CheckSchema(_Strict):
    ask: str = Field(min_length=1, max_length=MAX_CHECK_QUESTION)
    expect: str = Field(pattern=SLUG, max_length=60)


class ChecksFileSchema(_Strict):
    """`checks.yaml`: questions with the entry each must reach, or `decline`."""

    checks: list[CheckSchema] = Field(default_factory=list, max_length=MAX_CHECKS)


class SourceSchema(_Strict):
    file: str
    title: str = Field(min_length=1, max_length=200)
    date: dt.date | None = None
    url: HttpUrl | None = None


class SourcesFileSchema(_Strict):
    sources: list[SourceSchema] = Field(min_length=1)


class AliasesFileSchema(_Strict):
    """Machine-managed aliases learned from misses, kept under DATA_DIR."""

    aliases: dict[str, list[str]] = Field(default_factory=dict)


class TranslatedEntrySchema(_Strict):
    """One entry of `faq/<language>/<topic>.yaml`, keyed by the English entry's id. What is
    missing is taken from English and reported as an incomplete translation."""

    question: str | None = Field(default=None, min_length=3, max_length=MAX_QUESTION)
    answer: str | None = Field(default=None, min_length=1, max_length=MAX_ANSWER)
    aliases: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    link_label: str | None = Field(default=None, min_length=1, max_length=MAX_LINK_LABEL)
    not_stated: list[str] = Field(default_factory=list, max_length=20)

    _scalars_as_text = field_validator("aliases", "keywords", mode="before")(
        EntrySchema._scalars_as_text.__func__  # type: ignore[attr-defined]
    )
    _non_empty_items = field_validator("aliases", "keywords", "not_stated")(
        EntrySchema._non_empty_items.__func__  # type: ignore[attr-defined]
    )
    _alias_length = field_validator("aliases")(
        EntrySchema._alias_length.__func__  # type: ignore[attr-defined]
    )


class TranslatedTopicSchema(_Strict):
    title: str | None = Field(default=None, min_length=1, max_length=80)
    description: str | None = Field(default=None, max_length=100)
    entries: dict[str, TranslatedEntrySchema] = Field(min_length=1)


class LanguageFileSchema(_Strict):
    """`faq/<language>/language.yaml`: what the bot needs to read and write a language."""

    name: str = Field(min_length=1, max_length=40)
    stemmer: str
    locales: list[str] = Field(default_factory=list)
    stop_words: list[str] = Field(default_factory=list)
    question_words: dict[str, list[str]] = Field(default_factory=dict)
    names: dict[str, list[str]] = Field(default_factory=dict)
    yes_no_tags: list[str] = Field(default_factory=list)
    place_words: list[str] = Field(default_factory=list)
    determiners: list[str] = Field(default_factory=list)
    choice_words: list[str] = Field(default_factory=list)
    asking_words: list[str] = Field(default_factory=list)
    request_verbs: list[str] = Field(default_factory=list)
    reporting_verbs: list[str] = Field(default_factory=list)
    asker_words: list[str] = Field(default_factory=list)
    idioms: list[str] = Field(default_factory=list)
    subject: SubjectSchema | None = None
    not_about: list[str] = Field(default_factory=list, max_length=MAX_NOT_ABOUT)

    @field_validator("stemmer")
    @classmethod
    def _known_stemmer(cls, value: str) -> str:
        import snowballstemmer

        if value not in snowballstemmer.algorithms():
            known = ", ".join(sorted(snowballstemmer.algorithms()))
            raise ValueError(f"unknown Snowball stemmer {value!r} (one of: {known})")
        return value

    @field_validator(
        "stop_words",
        "yes_no_tags",
        "place_words",
        "determiners",
        "choice_words",
        "asking_words",
        "request_verbs",
        "reporting_verbs",
        "asker_words",
        "idioms",
        mode="before",
    )
    @classmethod
    def _words_as_text(cls, values: object) -> object:
        if not isinstance(values, list):
            return values
        for value in values:
            if isinstance(value, bool):
                # YAML reads no/on/yes/off unquoted as false/true: the word would be lost.
                raise ValueError(
                    f"a word read as {str(value).lower()} (YAML's no/on/yes/off): quote it"
                )
        return [str(v) for v in values]
