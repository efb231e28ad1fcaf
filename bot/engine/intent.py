"""What kind of answer a question wants (when, where, how many...), whether it is a yes/no
question, and the values a yes/no question takes for granted ("is it in November?")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.engine.models import AnswerKind, EventDates, FaqEntry, PremiseCheck

_KIND_PATTERNS: tuple[tuple[AnswerKind, re.Pattern[str]], ...] = (
    (
        AnswerKind.HOW_LONG,
        re.compile(r"\bhow long\b|\bduration\b|\b(how many|number of) days\b|\blength of\b"),
    ),
    (
        AnswerKind.HOW_MANY,
        re.compile(
            r"\bhow (many|much)\b"
            r"|(?<!phone )(?<!telephone )(?<!fax )\b(number|nr|num|count) of\b"
        ),
    ),
    (
        AnswerKind.SAID,
        re.compile(
            r"\bwhat (did|does|do|has|have|was|were|will) "
            r"(?!the (press )?release\b|it\b|this\b|that\b|article\b|the (convention|treaty|faq)\b)"
            r"(?P<speaker>(\w+ ){1,4}?)(say|said|state|think|argue|propose|announce|declare|want"
            r"|tell|demand|request|suggest|recommend|stress|emphasi[sz]e|urge|highlight|note"
            r"|express|claim|call for|ask for)\b"
            r"|\b(position|stance|statement|speech|view)s? of\b"
        ),
    ),
    (
        AnswerKind.WHO,
        re.compile(
            r"\bwho\b|\bwhom\b|\bwhose\b"
            r"|\bwhich (organi[sz]ations?|bod(y|ies)|persons?|people|countr(y|ies)|states?"
            r"|delegations?|governments?)\b"
        ),
    ),
    (
        AnswerKind.WHERE,
        re.compile(
            r"\bwhere\b|\b(which|what) (city|place|venue|building|room)\b|\blocation\b"
            r"|\bplace of\b|\bvenue\b"
        ),
    ),
    (
        AnswerKind.WHEN,
        re.compile(
            r"\bwhen\b|\b(what|which) (dates?|days?|year|month|time|week)\b|\bdates?\b"
            r"|\bkick(s|ing)? off\b|\bwhat time\b"
        ),
    ),
    (AnswerKind.WHY, re.compile(r"\bwhy\b")),
)
"""Checked on folded text; the earliest match in the question wins, ties in this order."""

GENERIC_SPEAKERS = frozenset(
    """the they people participants participant stakeholders stakeholder delegates speakers
    attendees someone anyone everyone experts states countries dialogue meeting discussion
    discussions panel""".split()
)
"""Words that name no one in particular: "what did participants say" asks what was said."""

_YES_NO_OPENERS = frozenset(
    """is are was were do does did will would can could has have had should shall may might
    isn aren wasn weren don doesn didn won wouldn cant couldn hasn haven""".split()
)
_LEADING_FILLER = frozenset("so and but ok okay hey hi hello please quick question also um".split())

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "january jan",
            "february feb",
            "march mar",
            "april apr",
            "may",
            "june jun",
            "july jul",
            "august aug",
            "september sep sept",
            "october oct",
            "november nov",
            "december dec",
        ),
        start=1,
    )
    for name in names.split()
}
WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            "monday mon",
            "tuesday tue tues",
            "wednesday wed",
            "thursday thu thurs",
            "friday fri",
            "saturday sat",
            "sunday sun",
        )
    )
    for name in names.split()
}
_AMBIGUOUS_MONTHS = frozenset({"may", "mar"})
"""Also English words ("may I...", "mar")."""
_ORDINAL = re.compile(r"^(\d{1,2})(st|nd|rd|th)$")
_START_WORDS = frozenset("start starts starting begin begins beginning open opens opening".split())
_END_WORDS = frozenset("end ends ending finish finishes close closes closing last".split())
_NUMBER = re.compile(r"\d+")
_YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass(frozen=True, slots=True)
class Intent:
    """What the question's form says, before any entry is looked at."""

    kind: AnswerKind | None
    yes_no: bool
    premise_words: frozenset[str] = frozenset()
    speaker: str | None = None
    """Who a "what did X say" question asks about ("ukraine", "the presidency")."""
    """Words of a yes/no question that state a value to check (months, weekdays, numbers
    the FAQ does not know): left out of matching, checked against the entry instead."""


def read_intent(folded: str, known_words: frozenset[str] | set[str]) -> Intent:
    """The intent of a folded question; `known_words` are the FAQ's own (unstemmed) words."""
    found: list[tuple[int, int, AnswerKind]] = []
    speaker = None
    for order, (kind, pattern) in enumerate(_KIND_PATTERNS):
        match = pattern.search(folded)
        if match:
            found.append((match.start(), order, kind))
            if kind is AnswerKind.SAID and match.group("speaker"):
                speaker = match.group("speaker").strip()
                if set(speaker.split()) <= GENERIC_SPEAKERS:
                    speaker = None
    words = folded.split()
    while words and words[0] in _LEADING_FILLER:
        words = words[1:]
    yes_no = bool(words) and words[0] in _YES_NO_OPENERS
    kind = min(found)[2] if found else None
    premise: set[str] = set()
    if yes_no:
        premise = {w for w in words if _is_premise_value(w, known_words)}
        if kind is None and any(w in MONTHS or w in WEEKDAYS or _YEAR.match(w) for w in premise):
            kind = AnswerKind.WHEN
    return Intent(
        kind=kind,
        yes_no=yes_no,
        premise_words=frozenset(premise),
        speaker=speaker if kind is AnswerKind.SAID else None,
    )


def _is_premise_value(word: str, known_words: frozenset[str] | set[str]) -> bool:
    """A month, a weekday, or a number the FAQ does not know ("150"): a stated value."""
    if word in MONTHS:
        return word not in _AMBIGUOUS_MONTHS
    if word in WEEKDAYS:
        return len(word) > 3
    return bool(word.isdigit() or _ORDINAL.match(word)) and word not in known_words


def check_premise(folded: str, intent: Intent, entry: FaqEntry) -> PremiseCheck | None:
    """Whether what a yes/no question takes for granted matches the entry; None when the
    question states nothing the entry can confirm or deny."""
    if not intent.yes_no or not intent.premise_words:
        return None
    lead = entry.lead
    if not lead:
        return None
    words = folded.split()
    months = {MONTHS[w] for w in intent.premise_words if w in MONTHS}
    weekdays = {WEEKDAYS[w] for w in intent.premise_words if w in WEEKDAYS}
    numbers = [int(_NUMBER.match(w).group()) for w in intent.premise_words if w[0].isdigit()]  # type: ignore[union-attr]
    checks: list[bool] = []
    if entry.event is not None:
        days = _days(entry.event)
        if months:
            checks.append(months <= {d.month for d in days})
        if weekdays:
            checks.append(weekdays <= {d.weekday() for d in days})
        for number in numbers:
            if number >= 1000:
                checks.append(number in {d.year for d in days})
            elif number <= 31:
                checks.append(_day_holds(number, words, entry.event, days))
            else:
                checks.append(False)
    else:
        stated = {int(n) for n in _NUMBER.findall(lead)}
        stated_months = {MONTHS[w] for w in lead.lower().replace(".", " ").split() if w in MONTHS}
        if months and stated_months:
            checks.append(months <= stated_months)
        if numbers and stated:
            checks.append(set(numbers) <= stated)
    if not checks:
        return None
    premise = " ".join(w for w in words if w in intent.premise_words)
    return PremiseCheck(holds=all(checks), premise=premise, stated=lead)


def _days(event: EventDates) -> list[date]:
    return [event.start + timedelta(days=n) for n in range((event.end - event.start).days + 1)]


def _day_holds(day: int, words: list[str], event: EventDates, days: list[date]) -> bool:
    if _START_WORDS.intersection(words):
        return day == event.start.day
    if _END_WORDS.intersection(words):
        return day == event.end.day
    return day in {d.day for d in days}
