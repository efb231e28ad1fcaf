"""The interface catalogues: complete for French and Spanish, compiled without a build step,
and shipped in the package."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

from babel.messages.extract import extract_from_dir

from bot.i18n import LOCALE_DIR, catalogue, ntr, speaks_line, tr
from bot.ui import texts

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"N_": None, "tr": (2,), "ntr": (2, 3), "told": (2,)}


def _code_messages() -> set[str]:
    found: set[str] = set()
    for folder in ("bot", "cogs"):
        for _, _, message, _, _ in extract_from_dir(ROOT / folder, keywords=KEYWORDS):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_interface_text_is_translated_in_french_and_spanish() -> None:
    messages = _code_messages()
    assert len(messages) > 50
    for language in ("fr", "es"):
        translated = catalogue(language)._catalog  # type: ignore[attr-defined]
        untranslated = [m for m in messages if m not in translated and (m, 0) not in translated]
        assert untranslated == [], language


def test_french_texts_appear_and_english_stays_english() -> None:
    assert tr("fr", texts.VOTE_THANKS) == "Merci pour votre avis"
    assert tr("es", texts.RESTARTING_TEXT).startswith("El bot")
    assert tr("en", texts.VOTE_THANKS) == texts.VOTE_THANKS
    assert tr("ko", texts.VOTE_THANKS) == texts.VOTE_THANKS
    assert texts.slow_down_text(1, "fr").endswith("dans 1 seconde.")
    assert texts.slow_down_text(5, "fr").endswith("dans 5 secondes.")
    assert texts.slow_down_text(5, "es").endswith("en 5 segundos.")
    assert ntr("es", "{n} second", "{n} seconds", 2) == "2 seconds"


def test_the_languages_line_is_written_in_the_readers_language() -> None:
    codes = ("en", "es", "fr")
    assert speaks_line("de", codes) == "Ich antworte auf Englisch, Spanisch und Französisch."
    assert speaks_line("fr", codes) == "Je réponds en anglais, espagnol et français."
    # No catalogue: all English, not English words around Korean names.
    assert speaks_line("ko", codes) == "I answer in English, Spanish, and French."


def test_the_catalogues_ship_in_the_package() -> None:
    """`pip install` must carry the .po sources (compiled in memory at first use)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = project["tool"]["setuptools"]["package-data"]
    sources = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
    assert {p.parent.parent.name for p in sources} >= {"fr", "es", "de"}
    for path in sources:
        relative = path.relative_to(ROOT / "bot").as_posix()
        assert any(fnmatch(relative, pattern) for pattern in package_data["bot"]), relative
    for path in (ROOT / "faq").glob("*/*.yaml"):
        relative = path.relative_to(ROOT / "faq").as_posix()
        assert any(fnmatch(relative, pattern) for pattern in package_data["faq"]), relative
