"""Editing the FAQ from Discord: the entry modal, the preview (the answer card exactly as
delegates will see it, and what the change does to the checks), Confirm/Cancel, Undo.

Nothing is written before a moderator confirms a preview that validates and breaks no check.
Drafts live in memory (`DRAFTS`, at most `DRAFTS_KEPT`, for `DRAFT_SECONDS`): a preview from
before a restart says it has expired. Every modal and button checks the moderator rule again.

custom_ids (<= 100 characters):
- `mod:edit:ok:<draft>` / `mod:edit:no:<draft>`  Confirm / Cancel under a preview
- `mod:undo:<history row id>`                    Undo under a saved change and in history
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import discord

from bot.engine.schema import MAX_ANSWER, MAX_MODERATOR_NAME, MAX_QUESTION
from bot.services.editing import (
    Draft,
    EditError,
    EntryText,
    FaqFiles,
    FileChange,
    add_entry,
    clean_aliases,
    edit_entry,
    prepare,
    read_only_reason,
    reverse,
    save,
)
from bot.ui import embeds
from bot.ui.items import AnyInteraction, ItemClass, finished, new_view, ours
from bot.ui.limits import (
    COLOUR,
    COLOUR_FAIL,
    COLOUR_OK,
    CONTENT_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_TITLE_LIMIT,
)
from bot.ui.pipeline import admit, run_guarded
from bot.ui.reply import Reply, say, send
from bot.ui.text import clip, code_block, echo
from cogs.admin._access import ModeratorButton, admitted

if TYPE_CHECKING:
    from bot.client.faqbot import FaqBot

    Interaction = discord.Interaction[FaqBot]

log = logging.getLogger(__name__)

Button = discord.ui.Button[discord.ui.View]

DRAFTS_KEPT = 50
"""Previews waiting for Confirm; the oldest is forgotten past this."""
DRAFT_SECONDS = 15 * 60
"""A preview older than this must be made again (the files may have moved on)."""
TEXT_INPUT_LIMIT = 4000
"""Discord's limit for one text input of a modal."""
FILES_SHOWN = 5


@dataclass(frozen=True, slots=True)
class _Waiting:
    draft: Draft
    at: float


class DraftBook:
    """Drafts waiting for Confirm, by a number the buttons carry."""

    def __init__(self) -> None:
        self._drafts: OrderedDict[int, _Waiting] = OrderedDict()
        self._numbers = itertools.count(int(time.time()) % 1_000_000 * 1000)

    def put(self, draft: Draft) -> int:
        number = next(self._numbers)
        self._drafts[number] = _Waiting(draft, time.monotonic())
        while len(self._drafts) > DRAFTS_KEPT:
            self._drafts.popitem(last=False)
        return number

    def take(self, number: int) -> Draft | None:
        waiting = self._drafts.pop(number, None)
        if waiting is None or time.monotonic() - waiting.at > DRAFT_SECONDS:
            return None
        return waiting.draft


DRAFTS = DraftBook()


# --- the modal ------------------------------------------------------------------------------


class EntryModal(discord.ui.Modal):
    """Question, answer and alternate phrasings (one per line); for a new entry, its source."""

    def __init__(
        self,
        *,
        title: str,
        custom_id: str,
        submit: Callable[[Interaction, EntryModal], Awaitable[None]],
        question: str = "",
        answer: str = "",
        aliases: tuple[str, ...] = (),
        source_label: str | None = None,
    ) -> None:
        super().__init__(title=clip(title, 45), custom_id=custom_id, timeout=DRAFT_SECONDS)
        self._submit = submit
        self.question: discord.ui.TextInput[EntryModal] = discord.ui.TextInput(
            label="Question",
            custom_id="question",
            default=question or None,
            min_length=3,
            max_length=MAX_QUESTION,
        )
        self.answer: discord.ui.TextInput[EntryModal] = discord.ui.TextInput(
            label="Answer",
            custom_id="answer",
            style=discord.TextStyle.paragraph,
            default=answer or None,
            max_length=min(MAX_ANSWER, TEXT_INPUT_LIMIT),
        )
        self.aliases: discord.ui.TextInput[EntryModal] = discord.ui.TextInput(
            label="Alternate phrasings, one per line",
            custom_id="aliases",
            style=discord.TextStyle.paragraph,
            default=clip("\n".join(aliases), TEXT_INPUT_LIMIT) or None,
            required=False,
            max_length=TEXT_INPUT_LIMIT,
        )
        self.add_item(self.question)
        self.add_item(self.answer)
        self.add_item(self.aliases)
        self.source: discord.ui.TextInput[EntryModal] | None = None
        if source_label is not None:
            self.source = discord.ui.TextInput(
                label=source_label,
                custom_id="source",
                style=discord.TextStyle.paragraph,
                max_length=1000,
            )
            self.add_item(self.source)

    def text(self) -> EntryText:
        return EntryText(
            question=" ".join(self.question.value.split()),
            answer=self.answer.value.strip(),
            aliases=clean_aliases(self.aliases.value),
        )

    async def interaction_check(self, interaction: AnyInteraction, /) -> bool:
        return await admit(ours(interaction)) and await admitted(ours(interaction), "edit modal")

    async def on_submit(self, interaction: AnyInteraction, /) -> None:
        async def handle(it: Interaction) -> None:
            await self._submit(it, self)

        await run_guarded(ours(interaction), handle, where="edit modal")


# --- drafts and previews --------------------------------------------------------------------


def editing_off(bot: FaqBot) -> str | None:
    """The one line saying FAQ_DIR is read-only and how to enable editing, or None."""
    return read_only_reason(bot.knowledge.faq_dir)


async def make_draft(
    interaction: Interaction,
    action: str,
    build: Callable[[], tuple[str, FaqFiles]],
    *,
    undoes: int | None = None,
) -> None:
    """Build the change's files (in a thread; `build` returns the entry id and the files),
    validate and check them, and show the preview."""
    bot = interaction.client
    if not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)
    knowledge = bot.knowledge
    try:
        entry_id, files = await asyncio.to_thread(build)
        draft = await asyncio.to_thread(
            prepare,
            action,
            entry_id,
            files,
            current=knowledge.index,
            work_dir=bot.settings.data_dir / "drafts",
            learned_aliases=knowledge.learned_aliases,
            undoes=undoes,
        )
    except EditError as exc:
        await say(interaction, clip(f"Not saved: {exc}", CONTENT_LIMIT))
        return
    await show_preview(interaction, draft)


def _refusal_embed(draft: Draft) -> discord.Embed:
    lines = [str(p) for p in draft.errors]
    if draft.effect is not None:
        lines += [str(f.problem()) for f in draft.effect.broken]
    what = "does not validate" if draft.errors else "breaks the FAQ's checks"
    return discord.Embed(
        title=clip(f"Not saved: this change {what}", EMBED_TITLE_LIMIT),
        description=clip(
            "Nothing was written. Change it and try again.\n"
            + code_block(lines, EMBED_DESCRIPTION_LIMIT - 100),
            EMBED_DESCRIPTION_LIMIT,
        ),
        colour=COLOUR_FAIL,
    )


def _files_line(files: tuple[FileChange, ...]) -> str:
    names = [f"`{f.path}`" for f in files[:FILES_SHOWN]]
    more = len(files) - FILES_SHOWN
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


async def show_preview(interaction: Interaction, draft: Draft) -> None:
    if not draft.ok:
        await send(interaction, Reply(embeds=(_refusal_embed(draft),), ephemeral=True))
        return
    number = DRAFTS.put(draft)
    checks = draft.effect.summary() if draft.effect is not None else "no checks"
    content = (
        f"**Preview** ({draft.action} `{draft.entry_id}`), exactly as delegates will see it. "
        f"Checks: {checks}. Confirm writes {_files_line(draft.files)} and reloads."
    )
    entry = draft.entry
    shown: tuple[discord.Embed, ...]
    if entry is not None and draft.index is not None:
        shown = tuple(embeds.answer_embeds(entry, draft.index.faq))
    else:
        shown = (
            discord.Embed(
                title=clip(f"`{draft.entry_id}` will no longer be in the FAQ", EMBED_TITLE_LIMIT)
                if draft.action != "source"
                else clip(f"New source: {draft.entry_id}", EMBED_TITLE_LIMIT),
                colour=COLOUR,
            ),
        )
    view = new_view()
    view.add_item(ConfirmButton(number))
    view.add_item(CancelButton(number))
    await send(
        interaction,
        Reply(
            content=clip(content, CONTENT_LIMIT), embeds=shown, view=finished(view), ephemeral=True
        ),
    )


async def confirm(interaction: Interaction, number: int) -> None:
    bot = interaction.client
    draft = DRAFTS.take(number)
    if draft is None:
        await say(interaction, "This preview has expired; open the editor again.")
        return
    await interaction.response.defer(ephemeral=True, thinking=True)
    faq_dir = bot.knowledge.faq_dir
    try:
        await asyncio.to_thread(save, draft, faq_dir)
    except EditError as exc:
        await say(interaction, clip(f"Not saved: {exc}", CONTENT_LIMIT))
        return
    who = f"{interaction.user} ({interaction.user.id})"
    log.info(
        "FAQ %s of %s saved by %s: %s", draft.action, draft.entry_id, who, _files_line(draft.files)
    )
    change_id = None
    if bot.store is not None:
        change_id = await bot.store.record_change(
            moderator=str(interaction.user),
            action=draft.action,
            entry_id=draft.entry_id,
            files=[(str(f.path), f.before, f.after) for f in draft.files],
            undoes=draft.undoes,
        )
    result = await bot.faq_watcher.reload(f"{draft.action} {draft.entry_id} by {who}")
    text = f"Saved {_files_line(draft.files)}; " + (
        f"FAQ {result.version} is live."
        if result.ok
        else f"but it does not load: {result.summary()}"
    )
    view = new_view()
    if change_id is not None:
        view.add_item(UndoButton(change_id))
    embed = discord.Embed(
        description=echo(text, 1000), colour=COLOUR_OK if result.ok else COLOUR_FAIL
    )
    await send(
        interaction,
        Reply(embeds=(embed,), view=finished(view) if view.children else None, ephemeral=True),
    )


async def undo(interaction: Interaction, change_id: int) -> None:
    bot = interaction.client
    reason = editing_off(bot)
    if reason is not None:
        await say(interaction, reason)
        return
    record = await bot.store.change(change_id) if bot.store is not None else None
    if record is None:
        await say(interaction, "That change is not in the history.")
        return
    changes = [FileChange(Path(p), before, after) for p, before, after in record.files]
    await make_draft(
        interaction,
        "undo",
        lambda: (record.entry_id, reverse(changes, bot.knowledge.faq_dir)),
        undoes=change_id,
    )


# --- the modals' submissions ----------------------------------------------------------------


def edit_modal(entry_id: str, text: EntryText) -> EntryModal:
    async def submit(interaction: Interaction, modal: EntryModal) -> None:
        bot = interaction.client
        new = modal.text()
        await make_draft(
            interaction,
            "edit",
            lambda: (
                entry_id,
                edit_entry(bot.knowledge.faq_dir, bot.knowledge.index, entry_id, new),
            ),
        )

    return EntryModal(
        title=f"Edit {entry_id}",
        custom_id=f"mod:modal:edit:{entry_id}"[:100],
        submit=submit,
        question=text.question,
        answer=text.answer,
        aliases=text.aliases,
    )


QUOTE_LABEL = "Source: a quote, verbatim from a source"
STATEMENT_LABEL = "Source: your statement (you are cited)"


def add_modal(topic_id: str, *, statement: bool = False) -> EntryModal:
    """The new entry's modal; its source is a verbatim quote, or (`statement`) the
    moderator's own statement, cited with their name and today's date."""

    async def submit(interaction: Interaction, modal: EntryModal) -> None:
        bot = interaction.client
        new = modal.text()
        text = (modal.source.value if modal.source else "").strip()
        source: str | dict[str, object] = " ".join(text.split())
        if statement:
            name = clip(interaction.user.display_name, MAX_MODERATOR_NAME)
            source = {"moderator": name, "date": date.today(), "statement": text}
        await make_draft(
            interaction,
            "add",
            lambda: add_entry(bot.knowledge.faq_dir, bot.knowledge.index, topic_id, new, source),
        )

    return EntryModal(
        title=f"New entry in {topic_id}",
        custom_id=f"mod:modal:add:{topic_id}"[:100],
        submit=submit,
        source_label=STATEMENT_LABEL if statement else QUOTE_LABEL,
    )


# --- buttons ------------------------------------------------------------------------------


class ConfirmButton(ModeratorButton, prefix="mod:edit:ok:"):
    """Saves the previewed draft."""

    where = "confirm edit button"
    default_label = "Confirm and save"
    style = discord.ButtonStyle.success

    async def press(self, interaction: Interaction) -> None:
        await confirm(interaction, self.number)


class CancelButton(ModeratorButton, prefix="mod:edit:no:"):
    """Forgets the previewed draft."""

    where = "cancel edit button"
    default_label = "Cancel"

    async def press(self, interaction: Interaction) -> None:
        DRAFTS.take(self.number)
        await say(interaction, "Cancelled; nothing was written.")


class UndoButton(ModeratorButton, prefix="mod:undo:"):
    """Reverts one saved change: a new draft, validated and checked, previewed first."""

    where = "undo button"
    default_label = "Undo"
    style = discord.ButtonStyle.danger

    async def press(self, interaction: Interaction) -> None:
        await undo(interaction, self.number)


EDIT_ITEMS: tuple[ItemClass, ...] = (ConfirmButton, CancelButton, UndoButton)
"""Registered by the admin cog."""
