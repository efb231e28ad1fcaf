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
import dataclasses
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import discord

from bot.engine.index import FaqIndex
from bot.engine.models import Answer, Candidate, FaqEntry, Outcome
from bot.engine.multilingual import LocalizedAnswer
from bot.i18n import ENGLISH, N_, faq_language, note_text, speaks_line, tr
from bot.services.events import QuestionEvent, QuestionSource
from bot.ui import embeds, handoff, texts
from bot.ui.calendar import event_ics, ics_filename
from bot.ui.items import AnyInteraction, GuardedItem, ItemClass, finished, label_of, new_view
from bot.ui.limits import BUTTON_LABEL_LIMIT, CONTENT_LIMIT
from bot.ui.reply import Attachment, Reply, reply_to, say, send, send_direct
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
UNLIMITED_SOURCES = frozenset({QuestionSource.BUTTON, QuestionSource.CONTEXT_MENU})
"""Interactions whose public answers are not limited per channel: the bot's own buttons (the
question was asked already), and the context menu (answering someone else's message)."""
HELPFUL_LABEL = N_("Helpful")
NOT_HELPFUL_LABEL = N_("Not helpful")
CALENDAR_LABEL = N_("Add to calendar")
OPEN_LINK_LABEL = N_("Open link")
CALENDAR_FILE_DESCRIPTION = N_("The meeting as a calendar event")


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
        """Answer that entry, privately if the button was; in the card's language, but what
        only the clicker reads in theirs (see `texts.clicker_language`)."""
        await answer_interaction(
            interaction,
            source=QuestionSource.BUTTON,
            entry_id=self.entry_id,
            private=host_is_ephemeral(interaction),
            language=self.language,
            reader=texts.clicker_language(interaction, self.language),
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
        moderators are told; the voter is not bothered with it). A vote for an entry the
        FAQ no longer has is refused: nobody could act on it. The voter reads the reply in
        the card's language, or in theirs when they did not ask the question."""
        bot = interaction.client
        reader = texts.clicker_language(interaction, self.language)
        if bot.knowledge.index.entry(self.entry_id) is None:
            await say(interaction, tr(reader, texts.MISSING_ENTRY_TEXT))
            return
        await say(interaction, tr(reader, texts.VOTE_THANKS))
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
        """The file (and the line above it) in the card's language, or in the clicker's when
        they did not ask the question."""
        reader = texts.clicker_language(interaction, self.language)
        index = interaction.client.knowledge.languages.index_in(reader)
        entry = index.entry(self.entry_id)
        if entry is None:
            await say(interaction, tr(reader, texts.MISSING_ENTRY_TEXT))
            return
        if entry.event is None:
            await say(interaction, tr(reader, texts.NO_DATES_TEXT))
            return
        attachment = Attachment(ics_filename(entry, index.faq), event_ics(entry, index.faq))
        content = tr(reader, texts.CALENDAR_TEXT)
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


def choices_view(
    entries: Sequence[FaqEntry],
    ask: discord.ui.Item[Any] | None = None,
    language: str = ENGLISH,
) -> discord.ui.View | None:
    """Did-you-mean (or hint) buttons: up to 3, one per entry, answering in `language`; then
    "Ask the organisers" (`ask`, on its own row) when hand-offs are on."""
    if not entries and ask is None:
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
    if ask is not None:
        view.add_item(ask)
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
    private_decline: bool = True,
    ask: discord.ui.Item[Any] | None = None,
    asked_in: str | None = None,
    languages: Sequence[str] = (ENGLISH,),
) -> Reply:
    """Did-you-mean (public unless asked privately) or a polite decline (private for an
    interaction: `private_decline`; a reply to a mention is public either way). Only a
    private reply repeats the question. Both offer `ask` ("Ask the organisers") when given,
    a refusal never does. `asked_in`: the question's language when the FAQ is not written
    in it; the reply then starts with a line in it (which languages the bot speaks; that
    nothing was found)."""
    language = faq_language(index.faq)
    choices = [c.entry for c in answer.alternatives]
    preface = ""
    if asked_in:
        preface = speaks_line(asked_in, tuple(languages)) + "\n"
        if answer.outcome is not Outcome.SUGGESTED:
            preface += tr(asked_in, texts.NOTHING_FOUND_TEXT) + "\n"
    if answer.outcome is Outcome.SUGGESTED:
        return Reply(
            content=clip(
                preface
                + texts.suggestion_text(answer.question, quote=not public, language=language),
                CONTENT_LIMIT,
            ),
            view=choices_view(choices, ask, language),
            ephemeral=not public,
        )
    refused = answer.outcome is Outcome.REFUSED
    private = private_decline or not public
    decline = texts.decline_text(
        answer.question,
        index.faq,
        quote=private,
        refused=refused,
        hints=bool(choices) and not refused,
        language=language,
    )
    return Reply(
        content=clip(preface + decline, CONTENT_LIMIT),
        view=None if refused else choices_view(choices, ask, language),
        ephemeral=private,
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
    started: float | None = None,
    language: str | None = None,
    reader: str | None = None,
) -> None:
    """Answer `question` (matched, in the language the rule picks) or `entry_id` (direct:
    in `language`, else the user's) in reply to an interaction. `reader`: the language of
    what only the user reads (a link to the same answer posted a moment ago, an entry gone)
    when it is not the answer's (a click on someone else's card).

    Public unless `private`; past the channel's public-post limit (`bot.rate_policy`) a
    question someone asked is answered privately instead, while the bot's own buttons are
    neither counted nor limited. The context menu answers someone else's message, so it is
    always public, even when the same answer was posted a moment ago."""
    started = time.perf_counter() if started is None else started
    bot = interaction.client
    languages = bot.knowledge.languages
    localized: LocalizedAnswer | None = None
    answer: Answer | None = None
    entry: FaqEntry | None
    if entry_id is not None:
        index = languages.index_in(language or preferred_language(interaction))
        entry = index.entry(entry_id)
        if entry is None:
            missing = tr(reader or faq_language(index.faq), texts.MISSING_ENTRY_TEXT)
            await say(interaction, missing)
            return
    else:
        localized = languages.answer(question or "", fallback=preferred_language(interaction))
        index = languages.index_in(localized.language)
        answer = localized.answer
        entry = answer.best.entry if answer.best is not None and answer.shows_entry else None
    lang = faq_language(index.faq)
    public = not private
    in_guild = interaction.guild_id is not None
    answers_a_message = source is QuestionSource.CONTEXT_MENU
    limited = public and in_guild and source not in UNLIMITED_SOURCES

    def may_post_publicly() -> bool:
        return not limited or bot.rate_policy.claim_public_post(
            interaction.user.id, interaction.channel_id
        )

    where: dict[str, Any] = {
        "user_id": interaction.user.id,
        "guild_id": interaction.guild_id,
        "channel_id": interaction.channel_id,
        "latency": 0.0,
        "source": source,
    }
    if answer is not None:
        event = QuestionEvent.from_answer(answer, **where)
    else:
        assert entry is not None
        event = QuestionEvent.direct(entry, faq_version=index.faq.version, **where)
    bot.record_miss(event)  # before the reply: one that fails (429, 5xx, too late) loses nothing
    try:
        if entry is not None:
            alternatives = answer.alternatives if answer is not None else ()
            opening = _opening(localized, languages.languages) if localized is not None else None
            recent = (
                bot.recent_posts.find(interaction.channel_id, entry.id)
                if public and not answers_a_message
                else None
            )
            if recent is not None:
                # Only the user reads it: in their language, where the FAQ has the entry.
                own = languages.index_in(reader) if reader else index
                own_entry = own.entry(entry.id)
                shown, shown_entry = (own, own_entry) if own_entry is not None else (index, entry)
                reply = entry_reply(
                    shown_entry,
                    shown,
                    alternatives=alternatives,
                    ephemeral=True,
                    content=texts.recent_text(recent.url, reader or lang),
                    calendar_file=calendar_file,
                )
            else:
                lead = content if public else None
                if public and not may_post_publicly():
                    public, lead = False, tr(lang, texts.PRIVATE_ANSWER_TEXT)
                reply = entry_reply(
                    entry,
                    index,
                    alternatives=alternatives,
                    ephemeral=not public,
                    content="\n".join(filter(None, (lead, opening))) or None,
                    calendar_file=calendar_file,
                )
            sent = await send(interaction, reply)
            if sent.url is not None and sent.message_id is not None and in_guild:
                bot.recent_posts.remember(
                    interaction.channel_id, entry.id, sent.message_id, sent.url
                )
        else:
            assert answer is not None and localized is not None
            if public and answer.outcome is Outcome.SUGGESTED and not may_post_publicly():
                public = False
            declined = answer.outcome is not Outcome.REFUSED
            ask = (
                handoff.ask_button(bot, answer.question, row=1, language=lang) if declined else None
            )
            miss = miss_reply(
                answer,
                index,
                public=public,
                ask=ask,
                asked_in=localized.other_language,
                languages=languages.languages,
            )
            await send(interaction, miss)
    finally:
        latency = time.perf_counter() - started
        await bot.on_question_answered(dataclasses.replace(event, latency=latency))


async def answer_message(
    bot: FaqBot, message: discord.Message, text: str, *, source: QuestionSource
) -> None:
    """Answer a mention or a DM with a reply (past the channel's public-post limit: by DM)."""
    started = time.perf_counter()
    languages = bot.knowledge.languages
    guild_locale = str(message.guild.preferred_locale) if message.guild else None
    localized = languages.answer(text, fallback=languages.language_of(guild_locale) or ENGLISH)
    index = languages.index_in(localized.language)
    answer = localized.answer
    lang = localized.language
    guild_id = message.guild.id if message.guild else None
    channel_id = message.channel.id
    event = QuestionEvent.from_answer(
        answer,
        source=source,
        user_id=message.author.id,
        guild_id=guild_id,
        channel_id=channel_id,
        latency=0.0,
    )
    bot.record_miss(event)  # before the reply: one that fails (429, 502) loses nothing
    try:
        if answer.shows_entry and answer.best is not None:
            entry = answer.best.entry
            recent = bot.recent_posts.find(channel_id, entry.id) if guild_id else None
            if recent is not None:
                await reply_to(message, Reply(content=texts.recent_text(recent.url, lang)))
            else:
                opening = _opening(localized, languages.languages)
                reply = entry_reply(entry, index, alternatives=answer.alternatives, content=opening)
                sent = await deliver(bot, message, reply, lang)
                if sent is not None and guild_id is not None and sent.channel.id == channel_id:
                    bot.recent_posts.remember(channel_id, entry.id, sent.id, sent.jump_url)
        elif answer.outcome is Outcome.REFUSED:
            empty = texts.EMPTY_MESSAGE_TEXT if guild_id is not None else texts.EMPTY_DM_TEXT
            await reply_to(message, Reply(content=tr(lang, empty)))
        else:
            public = guild_id is not None
            ask = handoff.ask_button(bot, text, row=1, language=lang)
            miss = miss_reply(
                answer,
                index,
                public=public,
                private_decline=False,
                ask=ask,
                asked_in=localized.other_language,
                languages=languages.languages,
            )
            await deliver(bot, message, miss, lang)
    finally:
        latency = time.perf_counter() - started
        await bot.on_question_answered(dataclasses.replace(event, latency=latency))


async def deliver(
    bot: FaqBot, message: discord.Message, reply: Reply, language: str = ENGLISH
) -> discord.Message | None:
    """Reply to a mention in its channel; past the channel's public-post limit, by direct
    message instead, with a 📬 on the question (or, when the asker takes no direct messages,
    one short public reply saying how to get the answer). The message the answer is in, or
    None when it could not be sent. Our own lines are written in `language`."""
    if message.guild is None or bot.rate_policy.claim_public_post(
        message.author.id, message.channel.id
    ):
        return await reply_to(message, reply)
    note = texts.dm_answer_text(message.jump_url, language)
    direct = replace(reply, content=f"{note}\n{reply.content}" if reply.content else note)
    try:
        sent = await send_direct(message.author, direct)
    except discord.HTTPException as exc:
        log.info("answer by DM refused (%s): pointing the asker to /ask", exc)
        await reply_to(message, Reply(content=tr(language, texts.DMS_CLOSED_TEXT)))
        return None
    with contextlib.suppress(discord.HTTPException):
        await message.add_reaction(texts.DM_ANSWER_SENT_REACTION)
    return sent
