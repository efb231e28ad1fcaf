"""Embeds and message text: every payload the bot sends, within Discord's limits.

Nothing here talks to Discord; it only builds `discord.Embed` objects and strings, so it is
unit-tested without a connection (tests/test_render.py).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import discord

from bot.engine.models import EventDates, Faq, FaqEntry, Source, Topic

log = logging.getLogger(__name__)

# --- Discord's limits ----------------------------------------------------------------------

CONTENT_LIMIT = 2000
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELD_NAME_LIMIT = 256
EMBED_FIELD_VALUE_LIMIT = 1024
EMBED_FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
"""Across every embed of one message."""
EMBEDS_PER_MESSAGE = 10
EMBED_FIELDS_LIMIT = 25
CHOICES_LIMIT = 25
CHOICE_NAME_LIMIT = 100
CHOICE_VALUE_LIMIT = 100
SELECT_OPTIONS_LIMIT = 25
SELECT_LABEL_LIMIT = 100
SELECT_DESCRIPTION_LIMIT = 100
SELECT_PLACEHOLDER_LIMIT = 150
BUTTON_LABEL_LIMIT = 80
CUSTOM_ID_LIMIT = 100

ECHO_LIMIT = 200
"""User text quoted back is cut to this many characters."""
COLOUR = discord.Colour(0x1D5B8F)
ELLIPSIS = "…"

# --- text helpers --------------------------------------------------------------------------


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters (ellipsis included), preferring a word boundary."""
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return text[:limit]
    cut = text[: limit - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space >= limit * 0.6:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def echo(text: str, limit: int = ECHO_LIMIT) -> str:
    """User text made safe to quote: one line, cut, markdown and mentions escaped."""
    flat = " ".join(text.split())
    clipped = clip(flat, limit)
    return discord.utils.escape_mentions(discord.utils.escape_markdown(clipped))


def split_text(text: str, limit: int) -> list[str]:
    """Split `text` into parts of at most `limit` characters, at paragraph, line, sentence
    or word boundaries when possible (never inside a word unless a word is longer)."""
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = -1
        for separator in ("\n\n", "\n", ". ", " "):
            position = window.rfind(separator, 0, limit)
            if position >= limit // 3:
                cut = position + (1 if separator == ". " else 0)
                break
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def plain(text: str) -> str:
    """FAQ markdown reduced to plain text (for calendar files and notifications)."""
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text, flags=re.S)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text, flags=re.S)
    return text


# --- sources -------------------------------------------------------------------------------

_SOURCE_CACHE: dict[tuple[str, str], Source | None] = {}


def _squash(text: str) -> str:
    return " ".join(text.split())


def entry_source(faq: Faq, entry: FaqEntry) -> Source | None:
    """The source document the entry quotes (the first that contains its first quote)."""
    key = (faq.version, entry.id)
    if key in _SOURCE_CACHE:
        return _SOURCE_CACHE[key]
    found: Source | None = None
    if entry.sources:
        quote = _squash(entry.sources[0])
        found = next((s for s in faq.sources if quote in _squash(s.text)), None)
    if found is None and faq.sources:
        found = faq.sources[0]
    if len(_SOURCE_CACHE) > 4096:
        _SOURCE_CACHE.clear()
    _SOURCE_CACHE[key] = found
    return found


def format_date(day: date) -> str:
    """`5 September 2024` (no leading zero, English month, as the release writes dates)."""
    return f"{day.day} {day:%B %Y}"


def source_label(source: Source | None) -> str:
    """`CCM ISU press release, 5 September 2024` from the source's title and date."""
    if source is None:
        return "the FAQ"
    label = source.title.replace("Implementation Support Unit", "ISU").strip()
    if source.date is not None and format_date(source.date) not in label:
        label = f"{label}, {format_date(source.date)}"
    return label


def source_footer(faq: Faq, entry: FaqEntry) -> str:
    return clip(f"Source: {source_label(entry_source(faq, entry))}", EMBED_FOOTER_LIMIT)


def primary_source(faq: Faq) -> Source | None:
    """The FAQ's main source: the first one listed."""
    return faq.sources[0] if faq.sources else None


# --- dates ---------------------------------------------------------------------------------


def _unix(moment: datetime) -> int:
    return int(moment.timestamp())


def day_anchor(day: date, timezone: str) -> int:
    """Noon on `day` where the event is: a moment that falls on the same calendar day for
    nearly every reader's time zone, so `<t:...:D>` shows the right date everywhere."""
    return _unix(datetime.combine(day, time(12, 0), tzinfo=ZoneInfo(timezone)))


def event_when(event: EventDates) -> str:
    """`<t:start:D> – <t:end:D> (<t:start:R>)`: dates in each reader's own time zone, and a
    relative time Discord renders with the right tense ("in 3 days", "2 years ago")."""
    start = day_anchor(event.start, event.timezone)
    relative = f"<t:{_unix(event.start_at)}:R>"
    if event.end == event.start:
        return f"<t:{start}:D> ({relative})"
    end = day_anchor(event.end, event.timezone)
    return f"<t:{start}:D> – <t:{end}:D> ({relative})"


def event_local_dates(event: EventDates) -> str:
    """`10–13 September 2024 (Europe/Zurich)`: the dates where the event takes place."""
    start, end = event.start, event.end
    if start == end:
        text = format_date(start)
    elif (start.year, start.month) == (end.year, end.month):
        text = f"{start.day}–{end.day} {end:%B %Y}"
    elif start.year == end.year:
        text = f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
    else:
        text = f"{format_date(start)} – {format_date(end)}"
    return f"{text} ({event.timezone})"


# --- embeds --------------------------------------------------------------------------------


def embeds_length(embeds: Iterable[discord.Embed]) -> int:
    return sum(len(e) for e in embeds)


def answer_embeds(entry: FaqEntry, faq: Faq) -> list[discord.Embed]:
    """The answer card: title = question, description = answer (continued in more embeds
    when too long, cut with a pointer to the link when even that is too long), a "When"
    field with Discord timestamps for dated entries, and the source in the footer."""
    title = clip(entry.question, EMBED_TITLE_LIMIT)
    footer = source_footer(faq, entry)
    field: tuple[str, str] | None = None
    if entry.event is not None:
        field = (
            "When (in your time zone)",
            clip(
                f"{event_when(entry.event)}\nLocal dates: {event_local_dates(entry.event)}",
                EMBED_FIELD_VALUE_LIMIT,
            ),
        )
    fixed = len(title) + len(footer) + (len(field[0]) + len(field[1]) if field else 0)
    budget = EMBED_TOTAL_LIMIT - fixed - 50
    description = entry.answer.strip()
    if len(description) > budget:
        where = f"[{entry.link_label or 'the full text'}]({entry.link})" if entry.link else "/faq"
        note = f"\n\n*The answer is longer than Discord allows; see {where}.*"
        description = clip(description, budget - len(note)) + note
    parts = split_text(description, EMBED_DESCRIPTION_LIMIT - 10)[:EMBEDS_PER_MESSAGE]
    embeds = []
    for number, part in enumerate(parts):
        embed = discord.Embed(colour=COLOUR, description=part)
        if number == 0:
            embed.title = title
            if entry.link:
                embed.url = entry.link
        embeds.append(embed)
    if field is not None:
        embeds[-1].add_field(name=field[0], value=field[1], inline=False)
    embeds[-1].set_footer(text=footer)
    return embeds


def topic_embed(topic: Topic, faq: Faq) -> discord.Embed:
    """A topic's title, description and numbered questions (for /faq <topic>)."""
    lines = [f"{topic.description}\n" if topic.description else ""]
    for number, entry_id in enumerate(topic.entry_ids, start=1):
        entry = faq.by_id.get(entry_id)
        if entry is not None:
            lines.append(f"{number}. {entry.question}")
    description = "\n".join(line for line in lines if line is not None).strip()
    embed = discord.Embed(
        colour=COLOUR,
        title=clip(topic.title, EMBED_TITLE_LIMIT),
        description=clip(description, EMBED_DESCRIPTION_LIMIT),
    )
    embed.set_footer(text="Pick a question below to see its answer.")
    return embed


def topics_embed(faq: Faq) -> discord.Embed:
    """Every topic with its description (for /faq without a topic)."""
    lines = [
        f"**{t.title}**" + (f" — {t.description}" if t.description else "") for t in faq.topics
    ]
    embed = discord.Embed(
        colour=COLOUR,
        title="Browse the FAQ",
        description=clip("\n".join(lines), EMBED_DESCRIPTION_LIMIT),
    )
    embed.set_footer(text="Pick a topic below to see its questions.")
    return embed


def topic_titles(faq: Faq) -> str:
    """`Dates, Venue, Participation...`: what the bot can answer, from the FAQ's topics."""
    return ", ".join(t.title for t in faq.topics)


def about_embed(faq: Faq, *, bot_name: str, version: str) -> discord.Embed:
    """What the bot is, the source it answers from, and the ISU contact details."""
    source = primary_source(faq)
    embed = discord.Embed(
        colour=COLOUR,
        title=clip(f"About {bot_name}", EMBED_TITLE_LIMIT),
        description=(
            "I answer delegates' questions about the Twelfth Meeting of States Parties "
            "(12MSP) to the Convention on Cluster Munitions from a FAQ written by "
            "moderators. Every answer quotes the source below; when the FAQ does not cover a "
            "question I say so rather than guess.\n\n"
            "**How to ask:** `/ask`, mention me with a question, or send me a direct message. "
            "Browse everything with `/faq`; quick answers: `/dates`, `/venue`, "
            "`/participation`, `/obligations`."
        ),
    )
    if source is not None:
        lines = [f"**{source.title}**"]
        if source.date is not None:
            lines.append(f"Dated {format_date(source.date)}")
        if source.url:
            lines.append(source.url)
        embed.add_field(name="Source", value=clip("\n".join(lines), EMBED_FIELD_VALUE_LIMIT))
    contact = contact_text(faq)
    if contact:
        embed.add_field(
            name="Contact: CCM Implementation Support Unit (ISU)",
            value=clip(contact, EMBED_FIELD_VALUE_LIMIT),
            inline=False,
        )
    embed.add_field(
        name="Coverage",
        value=clip(topic_titles(faq), EMBED_FIELD_VALUE_LIMIT) or "-",
        inline=False,
    )
    footer = f"FAQ {faq.version} · {len(faq.entries)} answers · bot {version}"
    embed.set_footer(text=clip(f"Source: {source_label(source)} · {footer}", EMBED_FOOTER_LIMIT))
    return embed


def contact_entries(faq: Faq) -> list[FaqEntry]:
    """The FAQ's contact entries: the "contact" topic, else entries whose id says contact."""
    topic = faq.topic("contact")
    if topic is not None:
        return [faq.by_id[i] for i in topic.entry_ids if i in faq.by_id]
    return [e for e in faq.entries if "contact" in e.id]


def contact_text(faq: Faq) -> str:
    """The contact details as the FAQ states them (its first contact entry's answer)."""
    entries = contact_entries(faq)
    return entries[0].answer.strip() if entries else ""


# --- messages ------------------------------------------------------------------------------


def suggestion_text(question: str) -> str:
    return clip(
        f"I'm not sure which question you mean by “{echo(question)}”. Did you mean one of these?",
        CONTENT_LIMIT,
    )


def decline_text(question: str, faq: Faq, *, refused: bool = False, hints: bool = False) -> str:
    """A polite "I don't know", saying what the bot can answer (the FAQ's topics)."""
    if refused or not question.strip():
        opening = "Please ask me a question in words, for example “When is the 12MSP?”."
    else:
        opening = f"I couldn't find an answer to “{echo(question)}” in the FAQ."
    text = (
        f"{opening} I can answer questions about: {topic_titles(faq)}. "
        "Browse every question with `/faq`, or try asking in other words."
    )
    if hints:
        text += " Perhaps one of these helps:"
    return clip(text, CONTENT_LIMIT)


def cooldown_text(seconds: int) -> str:
    unit = "second" if seconds == 1 else "seconds"
    return f"You're asking a lot at once. Please try again in {seconds} {unit}."


def recent_text(url: str) -> str:
    return f"This was answered in this channel a moment ago: {url}"


def missing_entry_text() -> str:
    return (
        "That question is no longer in the FAQ (it has been updated since). "
        "Browse the current questions with `/faq`."
    )


def missing_topic_text(topic: str, faq: Faq) -> str:
    return clip(
        f"The FAQ has no “{echo(topic, 60)}” section right now. "
        f"Its topics are: {topic_titles(faq)}. Try `/ask` or `/faq`.",
        CONTENT_LIMIT,
    )


ERROR_TEXT = "Something went wrong; the moderators have been told. Please try again in a moment."
RESTARTING_TEXT = "The FAQ bot is restarting. Please try again in a few seconds."
EXPIRED_TEXT = "This button is no longer active. Use `/faq` to browse or `/ask` to ask a question."
VOTE_THANKS = "Thanks for the feedback"
EMPTY_MESSAGE_TEXT = (
    "Ask me a question in words after the mention, for example “when is the 12MSP?”, "
    "or use `/faq` to browse."
)


def question_labels(entries: Sequence[FaqEntry], limit: int = BUTTON_LABEL_LIMIT) -> list[str]:
    return [clip(e.question, limit) for e in entries]
