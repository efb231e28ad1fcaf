"""English word frequencies (wordfreq's list) in a compact table.

wordfreq's own lookups keep the whole list as a dict of 321,000 words for the life of the
process (~35 MB). Here each word is an 8-byte hash beside its 2-byte frequency class
(~3 MB), and a lookup is wordfreq's own computation (its tokenizer, its digit rule), so
`zipf` gives what `wordfreq.zipf_frequency` gives (tests/engine/test_frequencies.py)."""

from __future__ import annotations

import hashlib
import math

import numpy as np
from wordfreq import (
    available_languages,
    cB_to_freq,
    digit_freq,
    freq_to_zipf,
    lossy_tokenize,
    read_cBpack,
    smash_numbers,
)


def frequency_buckets(code: str) -> list[list[str]]:
    """wordfreq's list for a language, read from its file (empty for a language it has no
    list for): bucket i holds the words i centibels below frequency 1. Read from the file,
    not through wordfreq's lookups: those keep the whole list as a dict of floats for the
    life of the process (~35 MB a language)."""
    path = available_languages().get(code)
    return read_cBpack(path) if path is not None else []


def _key(token: str) -> int:
    # A stable hash (Python's own changes with PYTHONHASHSEED); 64 bits make a false hit
    # among 321,000 words about one in 10^14.
    return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "little")


class WordFrequencies:
    """Zipf frequencies of one language's words (`zipf("meeting")` 5.15, unknown 0.0)."""

    def __init__(self, code: str) -> None:
        buckets = frequency_buckets(code)
        keys = np.fromiter((_key(word) for bucket in buckets for word in bucket), dtype=np.uint64)
        centibels = np.fromiter(
            (index for index, bucket in enumerate(buckets) for _ in bucket), dtype=np.uint16
        )
        order = np.argsort(keys, kind="stable")
        self._code = code
        self._keys = keys[order]
        self._centibels = centibels[order]

    def _frequency(self, token: str) -> float | None:
        key = np.uint64(_key(token))
        at = int(np.searchsorted(self._keys, key))
        if at == len(self._keys) or self._keys[at] != key:
            return None
        return float(cB_to_freq(-int(self._centibels[at])))

    def zipf(self, word: str) -> float:
        """As `wordfreq.zipf_frequency(word, code)`: several tokens combine as
        1/f = 1/f1 + 1/f2 + …, digits count by wordfreq's digit distribution, and a
        missing token makes the whole word unknown (0.0)."""
        tokens = lossy_tokenize(word, self._code)
        if not tokens:
            return 0.0
        one_over = 0.0
        for token in tokens:
            smashed = smash_numbers(token)
            frequency = self._frequency(smashed)
            if frequency is None:
                return 0.0
            if smashed != token:
                frequency *= digit_freq(token)
            one_over += 1.0 / frequency
        frequency = 1.0 / one_over
        # wordfreq rounds to three significant digits before taking the log.
        rounded = round(frequency, math.floor(-math.log(frequency, 10)) + 3)
        return round(freq_to_zipf(rounded), 2)
