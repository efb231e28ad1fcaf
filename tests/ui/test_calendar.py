"""The .ics file of a dated entry (built with icalendar)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from bot.engine.models import EventDates, Faq, FaqEntry
from bot.ui import calendar as ics


def test_ics_is_rfc5545(faq: Faq) -> None:
    entry = faq.by_id["meeting-dates"]
    data = ics.event_ics(entry, faq, now=datetime(2024, 9, 1, 8, 30, tzinfo=UTC))
    text = data.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    lines = unfolded.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and "END:VCALENDAR" in lines
    assert "DTSTART;VALUE=DATE:20240910" in lines and "DTEND;VALUE=DATE:20240914" in lines
    assert "DTSTAMP:20240901T083000Z" in lines
    assert "UID:meeting-dates-20240910@faqbot-12msp" in lines
    assert "LOCATION:UN Geneva" in lines
    summary = next(line for line in lines if line.startswith("SUMMARY:"))
    assert "Twelfth Meeting of States Parties (12MSP)" in summary
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert "\\," in description and "**" not in description
    other = ics.event_ics(faq.by_id["meeting-duration"], faq)
    assert b"UID:meeting-dates-20240910@faqbot-12msp" in other
    assert ics.ics_filename(faq.by_id["meeting-duration"], faq) == "meeting-dates.ics"


def test_ics_escaping_and_folding(faq: Faq) -> None:
    entry = dataclasses.replace(
        faq.by_id["meeting-dates"], answer="a,b;c\\d\ne " + "é" * 80, link=None
    )
    data = ics.event_ics(entry, faq)
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
    unfolded = data.decode("utf-8").replace("\r\n ", "")
    assert "DESCRIPTION:a\\,b\\;c\\\\d\\ne " + "é" * 80 + "\r\n" in unfolded
    with pytest.raises(ValueError):
        entry = FaqEntry(id="x", topic="t", question="q?", answer="a", sources=("s",))
        ics.event_ics(entry, Faq((entry,), (), {}, (), "v"))


def test_ics_uses_event_dates_of_any_length(faq: Faq) -> None:
    entry = dataclasses.replace(
        faq.by_id["meeting-dates"], event=EventDates(date(2024, 12, 31), date(2025, 1, 1))
    )
    text = ics.event_ics(entry, faq).decode()
    assert "DTSTART;VALUE=DATE:20241231" in text and "DTEND;VALUE=DATE:20250102" in text
