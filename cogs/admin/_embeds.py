"""What moderators read: reload results, feedback lines, and the small formatters they use."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.engine.index import FaqIndex
from bot.services.knowledge import ReloadResult
from bot.services.store import EntryFeedback
from bot.ui.limits import COLOUR_FAIL, COLOUR_OK, EMBED_DESCRIPTION_LIMIT, EMBED_TITLE_LIMIT
from bot.ui.text import clip, clip_lines, code_block, echo

QUESTION_SHOWN = 120
"""Characters of a user's question shown in moderator lists."""
FOOTER_SHOWN = 200
"""Characters of a reload reason or a path shown in a footer."""


def ago(timestamp: float) -> str:
    return f"<t:{int(timestamp)}:R>"


def duration(seconds: float) -> str:
    seconds = int(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h {minutes}m"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m {secs}s"


def reload_embed(result: ReloadResult, *, reason: str | None = None) -> discord.Embed:
    """What moderators see after a reload: the summary, then changes or `file:line` errors."""
    if result.ok:
        title = clip(result.summary(), EMBED_TITLE_LIMIT)
        lines = []
        if result.previous is not None and result.version != result.previous:
            for label, ids in (
                ("Added", result.added),
                ("Changed", result.changed),
                ("Removed", result.removed),
            ):
                if ids:
                    lines.append(f"**{label}:** " + ", ".join(f"`{i}`" for i in ids))
            if not lines:
                lines.append("No entry changed (synonyms, sources, order or comments did).")
        if result.checks:
            lines.append(f"**Checks:** {result.checks}")
        description = clip_lines(lines, EMBED_DESCRIPTION_LIMIT - 1100)
        if result.warnings:
            description += "\n**Warnings:**\n" + code_block(map(str, result.warnings), 1000)
        embed = discord.Embed(title=title, description=description or None, colour=COLOUR_OK)
    elif result.failed_checks:
        embed = discord.Embed(
            title=clip(result.summary(), EMBED_TITLE_LIMIT),
            description=clip(
                "The new files would stop answering what these checks ask (checks.yaml); "
                "questions are still answered from the last good FAQ. Fix the files, or the "
                "checks, and save again; `/faq-admin reload force:True` serves them anyway.\n"
                + code_block(map(str, result.errors), EMBED_DESCRIPTION_LIMIT - 400),
                EMBED_DESCRIPTION_LIMIT,
            ),
            colour=COLOUR_FAIL,
        )
    else:
        embed = discord.Embed(
            title=clip(f"FAQ reload failed: still serving {result.version}", EMBED_TITLE_LIMIT),
            description=clip(
                f"{len(result.errors)} error(s); fix them and save again (or `/faq-admin "
                "reload`). Questions are still answered from the last good FAQ.\n"
                + code_block(map(str, result.errors), EMBED_DESCRIPTION_LIMIT - 300),
                EMBED_DESCRIPTION_LIMIT,
            ),
            colour=COLOUR_FAIL,
        )
    if reason:
        embed.set_footer(text=clip(reason, FOOTER_SHOWN))
    return embed


def feedback_lines(rows: Sequence[EntryFeedback], index: FaqIndex) -> list[str]:
    lines = []
    for number, row in enumerate(rows, start=1):
        entry = index.entry(row.entry_id)
        question = echo(entry.question, 100) if entry else "(no longer in the FAQ)"
        versions = f", {row.versions} versions" if row.versions > 1 else ""
        lines.append(
            f"**{number}.** `{row.entry_id}`: {row.helpful}/{row.votes} helpful "
            f"({row.ratio:.0%}{versions}): {question}"
        )
    return lines
