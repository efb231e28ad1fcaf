"""How a message splits into what it asks: its sentences, the parts of a question asking several
things, the options of an either/or choice, and the part that is not the asker's own scene."""

from __future__ import annotations

import re
from operator import itemgetter

from bot.engine.salience import PLACE_NAME_WORDS, place_names
from bot.engine.text import MAX_QUESTION_CHARS, fold, words

_PART_BREAK = re.compile(
    r"\s*(?:[+&]|,? and\b|,)\s*(?=(?:when|where|who|how|which|what|is|are|do|does|did|can|will)\b)"
    r"|\s+[+&]\s+|\s*\+\s*",
    re.IGNORECASE,
)
"""Where a question asking two things splits: "+" or "&", or "and"/"," before a question
word ("how many attend, and when is the review conference?")."""


_LOOSE_PART_BREAK = re.compile(rf"{_PART_BREAK.pattern}|\s*,?\s+and\s+", re.IGNORECASE)

_SENTENCE_BREAK = re.compile(r"(?<=[.!?;:])\s+|\s+[-–—]\s+")
REQUEST_FRAME = re.compile(
    r"^(?:(?:hi|hello|hey|dear \w+|good (?:morning|afternoon|evening))\W+)?"
    r"(?:(?:could|can|would|will) (?:you|u) (?:please |kindly )?"
    r"(?:tell|confirm|remind|give|send|share|let)(?: me| us)?(?: know)?(?: of| about)?"
    r"|(?:please |pls )?(?:tell|remind|let) me(?: know)?(?: of| about)?)\s+",
    re.IGNORECASE,
)
_EMBEDDED_QUESTION = re.compile(
    r"\b(?:know|check|confirm|wondering|wonder|asked|ask|asking|find out|tell me|remind me"
    r"|summari[sz]e|explain|describe)"
    r"\b.*?\b(?=(?:how|when|where|who|which|what|whether)\b)",
    re.IGNORECASE,
)
_ASKING = re.compile(
    r"(what|when|where|who|whom|whose|which|why|how|is|are|was|were|do|does|did|will|can"
    r"|could|should|has|have)\b"
)
_SCENE_BREAK = re.compile(r"[.,;:!?()]+|\s+[-–—]+\s+")
_SCENE = re.compile(r"^(?:as an? |speaking for )|\b(?:i|i m|im|we|we re|my|our|me|us)\b")
"""A part of a message about the asker: its words are the asker's situation, not what the
release is asked about."""
MAX_CLAUSES = 4
"""Sentences of a long message tried one by one: enough for a greeting, some context and
the question itself."""


def asked_text(question: str) -> str:
    """`question` without the parts that only set the scene: a part about the asker ("I
    represent a survivors' association", "my boss flies in sunday", "as a journalist"),
    unless that part itself asks ("can I join online", "may I ask which body presides");
    `question` when nothing is left."""
    parts = [p for p in _SCENE_BREAK.split(question[:MAX_QUESTION_CHARS]) if fold(p)]
    kept = [p for p in parts if not _sets_the_scene(fold(p))]
    if all(TAG_ONLY.fullmatch(fold(p)) for p in kept):
        # "I heard 21 signatories are joining - is that right?": the tag asks about the
        # claim in the asker's part, which is then no scene.
        return question
    return ", ".join(p.strip() for p in kept) if len(kept) < len(parts) else question


TAG_ONLY = re.compile(
    r"(?:(?:is|isn t) (?:that|this|it) )?(?:right|correct|true|so|accurate)|am i right|yes|no"
    r"|really|is that so"
    r"|(?:(?:can|could|would) (?:you|u) )?(?:please |pls )?(?:confirm|verify|check)"
    r"(?: (?:that|this|it))?"
    r"|(?:a )?(?:(?:quick|simple|small|fact|sanity|arithmetic|maths?|double) )+"
    r"(?:question|check|one|query)"
)
"""A part that only asks whether what came before is so ("..., can u confirm"), or only
announces the question ("quick arithmetic check: ...")."""


def _sets_the_scene(folded: str) -> bool:
    """A folded part of a message about the asker that asks nothing itself ("may I ask
    which body presides" asks)."""
    return bool(_SCENE.search(folded)) and not (_ASKING.match(folded) or _WH.search(folded))


def question_clauses(question: str) -> list[str]:
    """The question inside a longer message ("Hello! ... Could you confirm the dates?"):
    its sentences, those asking something first, each without the request around it
    ("could you tell me", "our minister wants to know how many ..."); empty for a message
    that is already one plain question."""
    text = question[:MAX_QUESTION_CHARS].strip()
    sentences = [s.strip() for s in _SENTENCE_BREAK.split(text) if fold(s)]
    asked: list[tuple[bool, str]] = []
    for sentence in sentences:
        clause = REQUEST_FRAME.sub("", sentence)
        embedded = _EMBEDDED_QUESTION.search(clause)
        if embedded:
            clause = clause[embedded.end() :]
        # Only what asks something: a statement ("official notice: the meeting is
        # cancelled") is not a question to answer, and a clause of filler alone ("Was
        # it?", "Thanks!") would be read as about the meeting.
        framed = clause != sentence
        asks = framed or sentence.endswith("?") or _ASKING.match(fold(clause))
        if asks and words(clause) and clause != text and clause not in (c for _, c in asked):
            # A question asked in words ("may I ask which body presides") or with a
            # question mark comes before a sentence that only reads like one.
            asked.append((not (framed or sentence.endswith("?")), clause))
    asked.sort(key=itemgetter(0))
    return [clause for _, clause in asked][:MAX_CLAUSES]


_OPTION_END = re.compile(r"[?!.,;:]|\s[-–—]\s|$")
_OR = re.compile(r"\s+or\s+", re.IGNORECASE)


def question_options(question: str) -> list[str]:
    """The question once per option of an either/or choice at its end ("is it in geneva or
    new york" -> "is it in geneva", "is it in new york"); empty when it offers no choice.
    The second option replaces as many words before "or" as it repeats ("un geneva or un
    nyc" -> "un nyc"), else the last one."""
    text = question[:MAX_QUESTION_CHARS].strip()
    found = list(_OR.finditer(text))
    if len(found) != 1:
        return []
    match = found[0]
    before, after = text[: match.start()], text[match.end() :]
    end = _OPTION_END.search(after)
    second, rest = after[: end.start()].strip(), after[end.start() :]  # type: ignore[union-attr]
    head = before.split()
    tail = second.split()
    if not head or not tail or len(tail) > 4:
        return []
    if before.count(",") >= 2 and re.search(r",\s*\S+$", before):
        # A list ("ratify, accept, approve or accede") is not a choice between options.
        return []
    lowered = [fold(w) for w in head]
    start = len(head) - 1
    for back in range(1, min(3, len(head)) + 1):
        if lowered[-back] == fold(tail[0]):
            start = len(head) - back
            break
    else:
        # A place of several words is one option ("new york or geneva").
        for size in range(min(PLACE_NAME_WORDS, len(head)), 1, -1):
            if " ".join(lowered[-size:]) in place_names():
                start = len(head) - size
                break
    first_option = before + rest
    second_option = " ".join(head[:start] + tail) + rest
    return [first_option, second_option]


_GROUPED = re.compile(r"\([^)]*[+&,][^)]*\)")
"""A "+" in brackets joins, it does not split: "number of states (parties + signatories)"."""


def question_parts(question: str, *, loose: bool = False) -> list[str]:
    """The parts of a question that asks several things; one part for most questions.
    `loose` (for a question not answered as a whole) splits at any "and" too ("the location
    and the dates"): each part must then be answered by another entry to count."""
    text = question[:MAX_QUESTION_CHARS]
    if _GROUPED.search(text):
        return [text]
    parts = [p.strip() for p in (_LOOSE_PART_BREAK if loose else _PART_BREAK).split(text)]
    parts = [p for p in parts if fold(p)]
    # "Under the convention, are SPs expected to ...": a phrase that sets the frame is part
    # of the question after it, not a question of its own.
    merged: list[str] = []
    for part in parts:
        # After a heading ("Quick arithmetic check: counting inclusively, ...").
        last = fold(merged[-1].rsplit(":", 1)[-1]) if merged else ""
        if merged and _FRAME_PART.match(last) and not _WH.search(last):
            merged[-1] = f"{merged[-1]}, {part}"
        else:
            merged.append(part)
    return merged if len(merged) > 1 else [text]


_WH = re.compile(r"\b(?:what|when|where|who|whom|whose|which|why|how)\b")
OPENING_QUESTION = re.compile(r"(?:and |or |also )?(?:what|when|where|who|whom|whose|which|how)\b")
"""A part of a message that opens with its own question word."""
_FRAME_PART = re.compile(
    r"(?:under|in|for|about|regarding|concerning|according to|as|within|on|per|at|during)\b"
    # "counting inclusively, how many days ...", "assuming it starts on time, ...": how to
    # read the question after it.
    r"|(?:\w+ing \w+ly|counting|assuming|supposing|given|roughly|strictly)\b"
)


_VALUE_VERBS = (
    r"(?:held|hosted|located|based|headquartered|convened|organi[sz]ed|issued|published|run|chaired"
    r"|taking place|happening|written|sent)"
)

_CHECKED_VALUE = re.compile(
    r"^(?:so |and |but |ok )?(?P<aux>is|was|are|were|will) "
    r"(?P<subject>(?:the|this|that|it)\b(?: \w+){0,5}?) (?:be |being )?"
    rf"(?P<verb>{_VALUE_VERBS} )?(?P<link>at|in|by|from) (?P<value>(?:\w+ ){{0,7}}?\w+)"
    r"(?: (?:right|correct|yes|true|then|too|or not))?$"
    r"|^(?P<s_subject>(?:the|this|that|it)\b(?: \w+){0,5}?) (?P<s_aux>is|was|are|were|sits) "
    rf"(?:being )?(?P<s_verb>{_VALUE_VERBS} )?(?:(?P<s_link>at|in|by|from) )?"
    r"(?P<s_value>(?:\w+ ){0,7}?\w+) (?:right|correct|yes|isn t it|wasn t it|no)$"
)
"""A yes/no question checking one value of its subject: "is the meeting at the ISU office",
"was the dialogue convened by the ICRC", "the website is cmconvention.org, right"."""
_LINK_KIND = {"at": "where", "in": "where", "by": "who", "from": "who", None: "what"}
"""The question word a checked value's link asks with ("at the ISU office": where)."""
_DATE_VALUE = re.compile(
    r"\d|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\b(week|month|year)\b"
)


def checked_value(question: str) -> tuple[str, str] | None:
    """A yes/no question that checks a value of its subject, as (the question about the
    subject, the value): ("where is the meeting", "the isu office on chemin eugene rigot");
    None for any other question, and for a date or number, which the premise check reads."""
    match = _CHECKED_VALUE.match(fold(question[:MAX_QUESTION_CHARS]))
    if match is None:
        return None
    pick = match.groupdict()
    prefix = "" if pick["subject"] else "s_"
    subject, value = pick[f"{prefix}subject"], pick[f"{prefix}value"]
    if _DATE_VALUE.search(value):
        return None
    link = pick[f"{prefix}link"]
    verb = (pick[f"{prefix}verb"] or "").strip()
    asked = (
        _LINK_KIND[link],
        pick[f"{prefix}aux"],
        subject,
        verb,
        "from" if link == "from" else "",
    )
    return " ".join(w for w in asked if w), value
