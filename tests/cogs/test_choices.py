"""What the cogs offer while the user types (/ask, /faq topic) and how mentions are read."""

from __future__ import annotations

from types import SimpleNamespace

from bot.engine import lookup
from bot.engine.index import FaqIndex
from bot.engine.models import Faq
from bot.ui import limits
from cogs.ask import question_choices
from cogs.browse import topic_choices
from cogs.mentions import mention_pattern, strip_mentions


def test_question_choices_are_valid(index: FaqIndex) -> None:
    bot = SimpleNamespace(knowledge=SimpleNamespace(index=index))
    for typed in ("", "where is the venu", "x" * 150, "when", "id:meeting-dates"):
        choices = question_choices(bot, typed)  # type: ignore[arg-type]
        assert len(choices) <= limits.CHOICES_LIMIT
        assert all(1 <= len(c.name) <= 100 and 1 <= len(c.value) <= 100 for c in choices)
    venue = question_choices(bot, "where is the venu")  # type: ignore[arg-type]
    assert venue[0].value == "where is the venu"
    assert "id:meeting-venue" in [c.value for c in venue[:4]]


def test_topics_by_id_title_or_spelling(faq: Faq) -> None:
    assert lookup.find_topic(faq, "venue").id == "venue"  # type: ignore[union-attr]
    assert lookup.find_topic(faq, "Key arguments").id == "positions"  # type: ignore[union-attr]
    assert lookup.find_topic(faq, "zzz") is None
    assert topic_choices(faq, "")[0].value == faq.topics[0].id
    assert topic_choices(faq, "ven")[0].value == "venue"


def test_mentions_are_stripped() -> None:
    pattern = mention_pattern(42, role_id=7)
    assert strip_mentions("<@42> when is it?", pattern) == "when is it?"
    assert strip_mentions("hey <@!42>   where <@&7>", pattern) == "hey where"
    assert not pattern.search("<@43> hello")
