"""The reply pipeline every cog and component uses: cooldown, engine, render, send (with
the no-duplicate rule), then `bot.on_question_answered`. Errors become ephemeral replies.
"""

from __future__ import annotations

import contextlib
import io
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord

from bot.cooldown import Cooldown
from bot.engine.index import FaqIndex
from bot.engine.models import Answer, Candidate, FaqEntry, Outcome, Topic
from bot.events import QuestionEvent, QuestionSource
from bot.logs import context as log_context
from cogs import _components as components
from cogs import _render as render
from cogs._ics import event_ics, ics_filename

if TYPE_CHECKING:
    from bot.bot import FaqBot

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
ID_MARKER = "id:"
"""Autocomplete choice values are `id:<entry_id>`: a picked suggestion names its entry."""
COOLDOWN_REACTION = "⏳"

Interaction = discord.Interaction["FaqBot"]


# --- what to send --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    data: bytes
    description: str | None = None

    def to_file(self) -> discord.File:
        return discord.File(
            io.BytesIO(self.data), filename=self.filename, description=self.description
        )


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to send: built first, sent by `send` (interactions) or `reply_to`."""

    content: str | None = None
    embeds: tuple[discord.Embed, ...] = ()
    view: discord.ui.View | None = None
    attachments: tuple[Attachment, ...] = ()
    ephemeral: bool = False


@dataclass(frozen=True, slots=True)
class Sent:
    message_id: int | None
    url: str | None


def jump_url(guild_id: int | None, channel_id: int | None, message_id: int) -> str:
    return f"https://discord.com/channels/{guild_id or '@me'}/{channel_id}/{message_id}"


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
    return found[: components.MAX_FOLLOW_UPS]


def entry_reply(
    entry: FaqEntry,
    index: FaqIndex,
    *,
    alternatives: Sequence[Candidate] = (),
    ephemeral: bool = False,
    content: str | None = None,
    calendar_file: bool = False,
) -> Reply:
    """An answer card: embed(s), link/calendar/vote buttons, related questions."""
    faq = index.faq
    attachments: tuple[Attachment, ...] = ()
    if calendar_file and entry.event is not None:
        attachments = (
            Attachment(
                ics_filename(entry, faq),
                event_ics(entry, faq),
                description="The meeting as a calendar event",
            ),
        )
    return Reply(
        content=render.clip(content, render.CONTENT_LIMIT) if content else None,
        embeds=tuple(render.answer_embeds(entry, faq)),
        view=components.answer_view(
            entry, faq.version, follow_ups(entry, index, alternatives), calendar=not attachments
        ),
        attachments=attachments,
        ephemeral=ephemeral,
    )


def miss_reply(answer: Answer, index: FaqIndex, *, public: bool) -> Reply:
    """Did-you-mean (public unless asked privately) or a polite decline (always private)."""
    choices = [c.entry for c in answer.alternatives]
    if answer.outcome is Outcome.SUGGESTED:
        return Reply(
            content=render.suggestion_text(answer.question),
            view=components.choices_view(choices),
            ephemeral=not public,
        )
    refused = answer.outcome is Outcome.REFUSED
    return Reply(
        content=render.decline_text(
            answer.question, index.faq, refused=refused, hints=bool(choices) and not refused
        ),
        view=None if refused else components.choices_view(choices),
        ephemeral=True,
    )


# --- sending -------------------------------------------------------------------------------


async def send(interaction: Interaction, reply: Reply) -> Sent:
    """Respond (or follow up, when already responded) with `reply`; no mention pings."""
    kwargs: dict[str, object] = {"allowed_mentions": NO_MENTIONS, "ephemeral": reply.ephemeral}
    if reply.content:
        kwargs["content"] = reply.content
    if reply.embeds:
        kwargs["embeds"] = list(reply.embeds)
    if reply.view is not None:
        kwargs["view"] = reply.view
    if reply.attachments:
        kwargs["files"] = [a.to_file() for a in reply.attachments]
    if not interaction.response.is_done():
        response = await interaction.response.send_message(**kwargs)  # type: ignore[arg-type]
        message_id = response.message_id
    else:
        message = await interaction.followup.send(wait=True, **kwargs)  # type: ignore[call-overload]
        message_id = message.id
    url = None
    if message_id is not None and not reply.ephemeral:
        url = jump_url(interaction.guild_id, interaction.channel_id, message_id)
    return Sent(message_id=message_id, url=url)


async def edit(interaction: Interaction, reply: Reply) -> None:
    """Replace the message the component is on (used while browsing, privately)."""
    await interaction.response.edit_message(
        content=reply.content,
        embeds=list(reply.embeds),
        view=reply.view,
        allowed_mentions=NO_MENTIONS,
    )


async def say(interaction: Interaction, text: str) -> None:
    """A short private reply; never raises (used on error paths too)."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
    except discord.HTTPException as exc:
        log.warning("could not reply to interaction %s: %s", interaction.id, exc)


async def reply_to(message: discord.Message, reply: Reply) -> discord.Message:
    """Reply to a message without pinging anyone (its author included); still sent when the
    message was deleted meanwhile."""
    kwargs: dict[str, object] = {}
    if reply.content:
        kwargs["content"] = reply.content
    if reply.embeds:
        kwargs["embeds"] = list(reply.embeds)
    if reply.view is not None:
        kwargs["view"] = reply.view
    if reply.attachments:
        kwargs["files"] = [a.to_file() for a in reply.attachments]
    return await message.channel.send(
        reference=message.to_reference(fail_if_not_exists=False),
        allowed_mentions=NO_MENTIONS,
        mention_author=False,
        **kwargs,  # type: ignore[arg-type]
    )


# --- guards --------------------------------------------------------------------------------


async def admit(interaction: Interaction) -> bool:
    """False for an interaction too old to answer (nothing is sent), and (after telling the
    user) while the bot shuts down. Never raises."""
    try:
        if interaction.client.drop_expired(interaction):
            return False
        if interaction.client.draining:
            await say(interaction, render.RESTARTING_TEXT)
            return False
    except Exception:
        log.exception("admission check failed")
    return True


async def run_guarded(
    interaction: Interaction,
    handler: Callable[[Interaction], Awaitable[None]],
    *,
    where: str,
) -> None:
    """Run a component handler as work in flight (when its turn comes: dropped if that made
    it too old to answer); any exception gets an error reply."""
    bot = interaction.client
    async with bot.handling():
        if bot.drop_expired(interaction):
            return
        try:
            await handler(interaction)
        except Exception as exc:
            await report_interaction_error(interaction, exc, where=where)


async def report_interaction_error(
    interaction: Interaction, error: BaseException, *, where: str
) -> None:
    """Log the traceback, count it, answer "something went wrong" privately, tell the mods.

    Discord's 10062 "Unknown interaction" (the reply came after its 3 s) is expected under
    load: counted and logged in one line, with no reply (it would fail too) and no alert."""
    bot = interaction.client
    try:
        if bot.expired_on_reply(interaction, error, where=where):
            return
    except Exception:
        log.exception("could not check for an expired interaction")
    original = getattr(error, "original", None) or error
    log.error(
        "%s failed: %s: %s",
        where,
        type(original).__name__,
        original,
        exc_info=(type(original), original, original.__traceback__),
        extra=log_context(guild=interaction.guild_id, command=where),
    )
    try:
        bot.count_error("handler")
    except Exception:
        log.exception("could not count the error")
    try:
        await say(interaction, render.ERROR_TEXT)
    except Exception:
        log.exception("could not send the error reply")
    try:
        await bot.alert_moderators(
            f"{where}:{type(original).__name__}",
            f"⚠️ {where} failed with {type(original).__name__} "
            f"(server {interaction.guild_id or 'DM'}); the traceback is in the bot's log.",
        )
    except Exception:
        log.exception("could not alert the moderators")


async def check_cooldown(interaction: Interaction, cooldown: Cooldown) -> bool:
    """True when the user may go on; otherwise they are told (privately) when to retry."""
    verdict = cooldown.hit(interaction.user.id)
    if verdict.allowed:
        return True
    await say(interaction, render.cooldown_text(verdict.retry_seconds))
    return False


def host_is_ephemeral(interaction: Interaction) -> bool:
    message = interaction.message
    return bool(message is not None and message.flags.ephemeral)


# --- answering interactions ----------------------------------------------------------------


def resolve_choice(index: FaqIndex, value: str) -> FaqEntry | None:
    """The entry a /ask value names: an `id:<entry>` autocomplete pick or an exact question."""
    text = value.strip()
    if text.startswith(ID_MARKER):
        entry = index.entry(text[len(ID_MARKER) :].strip())
        if entry is not None:
            return entry
    folded = text.casefold().rstrip("?").strip()
    if not folded:
        return None
    return next(
        (e for e in index.faq.entries if e.question.casefold().rstrip("?").strip() == folded),
        None,
    )


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
) -> None:
    """Answer `question` (matched) or `entry_id` (direct) in reply to an interaction."""
    started = time.perf_counter() if started is None else started
    bot = interaction.client
    if cooldown and not await check_cooldown(interaction, bot.answer_cooldown):
        return
    index = bot.knowledge.index
    answer: Answer | None = None
    if entry_id is not None:
        entry = index.entry(entry_id)
        if entry is None:
            await say(interaction, render.missing_entry_text())
            return
    else:
        answer = index.answer(question or "")
        entry = answer.best.entry if answer.best is not None and answer.shows_entry else None
    public = not private
    if entry is not None:
        alternatives = answer.alternatives if answer is not None else ()
        note = answer.note if answer is not None else None
        recent = bot.recent_posts.find(interaction.channel_id, entry.id) if public else None
        if recent is not None:
            reply = entry_reply(
                entry,
                index,
                alternatives=alternatives,
                ephemeral=True,
                content=render.recent_text(recent.url),
                calendar_file=calendar_file,
            )
        else:
            reply = entry_reply(
                entry,
                index,
                alternatives=alternatives,
                ephemeral=not public,
                content="\n".join(filter(None, (content if public else None, note))) or None,
                calendar_file=calendar_file,
            )
        sent = await send(interaction, reply)
        if sent.url is not None and interaction.guild_id is not None:
            bot.recent_posts.remember(interaction.channel_id, entry.id, sent.url)
    else:
        assert answer is not None
        await send(interaction, miss_reply(answer, index, public=public))
    latency = time.perf_counter() - started
    where = {
        "user_id": interaction.user.id,
        "guild_id": interaction.guild_id,
        "channel_id": interaction.channel_id,
        "latency": latency,
        "source": source,
    }
    if answer is not None:
        event = QuestionEvent.from_answer(answer, **where)  # type: ignore[arg-type]
    else:
        assert entry is not None
        event = QuestionEvent.direct(entry, faq_version=index.faq.version, **where)  # type: ignore[arg-type]
    await bot.on_question_answered(event)


async def answer_entry_click(interaction: Interaction, entry_id: str) -> None:
    """A did-you-mean or related button: answer that entry, privately if the button was."""
    await answer_interaction(
        interaction,
        source=QuestionSource.BUTTON,
        entry_id=entry_id,
        private=host_is_ephemeral(interaction),
    )


async def vote(interaction: Interaction, entry_id: str, faq_version: str, helpful: bool) -> None:
    """Thank the voter at once, then record the vote (a store failure is logged and the
    moderators are told; the voter is not bothered with it)."""
    bot = interaction.client
    if not await check_cooldown(interaction, bot.vote_cooldown):
        return
    await say(interaction, render.VOTE_THANKS)
    store = bot.store
    kind = "up" if helpful else "down"
    if store is None:
        log.info("vote %s on %s (%s) not recorded: no store", kind, entry_id, faq_version)
        return
    try:
        await store.record_vote(
            entry_id=entry_id, faq_version=faq_version, helpful=helpful, voter=interaction.user.id
        )
    except Exception as exc:
        log.exception("could not record a vote %s on %s", kind, entry_id)
        bot.count_error("store")
        await bot.alert_moderators(
            f"vote:{type(exc).__name__}",
            f"⚠️ votes cannot be saved ({type(exc).__name__}); see the bot's log.",
        )


async def send_calendar(interaction: Interaction, entry_id: str) -> None:
    bot = interaction.client
    index = bot.knowledge.index
    entry = index.entry(entry_id)
    if entry is None or entry.event is None:
        await say(interaction, render.missing_entry_text())
        return
    attachment = Attachment(ics_filename(entry, index.faq), event_ics(entry, index.faq))
    await send(
        interaction,
        Reply(
            content="Open this file to add the meeting to your calendar (all-day, local dates).",
            attachments=(attachment,),
            ephemeral=True,
        ),
    )


# --- browsing (/faq) -----------------------------------------------------------------------


def browser_reply(index: FaqIndex, topic: Topic | None, **pages: int | None) -> Reply:
    faq = index.faq
    embed = render.topic_embed(topic, faq) if topic else render.topics_embed(faq)
    return Reply(embeds=(embed,), view=components.browse_view(faq, topic, **pages), ephemeral=True)


async def _show(interaction: Interaction, reply: Reply) -> None:
    """Edit the private browser in place; a public message gets a new private one instead."""
    if host_is_ephemeral(interaction):
        await edit(interaction, reply)
    else:
        await send(interaction, reply)


def _page(value: str) -> int | None:
    if not value.startswith(components.PAGE_PREFIX):
        return None
    digits = value[len(components.PAGE_PREFIX) :]
    return int(digits) if digits.isdigit() else 0


async def browse_topic(interaction: Interaction, value: str) -> None:
    index = interaction.client.knowledge.index
    page = _page(value)
    if page is not None:
        await _show(interaction, browser_reply(index, None, topic_page=page))
        return
    topic = index.faq.topic(value)
    if topic is None:
        await say(interaction, render.missing_topic_text(value, index.faq))
        return
    await _show(interaction, browser_reply(index, topic))


async def browse_question(interaction: Interaction, topic_id: str, value: str) -> None:
    started = time.perf_counter()
    bot = interaction.client
    index = bot.knowledge.index
    topic = index.faq.topic(topic_id)
    if topic is None:
        await say(interaction, render.missing_topic_text(topic_id, index.faq))
        return
    page = _page(value)
    if page is not None:
        await _show(interaction, browser_reply(index, topic, question_page=page))
        return
    entry = index.entry(value)
    if entry is None:
        await say(interaction, render.missing_entry_text())
        return
    faq = index.faq
    reply = Reply(
        embeds=tuple(render.answer_embeds(entry, faq)),
        view=components.browse_answer_view(faq, topic, entry, follow_ups(entry, index)),
        ephemeral=True,
    )
    await _show(interaction, reply)
    await bot.on_question_answered(
        QuestionEvent.direct(
            entry,
            faq_version=faq.version,
            source=QuestionSource.BUTTON,
            user_id=interaction.user.id,
            guild_id=interaction.guild_id,
            channel_id=interaction.channel_id,
            latency=time.perf_counter() - started,
        )
    )


# --- answering messages (mentions and DMs) -------------------------------------------------


async def answer_message(
    bot: FaqBot, message: discord.Message, text: str, *, source: QuestionSource
) -> None:
    """Answer a mention or a DM with a reply; a cooldown is told once, then a reaction."""
    started = time.perf_counter()
    verdict = bot.answer_cooldown.hit(message.author.id)
    if not verdict.allowed:
        if verdict.first_refusal:
            await reply_to(message, Reply(content=render.cooldown_text(verdict.retry_seconds)))
        else:
            with contextlib.suppress(discord.HTTPException):
                await message.add_reaction(COOLDOWN_REACTION)
        return
    index = bot.knowledge.index
    answer = index.answer(text)
    guild_id = message.guild.id if message.guild else None
    if answer.shows_entry and answer.best is not None:
        entry = answer.best.entry
        recent = bot.recent_posts.find(message.channel.id, entry.id) if guild_id else None
        if recent is not None:
            await reply_to(message, Reply(content=render.recent_text(recent.url)))
        else:
            sent = await reply_to(
                message,
                entry_reply(entry, index, alternatives=answer.alternatives, content=answer.note),
            )
            if guild_id is not None:
                bot.recent_posts.remember(message.channel.id, entry.id, sent.jump_url)
    elif answer.outcome is Outcome.REFUSED:
        await reply_to(message, Reply(content=render.EMPTY_MESSAGE_TEXT))
    else:
        await reply_to(message, miss_reply(answer, index, public=True))
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


async def report_message_error(bot: FaqBot, message: discord.Message, error: BaseException) -> None:
    log.error(
        "answering a message failed: %s: %s",
        type(error).__name__,
        error,
        exc_info=(type(error), error, error.__traceback__),
        extra=log_context(guild=message.guild.id if message.guild else None, command="mention"),
    )
    bot.count_error("handler")
    try:
        await reply_to(message, Reply(content=render.ERROR_TEXT))
    except Exception as exc:
        log.warning("could not send the error reply: %s", exc)
    try:
        await bot.alert_moderators(
            f"message:{type(error).__name__}",
            f"⚠️ answering a message failed with {type(error).__name__} "
            f"(server {message.guild.id if message.guild else 'DM'}); see the bot's log.",
        )
    except Exception:
        log.exception("could not alert the moderators")
