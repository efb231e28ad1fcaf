"""Text typed by users, made safe to show again: in Discord (`sanitize_echo`) and in a
terminal (`terminal_line`). Pure functions, no Discord import.

What an echo must never carry: control characters (ESC sequences, line breaks that forge
lines), bidi overrides and isolates (text that reads differently from what it is), zero-width
characters (hidden text, split-up words that dodge filters), working links or invites, and
quote marks that would close the bot's own quotation and make the rest look like the bot's
words (`…” — official notice: the meeting is cancelled “`).
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Control, format (bidi, zero-width, soft hyphen...), surrogate, private-use, unassigned,
line and paragraph separators: nothing a person needs to see echoed."""

_QUOTE_MARKS = dict.fromkeys(map(ord, '"“”„‟«»‹›〝〞〟＂「」『』'), "'")
"""Double quotes and guillemets of every script become an apostrophe: an echo inside the
bot's “…” can then never look closed."""

_ANSI_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|.)?")
"""ESC with what it introduces (CSI `ESC [ 31 m`, OSC `ESC ] ... BEL`, or one character)."""
_SCHEME = re.compile(r"\b([a-z][a-z0-9+.-]*)://", re.IGNORECASE)
_HOST = re.compile(r"\b((?:[a-z0-9-]+\.)+)([a-z]{2,63})\b", re.IGNORECASE)


def _visible(char: str) -> bool:
    return unicodedata.category(char) not in _INVISIBLE_CATEGORIES


def neutralize_links(text: str) -> str:
    """`https://evil.example/x` -> `hxxps://evil[.]example/x`, `discord.gg/abc` ->
    `discord[.]gg/abc`: still readable, never a link, an invite or an embed in Discord."""
    text = _SCHEME.sub(lambda m: m.group(1).replace("t", "x").replace("T", "X") + "[:]//", text)
    return _HOST.sub(lambda m: m.group(1)[:-1].replace(".", "[.]") + "[.]" + m.group(2), text)


def sanitize_echo(text: str) -> str:
    """User text made safe to quote back: one line, only visible characters, no working
    link, no quote mark that could end the bot's quotation. Markdown and mentions are the
    Discord layer's to escape afterwards."""
    text = _ANSI_SEQUENCE.sub("", text)
    flat = "".join(char if _visible(char) else " " if char.isspace() else "" for char in text)
    flat = " ".join(flat.translate(_QUOTE_MARKS).split())
    return neutralize_links(flat)


def terminal_line(text: str) -> str:
    """`text` for a terminal: every invisible character (ESC, line breaks, bidi overrides,
    zero-width...) shown as an escape (`\\x1b`, `\\n`, `\\u202e`), so it stays on one line
    and cannot move the cursor, recolour or rewrite what is already on screen."""
    if all(_visible(char) for char in text):
        return text
    return "".join(char if _visible(char) else _escape(char) for char in text)


def _escape(char: str) -> str:
    if char.isascii():
        return repr(char)[1:-1]
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
