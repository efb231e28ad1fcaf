"""What users read when something is not an answer: every such text, once."""

from __future__ import annotations

from bot.engine.models import Faq
from bot.ui.limits import CONTENT_LIMIT
from bot.ui.text import clip, echo

ERROR_TEXT = "Something went wrong; the moderators have been told. Please try again in a moment."
RESTARTING_TEXT = "The FAQ bot is restarting. Please try again in a few seconds."
EXPIRED_TEXT = "This button is no longer active. Use `/faq` to browse or `/ask` to ask a question."
STALE_COMMAND_TEXT = (
    "That command is no longer available (the bot's commands were just updated). "
    "Please try again in a minute."
)
NOT_HERE_TEXT = "You can't use that command here."
BAD_INPUT_TEXT = "I couldn't read one of the options: {error}"
VOTE_THANKS = "Thanks for the feedback"
CALENDAR_TEXT = "Open this file to add the meeting to your calendar (all-day, local dates)."
EMPTY_MESSAGE_TEXT = (
    "Ask me a question in words after the mention, for example “when is the 12MSP?”, "
    "or use `/faq` to browse."
)


MODERATOR_SOURCE_TEXT = "Answer from moderator {moderator}, {date}"
"""The footer of an entry that rests on a moderator statement instead of a release quote."""


def topic_titles(faq: Faq) -> str:
    """`Dates, Venue, Participation...`: what the bot can answer, from the FAQ's topics."""
    return ", ".join(t.title for t in faq.topics)


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


MISSING_ENTRY_TEXT = (
    "That question is no longer in the FAQ (it has been updated since). "
    "Browse the current questions with `/faq`."
)


def missing_topic_text(topic: str, faq: Faq) -> str:
    return clip(
        f"The FAQ has no “{echo(topic, 60)}” section right now. "
        f"Its topics are: {topic_titles(faq)}. Try `/ask` or `/faq`.",
        CONTENT_LIMIT,
    )
