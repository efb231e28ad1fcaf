"""Translations of the FAQ: `faq/<code>/` holds `language.yaml`, `synonyms.yaml` and one file
per English topic file, its entries keyed by the English entry id. A moderator adds a
language by adding such a folder.

An entry keeps its id, topic, sources (the verbatim English quotes), links, dates and kinds
in every language; a translation gives its question, answer, phrasings and link label. What
a translation lacks is taken from English and reported as a warning with `file:line`, as is
every fact of the English answer (number, date, URL, e-mail, phone, proper name) that the
translation does not write.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.engine.models import Faq, FaqEntry, Language, Subject, Topic
from bot.engine.schema import (
    LanguageFileSchema,
    SynonymsFileSchema,
    TranslatedEntrySchema,
    TranslatedTopicSchema,
)
from bot.engine.text import fold

if TYPE_CHECKING:
    from bot.engine.loader import _Checker

LANGUAGE_FILE = "language.yaml"
CHECKS_FILE = "checks.yaml"
"""The language's own checks (as faq/checks.yaml), asked in that language."""
SYNONYMS_FILE = "synonyms.yaml"
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
"""A folder of faq/ named like this and holding a language.yaml is a translation."""

_URL = re.compile(r"https?://[^\s)*]+|www\.[^\s)*]+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NUMBER = re.compile(r"\d+")
_ACRONYM = re.compile(r"\b(?:\d+[A-Z]{2,}|[A-Z]{2,}\d*)\b")


@dataclass(frozen=True, slots=True)
class Fact:
    """Something an English answer states that every translation must write too."""

    text: str
    """As the English answer writes it ("Geneva", "2024", "info@cmconvention.org")."""
    forms: tuple[str, ...]
    """How a translation may write it ("Genève")."""

    def found_in(self, translated: str) -> bool:
        folded = f" {translated.casefold()} "
        return any(_contains(folded, form.casefold()) for form in self.forms)


def _contains(text: str, form: str) -> bool:
    if form.isdigit():
        return re.search(rf"(?<!\d){form}(?!\d)", text) is not None
    if form[:1].isalnum() and form[-1:].isalnum():
        return re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text) is not None
    return form in text


def facts(english: str, language: Language) -> list[Fact]:
    """Every fact of an English answer, with the forms `language` writes it in."""
    found: dict[str, Fact] = {}
    rest = english
    for pattern in (_URL, _EMAIL):
        for match in pattern.findall(rest):
            text = match.rstrip(".,;:")
            found.setdefault(text, Fact(text, (text,)))
        rest = pattern.sub(" ", rest)
    for name, forms in language.names.items():
        if _contains(f" {rest} ", name):
            found.setdefault(name, Fact(name, forms))
    for acronym in _ACRONYM.findall(rest):
        found.setdefault(acronym, Fact(acronym, language.names.get(acronym, (acronym,))))
    rest = _ACRONYM.sub(" ", rest)
    for number in _NUMBER.findall(rest):
        found.setdefault(number, Fact(number, (number,)))
    return list(found.values())


def missing_facts(english: str, translated: str, language: Language) -> list[Fact]:
    """The facts of `english` that `translated` does not write."""
    return [fact for fact in facts(english, language) if not fact.found_in(translated)]


def translation_dirs(faq_dir: Path) -> Iterator[Path]:
    for path in sorted(faq_dir.iterdir()):
        if path.is_dir() and LANGUAGE_CODE.match(path.name) and (path / LANGUAGE_FILE).is_file():
            yield path


def read_translations(checker: _Checker, faq: Faq, hasher: Any) -> dict[str, Faq]:
    """Every translation under the FAQ's folder, as a `Faq` with the same entries."""
    return {
        folder.name: translated
        for folder in translation_dirs(checker.faq_dir)
        if (translated := _Translation(checker, faq, folder, hasher).read()) is not None
    }


class _Translation:
    """Reads one `faq/<code>/` folder against the English FAQ, reporting into `checker`."""

    def __init__(self, checker: _Checker, faq: Faq, folder: Path, hasher: Any) -> None:
        self.checker = checker
        self.faq = faq
        self.folder = folder
        self.hasher = hasher

    def read(self) -> Faq | None:
        settings = self._language()
        if settings is None:
            return None
        language = _language(self.folder, settings)
        synonyms = self._synonyms()
        topics: list[Topic] = []
        entries: list[FaqEntry] = []
        for topic in self.faq.topics:
            translated_topic, topic_entries = self._topic(topic, language)
            topics.append(translated_topic)
            entries.extend(topic_entries)
        subject = self.faq.subject
        if subject is not None and settings.subject is not None:
            subject = Subject(
                name=settings.subject.name,
                phrases=tuple(settings.subject.phrases),
                entry=subject.entry,
                number=settings.subject.number or subject.number,
                series=tuple(settings.subject.series),
                ordinals={fold(w): n for w, n in settings.subject.ordinals.items() if fold(w)},
            )
        return replace(
            self.faq,
            entries=tuple(entries),
            topics=tuple(topics),
            synonyms=synonyms,
            subject=subject,
            not_about=(*_not_renamed(self.faq.not_about, synonyms), *settings.not_about),
            language=language,
            translations={},
            checks=self.checker._checks(entries, self.folder / CHECKS_FILE, language.code),
        )

    def _language(self) -> LanguageFileSchema | None:
        doc = self.checker._read(self.folder / LANGUAGE_FILE, self.hasher)
        return self.checker._validate(doc, LanguageFileSchema) if doc else None

    def _synonyms(self) -> dict[str, tuple[str, ...]]:
        path = self.folder / SYNONYMS_FILE
        if not path.is_file():
            return {}
        doc = self.checker._read(path, self.hasher)
        parsed = self.checker._validate(doc, SynonymsFileSchema) if doc else None
        if parsed is None:
            return {}
        return {k: tuple(str(v) for v in vs) for k, vs in parsed.synonyms.items()}

    def _topic(self, topic: Topic, language: Language) -> tuple[Topic, list[FaqEntry]]:
        english = [self.faq.by_id[i] for i in topic.entry_ids]
        path = self.folder / f"{topic.id}.yaml"
        where = self.folder.name
        if not path.is_file():
            for entry in english:
                self.checker.warn(
                    entry.file or path,
                    entry.line,
                    f"no {language.name} ({where}) translation of '{entry.id}': "
                    f"add it to {where}/{path.name}",
                )
            return topic, english
        doc = self.checker._read(path, self.hasher)
        parsed = self.checker._validate(doc, TranslatedTopicSchema) if doc else None
        if doc is None or parsed is None:
            return topic, english
        for entry_id in parsed.entries.keys() - set(topic.entry_ids):
            self.checker.error(
                path,
                doc.line(("entries", entry_id)),
                f"'{entry_id}' is not an entry of {topic.id}.yaml; "
                "translations use the English entry ids",
            )
        entries = []
        for entry in english:
            item = parsed.entries.get(entry.id)
            line = doc.line(("entries", entry.id)) if item else doc.line(("entries",))
            entries.append(self._entry(entry, item, path, line, language))
        translated = replace(
            topic,
            title=parsed.title or topic.title,
            description=parsed.description or topic.description,
        )
        return translated, entries

    def _entry(
        self,
        entry: FaqEntry,
        item: TranslatedEntrySchema | None,
        path: Path,
        line: int,
        language: Language,
    ) -> FaqEntry:
        name = f"{language.name} ({self.folder.name})"
        if item is None:
            self.checker.warn(path, line, f"no {name} translation of '{entry.id}'")
            return replace(entry, file=path, line=line)
        missing = [
            field
            for field, value in (
                ("question", item.question),
                ("answer", item.answer),
                ("aliases", item.aliases),
            )
            if not value
        ]
        if entry.link and not item.link_label:
            missing.append("link_label")
        if missing:
            self.checker.warn(
                path,
                line,
                f"incomplete {name} translation of '{entry.id}': no {', '.join(missing)} "
                "(English is shown instead)",
            )
        answer = (item.answer or entry.answer).strip()
        if item.answer:
            lost = missing_facts(entry.answer, answer, language)
            if lost:
                shown = ", ".join(f"{f.text!r}" + _as(f) for f in lost)
                self.checker.warn(
                    path,
                    line,
                    f"{name} answer of '{entry.id}' does not write {shown} "
                    f"from the English answer ({entry.location})",
                )
        return replace(
            entry,
            question=item.question or entry.question,
            answer=answer,
            aliases=tuple(item.aliases) or entry.aliases,
            keywords=tuple(item.keywords),
            link_label=item.link_label or entry.link_label,
            not_stated=tuple(item.not_stated),
            file=path,
            line=line,
        )


def _as(fact: Fact) -> str:
    forms = [f for f in fact.forms if f != fact.text]
    return f" (as {' or '.join(repr(f) for f in forms)})" if forms else ""


def _language(folder: Path, settings: LanguageFileSchema) -> Language:
    stop_words = frozenset(w for word in settings.stop_words for w in fold(word).split())
    return Language(
        code=folder.name,
        name=settings.name,
        stemmer=settings.stemmer,
        locales=tuple(settings.locales) or (folder.name,),
        stop_words=stop_words,
        question_words={k: tuple(v) for k, v in settings.question_words.items()},
        names={k: tuple(v) for k, v in settings.names.items()},
        file=folder / LANGUAGE_FILE,
        yes_no_tags=tuple(settings.yes_no_tags),
        place_words=tuple(dict.fromkeys(fold(w) for w in settings.place_words if fold(w))),
        determiners=frozenset(w for word in settings.determiners for w in fold(word).split()),
        choice_words=tuple(dict.fromkeys(fold(w) for w in settings.choice_words if fold(w))),
        asking_words=tuple(dict.fromkeys(fold(w) for w in settings.asking_words if fold(w))),
        request_verbs=frozenset(w for word in settings.request_verbs for w in fold(word).split()),
        idioms=tuple(dict.fromkeys(fold(w) for w in settings.idioms if fold(w))),
        reporting_verbs=frozenset(fold(w) for w in settings.reporting_verbs if fold(w)),
        asker_words=frozenset(w for word in settings.asker_words for w in fold(word).split()),
    )


def _not_renamed(
    not_about: tuple[str, ...], synonyms: Mapping[str, tuple[str, ...]]
) -> tuple[str, ...]:
    """The English `not_about` names, less those the language's synonyms use for something
    the FAQ covers: "CMC" is the Cluster Munition Coalition in English, the convention itself
    in Spanish ("Convención sobre Municiones en Racimo")."""
    own = {
        fold(name) for canonical, variants in synonyms.items() for name in (canonical, *variants)
    }
    return tuple(name for name in not_about if fold(name) not in own)


def localized(faq: Faq, code: str | None) -> Faq:
    """The FAQ in `code` when it has that translation, else the English FAQ."""
    return faq.translations.get(code or "", faq)


def languages(faq: Faq) -> Mapping[str, Language]:
    """Code -> Language for every translation of `faq`."""
    return {code: t.language for code, t in faq.translations.items() if t.language}
