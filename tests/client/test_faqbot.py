"""The client's answer hook: metrics and every subscriber, a failing one aside."""

from __future__ import annotations

from pathlib import Path

from bot.engine.index import FaqIndex
from bot.services.events import QuestionEvent, QuestionSource


async def test_on_question_answered_feeds_metrics_and_every_subscriber(
    tmp_path: Path, index: FaqIndex
) -> None:
    from discord.ext import commands

    from bot.client.faqbot import create_bot
    from bot.ops.metrics import Metrics
    from bot.services.knowledge import KnowledgeBase
    from bot.settings import load_settings

    settings = load_settings(None, data_dir=tmp_path, discord_token=None)
    knowledge = KnowledgeBase(settings.faq_dir)
    knowledge.reload()
    metrics = Metrics(process=False)
    bot = create_bot(settings, knowledge, metrics=metrics)
    heard: list[tuple[str, QuestionEvent]] = []

    async def listener(event: QuestionEvent) -> None:
        heard.append(("listener", event))

    async def broken(event: QuestionEvent) -> None:
        raise RuntimeError("subscriber bug")

    class Subscriber(commands.Cog):
        @commands.Cog.listener()
        async def on_question_answered(self, event: QuestionEvent) -> None:
            heard.append(("cog", event))

    bot.add_question_listener(broken)
    bot.add_question_listener(listener)
    await bot.add_cog(Subscriber())
    event = QuestionEvent.from_answer(
        index.answer("when is the 12msp?"),
        source=QuestionSource.AUTOCOMPLETE,
        user_id=1,
        guild_id=2,
        channel_id=3,
        latency=0.002,
    )
    await bot.on_question_answered(event)
    assert heard == [("listener", event), ("cog", event)]
    rendered = metrics.render().decode()
    assert 'faqbot_questions_total{outcome="answered",source="autocomplete"} 1.0' in rendered
    assert 'faqbot_errors_total{kind="question_listener"} 1.0' in rendered
    status = bot.health_status()
    assert status.faq_version == knowledge.index.faq.version and not status.gateway_connected
    await bot.close()


async def test_stale_buttons_in_every_registered_namespace_are_recognised(
    tmp_path: Path,
) -> None:
    from bot.client.faqbot import create_bot
    from bot.services.knowledge import KnowledgeBase
    from bot.settings import load_settings
    from bot.ui.card import CARD_ITEMS
    from cogs.admin._items import ADMIN_ITEMS

    settings = load_settings(None, data_dir=tmp_path, discord_token=None)
    bot = create_bot(settings, KnowledgeBase(settings.faq_dir))
    assert not bot.is_stale_custom_id("faq:old-format:1"), "no namespace registered yet"
    bot.add_dynamic_items(*CARD_ITEMS, *ADMIN_ITEMS)
    assert bot.is_stale_custom_id("faq:old-format:1")
    assert bot.is_stale_custom_id("mod:alias:old:1")
    assert not bot.is_stale_custom_id("faq:answer:meeting-venue")
    assert not bot.is_stale_custom_id("mod:alias:add:12")
    assert not bot.is_stale_custom_id("someone-else:1")
    bot.remove_dynamic_items(*ADMIN_ITEMS)
    assert bot.is_stale_custom_id("mod:alias:add:12"), "an unloaded cog's buttons are stale"
    await bot.close()
