"""Editing the FAQ files themselves (from Discord): drafts that are validated and checked before
anything is written, then saved atomically into FAQ_DIR with the files' comments, order and
formatting kept (ruamel.yaml round trip).

A `Draft` holds the new text of every file a change touches and the hash of the text it was
made from. Saving compares those hashes with the files on disk first: a file changed on the
host since the preview makes the save refuse, never merge. Every saved change (and its undo)
is one `FileChange` per file, kept in the store's history with the text before and after.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import tempfile
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
)

from bot.engine.checks import CheckEffect, CheckRun, reached, run_checks
from bot.engine.index import FaqIndex, build_index
from bot.engine.loader import CHECKS_FILE, SOURCES_DIR, SOURCES_FILE, validate_faq_dir
from bot.engine.models import FaqCheck, FaqEntry, Problem, Severity
from bot.engine.schema import MAX_ALIAS, MAX_ANSWER, MAX_QUESTION
from bot.services.files import write_atomic

MAX_SOURCE_BYTES = 256 * 1024
"""A new source document (`/faq-admin source add`) may have at most this many bytes."""
FOLD_WIDTH = 76
"""Where a new folded answer (`>-`) is wrapped in the file, like the hand-written ones."""
CHECKS_HEADER = (
    "# Questions the FAQ must keep answering: `expect` is the entry each must reach, or\n"
    "# `decline`. Run by `faqbot validate` and every reload.\n"
)
ENABLE_EDITING = (
    "mount FAQ_DIR writable (compose.yaml: drop `:ro` from the faq volume) and restart; "
    "README: Editing the FAQ from Discord"
)
_SLUG_PART = re.compile(r"[^a-z0-9]+")


class EditError(Exception):
    """A change that cannot be made; the message says why, for the moderator."""


def _writable(faq_dir: Path) -> bool:
    """A read-only mount (even for root), no write permission, or a folder whose write bits
    are all off (a deliberate read-only setup root would otherwise ignore)."""
    try:
        if os.statvfs(faq_dir).f_flag & os.ST_RDONLY:
            return False
        return bool(faq_dir.stat().st_mode & 0o222) and os.access(faq_dir, os.W_OK)
    except OSError:
        return False


def read_only_reason(faq_dir: Path) -> str | None:
    """One line saying that FAQ_DIR cannot be written and how to enable editing, or None."""
    if _writable(faq_dir):
        return None
    return f"Editing is off: FAQ_DIR ({faq_dir}) is read-only; to enable it, {ENABLE_EDITING}."


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file's text before and after a change (`before` is None for a new file)."""

    path: Path
    """Relative to FAQ_DIR."""
    before: str | None
    after: str

    @property
    def before_hash(self) -> str | None:
        """What the file must still hash to when the change is saved."""
        return text_hash(self.before) if self.before is not None else None


@dataclass(frozen=True, slots=True)
class EntryText:
    """What a moderator edits in the modal."""

    question: str
    answer: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Draft:
    """A change ready to preview: the new files, the FAQ they make, and what it does to the
    checks. `ok` when it validates and breaks no check."""

    action: str
    """edit, add, remove, undo or source."""
    entry_id: str
    files: tuple[FileChange, ...]
    problems: tuple[Problem, ...] = ()
    effect: CheckEffect | None = None
    index: FaqIndex | None = field(default=None, repr=False)
    """The FAQ as it would be served (for the preview card)."""
    undoes: int | None = None
    """The history row this draft reverts."""

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def ok(self) -> bool:
        return not self.errors and (self.effect is None or not self.effect.broken)

    @property
    def entry(self) -> FaqEntry | None:
        """The entry as delegates would see it after the change (None when removed)."""
        return self.index.entry(self.entry_id) if self.index is not None else None


# --- YAML round trip --------------------------------------------------------------------------


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap what a moderator wrote
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load_round_trip(text: str, where: str) -> Any:
    try:
        return _yaml().load(text)
    except YAMLError as exc:
        raise EditError(f"{where} is not valid YAML ({exc}); fix it on the host first") from None


def dump_round_trip(data: Any) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def _folded(text: str) -> FoldedScalarString | LiteralScalarString:
    """An answer in the files' own style: folded (`>-`) and wrapped, or literal (`|-`) when
    it has line breaks of its own (lists, paragraphs)."""
    if "\n" in text:
        return LiteralScalarString(text)
    folded = FoldedScalarString(text)
    positions = []
    start = 0
    for line in textwrap.wrap(text, FOLD_WIDTH, break_long_words=False, break_on_hyphens=False):
        start = text.index(line, start) + len(line)
        if start < len(text) and text[start] == " ":
            positions.append(start)
    folded.fold_pos = positions
    return folded


def _flow_check(question: str, entry_id: str) -> CommentedMap:
    item = CommentedMap([("ask", DoubleQuotedScalarString(question)), ("expect", entry_id)])
    item.fa.set_flow_style()
    return item


# --- reading the files ------------------------------------------------------------------------


class FaqFiles:
    """The text of the FAQ files a change reads, and the new text it writes."""

    def __init__(self, faq_dir: Path) -> None:
        self.faq_dir = faq_dir
        self._before: dict[Path, str | None] = {}
        self._after: dict[Path, str] = {}

    def text(self, relative: Path) -> str | None:
        """The file's current text (the draft's, once changed); None if it does not exist."""
        if relative in self._after:
            return self._after[relative]
        if relative not in self._before:
            try:
                self._before[relative] = (self.faq_dir / relative).read_text(encoding="utf-8")
            except FileNotFoundError:
                self._before[relative] = None
            except (OSError, UnicodeDecodeError) as exc:
                raise EditError(f"cannot read {relative}: {exc}") from None
        return self._before[relative]

    def write(self, relative: Path, text: str) -> None:
        self.text(relative)
        self._after[relative] = text

    def changes(self) -> tuple[FileChange, ...]:
        return tuple(
            FileChange(path, self._before.get(path), text)
            for path, text in self._after.items()
            if text != self._before.get(path)
        )


def _relative(faq_dir: Path, path: Path | None, entry_id: str) -> Path:
    if path is None:
        raise EditError(f"entry '{entry_id}' has no file (learned aliases cannot be edited here)")
    try:
        return path.resolve().relative_to(faq_dir.resolve())
    except ValueError:
        raise EditError(f"entry '{entry_id}' is not in FAQ_DIR ({path})") from None


def _entries(doc: Any, where: Path) -> CommentedSeq:
    entries = doc.get("entries") if isinstance(doc, CommentedMap) else None
    if not isinstance(entries, CommentedSeq):
        raise EditError(f"{where} has no list of entries")
    return entries


def _position(entries: CommentedSeq, entry_id: str, where: Path) -> int:
    for number, item in enumerate(entries):
        if isinstance(item, CommentedMap) and item.get("id") == entry_id:
            return number
    raise EditError(f"entry '{entry_id}' is no longer in {where}; reload and try again")


# --- changes ------------------------------------------------------------------------------------


def clean_aliases(lines: str) -> tuple[str, ...]:
    """Alternate phrasings from the modal, one per line: blanks and repeats dropped."""
    seen: dict[str, None] = {}
    for line in lines.splitlines():
        text = " ".join(line.split())
        if text and text.casefold() not in {s.casefold() for s in seen}:
            seen[text] = None
    return tuple(seen)


def _check_lengths(text: EntryText) -> None:
    if not 3 <= len(text.question) <= MAX_QUESTION:
        raise EditError(f"the question must have 3 to {MAX_QUESTION} characters")
    if not 1 <= len(text.answer) <= MAX_ANSWER:
        raise EditError(f"the answer must have 1 to {MAX_ANSWER} characters")
    for alias in text.aliases:
        if len(alias) > MAX_ALIAS:
            raise EditError(f"an alternate phrasing is longer than {MAX_ALIAS} characters")


def _set_entry_text(item: CommentedMap, text: EntryText) -> None:
    if item.get("question") != text.question:
        item["question"] = text.question
    if str(item.get("answer", "")).strip() != text.answer.strip():
        item["answer"] = _folded(text.answer)
    old = tuple(str(a) for a in item.get("aliases") or ())
    if old != text.aliases:
        if text.aliases:
            aliases = item.get("aliases")
            if isinstance(aliases, CommentedSeq):
                # Phrasings kept as they were written (quoted or not); new ones appended.
                written = {str(a): a for a in aliases}
                del aliases[:]
                aliases.extend(written.get(a, a) for a in text.aliases)
            else:
                item["aliases"] = CommentedSeq(text.aliases)
        elif "aliases" in item:
            del item["aliases"]


def add_check(files: FaqFiles, question: str, entry_id: str) -> None:
    """Make sure checks.yaml asks `question` and expects `entry_id` (appended at the end)."""
    relative = Path(CHECKS_FILE)
    current = files.text(relative)
    doc = load_round_trip(current, CHECKS_FILE) if current else None
    if not isinstance(doc, CommentedMap):
        doc = load_round_trip(CHECKS_HEADER + "checks: []\n", CHECKS_FILE)
    checks = doc.get("checks")
    if not isinstance(checks, CommentedSeq):
        checks = CommentedSeq()
        doc["checks"] = checks
    folded = " ".join(question.split()).casefold()
    for item in checks:
        if (
            isinstance(item, CommentedMap)
            and " ".join(str(item.get("ask", "")).split()).casefold() == folded
        ):
            if item.get("expect") == entry_id:
                return
            item["expect"] = entry_id  # the moderator just said where this question belongs
            files.write(relative, dump_round_trip(doc))
            return
    if checks.fa.flow_style() and not checks:
        checks.fa.set_block_style()
    checks.append(_flow_check(question, entry_id))
    files.write(relative, dump_round_trip(doc))


def _drop_checks_for(files: FaqFiles, entry_id: str, question: str | None = None) -> None:
    """Drop the checks expecting `entry_id` (only the one asking `question`, when given)."""
    relative = Path(CHECKS_FILE)
    current = files.text(relative)
    if not current:
        return
    doc = load_round_trip(current, CHECKS_FILE)
    checks = doc.get("checks") if isinstance(doc, CommentedMap) else None
    if not isinstance(checks, CommentedSeq):
        return
    asked = " ".join(question.split()).casefold() if question is not None else None

    def dropped(item: object) -> bool:
        if not isinstance(item, CommentedMap) or item.get("expect") != entry_id:
            return False
        return asked is None or " ".join(str(item.get("ask", "")).split()).casefold() == asked

    keep = [n for n, item in enumerate(checks) if not dropped(item)]
    if len(keep) == len(checks):
        return
    for number in reversed(range(len(checks))):
        if number not in keep:
            del checks[number]
    files.write(relative, dump_round_trip(doc))


def edit_entry(faq_dir: Path, index: FaqIndex, entry_id: str, text: EntryText) -> FaqFiles:
    """The files after changing an entry's question, answer and alternate phrasings (and a
    check that its question keeps reaching it)."""
    entry = index.entry(entry_id)
    if entry is None:
        raise EditError(f"there is no entry '{entry_id}'")
    _check_lengths(text)
    files = FaqFiles(faq_dir)
    relative = _relative(faq_dir, entry.file, entry_id)
    doc = load_round_trip(files.text(relative) or "", str(relative))
    entries = _entries(doc, relative)
    _set_entry_text(entries[_position(entries, entry_id, relative)], text)
    files.write(relative, dump_round_trip(doc))
    add_check(files, text.question, entry_id)
    return files


def new_entry_id(index: FaqIndex, question: str) -> str:
    """A slug of the question's first words, unique in the FAQ."""
    words = _SLUG_PART.sub(" ", question.casefold()).split()
    stop = {"what", "is", "the", "a", "an", "of", "does", "do", "are", "how", "who", "when"}
    base = "-".join([w for w in words if w not in stop][:5] or words[:5] or ["entry"])[:50]
    base = base.strip("-") or "entry"
    candidate, number = base, 2
    while index.entry(candidate) is not None:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def add_entry(
    faq_dir: Path, index: FaqIndex, topic_id: str, text: EntryText, source: Any
) -> tuple[str, FaqFiles]:
    """The files after adding an entry at the end of a topic's file; `source` is a verbatim
    quote (a string) or a moderator statement (a mapping), as the schema takes them."""
    _check_lengths(text)
    topic = index.faq.topic(topic_id)
    if topic is None or not topic.entry_ids:
        raise EditError(f"there is no topic '{topic_id}'")
    first = index.entry(topic.entry_ids[0])
    relative = _relative(faq_dir, first.file if first else None, topic.entry_ids[0])
    files = FaqFiles(faq_dir)
    doc = load_round_trip(files.text(relative) or "", str(relative))
    entries = _entries(doc, relative)
    entry_id = new_entry_id(index, text.question)
    item = CommentedMap([("id", entry_id), ("question", text.question)])
    if text.aliases:
        item["aliases"] = CommentedSeq(text.aliases)
    item["answer"] = _folded(text.answer)
    if isinstance(source, str):
        cited: object = DoubleQuotedScalarString(source)
    else:  # a moderator statement: {moderator, date, statement}
        cited = CommentedMap(source)
        if isinstance(source.get("statement"), str):
            cited["statement"] = _folded(source["statement"])
    item["sources"] = CommentedSeq([cited])
    entries.append(item)
    # A blank line before it, like the hand-written entries.
    entries.yaml_set_comment_before_after_key(len(entries) - 1, before="\n", indent=2)
    files.write(relative, dump_round_trip(doc))
    add_check(files, text.question, entry_id)
    return entry_id, files


def remove_entry(faq_dir: Path, index: FaqIndex, entry_id: str) -> FaqFiles:
    """The files without the entry: its translations and checks dropped, other entries' links
    to it removed (a translation of an entry that is gone would not validate)."""
    entry = index.entry(entry_id)
    if entry is None:
        raise EditError(f"there is no entry '{entry_id}'")
    files = FaqFiles(faq_dir)
    relative = _relative(faq_dir, entry.file, entry_id)
    doc = load_round_trip(files.text(relative) or "", str(relative))
    entries = _entries(doc, relative)
    del entries[_position(entries, entry_id, relative)]
    files.write(relative, dump_round_trip(doc))
    for other in index.faq.entries:
        if entry_id not in other.related:
            continue
        where = _relative(faq_dir, other.file, other.id)
        other_doc = load_round_trip(files.text(where) or "", str(where))
        other_entries = _entries(other_doc, where)
        related = other_entries[_position(other_entries, other.id, where)].get("related")
        if isinstance(related, CommentedSeq) and entry_id in related:
            related.remove(entry_id)
            files.write(where, dump_round_trip(other_doc))
    _drop_translations_of(files, index, entry_id)
    _drop_checks_for(files, entry_id)
    return files


def _drop_translations_of(files: FaqFiles, index: FaqIndex, entry_id: str) -> None:
    """Remove `entry_id` from every faq/<code>/ file that translates it (keyed by the id)."""
    for translation in index.faq.translations.values():
        local = translation.by_id.get(entry_id)
        if local is None or local.file is None:
            continue
        where = _relative(files.faq_dir, local.file, entry_id)
        doc = load_round_trip(files.text(where) or "", str(where))
        entries = doc.get("entries") if isinstance(doc, CommentedMap) else None
        if isinstance(entries, CommentedMap) and entry_id in entries:
            del entries[entry_id]
            files.write(where, dump_round_trip(doc))


def source_files(faq_dir: Path, name: str, title: str, text: str) -> tuple[str, FaqFiles]:
    """The files with a new source document in `sources/` (listed in sources.yaml when the
    FAQ has one). Refused when it is not text or too large."""
    raw = text.encode("utf-8")
    if len(raw) > MAX_SOURCE_BYTES:
        raise EditError(f"a source may have at most {MAX_SOURCE_BYTES // 1024} KB")
    if not text.strip():
        raise EditError("the source document is empty")
    stem = _SLUG_PART.sub("-", Path(name).stem.casefold()).strip("-")[:60] or "source"
    files = FaqFiles(faq_dir)
    relative = Path(SOURCES_DIR) / f"{stem}.txt"
    if files.text(relative) is not None:
        raise EditError(f"{relative} already exists; name the file differently")
    files.write(relative, text if text.endswith("\n") else text + "\n")
    listing = files.text(Path(SOURCES_FILE))
    if listing is not None:
        doc = load_round_trip(listing, SOURCES_FILE)
        sources = doc.get("sources") if isinstance(doc, CommentedMap) else None
        if not isinstance(sources, CommentedSeq):
            raise EditError(f"{SOURCES_FILE} has no list of sources")
        item = CommentedMap([("file", str(relative)), ("title", title)])
        sources.append(item)
        files.write(Path(SOURCES_FILE), dump_round_trip(doc))
    return str(relative), files


def decode_source(data: bytes) -> str:
    """The attachment as text: UTF-8 only (a BOM is dropped)."""
    if len(data) > MAX_SOURCE_BYTES:
        raise EditError(f"a source may have at most {MAX_SOURCE_BYTES // 1024} KB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EditError(
            f"the file is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None
    if "\x00" in text:
        raise EditError("the file is not text (it contains NUL bytes)")
    return text


def reverse(changes: Sequence[FileChange], faq_dir: Path) -> FaqFiles:
    """The files back as they were before `changes`; refused for a file changed since."""
    files = FaqFiles(faq_dir)
    for change in changes:
        current = files.text(change.path)
        if current == change.after:
            if change.before is None:
                raise EditError(f"{change.path} was created by this change; remove it on the host")
            files.write(change.path, change.before)
        elif change.path == Path(CHECKS_FILE):
            _reverse_checks(files, change)
        else:
            raise EditError(
                f"{change.path} changed since (another edit, or on the host); undo would lose "
                "that change, so nothing was done"
            )
    return files


def _check_pairs(text: str | None) -> list[tuple[str, str]]:
    doc = load_round_trip(text, CHECKS_FILE) if text else None
    checks = doc.get("checks") if isinstance(doc, CommentedMap) else None
    return [
        (str(i.get("ask")), str(i.get("expect")))
        for i in (checks or ())
        if isinstance(i, CommentedMap)
    ]


def _reverse_checks(files: FaqFiles, change: FileChange) -> None:
    """checks.yaml changed since (later edits add checks too): take back only this change's
    own checks, and give back the ones it dropped."""
    before, after = _check_pairs(change.before), _check_pairs(change.after)
    added = [p for p in after if p not in before]
    dropped = [p for p in before if p not in after]
    relative = Path(CHECKS_FILE)
    doc = load_round_trip(files.text(relative) or "", CHECKS_FILE)
    checks = doc.get("checks") if isinstance(doc, CommentedMap) else None
    if not isinstance(checks, CommentedSeq):
        raise EditError(f"{CHECKS_FILE} has no list of checks")
    for number in reversed(range(len(checks))):
        item = checks[number]
        if (
            isinstance(item, CommentedMap)
            and (str(item.get("ask")), str(item.get("expect"))) in added
        ):
            del checks[number]
    for question, expect in dropped:
        checks.append(_flow_check(question, expect))
    files.write(relative, dump_round_trip(doc))


# --- validating and saving --------------------------------------------------------------------


def prepare(
    action: str,
    entry_id: str,
    files: FaqFiles,
    *,
    current: FaqIndex,
    work_dir: Path,
    learned_aliases: Path | None = None,
    undoes: int | None = None,
) -> Draft:
    """Validate the changed files (in a copy of FAQ_DIR under `work_dir`) and run the checks
    against the FAQ they make, next to the checks of the FAQ being served."""
    changes = files.changes()
    if not changes:
        raise EditError("nothing changed")
    work_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="draft-", dir=work_dir) as scratch:
        copy = Path(scratch) / "faq"
        shutil.copytree(files.faq_dir, copy, ignore=shutil.ignore_patterns(".*"))
        for change in changes:
            (copy / change.path).parent.mkdir(parents=True, exist_ok=True)
            (copy / change.path).write_text(change.after, encoding="utf-8")
        report = validate_faq_dir(copy, learned_aliases)
        problems = tuple(_shown(p, copy) for p in report.problems)
        if report.faq is None:
            return Draft(action, entry_id, changes, problems=problems, undoes=undoes)
        index = build_index(report.faq)
        after = run_checks(index)
    after = _rebased(after, copy)
    effect = CheckEffect(before=run_checks(current), after=after)
    return Draft(action, entry_id, changes, problems, effect, index, undoes)


def _shown(problem: Problem, copy: Path) -> Problem:
    path = Path(problem.file)
    with contextlib.suppress(ValueError):
        return Problem(str(path.relative_to(copy)), problem.line, problem.message, problem.severity)
    return problem


def _rebased(run: CheckRun, copy: Path) -> CheckRun:
    """The run with the copy's paths shown as the files' names in FAQ_DIR."""

    def moved(check: FaqCheck) -> FaqCheck:
        with contextlib.suppress(ValueError):
            return replace(check, file=str(Path(check.file).relative_to(copy)))
        return check

    failures = tuple(replace(f, check=moved(f.check)) for f in run.failures)
    return replace(run, checks=tuple(moved(c) for c in run.checks), failures=failures)


def save(draft: Draft, faq_dir: Path) -> None:
    """Write the draft's files atomically; refuse (writing nothing) when any of them changed
    on disk since the draft was made."""
    reason = read_only_reason(faq_dir)
    if reason is not None:
        raise EditError(reason)
    for change in draft.files:
        path = faq_dir / change.path
        try:
            current: str | None = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            current = None
        except (OSError, UnicodeDecodeError) as exc:
            raise EditError(f"cannot read {change.path}: {exc}") from None
        if (current is None) != (change.before is None) or (
            current is not None and text_hash(current) != change.before_hash
        ):
            raise EditError(
                f"{change.path} changed on the host since this preview; nothing was saved. "
                "Open the editor again to start from the new file."
            )
    for change in draft.files:
        path = faq_dir / change.path
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        try:
            write_atomic(path, change.after, mode=mode)
        except OSError as exc:
            raise EditError(f"cannot write {change.path}: {exc.strerror or exc}") from None


def entries_named(index: FaqIndex, current: str) -> Iterable[FaqEntry]:
    """Entries whose id or question contains `current` (for autocomplete)."""
    needle = current.casefold()
    return (e for e in index.faq.entries if needle in e.id or needle in e.question.casefold())


def keep_as_check(faq_dir: Path, index: FaqIndex, question: str, entry_id: str) -> str:
    """Add `question` -> `entry_id` to checks.yaml now, when it reaches that entry today (a
    learned alias, say); a short note on what happened, for the moderator."""
    if read_only_reason(faq_dir) is not None:
        return "no check added (FAQ_DIR is read-only)"
    if reached(index, question) != entry_id:
        return "no check added (the question does not reach the entry yet)"
    try:
        saved = _save_checks(faq_dir, entry_id, lambda f: add_check(f, question, entry_id))
    except EditError as exc:
        return f"no check added ({exc})"
    return f"kept as a check in {CHECKS_FILE}" if saved else "already a check"


def forget_check(faq_dir: Path, question: str, entry_id: str) -> str:
    """Drop the check `question` -> `entry_id` (a learned alias removed again); a note."""
    if read_only_reason(faq_dir) is not None:
        return "checks unchanged (FAQ_DIR is read-only)"
    try:
        saved = _save_checks(faq_dir, entry_id, lambda f: _drop_checks_for(f, entry_id, question))
    except EditError as exc:
        return f"its check stays ({exc})"
    return f"its check dropped from {CHECKS_FILE}" if saved else "no check to drop"


def _save_checks(faq_dir: Path, entry_id: str, change: Callable[[FaqFiles], None]) -> bool:
    """Apply `change` to the checks of `faq_dir` and save it at once (no preview: checks are
    kept in step with a learned alias); False when it changed nothing. Raises EditError."""
    files = FaqFiles(faq_dir)
    change(files)
    changes = files.changes()
    if not changes:
        return False
    save(Draft("check", entry_id, changes), faq_dir)
    return True
