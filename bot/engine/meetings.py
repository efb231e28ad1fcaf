"""Other meetings of the subject's series: "13e assemblée", "la 11.ª REP", "MSP 13" are not
the 12MSP, however alike their words are."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.engine.models import Subject
from bot.engine.text import fold

ORDINAL_ENDINGS = ("st", "nd", "rd", "th", "e", "eme", "er", "ere", "re", "a", "o", "va", "vo")
"""What follows a number written as an ordinal, once folded ("11th", "13e", "13ème", "11.ª",
"13a", "11vo"): one list for every language, as delegates mix them."""


@dataclass(frozen=True, slots=True)
class NumberedMeetings:
    """The subject's number and a pattern for a numbered meeting of its series."""

    number: int
    pattern: re.Pattern[str]
    ordinals: Mapping[str, int]
    """The subject's ordinals written as words, folded -> their number."""

    @classmethod
    def of(cls, subject: Subject | None) -> NumberedMeetings | None:
        """None when the subject has no number or no series names."""
        if subject is None or subject.number is None:
            return None
        names = sorted({fold(s) for s in subject.series if fold(s)}, key=len, reverse=True)
        if not names:
            return None
        series = "|".join(re.escape(n) for n in names)
        ending = "|".join(ORDINAL_ENDINGS)
        # Never a word that is also the subject's own number ("douzieme").
        written = "|".join(
            re.escape(w)
            for w in sorted(subject.ordinals, key=len, reverse=True)
            if subject.ordinals[w] != subject.number
        )
        words = (
            # "la dixieme reunion", "es la decima reunion"
            rf"|\b(?P<w>{written}) (?:{series})\b" if written else ""
        )
        pattern = re.compile(
            # "13e assemblee", "la 11 a rep", "13msp"; an ordinal alone at the end too
            # ("c est la 11e": which meeting is asked, the series left unsaid).
            rf"(?<![\w.])(?P<n>\d{{1,3}}) ?(?:(?:{ending}) ?)?(?:{series})\b"
            rf"|(?<![\w.])(?P<o>\d{{1,3}}) ?(?:{ending})$"
            # "msp 13", "msp13"
            rf"|\b(?:{series}) ?(?P<m>\d{{1,3}})\b"
            rf"{words}"
        )
        return cls(subject.number, pattern, dict(subject.ordinals))

    def other(self, folded: str) -> str | None:
        """The first meeting of the series `folded` names with another number, as written."""
        for match in self.pattern.finditer(folded):
            word = match["w"]
            number = self.ordinals[word] if word else int(match["n"] or match["o"] or match["m"])
            if number != self.number:
                return match.group()
        return None
