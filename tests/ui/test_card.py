"""The answer card's replies and items, and the browser's menus (no connection)."""

from __future__ import annotations

import dataclasses

from bot.engine.index import FaqIndex
from bot.engine.models import Faq, Outcome, Topic
from bot.ui import browser, card, items, limits

OUR_ITEMS = card.CARD_ITEMS + browser.BROWSER_ITEMS


def test_miss_replies(index: FaqIndex) -> None:
    suggested = index.answer("states")
    if suggested.outcome is Outcome.SUGGESTED:
        out = card.miss_reply(suggested, index, public=True)
        assert not out.ephemeral and out.view is not None
        assert len(out.view.children) == min(3, len(suggested.alternatives))
    declined = card.miss_reply(index.answer("weather in paris"), index, public=True)
    assert declined.ephemeral
    refused = card.miss_reply(index.answer("   "), index, public=True)
    assert refused.ephemeral and refused.view is None and "Please ask" in (refused.content or "")


def test_custom_ids_fit_for_the_longest_ids() -> None:
    longest = "a" * 60
    for item in (
        card.AnswerButton(longest, label="q" * 300),
        card.VoteButton(True, longest, "f" * 24),
        card.CalendarButton(longest),
        browser.QuestionSelect("t" * 40),
    ):
        assert len(item.custom_id) <= limits.CUSTOM_ID_LIMIT
        assert items.handles(OUR_ITEMS, item.custom_id)
        label = getattr(item.item, "label", None)
        assert label is None or len(label) <= limits.BUTTON_LABEL_LIMIT
    assert items.handles(OUR_ITEMS, "faq:browse:topics")
    assert not items.handles(OUR_ITEMS, "faq:old-format:1")
    assert card.VoteButton(False, "x", "v1").custom_id == "faq:vote:down:x:v1"


async def test_views_are_finished_so_discord_py_never_stores_them(
    faq: Faq, index: FaqIndex
) -> None:
    entry = faq.by_id["meeting-dates"]
    assert card.answer_view(entry, faq.version, []).is_finished()
    assert browser.browse_view(faq, None).is_finished()
    assert card.choices_view([entry]).is_finished()
    assert card.choices_view([]) is None


def test_select_menus_page_long_lists(faq: Faq) -> None:
    topics = tuple(
        Topic(id=f"topic-{i}", title=f"Topic {i}", description="d" * 150, entry_ids=())
        for i in range(60)
    )
    big = dataclasses.replace(faq, topics=topics)
    options = browser.topic_options(big)
    for page in range(4):
        shown = browser.paged(options, page, "Previous topics", "More topics")
        assert len(shown) <= limits.SELECT_OPTIONS_LIMIT
        assert all(len(o.description or "") <= 100 for o in shown)
    assert browser.paged(options, 0, "Previous topics", "More topics")[-1].value == "page:1"
    assert browser.paged(options, 2, "Previous topics", "More topics")[0].value == "page:1"
    assert browser.page_of([o.value for o in options], "topic-30") == 1


def test_browse_answer_view_fits_five_rows(faq: Faq, index: FaqIndex) -> None:
    topic = faq.topic("dates")
    assert topic is not None
    entry = faq.by_id[topic.entry_ids[0]]
    view = browser.browse_answer_view(faq, topic, entry, card.follow_ups(entry, index))
    rows = view.to_components()
    assert len(rows) == 4
    assert [c["type"] for c in rows[0]["components"]] == [2, 2, 2, 2]
    assert {c["type"] for c in rows[1]["components"]} == {2}
    assert [c["custom_id"] for c in rows[2]["components"]] == ["faq:browse:topic:dates"]
    assert [c["custom_id"] for c in rows[3]["components"]] == ["faq:browse:topics"]
    select = next(i for i in view.children if i.custom_id == "faq:browse:topic:dates")
    assert [o.value for o in select.item.options if o.default] == [entry.id]
