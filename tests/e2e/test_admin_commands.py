"""/faq-admin through the fake Discord: moderators reload, read status, test, review feedback;
everyone else is refused; reload results reach the moderator log channel."""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path

import pytest

from bot.engine.loader import load_faq
from bot.services.store import Store
from bot.settings import SHIPPED_FAQ_DIR
from tests.fakediscord import CommandUnavailableError

pytestmark = pytest.mark.e2e

WAIT = 30.0


def copy_faq(tmp_path: Path) -> Path:
    faq = tmp_path / "faq"
    shutil.copytree(SHIPPED_FAQ_DIR, faq)
    for path in faq.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return faq


@pytest.fixture
def faq_dir(tmp_path) -> Path:
    return copy_faq(tmp_path)


@pytest.fixture
async def admin_bot(fake_discord, bot_process, faq_dir):
    """The bot on a writable FAQ copy, MOD_LOG_CHANNEL_ID set, quick file watching."""
    world = fake_discord.world
    env = {
        "GUILD_IDS": str(world.guild.id),
        "FAQ_DIR": str(faq_dir),
        "MOD_LOG_CHANNEL_ID": str(world.mod_log.id),
        "RELOAD_DEBOUNCE_SECONDS": "0.3",
    }
    return await bot_process(env=env)


async def private_reply(handle):
    message = await handle.response(timeout=WAIT)
    assert message.ephemeral, message.text
    assert message.allowed_mentions is not None
    assert message.allowed_mentions.get("parse") == []
    return message


async def test_status_shows_version_entries_and_health(fake_discord, admin_bot, faq_dir, tmp_path):
    bob = fake_discord.world.bob
    reply = await private_reply(await fake_discord.slash("faq-admin status", user=bob))
    text = reply.text
    faq = load_faq(faq_dir, tmp_path / "data" / "learned-aliases.yaml")
    fields = {f["name"]: f["value"] for f in reply.embeds[0]["fields"]}
    assert fields["FAQ version"] == f"`{faq.version}`"
    assert fields["Entries"] == f"{len(faq.entries)} in {len(faq.topics)} topics"
    assert fields["Learned aliases"] == "0"
    assert fields["Watching files"] == "yes (quiet 0.3 s)"
    assert fields["Last reload"].startswith("✅") and "loaded" in fields["Last reload"]
    assert fields["Gateway latency"].endswith(" ms")
    for name in ("Last reload", "Uptime", "Gateway latency", "Learned aliases", "Database"):
        assert name in text
    embed = reply.embeds[0]
    assert len(embed.get("fields") or []) <= 25
    fake_discord.assert_clean()


async def test_reload_reports_errors_keeps_serving_and_tells_the_mod_log(
    fake_discord, admin_bot, faq_dir
):
    world = fake_discord.world
    bob = world.bob
    status = await private_reply(await fake_discord.slash("faq-admin status", user=bob))
    version = next(
        f["value"].strip("`") for f in status.embeds[0]["fields"] if f["name"] == "FAQ version"
    )

    venue = faq_dir / "venue.yaml"
    good = venue.read_text(encoding="utf-8")
    venue.write_text(good.replace("link_label:", "link_labl:", 1), encoding="utf-8")
    before = len(fake_discord.bot_messages)
    reply = await private_reply(await fake_discord.slash("faq-admin reload", user=bob))
    assert f"FAQ reload failed: still serving {version}" in reply.text
    assert "venue.yaml:" in reply.text and "link_labl" in reply.text
    assert len(reply.embeds[0]["description"]) <= 4096

    posted = await fake_discord.wait_for_bot_message(
        lambda m: "reload failed" in m.text, channel=world.mod_log, after=before, timeout=WAIT
    )
    assert "venue.yaml:" in posted.text
    assert posted.allowed_mentions is not None and posted.allowed_mentions.get("parse") == []

    # Still answering from the last good FAQ.
    test = await private_reply(
        await fake_discord.slash(
            "faq-admin test", {"question": "Where is the 12MSP held?"}, user=bob
        )
    )
    assert "meeting-venue" in test.text
    assert f"FAQ {version}" in test.text

    # Fixing the file is picked up without a command, and summarised in the mod log.
    before = len(fake_discord.bot_messages)
    venue.write_text(
        good.replace("It does\n      not name a building", "It does not\n      name a building"),
        encoding="utf-8",
    )
    posted = await fake_discord.wait_for_bot_message(
        lambda m: "loaded" in m.text, channel=world.mod_log, after=before, timeout=WAIT
    )
    assert "0 added, 0 changed, 0 removed" in posted.text  # re-wrapped text, same content
    fake_discord.assert_clean()


async def test_a_changed_answer_is_summarised_in_the_mod_log(fake_discord, admin_bot, faq_dir):
    world = fake_discord.world
    venue = faq_dir / "venue.yaml"
    before = len(fake_discord.bot_messages)
    venue.write_text(
        venue.read_text(encoding="utf-8").replace(
            "**At UN Geneva.**", "**At UN Geneva (Palais).**"
        ),
        encoding="utf-8",
    )
    posted = await fake_discord.wait_for_bot_message(
        lambda m: "loaded" in m.text, channel=world.mod_log, after=before, timeout=WAIT
    )
    assert "0 added, 1 changed, 0 removed" in posted.text
    assert "meeting-venue" in posted.text


async def test_engine_test_lists_five_candidates_with_scores(fake_discord, admin_bot):
    bob = fake_discord.world.bob
    reply = await private_reply(
        await fake_discord.slash("faq-admin test", {"question": "when is the msp"}, user=bob)
    )
    lines = [
        line
        for line in reply.embeds[0]["description"].splitlines()
        if line[:2] in {"1.", "2.", "3.", "4.", "5."}
    ]
    assert len(lines) == 5
    assert "Verdict" in reply.text
    assert "meeting-dates" in reply.text


async def test_feedback_lists_the_worst_entries_first(fake_discord, bot_process, faq_dir, tmp_path):
    store = await Store.open(tmp_path / "data")  # the bot's DATA_DIR
    for voter, helpful in enumerate([False, False, True]):
        await store.record_vote(
            entry_id="meeting-venue", faq_version="v1", helpful=helpful, voter=voter
        )
    await store.record_vote(entry_id="meeting-dates", faq_version="v1", helpful=True, voter=1)
    await store.close()
    await bot_process(env={"GUILD_IDS": str(fake_discord.guild.id), "FAQ_DIR": str(faq_dir)})
    reply = await private_reply(
        await fake_discord.slash("faq-admin feedback", user=fake_discord.world.bob)
    )
    description = reply.embeds[0]["description"]
    assert description.index("meeting-venue") < description.index("meeting-dates")
    assert "1/3 helpful" in description


# --- who may use it ------------------------------------------------------------------------


async def test_hidden_from_members_without_manage_server(fake_discord, admin_bot):
    alice = fake_discord.world.alice
    with pytest.raises(CommandUnavailableError):
        await fake_discord.slash("faq-admin status", user=alice)
    (command,) = [c for c in fake_discord.commands(fake_discord.guild) if c["name"] == "faq-admin"]
    assert int(command["default_member_permissions"]) == 1 << 5  # Manage Server
    assert command.get("contexts") in (None, [0])


async def test_non_moderators_are_refused_and_logged(fake_discord, admin_bot, faq_dir):
    alice = fake_discord.world.alice
    venue = faq_dir / "venue.yaml"
    for command, options in (
        ("faq-admin reload", {}),
        ("faq-admin status", {}),
        ("faq-admin misses", {}),
        ("faq-admin test", {"question": "hello"}),
    ):
        handle = await fake_discord.slash(command, options, user=alice, check_permissions=False)
        reply = await private_reply(handle)
        assert reply.text == "Only FAQ moderators can use this."
    assert venue.exists()
    for _ in range(200):
        if "refused /faq-admin reload for user" in admin_bot.output():
            break
        await asyncio.sleep(0.05)
    assert f"refused /faq-admin reload for user {alice.user.id}" in admin_bot.output()


async def test_mod_role_ids_decide_when_set(fake_discord, bot_process, faq_dir):
    world = fake_discord.world
    await bot_process(
        env={
            "GUILD_IDS": str(world.guild.id),
            "FAQ_DIR": str(faq_dir),
            "MOD_ROLE_IDS": str(world.moderator_role.id),
        }
    )
    # bob has the moderator role: allowed.
    reply = await private_reply(await fake_discord.slash("faq-admin status", user=world.bob))
    assert "FAQ version" in reply.text
    # The owner may manage the server but is not in MOD_ROLE_IDS: refused.
    reply = await private_reply(await fake_discord.slash("faq-admin status", user=world.owner))
    assert reply.text == "Only FAQ moderators can use this."


async def test_not_offered_in_direct_messages(fake_discord, bot_process, faq_dir):
    await bot_process(env={"FAQ_DIR": str(faq_dir)})  # global commands: DMs could see them
    (command,) = [c for c in fake_discord.commands(None) if c["name"] == "faq-admin"]
    assert command["contexts"] == [0]  # guild only
    with pytest.raises(CommandUnavailableError, match="not available in DMs"):
        await fake_discord.slash("faq-admin status", user=fake_discord.world.bob, dm=True)


async def test_votes_from_answer_buttons_reach_feedback(fake_discord, admin_bot, tmp_path):
    world = fake_discord.world
    handle = await fake_discord.slash(
        "ask", {"question": "Where is the 12MSP held?"}, user=world.alice
    )
    answer = await handle.response(timeout=WAIT)
    up = next(c for c in answer.custom_ids if c.startswith("faq:vote:up:meeting-venue:"))
    down = up.replace(":up:", ":down:")
    for user, custom_id in ((world.alice, down), (world.carol, down), (world.alice, up)):
        await (await fake_discord.click(answer.id, custom_id, user=user)).callback(timeout=WAIT)

    # Alice changed her mind: one vote each, 1 of 2 helpful.
    for _ in range(200):
        reply = await private_reply(await fake_discord.slash("faq-admin feedback", user=world.bob))
        if "1/2 helpful" in reply.text:
            break
        await asyncio.sleep(0.05)
    assert "`meeting-venue`: 1/2 helpful (50%)" in reply.text
    raw = b"".join(p.read_bytes() for p in (tmp_path / "data").glob("faqbot.sqlite3*"))
    assert str(world.alice.user.id).encode() not in raw


async def test_hundreds_of_errors_fit_in_one_reply(fake_discord, admin_bot, faq_dir):
    entries = "".join(
        f"  - id: Broken_{n}\n    question: q\n    answer: ''\n    sources: []\n"
        for n in range(300)
    )
    (faq_dir / "broken.yaml").write_text(
        f"topic: broken\ntitle: Broken\nentries:\n{entries}", encoding="utf-8"
    )
    reply = await private_reply(
        await fake_discord.slash("faq-admin reload", user=fake_discord.world.bob)
    )
    description = reply.embeds[0]["description"]
    assert len(description) <= 4096
    assert "broken.yaml:4: " in description
    assert re.search(r"… and \d+ more", description)


async def test_engine_test_explains_a_release_silent_question(fake_discord, admin_bot):
    """The verdict names the release-silent outcome, and the signals behind it are shown."""
    bob = fake_discord.world.bob
    reply = await private_reply(
        await fake_discord.slash(
            "faq-admin test", {"question": "where can I park my car?"}, user=bob
        )
    )
    description = reply.embeds[0]["description"]
    assert "release does not say it, and shows `meeting-venue`" in description
    assert "outcome: not_stated with meeting-venue" in description
    assert "x coverage" in description and description.rstrip().endswith("```")
