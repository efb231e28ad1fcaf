"""Embeds: the answer card's embeds, the browser's and /about's, within Discord's limits.

Nothing here talks to Discord; it only builds `discord.Embed` objects and strings, so it is
unit-tested without a connection (tests/ui/).
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import discord

from bot.engine.models import EventDates, Faq, FaqEntry, Source, Topic
from bot.i18n import ENGLISH, faq_language, tr, written_date
from bot.i18n import source_label as i18n_source_label
from bot.ui.limits import (
    COLOUR,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_FOOTER_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
)
from bot.ui.text import clip, split_text
from bot.ui.texts import MODERATOR_SOURCE_TEXT, topic_titles

# --- sources -------------------------------------------------------------------------------


def format_date(day: date, language: str = ENGLISH) -> str:
    """`5 September 2024` (no leading zero, English month, as the release writes dates);
    in another language as it writes dates ("5 septembre 2024")."""
    if language != ENGLISH:
        return written_date(day, language)
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
    """`Source: <release>` (in a translation, labelled as the English original), or
    `Answer from moderator <name>, <date>` for an entry that only a moderator statement backs."""
    language = faq_language(faq)
    statement = entry.cited_statement
    if statement is not None:
        text = tr(
            language,
            MODERATOR_SOURCE_TEXT,
            moderator=statement.moderator,
            date=format_date(statement.date, language),
        )
        return clip(text, EMBED_FOOTER_LIMIT)
    label = i18n_source_label(language)
    return clip(f"{label} {source_label(faq.source_of(entry))}", EMBED_FOOTER_LIMIT)


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


def event_local_dates(event: EventDates, language: str = ENGLISH) -> str:
    """`10–13 September 2024 (Europe/Zurich)`: the dates where the event takes place."""
    start, end = event.start, event.end
    if language != ENGLISH:
        if start == end:
            text = written_date(end, language)
        elif (start.year, start.month) == (end.year, end.month):
            text = f"{start.day}–{written_date(end, language)}"
        else:
            text = f"{written_date(start, language)} – {written_date(end, language)}"
        return f"{text} ({event.timezone})"
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


def answer_embeds(entry: FaqEntry, faq: Faq) -> list[discord.Embed]:
    """The answer card: title = question, description = answer (continued in more embeds
    when too long, cut with a pointer to the link when even that is too long), a "When"
    field with Discord timestamps for dated entries, and the source in the footer."""
    language = faq_language(faq)
    title = clip(entry.question, EMBED_TITLE_LIMIT)
    footer = source_footer(faq, entry)
    field: tuple[str, str] | None = None
    if entry.event is not None:
        local = tr(language, "Local dates:")
        field = (
            tr(language, "When (in your time zone)"),
            clip(
                f"{event_when(entry.event)}\n{local} {event_local_dates(entry.event, language)}",
                EMBED_FIELD_VALUE_LIMIT,
            ),
        )
    fixed = len(title) + len(footer) + (len(field[0]) + len(field[1]) if field else 0)
    budget = EMBED_TOTAL_LIMIT - fixed - 50
    description = entry.answer.strip()
    if len(description) > budget:
        label = entry.link_label or tr(language, "the full text")
        where = f"[{label}]({entry.link})" if entry.link else "/faq"
        note = (
            "\n\n*"
            + tr(language, "The answer is longer than Discord allows; see {where}.", where=where)
            + "*"
        )
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
    embed.set_footer(text=tr(faq_language(faq), "Pick a question below to see its answer."))
    return embed


def topics_embed(faq: Faq) -> discord.Embed:
    """Every topic with its description (for /faq without a topic)."""
    lines = [
        f"**{t.title}**" + (f" — {t.description}" if t.description else "") for t in faq.topics
    ]
    embed = discord.Embed(
        colour=COLOUR,
        title=tr(faq_language(faq), "Browse the FAQ"),
        description=clip("\n".join(lines), EMBED_DESCRIPTION_LIMIT),
    )
    embed.set_footer(text=tr(faq_language(faq), "Pick a topic below to see its questions."))
    return embed


def about_embed(faq: Faq, *, bot_name: str, version: str) -> discord.Embed:
    """What the bot is, the source it answers from, and the ISU contact details."""
    source = primary_source(faq)
    language = faq_language(faq)
    embed = discord.Embed(
        colour=COLOUR,
        title=clip(tr(language, "About {name}", name=bot_name), EMBED_TITLE_LIMIT),
        description=tr(
            language,
            "I answer delegates' questions about the Twelfth Meeting of States Parties "
            "(12MSP) to the Convention on Cluster Munitions from a FAQ written by "
            "moderators. Every answer quotes the source below; when the FAQ does not cover a "
            "question I say so rather than guess.\n\n"
            "**How to ask:** `/ask`, mention me with a question, or send me a direct message. "
            "Browse everything with `/faq`; quick answers: `/dates`, `/venue`, "
            "`/participation`, `/obligations`.",
        ),
    )
    if source is not None:
        lines = [f"**{source.title}**"]
        if source.date is not None:
            lines.append(tr(language, "Dated {date}", date=format_date(source.date, language)))
        if source.url:
            lines.append(source.url)
        embed.add_field(
            name=tr(language, "Source"), value=clip("\n".join(lines), EMBED_FIELD_VALUE_LIMIT)
        )
    others = faq.sources[1:]
    if others:
        # Documents moderators added later (`/faq-admin source add`), so entries can quote them.
        embed.add_field(
            name=tr(language, "Other sources"),
            value=clip("\n".join(f"• {source_label(o)}" for o in others), EMBED_FIELD_VALUE_LIMIT),
            inline=False,
        )
    contact = contact_text(faq)
    if contact:
        embed.add_field(
            name=tr(language, "Contact: CCM Implementation Support Unit (ISU)"),
            value=clip(contact, EMBED_FIELD_VALUE_LIMIT),
            inline=False,
        )
    embed.add_field(
        name=tr(language, "Coverage"),
        value=clip(topic_titles(faq), EMBED_FIELD_VALUE_LIMIT) or "-",
        inline=False,
    )
    footer = tr(
        language,
        "FAQ {version} · {count} answers · bot {bot_version}",
        version=faq.version,
        count=len(faq.entries),
        bot_version=version,
    )
    label = i18n_source_label(language)
    embed.set_footer(text=clip(f"{label} {source_label(source)} · {footer}", EMBED_FOOTER_LIMIT))
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
