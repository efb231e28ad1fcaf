"""What kind of answer a question wants (when, where, how many...), whether it is a yes/no
question, and the values a yes/no question takes for granted ("is it in November?")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from bot.engine.models import AnswerKind, EventDates, FaqEntry, PremiseCheck
from bot.engine.salience import place_names
from bot.engine.text import fold

_KIND_PATTERNS: tuple[tuple[AnswerKind, re.Pattern[str]], ...] = (
    (
        AnswerKind.WHEN,
        # "how many years after the meeting is the review conference", "how long ago was it
        # negotiated": one date against another, which entries of dates answer; not how long
        # something lasts.
        re.compile(
            r"\b(how many|number of) (days|weeks|months|years|yrs)\b"
            r"(?=.*\b(after|before|between|since|until|till|apart|elapsed|passed|ago|later"
            r"|earlier)\b)"
            r"|\bhow long (ago|since|after|before|between|until|till)\b"
            r"|\b(days|weeks|months|years|yrs) (apart|elapsed|passed|between|ago)\b"
        ),
    ),
    (
        AnswerKind.HOW_LONG,
        re.compile(r"\bhow long\b|\bduration\b|\b(how many|number of) days\b|\blength of\b"),
    ),
    (
        AnswerKind.HOW_MANY,
        re.compile(
            r"\bhow (many|much)\b"
            # "the PO box number of the ISU" names a thing, not a count.
            r"|(?<!phone )(?<!telephone )(?<!fax )(?<!box )\b(number|nr|num|count) of\b"
        ),
    ),
    (
        AnswerKind.SAID,
        re.compile(
            r"\bwhat (did|does|do|has|have|was|were|will) "
            r"(?!the (press )?release\b|it\b|this\b|that\b|(the )?(article|art)\b"
            r"|the (convention|treaty|faq)\b)"
            r"(?P<speaker>(\w+ ){1,4}?)(say|said|state|think|argue|propose|announce|declare|want"
            r"|tell|demand|request|suggest|recommend|stress|emphasi[sz]e|urge|highlight|note"
            r"|express|claim|call for|ask for)\b"
            r"|\b(position|stance|statement|speech|view)s? of\b"
            # "quote from the 2008 negotiator?": what someone said.
            r"|\b(quote|quotation)s? (from|of|by)\b"
        ),
    ),
    (
        AnswerKind.SAID,
        # "what the Lithuanian minister said about it": the same question without "did".
        re.compile(
            r"\bwhat (?!the (press )?release\b|the (convention|treaty|faq|article|art|ccm)\b)"
            r"(?P<speaker>the (\w+ ){1,4}?)(said|says|stated|argued|proposed|announced|declared"
            r"|told|demanded|requested|suggested|recommended|stressed|urged|highlighted|noted"
            r"|claimed)\b"
        ),
    ),
    (
        AnswerKind.SAID,
        # "where's that wording from?", "where does the phrase 'echo chamber' come from": the
        # passage that says it, not a place.
        re.compile(
            r"\bwhere\b(?=.*\b(wording|phrase|phrasing|quote|quotation|words|line|language"
            r"|expression|sentence|term|formula)\b.*\bfrom\b)"
            r"|\b(source|origin) of (the|this|that) (wording|phrase|quote|quotation|expression)\b"
        ),
    ),
    (
        AnswerKind.WHERE,
        # "what country is the meeting in", "which city is the ISU based in": a place, where
        # "which country is withdrawing" asks who.
        re.compile(
            r"\b(which|what) (country|city|town|nation)\b(?=.*\b(in|located|based|held|hosted)$)"
        ),
    ),
    (
        AnswerKind.WHO,
        re.compile(
            r"\bwho\b|\bwhom\b|\bwhose\b"
            r"|\bwhich (organi[sz]ations?|bod(y|ies)|persons?|people|countr(y|ies)|states?"
            r"|delegations?|governments?)\b"
            # "what kinds of participants": who they are, not how many.
            r"|\b(what|which) (kinds?|types?|sorts?) of (participants?|attendees?|delegations?"
            r"|organi[sz]ations?|groups?|people|actors?|stakeholders?|bod(y|ies))\b"
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
    # "how do submunitions work": how a thing works, which only a definition answers.
    (
        AnswerKind.WHAT,
        re.compile(
            # "how did they describe the function of the norms": a noun, not how it works.
            r"\bhow (do|does|did|would|will) (\w+ ){1,4}"
            r"(?<!\bthe )(?<!\ba )(?<!\bits )(?<!\btheir )(work|function|operate)\b"
            # "how it is working", "how they function": the same question without "do".
            r"|\bhow (it|they|these|this|the \w+) (is |are )?(works?|working|functions?"
            r"|functioning|operates?|operating)\b"
        ),
    ),
)
"""Checked on folded text; the earliest match in the question wins, ties in this order."""

GENERIC_SPEAKERS = frozenset(
    """the they people participants participant stakeholders stakeholder delegates speakers
    attendees someone anyone everyone experts states countries dialogue meeting discussion
    discussions panel session sessions closing opening release press report organisers
    organizers readout readouts communique summary document text announcement""".split()
)
"""Words that name no one in particular: "what did participants say" asks what was said;
and the release itself ("what does the readout say"), which reports it."""

_YES_NO_OPENERS = frozenset(
    """is are was were do does did will would can could has have had should shall may might
    isn aren wasn weren don doesn didn won wouldn cant couldn hasn haven""".split()
)
_OPENING_WH = re.compile(
    r"^(?:(?:so|and|but|ok|okay|hey|hi|hello|please|also) )*"
    r"(what|how|why|which|who|whom|whose)\b"
)
_BARE_WH = frozenset({"when", "where", "who", "whom", "whose"})
_TAG_QUESTION = re.compile(
    r"\b(right|correct|true|yes|yeah|am i right|is that so)$"
    r"|\b(is|was|are|were|has|have|had|does|do|did|will|would|can|could)n t"
    r" (it|they|there|he|she|we|you)$"
    r"|\bis (that|this) (right|correct|true|accurate)\b"
)
"""A statement turned into a yes/no question: "it starts monday the 9th, right?", "it was
negotiated in Oslo, wasn't it?"."""
_ASKS_THE_RELEASE = re.compile(
    r"\b(release|it|they|faq) (mention|mentions|name|names|list|lists|cite|cites|refer|refers)\b"
)
_COUNTS_WHAT_IS_NAMED = re.compile(
    r"\bhow many\b.*\b(named|listed|mentioned|cited|name|names|list|lists|mention|mentions"
    r"|cite|cites)\b"
)
"""A count of the things the release names ("how many conflicts are named")."""
ENGLISH_PLACE_WORDS = ("in", "at")
"""Words before a place a yes/no question takes for granted ("is it in vienna?")."""
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
_END_WORDS = frozenset(
    "end ends ending finish finishes close closes closing last till until through over".split()
)
_NUMBER = re.compile(r"\d+")
_YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass(frozen=True, slots=True)
class Intent:
    """What the question's form says, before any entry is looked at."""

    kind: AnswerKind | None
    yes_no: bool
    premise_words: frozenset[str] = frozenset()
    """Words of a yes/no question that state a value to check (months, weekdays, numbers
    the FAQ does not know): left out of matching, checked against the entry instead."""
    speaker: str | None = None
    """Who a "what did X say" question asks about ("ukraine", "the presidency")."""
    place: str | None = None
    """The place a yes/no question takes for granted ("is it in vienna?"), to confirm or
    correct from an entry that says where."""
    other_places: frozenset[str] = frozenset()
    """Places the question names that the FAQ does not know ("did estonia withdraw?")."""


def read_intent(
    folded: str,
    known_words: frozenset[str] | set[str],
    places: frozenset[str] | set[str] = frozenset(),
    unknown_places: frozenset[str] = frozenset(),
    place_words: tuple[str, ...] = ENGLISH_PLACE_WORDS,
    *,
    intonation: bool = False,
) -> Intent:
    """The intent of a folded question; `known_words` are the FAQ's own (unstemmed) words,
    `places` the words of the question that name a place (one word each: "newyork"),
    `unknown_places` those the FAQ does not know, `place_words` the words before a place
    in the question's language, and `intonation` whether it was written with a question
    mark at the end."""
    found: list[tuple[int, int, AnswerKind]] = []
    speaker = None
    opener = _OPENING_WH.match(folded)
    for order, (pattern_kind, pattern) in enumerate(_KIND_PATTERNS):
        match = pattern.search(folded)
        if match and opener and match.start() > 0 and match.group() in _BARE_WH:
            # "what should states do when others use them": a "when" inside a question
            # opened by another question word joins clauses, it does not ask for a date.
            match = None
        if match:
            found.append((match.start(), order, pattern_kind))
            if "speaker" in pattern.groupindex and match.group("speaker"):
                speaker = match.group("speaker").strip()
                if set(speaker.split()) <= GENERIC_SPEAKERS:
                    speaker = None
    words = folded.split()
    while words and words[0] in _LEADING_FILLER:
        words = words[1:]
    yes_no = bool(words) and (words[0] in _YES_NO_OPENERS or bool(_TAG_QUESTION.search(folded)))
    kind = min(found)[2] if found else None
    if kind is AnswerKind.HOW_MANY and _COUNTS_WHAT_IS_NAMED.search(folded):
        # "how many conflicts does the release name": a count of what the release lists,
        # which the entry listing them gives, not a number the release states.
        kind = None
    if not yes_no and kind is None and not opener and (intonation or len(words) <= TERSE_WORDS):
        # "So 120 States Parties will be represented?", "the ISU sits in New York, yes?",
        # "3rd rev con 2025": a statement asked by its question mark, or a terse note, is a
        # yes/no question when it states a value the engine can check; without one
        # ("meeting?") it names a topic, not a claim.
        yes_no = (
            bool(unknown_places)
            or any(_is_premise_value(w, known_words) for w in words)
            or any(m["place"] in places for m in _place_after(place_words).finditer(folded))
        )
    premise: set[str] = set()
    place = None
    if yes_no:
        premise = {w for w in words if _is_premise_value(w, known_words)}
        if any(w in MONTHS for w in premise):
            # "is it on 12 October?": a day of the month, even a number the FAQ knows.
            premise.update(w for w in words if w.isdigit() and 1 <= int(w) <= 31)
        if kind is None and any(w in MONTHS or w in WEEKDAYS or _YEAR.match(w) for w in premise):
            kind = AnswerKind.WHEN
        place = next(
            (
                m["place"]
                for m in _place_after(place_words).finditer(folded)
                if m["place"] in places
            ),
            None,
        )
        if kind is None and any(w.isdigit() and 31 < int(w) < 1000 for w in premise):
            # "Roughly 150 States Parties are expected, right?": too big for a day, too small
            # for a year: a count to check, also where a place sets the scene ("150 States
            # Parties in Geneva, right?").
            kind = AnswerKind.HOW_MANY
        if place is not None:
            kind = kind or AnswerKind.WHERE
        # An unknown place in a yes/no question is checked against the entry, not matched:
        # "did estonia withdraw?" is the withdrawal entry's question with a wrong name.
        premise.update(unknown_places)
        if kind is None and any(_ORDINAL.match(w) for w in premise):
            kind = AnswerKind.WHEN
    return Intent(
        kind=kind,
        yes_no=yes_no,
        premise_words=frozenset(premise),
        speaker=speaker if kind is AnswerKind.SAID else None,
        place=place,
        other_places=unknown_places,
    )


@lru_cache(maxsize=8)
def _place_after(place_words: tuple[str, ...]) -> re.Pattern[str]:
    """A place after one of `place_words`, maybe after an article ("in the hague", "à la
    haye", "en el salvador")."""
    before = "|".join(map(re.escape, place_words))
    return re.compile(rf"\b({before}) ((the|la|le|l|les|el|los|las) )?(?P<place>\w+)")


TERSE_WORDS = 5
"""Words up to which a message with no question word and a value in it ("3rd rev con
2025") is read as a yes/no question about that value, question mark or not."""


def _is_premise_value(word: str, known_words: frozenset[str] | set[str]) -> bool:
    """A month, a weekday, or a number the FAQ does not know ("150"): a stated value."""
    if word in MONTHS:
        return word not in _AMBIGUOUS_MONTHS
    if word in WEEKDAYS:
        return len(word) > 3
    return bool(word.isdigit() or _ORDINAL.match(word)) and word not in known_words


def check_premise(
    folded: str, intent: Intent, entry: FaqEntry, places: frozenset[str] | None = None
) -> PremiseCheck | None:
    """Whether what a yes/no question takes for granted matches the entry; None when the
    question states nothing the entry can confirm or deny. `places`: the place names of the
    entry's language (English ones by default)."""
    places = place_names() if places is None else places
    if not intent.yes_no or not (intent.premise_words or intent.place):
        return None
    lead = entry.lead
    if not lead:
        return None
    words = folded.split()
    if intent.place is not None and AnswerKind.WHERE in entry.answers:
        stated_places = set(fold(entry.answer).split())
        holds = intent.place in stated_places
        if not holds and intent.place not in intent.other_places:
            # A place the FAQ knows but this entry does not name ("switzerland" of "UN
            # Geneva"): not a contradiction the engine can tell.
            return None
        listed = {w for w in fold(lead).split() if w in places}
        if not holds and len(listed) > 1 and not _ASKS_THE_RELEASE.search(folded):
            # A list of places ("Myanmar, Syria, Ukraine and Yemen") is what the release
            # names, not all there is: another place is not denied, only not mentioned
            # (unless the question asks what the release names: "does it mention Gaza?").
            return None
        return PremiseCheck(holds=holds, premise=intent.place, stated=lead)
    # "did estonia withdraw?" of the entry whose answer names Lithuania: a wrong name.
    if (
        intent.other_places
        and AnswerKind.WHO in entry.answers
        and any(w in places for w in fold(lead).split())
    ):
        return PremiseCheck(holds=False, premise=" ".join(intent.other_places), stated=lead)
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
