"""Command names, descriptions and option descriptions in every language with a catalogue,
through discord.py's `app_commands.Translator` (the gettext catalogues of `bot.i18n`).

Descriptions are translated as written in English (the msgid); names only where the
catalogue has a natural one, under the gettext context "command name" (Discord requires
names to be lower case without spaces, so they are kept apart from ordinary texts).
Moderators' own commands (/faq-admin) stay English.
"""

from __future__ import annotations

from discord import Locale, app_commands

from bot.i18n import catalogue

NAME_CONTEXT = "command name"
COMMAND_LOCALES: dict[Locale, str] = {
    Locale.french: "fr",
    Locale.spain_spanish: "es",
    Locale.latin_american_spanish: "es",
}
"""Discord locales whose users read the bot's commands in one of our languages."""
_NAMES = frozenset(
    {
        app_commands.TranslationContextLocation.command_name,
        app_commands.TranslationContextLocation.group_name,
        app_commands.TranslationContextLocation.parameter_name,
    }
)
MODERATOR_GROUP = "faq-admin"
NAME_LIMIT = 32
"""Discord's limit on a command or option name (and its localizations)."""
DESCRIPTION_LIMIT = 100
"""Discord's limit on a command or option description (and its localizations)."""


class FaqTranslator(app_commands.Translator):
    """Looks each command string up in the catalogue of the user's locale."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: Locale,
        context: app_commands.TranslationContext,
    ) -> str | None:
        language = COMMAND_LOCALES.get(locale)
        if language is None or _for_moderators(context):
            return None
        texts = catalogue(language)
        message = string.message
        if context.location in _NAMES:
            translated = texts.pgettext(NAME_CONTEXT, message)
        else:
            translated = texts.gettext(message)
        limit = NAME_LIMIT if context.location in _NAMES else DESCRIPTION_LIMIT
        if translated == message or len(translated) > limit:
            # Discord refuses the whole sync for one long localization: keep English.
            return None
        return translated


def _for_moderators(context: app_commands.TranslationContext) -> bool:
    """Strings of /faq-admin and its subcommands: moderators read them in English."""
    data = context.data
    command = getattr(data, "command", data)
    while command is not None:
        if getattr(command, "name", None) == MODERATOR_GROUP:
            return True
        command = getattr(command, "parent", None)
    return False
