"""The shipped FAQ: loads cleanly, every quote is in the release, every fact is answerable."""

from __future__ import annotations

import re

import pytest

from bot.engine.index import FaqIndex
from bot.engine.loader import validate_faq_dir
from bot.engine.models import Faq, Outcome
from bot.settings import SHIPPED_FAQ_DIR

RELEASE = SHIPPED_FAQ_DIR / "sources" / "12msp-press-release-2024-09-05.txt"


def _fold(text: str) -> str:
    return " ".join(text.split())


def test_every_shipped_file_validates_without_errors_or_warnings() -> None:
    report = validate_faq_dir(SHIPPED_FAQ_DIR)
    assert [str(p) for p in report.problems] == []
    assert report.faq is not None
    assert len(report.faq.entries) >= 40


def test_the_release_ships_inside_the_package() -> None:
    text = RELEASE.read_text(encoding="utf-8")
    assert "Twelfth Meeting of States Parties" in text


def test_every_source_quote_appears_verbatim_in_the_release(faq: Faq) -> None:
    release = _fold(RELEASE.read_text(encoding="utf-8"))
    missing = [
        f"{entry.location} {entry.id}: {quote!r}"
        for entry in faq.entries
        for quote in entry.sources
        if _fold(quote) not in release
    ]
    assert missing == []


FORWARD_LOOKING = re.compile(
    r"\b(next week|upcoming|will take place|is taking place|will participate|"
    r"this week|tomorrow|in advance of next)\b",
    re.IGNORECASE,
)


def test_answers_stay_true_whatever_the_date(faq: Faq) -> None:
    """The meeting is in the past: no answer may speak of it as coming."""
    stale = [e.id for e in faq.entries if FORWARD_LOOKING.search(e.answer)]
    assert stale == []


def test_answers_fit_a_discord_embed(faq: Faq) -> None:
    for entry in faq.entries:
        assert len(entry.question) <= 256, entry.id
        assert len(entry.answer) <= 4096, entry.id


def test_meeting_dates_are_structured_for_rendering(faq: Faq) -> None:
    event = faq.by_id["meeting-dates"].event
    assert event is not None
    assert (event.start.isoformat(), event.end.isoformat()) == ("2024-09-10", "2024-09-13")
    assert event.timezone == "Europe/Zurich"
    assert event.start_at.utcoffset().total_seconds() == 7200  # CEST


# Each fact the release states, asked in plain words, with the text the answer must contain.
FACTS = [
    ("When is the 12MSP?", ["10", "13 september 2024"]),
    ("When was the press release issued?", ["5 september 2024"]),
    ("Where is the 12MSP held?", ["un geneva"]),
    ("How many States Parties take part?", ["112"]),
    ("How many signatories take part?", ["12 treaty signatories"]),
    ("Do observers attend?", ["observers"]),
    ("Is the ICRC taking part?", ["international committee of the red cross"]),
    ("Is civil society involved?", ["civil society"]),
    ("What does Article 21 oblige States Parties to do?", ["encourage", "discourage"]),
    ("Who convened the stakeholder dialogue?", ["implementation support unit"]),
    ("Who took part in the stakeholder dialogue?", ["intergovernmental organizations"]),
    ("In which conflicts are cluster munitions used?", ["myanmar", "syria", "ukraine", "yemen"]),
    ("What about Lithuania?", ["lithuania", "withdrawal"]),
    ("What weapons transfers were mentioned?", ["five", "transit"]),
    ("What is the normalization concern?", ["normalization"]),
    ("Is IHL weakening?", ["international humanitarian law"]),
    ("Which UN report was referenced?", ["protection of civilians"]),
    ("military utility versus humanitarian harm", ["humanitarian harm"]),
    ("Do cluster munitions win wars?", ["terrorize civilians"]),
    ("long-term development impact of remnants", ["livelihoods"]),
    ("key areas for discussion at the 12MSP", ["human-centered", "silos"]),
    ("What did the Presidency call for in closing?", ["echo-chamber", "alliances"]),
    ("When is the Third Review Conference?", ["2026"]),
    ("When was the convention negotiated?", ["2008"]),
    ("What does CCM stand for?", ["convention on cluster munitions"]),
    ("What does MSP mean?", ["meeting of states parties"]),
    ("What is the ISU?", ["implementation support unit"]),
    ("ISU postal address", ["chemin eugène-rigot 2c", "1211 geneva 1"]),
    ("ISU phone number", ["+41 22 730 9761"]),
    ("ISU email", ["info@cmconvention.org"]),
    ("ISU website", ["www.clusterconvention.org"]),
    ("12MSP web page", ["clusterconvention.org/12msp-int"]),
    ("Lausanne Action Plan link", ["bit.ly/lapenglish"]),
]


@pytest.mark.parametrize(("question", "needles"), FACTS)
def test_every_fact_of_the_release_is_answerable(
    index: FaqIndex, question: str, needles: list[str]
) -> None:
    result = index.answer(question)
    assert result.outcome is Outcome.ANSWERED, (question, result.reason, result.alternatives)
    assert result.best is not None
    text = (result.best.entry.answer + " " + (result.best.entry.link or "")).lower()
    text = text.replace("–", "-").replace("‑", "-")
    for needle in needles:
        assert needle in text, (question, result.best.entry.id, needle)
