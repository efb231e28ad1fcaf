"""The FAQ browser (`/faq`): a private message with a topic menu and, once a topic is chosen,
its questions; picking a question shows its answer card above the menus.

custom_id formats (each <= 100 characters; topic ids are slugs of <= 40):

- `faq:browse:topics`            the topic select (values: topic ids)
- `faq:browse:topic:<topic_id>`  a topic's questions (values: entry ids)

Select values may also be `page:<n>` when a list needs more than one page.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord

from bot.engine.index import FaqIndex
from bot.engine.models import Faq, FaqEntry, Topic
from bot.i18n import N_, faq_language, tr
from bot.services.events import QuestionEvent, QuestionSource
from bot.ui import embeds, texts
from bot.ui.card import SLUG, add_answer_items, follow_ups, host_is_ephemeral, reader_index
from bot.ui.items import (
    AnyInteraction,
    GuardedItem,
    ItemClass,
    finished,
    new_view,
    options_of,
)
from bot.ui.limits import SELECT_DESCRIPTION_LIMIT, SELECT_LABEL_LIMIT, SELECT_OPTIONS_LIMIT
from bot.ui.reply import Reply, edit, say, send
from bot.ui.text import clip

if TYPE_CHECKING:
    from bot.client.faqbot import FaqBot

    Interaction = discord.Interaction[FaqBot]


Select = discord.ui.Select[discord.ui.View]

TOPICS_ID = "faq:browse:topics"
TOPIC_PREFIX = "faq:browse:topic:"
PAGE_PREFIX = "page:"


TOPIC_PLACEHOLDER = N_("Choose a topic…")
QUESTION_PLACEHOLDER = N_("Choose a question…")


class TopicSelect(
    GuardedItem,
    discord.ui.DynamicItem[Select],
    template=r"faq:browse:topics",
):
    """/faq: pick a topic."""

    where = "topic menu"

    def __init__(
        self,
        options: Sequence[discord.SelectOption] = (),
        *,
        placeholder: str = TOPIC_PLACEHOLDER,
        row: int | None = None,
    ) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=TOPICS_ID,
                placeholder=placeholder,
                options=list(options),
                min_values=1,
                max_values=1,
                row=row,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: AnyInteraction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> TopicSelect:
        return cls(options_of(item))

    async def handle(self, interaction: Interaction) -> None:
        value = self.item.values[0] if self.item.values else ""
        index = reader_index(interaction)
        page = _page(value)
        if page is not None:
            await _show(interaction, browser_reply(index, None, topic_page=page))
            return
        topic = index.faq.topic(value)
        if topic is None:
            language = faq_language(index.faq)
            await say(interaction, texts.missing_topic_text(value, index.faq, language))
            return
        await _show(interaction, browser_reply(index, topic))


class QuestionSelect(
    GuardedItem,
    discord.ui.DynamicItem[Select],
    template=rf"faq:browse:topic:(?P<topic_id>{SLUG})",
):
    """/faq: pick a question of one topic."""

    where = "question menu"

    def __init__(
        self,
        topic_id: str,
        options: Sequence[discord.SelectOption] = (),
        *,
        placeholder: str = QUESTION_PLACEHOLDER,
        row: int | None = None,
    ) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=f"{TOPIC_PREFIX}{topic_id}",
                placeholder=placeholder,
                options=list(options),
                min_values=1,
                max_values=1,
                row=row,
            )
        )
        self.topic_id = topic_id

    @classmethod
    async def from_custom_id(
        cls, interaction: AnyInteraction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> QuestionSelect:
        return cls(match["topic_id"], options_of(item))

    async def handle(self, interaction: Interaction) -> None:
        value = self.item.values[0] if self.item.values else ""
        started = time.perf_counter()
        bot = interaction.client
        index = reader_index(interaction)
        language = faq_language(index.faq)
        topic = index.faq.topic(self.topic_id)
        if topic is None:
            await say(interaction, texts.missing_topic_text(self.topic_id, index.faq, language))
            return
        page = _page(value)
        if page is not None:
            await _show(interaction, browser_reply(index, topic, question_page=page))
            return
        entry = index.entry(value)
        if entry is None:
            await say(interaction, tr(language, texts.MISSING_ENTRY_TEXT))
            return
        faq = index.faq
        reply = Reply(
            embeds=tuple(embeds.answer_embeds(entry, faq)),
            view=browse_answer_view(faq, topic, entry, follow_ups(entry, index)),
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


BROWSER_ITEMS: tuple[ItemClass, ...] = (TopicSelect, QuestionSelect)
"""Registered by the browse cog."""


# --- menus ---------------------------------------------------------------------------------


def paged(
    options: list[discord.SelectOption], page: int, previous: str, more: str
) -> list[discord.SelectOption]:
    """At most 25 options: a page of them with "previous"/"more" options when needed."""
    if len(options) <= SELECT_OPTIONS_LIMIT:
        return options
    size = SELECT_OPTIONS_LIMIT - 2
    pages = math.ceil(len(options) / size)
    page = min(max(page, 0), pages - 1)
    chunk = list(options[page * size : (page + 1) * size])
    if page > 0:
        chunk.insert(
            0, discord.SelectOption(label=f"← {previous}", value=f"{PAGE_PREFIX}{page - 1}")
        )
    if page < pages - 1:
        chunk.append(discord.SelectOption(label=f"{more} →", value=f"{PAGE_PREFIX}{page + 1}"))
    return chunk


def page_of(options: Sequence[str], value: str) -> int:
    """The page on which `value` is listed (for showing a selection)."""
    if len(options) <= SELECT_OPTIONS_LIMIT or value not in options:
        return 0
    return list(options).index(value) // (SELECT_OPTIONS_LIMIT - 2)


def topic_options(faq: Faq, selected: str | None = None) -> list[discord.SelectOption]:
    return [
        discord.SelectOption(
            label=clip(topic.title, SELECT_LABEL_LIMIT),
            value=topic.id,
            description=clip(topic.description, SELECT_DESCRIPTION_LIMIT) or None,
            default=topic.id == selected,
        )
        for topic in faq.topics
    ]


def question_options(
    faq: Faq, topic: Topic, selected: str | None = None
) -> list[discord.SelectOption]:
    entries = [faq.by_id[i] for i in topic.entry_ids if i in faq.by_id]
    return [
        discord.SelectOption(
            label=clip(entry.question, SELECT_LABEL_LIMIT),
            value=entry.id,
            default=entry.id == selected,
        )
        for entry in entries
    ]


def add_browse_items(
    view: discord.ui.View,
    faq: Faq,
    topic: Topic | None,
    *,
    selected_entry: str | None = None,
    question_page: int | None = None,
    topic_page: int | None = None,
    first_row: int = 0,
) -> None:
    """A topic's question menu (when a topic is chosen) above the topic menu."""
    language = faq_language(faq)
    row = first_row
    if topic is not None:
        options = question_options(faq, topic, selected_entry)
        page = (
            question_page
            if question_page is not None
            else page_of([o.value for o in options], selected_entry or "")
        )
        shown = paged(
            options, page, tr(language, "Previous questions"), tr(language, "More questions")
        )
        view.add_item(
            QuestionSelect(topic.id, shown, placeholder=tr(language, QUESTION_PLACEHOLDER), row=row)
        )
        row += 1
    options = topic_options(faq, topic.id if topic else None)
    page = (
        topic_page
        if topic_page is not None
        else page_of([o.value for o in options], topic.id if topic else "")
    )
    placeholder = tr(language, "Choose another topic…" if topic else TOPIC_PLACEHOLDER)
    shown = paged(options, page, tr(language, "Previous topics"), tr(language, "More topics"))
    view.add_item(TopicSelect(shown, placeholder=placeholder, row=row))


def browse_view(
    faq: Faq,
    topic: Topic | None,
    *,
    question_page: int | None = None,
    topic_page: int | None = None,
) -> discord.ui.View:
    view = new_view()
    add_browse_items(view, faq, topic, question_page=question_page, topic_page=topic_page)
    return finished(view)


def browse_answer_view(
    faq: Faq, topic: Topic, entry: FaqEntry, follow_ups: Sequence[FaqEntry]
) -> discord.ui.View:
    """An answer shown while browsing: its buttons, then the menus to keep browsing."""
    view = new_view()
    add_answer_items(view, entry, faq.version, follow_ups, language=faq_language(faq))
    add_browse_items(view, faq, topic, selected_entry=entry.id, first_row=2)
    return finished(view)


def browser_reply(
    index: FaqIndex,
    topic: Topic | None,
    *,
    question_page: int | None = None,
    topic_page: int | None = None,
) -> Reply:
    faq = index.faq
    embed = embeds.topic_embed(topic, faq) if topic else embeds.topics_embed(faq)
    view = browse_view(faq, topic, question_page=question_page, topic_page=topic_page)
    return Reply(embeds=(embed,), view=view, ephemeral=True)


async def _show(interaction: Interaction, reply: Reply) -> None:
    """Edit the private browser in place; a public message gets a new private one instead."""
    if host_is_ephemeral(interaction):
        await edit(interaction, reply)
    else:
        await send(interaction, reply)


def _page(value: str) -> int | None:
    if not value.startswith(PAGE_PREFIX):
        return None
    digits = value[len(PAGE_PREFIX) :]
    return int(digits) if digits.isdigit() else 0
