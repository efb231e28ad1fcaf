"""Who may use `/faq-admin` and its buttons: the moderator rule of `bot.ui.access`, which
the hand-off cards share."""

from __future__ import annotations

from bot.ui.access import (
    GUILD_ONLY,
    REFUSAL,
    ModeratorButton,
    admitted,
    allowed,
    is_moderator,
    refusal,
)

__all__ = [
    "GUILD_ONLY",
    "REFUSAL",
    "ModeratorButton",
    "admitted",
    "allowed",
    "is_moderator",
    "refusal",
]
