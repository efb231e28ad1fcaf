"""FAQ checks: questions the FAQ must keep answering (`checks.yaml`, moderator-owned).

Each check names the entry a question must reach, or `decline`. `faqbot validate` and every
reload run them against the freshly built index; a failing check refuses the reload like an
invalid file (unless forced), reported as `file:line: "question" now reaches X (expected Y)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.engine.index import FaqIndex
from bot.engine.models import DECLINE, FaqCheck, Outcome, Problem
from bot.engine.multilingual import answer_in, translated_index
from bot.engine.text import clip

QUESTION_SHOWN = 120
"""Characters of a check's question quoted in a failure line."""


def reached(index: FaqIndex, question: str) -> str:
    """What a delegate asking `question` (in `index`'s language) gets: an entry id,
    `decline`, or a choice."""
    answer = answer_in(index, question)
    if answer.shows_entry and answer.best is not None:
        return answer.best.entry.id
    if answer.outcome is Outcome.SUGGESTED and answer.alternatives:
        return "a choice of " + ", ".join(c.entry.id for c in answer.alternatives)
    return DECLINE


@dataclass(frozen=True, slots=True)
class CheckFailure:
    """A check whose question no longer reaches what it expects."""

    check: FaqCheck
    reached: str

    @property
    def key(self) -> tuple[str, str, str]:
        """The same check in another run of another FAQ version."""
        return (self.check.question, self.check.expect, self.check.language or "")

    def problem(self) -> Problem:
        question = clip(" ".join(self.check.question.split()), QUESTION_SHOWN)
        return Problem(
            self.check.file,
            self.check.line,
            f'"{question}" now reaches {self.reached} (expected {self.check.expect})',
        )


@dataclass(frozen=True, slots=True)
class CheckRun:
    """Every check of one FAQ version and the ones that failed."""

    checks: tuple[FaqCheck, ...]
    failures: tuple[CheckFailure, ...]

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def passed(self) -> int:
        return len(self.checks) - len(self.failures)

    def summary(self) -> str:
        if not self.checks:
            return "no checks"
        if self.ok:
            return f"all {len(self.checks)} checks pass"
        return f"{len(self.failures)} of {len(self.checks)} checks fail"

    def problems(self) -> tuple[Problem, ...]:
        return tuple(f.problem() for f in self.failures)

    def failing_keys(self) -> frozenset[tuple[str, str, str]]:
        """(question, expected) of each failing check, to compare two runs."""
        return frozenset(f.key for f in self.failures)


def run_checks(index: FaqIndex, checks: Iterable[FaqCheck] | None = None) -> CheckRun:
    """Ask every check's question (the FAQ's own checks, its translations' too, unless
    `checks` is given); a check in a language is asked of that language's index."""
    if checks is None:
        translated = index.faq.translations.values()
        checks = (*index.faq.checks, *(c for t in translated for c in t.checks))
    all_checks = tuple(checks)
    indexes: dict[str, FaqIndex] = {}
    failures = []
    for check in all_checks:
        asked = index
        if check.language is not None and check.language in index.faq.translations:
            if check.language not in indexes:
                indexes[check.language] = translated_index(index, check.language)
            asked = indexes[check.language]
        got = reached(asked, check.question)
        if got != check.expect:
            failures.append(CheckFailure(check, got))
    return CheckRun(checks=all_checks, failures=tuple(failures))


@dataclass(frozen=True, slots=True)
class CheckEffect:
    """What a change does to the checks: the ones it breaks and the ones it fixes."""

    before: CheckRun
    after: CheckRun

    @property
    def broken(self) -> tuple[CheckFailure, ...]:
        old = self.before.failing_keys()
        return tuple(f for f in self.after.failures if f.key not in old)

    @property
    def fixed(self) -> int:
        new = self.after.failing_keys()
        return sum(1 for f in self.before.failures if f.key not in new)

    def summary(self) -> str:
        parts = [self.after.summary()]
        if self.broken:
            parts.append(f"this change breaks {len(self.broken)}")
        if self.fixed:
            parts.append(f"fixes {self.fixed}")
        added = len(self.after.checks) - len(self.before.checks)
        if added > 0:
            parts.append(f"adds {added}")
        elif added < 0:
            parts.append(f"drops {-added}")
        return "; ".join(parts)
