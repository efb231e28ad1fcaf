"""Finding a named thing in the FAQ: a topic by id, title or spelling, and an entry by its id
or its exact question. Matching a free question is `FaqIndex.answer`'s job."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot.engine.index import FaqIndex
from bot.engine.models import Faq, FaqEntry, Topic

ID_MARKER = "id:"
"""A value `id:<entry_id>` names an entry directly (what /ask's autocomplete picks send)."""
TOPIC_SPELLING_CUTOFF = 85
"""rapidfuzz WRatio (0-100) a misspelt topic name must reach to open that topic."""
TOPIC_CHOICE_CUTOFF = 50
"""WRatio (0-100) a topic must reach to be offered while the user types."""
PREFIX_BONUS = 100
"""Added to a topic whose title or id starts with what was typed, so it is offered first."""


def find_topic(faq: Faq, text: str) -> Topic | None:
    """A topic by id, by title (any case), or by a close enough spelling."""
    wanted = text.strip()
    if not wanted:
        return None
    topic = faq.topic(wanted) or faq.topic(wanted.casefold())
    if topic is not None:
        return topic
    by_title = {t.title.casefold(): t for t in faq.topics}
    if wanted.casefold() in by_title:
        return by_title[wanted.casefold()]
    names = {t.id: f"{t.id} {t.title}" for t in faq.topics}
    hit = process.extractOne(wanted, names, scorer=fuzz.WRatio, score_cutoff=TOPIC_SPELLING_CUTOFF)
    return faq.topic(hit[2]) if hit else None


def rank_topics(faq: Faq, typed: str) -> list[Topic]:
    """Every topic when nothing is typed; else those close to `typed`, best first."""
    wanted = typed.strip().casefold()
    topics = list(faq.topics)
    if not wanted:
        return topics
    scored = [
        (
            fuzz.WRatio(wanted, f"{t.title} {t.id} {t.description}".casefold())
            + (
                PREFIX_BONUS
                if t.title.casefold().startswith(wanted) or t.id.startswith(wanted)
                else 0
            ),
            t,
        )
        for t in topics
    ]
    return [t for score, t in sorted(scored, key=lambda s: -s[0]) if score >= TOPIC_CHOICE_CUTOFF]


def named_entry(index: FaqIndex, value: str) -> FaqEntry | None:
    """The entry `value` names: `id:<entry_id>`, or one of the FAQ's questions exactly
    (any case, with or without its question mark)."""
    text = value.strip()
    if text.startswith(ID_MARKER):
        entry = index.entry(text[len(ID_MARKER) :].strip())
        if entry is not None:
            return entry
    folded = _question_key(text)
    if not folded:
        return None
    return next((e for e in index.faq.entries if _question_key(e.question) == folded), None)


def _question_key(question: str) -> str:
    return question.casefold().rstrip("?").strip()
