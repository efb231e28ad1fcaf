"""Discord's limits on what a message may hold, and the bot's colours: one table for all."""

from __future__ import annotations

import discord

CONTENT_LIMIT = 2000
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELD_VALUE_LIMIT = 1024
EMBED_FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
"""Across every embed of one message."""
EMBEDS_PER_MESSAGE = 10
CHOICES_LIMIT = 25
CHOICE_NAME_LIMIT = 100
CHOICE_VALUE_LIMIT = 100
SELECT_OPTIONS_LIMIT = 25
SELECT_LABEL_LIMIT = 100
SELECT_DESCRIPTION_LIMIT = 100
BUTTON_LABEL_LIMIT = 80
CUSTOM_ID_LIMIT = 100

COLOUR = discord.Colour(0x1D5B8F)
"""Answers, browsing and information."""
COLOUR_OK = discord.Colour(0x2E7D32)
COLOUR_FAIL = discord.Colour(0xC62828)

NO_MENTIONS = discord.AllowedMentions.none()
"""Every message the bot sends: it never pings anyone."""
COLOUR_MUTED = discord.Colour(0x757575)
"""Closed or finished things (a hand-off closed without an answer)."""
MODAL_TITLE_LIMIT = 45
TEXT_INPUT_LABEL_LIMIT = 45
TEXT_INPUT_PLACEHOLDER_LIMIT = 100
THREAD_NAME_LIMIT = 100
