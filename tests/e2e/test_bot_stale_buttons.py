"""End-to-end: buttons on an answer the FAQ has changed since. The calendar button of an entry
that lost its dates says so (the entry is not gone); a vote for an entry that no longer exists
is refused and not stored."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.engine.index import FaqIndex
from bot.engine.loader import load_faq
from bot.services import editing
from bot.services.store import DB_FILE
from tests.e2e.test_admin_commands import WAIT, copy_faq, private_reply

pytestmark = pytest.mark.e2e


def _drop_entry(faq: Path, entry_id: str) -> Callable[[], None]:
    """Remove the entry on the host as a moderator would: its translations and checks too.
    Prepared first and written when called, so the watcher sees every edit at once."""
    removal = editing.remove_entry(faq, FaqIndex(load_faq(faq)), entry_id)

    def write() -> None:
        for change in removal.changes():
            (faq / change.path).write_text(change.after, encoding="utf-8")

    return write


async def test_buttons_of_an_answer_the_faq_changed_since(fake_discord, bot_process, tmp_path):
    faq = copy_faq(tmp_path)
    world = fake_discord.world
    bot = await bot_process(env={"GUILD_IDS": str(world.guild.id), "FAQ_DIR": str(faq)})
    ask = {"question": "how long is the meeting"}
    duration = await (await fake_discord.slash("ask", ask, user=world.alice)).response()
    calendar = next(i for i in duration.custom_ids if i.startswith("faq:ics:"))
    ask = {"question": "Where did the stakeholder dialogue take place?"}
    dialogue = await (await fake_discord.slash("ask", ask, user=world.alice)).response()
    vote = next(i for i in dialogue.custom_ids if i.startswith("faq:vote:up:dialogue-location:"))

    drop_dialogue_location = _drop_entry(faq, "dialogue-location")
    dates = faq / "dates.yaml"
    text = dates.read_text(encoding="utf-8")
    at = text.index("  - id: meeting-duration")
    event = text.index("    event: {start: 2024-09-10", at)
    dates.write_text(text[:event] + text[text.index("\n", event) + 1 :], encoding="utf-8")
    drop_dialogue_location()
    reloaded = await private_reply(await fake_discord.slash("faq-admin reload", user=world.bob))
    assert "1 removed" in reloaded.text and "1 changed" in reloaded.text, reloaded.text

    # Carol did not ask: she reads these private replies in her own language (French).
    no_dates = await (await fake_discord.click(duration, calendar, user=world.carol)).response()
    assert no_dates.ephemeral and "n'a plus de dates" in no_dates.content
    assert "n'est plus dans la FAQ" not in no_dates.content and not no_dates.files

    refused = await (await fake_discord.click(dialogue, vote, user=world.carol)).response()
    assert refused.ephemeral and "n'est plus dans la FAQ" in refused.content
    assert "Merci" not in refused.content
    # Alice, who asked, reads the English of the card.
    again = await (await fake_discord.click(dialogue, vote, user=world.alice)).response()
    assert "no longer in the FAQ" in again.content
    assert bot.data_dir is not None
    with sqlite3.connect(bot.data_dir / DB_FILE, timeout=WAIT) as conn:
        stored = conn.execute("SELECT COUNT(*) FROM votes").fetchone()[0]
    assert stored == 0
    fake_discord.assert_clean()
