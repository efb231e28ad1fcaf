"""Interface texts in the answer's language, from gettext catalogues (`bot/locale/<code>/
LC_MESSAGES/faqbot.po`). The `.po` sources are the only copy: Babel compiles each one in
memory the first time its language is used, so an installed package needs no build step,
no writable folder and no network. A language without a catalogue reads English.

Mark a text defined at module level with `N_` (it stays English there, and `pybabel
extract -k N_ -k tr:2` finds it); translate where it is shown with `tr(language, text)`.
"""

from __future__ import annotations

import gettext
from datetime import date
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.engine.models import Answer, Faq, Outcome

DOMAIN = "faqbot"
LOCALE_DIR = Path(__file__).with_name("locale")
ENGLISH = "en"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Marks a text for the catalogues without translating it (module-level constants)."""
    return message


@lru_cache(maxsize=64)
def catalogue(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of `language` ("fr", "es"), or English."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == ENGLISH or not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def catalogue_languages() -> tuple[str, ...]:
    """Every language with a catalogue (besides English)."""
    return tuple(sorted(p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES").is_dir()))


def tr(language: str | None, message: str, **values: object) -> str:
    """`message` in `language`, with `{name}` fields filled from `values`."""
    text = catalogue(language or ENGLISH).gettext(message)
    return text.format(**values) if values else text


def ntr(language: str | None, singular: str, plural: str, n: int, **values: object) -> str:
    """The singular or plural form of a text for `n`, in `language`."""
    text = catalogue(language or ENGLISH).ngettext(singular, plural, n)
    return text.format(n=n, **values)


def _locale(language: str | None) -> Locale:
    try:
        return Locale.parse((language or ENGLISH).replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(ENGLISH)


def language_names(codes: tuple[str, ...], reader: str | None) -> str:
    """`("en", "fr", "es")` as `reader` writes them: "English, French and Spanish",
    "Englisch, Französisch und Spanisch"."""
    locale = _locale(reader)
    names = [locale.languages.get(code, code) for code in codes]
    return format_list(names, locale=locale)


def written_date(day: date, language: str | None) -> str:
    """A date as the language writes it in full ("10 septembre 2024")."""
    return format_date(day, format="long", locale=_locale(language))


def speaks_line(reader: str | None, codes: tuple[str, ...]) -> str:
    """One line, in the reader's language where a catalogue has it, saying which languages
    the bot answers in."""
    template = "I answer in {languages}."
    # Language names in the reader's language only where the sentence around them is too.
    names_in = reader if tr(reader, template) != template else ENGLISH
    return tr(reader, template, languages=language_names(codes, names_in))


def source_label(language: str | None) -> str:
    """What the source quote is labelled: it is always the English original."""
    if (language or ENGLISH) == ENGLISH:
        return "Source:"
    return tr(language, "Source (original English):")


def note_text(answer: Answer, language: str | None) -> str | None:
    """The line above an entry ("No — 10–13 September 2024.", "The release does not
    say…") in the answer's language; None for a plain answer."""
    if (language or ENGLISH) == ENGLISH:
        return answer.note
    lines: list[str] = []
    if answer.outcome is Outcome.NOT_STATED:
        lines.append(tr(language, "The release does not say that. What it does say:"))
    elif answer.premise is not None:
        verdict = tr(language, "Yes") if answer.premise.holds else tr(language, "No")
        lines.append(f"{verdict} — {answer.premise.stated}")
    # The other parts of a question asking two things ("où ... et combien ...").
    also = tr(language, "Also")
    lines.extend(f"{also} — {c.entry.question} {c.entry.lead}" for c in answer.also)
    return "\n".join(lines) or None


def faq_language(faq: Faq) -> str:
    """The language a FAQ (the English one or a translation) is written in."""
    return faq.language.code if faq.language is not None else ENGLISH
