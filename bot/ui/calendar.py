"""An RFC 5545 calendar file for a dated FAQ entry (the meeting), built from the FAQ."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import icalendar

from bot.engine.models import Faq, FaqEntry
from bot.ui.text import plain

PRODID = "-//faqbot-12msp//12MSP FAQ bot//EN"
_WHEN_QUESTION = re.compile(
    r"^(?:when|what are the dates of)\s+(?:is|are|was|were|does|do|did)?\s*(?:the\s+)?"
    r"(?P<name>.+?)(?:\s+(?:take place|held|happen|start))?\s*\?*$",
    re.IGNORECASE,
)
_AT_PLACE = re.compile(r"\bat ((?:[A-Z][\w'’.-]*)(?: [A-Z][\w'’-]*)*)")
_LEAD = re.compile(r"^\*\*(?P<lead>.+?)\*\*")
_PLACE_PREPOSITION = r"^(?:at|in|à|en(?: la)?)\s+"
""""At UN Geneva", "À l'ONU Genève", "En la ONU Ginebra": the place without its preposition."""


def event_summary(entry: FaqEntry, faq: Faq) -> str:
    """The event's name, from the FAQ: "When is the X?" gives X, extended with the "to the
    Convention..." that follows X in the answer."""
    name = getattr(entry.event, "title", None)
    if isinstance(name, str) and name.strip():
        return name.strip()
    if faq.language is not None and faq.subject is not None:
        # A translation: the subject's own name, extended as the answer writes it
        # ("Douzième Réunion des États parties (12MSP) à la Convention ... (CCM)").
        name = faq.subject.phrases[0]
        longer = re.search(re.escape(name) + r"[^,.;:]*", plain(entry.answer), re.IGNORECASE)
        return longer.group(0).strip() if longer else name
    candidates = [entry] + [e for e in faq.entries if e.event == entry.event and e is not entry]
    for candidate in candidates:
        match = _WHEN_QUESTION.match(candidate.question.strip())
        if match:
            name = match["name"].strip()
            longer = re.search(re.escape(name) + r"( to the [^,.;]+)", plain(candidate.answer))
            return name + (longer.group(1) if longer else "")
    return entry.question.rstrip("?").strip()


def event_location(entry: FaqEntry, faq: Faq) -> str | None:
    """Where the event is, from the FAQ: "at <Place>" in the entry's answer, else the lead of
    the venue topic's first answer ("**At UN Geneva.**")."""
    location = getattr(entry.event, "location", None)
    if isinstance(location, str) and location.strip():
        return location.strip()
    found = _AT_PLACE.search(plain(entry.answer))
    if found:
        return found.group(1).rstrip(".")
    venue = faq.topic("venue")
    if venue is not None and venue.entry_ids and venue.entry_ids[0] in faq.by_id:
        lead = _LEAD.match(faq.by_id[venue.entry_ids[0]].answer)
        if lead:
            text = re.sub(_PLACE_PREPOSITION, "", lead["lead"].strip(), flags=re.IGNORECASE)
            return text.rstrip(".").strip() or None
    return None


def canonical_entry(entry: FaqEntry, faq: Faq) -> FaqEntry:
    """The first FAQ entry with the same event: entries sharing dates share one UID."""
    return next((e for e in faq.entries if e.event == entry.event), entry)


def ics_filename(entry: FaqEntry, faq: Faq) -> str:
    return f"{canonical_entry(entry, faq).id}.ics"


def event_ics(entry: FaqEntry, faq: Faq, *, now: datetime | None = None) -> bytes:
    """A VCALENDAR with one all-day VEVENT (DTEND exclusive), as `icalendar` writes RFC 5545:
    escaped TEXT values, lines folded at 75 octets, CRLF line endings."""
    event = entry.event
    if event is None:
        raise ValueError(f"entry {entry.id!r} has no event dates")
    stamp = (now or datetime.now(tz=UTC)).astimezone(UTC)
    description = plain(entry.answer).strip()
    if entry.link:
        description += f"\n\n{entry.link}"
    vevent = icalendar.Event()
    vevent.add("uid", f"{canonical_entry(entry, faq).id}-{event.start:%Y%m%d}@faqbot-12msp")
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.start)
    vevent.add("dtend", event.end + timedelta(days=1))
    vevent.add("summary", event_summary(entry, faq))
    location = event_location(entry, faq)
    if location:
        vevent.add("location", location)
    vevent.add("description", description)
    if entry.link:
        vevent.add("url", entry.link)
    vevent.add("transp", "TRANSPARENT")
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(vevent)
    return calendar.to_ical()
