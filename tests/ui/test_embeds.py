"""Embeds and texts: the answer card's embeds within Discord's limits, sources, /about,
declines."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import discord

from bot.engine.index import FaqIndex
from bot.engine.models import Faq, FaqEntry, ModeratorStatement
from bot.ui import card, limits, texts
from bot.ui import embeds as ui_embeds

SOURCE_FOOTER = "Source: CCM ISU press release, 5 September 2024"


def total(embeds: list[discord.Embed]) -> int:
    return sum(len(e) for e in embeds)


def long_entry(faq: Faq, size: int, *, link: str | None = "https://example.org/full") -> FaqEntry:
    base = faq.by_id["meeting-dates"]
    paragraph = "The delegates met in Geneva and discussed the Convention at length. " * 12
    text = "\n\n".join([paragraph.strip()] * (size // len(paragraph) + 1))[:size]
    return dataclasses.replace(
        base, answer=text, link=link, link_label="Full text" if link else None
    )


def test_every_entry_renders_within_discord_limits(index: FaqIndex, faq: Faq) -> None:
    for entry in faq.entries:
        embeds = ui_embeds.answer_embeds(entry, faq)
        assert embeds[0].title == entry.question
        assert embeds[0].description == entry.answer
        assert embeds[-1].footer.text == SOURCE_FOOTER
        assert total(embeds) <= limits.EMBED_TOTAL_LIMIT
        view = card.answer_view(entry, faq.version, card.follow_ups(entry, index))
        rows: dict[int, int] = {}
        for item in view.children:
            data = item.to_component_dict()
            assert len(data.get("custom_id", "")) <= limits.CUSTOM_ID_LIMIT
            assert len(data.get("label", "")) <= limits.BUTTON_LABEL_LIMIT
            rows[item.row or 0] = rows.get(item.row or 0, 0) + 1
        assert all(count <= 5 for count in rows.values())


def test_dated_entries_use_discord_timestamps(faq: Faq) -> None:
    entry = faq.by_id["meeting-dates"]
    [card] = ui_embeds.answer_embeds(entry, faq)
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
    split = ui_embeds.answer_embeds(long_entry(faq, 5000), faq)
    assert len(split) == 2 and total(split) <= limits.EMBED_TOTAL_LIMIT
    assert all(len(e.description or "") <= limits.EMBED_DESCRIPTION_LIMIT for e in split)
    assert split[0].title and split[1].title is None
    assert split[-1].footer.text == SOURCE_FOOTER and split[-1].fields

    cut = ui_embeds.answer_embeds(long_entry(faq, 20_000), faq)
    assert total(cut) <= limits.EMBED_TOTAL_LIMIT
    assert "(https://example.org/full)" in (cut[-1].description or "")
    nolink = ui_embeds.answer_embeds(long_entry(faq, 20_000, link=None), faq)
    assert total(nolink) <= limits.EMBED_TOTAL_LIMIT and "/faq" in (nolink[-1].description or "")


def test_source_footer_comes_from_the_faq_sources(faq: Faq) -> None:
    assert ui_embeds.source_label(faq.sources[0]) == "CCM ISU press release, 5 September 2024"
    assert ui_embeds.source_label(None) == "the FAQ"
    undated = dataclasses.replace(faq.sources[0], title="Another note", date=date(2024, 1, 2))
    assert ui_embeds.source_label(undated) == "Another note, 2 January 2024"


def test_about_embed_has_source_and_contact(faq: Faq) -> None:
    embed = ui_embeds.about_embed(faq, bot_name="FAQ Bot", version="1.0.0")
    text = json.dumps(embed.to_dict(), ensure_ascii=False)
    assert "5 September 2024" in text and "info@cmconvention.org" in text
    assert len(embed) <= limits.EMBED_TOTAL_LIMIT
    assert embed.footer.text.startswith(SOURCE_FOOTER)


def test_decline_lists_the_topics_and_escapes_the_question(faq: Faq) -> None:
    text = texts.decline_text("**weather** @everyone " + "x" * 3000, faq)
    assert len(text) <= limits.CONTENT_LIMIT
    assert all(t.title in text for t in faq.topics) and "/faq" in text
    assert "\\*\\*weather\\*\\*" in text and "@everyone" not in text
    assert "Did you mean" in texts.suggestion_text("dates?")


def test_an_entry_from_a_moderator_cites_the_moderator_in_the_footer(faq: Faq) -> None:
    statement = ModeratorStatement("Alice Martin", date(2024, 9, 11), "The cafeteria is open.")
    entry = dataclasses.replace(faq.by_id["meeting-dates"], sources=(), statements=(statement,))
    [embed] = ui_embeds.answer_embeds(entry, faq)
    assert embed.footer.text == "Answer from moderator Alice Martin, 11 September 2024"
    quoted = dataclasses.replace(entry, sources=faq.by_id["meeting-dates"].sources)
    assert ui_embeds.answer_embeds(quoted, faq)[-1].footer.text == SOURCE_FOOTER
