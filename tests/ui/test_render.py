"""Unit tests of what the bot sends (no connection): embeds, texts, components, the calendar
file, autocomplete choices; plus the discord-free helpers behind them (cooldown, recent posts,
command-sync hashes, question events)."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import discord
import pytest

from bot.engine.index import FaqIndex
from bot.engine.loader import load_faq
from bot.engine.models import EventDates, Faq, FaqEntry, Outcome, Topic
from bot.services.command_sync import (
    EMPTY_HASH,
    GLOBAL,
    CommandSyncState,
    guild_scope,
    payload_hash,
)
from bot.services.cooldown import Cooldown, RecentPosts
from bot.services.events import QuestionEvent, QuestionSource, ScoredEntry
from bot.settings import SHIPPED_FAQ_DIR
from bot.ui import calendar as ics
from bot.ui import components, render, reply
from cogs.ask import question_choices
from cogs.browse import find_topic, topic_choices
from cogs.mentions import mention_pattern, strip_mentions

SOURCE_FOOTER = "Source: CCM ISU press release, 5 September 2024"


@pytest.fixture(scope="module")
def index() -> FaqIndex:
    return FaqIndex(load_faq(SHIPPED_FAQ_DIR))


@pytest.fixture(scope="module")
def faq(index: FaqIndex) -> Faq:
    return index.faq


def total(embeds: list[discord.Embed]) -> int:
    return sum(len(e) for e in embeds)


def long_entry(faq: Faq, size: int, *, link: str | None = "https://example.org/full") -> FaqEntry:
    base = faq.by_id["meeting-dates"]
    paragraph = "The delegates met in Geneva and discussed the Convention at length. " * 12
    text = "\n\n".join([paragraph.strip()] * (size // len(paragraph) + 1))[:size]
    return dataclasses.replace(
        base, answer=text, link=link, link_label="Full text" if link else None
    )


# --- text helpers ---------------------------------------------------------------------------


def test_clip_respects_the_limit_and_words() -> None:
    assert render.clip("short", 10) == "short"
    clipped = render.clip("one two three four five six seven", 20)
    assert len(clipped) <= 20 and clipped.endswith("…") and " thr…" not in clipped
    assert len(render.clip("x" * 500, 100)) == 100


def test_echo_escapes_markdown_mentions_and_cuts() -> None:
    text = render.echo("**bold** @everyone <@123456789012345678> `code`\nsecond line " + "x" * 400)
    assert "\\*\\*bold\\*\\*" in text and "\\`code\\`" in text
    assert "@everyone" not in text and "<@123456789012345678>" not in text
    assert "\n" not in text and len(text) < render.ECHO_LIMIT * 2


def test_split_text_prefers_paragraphs_and_keeps_everything() -> None:
    text = ("word " * 300 + "\n\n") * 5
    parts = render.split_text(text, 1000)
    assert all(len(p) <= 1000 for p in parts)
    assert " ".join(" ".join(parts).split()) == " ".join(text.split())
    assert render.split_text("x" * 2500, 1000) == ["x" * 1000, "x" * 1000, "x" * 500]


def test_plain_strips_bold_and_italics() -> None:
    assert render.plain("**10–13 September.** and *italic* text 3*4") == (
        "10–13 September. and italic text 3*4"
    )


# --- answer cards -----------------------------------------------------------------------------


def test_every_entry_renders_within_discord_limits(index: FaqIndex, faq: Faq) -> None:
    for entry in faq.entries:
        embeds = render.answer_embeds(entry, faq)
        assert embeds[0].title == entry.question
        assert embeds[0].description == entry.answer
        assert embeds[-1].footer.text == SOURCE_FOOTER
        assert total(embeds) <= render.EMBED_TOTAL_LIMIT
        view = components.answer_view(entry, faq.version, reply.follow_ups(entry, index))
        rows: dict[int, int] = {}
        for item in view.children:
            data = item.to_component_dict()
            assert len(data.get("custom_id", "")) <= render.CUSTOM_ID_LIMIT
            assert len(data.get("label", "")) <= render.BUTTON_LABEL_LIMIT
            rows[item.row or 0] = rows.get(item.row or 0, 0) + 1
        assert all(count <= 5 for count in rows.values())


def test_dated_entries_use_discord_timestamps(faq: Faq) -> None:
    entry = faq.by_id["meeting-dates"]
    [card] = render.answer_embeds(entry, faq)
    [field] = card.fields
    stamps = re.findall(r"<t:(\d+):([DR])>", field.value)
    assert [style for _, style in stamps] == ["D", "D", "R"]
    start, end, relative = (int(s) for s, _ in stamps)
    geneva = ZoneInfo("Europe/Zurich")
    assert datetime.fromtimestamp(start, geneva) == datetime(2024, 9, 10, 12, tzinfo=geneva)
    assert datetime.fromtimestamp(end, geneva) == datetime(2024, 9, 13, 12, tzinfo=geneva)
    assert datetime.fromtimestamp(relative, geneva) == datetime(2024, 9, 10, tzinfo=geneva)
    for offset in range(-10, 14):  # the date shown is right from Honolulu to Kiribati
        seen = datetime.fromtimestamp(start, UTC) + timedelta(hours=offset)
        assert seen.date() == date(2024, 9, 10), offset
    assert "10–13 September 2024" in field.value


def test_long_answers_are_split_then_cut_with_the_link(faq: Faq) -> None:
    split = render.answer_embeds(long_entry(faq, 5000), faq)
    assert len(split) == 2 and total(split) <= render.EMBED_TOTAL_LIMIT
    assert all(len(e.description or "") <= render.EMBED_DESCRIPTION_LIMIT for e in split)
    assert split[0].title and split[1].title is None
    assert split[-1].footer.text == SOURCE_FOOTER and split[-1].fields

    cut = render.answer_embeds(long_entry(faq, 20_000), faq)
    assert total(cut) <= render.EMBED_TOTAL_LIMIT
    assert "(https://example.org/full)" in (cut[-1].description or "")
    nolink = render.answer_embeds(long_entry(faq, 20_000, link=None), faq)
    assert total(nolink) <= render.EMBED_TOTAL_LIMIT and "/faq" in (nolink[-1].description or "")


def test_source_footer_comes_from_the_faq_sources(faq: Faq) -> None:
    assert render.source_label(faq.sources[0]) == "CCM ISU press release, 5 September 2024"
    assert render.source_label(None) == "the FAQ"
    undated = dataclasses.replace(faq.sources[0], title="Another note", date=date(2024, 1, 2))
    assert render.source_label(undated) == "Another note, 2 January 2024"


def test_about_embed_has_source_and_contact(faq: Faq) -> None:
    embed = render.about_embed(faq, bot_name="FAQ Bot", version="1.0.0")
    text = json.dumps(embed.to_dict(), ensure_ascii=False)
    assert "5 September 2024" in text and "info@cmconvention.org" in text
    assert len(embed) <= render.EMBED_TOTAL_LIMIT
    assert embed.footer.text.startswith(SOURCE_FOOTER)


def test_decline_lists_the_topics_and_escapes_the_question(faq: Faq) -> None:
    text = render.decline_text("**weather** @everyone " + "x" * 3000, faq)
    assert len(text) <= render.CONTENT_LIMIT
    assert all(t.title in text for t in faq.topics) and "/faq" in text
    assert "\\*\\*weather\\*\\*" in text and "@everyone" not in text
    assert "Did you mean" in render.suggestion_text("dates?")


def test_miss_replies(index: FaqIndex) -> None:
    suggested = index.answer("states")
    if suggested.outcome is Outcome.SUGGESTED:
        out = reply.miss_reply(suggested, index, public=True)
        assert not out.ephemeral and out.view is not None
        assert len(out.view.children) == min(3, len(suggested.alternatives))
    declined = reply.miss_reply(index.answer("weather in paris"), index, public=True)
    assert declined.ephemeral
    refused = reply.miss_reply(index.answer("   "), index, public=True)
    assert refused.ephemeral and refused.view is None and "Please ask" in (refused.content or "")


# --- components -------------------------------------------------------------------------------


def test_custom_ids_fit_for_the_longest_ids() -> None:
    longest = "a" * 60
    for item in (
        components.AnswerButton(longest, label="q" * 300),
        components.VoteButton(True, longest, "f" * 24),
        components.CalendarButton(longest),
        components.QuestionSelect("t" * 40),
    ):
        assert len(item.custom_id) <= render.CUSTOM_ID_LIMIT
        assert components.is_known_custom_id(item.custom_id)
        label = getattr(item.item, "label", None)
        assert label is None or len(label) <= render.BUTTON_LABEL_LIMIT
    assert components.is_known_custom_id("faq:browse:topics")
    assert not components.is_known_custom_id("faq:old-format:1")
    assert components.VoteButton(False, "x", "v1").custom_id == "faq:vote:down:x:v1"


async def test_views_are_finished_so_discord_py_never_stores_them(
    faq: Faq, index: FaqIndex
) -> None:
    entry = faq.by_id["meeting-dates"]
    assert components.answer_view(entry, faq.version, []).is_finished()
    assert components.browse_view(faq, None).is_finished()
    assert components.choices_view([entry]).is_finished()
    assert components.choices_view([]) is None


def test_select_menus_page_long_lists(faq: Faq) -> None:
    topics = tuple(
        Topic(id=f"topic-{i}", title=f"Topic {i}", description="d" * 150, entry_ids=())
        for i in range(60)
    )
    big = dataclasses.replace(faq, topics=topics)
    options = components.topic_options(big)
    for page in range(4):
        shown = components.paged(options, page, "topics")
        assert len(shown) <= render.SELECT_OPTIONS_LIMIT
        assert all(len(o.description or "") <= 100 for o in shown)
    assert components.paged(options, 0, "topics")[-1].value == "page:1"
    assert components.paged(options, 2, "topics")[0].value == "page:1"
    assert components.page_of([o.value for o in options], "topic-30") == 1


def test_browse_answer_view_fits_five_rows(faq: Faq, index: FaqIndex) -> None:
    topic = faq.topic("dates")
    assert topic is not None
    entry = faq.by_id[topic.entry_ids[0]]
    view = components.browse_answer_view(faq, topic, entry, reply.follow_ups(entry, index))
    rows = view.to_components()
    assert len(rows) == 4
    assert [c["type"] for c in rows[0]["components"]] == [2, 2, 2, 2]
    assert {c["type"] for c in rows[1]["components"]} == {2}
    assert [c["custom_id"] for c in rows[2]["components"]] == ["faq:browse:topic:dates"]
    assert [c["custom_id"] for c in rows[3]["components"]] == ["faq:browse:topics"]
    select = next(i for i in view.children if i.custom_id == "faq:browse:topic:dates")
    assert [o.value for o in select.item.options if o.default] == [entry.id]


# --- calendar file ----------------------------------------------------------------------------


def test_ics_is_rfc5545(faq: Faq) -> None:
    entry = faq.by_id["meeting-dates"]
    data = ics.event_ics(entry, faq, now=datetime(2024, 9, 1, 8, 30, tzinfo=UTC))
    text = data.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    lines = unfolded.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and "END:VCALENDAR" in lines
    assert "DTSTART;VALUE=DATE:20240910" in lines and "DTEND;VALUE=DATE:20240914" in lines
    assert "DTSTAMP:20240901T083000Z" in lines
    assert "UID:meeting-dates-20240910@faqbot-12msp" in lines
    assert "LOCATION:UN Geneva" in lines
    summary = next(line for line in lines if line.startswith("SUMMARY:"))
    assert "Twelfth Meeting of States Parties (12MSP)" in summary
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert "\\," in description and "**" not in description
    other = ics.event_ics(faq.by_id["meeting-duration"], faq)
    assert b"UID:meeting-dates-20240910@faqbot-12msp" in other
    assert ics.ics_filename(faq.by_id["meeting-duration"], faq) == "meeting-dates.ics"


def test_ics_escaping_and_folding() -> None:
    assert ics.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = ics.fold("SUMMARY:" + "é" * 80)
    for line in folded.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    assert folded.replace("\r\n ", "") == "SUMMARY:" + "é" * 80
    with pytest.raises(ValueError):
        entry = FaqEntry(id="x", topic="t", question="q?", answer="a", sources=("s",))
        ics.event_ics(entry, Faq((entry,), (), {}, (), "v"))


def test_ics_uses_event_dates_of_any_length(faq: Faq) -> None:
    entry = dataclasses.replace(
        faq.by_id["meeting-dates"], event=EventDates(date(2024, 12, 31), date(2025, 1, 1))
    )
    text = ics.event_ics(entry, faq).decode()
    assert "DTSTART;VALUE=DATE:20241231" in text and "DTEND;VALUE=DATE:20250102" in text


# --- autocomplete, topics, mentions -----------------------------------------------------------


def test_question_choices_are_valid(index: FaqIndex) -> None:
    bot = SimpleNamespace(knowledge=SimpleNamespace(index=index))
    for typed in ("", "where is the venu", "x" * 150, "when", "id:meeting-dates"):
        choices = question_choices(bot, typed)  # type: ignore[arg-type]
        assert len(choices) <= render.CHOICES_LIMIT
        assert all(1 <= len(c.name) <= 100 and 1 <= len(c.value) <= 100 for c in choices)
    venue = question_choices(bot, "where is the venu")  # type: ignore[arg-type]
    assert venue[0].value == "where is the venu"
    assert "id:meeting-venue" in [c.value for c in venue[:4]]


def test_resolve_choice(index: FaqIndex) -> None:
    assert reply.resolve_choice(index, "id:meeting-venue").id == "meeting-venue"  # type: ignore[union-attr]
    assert reply.resolve_choice(index, "where is the 12msp held").id == "meeting-venue"  # type: ignore[union-attr]
    assert reply.resolve_choice(index, "id:nope") is None
    assert reply.resolve_choice(index, "venue please") is None


def test_topics_by_id_title_or_spelling(faq: Faq) -> None:
    assert find_topic(faq, "venue").id == "venue"  # type: ignore[union-attr]
    assert find_topic(faq, "Key arguments").id == "positions"  # type: ignore[union-attr]
    assert find_topic(faq, "zzz") is None
    assert topic_choices(faq, "")[0].value == faq.topics[0].id
    assert topic_choices(faq, "ven")[0].value == "venue"


def test_mentions_are_stripped() -> None:
    pattern = mention_pattern(42, role_id=7)
    assert strip_mentions("<@42> when is it?", pattern) == "when is it?"
    assert strip_mentions("hey <@!42>   where <@&7>", pattern) == "hey where"
    assert not pattern.search("<@43> hello")


# --- discord-free helpers ---------------------------------------------------------------------


def test_cooldown_window_and_first_refusal() -> None:
    now = [0.0]
    cooldown = Cooldown(2, 10.0, clock=lambda: now[0])
    assert cooldown.hit(1).allowed and cooldown.hit(1).allowed
    refused = cooldown.hit(1)
    assert not refused.allowed and refused.first_refusal and refused.retry_seconds == 10
    now[0] = 4.2
    again = cooldown.hit(1)
    assert not again.first_refusal and again.retry_seconds == 6
    assert cooldown.hit(2).allowed
    now[0] = 10.0
    assert cooldown.hit(1).allowed
    for user in range(1000):
        cooldown.hit(user + 10)
    now[0] = 100.0
    for user in range(300):
        cooldown.hit(user + 5000)
    assert len(cooldown) < 1000


def test_recent_posts_expire() -> None:
    now = [0.0]
    posts = RecentPosts(60.0, clock=lambda: now[0])
    posts.remember(1, "a", "url")
    assert posts.find(1, "a").url == "url"  # type: ignore[union-attr]
    assert posts.find(2, "a") is None and posts.find(None, "a") is None
    now[0] = 60.0
    assert posts.find(1, "a") is None


def test_command_sync_plans_only_changes(tmp_path: Path) -> None:
    state = CommandSyncState(tmp_path)
    commands = [{"name": "ask", "options": [{"name": "q", "type": 3}]}, {"name": "faq"}]
    [first] = state.plan(1, {GLOBAL: commands})
    assert first.scope == GLOBAL and first.commands == 2
    state.record(1, [first])
    assert state.plan(1, {GLOBAL: list(reversed(commands))}) == []
    assert state.plan(2, {GLOBAL: commands}), "another application syncs again"
    assert payload_hash([{"b": 1, "a": 2}]) == payload_hash([{"a": 2, "b": 1}])

    guild = guild_scope(123456789012345678)
    plans = state.plan(1, {GLOBAL: [], guild: commands})
    assert [(p.scope, p.digest == EMPTY_HASH) for p in plans] == [(GLOBAL, True), (guild, False)]
    state.record(1, plans)
    assert json.loads((tmp_path / "command-sync.json").read_text())["scopes"] == {
        guild: payload_hash(commands)
    }
    back = state.plan(1, {GLOBAL: commands})
    assert [(p.scope, p.digest == EMPTY_HASH) for p in back] == [(GLOBAL, False), (guild, True)]
    assert [p.guild_id for p in back] == [None, 123456789012345678]
    assert not list(tmp_path.glob(".*.tmp"))


def test_command_sync_ignores_a_broken_state_file(tmp_path: Path) -> None:
    (tmp_path / "command-sync.json").write_text("{not json")
    assert CommandSyncState(tmp_path).plan(1, {GLOBAL: [{"name": "ask"}]})


def test_question_events(index: FaqIndex) -> None:
    answer = index.answer("when is the 12msp?")
    event = QuestionEvent.from_answer(
        answer,
        source=QuestionSource.SLASH,
        user_id=1,
        guild_id=2,
        channel_id=3,
        latency=0.01,
    )
    assert event.answered and not event.missed
    assert event.entry_id == answer.best.entry.id  # type: ignore[union-attr]
    assert event.candidates[0] == ScoredEntry(event.entry_id, round(answer.best.score, 4))  # type: ignore[union-attr, arg-type]
    assert event.faq_version == index.faq.version
    missed = QuestionEvent.from_answer(
        index.answer("weather in paris"),
        source=QuestionSource.DM,
        user_id=1,
        guild_id=None,
        channel_id=None,
        latency=0.0,
    )
    assert missed.missed and missed.entry_id is None and missed.outcome is Outcome.DECLINED
    direct = QuestionEvent.direct(
        index.faq.by_id["meeting-venue"],
        faq_version="v",
        source=QuestionSource.BUTTON,
        user_id=1,
        guild_id=None,
        channel_id=None,
        latency=0.0,
    )
    assert direct.entry_id == "meeting-venue" and direct.candidates == (
        ScoredEntry("meeting-venue", 1.0),
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        direct.user_id = 2  # type: ignore[misc]


# --- the bot's answer hook --------------------------------------------------------------------


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
