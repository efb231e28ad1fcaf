"""What users read when something is not an answer: every such text, once."""

from __future__ import annotations

from bot.engine.models import Faq
from bot.ui.limits import CONTENT_LIMIT
from bot.ui.text import clip, echo

ERROR_TEXT = "Something went wrong; the moderators have been told. Please try again in a moment."
STORAGE_ERROR_TEXT = "The bot could not save that: {problem}. The moderators have been told."
"""`problem` in words: "DATA_DIR is read-only", "the disk is full" (bot.services.storage_errors)."""
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
EMPTY_DM_TEXT = (
    "Ask me a question in words, for example “when is the 12MSP?”, or use `/faq` to browse."
)
PRIVATE_ANSWER_TEXT = (
    "Answered privately: many answers were posted in this channel in the last minute."
)
DM_ANSWER_SENT_REACTION = "📬"
"""On a mention whose answer went to the asker by direct message (the channel was busy)."""
DMS_CLOSED_TEXT = (
    "Many answers were posted in this channel in the last minute and I can't send you a "
    "direct message: ask me with `/ask` and `private:True` to get the answer privately."
)
NO_DATES_TEXT = (
    "That question no longer has dates in the FAQ (it has been updated since), so there is no "
    "calendar file. Ask `/dates` for the current dates."
)


def topic_titles(faq: Faq) -> str:
    """`Dates, Venue, Participation...`: what the bot can answer, from the FAQ's topics."""
    return ", ".join(t.title for t in faq.topics)


def suggestion_text(question: str, *, quote: bool) -> str:
    """Did-you-mean; `quote` (private replies only) repeats the question, made safe."""
    if not quote:
        return "I'm not sure which question you mean. Did you mean one of these?"
    return clip(
        f"I'm not sure which question you mean by “{echo(question)}”. Did you mean one of these?",
        CONTENT_LIMIT,
    )


def decline_text(
    question: str, faq: Faq, *, quote: bool, refused: bool = False, hints: bool = False
) -> str:
    """A polite "I don't know", saying what the bot can answer (the FAQ's topics); `quote`
    (private replies only) repeats the question, made safe."""
    if refused or not question.strip():
        opening = "Please ask me a question in words, for example “When is the 12MSP?”."
    elif not quote:
        opening = "I couldn't find an answer to that in the FAQ."
    else:
        opening = f"I couldn't find an answer to “{echo(question)}” in the FAQ."
    text = (
        f"{opening} I can answer questions about: {topic_titles(faq)}. "
        "Browse every question with `/faq`, or try asking in other words."
    )
    if hints:
        text += " Perhaps one of these helps:"
    return clip(text, CONTENT_LIMIT)


def slow_down_text(seconds: int) -> str:
    unit = "second" if seconds == 1 else "seconds"
    return f"You're asking a lot at once. Please try again in {seconds} {unit}."


def dm_answer_text(question_url: str) -> str:
    """Above an answer sent by direct message: which question it answers."""
    return f"The answer to your question {question_url} (that channel is busy right now):"


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
