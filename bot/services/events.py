"""What the bot tells its subscribers (store, metrics, moderators) after every answer.

No discord import here: subscribers get plain values they can store or count.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum

from bot.engine.models import Answer, Candidate, FaqEntry, Outcome

MISS_OUTCOMES = frozenset({Outcome.DECLINED, Outcome.SUGGESTED, Outcome.NOT_STATED})
"""Outcomes that are misses, what moderators want to review: a "did you mean" offered, no
answer at all, or "the release does not say" (a question the FAQ cannot answer yet)."""


class QuestionSource(StrEnum):
    """Where a question came from."""

    SLASH = "slash"
    """A slash command (/ask with typed text, /dates, /venue, ...)."""
    MENTION = "mention"
    """A message that mentions the bot in a server channel."""
    DM = "dm"
    """A direct message to the bot."""
    BUTTON = "button"
    """A component: a did-you-mean or related-question button, or a /faq select menu."""
    CONTEXT_MENU = "context_menu"
    """The "Answer with FAQ" message command."""
    AUTOCOMPLETE = "autocomplete"
    """/ask with a suggestion picked from the autocomplete list (an exact entry, not a guess)."""


@dataclass(frozen=True, slots=True)
class ScoredEntry:
    """One candidate the engine considered."""

    entry_id: str
    score: float


@dataclass(frozen=True, slots=True)
class QuestionEvent:
    """One question and what the bot did with it; passed to `FaqBot.on_question_answered`.

    `question` is what the user typed (mention stripped); for a direct lookup (a button,
    /dates, a picked suggestion) it is the entry's question. `entry_id` is set exactly when
    `outcome` is ANSWERED. `candidates` are the engine's choices, best first (for a direct
    lookup: the entry with score 1.0). `latency` is seconds from receiving the question to
    the reply being sent.
    """

    question: str
    outcome: Outcome
    entry_id: str | None
    candidates: tuple[ScoredEntry, ...]
    guild_id: int | None
    channel_id: int | None
    user_id: int
    source: QuestionSource
    latency: float
    faq_version: str
    at: float = field(default_factory=time.time)
    """Unix time the event was created."""

    @property
    def answered(self) -> bool:
        return self.outcome is Outcome.ANSWERED

    @property
    def missed(self) -> bool:
        """No confident answer from the release (`MISS_OUTCOMES`)."""
        return self.outcome in MISS_OUTCOMES

    @classmethod
    def from_answer(
        cls,
        answer: Answer,
        *,
        source: QuestionSource,
        user_id: int,
        guild_id: int | None,
        channel_id: int | None,
        latency: float,
    ) -> QuestionEvent:
        candidates = ((answer.best,) if answer.best else ()) + answer.alternatives
        return cls(
            question=answer.question,
            outcome=answer.outcome,
            entry_id=answer.best.entry.id if answer.best else None,
            candidates=tuple(_scored(c) for c in candidates),
            guild_id=guild_id,
            channel_id=channel_id,
            user_id=user_id,
            source=source,
            latency=latency,
            faq_version=answer.faq_version,
        )

    @classmethod
    def direct(
        cls,
        entry: FaqEntry,
        *,
        faq_version: str,
        source: QuestionSource,
        user_id: int,
        guild_id: int | None,
        channel_id: int | None,
        latency: float,
    ) -> QuestionEvent:
        """An entry answered by id (button, topic command, picked suggestion)."""
        return cls(
            question=entry.question,
            outcome=Outcome.ANSWERED,
            entry_id=entry.id,
            candidates=(ScoredEntry(entry.id, 1.0),),
            guild_id=guild_id,
            channel_id=channel_id,
            user_id=user_id,
            source=source,
            latency=latency,
            faq_version=faq_version,
        )


def _scored(candidate: Candidate) -> ScoredEntry:
    return ScoredEntry(candidate.entry.id, round(candidate.score, 4))
