"""Why the engine answered as it did, as data (for a moderator command) and as plain text."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from bot.engine.models import AnswerKind, Outcome

if TYPE_CHECKING:
    from bot.engine.index import Weights


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """One term of the question as matched."""

    term: str
    weight: float
    """Its share of the question's meaning before matching (rarity, question-word discount,
    general-English salience for words the FAQ does not know)."""
    match: float
    """1 for a word the FAQ has, below 1 for a corrected typo, 0 for a word it lacks."""
    implied: bool
    """Added from the FAQ's default subject because the question named nothing."""
    known: bool


@dataclass(frozen=True, slots=True)
class EntrySignals:
    """The signals one entry scored on, each already multiplied by its weight where noted."""

    entry_id: str
    location: str
    score: float
    coverage: float
    """Share of the question's meaning the entry covers (times Weights.coverage in score)."""
    bm25: float
    """BM25 relative to the best shortlisted entry (times Weights.bm25)."""
    phrase: float
    """Overlap with the entry's closest question or alias (times Weights.phrase)."""
    subject: float
    """Default-subject bonus, already weighted."""
    kind: float
    """Question-kind bonus (+) or penalty (-), already weighted."""
    wording: float
    """Word-for-word likeness to the closest question or alias, only for entries within the
    margin of the best (times Weights.wording)."""
    matched: tuple[str, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Explanation:
    question: str
    outcome: Outcome
    entry_id: str | None
    reason: str | None
    note: str | None
    kind: AnswerKind | None
    yes_no: bool
    implied_subject: bool
    terms: tuple[QueryTerm, ...]
    unknown: tuple[tuple[str, float], ...]
    """Words the FAQ does not know, with the weight they took from general English."""
    candidates: tuple[EntrySignals, ...]
    weights: Weights
    also: tuple[str, ...] = ()
    """Entries answering the question's other parts ("where and when?")."""


def render_explanation(explanation: Explanation) -> str:
    """The explanation as a moderator reads it in a terminal or a code block."""
    e = explanation
    verdict = e.outcome.value + (f" with {e.entry_id}" if e.entry_id else "")
    lines = [f"outcome: {verdict}"]
    if e.reason:
        lines.append(f"reason: {e.reason}")
    if e.note and e.note != e.reason:
        lines.append(f"note: {e.note}")
    if e.also:
        lines.append("also answers (other parts of the question): " + ", ".join(e.also))
    form = [f"kind {e.kind.value}" if e.kind else "no kind", "yes/no" if e.yes_no else ""]
    if e.implied_subject:
        form.append("names nothing: read as about the default subject")
    lines.append("question: " + ", ".join(f for f in form if f))
    if e.terms:
        lines.append(
            "terms: "
            + ", ".join(
                f"{t.term} {t.weight:.2f}"
                + ("" if t.match == 1 else f" (match {t.match:.2f})")
                + (" [implied]" if t.implied else "")
                + ("" if t.known else " [unknown]")
                for t in e.terms
            )
        )
    if e.unknown:
        lines.append(
            "words the FAQ does not know: " + ", ".join(f"{w} {x:.2f}" for w, x in e.unknown)
        )
    w = e.weights
    lines.append(
        f"score = {w.coverage} x coverage + {w.bm25} x bm25 + {w.phrase} x phrase + subject + kind"
        f" (+ {w.wording} x wording for a close call)"
    )
    for c in e.candidates:
        lines.append(
            f"  {c.score:.3f} {c.entry_id} ({c.location}): coverage {c.coverage:.2f}, "
            f"bm25 {c.bm25:.2f}, phrase {c.phrase:.2f}, subject {c.subject:+.2f}, "
            f"kind {c.kind:+.2f}" + (f", wording {c.wording:.2f}" if c.wording else "")
        )
        lines.append(
            f"        matched: {' '.join(c.matched) or '-'}; missing: {' '.join(c.missing) or '-'}"
        )
    return "\n".join(lines)


def weights_text(weights: Weights) -> str:
    """`name=value` for every weight: what the benchmark tunes."""
    return ", ".join(f"{f.name}={getattr(weights, f.name)}" for f in fields(weights))
