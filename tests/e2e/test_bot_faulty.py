"""The real bot with faults injected, for the error-path tests; no tests in here.

Run by the fake's launcher (`--module tests.e2e.test_bot_faulty run`): it patches a few
methods so that special inputs fail or stall, then starts the bot exactly as `faqbot run`.
Nothing in the product knows about this module.

- a question containing "explode" makes the engine raise (commands, mentions, autocomplete);
- the "/faq" topic "positions" makes the FAQ's topic lookup raise (select menus);
- a click on `faq:answer:isu-phone` raises (buttons);
- a question containing "slowly" takes SLOW_SECONDS before being answered (shutdown drain).
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

SLOW_SECONDS = 1.5
EXPLODE = "explode"
BROKEN_TOPIC = "positions"
BROKEN_ENTRY = "isu-phone"


class InjectedError(RuntimeError):
    """Raised on purpose by the test wrapper."""


def install() -> None:
    from bot.engine.index import FaqIndex
    from bot.engine.models import Faq
    from bot.ui import card

    answer, suggest, topic = FaqIndex.answer, FaqIndex.suggest, Faq.topic
    click, ask = card.AnswerButton.handle, card.answer_interaction

    def failing_answer(self: FaqIndex, question: str) -> Any:
        if EXPLODE in question:
            raise InjectedError("injected engine failure")
        return answer(self, question)

    def failing_suggest(self: FaqIndex, text: str, limit: int = 25) -> Any:
        if EXPLODE in text:
            raise InjectedError("injected autocomplete failure")
        return suggest(self, text, limit)

    def failing_topic(self: Faq, topic_id: str) -> Any:
        if topic_id == BROKEN_TOPIC:
            raise InjectedError("injected topic failure")
        return topic(self, topic_id)

    async def failing_click(self: card.AnswerButton, interaction: Any) -> None:
        if self.entry_id == BROKEN_ENTRY:
            raise InjectedError("injected button failure")
        await click(self, interaction)

    async def slow_ask(interaction: Any, **kwargs: Any) -> None:
        if "slowly" in (kwargs.get("question") or ""):
            await asyncio.sleep(SLOW_SECONDS)
        await ask(interaction, **kwargs)

    FaqIndex.answer = failing_answer  # type: ignore[method-assign]
    FaqIndex.suggest = failing_suggest  # type: ignore[method-assign]
    Faq.topic = failing_topic  # type: ignore[method-assign]
    card.AnswerButton.handle = failing_click  # type: ignore[method-assign]
    card.answer_interaction = slow_ask


if __name__ == "__main__":
    install()
    from bot.cli import main

    sys.exit(main(sys.argv[1:]))
