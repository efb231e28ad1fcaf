"""The compact English frequency table tells rare words and names from filler exactly as
wordfreq does, without keeping wordfreq's whole list in memory."""

from __future__ import annotations

import random

import pytest
import wordfreq

from bot.engine.frequencies import WordFrequencies


@pytest.fixture(scope="module")
def english() -> WordFrequencies:
    return WordFrequencies("en")


def test_every_kind_of_word_gets_wordfreqs_own_zipf(english: WordFrequencies) -> None:
    listed = list(wordfreq.get_frequency_dict("en"))
    words = [
        *random.Random(7).sample(listed, 3000),
        "meeting",
        "munitions",
        "lithuania",
        "12msp",
        "2024",
        "1st",
        "10-13",
        "co-operation",
        "geneva's",
        "ICRC",
        "xqzvbn",
        "",
    ]
    differing = [w for w in words if english.zipf(w) != wordfreq.zipf_frequency(w, "en")]
    assert differing == []


def test_filler_is_common_and_an_unknown_name_is_not_known(english: WordFrequencies) -> None:
    assert english.zipf("the") > english.zipf("meeting") > english.zipf("munitions") > 0.0
    assert english.zipf("zxcvbnm") == 0.0
