"""The fake Discord against the harness's sample bot: login, commands, components, messages."""

from __future__ import annotations

import discord
import pytest

from tests.fakediscord import CommandUnavailableError, FakeDiscord, Intent, make_channel

pytestmark = pytest.mark.e2e

NO_PINGS = {"parse": []}


async def test_login_ready_and_guild_create(fake_discord: FakeDiscord, sample_bot) -> None:
    me = fake_discord.requests_to("GET", "/users/@me")
    assert me and me[0].status == 200 and me[0].auth == "bot"
    assert "Authorization" not in me[0].headers
    assert fake_discord.requests_to("GET", "/oauth2/applications/@me")[0].status == 200

    assert len(fake_discord.identifies) == 1
    identify = fake_discord.identifies[0]
    assert identify.token_ok and identify.shard is None
    assert identify.intents is not None and identify.intents & Intent.GUILDS
    assert not identify.intents & Intent.MESSAGE_CONTENT

    # the gateway speaks the compression discord.py asked for (zlib-stream, or zstd-stream when
    # zstandard is installed)
    expected = discord.utils._ActiveDecompressionContext.COMPRESSION_TYPE  # type: ignore[attr-defined]
    connection = fake_discord.gateway.current[0].conn
    assert connection is not None and connection.compression == expected

    names = [e.name for e in fake_discord.events]
    assert names[:2] == ["READY", "GUILD_CREATE"]
    assert fake_discord.events[1].data["id"] == str(fake_discord.guild.id)

    syncs = [s for s in fake_discord.command_syncs if s.guild_id == fake_discord.guild.id]
    assert syncs and {"ping", "echo", "faq", "Quote"} <= set(syncs[-1].names)
    fake_discord.assert_clean()


async def test_slash_command_round_trip(fake_discord: FakeDiscord, sample_bot) -> None:
    world = fake_discord.world
    ix = await fake_discord.slash("echo", {"text": "bonjour"}, user=world.carol)
    callback = await ix.callback()
    assert callback.type == 4 and not callback.ephemeral
    message = await ix.response()
    assert message.content == "echo: bonjour (locale fr)"
    assert message.allowed_mentions == NO_PINGS
    assert ix.payload["member"]["user"]["id"] == str(world.carol.id)

    hidden = await fake_discord.slash("echo", {"text": "psst", "hidden": True})
    assert (await hidden.callback()).ephemeral

    late = await fake_discord.add_channel(make_channel("late"))
    there = await fake_discord.slash("echo", {"text": "here"}, channel="late")
    assert (await there.response()).channel_id == late.id

    result = await fake_discord.slash("faq search", {"query": "venue"})
    answer = await result.response()
    assert answer.embeds[0]["title"] == "Results for venue"
    assert "Results for venue" in answer.text
    fake_discord.assert_clean()


async def test_button_click_updates_the_message(fake_discord: FakeDiscord, sample_bot) -> None:
    ix = await fake_discord.slash("ping")
    message = await ix.response()
    assert message.content == "pong"
    assert message.custom_ids == ["sample:again"]

    click = await fake_discord.click(message, "sample:again")
    callback = await click.callback()
    assert callback.type == 7
    assert (await click.response()).content == "pong again (1)"

    again = await fake_discord.click(message.id, "sample:again")
    updated = await again.response()
    assert updated.content == "pong again (2)" and updated.id == message.id
    with pytest.raises(AssertionError, match="no component"):
        await fake_discord.click(message, "nope")
    fake_discord.assert_clean()


async def test_select_autocomplete_modal_and_context_menu(
    fake_discord: FakeDiscord, sample_bot
) -> None:
    choices = await (await fake_discord.autocomplete("faq search", "query", "reg")).choices()
    assert [c["value"] for c in choices] == ["registration"]

    pick = await fake_discord.slash("faq pick")
    menu = await pick.response()
    assert menu.ephemeral
    chosen = await fake_discord.select(menu, "sample:topic", ["visa"])
    assert (await chosen.response()).content == "You picked visa"

    report = await fake_discord.slash("report")
    modal = await report.modal()
    assert modal["custom_id"] and modal["title"] == "Report a problem"
    submitted = await fake_discord.submit_modal(modal["custom_id"], {"sample:what": "broken"})
    thanks = await submitted.response()
    assert thanks.content == "Thanks, noted: broken" and thanks.ephemeral

    said = await fake_discord.message("quote me", mention_bot=False)
    quoted = await fake_discord.context_menu("Quote", said)
    # without the message content intent the bot still sees content through the context menu
    assert (await quoted.response()).content == f"> {said.stored.content}"
    assert fake_discord.requests_to("GET", "/channels/{id}")[0].status == 200
    assert fake_discord.requests_to("GET", "/channels/{id}/messages/{id}")[0].status == 200
    fake_discord.assert_clean()


async def test_defer_follow_up_with_file(fake_discord: FakeDiscord, sample_bot) -> None:
    ix = await fake_discord.slash("slow")
    callback = await ix.callback()
    assert callback.type == 5 and callback.deferred
    first = await ix.response()
    assert first.content == "done" and first.id == callback.message.id
    assert [(f.filename, f.data) for f in first.files] == [("hello.txt", b"hello file")]
    assert first.attachments[0]["filename"] == "hello.txt"
    second = await ix.followup(1)
    assert second.ephemeral and second.content == "and one more"
    fake_discord.assert_clean()


async def test_mention_and_dm_replies(fake_discord: FakeDiscord, sample_bot) -> None:
    said = await fake_discord.message("hello there")
    reply = await said.reply()
    assert reply.content == "Hi Alice!"
    assert reply.message_reference["message_id"] == str(said.id)
    assert reply.allowed_mentions == {"parse": [], "replied_user": False}

    ignored = await fake_discord.message("not for you", mention_bot=False)
    await ignored.expect_no_reply(within=0.5)

    dm = await fake_discord.message("in private", dm=True, mention_bot=False, user="bob")
    assert (await dm.reply()).content == "Hi Bob!"
    fake_discord.assert_clean()


async def test_permissions_hide_commands(fake_discord: FakeDiscord, sample_bot) -> None:
    with pytest.raises(CommandUnavailableError):
        await fake_discord.slash("mod-only", user="alice")
    ix = await fake_discord.slash("mod-only", user="bob")
    assert (await ix.response()).content == "hello moderator"
    with pytest.raises(AssertionError, match="never arrived"):
        await fake_discord.slash("no-such-command", timeout=0.2)
    fake_discord.assert_clean()


async def test_files_in_the_first_answer_and_direct_messages(
    fake_discord: FakeDiscord, sample_bot
) -> None:
    upload = await fake_discord.slash("upload")
    callback = await upload.callback()
    assert [(f.field, f.filename, f.data) for f in callback.files] == [
        ("files[0]", "table.csv", b"a,b\n1,2\n")
    ]
    assert (await upload.response()).attachments[0]["filename"] == "table.csv"

    dm = await fake_discord.slash("dm-me", user="carol")
    assert (await dm.response()).content == "sent you a DM"
    opened = fake_discord.requests_to("POST", "/users/@me/channels")
    assert opened[0].json == {"recipient_id": fake_discord.world.carol.id}
    private = await fake_discord.wait_for_bot_message(lambda m: m.guild_id is None)
    assert private.content == "a private hello"
    assert private.channel_id == fake_discord.state.dm_channel(fake_discord.world.carol.user).id
    fake_discord.assert_clean()


async def test_many_rest_routes_in_a_row(fake_discord: FakeDiscord, sample_bot) -> None:
    ix = await fake_discord.slash("tour", user="bob")
    assert (await ix.callback()).ephemeral
    assert (await ix.response()).content == "step 1"
    done = await fake_discord.wait_for_bot_message(lambda m: m.content.startswith("tour done"))
    assert done.content.endswith(" Bob") and done.ephemeral
    await fake_discord.wait_for_request("DELETE", "/webhooks/{app}/{token}/messages/@original")
    routes = {(r.method, r.route) for r in fake_discord.requests}
    hook = "/webhooks/{app}/{token}"
    channel_message = "/channels/{channel_id}/messages/{message_id}"
    assert {
        ("GET", hook + "/messages/@original"),
        ("PATCH", hook + "/messages/@original"),
        ("DELETE", hook + "/messages/@original"),
        ("POST", hook),
        ("PATCH", hook + "/messages/{message_id}"),
        ("DELETE", hook + "/messages/{message_id}"),
        ("POST", "/channels/{channel_id}/typing"),
        ("POST", "/channels/{channel_id}/messages"),
        ("PUT", channel_message + "/reactions/{emoji}/@me"),
        ("PATCH", channel_message),
        ("GET", "/channels/{channel_id}/messages"),
        ("GET", "/guilds/{guild_id}/members/{user_id}"),
        ("DELETE", channel_message),
    } <= routes
    assert all(r.status < 300 for r in fake_discord.requests)
    posted = next(m for m in fake_discord.bot_messages if m.source == "channel")
    assert fake_discord.state.messages[posted.id].deleted
    # the public follow-up and the channel message; the ephemeral @original makes no event
    assert [e.name for e in fake_discord.events].count("MESSAGE_DELETE") == 2
    fake_discord.assert_clean()
