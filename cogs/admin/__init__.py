"""`/faq-admin`: the moderators' feature package (the cog and its persistent buttons)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.admin._cog import AdminCog

if TYPE_CHECKING:
    from bot.client.faqbot import FaqBot


async def setup(bot: FaqBot) -> None:
    await bot.add_cog(AdminCog(bot))
