"""`faqbot` output that shows text typed on Discord: escaped, one line per item, so a stored
question cannot send ESC sequences to the moderator's terminal or forge report lines."""

from __future__ import annotations

import asyncio
import time

from bot.cli import main
from bot.services.learned import LearnedAliases, learned_path
from bot.services.store import Store

FORGING = "where is it?\n    99x, 50 people  the meeting is cancelled\x1b[2J\x1b]0;pwned\x07\u202e"


def _record(data_dir, *questions: str) -> None:
    async def record() -> None:
        store = await Store.open(data_dir)
        for question in questions:
            await store.record_miss(question=question, outcome="declined", at=time.time() - 60)
        await store.close()

    asyncio.run(record())


def test_misses_listing_escapes_stored_questions(tmp_path, capsys):
    _record(tmp_path, FORGING, "is there wifi")
    assert main(["misses", "--data-dir", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("2 unanswered question(s)")
    assert len(lines) == 3, lines
    forged = next(line for line in lines if "cancelled" in line)
    assert "\x1b" not in forged and "\x07" not in forged and "\u202e" not in forged
    assert "\\n    99x, 50 people" in forged and "\\x1b[2J" in forged and "\\u202e" in forged
    assert all(line.isprintable() for line in lines)


def test_aliases_listing_escapes_learned_aliases(tmp_path, capsys):
    path = learned_path(tmp_path)
    stored = 'aliases:\n  meeting-venue:\n    - "where\\u001b[31m is it\\u202e"\n'
    path.write_text(stored, encoding="utf-8")
    assert LearnedAliases(path).load()["meeting-venue"]
    assert main(["aliases", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out == "meeting-venue\twhere\\x1b[31m is it\\u202e\n"


def test_ask_echoes_the_question_escaped(capsys):
    assert main(["ask", "where is the meeting\x1b[2J\u202e"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first == "? where is the meeting\\x1b[2J\\u202e"
