"""FAQ edits from Discord keep the translations consistent with the English entries."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.engine.index import FaqIndex
from bot.engine.loader import load_faq
from bot.services import editing
from bot.settings import SHIPPED_FAQ_DIR


def test_removing_an_entry_removes_its_translations_and_validates(tmp_path: Path) -> None:
    faq_dir = tmp_path / "faq"
    shutil.copytree(SHIPPED_FAQ_DIR, faq_dir, ignore=shutil.ignore_patterns("__pycache__"))
    index = FaqIndex(load_faq(faq_dir))
    files = editing.remove_entry(faq_dir, index, "dialogue-location")
    changed = {str(c.path) for c in files.changes()}
    assert {"venue.yaml", "fr/venue.yaml", "es/venue.yaml"} <= changed
    draft = editing.prepare(
        "remove", "dialogue-location", files, current=index, work_dir=tmp_path / "work"
    )
    assert draft.errors == ()
    assert draft.index is not None
    for translation in draft.index.faq.translations.values():
        assert "dialogue-location" not in translation.by_id
        assert "meeting-venue" in translation.by_id
