"""An RFC 5545 calendar file for a dated FAQ entry (the meeting), built from the FAQ."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

from bot.engine.models import Faq, FaqEntry
from bot.ui.render import plain

log = logging.getLogger(__name__)

PRODID = "-//faqbot-12msp//12MSP FAQ bot//EN"
_WHEN_QUESTION = re.compile(
    r"^(?:when|what are the dates of)\s+(?:is|are|was|were|does|do|did)?\s*(?:the\s+)?"
    r"(?P<name>.+?)(?:\s+(?:take place|held|happen|start))?\s*\?*$",
    re.IGNORECASE,
)
_AT_PLACE = re.compile(r"\bat ((?:[A-Z][\w'’.-]*)(?: [A-Z][\w'’-]*)*)")
_LEAD = re.compile(r"^\*\*(?P<lead>.+?)\*\*")


def escape_text(value: str) -> str:
    """RFC 5545 TEXT escaping: backslash, semicolon, comma and line breaks."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (continuations start with a space), never inside a
    UTF-8 character; lines are joined with CRLF by the caller."""
    out: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not out else 74
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def event_summary(entry: FaqEntry, faq: Faq) -> str:
    """The event's name, from the FAQ: "When is the X?" gives X, extended with the "to the
    Convention..." that follows X in the answer."""
    name = getattr(entry.event, "title", None)
    if isinstance(name, str) and name.strip():
        return name.strip()
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
            text = re.sub(r"^(?:at|in)\s+", "", lead["lead"].strip(), flags=re.IGNORECASE)
            return text.rstrip(".").strip() or None
    return None


def canonical_entry(entry: FaqEntry, faq: Faq) -> FaqEntry:
    """The first FAQ entry with the same event: entries sharing dates share one UID."""
    return next((e for e in faq.entries if e.event == entry.event), entry)


def ics_filename(entry: FaqEntry, faq: Faq) -> str:
    return f"{canonical_entry(entry, faq).id}.ics"


def event_ics(entry: FaqEntry, faq: Faq, *, now: datetime | None = None) -> bytes:
    """A VCALENDAR with one all-day VEVENT (DTEND exclusive), CRLF line endings."""
    event = entry.event
    if event is None:
        raise ValueError(f"entry {entry.id!r} has no event dates")
    stamp = (now or datetime.now(tz=UTC)).astimezone(UTC)
    end = event.end + timedelta(days=1)
    description = plain(entry.answer).strip()
    if entry.link:
        description += f"\n\n{entry.link}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{canonical_entry(entry, faq).id}-{event.start:%Y%m%d}@faqbot-12msp",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"DTSTART;VALUE=DATE:{event.start:%Y%m%d}",
        f"DTEND;VALUE=DATE:{end:%Y%m%d}",
        f"SUMMARY:{escape_text(event_summary(entry, faq))}",
    ]
    location = event_location(entry, faq)
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    lines.append(f"DESCRIPTION:{escape_text(description)}")
    if entry.link:
        lines.append(f"URL:{entry.link}")
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
