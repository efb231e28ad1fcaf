"""Hand-offs: questions the FAQ could not answer, handed to the moderators ("Ask the
organisers"), and their answers brought back to the delegates who asked.

The data types the store returns, the key that merges identical questions, the median time
to answer, and the FAQ entry drafts (`faqbot handoffs --export`, the card's "Add to the FAQ")
that cite the moderator's answer as a moderator-statement source. Pure: no Discord.
"""

from __future__ import annotations

import secrets
import statistics
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from bot.engine.schema import MAX_ANSWER, MAX_MODERATOR_NAME, MAX_QUESTION
from bot.engine.text import fold
from bot.services.topic_stubs import quoted, topic_file, unique_id, utc_day

MAX_HANDOFF_QUESTION = 300
"""Characters of a question a delegate may hand to the moderators (the modal's limit)."""
MAX_HANDOFF_CONTEXT = 500
"""Characters of the optional context line."""
MAX_HANDOFF_ANSWER = 1500
"""Characters of a moderator's answer (delivered in one embed, with room for who and when)."""
MAX_CLOSE_REASON = 300
"""Characters of the optional reason given with "Not for the FAQ"."""
MAX_CANDIDATES_KEPT = 3
"""Closest FAQ entries kept with a hand-off (shown on its card)."""
PENDING_QUESTIONS_KEPT = 10_000
"""Declined questions remembered for their "Ask the organisers" button (oldest forgotten)."""
PENDING_QUESTION_SECONDS = 3600.0
"""How long such a button opens its form with the question filled in."""


class HandoffStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"
    """"Not for the FAQ": closed without an answer (with an optional reason)."""


class Delivery(StrEnum):
    """How an asker got the outcome of their hand-off."""

    PENDING = "pending"
    DM = "dm"
    CHANNEL = "channel"
    """A reply in the channel where they asked, pinging them only (their DMs were closed)."""
    FAILED = "failed"
    """Neither worked (the channel is gone or the bot may not write there)."""


@dataclass(frozen=True, slots=True)
class Asker:
    """One delegate waiting for a hand-off. `user_id` is kept only until delivery; after
    that only `person` (the salted hash) remains."""

    person: str
    user_id: int | None
    guild_id: int | None
    channel_id: int | None
    asked_at: float
    delivery: Delivery
    language: str = "en"
    """The language the delegate reads the outcome in: their question's (the card they
    pressed "Ask the organisers" on), else their Discord client's."""


@dataclass(frozen=True, slots=True)
class Handoff:
    """One question handed to the moderators, with everyone who asked it."""

    id: int
    question: str
    context: str
    guild_id: int | None
    channel_id: int | None
    opened_at: float
    status: HandoffStatus
    candidates: tuple[str, ...]
    """Ids of the closest FAQ entries when it was opened, best first."""
    card_channel_id: int | None
    card_message_id: int | None
    thread_id: int | None
    reminded_at: float | None
    answered_at: float | None
    moderator: str
    """Display name of the moderator who answered or closed it."""
    answer: str
    entry_id: str | None
    """The FAQ entry a moderator answered with ("Answer with an FAQ entry")."""
    reason: str
    askers: tuple[Asker, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.status is HandoffStatus.OPEN

    @property
    def seconds_to_answer(self) -> float | None:
        if self.answered_at is None or self.status is not HandoffStatus.ANSWERED:
            return None
        return max(0.0, self.answered_at - self.opened_at)


class OpenResult(StrEnum):
    """What `Store.open_handoff` did with a delegate's question."""

    OPENED = "opened"
    """A new hand-off: its card must be posted."""
    MERGED = "merged"
    """The same question was already open: the delegate was added to its askers."""
    ALREADY_ASKED = "already_asked"
    """This delegate already waits for this very question."""
    TOO_MANY = "too_many"
    """The delegate has HANDOFF_MAX_OPEN_PER_USER open hand-offs already."""


@dataclass(frozen=True, slots=True)
class Opened:
    result: OpenResult
    handoff: Handoff | None


class PendingQuestions:
    """The question behind each "Ask the organisers" button, by a short token in its
    custom_id (a question does not fit in 100 characters). In memory: after a restart, or
    past PENDING_QUESTION_SECONDS, the button still opens the form, only empty."""

    def __init__(
        self,
        *,
        size: int = PENDING_QUESTIONS_KEPT,
        seconds: float = PENDING_QUESTION_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._size = size
        self._seconds = seconds
        self._clock = clock
        self._questions: OrderedDict[str, tuple[float, str]] = OrderedDict()

    def remember(self, question: str) -> str:
        """A new token for `question`."""
        token = secrets.token_urlsafe(9)
        self._questions[token] = (self._clock(), question[:MAX_HANDOFF_QUESTION])
        while len(self._questions) > self._size:
            self._questions.popitem(last=False)
        return token

    def question(self, token: str) -> str:
        """The question behind `token`, or "" when forgotten."""
        found = self._questions.get(token)
        if found is None or self._clock() - found[0] > self._seconds:
            return ""
        return found[1]


def question_key(question: str) -> str:
    """Questions with the same key are merged into one hand-off: case, accents,
    punctuation and spacing do not count."""
    return fold(question)


def median_seconds(values: Iterable[float]) -> float | None:
    found = list(values)
    return statistics.median(found) if found else None


# --- FAQ entry drafts ----------------------------------------------------------------------


def entry_draft(handoff: Handoff, taken: set[str] | None = None) -> list[str]:
    """The YAML lines of one FAQ entry made from an answered hand-off: the question, the
    moderator's answer, and that answer as its source (a moderator statement)."""
    question = " ".join(handoff.question.split())[:MAX_QUESTION].rstrip()
    answer = handoff.answer.strip()[:MAX_ANSWER]
    when = utc_day(handoff.answered_at or handoff.opened_at)
    return [
        f"  - id: {unique_id('handoff-', question, set() if taken is None else taken, length=40)}",
        f"    question: {quoted(question)}",
        f"    answer: {quoted(answer)}",
        "    sources:",
        f"      - moderator: {quoted(handoff.moderator[:MAX_MODERATOR_NAME])}",
        f"        date: {when}",
        f"        statement: {quoted(answer)}",
    ]


def export_drafts(
    handoffs: Sequence[Handoff], *, topic: str = "organisers", now: datetime | None = None
) -> str:
    """A topic file (YAML) with one entry per answered hand-off, valid as it stands: each
    cites the moderator's answer, so `faqbot validate` accepts it without a release quote."""
    now = now or datetime.now(tz=UTC)
    answered = [h for h in handoffs if h.status is HandoffStatus.ANSWERED and h.answer.strip()]
    entries: list[str] = []
    taken: set[str] = set()
    for handoff in answered:
        people = f" by {len(handoff.askers)} people" if len(handoff.askers) > 1 else ""
        entries.append(
            f"  # Asked{people} on {utc_day(handoff.opened_at)} (hand-off {handoff.id})."
        )
        entries += entry_draft(handoff, taken)
        entries.append("")
    return topic_file(
        topic,
        comments=(
            f'{topic}.yaml: questions moderators answered through "Ask the organisers",',
            f"exported by `faqbot handoffs --export` on {now:%Y-%m-%d %H:%M} UTC.",
            "",
            "Each answer cites the moderator who gave it. Reword the questions and answers as",
            "the FAQ's own, add aliases, delete what should not be in the FAQ.",
        ),
        description="Questions the moderators answered for delegates.",
        entries=entries if answered else None,
        nothing="No answered hand-offs were found: nothing to write.",
    )
