"""The answer card's replies and items, and the browser's menus (no connection)."""

from __future__ import annotations

import dataclasses

import discord

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


def test_declines_offer_ask_the_organisers_and_its_ids_fit(index: FaqIndex) -> None:
    from bot.services.handoffs import PendingQuestions
    from bot.ui import handoff

    pending = PendingQuestions()
    token = pending.remember("where can I park?")
    ask = handoff.AskOrganisersButton(token, row=1)
    declined = card.miss_reply(index.answer("weather in paris"), index, public=True, ask=ask)
    assert declined.view is not None and ask in declined.view.children
    refused = card.miss_reply(index.answer("   "), index, public=True, ask=ask)
    assert refused.view is None
    assert pending.question(token) == "where can I park?" and pending.question("nope") == ""
    longest = 10**18 - 1
    for item in (
        ask,
        *(handoff.CardButton(action, longest) for action in handoff.CARD_LABELS),
        handoff.EntryPick(longest, index.faq.entries[:25]),
    ):
        assert len(item.custom_id) <= limits.CUSTOM_ID_LIMIT
        assert items.handles(handoff.HANDOFF_ITEMS, item.custom_id)
    for form in (handoff.AskForm("q"), handoff.AnswerForm(longest), handoff.CloseForm(longest)):
        assert len(form.title) <= limits.MODAL_TITLE_LIMIT
        assert len(form.custom_id) <= limits.CUSTOM_ID_LIMIT
        for label in form.children:
            assert isinstance(label, discord.ui.Label)
            assert len(label.text) <= limits.TEXT_INPUT_LABEL_LIMIT


def test_pending_questions_are_bounded_and_expire() -> None:
    from bot.services.handoffs import PendingQuestions

    now = [0.0]
    pending = PendingQuestions(size=2, seconds=10, clock=lambda: now[0])
    first = pending.remember("one")
    second = pending.remember("two")
    third = pending.remember("three")
    assert pending.question(first) == "" and pending.question(second) == "two"
    now[0] = 11
    assert pending.question(third) == "", "past PENDING_QUESTION_SECONDS the form opens empty"


def test_a_french_decline_is_french_quotes_nothing_and_offers_the_organisers(
    index: FaqIndex,
) -> None:
    from bot.services.handoffs import PendingQuestions
    from bot.ui import handoff

    french = FaqIndex(index.faq.translations["fr"])
    ask = handoff.AskOrganisersButton(PendingQuestions().remember("où se garer ?"), language="fr")
    assert ask.item.label == "Demander aux organisateurs"
    hostile = "où se garer @everyone ?"
    answer = french.answer(hostile)
    assert answer.outcome is Outcome.DECLINED, answer
    public = card.miss_reply(answer, french, public=True, private_decline=False, ask=ask)
    assert not public.ephemeral and public.view is not None and ask in public.view.children
    assert "Je n'ai pas trouvé de réponse à cela dans la FAQ." in (public.content or "")
    assert "@everyone" not in (public.content or "")
    form = handoff.AskForm("q", language="fr")
    assert form.title == "Demander aux organisateurs"
    assert len(form.title) <= limits.MODAL_TITLE_LIMIT
    for label in form.children:
        assert isinstance(label, discord.ui.Label)
        assert len(label.text) <= limits.TEXT_INPUT_LABEL_LIMIT
