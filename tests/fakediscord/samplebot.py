"""A minimal discord.py bot to develop and self-test the fake Discord (not the product).

    FAKE_DISCORD_URL=... DISCORD_TOKEN=... python -m tests.fakediscord.launcher \
        --module tests.fakediscord.samplebot

Commands: /ping (a button), /echo, /faq search (autocomplete) and /faq pick (a select), /report
(a modal), /slow (defer, then a follow-up with a file), /oversize (breaks the 2000 character
limit on purpose), /mod-only (Manage Server), /upload (a file in the first answer), /dm-me (a
DM), /tour (many REST routes in a row), the message context menu "Quote" (fetches channel and
message); it replies when mentioned.
GUILD_IDS (comma separated) syncs to those guilds, otherwise globally. SAMPLEBOT_SHARDED=1 makes
it an AutoShardedClient (SHARD_COUNT, if set, else asks GET /gateway/bot).
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import signal
import sys

import discord
from discord import app_commands

log = logging.getLogger(__name__)

TOPICS = ["dates", "venue", "registration", "side events", "accreditation", "visa"]


class PingView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=300)
        self.count = 0

    @discord.ui.button(label="Again", custom_id="sample:again", style=discord.ButtonStyle.primary)
    async def again(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.count += 1
        await interaction.response.edit_message(content=f"pong again ({self.count})", view=self)


class TopicSelect(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=300)

    @discord.ui.select(
        custom_id="sample:topic",
        placeholder="Pick a topic",
        options=[discord.SelectOption(label=t.title(), value=t) for t in TOPICS],
    )
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        await interaction.response.send_message(f"You picked {select.values[0]}", ephemeral=True)


class ReportModal(discord.ui.Modal, title="Report a problem"):
    what = discord.ui.TextInput(label="What went wrong?", custom_id="sample:what", max_length=200)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Thanks, noted: {self.what.value}", ephemeral=True)


class _SampleBehaviour(discord.Client):
    def _init_sample(self) -> None:
        self.tree = app_commands.CommandTree(self)
        self.guild_ids = [int(g) for g in os.environ.get("GUILD_IDS", "").replace(",", " ").split()]

    async def setup_hook(self) -> None:
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, lambda: asyncio.ensure_future(self.close()))
        register(self.tree)
        if self.guild_ids:
            for guild_id in self.guild_ids:
                guild = discord.Object(guild_id)
                self.tree.copy_global_to(guild=guild)
                await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()

    async def on_ready(self) -> None:
        log.info("sample bot ready as %s in %s guild(s)", self.user, len(self.guilds))

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.user is None:
            return
        if self.user in message.mentions or message.guild is None:
            await message.reply(f"Hi {message.author.display_name}!", mention_author=False)


class SampleBot(_SampleBehaviour):
    def __init__(self) -> None:
        super().__init__(
            intents=discord.Intents.default(), allowed_mentions=discord.AllowedMentions.none()
        )
        self._init_sample()


class ShardedSampleBot(_SampleBehaviour, discord.AutoShardedClient):
    def __init__(self, shard_count: int | None) -> None:
        super().__init__(
            intents=discord.Intents.default(),
            allowed_mentions=discord.AllowedMentions.none(),
            shard_count=shard_count,
        )
        self._init_sample()


def register(tree: app_commands.CommandTree) -> None:
    @tree.command(description="Ping with a button")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong", view=PingView())

    @tree.command(description="Repeat text")
    @app_commands.describe(text="What to repeat", hidden="Only you see the answer")
    async def echo(interaction: discord.Interaction, text: str, hidden: bool = False) -> None:
        await interaction.response.send_message(
            f"echo: {text} (locale {interaction.locale.value})", ephemeral=hidden
        )

    faq = app_commands.Group(name="faq", description="Frequently asked questions")

    @faq.command(name="search", description="Search the FAQ")
    @app_commands.describe(query="Words to look for")
    async def faq_search(interaction: discord.Interaction, query: str) -> None:
        embed = discord.Embed(title=f"Results for {query}", description="Nothing yet.")
        await interaction.response.send_message(embed=embed)

    @faq_search.autocomplete("query")
    async def faq_complete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=t, value=t) for t in TOPICS if current.lower() in t][:25]

    @faq.command(name="pick", description="Pick a topic")
    async def faq_pick(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Choose:", view=TopicSelect(), ephemeral=True)

    tree.add_command(faq)

    @tree.command(description="Report a problem")
    async def report(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(ReportModal())

    @tree.command(description="Slow answer with a file")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await asyncio.sleep(0.2)
        await interaction.followup.send(
            "done", file=discord.File(io.BytesIO(b"hello file"), filename="hello.txt")
        )
        await interaction.followup.send("and one more", ephemeral=True)

    @tree.command(description="Break the content limit")
    async def oversize(interaction: discord.Interaction) -> None:
        try:
            await interaction.response.send_message("x" * 2001)
        except discord.HTTPException as exc:
            log.warning("oversize rejected: %s", exc)
            await interaction.response.send_message("too long, sorry", ephemeral=True)

    @tree.command(name="mod-only", description="Only for moderators")
    @app_commands.default_permissions(manage_guild=True)
    async def mod_only(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("hello moderator", ephemeral=True)

    @tree.command(description="Answer with a file")
    async def upload(interaction: discord.Interaction) -> None:
        data = discord.File(io.BytesIO(b"a,b\n1,2\n"), filename="table.csv")
        await interaction.response.send_message("here is the file", file=data)

    @tree.command(name="dm-me", description="Send you a direct message")
    async def dm_me(interaction: discord.Interaction) -> None:
        await interaction.user.send("a private hello")
        await interaction.response.send_message("sent you a DM", ephemeral=True)

    @tree.command(description="Exercise many REST routes")
    async def tour(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.edit_original_response(content="step 1")
        original = await interaction.original_response()
        follow = await interaction.followup.send("follow", wait=True)
        await follow.edit(content="follow edited")
        await follow.delete()
        channel = interaction.channel
        assert isinstance(channel, discord.TextChannel) and interaction.guild is not None
        async with channel.typing():
            posted = await channel.send("tour message")
        await posted.add_reaction("\N{THUMBS UP SIGN}")
        await posted.edit(content="tour message edited")
        history = [m async for m in channel.history(limit=5)]
        member = await interaction.guild.fetch_member(interaction.user.id)
        await posted.delete()
        await interaction.edit_original_response(
            content=f"tour done: {original.id} {len(history)} {member.display_name}"
        )
        await interaction.delete_original_response()

    @tree.context_menu(name="Quote")
    async def quote(interaction: discord.Interaction, message: discord.Message) -> None:
        channel = await interaction.client.fetch_channel(message.channel.id)
        fetched = await channel.fetch_message(message.id)  # type: ignore[union-attr]
        await interaction.response.send_message(f"> {fetched.content}", ephemeral=True)


def main() -> None:
    token = os.environ.get("DISCORD_TOKEN", "")
    level = os.environ.get("LOG_LEVEL", "INFO").upper()
    logging.basicConfig(
        stream=sys.stderr, level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if os.environ.get("SAMPLEBOT_SHARDED") == "1":
        count = os.environ.get("SHARD_COUNT")
        bot: discord.Client = ShardedSampleBot(int(count) if count else None)
    else:
        bot = SampleBot()
    bot.run(token, log_handler=None)


if __name__ == "__main__":
    main()
