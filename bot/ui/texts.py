"""What users read when something is not an answer: every such text, once, in English here
(marked with `N_` for the catalogues) and shown in the reader's language with `tr`."""

from __future__ import annotations

from typing import Any

import discord

from bot.engine.models import Faq
from bot.i18n import N_, catalogue_languages, ntr, tr
from bot.ui.limits import CONTENT_LIMIT
from bot.ui.text import clip, echo

ERROR_TEXT = N_(
    "Something went wrong; the moderators have been told. Please try again in a moment."
)
RESTARTING_TEXT = N_("The FAQ bot is restarting. Please try again in a few seconds.")
EXPIRED_TEXT = N_(
    "This button is no longer active. Use `/faq` to browse or `/ask` to ask a question."
)
STALE_COMMAND_TEXT = N_(
    "That command is no longer available (the bot's commands were just updated). "
    "Please try again in a minute."
)
NOT_HERE_TEXT = N_("You can't use that command here.")
BAD_INPUT_TEXT = N_("I couldn't read one of the options: {error}")
VOTE_THANKS = N_("Thanks for the feedback")
CALENDAR_TEXT = N_("Open this file to add the meeting to your calendar (all-day, local dates).")
EMPTY_MESSAGE_TEXT = N_(
    "Ask me a question in words after the mention, for example “when is the 12MSP?”, "
    "or use `/faq` to browse."
)
MISSING_ENTRY_TEXT = N_(
    "That question is no longer in the FAQ (it has been updated since). "
    "Browse the current questions with `/faq`."
)
NOTHING_FOUND_TEXT = N_("I found nothing in the FAQ for that question.")
"""Said in the asker's language when a question in a language without content matches
nothing (followed by the English decline)."""


def reader_language(locale: object | None) -> str:
    """The catalogue a Discord locale reads ("fr", "es-419" -> "es", "de"), else English."""
    code = str(locale or "").split("-")[0].lower()
    return code if code in catalogue_languages() else "en"


def topic_titles(faq: Faq) -> str:
    """`Dates, Venue, Participation...`: what the bot can answer, from the FAQ's topics."""
    return ", ".join(t.title for t in faq.topics)


def suggestion_text(question: str, language: str = "en") -> str:
    return clip(
        tr(
            language,
            "I'm not sure which question you mean by “{question}”. Did you mean one of these?",
            question=echo(question),
        ),
        CONTENT_LIMIT,
    )


def decline_text(
    question: str, faq: Faq, *, refused: bool = False, hints: bool = False, language: str = "en"
) -> str:
    """A polite "I don't know", saying what the bot can answer (the FAQ's topics)."""
    if refused or not question.strip():
        opening = tr(
            language, "Please ask me a question in words, for example “When is the 12MSP?”."
        )
    else:
        opening = tr(
            language,
            "I couldn't find an answer to “{question}” in the FAQ.",
            question=echo(question),
        )
    text = f"{opening} " + tr(
        language,
        "I can answer questions about: {topics}. "
        "Browse every question with `/faq`, or try asking in other words.",
        topics=topic_titles(faq),
    )
    if hints:
        text += " " + tr(language, "Perhaps one of these helps:")
    return clip(text, CONTENT_LIMIT)


def cooldown_text(seconds: int, language: str = "en") -> str:
    return ntr(
        language,
        "You're asking a lot at once. Please try again in {n} second.",
        "You're asking a lot at once. Please try again in {n} seconds.",
        seconds,
    )


def recent_text(url: str, language: str = "en") -> str:
    return tr(language, "This was answered in this channel a moment ago: {url}", url=url)


def missing_topic_text(topic: str, faq: Faq, language: str = "en") -> str:
    return clip(
        tr(
            language,
            "The FAQ has no “{topic}” section right now. "
            "Its topics are: {topics}. Try `/ask` or `/faq`.",
            topic=echo(topic, 60),
            topics=topic_titles(faq),
        ),
        CONTENT_LIMIT,
    )


def told(interaction: discord.Interaction[Any], text: str, **values: object) -> str:
    """`text` in the language of the user's Discord client."""
    return tr(reader_language(interaction.locale), text, **values)


def message_language(message: discord.Message) -> str:
    """A message has no locale: the server's preferred one, else English."""
    return reader_language(message.guild.preferred_locale if message.guild else None)
