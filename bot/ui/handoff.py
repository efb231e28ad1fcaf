""" "Ask the organisers": a delegate hands a question the FAQ could not answer to the
moderators, and their answer is brought back to everyone who asked it.

1. `AskOrganisersButton` (on declines and did-you-mean, when HANDOFF_CHANNEL_ID is set) opens
   `AskForm` (the question filled in, editable; an optional context line).
2. `submit_question`: the store opens a hand-off (or merges it into the open one with the same
   question, or refuses past HANDOFF_MAX_OPEN_PER_USER), the card is posted in the hand-off
   channel (with a thread when the bot may create one), the delegate is told privately.
3. On the card, moderators only (`bot.ui.access`): *Answer* (`AnswerForm`), *Answer with an FAQ
   entry* (`EntryPick`, the closest entries first) and *Not for the FAQ* (`CloseForm`, optional
   reason). Each delegate gets the outcome by DM, else as a reply in the channel where they
   asked that pings them and nobody else, in their language (the reply they pressed the
   button on, kept with the hand-off); then their user id is erased. The card then says who
   answered and when, and offers *Add to the FAQ* (`DraftButton`: the entry as YAML, citing
   the moderator's answer as its source).
4. `remind_due`: a hand-off open longer than HANDOFF_REMIND_AFTER_HOURS is reminded once, in
   its thread (or under its card).

custom_id formats (<= 100 characters; the state is in SQLite, ids carry row ids):
- `faq:handoff:ask:<token>:<lang>` the delegate's button (the token names the question in
                                   memory, `PendingQuestions`; `<lang>` is the language of
                                   the reply it is on, which the delegate then reads)
- `mod:handoff:<answer|entry|close|draft>:<hand-off id>`  the card's buttons
- `mod:handoff:pick:<hand-off id>` the FAQ entry menu
Forms (modals) are not persistent: `faq:handoff:form`, `mod:handoff:<answer|close>-form:<id>`.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

import discord

from bot.engine.index import FaqIndex
from bot.engine.multilingual import MultilingualIndex
from bot.i18n import ENGLISH, language_names, tr
from bot.services.handoffs import (
    MAX_CLOSE_REASON,
    MAX_HANDOFF_ANSWER,
    MAX_HANDOFF_CONTEXT,
    MAX_HANDOFF_QUESTION,
    Delivery,
    Handoff,
    HandoffStatus,
    OpenResult,
    entry_draft,
)
from bot.ui import embeds, pipeline, texts
from bot.ui.access import admitted
from bot.ui.items import AnyInteraction, GuardedItem, ItemClass, finished, new_view, ours
from bot.ui.limits import (
    COLOUR,
    COLOUR_MUTED,
    COLOUR_OK,
    CONTENT_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    NO_MENTIONS,
    SELECT_DESCRIPTION_LIMIT,
    SELECT_LABEL_LIMIT,
    SELECT_OPTIONS_LIMIT,
    THREAD_NAME_LIMIT,
)
from bot.ui.reply import Reply, jump_url, say, send
from bot.ui.text import clip, echo

if TYPE_CHECKING:
    from bot.client.faqbot import FaqBot

log = logging.getLogger(__name__)

Interaction = discord.Interaction["FaqBot"]
Button = discord.ui.Button[discord.ui.View]
Select = discord.ui.Select[discord.ui.View]

ASK_PREFIX = "faq:handoff:ask:"
FORM_ID = "faq:handoff:form"
CARD_PREFIX = "mod:handoff:"
QUESTION_INPUT = "question"
CONTEXT_INPUT = "context"
ANSWER_INPUT = "answer"
REASON_INPUT = "reason"
CARD_QUESTION_SHOWN = 1000
"""Characters of the question shown on a card (the store keeps up to 500, the form 300)."""
THREAD_ARCHIVE_MINUTES: Literal[1440] = 1440
"""A card's thread archives after a day without messages (Discord reopens it on a reply)."""


def enabled(bot: FaqBot) -> bool:
    """Whether declines offer "Ask the organisers": HANDOFF_CHANNEL_ID is set."""
    return bot.settings.handoff_channel_id is not None


# --- the delegate's side -------------------------------------------------------------------


class AskOrganisersButton(
    GuardedItem,
    discord.ui.DynamicItem[Button],
    template=r"faq:handoff:ask:(?P<token>[A-Za-z0-9_-]{1,24})(?::(?P<lang>[a-z]{2,3}))?",
):
    """Opens the form to hand the question to the moderators, in the language of the reply
    the button is on (`language`; None for a button from before it was kept)."""

    where = "ask the organisers button"

    def __init__(
        self, token: str, *, row: int | None = None, language: str | None = ENGLISH
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=tr(language, texts.ASK_ORGANISERS_LABEL),
                emoji="🙋",
                style=discord.ButtonStyle.secondary,
                custom_id=f"{ASK_PREFIX}{token}" + (f":{language}" if language else ""),
                row=row,
            )
        )
        self.token = token
        self.language = language

    @classmethod
    async def from_custom_id(
        cls, interaction: AnyInteraction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AskOrganisersButton:
        return cls(match["token"], language=match["lang"])

    async def handle(self, interaction: Interaction) -> None:
        """The delegate reads everything of their hand-off in the reply's language (someone
        else pressing it, in their own)."""
        bot = interaction.client
        language = texts.clicker_language(interaction, self.language)
        if not enabled(bot) or bot.store is None:
            await say(interaction, tr(language, texts.HANDOFF_UNAVAILABLE_TEXT))
            return
        question = bot.pending_questions.question(self.token)
        await interaction.response.send_modal(AskForm(question, language=language))


def ask_button(
    bot: FaqBot, question: str, *, row: int | None = None, language: str = "en"
) -> AskOrganisersButton | None:
    """The "Ask the organisers" button for a declined question, when hand-offs are on,
    labelled in the reply's language."""
    if not enabled(bot):
        return None
    token = bot.pending_questions.remember(question)
    return AskOrganisersButton(token, row=row, language=language)


class _Form(discord.ui.Modal):
    """A modal whose submission goes through the pipeline like every item."""

    where = "form"

    async def interaction_check(self, interaction: AnyInteraction, /) -> bool:
        return await pipeline.admit(ours(interaction))

    async def on_submit(self, interaction: AnyInteraction, /) -> None:
        await pipeline.run_guarded(ours(interaction), self.handle, where=self.where)

    async def handle(self, interaction: Interaction) -> None:
        raise NotImplementedError


class AskForm(_Form, title=texts.HANDOFF_FORM_TITLE):
    where = "ask the organisers form"

    def __init__(self, question: str, *, language: str = ENGLISH) -> None:
        super().__init__(
            title=tr(language, texts.HANDOFF_FORM_TITLE), custom_id=FORM_ID, timeout=None
        )
        self.language = language
        self.question: discord.ui.TextInput[AskForm] = discord.ui.TextInput(
            custom_id=QUESTION_INPUT,
            style=discord.TextStyle.paragraph,
            default=" ".join(question.split())[:MAX_HANDOFF_QUESTION] or None,
            min_length=3,
            max_length=MAX_HANDOFF_QUESTION,
        )
        self.context: discord.ui.TextInput[AskForm] = discord.ui.TextInput(
            custom_id=CONTEXT_INPUT,
            placeholder=tr(language, texts.HANDOFF_CONTEXT_PLACEHOLDER),
            required=False,
            max_length=MAX_HANDOFF_CONTEXT,
        )
        question_label = tr(language, texts.HANDOFF_QUESTION_LABEL)
        context_label = tr(language, texts.HANDOFF_CONTEXT_LABEL)
        self.add_item(discord.ui.Label(text=question_label, component=self.question))
        self.add_item(discord.ui.Label(text=context_label, component=self.context))

    async def handle(self, interaction: Interaction) -> None:
        await submit_question(
            interaction, self.question.value, self.context.value or "", self.language
        )


async def submit_question(
    interaction: Interaction, question: str, context: str, language: str
) -> None:
    """Open (or join) a hand-off for the delegate, who reads it in `language`, and post (or
    refresh) its card."""
    bot = interaction.client
    store = bot.store
    question = " ".join(question.split())
    if not enabled(bot) or store is None:
        await say(interaction, tr(language, texts.HANDOFF_UNAVAILABLE_TEXT))
        return
    if len(question) < 3:
        await say(interaction, tr(language, texts.HANDOFF_EMPTY_TEXT))
        return
    await interaction.response.defer(ephemeral=True, thinking=True)
    index = bot.knowledge.index
    opened = await store.open_handoff(
        question=question,
        context=context,
        user_id=interaction.user.id,
        guild_id=interaction.guild_id,
        channel_id=interaction.channel_id,
        candidates=[c.entry.id for c in index.rank(question, limit=3)],
        max_open_per_user=bot.settings.handoff_max_open_per_user,
        language=language,
    )
    handoff = opened.handoff
    if opened.result is OpenResult.TOO_MANY:
        limit = bot.settings.handoff_max_open_per_user
        await say(interaction, texts.handoff_too_many_text(limit, language))
        return
    if opened.result is OpenResult.ALREADY_ASKED:
        await say(interaction, tr(language, texts.HANDOFF_ALREADY_TEXT))
        return
    assert handoff is not None
    if opened.result is OpenResult.OPENED:
        if bot.metrics is not None:
            bot.metrics.handoff_opened()
        await post_card(bot, handoff)
    else:
        await refresh_card(bot, handoff)
    log.info("hand-off %d %s (%d asker(s))", handoff.id, opened.result.value, len(handoff.askers))
    merged = opened.result is OpenResult.MERGED
    await say(interaction, texts.handoff_sent_text(merged=merged, language=language))


# --- the card ------------------------------------------------------------------------------


def card_embed(handoff: Handoff, index: FaqIndex) -> discord.Embed:
    """What moderators read: the question (escaped), context, closest entries, when and
    where it was asked, how many wait, and what became of it."""
    colour = {
        HandoffStatus.OPEN: COLOUR,
        HandoffStatus.ANSWERED: COLOUR_OK,
        HandoffStatus.CLOSED: COLOUR_MUTED,
    }[handoff.status]
    embed = discord.Embed(
        title=f"{texts.HANDOFF_CARD_TITLE} #{handoff.id}",
        description=echo(handoff.question, CARD_QUESTION_SHOWN),
        colour=colour,
    )
    if handoff.context:
        embed.add_field(name="Context", value=echo(handoff.context, 500), inline=False)
    closest = [
        f"`{entry.id}`: {echo(entry.question, 150)}"
        for entry_id in handoff.candidates
        if (entry := index.entry(entry_id)) is not None
    ]
    embed.add_field(
        name="Closest FAQ entries",
        value=clip("\n".join(closest) or "none", EMBED_FIELD_VALUE_LIMIT),
        inline=False,
    )
    where = "a direct message"
    if handoff.channel_id is not None and handoff.guild_id is not None:
        link = f"https://discord.com/channels/{handoff.guild_id}/{handoff.channel_id}"
        where = f"<#{handoff.channel_id}> ({link})"
    embed.add_field(
        name="Asked",
        value=f"<t:{int(handoff.opened_at)}:f> (<t:{int(handoff.opened_at)}:R>) in {where}",
        inline=False,
    )
    waiting = len(handoff.askers)
    asked_by = f"{waiting} delegate{'s' if waiting != 1 else ''}"
    read_in = sorted({a.language for a in handoff.askers})
    if read_in != [ENGLISH] and read_in:
        asked_by += f" (reading {language_names(tuple(read_in), ENGLISH)})"
    embed.add_field(name="Asked by", value=asked_by)
    embed.add_field(name="Status", value=_status(handoff, index), inline=False)
    embed.set_footer(text=f"Hand-off {handoff.id} · moderators only")
    return embed


def _status(handoff: Handoff, index: FaqIndex) -> str:
    if handoff.is_open:
        return "Waiting for an answer"
    when = f"<t:{int(handoff.answered_at or handoff.opened_at)}:f>"
    who = echo(handoff.moderator, 80)
    if handoff.status is HandoffStatus.CLOSED:
        note = f": {echo(handoff.reason, MAX_CLOSE_REASON)}" if handoff.reason else ""
        return f"Not for the FAQ: closed by {who} at {when}{note}"
    if handoff.entry_id is not None:
        entry = index.entry(handoff.entry_id)
        named = f"`{handoff.entry_id}`" + (f" ({echo(entry.question, 100)})" if entry else "")
        return f"Answered by {who} at {when} with the FAQ entry {named}"
    return clip(
        f"Answered by {who} at {when}:\n{handoff.answer}",
        EMBED_FIELD_VALUE_LIMIT,
    )


def card_view(handoff: Handoff) -> discord.ui.View | None:
    """Open: Answer, Answer with an FAQ entry, Not for the FAQ. Answered in words: Add to
    the FAQ. Otherwise nothing left to press."""
    view = new_view()
    if handoff.is_open:
        view.add_item(CardButton("answer", handoff.id))
        view.add_item(CardButton("entry", handoff.id))
        view.add_item(CardButton("close", handoff.id))
    elif handoff.status is HandoffStatus.ANSWERED and handoff.entry_id is None:
        view.add_item(CardButton("draft", handoff.id))
    return finished(view) if view.children else None


async def _channel(bot: FaqBot, channel_id: int) -> Any:
    return bot.get_channel(channel_id) or await bot.fetch_channel(channel_id)


async def post_card(bot: FaqBot, handoff: Handoff) -> None:
    """Post the card in HANDOFF_CHANNEL_ID, with a thread when the bot may create one. A
    failure is logged and the moderators told; the hand-off stays listed in
    `/faq-admin handoffs`."""
    channel_id = bot.settings.handoff_channel_id
    store = bot.store
    assert channel_id is not None and store is not None
    index = bot.knowledge.index
    try:
        channel = await _channel(bot, channel_id)
        view = card_view(handoff)
        message = await channel.send(
            embed=card_embed(handoff, index),
            allowed_mentions=NO_MENTIONS,
            **({"view": view} if view is not None else {}),
        )
    except (discord.HTTPException, AttributeError) as exc:
        log.error(
            "could not post hand-off %d in HANDOFF_CHANNEL_ID %s: %s", handoff.id, channel_id, exc
        )
        bot.count_error("handoff_card")
        await bot.alert_moderators(
            "handoff:card",
            f"⚠️ a question for the organisers could not be posted in <#{channel_id}> "
            f"({type(exc).__name__}); see `/faq-admin handoffs`.",
        )
        return
    thread_id = await _open_thread(message, handoff)
    await store.set_handoff_card(
        handoff.id, channel_id=message.channel.id, message_id=message.id, thread_id=thread_id
    )


async def _open_thread(message: discord.Message, handoff: Handoff) -> int | None:
    channel = message.channel
    if not isinstance(channel, discord.TextChannel):
        return None
    me = channel.guild.me
    if me is None or not channel.permissions_for(me).create_public_threads:
        return None
    try:
        thread = await message.create_thread(
            name=clip(f"#{handoff.id} {handoff.question}", THREAD_NAME_LIMIT),
            auto_archive_duration=THREAD_ARCHIVE_MINUTES,
        )
    except discord.HTTPException as exc:
        log.warning("no thread for hand-off %d: %s", handoff.id, exc)
        return None
    return thread.id


async def refresh_card(bot: FaqBot, handoff: Handoff) -> None:
    """Show the hand-off's current state on its card (never raises: the card is a view of
    the store, the store is what counts)."""
    if handoff.card_channel_id is None or handoff.card_message_id is None:
        return
    try:
        channel = await _channel(bot, handoff.card_channel_id)
        message = channel.get_partial_message(handoff.card_message_id)
        await message.edit(embed=card_embed(handoff, bot.knowledge.index), view=card_view(handoff))
    except (discord.HTTPException, AttributeError) as exc:
        log.warning("could not update the card of hand-off %d: %s", handoff.id, exc)


# --- the moderators' buttons ---------------------------------------------------------------


CARD_LABELS = {
    "answer": (texts.HANDOFF_ANSWER_LABEL, discord.ButtonStyle.primary),
    "entry": (texts.HANDOFF_ENTRY_LABEL, discord.ButtonStyle.secondary),
    "close": (texts.HANDOFF_CLOSE_LABEL, discord.ButtonStyle.danger),
    "draft": (texts.HANDOFF_DRAFT_LABEL, discord.ButtonStyle.success),
}


class CardButton(
    GuardedItem,
    discord.ui.DynamicItem[Button],
    template=r"mod:handoff:(?P<action>answer|entry|close|draft):(?P<id>[0-9]{1,18})",
):
    """A button of a hand-off card; moderators only."""

    where = "hand-off card button"

    def __init__(self, action: str, handoff_id: int) -> None:
        label, style = CARD_LABELS[action]
        super().__init__(
            discord.ui.Button(
                label=label, style=style, custom_id=f"{CARD_PREFIX}{action}:{handoff_id}"
            )
        )
        self.action = action
        self.handoff_id = handoff_id

    @classmethod
    async def from_custom_id(
        cls, interaction: AnyInteraction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> CardButton:
        return cls(match["action"], int(match["id"]))

    async def handle(self, interaction: Interaction) -> None:
        if not await admitted(interaction, f"hand-off {self.action}"):
            return
        handoff = await _current(interaction, self.handoff_id, open_only=self.action != "draft")
        if handoff is None:
            return
        if self.action == "answer":
            await interaction.response.send_modal(AnswerForm(handoff.id))
        elif self.action == "close":
            await interaction.response.send_modal(CloseForm(handoff.id))
        elif self.action == "entry":
            await send(interaction, _pick_reply(handoff, interaction.client.knowledge.index))
        else:
            draft = "\n".join(entry_draft(handoff))
            await send(interaction, Reply(content=texts.handoff_draft_text(draft), ephemeral=True))


async def _current(interaction: Interaction, handoff_id: int, *, open_only: bool) -> Handoff | None:
    """The hand-off from the store, or None after telling the moderator why not."""
    store = interaction.client.store
    handoff = await store.handoff(handoff_id) if store is not None else None
    if handoff is None:
        await say(interaction, texts.HANDOFF_GONE_TEXT)
        return None
    if open_only and not handoff.is_open:
        await say(
            interaction,
            texts.handoff_done_text(handoff.moderator, handoff.answered_at or handoff.opened_at),
        )
        return None
    return handoff


def _pick_reply(handoff: Handoff, index: FaqIndex) -> Reply:
    """A private menu of FAQ entries, the closest to the question first."""
    ranked = [c.entry for c in index.rank(handoff.question, limit=SELECT_OPTIONS_LIMIT)]
    entries = list(dict.fromkeys([*ranked, *index.faq.entries]))[:SELECT_OPTIONS_LIMIT]
    view = new_view()
    view.add_item(EntryPick(handoff.id, entries))
    return Reply(content=texts.HANDOFF_PICK_TEXT, view=finished(view), ephemeral=True)


class EntryPick(
    GuardedItem,
    discord.ui.DynamicItem[Select],
    template=r"mod:handoff:pick:(?P<id>[0-9]{1,18})",
):
    """Answers a hand-off with the FAQ entry chosen; moderators only."""

    where = "hand-off entry menu"

    def __init__(self, handoff_id: int, entries: Sequence[Any] = ()) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=f"{CARD_PREFIX}pick:{handoff_id}",
                placeholder=texts.HANDOFF_PICK_PLACEHOLDER,
                options=[
                    discord.SelectOption(
                        label=clip(entry.question, SELECT_LABEL_LIMIT),
                        value=entry.id,
                        description=clip(entry.id, SELECT_DESCRIPTION_LIMIT),
                    )
                    for entry in entries
                ]
                or [discord.SelectOption(label="-", value="-")],
            )
        )
        self.handoff_id = handoff_id

    @classmethod
    async def from_custom_id(
        cls, interaction: AnyInteraction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> EntryPick:
        return cls(int(match["id"]))

    async def handle(self, interaction: Interaction) -> None:
        if not await admitted(interaction, "hand-off entry menu"):
            return
        values = self.item.values
        entry = interaction.client.knowledge.index.entry(values[0]) if values else None
        if entry is None:
            await say(interaction, texts.MISSING_ENTRY_TEXT)
            return
        await finish(
            interaction,
            self.handoff_id,
            status=HandoffStatus.ANSWERED,
            answer=entry.answer,
            entry_id=entry.id,
        )


class AnswerForm(_Form, title=texts.HANDOFF_ANSWER_FORM_TITLE):
    where = "hand-off answer form"

    def __init__(self, handoff_id: int) -> None:
        super().__init__(custom_id=f"{CARD_PREFIX}answer-form:{handoff_id}", timeout=None)
        self.handoff_id = handoff_id
        self.answer: discord.ui.TextInput[AnswerForm] = discord.ui.TextInput(
            custom_id=ANSWER_INPUT,
            style=discord.TextStyle.paragraph,
            max_length=MAX_HANDOFF_ANSWER,
        )
        self.add_item(discord.ui.Label(text=texts.HANDOFF_ANSWER_FIELD, component=self.answer))

    async def handle(self, interaction: Interaction) -> None:
        if not await admitted(interaction, "hand-off answer"):
            return
        if not self.answer.value.strip():
            await say(interaction, texts.HANDOFF_NO_ANSWER_TEXT)
            return
        await finish(
            interaction, self.handoff_id, status=HandoffStatus.ANSWERED, answer=self.answer.value
        )


class CloseForm(_Form, title=texts.HANDOFF_CLOSE_FORM_TITLE):
    where = "hand-off close form"

    def __init__(self, handoff_id: int) -> None:
        super().__init__(custom_id=f"{CARD_PREFIX}close-form:{handoff_id}", timeout=None)
        self.handoff_id = handoff_id
        self.reason: discord.ui.TextInput[CloseForm] = discord.ui.TextInput(
            custom_id=REASON_INPUT,
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=MAX_CLOSE_REASON,
        )
        self.add_item(discord.ui.Label(text=texts.HANDOFF_REASON_FIELD, component=self.reason))

    async def handle(self, interaction: Interaction) -> None:
        if not await admitted(interaction, "hand-off close"):
            return
        await finish(
            interaction, self.handoff_id, status=HandoffStatus.CLOSED, reason=self.reason.value
        )


HANDOFF_ITEMS: tuple[ItemClass, ...] = (AskOrganisersButton, CardButton, EntryPick)
"""Registered by the hand-off cog."""


# --- answering -----------------------------------------------------------------------------


async def finish(
    interaction: Interaction,
    handoff_id: int,
    *,
    status: HandoffStatus,
    answer: str = "",
    entry_id: str | None = None,
    reason: str = "",
) -> None:
    """Answer or close the hand-off (once: a second moderator is told who was first), bring
    the outcome to every asker, update the card, and tell the moderator how it went."""
    bot = interaction.client
    store = bot.store
    if store is None:
        await say(interaction, texts.HANDOFF_UNAVAILABLE_TEXT)
        return
    await interaction.response.defer(ephemeral=True, thinking=True)
    moderator = interaction.user.display_name
    done = await store.finish_handoff(
        handoff_id,
        status=status,
        moderator=moderator,
        answer=answer,
        entry_id=entry_id,
        reason=reason,
    )
    if done is None:
        await _current(interaction, handoff_id, open_only=True)
        return
    log.info("hand-off %d %s by %s (%s)", done.id, status.value, moderator, interaction.user.id)
    counts = await deliver(bot, done)
    await refresh_card(bot, done)
    if status is HandoffStatus.ANSWERED and bot.metrics is not None:
        median = await store.handoff_median_seconds(days=bot.settings.retention_days)
        bot.metrics.handoff_answered(done.seconds_to_answer or 0.0, median)
    await say(
        interaction,
        texts.handoff_delivered_text(
            counts.get(Delivery.DM, 0),
            counts.get(Delivery.CHANNEL, 0),
            counts.get(Delivery.FAILED, 0),
        ),
    )


def outcome_reply(handoff: Handoff, languages: MultilingualIndex, language: str) -> Reply:
    """What an asker who reads `language` receives: the moderator's answer (who, when; the
    answer in the moderator's own words), the FAQ entry they chose (in that language where
    the FAQ has it), or the note that it is not for the FAQ."""
    at = handoff.answered_at or time.time()
    if handoff.status is HandoffStatus.CLOSED:
        closed = texts.handoff_closed_text(
            handoff.question, handoff.moderator, handoff.reason, language
        )
        return Reply(content=closed)
    intro = texts.handoff_answered_text(handoff.question, handoff.moderator, at, language)
    index = languages.index_in(language)
    entry = index.entry(handoff.entry_id) if handoff.entry_id is not None else None
    if entry is not None:
        return Reply(content=intro, embeds=tuple(embeds.answer_embeds(entry, index.faq)))
    embed = discord.Embed(
        title=tr(language, texts.HANDOFF_ANSWER_TITLE),
        description=clip(handoff.answer, EMBED_DESCRIPTION_LIMIT),
        colour=COLOUR,
    )
    footer = tr(language, texts.HANDOFF_ANSWERED_BY, moderator=handoff.moderator)
    embed.set_footer(text=clip(footer, 200))
    embed.timestamp = datetime.fromtimestamp(at, tz=UTC)
    return Reply(content=intro, embeds=(embed,))


async def deliver(bot: FaqBot, handoff: Handoff) -> dict[Delivery, int]:
    """Send the outcome to every asker still waiting, each in their language; record how,
    erasing their user id."""
    store = bot.store
    assert store is not None
    replies: dict[str, Reply] = {}
    counts: dict[Delivery, int] = {}
    for asker in handoff.askers:
        if asker.user_id is None or asker.delivery is not Delivery.PENDING:
            continue
        language = asker.language
        if language not in replies:
            replies[language] = outcome_reply(handoff, bot.knowledge.languages, language)
        reply = replies[language]
        how = await _deliver_one(bot, handoff, asker.user_id, asker.channel_id, reply, language)
        await store.record_delivery(handoff.id, asker.person, how)
        counts[how] = counts.get(how, 0) + 1
    return counts


async def _deliver_one(
    bot: FaqBot,
    handoff: Handoff,
    user_id: int,
    channel_id: int | None,
    reply: Reply,
    language: str,
) -> Delivery:
    """By DM; if the delegate does not accept DMs (50007), a reply in the channel where they
    asked that pings that delegate and nobody else."""
    embeds_sent = list(reply.embeds)
    try:
        user = bot.get_user(user_id) or await bot.fetch_user(user_id)
        await user.send(content=reply.content, embeds=embeds_sent, allowed_mentions=NO_MENTIONS)
        return Delivery.DM
    except discord.HTTPException as exc:
        log.info("hand-off %d: no DM to a delegate (%s %s)", handoff.id, exc.status, exc.code)
    if channel_id is None:
        return Delivery.FAILED
    only_them = discord.AllowedMentions(
        everyone=False, roles=False, users=[discord.Object(user_id)], replied_user=False
    )
    try:
        channel = await _channel(bot, channel_id)
        await channel.send(
            content=texts.handoff_channel_text(user_id, reply.content or "", language),
            embeds=embeds_sent,
            allowed_mentions=only_them,
        )
    except (discord.HTTPException, AttributeError) as exc:
        log.warning("hand-off %d: could not reach a delegate at all: %s", handoff.id, exc)
        return Delivery.FAILED
    return Delivery.CHANNEL


# --- reminders -----------------------------------------------------------------------------


async def remind_due(bot: FaqBot, *, now: float | None = None) -> int:
    """Remind, once, every hand-off open longer than HANDOFF_REMIND_AFTER_HOURS: in its
    thread, or as a reply to its card. The number reminded."""
    store = bot.store
    if store is None:
        return 0
    hours = bot.settings.handoff_remind_after_hours
    now = time.time() if now is None else now
    due = await store.handoffs_to_remind(opened_before=now - hours * 3600)
    for handoff in due:
        await store.mark_reminded(handoff.id)
        text = texts.handoff_reminder_text(handoff.id, hours)
        target = handoff.thread_id or handoff.card_channel_id
        if target is None:
            continue
        with contextlib.suppress(discord.HTTPException, AttributeError):
            channel = await _channel(bot, target)
            reference = None
            if handoff.thread_id is None and handoff.card_message_id is not None:
                reference = discord.MessageReference(
                    message_id=handoff.card_message_id,
                    channel_id=target,
                    fail_if_not_exists=False,
                )
            await channel.send(
                content=clip(text, CONTENT_LIMIT),
                allowed_mentions=NO_MENTIONS,
                **({"reference": reference} if reference is not None else {}),
            )
    return len(due)


def card_url(handoff: Handoff, guild_id: int | None) -> str | None:
    if handoff.card_message_id is None:
        return None
    return jump_url(guild_id, handoff.card_channel_id, handoff.card_message_id)
