""" "Ask the organisers": registers the hand-off items (the delegates' button, the cards'
buttons and menu; see `bot.ui.handoff`) and reminds moderators of hand-offs left waiting."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from discord.ext import commands

from bot.ui import handoff

if TYPE_CHECKING:
    from bot.client.faqbot import FaqBot

log = logging.getLogger(__name__)

MAX_REMINDER_CHECK_SECONDS = 300.0
"""Open hand-offs are checked for a reminder at least this often."""
MIN_REMINDER_CHECK_SECONDS = 0.5


class Handoffs(commands.Cog):
    def __init__(self, bot: FaqBot) -> None:
        self.bot = bot
        self._reminders: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*handoff.HANDOFF_ITEMS)
        if handoff.enabled(self.bot):
            self._reminders = asyncio.get_running_loop().create_task(
                self._remind_forever(), name="handoff-reminders"
            )
        store, metrics = self.bot.store, self.bot.metrics
        if store is not None and metrics is not None:
            metrics.handoff_median(
                await store.handoff_median_seconds(days=self.bot.settings.retention_days)
            )

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*handoff.HANDOFF_ITEMS)
        task, self._reminders = self._reminders, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _remind_forever(self) -> None:
        """Every tenth of HANDOFF_REMIND_AFTER_HOURS (between the bounds above), once ready."""
        every = self.bot.settings.handoff_remind_after_hours * 360
        every = min(MAX_REMINDER_CHECK_SECONDS, max(MIN_REMINDER_CHECK_SECONDS, every))
        await self.bot.wait_until_ready()
        while True:
            try:
                await handoff.remind_due(self.bot)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("hand-off reminders failed; trying again later")
                self.bot.count_error("handoff_reminder")
            await asyncio.sleep(every)


async def setup(bot: FaqBot) -> None:
    await bot.add_cog(Handoffs(bot))
