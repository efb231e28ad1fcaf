"""The live FAQ: one current index, swapped whole on reload, never replaced by a broken FAQ."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.engine.index import FaqIndex, build_index
from bot.engine.loader import validate_faq_dir
from bot.engine.models import Problem

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReloadResult:
    """What a reload did: the new version and its changes, or the errors that stopped it."""

    ok: bool
    version: str
    problems: tuple[Problem, ...] = ()
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    at: float = field(default_factory=time.time)

    @property
    def unchanged(self) -> bool:
        return self.ok and not (self.added or self.changed or self.removed)

    def summary(self) -> str:
        """One line for moderators."""
        if not self.ok:
            errors = [p for p in self.problems if p.severity == "error"]
            return f"FAQ reload failed ({len(errors)} error(s)); still serving {self.version}"
        return (
            f"FAQ {self.version} loaded: {len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.removed)} removed"
        )


class KnowledgeBase:
    """Holds the current `FaqIndex`. Readers take `index` once per question, so a question in
    flight keeps the version it started with while a reload swaps in the next one."""

    def __init__(self, faq_dir: Path, learned_aliases: Path | None = None) -> None:
        self.faq_dir = faq_dir
        self.learned_aliases = learned_aliases
        self._lock = threading.Lock()
        self._index: FaqIndex | None = None
        self.last_reload: ReloadResult | None = None

    @property
    def index(self) -> FaqIndex:
        if self._index is None:
            raise RuntimeError("the FAQ has not been loaded yet")
        return self._index

    @property
    def loaded(self) -> bool:
        return self._index is not None

    def reload(self) -> ReloadResult:
        """Validate the directory and swap in the new index; keep the old one on errors."""
        with self._lock:
            report = validate_faq_dir(self.faq_dir, self.learned_aliases, check_similarity=False)
            current = self._index
            if report.faq is None:
                result = ReloadResult(
                    ok=False,
                    version=current.faq.version if current else "none",
                    problems=report.problems,
                )
                log.error("%s:\n%s", result.summary(), "\n".join(map(str, report.errors)))
            else:
                new = build_index(report.faq)
                old = current.faq.by_id if current else {}
                fresh = new.faq.by_id
                result = ReloadResult(
                    ok=True,
                    version=new.faq.version,
                    problems=report.problems,
                    added=tuple(i for i in fresh if i not in old),
                    changed=tuple(i for i in fresh if i in old and old[i] != fresh[i]),
                    removed=tuple(i for i in old if i not in fresh),
                )
                self._index = new
                log.info(result.summary())
            self.last_reload = result
            return result
