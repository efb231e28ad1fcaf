"""Text helpers for what the bot sends: cut to a limit, quote user text safely, split."""

from __future__ import annotations

import re
from collections.abc import Iterable

import discord

from bot.engine.text import clip
from bot.services.knowledge import clip_lines
from bot.services.safe_text import sanitize_echo

ECHO_LIMIT = 200
"""User text quoted back is cut to this many characters."""


def echo(text: str, limit: int = ECHO_LIMIT) -> str:
    """User text made safe to quote: one line of visible characters, no working link, no
    quote mark that could close ours (`sanitize_echo`), cut, markdown and mentions escaped."""
    flat = sanitize_echo(text)
    clipped = clip(flat, limit)
    return discord.utils.escape_mentions(discord.utils.escape_markdown(clipped))


def code_block(lines: Iterable[str], limit: int) -> str:
    """Lines in a code block (no markdown surprises in `file:line: message`) within `limit`."""
    body = clip_lines((line.replace("```", "'''") for line in lines), limit - 8)
    return f"```\n{body}\n```"


def split_text(text: str, limit: int) -> list[str]:
    """Split `text` into parts of at most `limit` characters, at paragraph, line, sentence
    or word boundaries when possible (never inside a word unless a word is longer)."""
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = -1
        for separator in ("\n\n", "\n", ". ", " "):
            position = window.rfind(separator, 0, limit)
            if position >= limit // 3:
                cut = position + (1 if separator == ". " else 0)
                break
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def plain(text: str) -> str:
    """FAQ markdown reduced to plain text (for calendar files and notifications)."""
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text, flags=re.S)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text, flags=re.S)
    return text
