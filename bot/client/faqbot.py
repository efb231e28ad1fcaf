"""The Discord client: `FaqBot` loads the cogs, remembers the persistent items they register,
syncs commands when they changed, tracks work in flight for a clean shutdown, and hands every
answer to its subscribers (`on_question_answered`). It never imports a cog.

The cogs in `cogs/` are thin adapters from Discord events to the engine (`bot.engine`) and
back, built from the blocks in `bot.ui`; see bot/ARCHITECTURE.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import math
import pkgutil
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.client.translator import FaqTranslator
from bot.ops.health import HealthStatus
from bot.ops.logs import context as log_context
from bot.ops.metrics import Metrics
from bot.services.command_sync import GLOBAL, CommandSyncState, ScopePlan, guild_scope
from bot.services.cooldown import Cooldown, RecentPosts
from bot.services.events import QuestionEvent
from bot.services.knowledge import KnowledgeBase
from bot.services.learned import LearnedAliases, learned_path
from bot.services.store import Store, StoreError
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
        self.answer_cooldown = Cooldown(settings.cooldown_rate, settings.cooldown_seconds)
        """Per user: /ask, topic commands, the context menu, mentions, DMs, answer buttons."""
        self.vote_cooldown = Cooldown(settings.cooldown_rate, settings.cooldown_seconds)
        self.recent_posts = RecentPosts(RECENT_WINDOW)
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
        await self.tree.set_translator(FaqTranslator())
        await self.sync_commands()

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
            self.store = await Store.open(self.settings.data_dir, on_drop=self._misses_dropped)
        except (StoreError, OSError) as exc:
            log.error("question database unavailable, misses and votes are not kept: %s", exc)
            self.count_error("store")
            return
        self.store.start_retention(self.settings.retention_days)
        self.add_question_listener(self.record_miss)

    async def record_miss(self, event: QuestionEvent) -> None:
        """Misses ("did you mean", declines) go to the database, without the user id. Queued:
        this returns at once; a miss that finds the queue full is counted, not waited for."""
        if self.store is not None and event.missed:
            await self.store.record_question(event)

    def _misses_dropped(self, reason: str, count: int) -> None:
        if self.metrics is not None:
            self.metrics.misses_dropped(reason, count)

    async def close(self) -> None:
        await self.faq_watcher.stop()
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
        done: list[ScopePlan] = []
        for plan in plans:
            guild = discord.Object(plan.guild_id) if plan.guild_id is not None else None
            try:
                await self.tree.sync(guild=guild)
            except discord.HTTPException as exc:
                log.error(
                    "could not register commands (%s): %s %s; will retry at next start",
                    plan.scope,
                    exc.status,
                    exc.text or exc,
                )
                self.count_error("command_sync")
                continue
            done.append(plan)
            log.info("registered %d command(s) (%s)", plan.commands, plan.scope)
        if done:
            try:
                state.record(application_id, done)
            except OSError as exc:
                log.error("could not save %s: %s", state.path, exc)
        self.synced_scopes = tuple(done)
        return self.synced_scopes

    # --- gateway -----------------------------------------------------------------------

    async def on_ready(self) -> None:
        self._gateway_up = True
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

    async def on_disconnect(self) -> None:
        self._gateway_up = False

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: messages are handled by the mentions cog's listener."""

    async def on_interaction(self, interaction: discord.Interaction[FaqBot], /) -> None:
        """Answer components of ours that no handler knows (e.g. from an older version), so
        no click ends with "This interaction failed"."""
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
        any reply, so the caller must not do any work for it. Counted, one WARNING line."""
        age = interaction_age(interaction)
        if age <= INTERACTION_MAX_AGE:
            return False
        self.count_expired("arrival")
        log.warning(
            "interaction %s dropped unanswered: %.1f s old on arrival, Discord allows 3 s "
            "(the bot is overloaded, or this machine's clock is off)",
            interaction.id,
            age,
            extra=log_context(guild=interaction.guild_id, command=interaction_name(interaction)),
        )
        return True

    def expired_on_reply(
        self, interaction: discord.Interaction[FaqBot], error: BaseException, *, where: str
    ) -> bool:
        """True (counted, one WARNING line, no traceback) when `error` is Discord's 10062
        "Unknown interaction": the reply came too late, there is nobody left to tell."""
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
        """The single hook called after every answer (reply already sent).

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
        return self._gateway_up and self.is_ready() and not self.is_closed()

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
