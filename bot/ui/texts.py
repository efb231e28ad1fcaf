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
STORAGE_ERROR_TEXT = N_("The bot could not save that: {problem}. The moderators have been told.")
"""`problem` in words: "DATA_DIR is read-only", "the disk is full" (bot.services.storage_errors);
the words stay English (they are for the moderators too)."""
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
EMPTY_DM_TEXT = N_(
    "Ask me a question in words, for example “when is the 12MSP?”, or use `/faq` to browse."
)
PRIVATE_ANSWER_TEXT = N_(
    "Answered privately: many answers were posted in this channel in the last minute."
)
DM_ANSWER_SENT_REACTION = "📬"
"""On a mention whose answer went to the asker by direct message (the channel was busy)."""
DMS_CLOSED_TEXT = N_(
    "Many answers were posted in this channel in the last minute and I can't send you a "
    "direct message: ask me with `/ask` and `private:True` to get the answer privately."
)
NO_DATES_TEXT = N_(
    "That question no longer has dates in the FAQ (it has been updated since), so there is no "
    "calendar file. Ask `/dates` for the current dates."
)
MISSING_ENTRY_TEXT = N_(
    "That question is no longer in the FAQ (it has been updated since). "
    "Browse the current questions with `/faq`."
)
NOTHING_FOUND_TEXT = N_("I found nothing in the FAQ for that question.")
"""Said in the asker's language when a question in a language without content matches
nothing (followed by the English decline)."""


MODERATOR_SOURCE_TEXT = N_("Answer from moderator {moderator}, {date}")
"""The footer of an entry that rests on a moderator statement instead of a release quote."""


def reader_language(locale: object | None) -> str:
    """The catalogue a Discord locale reads ("fr", "es-419" -> "es", "de"), else English."""
    code = str(locale or "").split("-")[0].lower()
    return code if code in catalogue_languages() else "en"


def topic_titles(faq: Faq) -> str:
    """`Dates, Venue, Participation...`: what the bot can answer, from the FAQ's topics."""
    return ", ".join(t.title for t in faq.topics)


def suggestion_text(question: str, *, quote: bool, language: str = "en") -> str:
    """Did-you-mean; `quote` (private replies only) repeats the question, made safe."""
    if not quote:
        return tr(language, "I'm not sure which question you mean. Did you mean one of these?")
    return clip(
        tr(
            language,
            "I'm not sure which question you mean by “{question}”. Did you mean one of these?",
            question=echo(question),
        ),
        CONTENT_LIMIT,
    )


def decline_text(
    question: str,
    faq: Faq,
    *,
    quote: bool,
    refused: bool = False,
    hints: bool = False,
    language: str = "en",
) -> str:
    """A polite "I don't know", saying what the bot can answer (the FAQ's topics); `quote`
    (private replies only) repeats the question, made safe."""
    if refused or not question.strip():
        opening = tr(
            language, "Please ask me a question in words, for example “When is the 12MSP?”."
        )
    elif not quote:
        opening = tr(language, "I couldn't find an answer to that in the FAQ.")
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


def slow_down_text(seconds: int, language: str = "en") -> str:
    return ntr(
        language,
        "You're asking a lot at once. Please try again in {n} second.",
        "You're asking a lot at once. Please try again in {n} seconds.",
        seconds,
    )


def dm_answer_text(question_url: str, language: str = "en") -> str:
    """Above an answer sent by direct message: which question it answers."""
    return tr(
        language,
        "The answer to your question {url} (that channel is busy right now):",
        url=question_url,
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


def asker_id(message: discord.Message | None) -> int | None:
    """Who asked what `message` answers: the user of the command or button it responds to,
    else the author of the message it replies to; None when it does not say (a DM)."""
    if message is None:
        return None
    if message.interaction_metadata is not None:
        return message.interaction_metadata.user.id
    replied = message.reference.resolved if message.reference is not None else None
    return replied.author.id if isinstance(replied, discord.Message) else None


def clicker_language(interaction: discord.Interaction[Any], card_language: str | None) -> str:
    """The language of a private reply to a click on a message written in `card_language`:
    that language for the person the message answered (and when it cannot be told who that
    was), the clicker's own Discord locale for anyone else or when the message does not say
    its language (an older button)."""
    asker = asker_id(interaction.message)
    if card_language is not None and asker in (None, interaction.user.id):
        return card_language
    return reader_language(interaction.locale)


def message_language(message: discord.Message) -> str:
    """A message has no locale: the server's preferred one, else English."""
    return reader_language(message.guild.preferred_locale if message.guild else None)


# --- "Ask the organisers": hand-offs to the moderators --------------------------------------

ASK_ORGANISERS_LABEL = N_("Ask the organisers")
HANDOFF_FORM_TITLE = N_("Ask the organisers")
HANDOFF_QUESTION_LABEL = N_("Your question")
HANDOFF_CONTEXT_LABEL = N_("Anything else they should know? (optional)")
HANDOFF_CONTEXT_PLACEHOLDER = N_("e.g. your delegation, or what you already tried")
HANDOFF_EMPTY_TEXT = N_("Please write your question in words, then send it again.")
HANDOFF_UNAVAILABLE_TEXT = N_(
    "Asking the organisers is not available right now. Please try again later, or browse "
    "the FAQ with `/faq`."
)
HANDOFF_ALREADY_TEXT = N_(
    "You already asked the moderators this question; you will get their answer as soon as "
    "one of them replies."
)


def handoff_sent_text(*, merged: bool, language: str = "en") -> str:
    """The private confirmation: where the question went and how the answer will come."""
    text = tr(
        language,
        "Your question went to the moderators. When one of them answers, I will send you the "
        "answer in a direct message; if your direct messages are closed, I will reply in this "
        "channel and mention you.",
    )
    if merged:
        text += " " + tr(
            language, "Someone asked the same question already: you will both get the answer."
        )
    return text


def handoff_too_many_text(limit: int, language: str = "en") -> str:
    return ntr(
        language,
        "You already have {n} question waiting for the moderators. Please wait for an "
        "answer before asking more.",
        "You already have {n} questions waiting for the moderators. Please wait for an "
        "answer before asking more.",
        limit,
    )


def handoff_answered_text(
    question: str, moderator: str, answered_at: float, language: str = "en"
) -> str:
    """Above the answer a delegate receives: their question, who answered and when."""
    return clip(
        tr(
            language,
            "The organisers answered your question “{question}” (answered by {moderator} "
            "on {when}):",
            question=echo(question),
            moderator=echo(moderator, 80),
            when=f"<t:{int(answered_at)}:f>",
        ),
        CONTENT_LIMIT,
    )


def handoff_closed_text(question: str, moderator: str, reason: str, language: str = "en") -> str:
    """What a delegate receives when a moderator closes their question ("Not for the FAQ")."""
    text = tr(
        language,
        "The moderators looked at your question “{question}” and will not answer it in the "
        "FAQ ({moderator}).",
        question=echo(question),
        moderator=echo(moderator, 80),
    )
    if reason.strip():
        text += " " + tr(language, "Their note: {note}", note=echo(reason, 300))
    return clip(text, CONTENT_LIMIT)


def handoff_channel_text(user_id: int, text: str, language: str = "en") -> str:
    """The channel reply when the delegate's DMs are closed: it pings them, and only them."""
    closed = tr(language, "(your direct messages are closed)")
    return clip(f"<@{user_id}> {closed} {text}", CONTENT_LIMIT)


HANDOFF_ANSWER_TITLE = N_("Answer from the organisers")
HANDOFF_ANSWERED_BY = N_("Answered by {moderator}")
"""The footer of a moderator's answer as the delegate receives it."""
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
