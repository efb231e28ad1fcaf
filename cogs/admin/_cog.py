"""`/faq-admin`: moderators reload the FAQ, read its status, review misses and feedback, test
the engine, turn unanswered questions into aliases, and edit the FAQ files themselves (edit,
add, remove, history with undo, source add; see `cogs.admin._edit`).

Moderators only: the group is hidden from members without Manage Server
(`default_permissions`), and every command and button checks again at run time
(`cogs.admin._access`). Others get a private refusal, and the attempt is logged. Guild only;
every reply is ephemeral, without pings. A failing command goes the way of every command:
`FaqTree.on_error`.

The bot owns the services (`bot.store`, `bot.learned`, `bot.faq_watcher`); this cog listens
to the watcher and posts reload results to MOD_LOG_CHANNEL_ID.
"""

from __future__ import annotations

import asyncio
import logging
import math
import sqlite3
import time
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.engine.explain import render_explanation
from bot.engine.index import FaqIndex
from bot.engine.models import Outcome
from bot.services.editing import (
    MAX_SOURCE_BYTES,
    EditError,
    EntryText,
    decode_source,
    entries_named,
    keep_as_check,
    remove_entry,
    source_files,
)
from bot.services.knowledge import ReloadResult
from bot.services.learned import LearnedAliasesError
from bot.services.misses import (
    MissGroup,
    alias_offer,
    alias_text,
    closest_entry,
    group_misses,
)
from bot.services.storage_errors import storage_problem
from bot.services.store import StoreError
from bot.ui.handoff import card_url
from bot.ui.items import AnyInteraction, new_view
from bot.ui.limits import (
    CHOICE_NAME_LIMIT,
    CHOICES_LIMIT,
    COLOUR,
    COLOUR_FAIL,
    COLOUR_OK,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_FOOTER_LIMIT,
)
from bot.ui.reply import post_to_channel, say
from bot.ui.text import clip, clip_lines, code_block, echo
from cogs.admin._access import allowed, refusal
from cogs.admin._edit import (
    EDIT_ITEMS,
    UndoButton,
    add_modal,
    edit_modal,
    editing_off,
    make_draft,
)
from cogs.admin._embeds import (
    FOOTER_SHOWN,
    QUESTION_SHOWN,
    ago,
    duration,
    feedback_lines,
    reload_embed,
)
from cogs.admin._items import (
    ADMIN_ITEMS,
    NO_STORE,
    AddAliasButton,
    RemoveAliasButton,
    remove_alias,
    send_embed,
)

if TYPE_CHECKING:
    from bot.client.faqbot import FaqBot


log = logging.getLogger(__name__)

MISS_GROUPS_SHOWN = 10
DEFAULT_MISS_DAYS = 7
HISTORY_SHOWN = 10
"""Changes listed by `/faq-admin history` (each with its Undo button)."""
HANDOFFS_SHOWN = 20
"""`/faq-admin handoffs` lists the oldest this many open hand-offs (and counts the rest)."""
REMOVE_BUTTONS_SHOWN = 25
"""`/faq-admin aliases` offers a Remove button for the first this many aliases."""
EXPLANATION_LIMIT = 2500
"""Characters of `/faq-admin test`'s explanation (the rest of its embed is the top 5)."""

Interaction = discord.Interaction["FaqBot"]


@app_commands.guild_only()
@app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
@app_commands.default_permissions(manage_guild=True)
class AdminCog(
    commands.GroupCog,
    name="FAQ admin",
    group_name="faq-admin",
    group_description="FAQ moderation: reload, status, misses, hand-offs (moderators only)",
):
    def __init__(self, bot: FaqBot) -> None:
        self.bot = bot
        self._posts: set[asyncio.Task[None]] = set()
        super().__init__()

    # --- wiring ----------------------------------------------------------------------------

    async def cog_load(self) -> None:
        self.bot.faq_watcher.add_listener(self.on_reload)
        self.bot.add_dynamic_items(*ADMIN_ITEMS, *EDIT_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.faq_watcher.remove_listener(self.on_reload)
        self.bot.remove_dynamic_items(*ADMIN_ITEMS, *EDIT_ITEMS)
        if self._posts:
            await asyncio.wait(self._posts, timeout=5)

    async def interaction_check(self, interaction: AnyInteraction, /) -> bool:
        """Every command of the group: moderators only (the refusal is the error's text,
        sent by `FaqTree.on_error`)."""
        name = interaction.command.qualified_name if interaction.command else "faq-admin"
        reason = refusal(interaction, f"/{name}")
        if reason is not None:
            raise app_commands.CheckFailure(reason)
        return True

    async def on_reload(self, result: ReloadResult, reason: str) -> None:
        """Metrics, checks for new entries, and the moderator log channel for failures and
        real changes."""
        if result.ok and result.previous is not None and result.added:
            await self._keep_new_entries_as_checks(result.added)
        metrics = self.bot.metrics
        if metrics is not None:
            metrics.reload("ok" if result.ok else "failed")
            if result.ok:
                metrics.faq_loaded(result.version, result.entries)
        channel_id = self.bot.settings.mod_log_channel_id
        if channel_id is None or (result.ok and result.version == result.previous):
            return
        # In the background: a slow Discord must not delay the reload's caller.
        task = asyncio.get_running_loop().create_task(
            post_to_channel(self.bot, channel_id, embed=reload_embed(result, reason=reason)),
            name="mod-log-post",
        )
        self._posts.add(task)
        task.add_done_callback(self._posts.discard)

    async def _keep_new_entries_as_checks(self, added: tuple[str, ...]) -> None:
        """A new entry from the files (a hand-off export dropped into FAQ_DIR, an edit on the
        host) gets a check that its question keeps reaching it; edits from Discord already
        added theirs."""
        knowledge = self.bot.knowledge
        index = knowledge.index
        for entry_id in added:
            entry = index.entry(entry_id)
            if entry is None:
                continue
            note = await asyncio.to_thread(
                keep_as_check, knowledge.faq_dir, index, entry.question, entry_id
            )
            log.info("new entry %s: %s", entry_id, note)

    # --- commands --------------------------------------------------------------------------

    @app_commands.command(name="reload", description="Reload the FAQ files now (validated first)")
    @app_commands.describe(force="Serve the files even if some of the FAQ's checks fail (logged)")
    async def reload_command(self, interaction: Interaction, force: bool = False) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        who = f"{interaction.user} ({interaction.user.id})"
        if force:
            log.warning("forced FAQ reload requested by %s", who)
        result = await self.bot.faq_watcher.reload(
            f"/faq-admin reload{' force:True' if force else ''} by {who}", force=force
        )
        await send_embed(interaction, reload_embed(result))

    @app_commands.command(name="status", description="FAQ version, last reload, uptime, latency")
    async def status_command(self, interaction: Interaction) -> None:
        bot = self.bot
        knowledge = bot.knowledge
        faq = knowledge.index.faq
        embed = discord.Embed(title="FAQ bot status", colour=COLOUR)
        embed.add_field(name="FAQ version", value=f"`{faq.version}`")
        embed.add_field(name="Entries", value=f"{len(faq.entries)} in {len(faq.topics)} topics")
        embed.add_field(
            name="Learned aliases", value=str(await asyncio.to_thread(bot.learned.count))
        )
        last = knowledge.last_reload
        if last is not None:
            state = "✅" if last.ok else "❌"
            embed.add_field(
                name="Last reload",
                value=clip(f"{state} {ago(last.at)}: {last.summary()}", EMBED_FIELD_VALUE_LIMIT),
                inline=False,
            )
        if last is not None and not last.ok and knowledge.last_good is not None:
            embed.add_field(name="Serving since", value=ago(knowledge.last_good.at), inline=False)
        embed.add_field(name="Uptime", value=duration(time.monotonic() - bot.started_monotonic))
        latency = bot.latency
        embed.add_field(
            name="Gateway latency",
            value=f"{latency * 1000:.0f} ms" if math.isfinite(latency) else "not connected",
        )
        watcher = bot.faq_watcher
        embed.add_field(
            name="Watching files",
            value=f"yes (quiet {watcher.debounce:g} s)" if watcher.running else "no",
        )
        embed.add_field(name="Database", value=await self._database_status(), inline=False)
        embed.set_footer(text=clip(str(knowledge.faq_dir), FOOTER_SHOWN))
        await send_embed(interaction, embed)

    async def _database_status(self) -> str:
        """What the database holds right now (the file at DATA_DIR, reopened if it was
        deleted or replaced), and its latest incident, in words."""
        store = self.bot.store
        if store is None:
            return "unavailable: misses and votes are not kept (see the bot's log)"
        try:
            stats = await store.stats()
        except (OSError, sqlite3.Error, StoreError) as exc:
            return f"unreadable: {storage_problem(exc)}"
        days = self.bot.settings.retention_days
        value = f"{stats.questions} misses, {stats.votes} votes (kept {days} days)"
        if store.notices:
            last = store.notices[-1]
            value += f"\n⚠️ {ago(last.at)}: {last.message}"
        return clip(value, EMBED_FIELD_VALUE_LIMIT)

    @app_commands.command(name="misses", description="The most frequent unanswered questions")
    @app_commands.describe(days="How many days to look back (default 7)")
    async def misses_command(
        self, interaction: Interaction, days: app_commands.Range[int, 1, 365] = DEFAULT_MISS_DAYS
    ) -> None:
        store = self.bot.store
        if store is None:
            await say(interaction, NO_STORE)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        index = self.bot.knowledge.index
        # Direct messages belong to no server: shown only when the bot serves just this one.
        single = len(self.bot.guilds) == 1
        misses = await store.misses(days=days, guild_id=interaction.guild_id, with_direct=single)
        groups = group_misses(misses, synonyms=index.synonyms)
        title = f"Unanswered questions, last {days} day(s)"
        if not groups:
            embed = discord.Embed(
                title=title, description="None: every question got an answer.", colour=COLOUR_OK
            )
            await send_embed(interaction, embed)
            return
        view = new_view()
        lines = []
        unsaved: list[str] = []  # a failed write (full disk) costs the buttons, not the list
        for number, group in enumerate(groups[:MISS_GROUPS_SHOWN], start=1):
            lines.append(await self._miss_line(number, group, index, view, unsaved))
        more = len(groups) - MISS_GROUPS_SHOWN
        footer = (
            f"{len(misses)} question(s) in {len(groups)} group(s)"
            + (f"; {more} more group(s) with `faqbot misses`" if more > 0 else "")
            + ". Export them as FAQ stubs: faqbot misses --export FILE"
        )
        if unsaved:
            footer = f"No alias buttons: {unsaved[0]}. " + footer
        embed = discord.Embed(
            title=title,
            description=clip_lines(lines, EMBED_DESCRIPTION_LIMIT),
            colour=COLOUR,
        )
        embed.set_footer(text=clip(footer, EMBED_FOOTER_LIMIT))
        await send_embed(interaction, embed, view)

    async def _miss_line(
        self,
        number: int,
        group: MissGroup,
        index: FaqIndex,
        view: discord.ui.View,
        unsaved: list[str],
    ) -> str:
        store = self.bot.store
        assert store is not None
        people = f", {group.askers} people" if group.askers > 1 else ""
        similar = f" _(+{len(group.variants)} similar)_" if group.variants else ""
        line = (
            f"**{number}.** {group.count}×{people}: {echo(group.question, QUESTION_SHOWN)}{similar}"
        )
        closest = closest_entry(index, group)
        if closest is None:
            return line + "\n  closest entry: none"
        found = line + f"\n  closest: `{closest.entry.id}` ({closest.score:.2f})"
        if alias_offer(index, group) is None:
            return found + " (below the bar for an alias)"
        if unsaved:
            return found
        try:
            candidate_id = await store.add_alias_candidate(
                closest.entry.id, alias_text(group.question)
            )
        except (OSError, sqlite3.Error) as exc:
            unsaved.append(storage_problem(exc))
            return found
        view.add_item(
            AddAliasButton(candidate_id, label=f"{number}. Add as alias of {closest.entry.id}")
        )
        return found

    @app_commands.command(
        name="handoffs", description="Questions handed to the moderators, oldest first"
    )
    async def handoffs_command(self, interaction: Interaction) -> None:
        store = self.bot.store
        if store is None:
            await say(interaction, NO_STORE)
            return
        waiting = await store.open_handoffs(limit=HANDOFFS_SHOWN)
        total = await store.open_handoff_count()
        days = self.bot.settings.retention_days
        median = await store.handoff_median_seconds(days=days)
        lines = []
        for handoff in waiting:
            people = len(handoff.askers)
            url = card_url(handoff, interaction.guild_id)
            card = f" · [card]({url})" if url else " · card not posted"
            reminded = " · reminded" if handoff.reminded_at is not None else ""
            lines.append(
                f"**#{handoff.id}** {ago(handoff.opened_at)} · {people} delegate(s){card}"
                f"{reminded}\n  {echo(handoff.question, QUESTION_SHOWN)}"
            )
        embed = discord.Embed(
            title=f"Open hand-offs ({total})",
            description=clip_lines(lines, EMBED_DESCRIPTION_LIMIT)
            if lines
            else "None: every question handed to the moderators was answered.",
            colour=COLOUR if lines else COLOUR_OK,
        )
        shown_median = duration(median) if median is not None else "no answer yet"
        embed.set_footer(
            text=clip(
                f"Median time to answer (last {days} days): {shown_median}. "
                "Answered ones as FAQ entries: faqbot handoffs --export FILE",
                EMBED_FOOTER_LIMIT,
            )
        )
        await send_embed(interaction, embed)

    @app_commands.command(name="feedback", description="Entries with the worst helpful ratio")
    async def feedback_command(self, interaction: Interaction) -> None:
        store = self.bot.store
        if store is None:
            await say(interaction, NO_STORE)
            return
        rows = await store.feedback(limit=15)
        index = self.bot.knowledge.index
        embed = discord.Embed(title="Least helpful answers", colour=COLOUR)
        embed.description = (
            clip_lines(feedback_lines(rows, index), EMBED_DESCRIPTION_LIMIT)
            if rows
            else "No votes yet."
        )
        await send_embed(interaction, embed)

    @app_commands.command(
        name="test", description="The engine's top 5 entries for a question, and why it chose"
    )
    @app_commands.describe(question="The question to try, as a delegate would ask it")
    async def test_command(
        self, interaction: Interaction, question: app_commands.Range[str, 1, 500]
    ) -> None:
        index = self.bot.knowledge.index  # one version for the verdict and the ranking
        answer = index.answer(question)
        ranked = index.rank(question, limit=5)
        shown = f"`{answer.best.entry.id}`" if answer.best else ""
        verdict = {
            Outcome.ANSWERED: f"answers with {shown}",
            Outcome.NOT_STATED: f"says the release does not say it, and shows {shown}",
            Outcome.SUGGESTED: "offers a choice (did you mean)",
            Outcome.DECLINED: "declines (nothing fits)",
            Outcome.REFUSED: "refuses the input",
        }[answer.outcome]
        lines = [f"**Question:** {echo(question, 300)}", f"**Verdict:** {verdict}"]
        if answer.reason:
            lines.append(f"**Why:** {answer.reason}")
        lines.append("")
        lines += [
            f"{n}. `{c.entry.id}` **{c.score:.3f}**: {echo(c.entry.question, 150)}"
            for n, c in enumerate(ranked, start=1)
        ] or ["No entry shares a word with this question."]
        # The signals and their weights, as `faqbot ask --explain` prints them.
        explanation = render_explanation(index.explain(question)).splitlines()
        why = code_block(explanation, EXPLANATION_LIMIT)
        embed = discord.Embed(
            title="Engine test",
            description=clip_lines(lines, EMBED_DESCRIPTION_LIMIT - len(why) - 1) + "\n" + why,
            colour=COLOUR,
        )
        embed.set_footer(text=f"FAQ {index.faq.version}")
        await send_embed(interaction, embed)

    @app_commands.command(name="aliases", description="Aliases learned from misses")
    async def aliases_command(self, interaction: Interaction) -> None:
        bot = self.bot
        try:
            learned = await asyncio.to_thread(bot.learned.load)
        except LearnedAliasesError as exc:
            embed = discord.Embed(
                title="The learned aliases file has errors",
                description=code_block(map(str, exc.problems), EMBED_DESCRIPTION_LIMIT),
                colour=COLOUR_FAIL,
            )
            await send_embed(interaction, embed)
            return
        pairs = [(e, a) for e in sorted(learned) for a in learned[e]]
        embed = discord.Embed(title=f"Learned aliases ({len(pairs)})", colour=COLOUR)
        if not pairs:
            embed.description = "None yet. Add some from `/faq-admin misses`."
            await send_embed(interaction, embed)
            return
        view = new_view()
        lines = []
        unsaved: str | None = None  # a failed write (full disk) costs the buttons, not the list
        for number, (entry_id, alias) in enumerate(pairs, start=1):
            lines.append(f"**{number}.** `{entry_id}` ← {echo(alias, QUESTION_SHOWN)}")
            if bot.store is not None and number <= REMOVE_BUTTONS_SHOWN and unsaved is None:
                try:
                    candidate_id = await bot.store.add_alias_candidate(entry_id, alias)
                except (OSError, sqlite3.Error) as exc:
                    unsaved = storage_problem(exc)
                    continue
                view.add_item(RemoveAliasButton(candidate_id, label=f"Remove {number}"))
        embed.description = clip_lines(lines, EMBED_DESCRIPTION_LIMIT)
        footer = "Export them to fold into faq/: faqbot aliases --export FILE"
        if unsaved is not None:
            footer = f"No remove buttons: {unsaved}. Use /faq-admin unalias. " + footer
        embed.set_footer(text=clip(footer, EMBED_FOOTER_LIMIT))
        await send_embed(interaction, embed, view)

    @app_commands.command(name="unalias", description="Remove an alias learned from misses")
    @app_commands.describe(entry="The entry id", alias="The learned alias to remove")
    async def unalias_command(self, interaction: Interaction, entry: str, alias: str) -> None:
        await remove_alias(interaction, entry, alias)

    @unalias_command.autocomplete("entry")
    async def _entry_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None or not allowed(interaction):
            return []
        learned = await self._learned_or_empty()
        ids = [e for e in sorted(learned) if current.lower() in e]
        return [app_commands.Choice(name=clip(e, CHOICE_NAME_LIMIT), value=e) for e in ids][
            :CHOICES_LIMIT
        ]

    @unalias_command.autocomplete("alias")
    async def _alias_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None or not allowed(interaction):
            return []
        learned = await self._learned_or_empty()
        entry = str(getattr(interaction.namespace, "entry", "") or "")
        aliases = learned.get(entry, ()) if entry else tuple(a for v in learned.values() for a in v)
        matching = [
            a for a in aliases if current.lower() in a.lower() and len(a) <= CHOICE_NAME_LIMIT
        ]
        return [app_commands.Choice(name=a, value=a) for a in matching][:CHOICES_LIMIT]

    async def _learned_or_empty(self) -> dict[str, tuple[str, ...]]:
        try:
            return await asyncio.to_thread(self.bot.learned.load)
        except LearnedAliasesError:
            return {}

    # --- editing the FAQ files --------------------------------------------------------------

    @app_commands.command(name="edit", description="Edit an entry's question, answer, phrasings")
    @app_commands.describe(entry="The entry to edit")
    async def edit_command(self, interaction: Interaction, entry: str) -> None:
        reason = editing_off(self.bot)
        if reason is not None:
            await say(interaction, reason)
            return
        found = self.bot.knowledge.index.entry(entry.removeprefix("id:"))
        if found is None:
            await say(interaction, f"There is no entry `{clip(entry, 60)}`.")
            return
        text = EntryText(found.question, found.answer, found.aliases)
        await interaction.response.send_modal(edit_modal(found.id, text))

    @app_commands.command(name="add", description="Add an entry to a topic (with its source)")
    @app_commands.describe(
        topic="The topic (FAQ file) the new entry goes in",
        source="What backs the answer: a verbatim quote from a source (default), or your "
        "own statement as a moderator",
    )
    async def add_command(
        self,
        interaction: Interaction,
        topic: str,
        source: Literal["quote", "moderator statement"] = "quote",
    ) -> None:
        reason = editing_off(self.bot)
        if reason is not None:
            await say(interaction, reason)
            return
        if self.bot.knowledge.index.faq.topic(topic) is None:
            await say(interaction, f"There is no topic `{clip(topic, 60)}`.")
            return
        modal = add_modal(topic, statement=source == "moderator statement")
        await interaction.response.send_modal(modal)

    @app_commands.command(name="remove", description="Remove an entry (after a confirmation)")
    @app_commands.describe(entry="The entry to remove")
    async def remove_command(self, interaction: Interaction, entry: str) -> None:
        reason = editing_off(self.bot)
        if reason is not None:
            await say(interaction, reason)
            return
        knowledge = self.bot.knowledge
        entry_id = entry.removeprefix("id:")
        await make_draft(
            interaction,
            "remove",
            lambda: (entry_id, remove_entry(knowledge.faq_dir, knowledge.index, entry_id)),
        )

    @app_commands.command(name="history", description="Changes saved from Discord, with Undo")
    @app_commands.describe(entry="Only this entry's changes")
    async def history_command(self, interaction: Interaction, entry: str | None = None) -> None:
        store = self.bot.store
        if store is None:
            await say(interaction, NO_STORE)
            return
        entry_id = entry.removeprefix("id:") if entry else None
        records = await store.changes(entry_id=entry_id, limit=HISTORY_SHOWN)
        title = f"FAQ changes of {entry_id}" if entry_id else "FAQ changes"
        embed = discord.Embed(title=clip(title, EMBED_FOOTER_LIMIT), colour=COLOUR)
        if not records:
            embed.description = "No change saved from Discord yet."
            await send_embed(interaction, embed)
            return
        view = new_view()
        lines = []
        for record in records:
            files = ", ".join(f"`{path}`" for path, _, _ in record.files)
            undone = f" (undoes #{record.undoes})" if record.undoes else ""
            lines.append(
                f"**#{record.id}** {ago(record.changed_at)} {echo(record.moderator, 40)} "
                f"{record.action} `{record.entry_id}`{undone}: {files}"
            )
            view.add_item(UndoButton(record.id, label=f"Undo #{record.id}"))
        embed.description = clip_lines(lines, EMBED_DESCRIPTION_LIMIT)
        embed.set_footer(text="Undo previews the reverse change first. Terminal: faqbot history")
        await send_embed(interaction, embed, view)

    @edit_command.autocomplete("entry")
    @remove_command.autocomplete("entry")
    @history_command.autocomplete("entry")
    async def _faq_entry_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None or not allowed(interaction):
            return []
        found = entries_named(self.bot.knowledge.index, current)
        return [
            app_commands.Choice(name=clip(f"{e.id}: {e.question}", CHOICE_NAME_LIMIT), value=e.id)
            for e in found
        ][:CHOICES_LIMIT]

    @add_command.autocomplete("topic")
    async def _topic_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None or not allowed(interaction):
            return []
        topics = self.bot.knowledge.index.faq.topics
        return [
            app_commands.Choice(name=clip(f"{t.id}: {t.title}", CHOICE_NAME_LIMIT), value=t.id)
            for t in topics
            if current.casefold() in t.id or current.casefold() in t.title.casefold()
        ][:CHOICES_LIMIT]

    source_group = app_commands.Group(name="source", description="Source documents entries quote")

    @source_group.command(name="add", description="Add a source document (a UTF-8 text file)")
    @app_commands.describe(
        file="The document as a .txt attachment (UTF-8)", title="Its title, shown in /about"
    )
    async def source_add_command(
        self,
        interaction: Interaction,
        file: discord.Attachment,
        title: app_commands.Range[str, 1, 200],
    ) -> None:
        reason = editing_off(self.bot)
        if reason is not None:
            await say(interaction, reason)
            return
        if file.size > MAX_SOURCE_BYTES:
            await say(
                interaction,
                f"Not added: {echo(file.filename, 80)} has {file.size:,} bytes; a source may "
                f"have at most {MAX_SOURCE_BYTES:,}.",
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            text = decode_source(await file.read())
        except EditError as exc:
            await say(interaction, f"Not added: {exc}")
            return
        except discord.HTTPException as exc:
            await say(interaction, f"Not added: the attachment could not be read ({exc.status}).")
            return
        faq_dir = self.bot.knowledge.faq_dir
        await make_draft(
            interaction, "source", lambda: source_files(faq_dir, file.filename, title, text)
        )
