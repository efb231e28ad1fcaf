"""How much a word the FAQ does not know says about what a question is about.

The FAQ's own vocabulary cannot tell "total" (filler) from "Hamlet" (a subject the FAQ does
not cover): both are unknown to it. General English word frequencies can: a common word
weighs little, a rare word or a name weighs fully, so a question about an unknown thing is
declined while a filler word does not sink a question.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from bot.engine.frequencies import WordFrequencies


@dataclass(frozen=True, slots=True)
class Salience:
    """Zipf frequency (log10 per billion words: "the" 7.7, "meeting" 5.2) to a weight factor."""

    common_zipf: float = 6.0
    """A word at least this common weighs `floor`."""
    rare_zipf: float = 4.0
    """A word at most this common weighs 1 (names, topical words)."""
    floor: float = 0.15
    unseen: float = 1.3
    """A word general English does not know at all: a name, a code, a typo nobody fixed."""

    common_known: float = 0.4
    """A word the FAQ knows that is at least `common_zipf` common in English ("one", "go",
    "new", "time") weighs this much of its rarity in the FAQ: it says little of what a
    question is about ("which meeting is this one", "till when does it go")."""

    def known_factor(self, zipf: float) -> float:
        """The factor for a known word of this Zipf frequency (in the FAQ's language)."""
        return self.common_known if zipf >= self.common_zipf else 1.0

    def factor(self, word: str, zipf_of: Callable[[str], float] | None = None) -> float:
        """`zipf_of`: the word's language's frequencies (English by default)."""
        zipf = (zipf_of or english_zipf)(word)
        if zipf <= 0.0:
            return self.unseen
        span = self.common_zipf - self.rare_zipf
        share = (self.common_zipf - zipf) / span if span > 0 else 1.0
        return min(1.0, max(self.floor, share))


@lru_cache(maxsize=1)
def english_frequencies() -> WordFrequencies:
    """wordfreq's English list, read once per process (~0.6 s, ~15 MB)."""
    return WordFrequencies("en")


@lru_cache(maxsize=65536)
def english_zipf(word: str) -> float:
    """Zipf frequency of a folded English word (0.0 when wordfreq does not know it)."""
    return english_frequencies().zipf(word)


PLACE_NAME_WORDS = 3
"""Longest place name looked up, in words ("bosnia and herzegovina")."""


@lru_cache(maxsize=8)
def place_names(language: str = "en") -> frozenset[str]:
    """Folded English names of countries and regions (Babel's CLDR data) and of the cities
    of the time-zone database: general knowledge that "vienna" or "new york" names a place,
    shipped with the packages we already use (nothing is downloaded). For another language
    (an ISO 639-1 code), its own names too ("lettonie", "nueva york"), since delegates write
    either."""
    if language != "en":
        return place_names() | _local_place_names(language)
    import zoneinfo

    from babel import Locale

    from bot.engine.text import fold

    names = {fold(name) for code, name in Locale("en").territories.items() if code.isalpha()}
    for zone in zoneinfo.available_timezones():
        city = zone.rsplit("/", 1)[-1]
        if "/" in zone and not zone.startswith("Etc/"):
            names.add(fold(city.replace("_", " ")))
    # Time-zone cities that are also common English words ("east", "wake", "center").
    names -= {
        "east",
        "west",
        "act",
        "oral",
        "wake",
        "zulu",
        "knox",
        "center",
        "south pole",
        "general",
    }
    # Short forms delegates type for the commonest ones.
    names.update({"usa", "uk", "nyc", "uae", "drc", "vienna", "brussels", "the hague"})
    return frozenset(n for n in names if n and len(n) > 1)


def _local_place_names(language: str) -> frozenset[str]:
    """Countries, regions and time-zone cities as CLDR writes them in `language` (none for a
    language CLDR does not know)."""
    from babel import Locale, UnknownLocaleError

    from bot.engine.text import fold

    try:
        locale = Locale(language)
    except (UnknownLocaleError, ValueError):
        return frozenset()
    names = {fold(name) for code, name in locale.territories.items() if code.isalpha()}
    for zone in locale.time_zones.values():
        city = zone.get("city")
        if city:
            names.add(fold(city))
    return frozenset(n for n in names if n and len(n) > 1)
