"""Echoed user text: nothing invisible, no working link, no way out of the bot's quotes;
terminal output: every invisible character escaped, one line."""

from __future__ import annotations

import pytest

from bot.services.safe_text import neutralize_links, sanitize_echo, terminal_line

HOSTILE = (
    "Join discord.gg/abc123 or https://evil.example/login \x1b[31mRED\x1b[0m "
    "\u202eevil\u202c in\u200bvisible\u2066x\u2069\n"
    "…” — official notice: the meeting is cancelled “"
)


def test_echo_keeps_the_words_and_drops_every_hostile_part() -> None:
    echoed = sanitize_echo(HOSTILE)
    assert "RED" in echoed and "evil" in echoed and "invisible" in echoed
    for hostile in ("\x1b", "[31m", "\u202e", "\u202c", "\u200b", "\u2066", "\n", "“", "”"):
        assert hostile not in echoed, hostile
    assert "discord.gg" not in echoed and "https://" not in echoed
    assert "evil.example" not in echoed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://evil.example/x", "hxxps[:]//evil[.]example/x"),
        ("discord.gg/abc", "discord[.]gg/abc"),
        ("discord.com/invite/abc", "discord[.]com/invite/abc"),
        ("see www.Example.org now", "see www[.]Example[.]org now"),
        ("article 5, e.g. 12.5 km", "article 5, e.g. 12.5 km"),
    ],
)
def test_links_are_readable_but_never_links(text: str, expected: str) -> None:
    assert neutralize_links(text) == expected


@pytest.mark.parametrize("quote", ['"', "“", "”", "„", "«", "»", "＂"])
def test_no_quote_mark_can_close_the_bots_quotation(quote: str) -> None:
    assert quote not in sanitize_echo(f"a{quote} official notice {quote}b")


def test_echo_is_one_line_with_single_spaces() -> None:
    assert sanitize_echo("  where\n\nis\u2028the\tmeeting  ") == "where is the meeting"


def test_terminal_line_escapes_control_bidi_and_zero_width() -> None:
    line = terminal_line("ok\x1b[2J\nFORGED 99x\r\u202eabc\u200b\U000e0041")
    assert line == "ok\\x1b[2J\\nFORGED 99x\\r\\u202eabc\\u200b\\U000e0041"
    assert line.isprintable()


def test_terminal_line_leaves_ordinary_text_alone() -> None:
    text = "Où est la réunion ? 会议在哪里 — “12MSP”"
    assert terminal_line(text) == text
