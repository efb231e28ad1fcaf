"""The topic files the CLI exports for a moderator to finish (`faqbot misses --export`,
`faqbot handoffs --export`): YAML quoting, unique entry ids, the header and the layout."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime

from bot.engine.text import fold

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def slug_of(text: str, length: int) -> str:
    """`text` folded to lower-case ASCII words joined by `-`, at most `length` characters
    (empty when nothing is left)."""
    return _NOT_SLUG.sub("-", fold(text)).strip("-")[:length].strip("-")


def unique_id(prefix: str, text: str, taken: set[str], *, length: int) -> str:
    """`<prefix><slug of text>` (see `slug_of`), numbered `-2`, `-3`... when `taken` has it
    already; the id is added to `taken`."""
    base = f"{prefix}{slug_of(text, length) or 'question'}"
    entry_id, n = base, 2
    while entry_id in taken:
        entry_id = f"{base}-{n}"
        n += 1
    taken.add(entry_id)
    return entry_id


def utc_day(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d")


def topic_file(
    topic: str,
    *,
    comments: Sequence[str],
    description: str,
    entries: Sequence[str] | None,
    nothing: str,
) -> str:
    """A topic file: `comments` (lines without their `# `, ending on how to finish the
    file) and how to install it, the topic's header, then `entries` (YAML lines), or the note
    `nothing` and an empty list when `entries` is None."""
    lines = [f"# {line}" if line else "#" for line in comments]
    lines += [
        f"# Then save this file as faq/{topic}.yaml (the topic must match the file name) and",
        "# run `faqbot validate`.",
        f"topic: {topic}",
        f"title: {quoted(topic.replace('-', ' ').capitalize())}",
        f"description: {quoted(description)}",
    ]
    if entries is None:
        return "\n".join([*lines, f"# {nothing}", "entries: []"]) + "\n"
    return "\n".join([*lines, "entries:", *entries]).rstrip("\n") + "\n"
