"""Read a FAQ directory into a validated, immutable `Faq`, reporting every problem as file:line."""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from rapidfuzz import fuzz

from bot.engine.models import (
    EventDates,
    Faq,
    FaqEntry,
    FaqError,
    HasProblems,
    Problem,
    Severity,
    Source,
    Subject,
    Topic,
)
from bot.engine.schema import (
    AliasesFileSchema,
    EntrySchema,
    SettingsFileSchema,
    SourcesFileSchema,
    SynonymsFileSchema,
    TopicFileSchema,
)
from bot.engine.text import Synonyms, clip, fold, terms
from bot.engine.translations import read_translations

SYNONYMS_FILE = "synonyms.yaml"
SOURCES_FILE = "sources.yaml"
SETTINGS_FILE = "faq.yaml"
"""Settings for the whole FAQ: the default subject, names of things it does not cover."""
SOURCES_DIR = "sources"
SIMILAR_QUESTION_SCORE = 92.0
"""Questions at least this alike (token sort ratio of their stems) get a warning."""

Model = TypeVar("Model", bound=BaseModel)
LinePath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class _YamlDoc:
    """A parsed YAML file with the line of every key and list item."""

    path: Path
    data: Any
    lines: dict[LinePath, int]

    def line(self, loc: LinePath) -> int:
        """The line of the deepest known node on `loc`."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1


@dataclass(frozen=True, slots=True)
class ValidationReport(HasProblems):
    """What `validate_faq_dir` found: the FAQ when there were no errors, and every problem."""

    faq: Faq | None
    problems: tuple[Problem, ...]


def load_faq(faq_dir: Path, learned_aliases: Path | None = None) -> Faq:
    """Load and validate a FAQ directory; raise `FaqError` listing every error."""
    report = validate_faq_dir(faq_dir, learned_aliases, check_similarity=False)
    if report.faq is None:
        raise FaqError(list(report.errors))
    return report.faq


def validate_faq_dir(
    faq_dir: Path, learned_aliases: Path | None = None, *, check_similarity: bool = True
) -> ValidationReport:
    """Every check `faqbot validate` runs; the FAQ is returned only when no error was found."""
    checker = _Checker(faq_dir)
    faq = checker.run(learned_aliases, check_similarity=check_similarity)
    return ValidationReport(faq=faq, problems=tuple(checker.problems))


class _Checker:
    """Collects problems while building a `Faq`, so one run reports all of them."""

    def __init__(self, faq_dir: Path) -> None:
        self.faq_dir = faq_dir
        self.problems: list[Problem] = []
        self._settings_line = 1
        """Line of `subject.entry` in faq.yaml, for an unknown-entry error."""

    def error(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(str(path), line, message))

    def warn(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(str(path), line, message, Severity.WARNING))

    def run(self, learned_aliases: Path | None, *, check_similarity: bool) -> Faq | None:
        if not self.faq_dir.is_dir():
            self.error(self.faq_dir, 0, "FAQ directory not found")
            return None
        hasher = hashlib.sha256()
        sources = self._sources(hasher)
        synonyms = self._synonyms(hasher)
        settings = self._settings(hasher)
        topics, entries = self._topics(hasher)
        if learned_aliases is not None and learned_aliases.is_file():
            entries = self._merge_learned(learned_aliases, entries, hasher)
        if not entries and not self.problems:
            self.error(self.faq_dir, 0, "no FAQ files (*.yaml with entries) found")
        self._check_ids_and_aliases(entries)
        quoted_sources = self._check_sources(entries, sources)
        subject = self._subject(settings, entries)
        if check_similarity:
            self._check_similar_questions(entries, synonyms)
        if any(p.severity is Severity.ERROR for p in self.problems):
            return None
        faq = Faq(
            entries=tuple(entries),
            topics=tuple(topics),
            synonyms=synonyms,
            sources=tuple(sources),
            version="",
            quoted_sources=quoted_sources,
            subject=subject,
            not_about=tuple(settings.not_about) if settings else (),
        )
        translations = read_translations(self, faq, hasher)
        if any(p.severity is Severity.ERROR for p in self.problems):
            return None
        version = hasher.hexdigest()[:12]
        translations = {code: replace(t, version=version) for code, t in translations.items()}
        return replace(faq, version=version, translations=translations)

    # --- files -----------------------------------------------------------------------------

    def _read(self, path: Path, hasher: Any) -> _YamlDoc | None:
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8")
        except OSError as exc:
            self.error(path, 0, f"cannot read file: {exc.strerror or exc}")
            return None
        except UnicodeDecodeError as exc:
            self.error(path, 0, f"not UTF-8 text (byte {exc.start}): save the file as UTF-8")
            return None
        hasher.update(path.name.encode() + b"\0" + raw + b"\0")
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 0
            problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
            self.error(path, line, f"YAML syntax error: {problem}")
            return None
        except yaml.YAMLError as exc:
            self.error(path, 0, f"YAML error: {exc}")
            return None
        if node is None:
            self.error(path, 1, "file is empty")
            return None
        lines: dict[LinePath, int] = {}
        self._index_lines(path, node, (), lines)
        data = yaml.SafeLoader("").construct_document(node)
        return _YamlDoc(path=path, data=data, lines=lines)

    def _index_lines(
        self, path: Path, node: yaml.Node, loc: LinePath, lines: dict[LinePath, int]
    ) -> None:
        lines[loc] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = str(key_node.value)
                key_line = key_node.start_mark.line + 1
                if key in seen:
                    self.error(path, key_line, f"duplicate key '{key}' (first at line {seen[key]})")
                seen[key] = key_line
                self._index_lines(path, value_node, (*loc, key), lines)
                lines[(*loc, key)] = key_line
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._index_lines(path, item, (*loc, i), lines)

    def _validate(self, doc: _YamlDoc, schema: type[Model]) -> Model | None:
        try:
            return schema.model_validate(doc.data)
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(err["loc"])
                self.error(doc.path, doc.line(loc), _explain(err, loc, schema))
            return None

    def _sources(self, hasher: Any) -> list[Source]:
        listing = self.faq_dir / SOURCES_FILE
        if not listing.is_file():
            return [
                Source(title=p.stem, date=None, url=None, text=self._read_text(p, hasher) or "")
                for p in sorted((self.faq_dir / SOURCES_DIR).glob("*.txt"))
            ]
        doc = self._read(listing, hasher)
        parsed = self._validate(doc, SourcesFileSchema) if doc else None
        if doc is None or parsed is None:
            return []
        sources = []
        for i, item in enumerate(parsed.sources):
            path = self.faq_dir / item.file
            text = self._read_text(path, hasher)
            if text is None:
                self.error(listing, doc.line(("sources", i, "file")), f"no such file: {item.file}")
                continue
            url = str(item.url) if item.url else None
            sources.append(Source(title=item.title, date=item.date, url=url, text=text))
        return sources

    def _read_text(self, path: Path, hasher: Any) -> str | None:
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        hasher.update(path.name.encode() + b"\0" + raw + b"\0")
        return raw.decode("utf-8", errors="replace")

    def _synonyms(self, hasher: Any) -> dict[str, tuple[str, ...]]:
        path = self.faq_dir / SYNONYMS_FILE
        if not path.is_file():
            return {}
        doc = self._read(path, hasher)
        parsed = self._validate(doc, SynonymsFileSchema) if doc else None
        if parsed is None:
            return {}
        return {k: tuple(str(v) for v in vs) for k, vs in parsed.synonyms.items()}

    def _settings(self, hasher: Any) -> SettingsFileSchema | None:
        path = self.faq_dir / SETTINGS_FILE
        if not path.is_file():
            return None
        doc = self._read(path, hasher)
        parsed = self._validate(doc, SettingsFileSchema) if doc else None
        if doc is not None and parsed is not None:
            self._settings_line = doc.line(("subject", "entry"))
        return parsed

    def _subject(
        self, settings: SettingsFileSchema | None, entries: list[FaqEntry]
    ) -> Subject | None:
        if settings is None or settings.subject is None:
            return None
        declared = settings.subject
        ids = {e.id for e in entries}
        if declared.entry not in ids:
            self.error(
                self.faq_dir / SETTINGS_FILE,
                self._settings_line,
                f"subject entry '{declared.entry}' does not exist"
                + _did_you_mean(declared.entry, ids),
            )
            return None
        return Subject(name=declared.name, phrases=tuple(declared.phrases), entry=declared.entry)

    def _topic_files(self) -> Iterator[Path]:
        special = {SYNONYMS_FILE, SOURCES_FILE, SETTINGS_FILE}
        for path in sorted(self.faq_dir.glob("*.y*ml")):
            if path.name not in special and path.suffix in {".yaml", ".yml"}:
                yield path

    def _topics(self, hasher: Any) -> tuple[list[Topic], list[FaqEntry]]:
        topics: list[Topic] = []
        entries: list[FaqEntry] = []
        for path in self._topic_files():
            doc = self._read(path, hasher)
            parsed = self._validate(doc, TopicFileSchema) if doc else None
            if doc is None or parsed is None:
                continue
            if parsed.topic != path.stem:
                self.error(
                    path,
                    doc.line(("topic",)),
                    f"topic '{parsed.topic}' must match the file name '{path.stem}'",
                )
            file_entries = [
                _entry(parsed.topic, item, path, doc.line(("entries", i)))
                for i, item in enumerate(parsed.entries)
            ]
            entries.extend(file_entries)
            topics.append(
                Topic(
                    id=parsed.topic,
                    title=parsed.title,
                    description=parsed.description,
                    entry_ids=tuple(e.id for e in file_entries),
                )
            )
        return topics, entries

    def _merge_learned(self, path: Path, entries: list[FaqEntry], hasher: Any) -> list[FaqEntry]:
        doc = self._read(path, hasher)
        parsed = self._validate(doc, AliasesFileSchema) if doc else None
        if doc is None or parsed is None:
            return entries
        by_id = {e.id: e for e in entries}
        for entry_id, aliases in parsed.aliases.items():
            if entry_id not in by_id:
                self.error(path, doc.line(("aliases", entry_id)), f"unknown entry id '{entry_id}'")
                continue
            entry = by_id[entry_id]
            new = tuple(a for a in aliases if a not in entry.aliases)
            by_id[entry_id] = replace(entry, aliases=entry.aliases + new)
        return [by_id[e.id] for e in entries]

    # --- cross-file checks -----------------------------------------------------------------

    def _check_ids_and_aliases(self, entries: list[FaqEntry]) -> None:
        first: dict[str, FaqEntry] = {}
        phrases: dict[str, FaqEntry] = {}
        for entry in entries:
            if entry.id in first:
                self.error(
                    entry.file or self.faq_dir,
                    entry.line,
                    f"duplicate id '{entry.id}' (first at {first[entry.id].location})",
                )
            first.setdefault(entry.id, entry)
            for phrase in (entry.question, *entry.aliases):
                key = fold(phrase)
                other = phrases.setdefault(key, entry)
                if other.id != entry.id:
                    self.error(
                        entry.file or self.faq_dir,
                        entry.line,
                        f"entry '{entry.id}': '{phrase}' is also a question or alias of "
                        f"'{other.id}' ({other.location}); the matcher could not tell them apart",
                    )
        for entry in entries:
            for related in entry.related:
                if related == entry.id:
                    self.error(
                        entry.file or self.faq_dir,
                        entry.line,
                        "an entry cannot be related to itself",
                    )
                elif related not in first:
                    hint = _did_you_mean(related, first)
                    self.error(
                        entry.file or self.faq_dir,
                        entry.line,
                        f"entry '{entry.id}': related id '{related}' does not exist{hint}",
                    )

    def _check_sources(self, entries: list[FaqEntry], sources: list[Source]) -> dict[str, Source]:
        """Report quotes not found verbatim; return entry id -> the source of its first quote."""
        if not sources:
            self.error(
                self.faq_dir / SOURCES_DIR, 0, "no source text found to check quotes against"
            )
            return {}
        folded = [" ".join(s.text.split()) for s in sources]
        quoted: dict[str, Source] = {}
        for entry in entries:
            for number, quote in enumerate(entry.sources):
                needle = " ".join(quote.split())
                found = next(
                    (s for s, text in zip(sources, folded, strict=True) if needle in text), None
                )
                if found is not None:
                    if number == 0:
                        quoted[entry.id] = found
                    continue
                hint = _closest_passage(needle, folded)
                self.error(
                    entry.file or self.faq_dir,
                    entry.line,
                    f"entry '{entry.id}': source quote not found verbatim in the sources: "
                    f"'{_clip(quote)}'{hint}",
                )
        return quoted

    def _check_similar_questions(
        self, entries: list[FaqEntry], synonyms: dict[str, tuple[str, ...]]
    ) -> None:
        table = Synonyms.build(synonyms)
        keys = [" ".join(terms(e.question, table)) for e in entries]
        for i in range(len(entries)):
            for j in range(i + 1, len(entries)):
                if fuzz.token_sort_ratio(keys[i], keys[j]) >= SIMILAR_QUESTION_SCORE:
                    a, b = entries[i], entries[j]
                    self.warn(
                        b.file or self.faq_dir,
                        b.line,
                        f"question of '{b.id}' is almost the same as '{a.id}' ({a.location}); "
                        "the matcher may not tell them apart",
                    )


def _entry(topic: str, item: EntrySchema, path: Path, line: int) -> FaqEntry:
    event = (
        EventDates(start=item.event.start, end=item.event.end, timezone=item.event.timezone)
        if item.event
        else None
    )
    return FaqEntry(
        id=item.id,
        topic=topic,
        question=item.question,
        answer=item.answer.strip(),
        sources=tuple(item.sources),
        aliases=tuple(item.aliases),
        keywords=tuple(item.keywords),
        related=tuple(item.related),
        link=str(item.link) if item.link else None,
        link_label=item.link_label,
        event=event,
        answers=frozenset(item.answers),
        not_stated=tuple(item.not_stated),
        file=path,
        line=line,
    )


def _explain(err: Any, loc: LinePath, schema: type[BaseModel]) -> str:
    """One readable sentence for a pydantic error."""
    field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        name = str(loc[-1])
        allowed = _allowed_fields(schema, loc[:-1])
        return f"unknown field '{name}'{_did_you_mean(name, allowed)}"
    if kind == "missing":
        return f"missing required field '{loc[-1]}'" if loc else "missing required field"
    message = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    return f"{field or 'file'}: {message}"


def _allowed_fields(schema: type[BaseModel], loc: LinePath) -> list[str]:
    """Field names of the model found by walking `loc` down from `schema`."""
    model: Any = schema
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if hasattr(model, "model_fields") else None
        if field is None:
            return []
        annotation = field.annotation
        inner = getattr(annotation, "__args__", (annotation,))
        model = next((a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)), None)
        if model is None:
            return []
    return list(model.model_fields)


def _did_you_mean(name: str, choices: Any) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _closest_passage(needle: str, texts: list[str]) -> str:
    """`; closest passage: '...'` widened to whole words, or "" when nothing is close."""
    aligned = [
        (alignment, text)
        for text in texts
        if (alignment := fuzz.partial_ratio_alignment(needle, text)) is not None
    ]
    if not aligned:
        return ""
    alignment, text = max(aligned, key=lambda pair: pair[0].score)
    if alignment.score <= 70:
        return ""
    start, end = alignment.dest_start, alignment.dest_end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return f"; closest passage: '{_clip(text[start:end])}'"


def _clip(text: str, limit: int = 80) -> str:
    """A quote on one line, cut to fit an error message."""
    return clip(" ".join(text.split()), limit)
