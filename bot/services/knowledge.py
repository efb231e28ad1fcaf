"""The live FAQ: one current index, swapped whole on reload, never replaced by a broken FAQ.

Readers take `knowledge.index` once per question and use only that object, so a question in
flight keeps the FAQ version it started with while a reload swaps in the next one. A reload
validates the directory first (every check `faqbot validate` runs, the FAQ's own `checks.yaml`
included) and keeps the last good index when the new files have errors or a check fails,
unless the reload is forced (`/faq-admin reload force:True`), which is logged.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG

from bot.engine.checks import run_checks
from bot.engine.index import FaqIndex, build_index
from bot.engine.loader import validate_faq_dir
from bot.engine.models import Answer, Faq, FaqEntry, HasProblems, Problem, Severity
from bot.engine.multilingual import MultilingualIndex
from bot.engine.text import clip

log = logging.getLogger(__name__)

_IGNORED_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", ".part", ".bak", "~")
"""Editor scratch files: their churn must neither trigger nor delay a reload."""
_HASH_LIMIT = 8 * 1024 * 1024
"""Files larger than this are fingerprinted by size and mtime only."""


@dataclass(frozen=True, slots=True)
class ReloadResult(HasProblems):
    """What a reload did: the new version and its changes, or the errors that stopped it.

    `version` is the version served after the attempt: the new one on success, the one kept
    on failure ("none" when nothing could ever be loaded).
    """

    ok: bool
    version: str
    problems: tuple[Problem, ...] = ()
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    at: float = field(default_factory=time.time)
    previous: str | None = None
    """The version served before the attempt (None at the first load)."""
    entries: int = 0
    """Entries served after the attempt."""
    checks: str = ""
    """What the FAQ's checks said about the new files ("all 113 checks pass")."""
    failed_checks: int = 0
    forced: bool = False
    """Served although checks failed, because a moderator forced it."""

    @property
    def unchanged(self) -> bool:
        return self.ok and not (self.added or self.changed or self.removed)

    def summary(self) -> str:
        """One line for moderators."""
        if not self.ok and self.failed_checks and self.failed_checks == len(self.errors):
            return (
                f"FAQ reload refused: {self.failed_checks} check(s) fail; still serving "
                f"{self.version}"
            )
        if not self.ok:
            return f"FAQ reload failed ({len(self.errors)} error(s)); still serving {self.version}"
        if self.forced:
            return (
                f"FAQ {self.version} loaded by force although {self.failed_checks} check(s) "
                f"fail ({self.entries} entries)"
            )
        if self.previous is None:
            return f"FAQ {self.version} loaded: {self.entries} entries"
        if self.version == self.previous:
            return f"FAQ {self.version} unchanged ({self.entries} entries)"
        return (
            f"FAQ {self.version} loaded: {len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.removed)} removed ({self.entries} entries)"
        )

    def report(self, limit: int = 4000) -> str:
        """The summary and every problem (`file:line: message`), cut to `limit` characters."""
        lines = [self.summary()]
        if self.ok and self.previous is not None:
            for label, ids in (
                ("added", self.added),
                ("changed", self.changed),
                ("removed", self.removed),
            ):
                if ids:
                    lines.append(f"{label}: {', '.join(ids)}")
        lines += [str(p) for p in (*self.errors, *self.warnings)]
        return clip_lines(lines, limit)


def clip_lines(lines: Iterable[str], limit: int) -> str:
    """Join `lines`, dropping whole lines at the end (and saying how many) to fit `limit`."""
    lines = list(lines)
    reserve = 24  # room for "… and N more"
    out: list[str] = []
    used = 0
    for i, line in enumerate(lines):
        line = clip(line, limit // 2)
        last = i == len(lines) - 1
        if used + len(line) + (0 if last else reserve) > limit:
            out.append(f"… and {len(lines) - i} more")
            break
        out.append(line)
        used += len(line) + 1
    return "\n".join(out)


def entry_content(entry: FaqEntry) -> FaqEntry:
    """The entry without where it was found: moving an entry in its file changes nothing."""
    return dataclasses.replace(entry, file=None, line=0)


def diff_entries(
    old: Faq | None, new: Faq
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Entry ids (added, changed, removed) from `old` to `new`, comparing content only."""
    before = old.by_id if old is not None else {}
    after = new.by_id
    added = tuple(i for i in after if i not in before)
    removed = tuple(i for i in before if i not in after)
    changed = tuple(
        i for i in after if i in before and entry_content(before[i]) != entry_content(after[i])
    )
    return added, changed, removed


def _ignored(name: str) -> bool:
    return name.startswith(".") or name.endswith(_IGNORED_SUFFIXES) or name == "4913"


def fingerprint(faq_dir: Path, extra: Iterable[Path | None] = ()) -> str:
    """A hash of every file a reload could read: names, sizes, mtimes and contents.

    Hidden files and editor scratch files are left out. Unreadable or missing files count
    as such, so their appearance or disappearance is a change too.
    """
    hasher = hashlib.sha256()
    paths: list[Path] = []
    for root, dirs, files in os.walk(faq_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        paths += [Path(root) / name for name in sorted(files) if not _ignored(name)]
    paths += [p for p in extra if p is not None]
    for path in paths:
        hasher.update(str(path).encode() + b"\0")
        try:
            stat = path.stat()
            hasher.update(f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_mode}\0".encode())
            if S_ISREG(stat.st_mode) and stat.st_size <= _HASH_LIMIT:  # a pipe's read blocks
                hasher.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError as exc:
            hasher.update(f"error:{exc.errno}\0".encode())
    return hasher.hexdigest()


class KnowledgeBase:
    """Holds the current `FaqIndex`. Readers take `index` once per question, so a question in
    flight keeps the version it started with while a reload swaps in the next one.

    `reload()` blocks for a few hundred milliseconds (it reads and validates every file): call
    it from a thread (`await asyncio.to_thread(kb.reload)`) in the bot, or use `FaqWatcher`.
    """

    def __init__(self, faq_dir: Path, learned_aliases: Path | None = None) -> None:
        self.faq_dir = faq_dir.expanduser().absolute()
        self.learned_aliases = learned_aliases.expanduser().absolute() if learned_aliases else None
        self._lock = threading.Lock()
        self._languages: MultilingualIndex | None = None
        self.last_reload: ReloadResult | None = None
        """The last attempt, good or bad."""
        self.last_good: ReloadResult | None = None
        """The attempt that produced the index being served."""
        self.seen_fingerprint: str | None = None
        """The files' fingerprint at the last attempt, good or bad (see `fingerprint`)."""

    @property
    def languages(self) -> MultilingualIndex:
        """The index of every language being served (its `english` is `index`). Take it
        once per question and keep using that object."""
        languages = self._languages
        if languages is None:
            raise RuntimeError("the FAQ has not been loaded yet")
        return languages

    @property
    def index(self) -> FaqIndex:
        """The English index being served. Take it once per question and keep using it."""
        return self.languages.english

    @property
    def loaded(self) -> bool:
        return self._languages is not None

    @property
    def version(self) -> str | None:
        languages = self._languages
        return languages.faq.version if languages is not None else None

    def answer(self, question: str) -> Answer:
        """The current index's answer; the whole answer comes from one FAQ version."""
        return self.index.answer(question)

    def fingerprint(self) -> str:
        """The fingerprint of every file a reload would read right now."""
        return fingerprint(self.faq_dir, (self.learned_aliases,))

    def reload(self, *, force: bool = False) -> ReloadResult:
        """Validate the directory, run its checks and swap in the new index; keep the old one
        on errors or failing checks (unless `force`: then only errors keep it)."""
        with self._lock:
            seen = self.fingerprint()
            report = validate_faq_dir(self.faq_dir, self.learned_aliases)
            problems = tuple(self._relative(p) for p in report.problems)
            current = self._languages.english if self._languages is not None else None
            previous = current.faq.version if current is not None else None
            new = build_index(report.faq) if report.faq is not None else None
            run = run_checks(new) if new is not None else None
            failed = tuple(self._relative(p) for p in run.problems()) if run else ()
            if new is None or (failed and not force):
                result = ReloadResult(
                    ok=False,
                    version=previous or "none",
                    problems=problems + failed,
                    previous=previous,
                    entries=len(current) if current is not None else 0,
                    checks=run.summary() if run else "",
                    failed_checks=len(failed),
                )
                log.error("%s:\n%s", result.summary(), "\n".join(map(str, result.errors)))
            else:
                assert run is not None
                if failed:
                    log.warning(
                        "FAQ reload forced although %d check(s) fail:\n%s",
                        len(failed),
                        "\n".join(map(str, failed)),
                    )
                added, changed, removed = diff_entries(
                    current.faq if current is not None else None, new.faq
                )
                # Forced: the failing checks are still shown, as warnings.
                warned = tuple(dataclasses.replace(p, severity=Severity.WARNING) for p in failed)
                result = ReloadResult(
                    ok=True,
                    version=new.faq.version,
                    problems=problems + warned,
                    added=added,
                    changed=changed,
                    removed=removed,
                    previous=previous,
                    entries=len(new),
                    checks=run.summary(),
                    failed_checks=len(failed),
                    forced=bool(failed),
                )
                # Checked with every answer encoded on demand; served without waiting for one.
                new.defer_answers()
                self._languages = MultilingualIndex(new)
                self._warm_in_background(new)
                self.last_good = result
                log.info(result.summary())
                for warning in result.warnings:
                    log.warning("%s", warning)
            self.seen_fingerprint = seen
            self.last_reload = result
            return result

    def _warm_in_background(self, index: FaqIndex) -> None:
        """Encode the served index's answer texts off the question path (`warm_answers`;
        questions meanwhile skip the answers not yet warm: `defer_answers`), stopping early
        when another reload replaces it."""
        threading.Thread(
            target=index.warm_answers,
            kwargs={"keep_going": lambda: self.index is index},
            name="faq-answer-warm-up",
            daemon=True,
        ).start()

    def _relative(self, problem: Problem) -> Problem:
        """`venue.yaml:12: ...` rather than a long absolute path; moderators know the folder."""
        path = Path(problem.file)
        try:
            relative = path.relative_to(self.faq_dir)
            shown = str(relative) if relative.parts else str(self.faq_dir)
        except ValueError:
            shown = path.name if path == self.learned_aliases else problem.file
        return dataclasses.replace(problem, file=shown)
