"""Aliases learned from misses, kept in DATA_DIR/learned-aliases.yaml (the FAQ may be read-only).

The file has the shape the loader merges (`aliases: {entry-id: [phrase, ...]}`). Every change
is validated against the FAQ first (an alias that would clash with another entry's question is
refused with the loader's `file:line: message`), then written atomically (temporary file,
fsync, `os.replace`), under a lock shared with other processes (`faqbot aliases`), so a
reader never sees half a file and two writers never lose each other's change.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import tempfile
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import yaml
from pydantic import ValidationError

from bot.engine.loader import MAX_FILE_BYTES, parse_yaml, validate_faq_dir
from bot.engine.models import Faq, Problem
from bot.engine.schema import MAX_ALIAS, SLUG, AliasesFileSchema
from bot.engine.text import fold
from bot.services.files import write_atomic
from bot.services.storage_errors import storage_problem

fcntl: ModuleType | None
try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None

log = logging.getLogger(__name__)

LEARNED_FILE = "learned-aliases.yaml"
_lock = threading.Lock()

Aliases = Mapping[str, tuple[str, ...]]


class LearnedAliasesError(Exception):
    """The learned-aliases file cannot be read; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(map(str, problems)))


@dataclass(frozen=True, slots=True)
class AliasChange:
    """What `add` or `remove` did."""

    ok: bool
    entry_id: str
    alias: str
    message: str
    problems: tuple[Problem, ...] = ()
    changed: bool = False
    """False when there was nothing to do (already there, or not there to remove)."""


def learned_path(data_dir: Path) -> Path:
    return data_dir.expanduser().absolute() / LEARNED_FILE


def clean_alias(text: str) -> str:
    """One line, single spaces, stripped."""
    return " ".join(text.split())


class LearnedAliases:
    """The learned-aliases file: read, add (validated), remove, export."""

    def __init__(self, path: Path) -> None:
        self.path = path.expanduser().absolute()

    # --- reading ---------------------------------------------------------------------------

    def load(self) -> dict[str, tuple[str, ...]]:
        """entry id -> aliases; empty when the file does not exist."""
        try:
            size = self.path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise LearnedAliasesError(
                    [Problem(str(self.path), 0, f"file is {size:,} bytes, over {MAX_FILE_BYTES:,}")]
                )
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as exc:
            raise LearnedAliasesError([Problem(str(self.path), 0, f"cannot read: {exc}")]) from exc
        try:
            data = parse_yaml(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 0
            raise LearnedAliasesError(
                [Problem(str(self.path), line, f"YAML syntax error: {exc}")]
            ) from exc
        if data is None:
            return {}
        try:
            parsed = AliasesFileSchema.model_validate(data)
        except ValidationError as exc:
            raise LearnedAliasesError(
                [Problem(str(self.path), 0, e["msg"]) for e in exc.errors()]
            ) from exc
        return {k: tuple(clean_alias(str(a)) for a in v) for k, v in parsed.aliases.items()}

    def count(self) -> int:
        """How many learned aliases there are (0 when the file is unreadable)."""
        try:
            return sum(len(v) for v in self.load().values())
        except LearnedAliasesError:
            return 0

    # --- changing --------------------------------------------------------------------------

    def add(self, entry_id: str, alias: str, *, faq_dir: Path) -> AliasChange:
        """Add `alias` to `entry_id` if the FAQ stays valid with it; write the file atomically.

        Blocks while it validates the FAQ (a few hundred ms): call it in a thread from the bot.
        A file that cannot be written (read-only DATA_DIR, full disk) is a refusal in words.
        """
        try:
            return self._add(entry_id, alias, faq_dir=faq_dir)
        except OSError as exc:
            return self._not_saved(entry_id, alias, exc)

    def remove(self, entry_id: str, alias: str) -> AliasChange:
        """Remove a learned alias (compared the way the matcher does: case, accents, spaces)."""
        try:
            return self._remove(entry_id, alias)
        except OSError as exc:
            return self._not_saved(entry_id, alias, exc)

    def _not_saved(self, entry_id: str, alias: str, error: OSError) -> AliasChange:
        log.error("could not save %s: %s", self.path, storage_problem(error))
        return AliasChange(
            False,
            entry_id,
            clean_alias(alias),
            f"could not save {self.path}: {storage_problem(error)}",
        )

    def _add(self, entry_id: str, alias: str, *, faq_dir: Path) -> AliasChange:
        alias = clean_alias(alias)
        if not alias:
            return AliasChange(False, entry_id, alias, "the alias is empty")
        if len(alias) > MAX_ALIAS:
            return AliasChange(
                False, entry_id, alias, f"the alias is longer than {MAX_ALIAS} characters"
            )
        with self._locked():
            current = self.load()
            if any(fold(a) == fold(alias) for a in current.get(entry_id, ())):
                return AliasChange(
                    True, entry_id, alias, f"'{alias}' is already an alias of {entry_id}"
                )
            proposed = dict(current)
            proposed[entry_id] = (*current.get(entry_id, ()), alias)
            problems = self._new_problems(proposed, faq_dir)
            if problems:
                return AliasChange(
                    False,
                    entry_id,
                    alias,
                    f"'{alias}' cannot be an alias of {entry_id}",
                    problems=problems,
                )
            self._write(proposed)
        log.info("learned alias added: %s <- %r", entry_id, alias)
        return AliasChange(
            True, entry_id, alias, f"'{alias}' is now an alias of {entry_id}", changed=True
        )

    def _remove(self, entry_id: str, alias: str) -> AliasChange:
        alias = clean_alias(alias)
        with self._locked():
            current = self.load()
            kept = tuple(a for a in current.get(entry_id, ()) if fold(a) != fold(alias))
            if len(kept) == len(current.get(entry_id, ())):
                return AliasChange(
                    False, entry_id, alias, f"'{alias}' is not a learned alias of {entry_id}"
                )
            proposed = {k: v for k, v in current.items() if k != entry_id}
            if kept:
                proposed[entry_id] = kept
            self._write(proposed)
        log.info("learned alias removed: %s <- %r", entry_id, alias)
        return AliasChange(
            True, entry_id, alias, f"'{alias}' is no longer an alias of {entry_id}", changed=True
        )

    def export(self, faq: Faq | None = None, *, now: datetime | None = None) -> str:
        """The learned aliases as YAML, each entry commented with where it lives in faq/."""
        aliases = self.load()
        now = now or datetime.now(tz=UTC)
        lines = [
            f"# Aliases learned by the bot, exported on {now:%Y-%m-%d %H:%M} UTC.",
            "# Fold them back into the FAQ: append each list to the `aliases:` of that entry",
            "# in faq/ (the comment says where it is), run `faqbot validate`, then remove them",
            "# from the bot (`faqbot aliases --remove ENTRY ALIAS`) or leave them: duplicates of",
            "# an alias already in faq/ are ignored. This file also works as-is with",
            "# `faqbot validate --aliases FILE`.",
        ]
        lines += _render(aliases, faq).splitlines()
        return "\n".join(lines) + "\n"

    # --- internals -------------------------------------------------------------------------

    def _new_problems(self, proposed: Aliases, faq_dir: Path) -> tuple[Problem, ...]:
        """Errors the proposed file adds to the FAQ (errors already there do not count)."""
        with self._temporary(proposed) as candidate:
            report = validate_faq_dir(faq_dir, candidate, check_similarity=False)
            if report.faq is not None:
                return ()
            errors = [self._rename(p, candidate) for p in report.errors]
        baseline = validate_faq_dir(faq_dir, self.path, check_similarity=False)
        before = {str(p) for p in baseline.errors}
        return tuple(p for p in errors if str(p) not in before)

    def _rename(self, problem: Problem, temporary: Path) -> Problem:
        if Path(problem.file) == temporary:
            return replace(problem, file=str(self.path))
        return problem

    @contextlib.contextmanager
    def _temporary(self, aliases: Aliases) -> Iterator[Path]:
        """The proposed file beside the real one, for validating it before it replaces it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp"
        )
        path = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(_render(aliases, None, header=True))
            yield path
        finally:
            path.unlink(missing_ok=True)

    def _write(self, aliases: Aliases) -> None:
        """Replace the file atomically: a reader sees the old or the new one, never a mix."""
        write_atomic(self.path, _render(aliases, None, header=True))

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer at a time: threads of this process, and other processes (the CLI)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _lock:
            if fcntl is None:
                yield
                return
            lock_path = self.path.with_name(f".{self.path.name}.lock")
            with open(lock_path, "a+b") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)


def _render(aliases: Aliases, faq: Faq | None, *, header: bool = False) -> str:
    lines = []
    if header:
        lines += [
            "# Aliases learned from unanswered questions; managed by the bot",
            "# (/faq-admin misses, /faq-admin unalias, `faqbot aliases`). Hand edits are picked",
            "# up and validated like the FAQ: an invalid file stops reloads until it is fixed.",
        ]
    if not any(aliases.values()):
        return "\n".join([*lines, "aliases: {}"]) + "\n"
    lines.append("aliases:")
    for entry_id in sorted(aliases):
        if not aliases[entry_id]:
            continue
        entry = faq.by_id.get(entry_id) if faq is not None else None
        if entry is not None:
            lines.append(f"  # {entry.location}: {entry.question}")
        elif faq is not None:
            lines.append("  # not in the current FAQ: remove or re-target")
        lines.append(f"  {entry_id}:" if re.match(SLUG, entry_id) else f"  {json.dumps(entry_id)}:")
        lines += [f"    - {json.dumps(a, ensure_ascii=False)}" for a in aliases[entry_id]]
    return "\n".join(lines) + "\n"
