"""The answer card, in one module because it is recursive: an answer (embeds from
`bot.ui.embeds`) with its buttons (link, calendar, votes, related questions), where a
related-question button answers with another card. Also the flows that send cards: answering
an interaction (`answer_interaction`) or a message (`answer_message`), and what each button
does when clicked.

custom_id formats (each <= 100 characters; entry ids are slugs of <= 60):

- `faq:answer:<entry_id>:<lang>`                       answer that entry (did-you-mean, related)
- `faq:vote:<up|down>:<entry_id>:<faq_version>:<lang>`  "Helpful" / "Not helpful"
- `faq:ics:<entry_id>:<lang>`                          the entry's event as an .ics file

`:<lang>` is the language of the answer the button is on ("fr", "es"), so a click answers
in it, also after a restart; without it (English answers, older buttons) English.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord

from bot.engine.index import FaqIndex
from bot.engine.models import Answer, Candidate, FaqEntry, Outcome
from bot.engine.multilingual import LocalizedAnswer
from bot.i18n import ENGLISH, N_, faq_language, note_text, speaks_line, tr
from bot.services.events import QuestionEvent, QuestionSource
from bot.ui import embeds, texts
from bot.ui.calendar import event_ics, ics_filename
from bot.ui.items import AnyInteraction, GuardedItem, ItemClass, finished, label_of, new_view
from bot.ui.limits import BUTTON_LABEL_LIMIT, CONTENT_LIMIT
from bot.ui.pipeline import check_cooldown
from bot.ui.reply import Attachment, Reply, reply_to, say, send
from bot.ui.text import clip

if TYPE_CHECKING:
    from bot.client.faqbot import FaqBot

log = logging.getLogger(__name__)

Interaction = discord.Interaction["FaqBot"]
Button = discord.ui.Button[discord.ui.View]

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
VERSION = r"[0-9A-Za-z]{1,24}"
LANG = r"(?::(?P<lang>[a-z]{2,3}))?"


def language_suffix(language: str) -> str:
    """`:fr` at the end of a custom_id; nothing for English."""
    return "" if language == ENGLISH else f":{language}"


ANSWER_PREFIX = "faq:answer:"
VOTE_PREFIX = "faq:vote:"
CALENDAR_PREFIX = "faq:ics:"
MAX_FOLLOW_UPS = 3
HELPFUL_LABEL = N_("Helpful")
NOT_HELPFUL_LABEL = N_("Not helpful")
CALENDAR_LABEL = N_("Add to calendar")
OPEN_LINK_LABEL = N_("Open link")
CALENDAR_FILE_DESCRIPTION = N_("The meeting as a calendar event")
COOLDOWN_REACTION = "⏳"
"""Added to a message whose author was already told about the cooldown."""


# --- the card's buttons --------------------------------------------------------------------


class AnswerButton(
    GuardedItem,
    discord.ui.DynamicItem[Button],
    template=rf"faq:answer:(?P<entry_id>{SLUG}){LANG}",
):
    """Answers one entry: did-you-mean choices and related questions."""

    where = "answer button"

    def __init__(
        self,
        entry_id: str,
        *,
        label: str = "Answer",
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        row: int | None = None,
        language: str = ENGLISH,
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=clip(label, BUTTON_LABEL_LIMIT),
                style=style,
                custom_id=f"{ANSWER_PREFIX}{entry_id}{language_suffix(language)}",
                row=row,
            )
        )
        self.entry_id = entry_id
        self.language = language

    @classmethod
    async def from_custom_id(
        cls, interaction: AnyInteraction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AnswerButton:
        language = match["lang"] or ENGLISH
        return cls(match["entry_id"], label=label_of(item, "Answer"), language=language)

    async def handle(self, interaction: Interaction) -> None:
        """Answer that entry, privately if the button was."""
        await answer_interaction(
            interaction,
            source=QuestionSource.BUTTON,
            entry_id=self.entry_id,
            private=host_is_ephemeral(interaction),
            language=self.language,
        )


class VoteButton(
    GuardedItem,
    discord.ui.DynamicItem[Button],
    template=rf"faq:vote:(?P<kind>up|down):(?P<entry_id>{SLUG}):(?P<version>{VERSION}){LANG}",
):
    """The "Helpful" / "Not helpful" buttons of an answer, for one entry and FAQ version."""

    where = "vote button"

    def __init__(
        self,
        helpful: bool,
        entry_id: str,
        faq_version: str,
        *,
        row: int | None = None,
        language: str = ENGLISH,
    ) -> None:
        kind = "up" if helpful else "down"
        label = HELPFUL_LABEL if helpful else NOT_HELPFUL_LABEL
        super().__init__(
            discord.ui.Button(
                label=tr(language, label),
                emoji="👍" if helpful else "👎",
                style=discord.ButtonStyle.secondary,
                custom_id=(
                    f"{VOTE_PREFIX}{kind}:{entry_id}:{faq_version or 'unknown'}"
                    + language_suffix(language)
                ),
                row=row,
            )
        )
        self.helpful = helpful
        self.entry_id = entry_id
        self.faq_version = faq_version
        self.language = language

    @classmethod
    async def from_custom_id(
        cls, interaction: AnyInteraction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> VoteButton:
        language = match["lang"] or ENGLISH
        return cls(match["kind"] == "up", match["entry_id"], match["version"], language=language)

    async def handle(self, interaction: Interaction) -> None:
        """Thank the voter at once, then record the vote (a store failure is logged and the
        moderators are told; the voter is not bothered with it)."""
        bot = interaction.client
        if not await check_cooldown(interaction, bot.vote_cooldown):
            return
        await say(interaction, tr(self.language, texts.VOTE_THANKS))
        store = bot.store
        kind = "up" if self.helpful else "down"
        if store is None:
            log.info(
                "vote %s on %s (%s) not recorded: no store", kind, self.entry_id, self.faq_version
            )
            return
        try:
            await store.record_vote(
                entry_id=self.entry_id,
                faq_version=self.faq_version,
                helpful=self.helpful,
                voter=interaction.user.id,
            )
        except Exception as exc:
            log.exception("could not record a vote %s on %s", kind, self.entry_id)
            bot.count_error("store")
            await bot.alert_moderators(
                f"vote:{type(exc).__name__}",
                f"⚠️ votes cannot be saved ({type(exc).__name__}); see the bot's log.",
            )


class CalendarButton(
    GuardedItem,
    discord.ui.DynamicItem[Button],
    template=rf"faq:ics:(?P<entry_id>{SLUG}){LANG}",
):
    """Sends the entry's dates as an .ics file, privately."""

    where = "calendar button"

    def __init__(self, entry_id: str, *, row: int | None = None, language: str = ENGLISH) -> None:
        super().__init__(
            discord.ui.Button(
                label=tr(language, CALENDAR_LABEL),
                emoji="📅",
                style=discord.ButtonStyle.secondary,
                custom_id=f"{CALENDAR_PREFIX}{entry_id}{language_suffix(language)}",
                row=row,
            )
        )
        self.entry_id = entry_id
        self.language = language

    @classmethod
    async def from_custom_id(
        cls, interaction: AnyInteraction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> CalendarButton:
        return cls(match["entry_id"], language=match["lang"] or ENGLISH)

    async def handle(self, interaction: Interaction) -> None:
        index = interaction.client.knowledge.languages.index_in(self.language)
        entry = index.entry(self.entry_id)
        if entry is None or entry.event is None:
            await say(interaction, tr(self.language, texts.MISSING_ENTRY_TEXT))
            return
        attachment = Attachment(ics_filename(entry, index.faq), event_ics(entry, index.faq))
        content = tr(self.language, texts.CALENDAR_TEXT)
        await send(interaction, Reply(content=content, attachments=(attachment,), ephemeral=True))


CARD_ITEMS: tuple[ItemClass, ...] = (AnswerButton, VoteButton, CalendarButton)
"""Registered by the ask cog (the answer feature); every cog that answers sends them."""


# --- building the card ---------------------------------------------------------------------


def add_answer_items(
    view: discord.ui.View,
    entry: FaqEntry,
    faq_version: str,
    follow_ups: Sequence[FaqEntry],
    *,
    calendar: bool = True,
    language: str = ENGLISH,
) -> None:
    """Row 0: link, calendar, votes. Row 1: up to 3 related questions."""
    if entry.link:
        view.add_item(
            discord.ui.Button(
                label=clip(entry.link_label or tr(language, OPEN_LINK_LABEL), BUTTON_LABEL_LIMIT),
                url=entry.link,
                row=0,
            )
        )
    if calendar and entry.event is not None:
        view.add_item(CalendarButton(entry.id, row=0, language=language))
    view.add_item(VoteButton(True, entry.id, faq_version, row=0, language=language))
    view.add_item(VoteButton(False, entry.id, faq_version, row=0, language=language))
    for other in follow_ups[:MAX_FOLLOW_UPS]:
        view.add_item(AnswerButton(other.id, label=other.question, row=1, language=language))


def answer_view(
    entry: FaqEntry,
    faq_version: str,
    follow_ups: Sequence[FaqEntry],
    *,
    calendar: bool = True,
    language: str = ENGLISH,
) -> discord.ui.View:
    view = new_view()
    add_answer_items(view, entry, faq_version, follow_ups, calendar=calendar, language=language)
    return finished(view)


def choices_view(entries: Sequence[FaqEntry], language: str = ENGLISH) -> discord.ui.View | None:
    """Did-you-mean (or hint) buttons: up to 3, one per entry."""
    if not entries:
        return None
    view = new_view()
    for entry in entries[:MAX_FOLLOW_UPS]:
        view.add_item(
            AnswerButton(
                entry.id,
                label=entry.question,
                style=discord.ButtonStyle.primary,
                row=0,
                language=language,
            )
        )
    return finished(view)


def follow_ups(
    entry: FaqEntry, index: FaqIndex, alternatives: Sequence[Candidate] = ()
) -> list[FaqEntry]:
    """Up to 3 questions to offer next: the entry's `related`, else the engine's runners-up,
    else the other questions of the entry's topic."""
    ids = list(entry.related) or [c.entry.id for c in alternatives]
    if not ids:
        topic = index.faq.topic(entry.topic)
        ids = list(topic.entry_ids) if topic is not None else []
    found: list[FaqEntry] = []
    for entry_id in ids:
        other = index.entry(entry_id)
        if other is not None and other.id != entry.id and other not in found:
            found.append(other)
    return found[:MAX_FOLLOW_UPS]


def entry_reply(
    entry: FaqEntry,
    index: FaqIndex,
    *,
    alternatives: Sequence[Candidate] = (),
    ephemeral: bool = False,
    content: str | None = None,
    calendar_file: bool = False,
) -> Reply:
    """An answer card: embed(s), link/calendar/vote buttons, related questions, all in the
    language of `index`'s FAQ."""
    faq = index.faq
    language = faq_language(faq)
    attachments: tuple[Attachment, ...] = ()
    if calendar_file and entry.event is not None:
        attachments = (
            Attachment(
                ics_filename(entry, faq),
                event_ics(entry, faq),
                description=tr(language, CALENDAR_FILE_DESCRIPTION),
            ),
        )
    return Reply(
        content=clip(content, CONTENT_LIMIT) if content else None,
        embeds=tuple(embeds.answer_embeds(entry, faq)),
        view=answer_view(
            entry,
            faq.version,
            follow_ups(entry, index, alternatives),
            calendar=not attachments,
            language=language,
        ),
        attachments=attachments,
        ephemeral=ephemeral,
    )


def miss_reply(
    answer: Answer,
    index: FaqIndex,
    *,
    public: bool,
    asked_in: str | None = None,
    languages: Sequence[str] = (ENGLISH,),
) -> Reply:
    """Did-you-mean (public unless asked privately) or a polite decline (always private).
    `asked_in`: the question's language when the FAQ is not written in it; the reply then
    starts with a line in it (which languages the bot speaks; that nothing was found)."""
    language = faq_language(index.faq)
    choices = [c.entry for c in answer.alternatives]
    preface = ""
    if asked_in:
        preface = speaks_line(asked_in, tuple(languages)) + "\n"
        if answer.outcome is not Outcome.SUGGESTED:
            preface += tr(asked_in, texts.NOTHING_FOUND_TEXT) + "\n"
    if answer.outcome is Outcome.SUGGESTED:
        return Reply(
            content=clip(preface + texts.suggestion_text(answer.question, language), CONTENT_LIMIT),
            view=choices_view(choices, language),
            ephemeral=not public,
        )
    refused = answer.outcome is Outcome.REFUSED
    decline = texts.decline_text(
        answer.question,
        index.faq,
        refused=refused,
        hints=bool(choices) and not refused,
        language=language,
    )
    return Reply(
        content=clip(preface + decline, CONTENT_LIMIT),
        view=None if refused else choices_view(choices, language),
        ephemeral=True,
    )


def host_is_ephemeral(interaction: Interaction) -> bool:
    message = interaction.message
    return bool(message is not None and message.flags.ephemeral)


# --- sending cards -------------------------------------------------------------------------


def preferred_language(interaction: Interaction) -> str:
    """The FAQ language of the user's Discord client, else of the server, else English."""
    languages = interaction.client.knowledge.languages
    return (
        languages.language_of(str(interaction.locale))
        or languages.language_of(
            str(interaction.guild_locale) if interaction.guild_locale else None
        )
        or ENGLISH
    )


def reader_index(interaction: Interaction) -> FaqIndex:
    """The index of the FAQ in the user's language (see `preferred_language`)."""
    return interaction.client.knowledge.languages.index_in(preferred_language(interaction))


def _opening(reply: LocalizedAnswer, languages: Sequence[str]) -> str | None:
    """The lines above an answer card: which languages the bot speaks (to a question in
    another one), and the answer's note."""
    lines = []
    if reply.other_language:
        lines.append(speaks_line(reply.other_language, tuple(languages)))
    lines.append(note_text(reply.answer, reply.language) or "")
    return "\n".join(filter(None, lines)) or None


async def answer_interaction(
    interaction: Interaction,
    *,
    source: QuestionSource,
    question: str | None = None,
    entry_id: str | None = None,
    private: bool = False,
    content: str | None = None,
    calendar_file: bool = False,
    cooldown: bool = True,
    started: float | None = None,
    language: str | None = None,
) -> None:
    """Answer `question` (matched, in the language the rule picks) or `entry_id` (direct:
    in `language`, else the user's) in reply to an interaction."""
    started = time.perf_counter() if started is None else started
    bot = interaction.client
    if cooldown and not await check_cooldown(interaction, bot.answer_cooldown):
        return
    languages = bot.knowledge.languages
    reply: LocalizedAnswer | None = None
    answer: Answer | None = None
    entry: FaqEntry | None
    if entry_id is not None:
        index = languages.index_in(language or preferred_language(interaction))
        entry = index.entry(entry_id)
        if entry is None:
            await say(interaction, tr(faq_language(index.faq), texts.MISSING_ENTRY_TEXT))
            return
    else:
        reply = languages.answer(question or "", fallback=preferred_language(interaction))
        index = languages.index_in(reply.language)
        answer = reply.answer
        entry = answer.best.entry if answer.best is not None and answer.shows_entry else None
    lang = faq_language(index.faq)
    public = not private
    if entry is not None:
        alternatives = answer.alternatives if answer is not None else ()
        note = _opening(reply, languages.languages) if reply is not None else None
        recent = bot.recent_posts.find(interaction.channel_id, entry.id) if public else None
        if recent is not None:
            card = entry_reply(
                entry,
                index,
                alternatives=alternatives,
                ephemeral=True,
                content=texts.recent_text(recent.url, lang),
                calendar_file=calendar_file,
            )
        else:
            card = entry_reply(
                entry,
                index,
                alternatives=alternatives,
                ephemeral=not public,
                content="\n".join(filter(None, (content if public else None, note))) or None,
                calendar_file=calendar_file,
            )
        sent = await send(interaction, card)
        if sent.url is not None and interaction.guild_id is not None:
            bot.recent_posts.remember(interaction.channel_id, entry.id, sent.url)
    else:
        assert answer is not None and reply is not None
        await send(
            interaction,
            miss_reply(
                answer,
                index,
                public=public,
                asked_in=reply.other_language,
                languages=languages.languages,
            ),
        )
    where: dict[str, Any] = {
        "user_id": interaction.user.id,
        "guild_id": interaction.guild_id,
        "channel_id": interaction.channel_id,
        "latency": time.perf_counter() - started,
        "source": source,
    }
    if answer is not None:
        event = QuestionEvent.from_answer(answer, **where)
    else:
        assert entry is not None
        event = QuestionEvent.direct(entry, faq_version=index.faq.version, **where)
    await bot.on_question_answered(event)


async def answer_message(
    bot: FaqBot, message: discord.Message, text: str, *, source: QuestionSource
) -> None:
    """Answer a mention or a DM with a reply; a cooldown is told once, then a reaction."""
    started = time.perf_counter()
    verdict = bot.answer_cooldown.hit(message.author.id)
    guild_language = texts.message_language(message)
    if not verdict.allowed:
        if verdict.first_refusal:
            cooldown = texts.cooldown_text(verdict.retry_seconds, guild_language)
            await reply_to(message, Reply(content=cooldown))
        else:
            with contextlib.suppress(discord.HTTPException):
                await message.add_reaction(COOLDOWN_REACTION)
        return
    languages = bot.knowledge.languages
    guild_locale = str(message.guild.preferred_locale) if message.guild else None
    reply = languages.answer(text, fallback=languages.language_of(guild_locale) or ENGLISH)
    index = languages.index_in(reply.language)
    answer = reply.answer
    lang = reply.language
    guild_id = message.guild.id if message.guild else None
    if answer.shows_entry and answer.best is not None:
        entry = answer.best.entry
        recent = bot.recent_posts.find(message.channel.id, entry.id) if guild_id else None
        if recent is not None:
            await reply_to(message, Reply(content=texts.recent_text(recent.url, lang)))
        else:
            sent = await reply_to(
                message,
                entry_reply(
                    entry,
                    index,
                    alternatives=answer.alternatives,
                    content=_opening(reply, languages.languages),
                ),
            )
            if guild_id is not None:
                bot.recent_posts.remember(message.channel.id, entry.id, sent.jump_url)
    elif answer.outcome is Outcome.REFUSED:
        await reply_to(message, Reply(content=tr(lang, texts.EMPTY_MESSAGE_TEXT)))
    else:
        await reply_to(
            message,
            miss_reply(
                answer,
                index,
                public=True,
                asked_in=reply.other_language,
                languages=languages.languages,
            ),
        )
    await bot.on_question_answered(
        QuestionEvent.from_answer(
            answer,
            source=source,
            user_id=message.author.id,
            guild_id=guild_id,
            channel_id=message.channel.id,
            latency=time.perf_counter() - started,
        )
    )
