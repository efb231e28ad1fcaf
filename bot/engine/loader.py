"""Read a FAQ directory into a validated, immutable `Faq`, reporting every problem as file:line."""

from __future__ import annotations

import difflib
import hashlib
import stat
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar, get_args

import yaml
from pydantic import BaseModel, ValidationError
from rapidfuzz import fuzz

from bot.engine.models import (
    DECLINE,
    EventDates,
    Faq,
    FaqCheck,
    FaqEntry,
    FaqError,
    HasProblems,
    ModeratorStatement,
    Problem,
    Severity,
    Source,
    Subject,
    Topic,
)
from bot.engine.schema import (
    AliasesFileSchema,
    ChecksFileSchema,
    EntrySchema,
    ModeratorStatementSchema,
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
CHECKS_FILE = "checks.yaml"
"""Questions the FAQ must keep answering (`bot.engine.checks`); not part of the version."""
"""Settings for the whole FAQ: the default subject, names of things it does not cover."""
SOURCES_DIR = "sources"
SIMILAR_QUESTION_SCORE = 92.0
"""Questions at least this alike (token sort ratio of their stems) get a warning."""
MAX_FILE_BYTES = 1024 * 1024
"""A FAQ file (topic, synonyms, sources, learned aliases) larger than this is refused unread."""
MAX_FAQ_BYTES = 8 * 1024 * 1024
"""All the files of one FAQ together; past this the remaining files are refused unread."""
MAX_ENTRIES_PER_FILE = 500
"""Entries in one topic file."""
MAX_ENTRIES = 2000
"""Entries in the whole FAQ."""
MAX_YAML_NODES = 100_000
"""Values in one YAML file once its aliases are expanded (a "billion laughs" file has 10^9)."""
MAX_YAML_ALIASES = 1000
"""Alias uses (`*name`) in one YAML file."""
MAX_SIMILARITY_ENTRIES = 1000
"""The near-duplicate question check compares every pair: past this many entries it is skipped
(with a warning), so a validation stays within seconds."""
MAX_SIMILARITY_WARNINGS = 50
"""Near-duplicate pairs listed one by one; the rest are counted in one warning."""

MAX_PARSED_FILES = 512
"""Parsed YAML files kept across loads (by path and content hash): a reload of an unchanged
FAQ, three languages of it, parses nothing again. Least recently used dropped first."""

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


_ParsedKey = tuple[str, bytes]
_parsed: OrderedDict[_ParsedKey, tuple[Any, dict[LinePath, int]]] = OrderedDict()
_parsed_lock = threading.Lock()
"""Files parsed without errors, by (path, sha256 of the bytes): the pure-Python parse (it
keeps the line of every value and the size limits) is most of a reload. Only read, never
changed, by the loader and the translations that share them."""


def _remember_parsed(key: _ParsedKey, value: tuple[Any, dict[LinePath, int]]) -> None:
    with _parsed_lock:
        _parsed[key] = value
        _parsed.move_to_end(key)
        while len(_parsed) > MAX_PARSED_FILES:
            _parsed.popitem(last=False)


def _recall_parsed(key: _ParsedKey) -> tuple[Any, dict[LinePath, int]] | None:
    with _parsed_lock:
        found = _parsed.get(key)
        if found is not None:
            _parsed.move_to_end(key)
        return found


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


class _YamlTooLarge(yaml.MarkedYAMLError):
    """A YAML file over one of the node/alias limits, at the mark where it went over."""


class _BoundedLoader(yaml.SafeLoader):
    """The safe loader, counting values as they are composed (an alias counts as everything it
    stands for), so a file that would expand past MAX_YAML_NODES stops at the line that does it
    instead of being expanded later."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._nodes = 0
        self._aliases = 0
        self._sizes: dict[int, int] = {}
        self._open_anchors: set[str] = set()
        """Anchors of the values being composed: an alias to one of them would be a cycle."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            self._aliases += 1
            if self._aliases > MAX_YAML_ALIASES:
                raise _YamlTooLarge(
                    problem=f"more than {MAX_YAML_ALIASES:,} YAML aliases (*name) in one file",
                    problem_mark=event.start_mark,
                )
            if event.anchor in self._open_anchors:
                raise _YamlTooLarge(
                    problem="YAML alias refers to a value that contains it",
                    problem_mark=event.start_mark,
                )
            anchored = self.anchors.get(event.anchor)
            if anchored is not None:
                self._count(self._expanded(anchored), event.start_mark, True)
            return super().compose_node(parent, index)
        event = self.peek_event()
        self._count(1, event.start_mark, False)
        anchor = getattr(event, "anchor", None)
        if anchor is None:
            return super().compose_node(parent, index)
        self._open_anchors.add(anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self._open_anchors.discard(anchor)

    def _count(self, nodes: int, mark: yaml.Mark, alias: bool) -> None:
        self._nodes += nodes
        if self._nodes > MAX_YAML_NODES:
            problem = (
                f"YAML aliases expand too far (past {MAX_YAML_NODES:,} values)"
                if alias
                else f"more than {MAX_YAML_NODES:,} YAML values in one file"
            )
            raise _YamlTooLarge(problem=problem, problem_mark=mark)

    def _expanded(self, node: yaml.Node) -> int:
        """How many values a composed `node` stands for, aliases expanded (memoized per node,
        so this is linear in the file even when the expansion is not)."""
        known = self._sizes.get(id(node))
        if known is not None:
            return known
        size = 1
        if isinstance(node, yaml.SequenceNode):
            size += sum(self._expanded(item) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            size += sum(self._expanded(k) + self._expanded(v) for k, v in node.value)
        size = min(size, MAX_YAML_NODES + 1)
        self._sizes[id(node)] = size
        return size


def parse_yaml(text: str) -> Any:
    """`yaml.safe_load` within MAX_YAML_NODES and MAX_YAML_ALIASES (raises `yaml.YAMLError`)."""
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


class _Checker:
    """Collects problems while building a `Faq`, so one run reports all of them."""

    def __init__(self, faq_dir: Path) -> None:
        self.faq_dir = faq_dir
        self.problems: list[Problem] = []
        self._settings_line = 1
        """Line of `subject.entry` in faq.yaml, for an unknown-entry error."""
        self._bytes_read = 0
        self.unloaded: dict[str, Problem] = {}
        """Entry id -> the error that kept its file from loading (to report knock-ons)."""

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
        checks = self._checks(entries)
        subject = self._subject(settings, entries)
        if check_similarity and not self._has_errors():
            self._check_similar_questions(entries, synonyms)
        if self._has_errors():
            return None
        faq = Faq(
            entries=tuple(entries),
            topics=tuple(topics),
            synonyms=synonyms,
            sources=tuple(sources),
            # The version hashes every served file, translations included: set once they are read.
            version="",
            quoted_sources=quoted_sources,
            checks=checks,
            subject=subject,
            not_about=tuple(settings.not_about) if settings else (),
        )
        translations = read_translations(self, faq, hasher)
        if self._has_errors():
            return None
        version = hasher.hexdigest()[:12]
        translations = {code: replace(t, version=version) for code, t in translations.items()}
        return replace(faq, version=version, translations=translations)

    def _has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)

    # --- files -----------------------------------------------------------------------------

    def _within_size_limits(self, path: Path) -> bool:
        """False (with the error) when `path` is over MAX_FILE_BYTES, or reading it would take
        the FAQ over MAX_FAQ_BYTES; checked before reading, so a huge file costs nothing."""
        try:
            info = path.stat()
        except OSError:
            return True  # reading it reports the problem
        if not stat.S_ISREG(info.st_mode):
            self.error(path, 0, "not a regular file (a pipe or device could block the reload)")
            return False
        size = info.st_size
        if size > MAX_FILE_BYTES:
            self.error(
                path,
                0,
                f"file is {size:,} bytes; a FAQ file may have at most {MAX_FILE_BYTES:,}: "
                "split it into several topics",
            )
            return False
        if self._bytes_read + size > MAX_FAQ_BYTES:
            self.error(
                path,
                0,
                f"not read: the FAQ's files together would pass {MAX_FAQ_BYTES:,} bytes",
            )
            return False
        self._bytes_read += size
        return True

    def _read(self, path: Path, hasher: Any) -> _YamlDoc | None:
        if not self._within_size_limits(path):
            return None
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
        key = (str(path), hashlib.sha256(raw).digest())
        known = _recall_parsed(key)
        if known is not None:
            return _YamlDoc(path=path, data=known[0], lines=known[1])
        loader = _BoundedLoader(text)
        try:
            node = loader.get_single_node()
        except _YamlTooLarge as exc:
            mark = exc.problem_mark
            self.error(path, mark.line + 1 if mark else 0, str(exc.problem))
            return None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 0
            problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
            self.error(path, line, f"YAML syntax error: {problem}")
            return None
        except RecursionError:
            self.error(path, 0, "YAML nested too deeply")
            return None
        except yaml.YAMLError as exc:
            self.error(path, 0, f"YAML error: {exc}")
            return None
        finally:
            loader.dispose()
        if node is None:
            self.error(path, 1, "file is empty")
            return None
        lines: dict[LinePath, int] = {}
        problems_before = len(self.problems)
        self._index_lines(path, node, (), lines)
        clean = len(self.problems) == problems_before
        try:
            data = yaml.SafeLoader("").construct_document(node)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            self.error(path, mark.line + 1 if mark else 0, f"YAML error: {exc.problem}")
            return None
        if clean:
            # A file with a problem (a duplicate key) is parsed again, to report it again.
            _remember_parsed(key, (data, lines))
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
                loc = _untagged(tuple(err["loc"]))
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
                if not path.exists():
                    line = doc.line(("sources", i, "file"))
                    self.error(listing, line, f"no such file: {item.file}")
                continue
            url = str(item.url) if item.url else None
            sources.append(Source(title=item.title, date=item.date, url=url, text=text))
        return sources

    def _read_text(self, path: Path, hasher: Any) -> str | None:
        if path.exists() and not self._within_size_limits(path):
            return None
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
        return Subject(
            name=declared.name,
            phrases=tuple(declared.phrases),
            entry=declared.entry,
            number=declared.number,
            series=tuple(declared.series),
            ordinals={fold(w): n for w, n in declared.ordinals.items() if fold(w)},
        )

    def _checks(
        self, entries: list[FaqEntry], path: Path | None = None, language: str | None = None
    ) -> tuple[FaqCheck, ...]:
        """`checks.yaml` of faq/ (English), or of a translation's folder (in `language`)."""
        path = path or self.faq_dir / CHECKS_FILE
        if not path.is_file():
            return ()
        # Checks change what is verified, not what is served: they stay out of the version.
        doc = self._read(path, hashlib.sha256())
        parsed = self._validate(doc, ChecksFileSchema) if doc else None
        if doc is None or parsed is None:
            return ()
        ids = {e.id for e in entries}
        checks = []
        for number, item in enumerate(parsed.checks):
            line = doc.line(("checks", number))
            if item.expect in self.unloaded:
                continue  # its file did not load: that error says it, the checks run later
            if item.expect != DECLINE and item.expect not in ids:
                self.error(
                    path,
                    line,
                    f"check expects unknown entry '{item.expect}' (an entry id or "
                    f"'{DECLINE}')" + _did_you_mean(item.expect, ids),
                )
                continue
            checks.append(FaqCheck(item.ask, item.expect, str(path), line, language))
        return tuple(checks)

    def _topic_files(self) -> Iterator[Path]:
        special = {SYNONYMS_FILE, SOURCES_FILE, SETTINGS_FILE, CHECKS_FILE}
        for path in sorted(self.faq_dir.glob("*.y*ml")):
            if path.name not in special and path.suffix in {".yaml", ".yml"}:
                yield path

    def _topics(self, hasher: Any) -> tuple[list[Topic], list[FaqEntry]]:
        topics: list[Topic] = []
        entries: list[FaqEntry] = []
        for path in self._topic_files():
            doc = self._read(path, hasher)
            if doc is None or not self._entry_count_ok(doc, len(entries)):
                continue
            first_problem = len(self.problems)
            parsed = self._validate(doc, TopicFileSchema)
            if parsed is None:
                self._remember_unloaded(doc, self.problems[first_problem:])
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

    def _entry_count_ok(self, doc: _YamlDoc, entries_so_far: int) -> bool:
        """False (with the error) past MAX_ENTRIES_PER_FILE or MAX_ENTRIES: checked before the
        entries are validated, so an oversized file is refused at once."""
        items = doc.data.get("entries") if isinstance(doc.data, dict) else None
        count = len(items) if isinstance(items, list) else 0
        line = doc.line(("entries",))
        if count > MAX_ENTRIES_PER_FILE:
            self.error(
                doc.path,
                line,
                f"{count:,} entries; a topic file may have at most {MAX_ENTRIES_PER_FILE:,}",
            )
            return False
        if entries_so_far + count > MAX_ENTRIES:
            self.error(
                doc.path,
                line,
                f"{count:,} more entries would take the FAQ past {MAX_ENTRIES:,} entries",
            )
            return False
        return True

    def _remember_unloaded(self, doc: _YamlDoc, errors: list[Problem]) -> None:
        """The ids of a topic file that failed validation, each with its cause: the first
        error inside that entry, else the file's first error."""
        items = doc.data.get("entries") if isinstance(doc.data, dict) else None
        if not errors or not isinstance(items, list):
            return
        starts = [doc.line(("entries", i)) for i in range(len(items))] + [10**9]
        for i, item in enumerate(items):
            entry_id = item.get("id") if isinstance(item, dict) else None
            if isinstance(entry_id, str):
                inside = [e for e in errors if starts[i] <= e.line < starts[i + 1]]
                self.unloaded.setdefault(entry_id, (inside or errors)[0])

    def _knock_on(self, path: Path, line: int, message: str, entry_id: str) -> bool:
        """Report `message` as following from the error that kept `entry_id` from loading;
        False when `entry_id` did not fail to load (then it is an error of its own)."""
        cause = self.unloaded.get(entry_id)
        if cause is None:
            return False
        where = f"{cause.file}:{cause.line}" if cause.line else cause.file
        text = f"{message} is not loaded (because of the error at {where})"
        self.problems.append(Problem(str(path), line, text, cause=cause))
        return True

    def _merge_learned(self, path: Path, entries: list[FaqEntry], hasher: Any) -> list[FaqEntry]:
        doc = self._read(path, hasher)
        parsed = self._validate(doc, AliasesFileSchema) if doc else None
        if doc is None or parsed is None:
            return entries
        by_id = {e.id: e for e in entries}
        for entry_id, aliases in parsed.aliases.items():
            if entry_id not in by_id:
                line = doc.line(("aliases", entry_id))
                if not self._knock_on(path, line, f"entry id '{entry_id}'", entry_id):
                    self.error(path, line, f"unknown entry id '{entry_id}'")
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
                    where = entry.file or self.faq_dir
                    message = f"entry '{entry.id}': related id '{related}'"
                    if not self._knock_on(where, entry.line, message, related):
                        hint = _did_you_mean(related, first)
                        self.error(where, entry.line, f"{message} does not exist{hint}")

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
        if len(entries) > MAX_SIMILARITY_ENTRIES:
            self.warn(
                self.faq_dir,
                0,
                f"near-duplicate question check skipped: {len(entries):,} entries "
                f"(it runs up to {MAX_SIMILARITY_ENTRIES:,})",
            )
            return
        table = Synonyms.build(synonyms)
        keys = [" ".join(terms(e.question, table)) for e in entries]
        found = 0
        for i in range(len(entries)):
            for j in range(i + 1, len(entries)):
                score = fuzz.token_sort_ratio(keys[i], keys[j], score_cutoff=SIMILAR_QUESTION_SCORE)
                if score >= SIMILAR_QUESTION_SCORE:
                    found += 1
                    if found > MAX_SIMILARITY_WARNINGS:
                        continue
                    a, b = entries[i], entries[j]
                    self.warn(
                        b.file or self.faq_dir,
                        b.line,
                        f"question of '{b.id}' is almost the same as '{a.id}' ({a.location}); "
                        "the matcher may not tell them apart",
                    )
        if found > MAX_SIMILARITY_WARNINGS:
            self.warn(
                self.faq_dir,
                0,
                f"{found - MAX_SIMILARITY_WARNINGS:,} more pairs of almost identical questions "
                f"(only the first {MAX_SIMILARITY_WARNINGS} are listed)",
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
        sources=tuple(s for s in item.sources if isinstance(s, str)),
        statements=tuple(
            ModeratorStatement(moderator=s.moderator, date=s.date, statement=s.statement)
            for s in item.sources
            if isinstance(s, ModeratorStatementSchema)
        ),
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


_SOURCE_KIND_TAGS = ("quote", "moderator")


def _untagged(loc: LinePath) -> LinePath:
    """`loc` without the kind tag `schema.SourceItem` puts after `sources[i]`: the reader
    never wrote it, and it would hide the line of the item."""
    for i in range(2, len(loc)):
        if loc[i - 2] == "sources" and isinstance(loc[i - 1], int) and loc[i] in _SOURCE_KIND_TAGS:
            return (*loc[:i], *loc[i + 1 :])
    return loc


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
        model = next(_models_in(field.annotation), None)
        if model is None:
            return []
    return list(model.model_fields)


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    """The models inside a field's type (`list[X]`, `X | None`, `Annotated[...]` unwrapped)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for arg in get_args(annotation):
        yield from _models_in(arg)


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
