"""Editing the FAQ from Discord through the fake Discord: edit -> preview -> confirm writes the
YAML file (comments kept) and the bot serves it; a change that breaks a check is refused with
the check's text; a host edit in between makes the save refuse; undo restores the old file;
a read-only FAQ_DIR gets one line; non-moderators cannot open the modal or press its buttons;
new entries need a verbatim quote; reloads that break checks are refused unless forced."""

from __future__ import annotations

import dataclasses
import re
import sqlite3

import pytest
import yaml

from bot.services.store import DB_FILE
from tests.e2e.test_admin_commands import copy_faq, private_reply

pytestmark = pytest.mark.e2e

WAIT = 30.0
VENUE_COMMENT = "# faq/venue.yaml"
NEW_ANSWER = (
    "**At UN Geneva, the Palais des Nations.** The release gives UN Geneva as the venue of the "
    "12MSP, 10–13 September 2024."
)


@pytest.fixture
def faq_dir(tmp_path):
    return copy_faq(tmp_path)


@pytest.fixture
async def editing_bot(fake_discord, bot_process, faq_dir):
    world = fake_discord.world
    env = {
        "GUILD_IDS": str(world.guild.id),
        "FAQ_DIR": str(faq_dir),
        "MOD_LOG_CHANNEL_ID": str(world.mod_log.id),
        "RELOAD_DEBOUNCE_SECONDS": "0.3",
    }
    return await bot_process(env=env)


async def open_edit(fake, entry: str, user):
    handle = await fake.slash("faq-admin edit", {"entry": entry}, user=user)
    return handle, await handle.modal(timeout=WAIT)


async def preview_of(fake, handle, modal, fields, user):
    sent = await fake.submit_modal(modal["custom_id"], fields, user=user, source=handle)
    return await private_reply(sent)


def button(message, label: str) -> str:
    return next(c["custom_id"] for c in message.walk_components() if c.get("label") == label)


async def ask_text(fake, question: str, user) -> str:
    handle = await fake.slash("ask", {"question": question, "private": True}, user=user)
    reply = await handle.response(timeout=WAIT)
    return reply.text


async def test_edit_preview_confirm_writes_the_file_with_comments_and_is_served(
    fake_discord, editing_bot, faq_dir, tmp_path
):
    world = fake_discord.world
    venue = faq_dir / "venue.yaml"
    before = venue.read_text(encoding="utf-8")
    handle, modal = await open_edit(fake_discord, "meeting-venue", world.bob)
    values = {
        c["custom_id"]: c.get("value")
        for row in modal["components"]
        for c in row.get("components", [])
    }
    assert values["question"] == "Where is the 12MSP held?"
    assert "where is the meeting" in values["aliases"].splitlines()

    preview = await preview_of(
        fake_discord,
        handle,
        modal,
        {"answer": NEW_ANSWER, "aliases": values["aliases"] + "\nwhere do delegates meet"},
        world.bob,
    )
    assert "Preview" in preview.text and "checks pass" in preview.text
    assert preview.embeds[0]["title"] == "Where is the 12MSP held?"
    assert "Palais des Nations" in preview.embeds[0]["description"]
    assert venue.read_text(encoding="utf-8") == before, "nothing is written before Confirm"

    saved = await private_reply(
        await fake_discord.click(preview, button(preview, "Confirm and save"), user=world.bob)
    )
    assert "Saved" in saved.text and "is live" in saved.text
    after = venue.read_text(encoding="utf-8")
    assert after.startswith(VENUE_COMMENT), "the file's comments are kept"
    assert "Palais des Nations" in after and "where do delegates meet" in after
    unchanged = [line for line in before.splitlines() if "dialogue" in line]
    assert all(line in after.splitlines() for line in unchanged), "other entries untouched"
    assert "Palais des Nations" in await ask_text(
        fake_discord, "where do delegates meet", world.alice
    )

    with sqlite3.connect(tmp_path / "data" / DB_FILE) as db:
        [(moderator, action, entry)] = db.execute(
            "SELECT moderator, action, entry_id FROM faq_changes"
        ).fetchall()
    assert (action, entry) == ("edit", "meeting-venue") and moderator

    # Undo (from /faq-admin history) previews the reverse change; confirming restores the file.
    history = await private_reply(
        await fake_discord.slash("faq-admin history", {"entry": "meeting-venue"}, user=world.bob)
    )
    assert "edit `meeting-venue`" in history.text
    undo = await private_reply(
        await fake_discord.click(history, button(history, "Undo #1"), user=world.bob)
    )
    assert "Preview" in undo.text and "undo" in undo.text
    restored = await private_reply(
        await fake_discord.click(undo, button(undo, "Confirm and save"), user=world.bob)
    )
    assert "Saved" in restored.text
    assert venue.read_text(encoding="utf-8") == before
    assert "Palais des Nations" not in await ask_text(
        fake_discord, "Where is the 12MSP held?", world.alice
    )
    fake_discord.assert_clean()


async def test_an_edit_that_breaks_a_check_is_refused_with_its_text(
    fake_discord, editing_bot, faq_dir
):
    world = fake_discord.world
    venue = faq_dir / "venue.yaml"
    before = venue.read_text(encoding="utf-8")
    handle, modal = await open_edit(fake_discord, "meeting-venue", world.bob)
    refused = await preview_of(
        fake_discord,
        handle,
        modal,
        {"question": "What colour are the chairs in the plenary?", "aliases": ""},
        world.bob,
    )
    assert "Not saved: this change breaks the FAQ's checks" in refused.text
    assert re.search(
        r'checks\.yaml:\d+: "[^"]+" now reaches \S+ \(expected meeting-venue\)', refused.text
    )
    assert "Confirm and save" not in refused.button_labels
    assert venue.read_text(encoding="utf-8") == before


async def test_a_host_edit_after_the_preview_makes_the_save_refuse(
    fake_discord, editing_bot, faq_dir
):
    world = fake_discord.world
    venue = faq_dir / "venue.yaml"
    handle, modal = await open_edit(fake_discord, "meeting-venue", world.bob)
    preview = await preview_of(fake_discord, handle, modal, {"answer": NEW_ANSWER}, world.bob)
    host = venue.read_text(encoding="utf-8").replace(VENUE_COMMENT, VENUE_COMMENT + " (host)")
    venue.write_text(host, encoding="utf-8")
    refused = await private_reply(
        await fake_discord.click(preview, button(preview, "Confirm and save"), user=world.bob)
    )
    assert "venue.yaml changed on the host since this preview; nothing was saved" in refused.text
    assert venue.read_text(encoding="utf-8") == host, "the host's edit is kept, not merged"


async def test_non_moderators_cannot_open_the_modal_or_press_its_buttons(
    fake_discord, editing_bot, faq_dir
):
    world = fake_discord.world
    refused = await private_reply(
        await fake_discord.slash(
            "faq-admin edit", {"entry": "meeting-venue"}, user=world.alice, check_permissions=False
        )
    )
    assert refused.text == "Only FAQ moderators can use this."

    handle, modal = await open_edit(fake_discord, "meeting-venue", world.bob)
    # Someone else submitting the modal is refused too.
    stranger = await fake_discord.submit_modal(
        modal["custom_id"], {"answer": NEW_ANSWER}, user=world.alice, source=handle
    )
    assert (await private_reply(stranger)).text == "Only FAQ moderators can use this."
    preview = await preview_of(fake_discord, handle, modal, {"answer": NEW_ANSWER}, world.bob)
    await fake_discord.add_member(dataclasses.replace(world.bob, roles=()))
    pressed = await private_reply(
        await fake_discord.click(preview, button(preview, "Confirm and save"), user=world.bob)
    )
    assert pressed.text == "Only FAQ moderators can use this."
    assert "Palais des Nations" not in (faq_dir / "venue.yaml").read_text(encoding="utf-8")


async def test_a_new_entry_needs_a_verbatim_quote(fake_discord, editing_bot, faq_dir):
    world = fake_discord.world
    handle = await fake_discord.slash("faq-admin add", {"topic": "venue"}, user=world.bob)
    modal = await handle.modal(timeout=WAIT)
    fields = {
        "question": "Which UN office hosts the 12MSP?",
        "answer": "UN Geneva hosts it, according to the release.",
        "aliases": "",
        "source": "taking place at UN Geneva 10-14 September",
    }
    refused = await preview_of(fake_discord, handle, modal, fields, world.bob)
    assert "does not validate" in refused.text and "not found verbatim" in refused.text
    assert "closest passage" in refused.text

    handle = await fake_discord.slash("faq-admin add", {"topic": "venue"}, user=world.bob)
    modal = await handle.modal(timeout=WAIT)
    fields["source"] = "taking place at UN Geneva 10-13 September"
    preview = await preview_of(fake_discord, handle, modal, fields, world.bob)
    assert preview.embeds[0]["title"] == "Which UN office hosts the 12MSP?"
    saved = await private_reply(
        await fake_discord.click(preview, button(preview, "Confirm and save"), user=world.bob)
    )
    assert "is live" in saved.text
    venue = (faq_dir / "venue.yaml").read_text(encoding="utf-8")
    assert "Which UN office hosts the 12MSP?" in venue
    checks = (faq_dir / "checks.yaml").read_text(encoding="utf-8")
    assert '{ask: "Which UN office hosts the 12MSP?", expect: ' in checks, "a check is added"


async def test_remove_asks_for_confirmation(fake_discord, editing_bot, faq_dir):
    world = fake_discord.world
    preview = await private_reply(
        await fake_discord.slash("faq-admin remove", {"entry": "dialogue-location"}, user=world.bob)
    )
    assert "will no longer be in the FAQ" in preview.text
    assert "dialogue-location" in (faq_dir / "venue.yaml").read_text(encoding="utf-8")
    cancelled = await private_reply(
        await fake_discord.click(preview, button(preview, "Cancel"), user=world.bob)
    )
    assert "nothing was written" in cancelled.text
    assert "dialogue-location" in (faq_dir / "venue.yaml").read_text(encoding="utf-8")


async def test_a_read_only_faq_dir_gets_one_line(fake_discord, bot_process, faq_dir):
    world = fake_discord.world
    faq_dir.chmod(0o555)
    try:
        await bot_process(env={"GUILD_IDS": str(world.guild.id), "FAQ_DIR": str(faq_dir)})
        for command, options in (
            ("faq-admin edit", {"entry": "meeting-venue"}),
            ("faq-admin add", {"topic": "venue"}),
            ("faq-admin remove", {"entry": "meeting-venue"}),
        ):
            reply = await private_reply(await fake_discord.slash(command, options, user=world.bob))
            assert reply.text.startswith("Editing is off: FAQ_DIR")
            assert "read-only" in reply.text and "compose.yaml" in reply.text
            assert "\n" not in reply.text
    finally:
        faq_dir.chmod(0o755)


async def test_a_host_edit_that_breaks_a_check_is_refused_unless_forced(
    fake_discord, editing_bot, faq_dir
):
    world = fake_discord.world
    venue = faq_dir / "venue.yaml"
    data = yaml.safe_load(venue.read_text(encoding="utf-8"))
    [entry] = [e for e in data["entries"] if e["id"] == "meeting-venue"]
    entry.update(question="What colour are the plenary chairs?", aliases=[], keywords=["chairs"])
    venue.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    refused = await private_reply(await fake_discord.slash("faq-admin reload", user=world.bob))
    assert "FAQ reload refused" in refused.text and "check(s) fail" in refused.text
    assert re.search(r'checks\.yaml:\d+: "[^"]+" now reaches', refused.text)
    assert "UN Geneva" in await ask_text(fake_discord, "Where is the 12MSP held?", world.alice)
    forced = await private_reply(
        await fake_discord.slash("faq-admin reload", {"force": True}, user=world.bob)
    )
    assert "loaded by force" in forced.text
    assert "forced FAQ reload requested by" in editing_bot.output()


async def test_source_add_lists_it_in_about(fake_discord, editing_bot, faq_dir):
    world = fake_discord.world
    document = "Geneva, 12 September 2024 – The 12MSP adopted its final report.\n"
    preview = await private_reply(
        await fake_discord.slash(
            "faq-admin source add",
            {"file": ("final-report.txt", document.encode()), "title": "Final report"},
            user=world.bob,
        )
    )
    assert "New source" in preview.text
    saved = await private_reply(
        await fake_discord.click(preview, button(preview, "Confirm and save"), user=world.bob)
    )
    assert "is live" in saved.text
    assert (faq_dir / "sources" / "final-report.txt").read_text(encoding="utf-8") == document
    about = await private_reply(await fake_discord.slash("about", user=world.alice))
    assert "Final report" in about.text

    bad = await private_reply(
        await fake_discord.slash(
            "faq-admin source add",
            {"file": ("latin1.txt", "caf\xe9".encode("latin-1")), "title": "Bad"},
            user=world.bob,
        )
    )
    assert "not UTF-8" in bad.text
