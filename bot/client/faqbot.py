"""The Discord client: `FaqBot` loads the cogs, remembers the persistent items they register,
syncs commands when they changed, tracks work in flight for a clean shutdown, and hands every
answer to its subscribers (`on_question_answered`). It never imports a cog.

The cogs in `cogs/` are thin adapters from Discord events to the engine (`bot.engine`) and
back, built from the blocks in `bot.ui`; see bot/ARCHITECTURE.md.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import datetime
import importlib
import logging
import math
import pkgutil
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.client.translator import FaqTranslator
from bot.engine.text import shown_list
from bot.ops.health import HealthStatus
from bot.ops.logs import context as log_context
from bot.ops.memory import settle_heap
from bot.ops.metrics import Metrics
from bot.services.command_sync import GLOBAL, CommandSyncState, ScopePlan, guild_scope
from bot.services.events import QuestionEvent
from bot.services.handoffs import PendingQuestions
from bot.services.knowledge import KnowledgeBase, ReloadResult
from bot.services.learned import LearnedAliases, learned_path
from bot.services.rate_policy import RatePolicy
from bot.services.recent_posts import RecentPosts
from bot.services.storage_errors import storage_problem
from bot.services.store import Store, StoreError, StoreNotice
from bot.services.watcher import FaqWatcher
from bot.settings import Settings
from bot.ui import items, pipeline, texts
from bot.ui.limits import CONTENT_LIMIT, NO_MENTIONS
from bot.ui.reply import post_to_channel, say
from bot.ui.text import clip, echo

log = logging.getLogger(__name__)

COGS_PACKAGE = "cogs"
QuestionListener = Callable[[QuestionEvent], Awaitable[None]]
"""`async def listener(event)`: called after every answer; must not take long."""
LISTENER_TIMEOUT = 5.0
"""A subscriber that takes longer is abandoned (and logged) so answers never pile up."""
RECENT_WINDOW = 60.0
"""A public answer already posted in the channel this recently is linked, not reposted."""
MOD_ALERT_INTERVAL = 60.0
"""At most one error notice per kind per this many seconds in MOD_LOG_CHANNEL_ID."""
INTERACTION_MAX_AGE = 2.5
"""Seconds: an interaction older than this on arrival is dropped without any work. Discord
accepts the first reply only within 3 s of the interaction's creation (its snowflake id)."""
UNKNOWN_INTERACTION = 10062
"""Discord's error code for a reply to an interaction it no longer knows (past 3 s)."""
DISCORD_REPLY_WINDOW = 3.0
"""Seconds Discord accepts a first reply after an interaction's creation."""
DROP_REPORT_INTERVAL = 1.0
"""Seconds: interactions dropped as too old are summed up in one log line this often."""
SYNC_WAIT_SECONDS = 5.0
"""Start-up waits this long for the command sync; a longer one (many GUILD_IDS) goes on in
the background while the gateway connects."""
MAX_CONCURRENT = 100
"""Interactions and messages handled at once; the others wait their turn, first come first
served, and an interaction whose turn comes too late is dropped (INTERACTION_MAX_AGE). Without
this bound, an overloaded bot would share its one event loop among every interaction it has
received, and all of them would miss Discord's 3 s together."""


def intents() -> discord.Intents:
    """No privileged intent: Discord sends message content for mentions and DMs anyway."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.dm_messages = True
    return wanted


def interaction_age(interaction: discord.Interaction[Any]) -> float:
    """Seconds since Discord created the interaction (from its id; our clock against Discord's)."""
    return (discord.utils.utcnow() - interaction.created_at).total_seconds()


def interaction_name(interaction: discord.Interaction[Any]) -> str:
    """The command's name or the component's custom_id, read from the payload (no lookups)."""
    data: Mapping[str, Any] = interaction.data or {}
    return str(data.get("name") or data.get("custom_id") or interaction.type.name)[:100]


def is_unknown_interaction(error: BaseException) -> bool:
    """Discord's 404 10062 "Unknown interaction": the reply came too late (or twice)."""
    original = getattr(error, "original", None) or error
    return isinstance(original, discord.NotFound) and original.code == UNKNOWN_INTERACTION


def is_late_retry(error: BaseException) -> bool:
    """A 429 or 5xx from Discord: discord.py retries those, possibly past the 3 s window."""
    original = getattr(error, "original", None) or error
    return isinstance(original, discord.HTTPException) and (
        original.status == 429 or original.status >= 500
    )


class FaqTree(app_commands.CommandTree["FaqBot"]):
    """The command tree: admission (`bot.ui.pipeline.admit`), work in flight, and the one
    error handler of every command: each failure gets a private, polite reply."""

    async def interaction_check(self, interaction: discord.Interaction[FaqBot], /) -> bool:
        return await pipeline.admit(interaction)

    async def on_error(
        self, interaction: discord.Interaction[FaqBot], error: app_commands.AppCommandError, /
    ) -> None:
        """Expected errors are explained (a stale command, a failed check, an option that
        does not parse); anything else is reported (`pipeline.report_interaction_error`)."""
        if isinstance(error, app_commands.CommandNotFound):
            log.info("stale command %r invoked", error.name)
            await say(interaction, texts.told(interaction, texts.STALE_COMMAND_TEXT))
        elif isinstance(error, app_commands.CheckFailure):
            text = str(error)
            message = (
                text
                if text and "check functions" not in text
                else texts.told(interaction, texts.NOT_HERE_TEXT)
            )
            await say(interaction, clip(message, CONTENT_LIMIT))
        elif isinstance(error, app_commands.TransformerError):
            error_text = echo(str(error), 300)
            await say(interaction, texts.told(interaction, texts.BAD_INPUT_TEXT, error=error_text))
        else:
            name = interaction.command.qualified_name if interaction.command else "command"
            await pipeline.report_interaction_error(interaction, error, where=f"/{name}")

    async def _call(self, interaction: discord.Interaction[FaqBot]) -> None:
        # discord.py's dispatch entry point for commands and autocomplete (private but
        # stable in 2.x): wrapped so a shutdown waits for the command to finish.
        async with self.client.handling():
            await super()._call(interaction)


class FaqBot(commands.Bot):
    """The FAQ bot. Use `create_bot` to get the sharded variant when SHARD_COUNT is set."""

    def __init__(
        self,
        settings: Settings,
        knowledge: KnowledgeBase,
        *,
        metrics: Metrics | None = None,
        **options: Any,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents(),
            allowed_mentions=NO_MENTIONS,
            tree_cls=FaqTree,
            allowed_contexts=app_commands.AppCommandContext(
                guild=True, dm_channel=True, private_channel=False
            ),
            allowed_installs=app_commands.AppInstallationType(guild=True, user=False),
            max_messages=None,
            chunk_guilds_at_startup=False,
            activity=discord.CustomActivity(name="Ask me about the 12MSP · /ask · /faq"),
            **options,
        )
        self.settings = settings
        self.knowledge = knowledge
        self.metrics = metrics
        self.store: Store | None = None
        """Misses and votes (SQLite under DATA_DIR); None when the database cannot be opened."""
        self.learned = LearnedAliases(knowledge.learned_aliases or learned_path(settings.data_dir))
        self.faq_watcher = FaqWatcher(knowledge, debounce=settings.reload_debounce_seconds)
        self.rate_policy = RatePolicy(settings.rate_limits)
        """Public posts per channel and user, and the per-user abuse ceiling (README)."""
        self.recent_posts = RecentPosts(RECENT_WINDOW)
        self.pending_questions = PendingQuestions()
        """The declined questions behind "Ask the organisers" buttons (`bot.ui.handoff`)."""
        self.started_monotonic = time.monotonic()
        self.synced_scopes: tuple[ScopePlan, ...] = ()
        """What the last start-up registered with Discord (empty when nothing changed)."""
        self._question_listeners: list[QuestionListener] = []
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._turns = asyncio.Semaphore(MAX_CONCURRENT)
        self._draining = False
        self._gateway_up = False
        self._mod_alerts: dict[str, float] = {}
        self._background: set[asyncio.Task[Any]] = set()
        self._drops = _DropCount()
        self._session_started_at: datetime.datetime | None = None
        """When the current gateway session began or resumed (UTC)."""
        self._down_since: datetime.datetime | None = None
        """When the gateway connection was last lost (UTC): interactions created from then
        until the session is back were delivered late, not slowly handled."""
        """Work started in the background (command sync, moderator notices), ended by close()."""
        self._persistent_items: set[items.ItemClass] = set()
        self._item_namespaces: set[str] = set()
        """Every custom_id prefix ever registered: a stale id in one gets the polite reply."""

    # --- start-up ----------------------------------------------------------------------

    async def setup_hook(self) -> None:
        if not self.knowledge.loaded:
            result = await asyncio.to_thread(self.knowledge.reload)
            if not result.ok:
                raise RuntimeError(result.summary())
        faq = self.knowledge.index.faq
        if self.metrics is not None:
            self.metrics.faq_loaded(faq.version, len(faq.entries))
        await self.open_store()
        self.faq_watcher.start()
        await self.load_cogs()
        # Before the sync: the synced payloads (and their hash) carry the translations.
        await self.tree.set_translator(FaqTranslator())
        sync = asyncio.get_running_loop().create_task(self.sync_commands(), name="command-sync")
        self._background.add(sync)
        sync.add_done_callback(self._background.discard)
        done, _ = await asyncio.wait({sync}, timeout=SYNC_WAIT_SECONDS)
        if not done:
            log.info("command sync goes on in the background; connecting to the gateway now")
        self.faq_watcher.add_listener(self._settle_heap_after_reload)
        settle_heap()

    async def _settle_heap_after_reload(self, result: ReloadResult, reason: str) -> None:
        if result.ok:
            settle_heap()

    def add_dynamic_items(self, *item_classes: items.ItemClass) -> None:
        """Register persistent items (each cog, for the items it sends), remembering them and
        their custom_id namespace (`faq:`, `mod:`)."""
        super().add_dynamic_items(*item_classes)
        self._persistent_items.update(item_classes)
        self._item_namespaces.update(items.namespace(cls) for cls in item_classes)

    def remove_dynamic_items(self, *item_classes: items.ItemClass) -> None:
        """Unregister items (a cog unloading); their namespace stays known, so their buttons
        get the polite "no longer active" reply."""
        super().remove_dynamic_items(*item_classes)
        self._persistent_items.difference_update(item_classes)

    def is_stale_custom_id(self, custom_id: str) -> bool:
        """A custom_id in one of our namespaces that no registered item handles."""
        ours = any(custom_id.startswith(prefix) for prefix in self._item_namespaces)
        return ours and not items.handles(self._persistent_items, custom_id)

    async def open_store(self) -> None:
        """Open the question database; without it the bot still answers, it only forgets."""
        try:
            self.store = await Store.open(
                self.settings.data_dir, on_drop=self._misses_dropped, on_notice=self._store_notice
            )
        except (StoreError, OSError, sqlite3.Error) as exc:
            log.error(
                "question database unavailable, misses and votes are not kept: %s",
                storage_problem(exc) if not isinstance(exc, StoreError) else exc,
            )
            self.count_error("store")
            return
        self.store.start_retention(self.settings.retention_days)

    @property
    def store_dir(self) -> str:
        """Where the database lives (DATA_DIR), for messages to moderators."""
        return str(self.settings.data_dir)

    def _store_notice(self, notice: StoreNotice) -> None:
        """The database file was deleted, replaced or corrupt (the store has recovered): tell
        the moderators, in the background."""
        self.count_error(f"store_{notice.incident.value}")
        task = asyncio.get_running_loop().create_task(
            self.alert_moderators(f"store:{notice.incident.value}", f"⚠️ {notice.message}.")
        )
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def record_miss(self, event: QuestionEvent) -> None:
        """Queue a miss ("did you mean", a decline) for the database, without the user id;
        called before the reply is sent, so a reply that fails or comes too late loses nothing.
        Returns at once; a miss that cannot be kept is counted (`faqbot_misses_dropped_total`)."""
        if not event.missed:
            return
        if self.store is None:
            self._misses_dropped("no_database", 1)
            return
        self.store.queue_question(event)

    def _misses_dropped(self, reason: str, count: int) -> None:
        if self.metrics is not None:
            self.metrics.misses_dropped(reason, count)

    async def close(self) -> None:
        await self.faq_watcher.stop()
        for task in list(self._background):
            task.cancel()
        await super().close()
        if self.store is not None:
            await self.store.close()

    def cog_modules(self) -> list[str]:
        """Every module of the cogs package not starting with `_`, sorted."""
        package = importlib.import_module(COGS_PACKAGE)
        return sorted(
            f"{COGS_PACKAGE}.{module.name}"
            for module in pkgutil.iter_modules(package.__path__)
            if not module.name.startswith("_")
        )

    async def load_cogs(self) -> None:
        """Load every cog; one that fails is logged and skipped, the others still serve."""
        for name in self.cog_modules():
            try:
                await self.load_extension(name)
            except Exception:
                log.exception("cog %s failed to load; continuing without it", name)
                self.count_error("cog_load")
            else:
                log.debug("loaded %s", name)
        log.info("cogs loaded: %s", ", ".join(sorted(self.cogs)) or "none")

    async def command_payloads(self) -> dict[str, list[dict[str, Any]]]:
        """Scope -> the JSON Discord would receive (localizations included, so a changed
        translation is synced too), after arranging the tree for GUILD_IDS.

        With GUILD_IDS, every global command is copied to those guilds (instant updates)
        and the global list is emptied, so no command shows twice.
        """
        tree = self.tree
        guild_ids = self.settings.guild_ids
        if not guild_ids:
            return {GLOBAL: [await self._payload(c) for c in tree.get_commands()]}
        for guild_id in guild_ids:
            tree.copy_global_to(guild=discord.Object(guild_id))
        tree.clear_commands(guild=None)
        payloads: dict[str, list[dict[str, Any]]] = {GLOBAL: []}
        for guild_id in guild_ids:
            commands_here = tree.get_commands(guild=discord.Object(guild_id))
            payloads[guild_scope(guild_id)] = [await self._payload(c) for c in commands_here]
        return payloads

    async def _payload(
        self,
        command: app_commands.Command[Any, ..., Any]
        | app_commands.Group
        | app_commands.ContextMenu,
    ) -> dict[str, Any]:
        translator = self.tree.translator
        if translator is None:
            return command.to_dict(self.tree)
        return await command.get_translated_payload(self.tree, translator)

    async def sync_commands(self) -> tuple[ScopePlan, ...]:
        """Register commands where they changed since the last start (hash under DATA_DIR)."""
        application_id = self.application_id
        if application_id is None:
            log.warning("application id unknown; commands not synced")
            return ()
        state = CommandSyncState(self.settings.data_dir)
        plans = state.plan(application_id, await self.command_payloads())
        if not plans:
            log.info("application commands unchanged; no sync")
            return ()
        plans = await self._skip_guilds_not_joined(plans)
        done: list[ScopePlan] = []
        failed: list[str] = []
        for plan in plans:
            guild = discord.Object(plan.guild_id) if plan.guild_id is not None else None
            try:
                await self.tree.sync(guild=guild)
            except discord.HTTPException as exc:
                failed.append(f"{plan.scope} ({exc.status} {exc.text or exc})")
                continue
            done.append(plan)
            log.info("registered %d command(s) (%s)", plan.commands, plan.scope)
        if failed:
            self.count_error("command_sync")
            log.error(
                "could not register commands in %d of %d scope(s): %s; will retry at next start",
                len(failed),
                len(plans),
                shown_list(failed),
            )
        if done:
            try:
                state.record(application_id, done)
            except OSError as exc:
                log.error("could not save %s: %s", state.path, exc)
        self.synced_scopes = tuple(done)
        return self.synced_scopes

    async def _skip_guilds_not_joined(self, plans: list[ScopePlan]) -> list[ScopePlan]:
        """The plans without GUILD_IDS servers the bot is not in (Discord would refuse each with
        403 Missing Access), said once in one line; all of them if the list cannot be read."""
        if not any(plan.guild_id is not None for plan in plans):
            return plans
        try:
            joined = {guild.id async for guild in self.fetch_guilds(limit=None)}
        except discord.HTTPException as exc:
            log.warning("could not list the bot's servers (%s); syncing every one", exc.status)
            return plans
        absent = [p.guild_id for p in plans if p.guild_id is not None and p.guild_id not in joined]
        if absent:
            log.warning(
                "GUILD_IDS: the bot is not in %d of the %d server(s) listed, so their commands "
                "are not registered: %s; invite the bot there or remove them from GUILD_IDS",
                len(absent),
                len(self.settings.guild_ids),
                shown_list([str(g) for g in absent]),
            )
        return [p for p in plans if p.guild_id is None or p.guild_id in joined]

    # --- gateway -----------------------------------------------------------------------

    async def on_ready(self) -> None:
        self._gateway_up = True
        self._session_started_at = discord.utils.utcnow()
        user = self.user
        log.info(
            "connected as %s (id %s) to %d guild(s); FAQ %s",
            user,
            user.id if user else "?",
            len(self.guilds),
            self.knowledge.index.faq.version,
        )

    async def on_resumed(self) -> None:
        self._gateway_up = True
        self._session_started_at = discord.utils.utcnow()

    async def on_disconnect(self) -> None:
        self._gateway_up = False
        self._down_since = discord.utils.utcnow()

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: messages are handled by the mentions cog's listener. A message
        from the gateway proves the session is live (see `on_interaction`)."""
        self._gateway_up = True

    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent, /) -> None:
        """A deleted answer is never linked again (delete events need no privileged intent)."""
        self.recent_posts.forget_message(payload.message_id)

    async def on_raw_bulk_message_delete(
        self, payload: discord.RawBulkMessageDeleteEvent, /
    ) -> None:
        for message_id in payload.message_ids:
            self.recent_posts.forget_message(message_id)

    async def on_interaction(self, interaction: discord.Interaction[FaqBot], /) -> None:
        """Answer components of ours that no handler knows (e.g. from an older version), so
        no click ends with "This interaction failed".

        An interaction from the gateway proves the session is live: /healthz says so from the
        first one, not only from READY's end (discord.py waits ~2 s for the servers first)."""
        self._gateway_up = True
        if interaction.type is not discord.InteractionType.component:
            return
        data: Mapping[str, Any] = interaction.data or {}
        custom_id = str(data.get("custom_id", ""))
        if not self.is_stale_custom_id(custom_id):
            return
        if self.drop_expired(interaction):
            return
        log.info("stale component %r answered as expired", custom_id[:100])
        await say(interaction, texts.told(interaction, texts.EXPIRED_TEXT))

    # --- interactions too old to answer -------------------------------------------------

    def drop_expired(self, interaction: discord.Interaction[FaqBot]) -> bool:
        """True when the interaction is older than INTERACTION_MAX_AGE: Discord would refuse
        any reply, so the caller must not do any work for it. Counted; logged with its cause,
        the first of a burst on its own line, the others summed up once per
        DROP_REPORT_INTERVAL (a reconnect can deliver a thousand aged ones at once)."""
        age = interaction_age(interaction)
        if age <= INTERACTION_MAX_AGE:
            return False
        self.count_expired("arrival")
        cause = self._age_cause(interaction)
        if self._drops.count == 0 and not self._drops.scheduled:
            log.warning(
                "interaction %s dropped unanswered: %.1f s old on arrival, Discord allows 3 s (%s)",
                interaction.id,
                age,
                cause,
                extra=log_context(
                    guild=interaction.guild_id, command=interaction_name(interaction)
                ),
            )
            self._drops.scheduled = True
            asyncio.get_running_loop().call_later(DROP_REPORT_INTERVAL, self._report_drops)
            return True
        self._drops.add(age, cause)
        return True

    def _age_cause(self, interaction: discord.Interaction[FaqBot]) -> str:
        """Why an interaction arrived too old to answer, as far as the bot can tell."""
        down, up = self._down_since, self._session_started_at
        if down is not None:
            back = up if up is not None and up > down else discord.utils.utcnow()
            window = datetime.timedelta(seconds=DISCORD_REPLY_WINDOW)
            if down - window <= interaction.created_at <= back:
                return "it waited at Discord while the gateway connection was down"
        if self._in_flight >= MAX_CONCURRENT:
            return f"the bot is overloaded: {MAX_CONCURRENT} questions in progress"
        return "the bot is overloaded, or this machine's clock is off"

    def _report_drops(self) -> None:
        drops, self._drops = self._drops, _DropCount()
        if drops.count:
            log.warning(
                "%d more interaction(s) dropped unanswered in the last %.0f s, up to %.1f s old "
                "on arrival (Discord allows 3 s): %s",
                drops.count,
                DROP_REPORT_INTERVAL,
                drops.oldest,
                "; ".join(f"{n} because {cause}" for cause, n in drops.causes.most_common()),
            )
            self._drops.scheduled = True
            asyncio.get_running_loop().call_later(DROP_REPORT_INTERVAL, self._report_drops)

    def expired_on_reply(
        self, interaction: discord.Interaction[FaqBot], error: BaseException, *, where: str
    ) -> bool:
        """True (counted, one WARNING line, no traceback) when `error` is Discord's 10062
        "Unknown interaction", or a 429/5xx that discord.py kept retrying past Discord's 3 s:
        the reply came too late, there is nobody left to tell."""
        if is_late_retry(error) and interaction_age(interaction) > DISCORD_REPLY_WINDOW:
            self.count_expired("reply")
            original = getattr(error, "original", None) or error
            log.warning(
                "%s: the reply to interaction %s failed (%s) and Discord's 3 s had passed "
                "(%.1f s after it was created); nothing sent",
                where,
                interaction.id,
                getattr(original, "status", "?"),
                interaction_age(interaction),
                extra=log_context(guild=interaction.guild_id, command=where),
            )
            return True
        if not is_unknown_interaction(error):
            return False
        self.count_expired("reply")
        log.warning(
            "%s: Discord no longer accepts a reply to interaction %s (10062 Unknown "
            "interaction, %.1f s after it was created); nothing sent",
            where,
            interaction.id,
            interaction_age(interaction),
            extra=log_context(guild=interaction.guild_id, command=where),
        )
        return True

    def count_expired(self, stage: str) -> None:
        if self.metrics is not None:
            self.metrics.interaction_expired(stage)

    # --- work in flight and shutdown ---------------------------------------------------

    @property
    def draining(self) -> bool:
        """True once shutdown began: new interactions get a "restarting" reply."""
        return self._draining

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @contextlib.asynccontextmanager
    async def handling(self) -> AsyncIterator[None]:
        """Wrap the handling of one interaction or message: it waits for its turn (at most
        MAX_CONCURRENT at once, first come first served), and shutdown waits for it. Check
        `drop_expired` inside: the wait may have made an interaction too old to answer."""
        self._in_flight += 1
        self._idle.clear()
        gauge = self.metrics.in_flight() if self.metrics is not None else contextlib.nullcontext()
        try:
            async with self._turns:
                with gauge:
                    yield
        finally:
            self._in_flight -= 1
            if self._in_flight <= 0:
                self._in_flight = 0
                self._idle.set()

    async def shutdown(self, grace: float) -> None:
        """Stop taking new work, let work in flight finish (at most `grace` s), disconnect."""
        if not self._draining:
            self._draining = True
            log.info("shutting down: %d interaction(s) in flight", self._in_flight)
            try:
                await asyncio.wait_for(self._idle.wait(), timeout=grace)
            except TimeoutError:
                log.warning("%d interaction(s) still running after %.0f s", self._in_flight, grace)
        if not self.is_closed():
            await self.close()

    # --- answers -----------------------------------------------------------------------

    def add_question_listener(self, listener: QuestionListener) -> None:
        """Subscribe `async def listener(event: QuestionEvent)` to every answer."""
        if listener not in self._question_listeners:
            self._question_listeners.append(listener)

    async def on_question_answered(self, event: QuestionEvent) -> None:
        """The single hook called after every answer (reply sent, or its sending failed; a miss
        was already recorded with `record_miss`).

        Counts it in metrics, logs it, then awaits each subscriber: those added with
        `add_question_listener` and cog listeners named `on_question_answered`. A failing
        or slow subscriber is logged and never affects the user or the other subscribers.
        Call it directly (`await bot.on_question_answered(event)`), never via `dispatch`.
        """
        if self.metrics is not None:
            self.metrics.observe_question(event.outcome.value, event.source.value, event.latency)
        log.info(
            "%s %s -> %s",
            event.source.value,
            event.outcome.value,
            event.entry_id or ",".join(c.entry_id for c in event.candidates[:3]) or "-",
            extra=log_context(
                guild=event.guild_id, command=event.source.value, latency=event.latency
            ),
        )
        listeners = [*self._question_listeners, *self.extra_events.get("on_question_answered", [])]
        for listener in listeners:
            try:
                await asyncio.wait_for(listener(event), timeout=LISTENER_TIMEOUT)
            except Exception:
                log.exception("question listener %r failed", listener)
                self.count_error("question_listener")

    # --- health, metrics, moderators ---------------------------------------------------

    @property
    def gateway_connected(self) -> bool:
        return self._gateway_up and not self.is_closed()

    def health_status(self) -> HealthStatus:
        """A `bot.health.HealthStatus` snapshot (the health server calls this per request);
        not connected once a shutdown began, so orchestrators stop routing to it."""
        loaded = self.knowledge.loaded
        faq = self.knowledge.index.faq if loaded else None
        latency = self.latency
        return HealthStatus(
            gateway_connected=self.gateway_connected and not self._draining,
            faq_version=faq.version if faq else None,
            entries=len(faq.entries) if faq else 0,
            uptime_seconds=time.monotonic() - self.started_monotonic,
            latency_seconds=latency if math.isfinite(latency) else None,
        )

    def count_error(self, kind: str) -> None:
        if self.metrics is not None:
            self.metrics.error(kind)

    async def alert_moderators(self, kind: str, text: str) -> None:
        """Post `text` in MOD_LOG_CHANNEL_ID (if set), at most once a minute per `kind`."""
        channel_id = self.settings.mod_log_channel_id
        if channel_id is None:
            return
        now = time.monotonic()
        if now - self._mod_alerts.get(kind, -MOD_ALERT_INTERVAL) < MOD_ALERT_INTERVAL:
            return
        self._mod_alerts[kind] = now
        await post_to_channel(self, channel_id, text=text)


@dataclasses.dataclass(slots=True)
class _DropCount:
    """Interactions dropped as too old since the last report (see `FaqBot.drop_expired`)."""

    count: int = 0
    oldest: float = 0.0
    causes: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    scheduled: bool = False
    """A report is due: the next drops are summed up, not logged one by one."""

    def add(self, age: float, cause: str) -> None:
        self.count += 1
        self.oldest = max(self.oldest, age)
        self.causes[cause] += 1


class ShardedFaqBot(FaqBot, commands.AutoShardedBot):
    """`FaqBot` on several gateway shards (SHARD_COUNT, optionally SHARD_IDS)."""


def create_bot(
    settings: Settings, knowledge: KnowledgeBase, *, metrics: Metrics | None = None
) -> FaqBot:
    """A `FaqBot`, or a `ShardedFaqBot` when SHARD_COUNT is set."""
    if settings.shard_count is None:
        return FaqBot(settings, knowledge, metrics=metrics)
    shard_ids = list(settings.shard_ids) or None
    return ShardedFaqBot(
        settings,
        knowledge,
        metrics=metrics,
        shard_count=settings.shard_count,
        shard_ids=shard_ids,
    )
