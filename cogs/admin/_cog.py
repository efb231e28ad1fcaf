"""`/faq-admin`: moderators reload the FAQ, read its status, review misses and feedback, test
the engine, and turn unanswered questions into aliases.

Moderators only: the group is hidden from members without Manage Server
(`default_permissions`), and every command and button checks again at run time: a member of
MOD_ROLE_IDS, or with Manage Server when MOD_ROLE_IDS is empty. Others get a private
refusal, and the attempt is logged. Guild only; every reply is ephemeral, without pings.

The bot owns the services (`bot.store`, `bot.learned`, `bot.faq_watcher`); this cog listens
to the watcher and posts reload results to MOD_LOG_CHANNEL_ID.

custom_id formats (<= 100 characters; the alias text stays in SQLite, not in the id):
- `mod:alias:add:<candidate row id>`  "Add as alias of <entry>" under `/faq-admin misses`
- `mod:alias:rm:<candidate row id>`   "Remove" (after adding, and in `/faq-admin aliases`)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.engine.index import FaqIndex
from bot.engine.models import Outcome
from bot.services.knowledge import KnowledgeBase, ReloadResult, clip_lines
from bot.services.learned import LearnedAliases, LearnedAliasesError
from bot.services.misses import MissGroup, alias_text, closest_entry, group_misses
from bot.services.store import EntryFeedback, Store
from bot.services.watcher import FaqWatcher

if TYPE_CHECKING:
    from bot.client.faqbot import FaqBot

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
DESCRIPTION_LIMIT = 4096
FIELD_VALUE_LIMIT = 1024
FIELDS_LIMIT = 25
BUTTON_LABEL_LIMIT = 80
CUSTOM_ID_LIMIT = 100
CHOICES_LIMIT = 25
CHOICE_LIMIT = 100
COLOUR_OK = discord.Colour(0x2E7D32)
COLOUR_FAIL = discord.Colour(0xC62828)
COLOUR_INFO = discord.Colour(0x1D5B8F)

ADD_ALIAS_PREFIX = "mod:alias:add:"
REMOVE_ALIAS_PREFIX = "mod:alias:rm:"
MISS_GROUPS_SHOWN = 10
DEFAULT_MISS_DAYS = 7
QUESTION_SHOWN = 120

REFUSAL = "Only FAQ moderators can use this."
GUILD_ONLY = "This only works in a server."
ERROR_TEXT = "Something went wrong; the details are in the bot's log."
NO_STORE = "The question database is not available (see the bot's log)."

Interaction = discord.Interaction[Any]


# --- who is a moderator --------------------------------------------------------------------


def is_moderator(
    role_ids: Iterable[int], *, manage_guild: bool, mod_role_ids: Sequence[int]
) -> bool:
    """A member of MOD_ROLE_IDS; with no MOD_ROLE_IDS, anyone with Manage Server."""
    if mod_role_ids:
        return not set(mod_role_ids).isdisjoint(role_ids)
    return manage_guild


def member_role_ids(user: discord.abc.User) -> set[int]:
    roles = {role.id for role in getattr(user, "roles", ())}
    return roles | set(getattr(user, "_roles", ()))  # ids even for roles not in the cache


# --- text helpers --------------------------------------------------------------------------


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(text: str, limit: int = QUESTION_SHOWN) -> str:
    """User-typed text, one line, markdown escaped, clipped."""
    return discord.utils.escape_markdown(clip(" ".join(text.split()), limit))


def code_block(lines: Iterable[str], limit: int) -> str:
    """Lines in a code block (no markdown surprises in `file:line: message`) within `limit`."""
    body = clip_lines((line.replace("```", "'''") for line in lines), limit - 8)
    return f"```\n{body}\n```"


def ago(timestamp: float) -> str:
    return f"<t:{int(timestamp)}:R>"


def duration(seconds: float) -> str:
    seconds = int(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h {minutes}m"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m {secs}s"


def reload_embed(result: ReloadResult, *, reason: str | None = None) -> discord.Embed:
    """What moderators see after a reload: the summary, then changes or `file:line` errors."""
    if result.ok:
        title = clip(result.summary(), 256)
        lines = []
        if result.previous is not None and result.version != result.previous:
            for label, ids in (
                ("Added", result.added),
                ("Changed", result.changed),
                ("Removed", result.removed),
            ):
                if ids:
                    lines.append(f"**{label}:** " + ", ".join(f"`{i}`" for i in ids))
            if not lines:
                lines.append("No entry changed (synonyms, sources, order or comments did).")
        description = clip_lines(lines, DESCRIPTION_LIMIT - 1100)
        if result.warnings:
            description += "\n**Warnings:**\n" + code_block(map(str, result.warnings), 1000)
        embed = discord.Embed(title=title, description=description or None, colour=COLOUR_OK)
    else:
        embed = discord.Embed(
            title=clip(f"FAQ reload failed: still serving {result.version}", 256),
            description=clip(
                f"{len(result.errors)} error(s); fix them and save again (or `/faq-admin "
                "reload`). Questions are still answered from the last good FAQ.\n"
                + code_block(map(str, result.errors), DESCRIPTION_LIMIT - 300),
                DESCRIPTION_LIMIT,
            ),
            colour=COLOUR_FAIL,
        )
    if reason:
        embed.set_footer(text=clip(reason, 200))
    return embed


# --- services ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Services:
    """What the admin commands use, all owned by the bot."""

    knowledge: KnowledgeBase
    learned: LearnedAliases
    watcher: FaqWatcher
    store: Store | None


def _finished(view: discord.ui.View) -> discord.ui.View:
    """A view discord.py will not store or time out (the items are persistent DynamicItems)."""
    view.stop()
    return view


class AddAliasButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"mod:alias:add:(?P<id>[0-9]{1,18})",
):
    """Adds a stored miss as an alias of the entry the engine thought closest."""

    def __init__(self, candidate_id: int, entry_id: str = "", *, number: int | None = None):
        prefix = f"{number}. " if number is not None else ""
        text = f"{prefix}Add as alias of {entry_id}" if entry_id else "Add as alias"
        label = clip(text, BUTTON_LABEL_LIMIT)
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.primary,
                custom_id=f"{ADD_ALIAS_PREFIX}{candidate_id}",
            )
        )
        self.candidate_id = candidate_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Button[Any], match: re.Match[str], /
    ) -> AddAliasButton:
        return cls(int(match["id"]))

    async def interaction_check(self, interaction: Interaction, /) -> bool:
        return await _not_expired(interaction)

    async def callback(self, interaction: Interaction) -> None:
        cog = _cog(interaction)
        if cog is None:
            return await _say(interaction, ERROR_TEXT)
        await cog.run(
            interaction,
            "add alias button",
            lambda: cog.add_alias(interaction, self.candidate_id),
            component=True,
        )


class RemoveAliasButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"mod:alias:rm:(?P<id>[0-9]{1,18})",
):
    """Removes a learned alias (the text stays in SQLite; the custom_id has its row id)."""

    def __init__(self, candidate_id: int, *, label: str = "Remove"):
        super().__init__(
            discord.ui.Button(
                label=clip(label, BUTTON_LABEL_LIMIT),
                style=discord.ButtonStyle.danger,
                custom_id=f"{REMOVE_ALIAS_PREFIX}{candidate_id}",
            )
        )
        self.candidate_id = candidate_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Button[Any], match: re.Match[str], /
    ) -> RemoveAliasButton:
        return cls(int(match["id"]), label=item.label or "Remove")

    async def interaction_check(self, interaction: Interaction, /) -> bool:
        return await _not_expired(interaction)

    async def callback(self, interaction: Interaction) -> None:
        cog = _cog(interaction)
        if cog is None:
            return await _say(interaction, ERROR_TEXT)
        await cog.run(
            interaction,
            "remove alias button",
            lambda: cog.remove_alias_by_id(interaction, self.candidate_id),
            component=True,
        )


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (AddAliasButton, RemoveAliasButton)


async def _not_expired(interaction: Interaction) -> bool:
    """The moderator buttons' check: an interaction too old to answer is dropped unanswered."""
    drop = getattr(interaction.client, "drop_expired", None)
    return not (drop is not None and drop(interaction))


def _cog(interaction: Interaction) -> AdminCog | None:
    client = interaction.client
    cog = client.get_cog(AdminCog.__cog_name__) if isinstance(client, commands.Bot) else None
    return cog if isinstance(cog, AdminCog) else None


async def _say(interaction: Interaction, text: str) -> None:
    """A private reply (or follow-up once answered); never raises."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
    except discord.HTTPException as exc:
        log.warning("could not reply to interaction %s: %s", interaction.id, exc)


async def _send(
    interaction: Interaction, *, embed: discord.Embed, view: discord.ui.View | None = None
) -> None:
    kwargs: dict[str, Any] = {"embed": embed, "ephemeral": True, "allowed_mentions": NO_MENTIONS}
    if view is not None and view.children:
        kwargs["view"] = _finished(view)
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


@app_commands.guild_only()
@app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
@app_commands.default_permissions(manage_guild=True)
class AdminCog(
    commands.GroupCog,
    name="FAQ admin",
    group_name="faq-admin",
    group_description="FAQ moderation: reload, status, misses, feedback (moderators only)",
):
    def __init__(self, bot: FaqBot) -> None:
        self.bot = bot
        self.services: Services | None = None
        self._posts: set[asyncio.Task[None]] = set()
        super().__init__()

    # --- wiring ----------------------------------------------------------------------------

    async def cog_load(self) -> None:
        bot = self.bot
        self.services = Services(bot.knowledge, bot.learned, bot.faq_watcher, bot.store)
        bot.faq_watcher.add_listener(self.on_reload)
        bot.add_dynamic_items(*DYNAMIC_ITEMS)

    async def cog_unload(self) -> None:
        self.services = None
        self.bot.faq_watcher.remove_listener(self.on_reload)
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)
        if self._posts:
            await asyncio.wait(self._posts, timeout=5)

    async def on_reload(self, result: ReloadResult, reason: str) -> None:
        """Metrics, and the moderator log channel for failures and real changes."""
        metrics = self.bot.metrics
        if metrics is not None:
            metrics.reload("ok" if result.ok else "failed")
            if result.ok:
                metrics.faq_loaded(result.version, result.entries)
        if result.ok and result.version == result.previous:
            return
        # In the background: a slow Discord must not delay the reload's caller.
        task = asyncio.get_running_loop().create_task(
            self.post_mod_log(reload_embed(result, reason=reason)), name="mod-log-post"
        )
        self._posts.add(task)
        task.add_done_callback(self._posts.discard)

    async def post_mod_log(self, embed: discord.Embed) -> None:
        channel_id = self.bot.settings.mod_log_channel_id
        if channel_id is None:
            return
        try:
            channel = self.bot.get_channel(channel_id) or await self.bot.fetch_channel(channel_id)
            if isinstance(channel, discord.abc.Messageable):
                await channel.send(embed=embed, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:
            log.warning("could not post to MOD_LOG_CHANNEL_ID %s: %s", channel_id, exc)

    # --- guard -----------------------------------------------------------------------------

    def allowed(self, interaction: Interaction) -> bool:
        user = interaction.user
        return is_moderator(
            member_role_ids(user),
            manage_guild=interaction.permissions.manage_guild,
            mod_role_ids=self.bot.settings.mod_role_ids,
        )

    async def run(
        self,
        interaction: Interaction,
        what: str,
        handler: Callable[[], Awaitable[None]],
        *,
        component: bool = False,
    ) -> None:
        """Check the moderator, turn errors into a private reply; a component's work also
        counts as in flight (the command tree already counts commands) for a clean shutdown."""
        async with self.bot.handling() if component else contextlib.nullcontext():
            if interaction.guild_id is None:
                await _say(interaction, GUILD_ONLY)
                return
            if not self.allowed(interaction):
                log.warning(
                    "refused %s for user %s (not a moderator) in guild %s",
                    what,
                    interaction.user.id,
                    interaction.guild_id,
                )
                await _say(interaction, REFUSAL)
                return
            try:
                await handler()
            except Exception as exc:
                if self.bot.expired_on_reply(interaction, exc, where=what):
                    return
                log.exception("%s failed", what)
                self.bot.count_error("admin")
                await _say(interaction, f"{ERROR_TEXT} ({type(exc).__name__})")

    def _services(self) -> Services:
        if self.services is None:
            raise RuntimeError("the admin cog is not loaded")
        return self.services

    # --- commands --------------------------------------------------------------------------

    @app_commands.command(name="reload", description="Reload the FAQ files now (validated first)")
    async def reload_command(self, interaction: Interaction) -> None:
        await self.run(interaction, "/faq-admin reload", lambda: self._reload(interaction))

    async def _reload(self, interaction: Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self._services().watcher.reload(
            f"/faq-admin reload by {interaction.user} ({interaction.user.id})"
        )
        await _send(interaction, embed=reload_embed(result))

    @app_commands.command(name="status", description="FAQ version, last reload, uptime, latency")
    async def status_command(self, interaction: Interaction) -> None:
        await self.run(interaction, "/faq-admin status", lambda: self._status(interaction))

    async def _status(self, interaction: Interaction) -> None:
        services = self._services()
        knowledge = services.knowledge
        index = knowledge.index
        faq = index.faq
        embed = discord.Embed(title="FAQ bot status", colour=COLOUR_INFO)
        embed.add_field(name="FAQ version", value=f"`{faq.version}`")
        embed.add_field(name="Entries", value=f"{len(faq.entries)} in {len(faq.topics)} topics")
        embed.add_field(
            name="Learned aliases", value=str(await asyncio.to_thread(services.learned.count))
        )
        last = knowledge.last_reload
        if last is not None:
            state = "✅" if last.ok else "❌"
            embed.add_field(
                name="Last reload",
                value=clip(f"{state} {ago(last.at)}: {last.summary()}", FIELD_VALUE_LIMIT),
                inline=False,
            )
        if last is not None and not last.ok and knowledge.last_good is not None:
            embed.add_field(name="Serving since", value=ago(knowledge.last_good.at), inline=False)
        embed.add_field(
            name="Uptime", value=duration(time.monotonic() - self.bot.started_monotonic)
        )
        latency = self.bot.latency
        embed.add_field(
            name="Gateway latency",
            value=f"{latency * 1000:.0f} ms" if math.isfinite(latency) else "not connected",
        )
        watcher = services.watcher
        embed.add_field(
            name="Watching files",
            value=f"yes (quiet {watcher.debounce:g} s)" if watcher.running else "no",
        )
        if services.store is not None:
            stats = await services.store.stats()
            days = self.bot.settings.retention_days
            embed.add_field(
                name="Database",
                value=f"{stats.questions} misses, {stats.votes} votes (kept {days} days)",
            )
        else:
            embed.add_field(name="Database", value="unavailable")
        embed.set_footer(text=clip(str(knowledge.faq_dir), 200))
        await _send(interaction, embed=embed)

    @app_commands.command(name="misses", description="The most frequent unanswered questions")
    @app_commands.describe(days="How many days to look back (default 7)")
    async def misses_command(
        self, interaction: Interaction, days: app_commands.Range[int, 1, 365] = DEFAULT_MISS_DAYS
    ) -> None:
        await self.run(interaction, "/faq-admin misses", lambda: self._misses(interaction, days))

    async def _misses(self, interaction: Interaction, days: int) -> None:
        services = self._services()
        if services.store is None:
            return await _say(interaction, NO_STORE)
        await interaction.response.defer(ephemeral=True, thinking=True)
        index = services.knowledge.index
        # Direct messages belong to no server: shown only when the bot serves just this one.
        single = len(self.bot.guilds) == 1
        misses = await services.store.misses(
            days=days, guild_id=interaction.guild_id, with_direct=single
        )
        groups = group_misses(misses, synonyms=index.synonyms)
        title = f"Unanswered questions, last {days} day(s)"
        if not groups:
            embed = discord.Embed(
                title=title, description="None: every question got an answer.", colour=COLOUR_OK
            )
            return await _send(interaction, embed=embed)
        view = discord.ui.View(timeout=None)
        lines = []
        for number, group in enumerate(groups[:MISS_GROUPS_SHOWN], start=1):
            lines.append(await self._miss_line(number, group, index, view))
        more = len(groups) - MISS_GROUPS_SHOWN
        footer = (
            f"{len(misses)} question(s) in {len(groups)} group(s)"
            + (f"; {more} more group(s) with `faqbot misses`" if more > 0 else "")
            + ". Export them as FAQ stubs: faqbot misses --export FILE"
        )
        embed = discord.Embed(
            title=title,
            description=clip_lines(lines, DESCRIPTION_LIMIT),
            colour=COLOUR_INFO,
        )
        embed.set_footer(text=clip(footer, 2048))
        await _send(interaction, embed=embed, view=view)

    async def _miss_line(
        self, number: int, group: MissGroup, index: FaqIndex, view: discord.ui.View
    ) -> str:
        store = self._services().store
        assert store is not None
        people = f", {group.askers} people" if group.askers > 1 else ""
        similar = f" _(+{len(group.variants)} similar)_" if group.variants else ""
        line = f"**{number}.** {group.count}×{people}: {shown(group.question)}{similar}"
        closest = closest_entry(index, group)
        if closest is None:
            return line + "\n  closest entry: none"
        candidate_id = await store.add_alias_candidate(closest.entry.id, alias_text(group.question))
        view.add_item(AddAliasButton(candidate_id, closest.entry.id, number=number))
        return line + f"\n  closest: `{closest.entry.id}` ({closest.score:.2f})"

    @app_commands.command(name="feedback", description="Entries with the worst helpful ratio")
    async def feedback_command(self, interaction: Interaction) -> None:
        await self.run(interaction, "/faq-admin feedback", lambda: self._feedback(interaction))

    async def _feedback(self, interaction: Interaction) -> None:
        services = self._services()
        if services.store is None:
            return await _say(interaction, NO_STORE)
        rows = await services.store.feedback(limit=15)
        index = services.knowledge.index
        embed = discord.Embed(title="Least helpful answers", colour=COLOUR_INFO)
        embed.description = (
            clip_lines(feedback_lines(rows, index), DESCRIPTION_LIMIT) if rows else "No votes yet."
        )
        await _send(interaction, embed=embed)

    @app_commands.command(name="test", description="The engine's top 5 entries for a question")
    @app_commands.describe(question="The question to try, as a delegate would ask it")
    async def test_command(
        self, interaction: Interaction, question: app_commands.Range[str, 1, 500]
    ) -> None:
        await self.run(interaction, "/faq-admin test", lambda: self._test(interaction, question))

    async def _test(self, interaction: Interaction, question: str) -> None:
        index = self._services().knowledge.index  # one version for the verdict and the ranking
        answer = index.answer(question)
        ranked = index.rank(question, limit=5)
        verdict = {
            Outcome.ANSWERED: f"answers with `{answer.best.entry.id}`" if answer.best else "",
            Outcome.SUGGESTED: "offers a choice (did you mean)",
            Outcome.DECLINED: "declines (nothing fits)",
            Outcome.REFUSED: "refuses the input",
        }[answer.outcome]
        lines = [f"**Question:** {shown(question, 300)}", f"**Verdict:** {verdict}"]
        if answer.reason:
            lines.append(f"**Why:** {answer.reason}")
        lines.append("")
        lines += [
            f"{n}. `{c.entry.id}` **{c.score:.3f}**: {shown(c.entry.question, 150)}"
            for n, c in enumerate(ranked, start=1)
        ] or ["No entry shares a word with this question."]
        embed = discord.Embed(
            title="Engine test",
            description=clip_lines(lines, DESCRIPTION_LIMIT),
            colour=COLOUR_INFO,
        )
        embed.set_footer(text=f"FAQ {index.faq.version}")
        await _send(interaction, embed=embed)

    @app_commands.command(name="aliases", description="Aliases learned from misses")
    async def aliases_command(self, interaction: Interaction) -> None:
        await self.run(interaction, "/faq-admin aliases", lambda: self._aliases(interaction))

    async def _aliases(self, interaction: Interaction) -> None:
        services = self._services()
        try:
            learned = await asyncio.to_thread(services.learned.load)
        except LearnedAliasesError as exc:
            embed = discord.Embed(
                title="The learned aliases file has errors",
                description=code_block(map(str, exc.problems), DESCRIPTION_LIMIT),
                colour=COLOUR_FAIL,
            )
            return await _send(interaction, embed=embed)
        pairs = [(e, a) for e in sorted(learned) for a in learned[e]]
        embed = discord.Embed(title=f"Learned aliases ({len(pairs)})", colour=COLOUR_INFO)
        if not pairs:
            embed.description = "None yet. Add some from `/faq-admin misses`."
            return await _send(interaction, embed=embed)
        view = discord.ui.View(timeout=None)
        lines = []
        for number, (entry_id, alias) in enumerate(pairs, start=1):
            lines.append(f"**{number}.** `{entry_id}` ← {shown(alias)}")
            if services.store is not None and number <= 25:
                candidate_id = await services.store.add_alias_candidate(entry_id, alias)
                view.add_item(RemoveAliasButton(candidate_id, label=f"Remove {number}"))
        embed.description = clip_lines(lines, DESCRIPTION_LIMIT)
        embed.set_footer(text="Export them to fold into faq/: faqbot aliases --export FILE")
        await _send(interaction, embed=embed, view=view)

    @app_commands.command(name="unalias", description="Remove an alias learned from misses")
    @app_commands.describe(entry="The entry id", alias="The learned alias to remove")
    async def unalias_command(self, interaction: Interaction, entry: str, alias: str) -> None:
        await self.run(
            interaction, "/faq-admin unalias", lambda: self.remove_alias(interaction, entry, alias)
        )

    @unalias_command.autocomplete("entry")
    async def _entry_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None or not self.allowed(interaction):
            return []
        learned = await self._learned_or_empty()
        ids = [e for e in sorted(learned) if current.lower() in e]
        return [app_commands.Choice(name=clip(e, CHOICE_LIMIT), value=e) for e in ids][
            :CHOICES_LIMIT
        ]

    @unalias_command.autocomplete("alias")
    async def _alias_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None or not self.allowed(interaction):
            return []
        learned = await self._learned_or_empty()
        entry = str(getattr(interaction.namespace, "entry", "") or "")
        aliases = learned.get(entry, ()) if entry else tuple(a for v in learned.values() for a in v)
        matching = [a for a in aliases if current.lower() in a.lower() and len(a) <= CHOICE_LIMIT]
        return [app_commands.Choice(name=a, value=a) for a in matching][:CHOICES_LIMIT]

    async def _learned_or_empty(self) -> dict[str, tuple[str, ...]]:
        try:
            return await asyncio.to_thread(self._services().learned.load)
        except LearnedAliasesError:
            return {}

    # --- learning aliases ------------------------------------------------------------------

    async def add_alias(self, interaction: Interaction, candidate_id: int) -> None:
        services = self._services()
        if services.store is None:
            return await _say(interaction, NO_STORE)
        await interaction.response.defer(ephemeral=True, thinking=True)
        candidate = await services.store.alias_candidate(candidate_id)
        if candidate is None:
            return await _say(
                interaction, "This suggestion has expired; run `/faq-admin misses` again."
            )
        change = await asyncio.to_thread(
            services.learned.add,
            candidate.entry_id,
            candidate.alias,
            faq_dir=services.knowledge.faq_dir,
        )
        if not change.ok:
            embed = discord.Embed(
                title=clip(change.message, 256),
                description=code_block(map(str, change.problems), DESCRIPTION_LIMIT)
                if change.problems
                else None,
                colour=COLOUR_FAIL,
            )
            return await _send(interaction, embed=embed)
        await services.store.set_alias_status(candidate_id, "accepted")
        text = change.message
        if change.changed:
            result = await services.watcher.reload(
                f"alias added by {interaction.user} ({interaction.user.id})"
            )
            text += (
                f"; FAQ {result.version} is live."
                if result.ok
                else f"; saved, but the FAQ does not load: {result.summary()}"
            )
        view = discord.ui.View(timeout=None)
        view.add_item(RemoveAliasButton(candidate_id, label="Undo"))
        embed = discord.Embed(
            description=clip(shown(text, 500), DESCRIPTION_LIMIT), colour=COLOUR_OK
        )
        await _send(interaction, embed=embed, view=view)

    async def remove_alias_by_id(self, interaction: Interaction, candidate_id: int) -> None:
        services = self._services()
        candidate = await services.store.alias_candidate(candidate_id) if services.store else None
        if candidate is None:
            return await _say(interaction, "This button has expired; use `/faq-admin unalias`.")
        await self.remove_alias(interaction, candidate.entry_id, candidate.alias)

    async def remove_alias(self, interaction: Interaction, entry_id: str, alias: str) -> None:
        services = self._services()
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            change = await asyncio.to_thread(services.learned.remove, entry_id, alias)
        except LearnedAliasesError as exc:
            return await _say(
                interaction, clip(f"The learned aliases file has errors: {exc}", 1900)
            )
        text = change.message
        if change.changed:
            result = await services.watcher.reload(
                f"alias removed by {interaction.user} ({interaction.user.id})"
            )
            text += f"; FAQ {result.version} is live." if result.ok else f"; {result.summary()}"
        embed = discord.Embed(
            description=clip(shown(text, 500), DESCRIPTION_LIMIT),
            colour=COLOUR_OK if change.ok else COLOUR_FAIL,
        )
        await _send(interaction, embed=embed)


def feedback_lines(rows: Sequence[EntryFeedback], index: FaqIndex) -> list[str]:
    lines = []
    for number, row in enumerate(rows, start=1):
        entry = index.entry(row.entry_id)
        question = shown(entry.question, 100) if entry else "(no longer in the FAQ)"
        versions = f", {row.versions} versions" if row.versions > 1 else ""
        lines.append(
            f"**{number}.** `{row.entry_id}`: {row.helpful}/{row.votes} helpful "
            f"({row.ratio:.0%}{versions}): {question}"
        )
    return lines
