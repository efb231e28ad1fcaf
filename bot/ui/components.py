"""Buttons and select menus, as persistent `DynamicItem`s: the state lives in the custom_id,
so a button keeps working after a restart (the bot registers every class here at start-up).

custom_id formats (each <= 100 characters; entry ids are slugs of <= 60, topics <= 40):

- `faq:answer:<entry_id>`                      answer that entry (did-you-mean, related)
- `faq:vote:<up|down>:<entry_id>:<faq_version>` "Helpful" / "Not helpful"
- `faq:ics:<entry_id>`                         the entry's event as an .ics file
- `faq:browse:topics`                          /faq: the topic select (values: topic ids)
- `faq:browse:topic:<topic_id>`                /faq: a topic's questions (values: entry ids)

Select values may also be `page:<n>` when a list needs more than one page.

Views are built "finished" (`view.stop()` before sending): discord.py then never stores
or times them out. A stored view that times out would unregister the DynamicItem
templates it contains, and every older button with them.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import discord

from bot.engine.models import Faq, FaqEntry, Topic
from bot.ui.render import (
    BUTTON_LABEL_LIMIT,
    SELECT_DESCRIPTION_LIMIT,
    SELECT_LABEL_LIMIT,
    SELECT_OPTIONS_LIMIT,
    clip,
)

if TYPE_CHECKING:
    from bot.client.faqbot import FaqBot

log = logging.getLogger(__name__)

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
VERSION = r"[0-9A-Za-z]{1,24}"
ANSWER_PREFIX = "faq:answer:"
VOTE_PREFIX = "faq:vote:"
CALENDAR_PREFIX = "faq:ics:"
TOPICS_ID = "faq:browse:topics"
TOPIC_PREFIX = "faq:browse:topic:"
NAMESPACE = "faq:"
PAGE_PREFIX = "page:"
MAX_FOLLOW_UPS = 3


def _flows() -> Any:
    """The reply pipeline (imported late: it builds views from this module)."""
    from bot.ui import reply as _reply

    return _reply


class _Guarded:
    """Shared behaviour of every item: refuse politely while shutting down, count the work
    as in flight, and turn any exception into an ephemeral error reply (discord.py would
    only log it and leave the interaction unanswered)."""

    where: ClassVar[str] = "component"

    async def interaction_check(self, interaction: discord.Interaction[FaqBot], /) -> bool:
        return await _flows().admit(interaction)

    async def callback(self, interaction: discord.Interaction[FaqBot]) -> None:
        await _flows().run_guarded(interaction, self.handle, where=self.where)

    async def handle(self, interaction: discord.Interaction[FaqBot]) -> None:
        raise NotImplementedError


class AnswerButton(
    _Guarded,
    discord.ui.DynamicItem[discord.ui.Button],  # type: ignore[type-arg]
    template=rf"faq:answer:(?P<entry_id>{SLUG})",
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
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=clip(label, BUTTON_LABEL_LIMIT),
                style=style,
                custom_id=f"{ANSWER_PREFIX}{entry_id}",
                row=row,
            )
        )
        self.entry_id = entry_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[FaqBot],
        item: discord.ui.Button,  # type: ignore[type-arg]
        match: re.Match[str],
        /,
    ) -> AnswerButton:
        return cls(match["entry_id"], label=item.label or "Answer")

    async def handle(self, interaction: discord.Interaction[FaqBot]) -> None:
        await _flows().answer_entry_click(interaction, self.entry_id)


class VoteButton(
    _Guarded,
    discord.ui.DynamicItem[discord.ui.Button],  # type: ignore[type-arg]
    template=rf"faq:vote:(?P<kind>up|down):(?P<entry_id>{SLUG}):(?P<version>{VERSION})",
):
    """The "Helpful" / "Not helpful" buttons of an answer, for one entry and FAQ version."""

    where = "vote button"

    def __init__(self, helpful: bool, entry_id: str, faq_version: str, *, row: int | None = None):
        kind = "up" if helpful else "down"
        super().__init__(
            discord.ui.Button(
                label="Helpful" if helpful else "Not helpful",
                emoji="👍" if helpful else "👎",
                style=discord.ButtonStyle.secondary,
                custom_id=f"{VOTE_PREFIX}{kind}:{entry_id}:{faq_version or 'unknown'}",
                row=row,
            )
        )
        self.helpful = helpful
        self.entry_id = entry_id
        self.faq_version = faq_version

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[FaqBot],
        item: discord.ui.Button,  # type: ignore[type-arg]
        match: re.Match[str],
        /,
    ) -> VoteButton:
        return cls(match["kind"] == "up", match["entry_id"], match["version"])

    async def handle(self, interaction: discord.Interaction[FaqBot]) -> None:
        await _flows().vote(interaction, self.entry_id, self.faq_version, self.helpful)


class CalendarButton(
    _Guarded,
    discord.ui.DynamicItem[discord.ui.Button],  # type: ignore[type-arg]
    template=rf"faq:ics:(?P<entry_id>{SLUG})",
):
    """Sends the entry's dates as an .ics file, privately."""

    where = "calendar button"

    def __init__(self, entry_id: str, *, row: int | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label="Add to calendar",
                emoji="📅",
                style=discord.ButtonStyle.secondary,
                custom_id=f"{CALENDAR_PREFIX}{entry_id}",
                row=row,
            )
        )
        self.entry_id = entry_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[FaqBot],
        item: discord.ui.Button,  # type: ignore[type-arg]
        match: re.Match[str],
        /,
    ) -> CalendarButton:
        return cls(match["entry_id"])

    async def handle(self, interaction: discord.Interaction[FaqBot]) -> None:
        await _flows().send_calendar(interaction, self.entry_id)


class TopicSelect(
    _Guarded,
    discord.ui.DynamicItem[discord.ui.Select],  # type: ignore[type-arg]
    template=r"faq:browse:topics",
):
    """/faq: pick a topic."""

    where = "topic menu"

    def __init__(
        self,
        options: Sequence[discord.SelectOption] = (),
        *,
        placeholder: str = "Choose a topic…",
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
        cls,
        interaction: discord.Interaction[FaqBot],
        item: discord.ui.Select,  # type: ignore[type-arg]
        match: re.Match[str],
        /,
    ) -> TopicSelect:
        return cls(item.options)

    async def handle(self, interaction: discord.Interaction[FaqBot]) -> None:
        value = self.item.values[0] if self.item.values else ""
        await _flows().browse_topic(interaction, value)


class QuestionSelect(
    _Guarded,
    discord.ui.DynamicItem[discord.ui.Select],  # type: ignore[type-arg]
    template=rf"faq:browse:topic:(?P<topic_id>{SLUG})",
):
    """/faq: pick a question of one topic."""

    where = "question menu"

    def __init__(
        self,
        topic_id: str,
        options: Sequence[discord.SelectOption] = (),
        *,
        placeholder: str = "Choose a question…",
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
        cls,
        interaction: discord.Interaction[FaqBot],
        item: discord.ui.Select,  # type: ignore[type-arg]
        match: re.Match[str],
        /,
    ) -> QuestionSelect:
        return cls(match["topic_id"], item.options)

    async def handle(self, interaction: discord.Interaction[FaqBot]) -> None:
        value = self.item.values[0] if self.item.values else ""
        await _flows().browse_question(interaction, self.topic_id, value)


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    AnswerButton,
    VoteButton,
    CalendarButton,
    TopicSelect,
    QuestionSelect,
)
"""Registered by `FaqBot.setup_hook` with `add_dynamic_items`."""


def is_known_custom_id(custom_id: str) -> bool:
    """Whether one of our items handles `custom_id` (to answer stale `faq:` ids politely)."""
    return any(cls.__discord_ui_compiled_template__.fullmatch(custom_id) for cls in DYNAMIC_ITEMS)


# --- views ---------------------------------------------------------------------------------


def finished(view: discord.ui.View) -> discord.ui.View:
    """Mark `view` done so discord.py sends it without storing it (see the module doc)."""
    view.stop()
    return view


def _new_view() -> discord.ui.View:
    return discord.ui.View(timeout=None)


def add_answer_items(
    view: discord.ui.View,
    entry: FaqEntry,
    faq_version: str,
    follow_ups: Sequence[FaqEntry],
    *,
    calendar: bool = True,
) -> None:
    """Row 0: link, calendar, votes. Row 1: up to 3 related questions."""
    if entry.link:
        view.add_item(
            discord.ui.Button(
                label=clip(entry.link_label or "Open link", BUTTON_LABEL_LIMIT),
                url=entry.link,
                row=0,
            )
        )
    if calendar and entry.event is not None:
        view.add_item(CalendarButton(entry.id, row=0))
    view.add_item(VoteButton(True, entry.id, faq_version, row=0))
    view.add_item(VoteButton(False, entry.id, faq_version, row=0))
    for other in follow_ups[:MAX_FOLLOW_UPS]:
        view.add_item(AnswerButton(other.id, label=other.question, row=1))


def answer_view(
    entry: FaqEntry,
    faq_version: str,
    follow_ups: Sequence[FaqEntry],
    *,
    calendar: bool = True,
) -> discord.ui.View:
    view = _new_view()
    add_answer_items(view, entry, faq_version, follow_ups, calendar=calendar)
    return finished(view)


def choices_view(entries: Sequence[FaqEntry]) -> discord.ui.View | None:
    """Did-you-mean (or hint) buttons: up to 3, one per entry."""
    if not entries:
        return None
    view = _new_view()
    for entry in entries[:MAX_FOLLOW_UPS]:
        view.add_item(
            AnswerButton(entry.id, label=entry.question, style=discord.ButtonStyle.primary, row=0)
        )
    return finished(view)


def paged(options: list[discord.SelectOption], page: int, noun: str) -> list[discord.SelectOption]:
    """At most 25 options: a page of them with "previous"/"more" options when needed."""
    if len(options) <= SELECT_OPTIONS_LIMIT:
        return options
    size = SELECT_OPTIONS_LIMIT - 2
    pages = math.ceil(len(options) / size)
    page = min(max(page, 0), pages - 1)
    chunk = list(options[page * size : (page + 1) * size])
    if page > 0:
        chunk.insert(
            0, discord.SelectOption(label=f"← Previous {noun}", value=f"{PAGE_PREFIX}{page - 1}")
        )
    if page < pages - 1:
        chunk.append(discord.SelectOption(label=f"More {noun} →", value=f"{PAGE_PREFIX}{page + 1}"))
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
    row = first_row
    if topic is not None:
        options = question_options(faq, topic, selected_entry)
        page = (
            question_page
            if question_page is not None
            else page_of([o.value for o in options], selected_entry or "")
        )
        view.add_item(QuestionSelect(topic.id, paged(options, page, "questions"), row=row))
        row += 1
    options = topic_options(faq, topic.id if topic else None)
    page = (
        topic_page
        if topic_page is not None
        else page_of([o.value for o in options], topic.id if topic else "")
    )
    placeholder = "Choose another topic…" if topic else "Choose a topic…"
    view.add_item(TopicSelect(paged(options, page, "topics"), placeholder=placeholder, row=row))


def browse_view(
    faq: Faq,
    topic: Topic | None,
    *,
    question_page: int | None = None,
    topic_page: int | None = None,
) -> discord.ui.View:
    view = _new_view()
    add_browse_items(view, faq, topic, question_page=question_page, topic_page=topic_page)
    return finished(view)


def browse_answer_view(
    faq: Faq, topic: Topic, entry: FaqEntry, follow_ups: Sequence[FaqEntry]
) -> discord.ui.View:
    """An answer shown while browsing: its buttons, then the menus to keep browsing."""
    view = _new_view()
    add_answer_items(view, entry, faq.version, follow_ups)
    add_browse_items(view, faq, topic, selected_entry=entry.id, first_row=2)
    return finished(view)


def custom_ids(view: discord.ui.View) -> Iterable[str]:
    for item in view.children:
        custom_id = getattr(item, "custom_id", None)
        if custom_id:
            yield custom_id
