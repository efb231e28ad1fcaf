"""The text helpers: clip, echo, split, plain."""

from __future__ import annotations

from bot.ui import text as ui_text


def test_clip_respects_the_limit_and_words() -> None:
    assert ui_text.clip("short", 10) == "short"
    clipped = ui_text.clip("one two three four five six seven", 20)
    assert len(clipped) <= 20 and clipped.endswith("…") and " thr…" not in clipped
    assert len(ui_text.clip("x" * 500, 100)) == 100


def test_echo_escapes_markdown_mentions_and_cuts() -> None:
    text = ui_text.echo("**bold** @everyone <@123456789012345678> `code`\nsecond line " + "x" * 400)
    assert "\\*\\*bold\\*\\*" in text and "\\`code\\`" in text
    assert "@everyone" not in text and "<@123456789012345678>" not in text
    assert "\n" not in text and len(text) < ui_text.ECHO_LIMIT * 2


def test_split_text_prefers_paragraphs_and_keeps_everything() -> None:
    text = ("word " * 300 + "\n\n") * 5
    parts = ui_text.split_text(text, 1000)
    assert all(len(p) <= 1000 for p in parts)
    assert " ".join(" ".join(parts).split()) == " ".join(text.split())
    assert ui_text.split_text("x" * 2500, 1000) == ["x" * 1000, "x" * 1000, "x" * 500]


def test_plain_strips_bold_and_italics() -> None:
    assert ui_text.plain("**10–13 September.** and *italic* text 3*4") == (
        "10–13 September. and italic text 3*4"
    )
