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


# --- "Ask the organisers": hand-offs to the moderators --------------------------------------

ASK_ORGANISERS_LABEL = "Ask the organisers"
HANDOFF_FORM_TITLE = "Ask the organisers"
HANDOFF_QUESTION_LABEL = "Your question"
HANDOFF_CONTEXT_LABEL = "Anything else they should know? (optional)"
HANDOFF_CONTEXT_PLACEHOLDER = "e.g. your delegation, or what you already tried"
HANDOFF_EMPTY_TEXT = "Please write your question in words, then send it again."
HANDOFF_UNAVAILABLE_TEXT = (
    "Asking the organisers is not available right now. Please try again later, or browse "
    "the FAQ with `/faq`."
)
HANDOFF_ALREADY_TEXT = (
    "You already asked the moderators this question; you will get their answer as soon as "
    "one of them replies."
)


def handoff_sent_text(*, merged: bool) -> str:
    """The private confirmation: where the question went and how the answer will come."""
    text = (
        "Your question went to the moderators. When one of them answers, I will send you the "
        "answer in a direct message; if your direct messages are closed, I will reply in this "
        "channel and mention you."
    )
    if merged:
        text += " Someone asked the same question already: you will both get the answer."
    return text


def handoff_too_many_text(limit: int) -> str:
    unit = "question" if limit == 1 else "questions"
    return (
        f"You already have {limit} {unit} waiting for the moderators. Please wait for an "
        "answer before asking more."
    )


def handoff_answered_text(question: str, moderator: str, answered_at: float) -> str:
    """Above the answer a delegate receives: their question, who answered and when."""
    return clip(
        f"The organisers answered your question “{echo(question)}” "
        f"(answered by {echo(moderator, 80)} on <t:{int(answered_at)}:f>):",
        CONTENT_LIMIT,
    )


def handoff_closed_text(question: str, moderator: str, reason: str) -> str:
    """What a delegate receives when a moderator closes their question ("Not for the FAQ")."""
    text = (
        f"The moderators looked at your question “{echo(question)}” and will not answer it "
        f"in the FAQ ({echo(moderator, 80)})."
    )
    if reason.strip():
        text += f" Their note: {echo(reason, 300)}"
    return clip(text, CONTENT_LIMIT)


def handoff_channel_text(user_id: int, text: str) -> str:
    """The channel reply when the delegate's DMs are closed: it pings them, and only them."""
    return clip(f"<@{user_id}> (your direct messages are closed) {text}", CONTENT_LIMIT)


HANDOFF_ANSWER_TITLE = "Answer from the organisers"
HANDOFF_CARD_TITLE = "Question for the organisers"
HANDOFF_ANSWER_LABEL = "Answer"
HANDOFF_ENTRY_LABEL = "Answer with an FAQ entry"
HANDOFF_CLOSE_LABEL = "Not for the FAQ"
HANDOFF_DRAFT_LABEL = "Add to the FAQ"
HANDOFF_ANSWER_FORM_TITLE = "Answer the delegate"
HANDOFF_ANSWER_FIELD = "Your answer (sent to everyone who asked)"
HANDOFF_CLOSE_FORM_TITLE = "Not for the FAQ"
HANDOFF_REASON_FIELD = "Why not? (optional, sent to the delegate)"
HANDOFF_PICK_TEXT = "Pick the FAQ entry that answers this question; it is sent to every asker."
HANDOFF_PICK_PLACEHOLDER = "The FAQ entry that answers it"
HANDOFF_GONE_TEXT = "This hand-off is no longer in the database (it expired after RETENTION_DAYS)."
HANDOFF_NO_ANSWER_TEXT = "Please write an answer."


def handoff_done_text(moderator: str, answered_at: float) -> str:
    """A moderator pressed a button of a hand-off someone already answered or closed."""
    return f"{echo(moderator, 80)} already handled this question on <t:{int(answered_at)}:f>."


def handoff_delivered_text(dm: int, channel: int, failed: int) -> str:
    """What the moderator reads after answering: how many delegates got it, and how."""
    parts = [f"{dm} by direct message"] if dm else []
    if channel:
        parts.append(f"{channel} as a reply in the channel where they asked")
    if failed:
        parts.append(f"{failed} could not be reached (see the bot's log)")
    return "Sent: " + ("; ".join(parts) if parts else "nobody was waiting any more") + "."


def handoff_reminder_text(handoff_id: int, hours: float) -> str:
    return (
        f"⏰ Hand-off {handoff_id} has waited for an answer for more than {hours:g} hour(s). "
        "Delegates are waiting: answer it, or close it with *Not for the FAQ*."
    )


def handoff_draft_text(yaml_text: str) -> str:
    """The FAQ entry draft a moderator gets from "Add to the FAQ"."""
    return clip(
        "Add this entry to a topic file in faq/ (reword it as the FAQ's own), then run "
        "`faqbot validate`; `faqbot handoffs --export FILE` writes every answered hand-off "
        f"like this.\n```yaml\n{yaml_text.replace('```', chr(39) * 3)}\n```",
        CONTENT_LIMIT,
    )
