"""`faqbot validate` runs the FAQ's checks (`file:line: "question" now reaches X (expected Y)`),
and `faqbot history` prints the changes saved from Discord, terminal-safe."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.engine.index import FaqIndex
from bot.engine.loader import load_faq
from bot.services.editing import EntryText, edit_entry, prepare, reverse, save
from bot.services.store import Store
from bot.settings import SHIPPED_FAQ_DIR


@pytest.fixture
def faq(tmp_path: Path) -> Path:
    copy = tmp_path / "faq"
    shutil.copytree(SHIPPED_FAQ_DIR, copy)
    return copy


def test_the_shipped_checks_pass_and_are_at_least_100(capsys) -> None:
    assert main(["validate", str(SHIPPED_FAQ_DIR)]) == 0
    out = capsys.readouterr().out
    assert "checks pass" in out
    checks = yaml.safe_load((SHIPPED_FAQ_DIR / "checks.yaml").read_text(encoding="utf-8"))
    assert len(checks["checks"]) >= 100
    assert any(c["expect"] == "decline" for c in checks["checks"])


def test_a_failing_check_is_reported_with_file_and_line(faq: Path, capsys) -> None:
    checks = faq / "checks.yaml"
    text = checks.read_text(encoding="utf-8")
    text = text.replace(
        '{ask: "Where is the 12MSP held?", expect: meeting-venue}',
        '{ask: "Where is the 12MSP held?", expect: meeting-dates}',
    )
    checks.write_text(text, encoding="utf-8")
    line = 1 + text.splitlines().index(
        '  - {ask: "Where is the 12MSP held?", expect: meeting-dates}'
    )
    assert main(["validate", str(faq)]) == 1
    err = capsys.readouterr().err
    assert (
        f'{checks}:{line}: "Where is the 12MSP held?" now reaches meeting-venue '
        "(expected meeting-dates)"
    ) in err
    # faq/fr/checks.yaml and faq/es/checks.yaml run too, in their language.
    total = sum(
        len(yaml.safe_load(path.read_text(encoding="utf-8"))["checks"])
        for path in (checks, faq / "fr" / "checks.yaml", faq / "es" / "checks.yaml")
    )
    assert f"1 of {total} checks fail" in err


def test_a_check_naming_an_unknown_entry_is_a_validation_error(faq: Path, capsys) -> None:
    checks = faq / "checks.yaml"
    checks.write_text('checks:\n  - {ask: "where?", expect: meeting-venu}\n', encoding="utf-8")
    assert main(["validate", str(faq)]) == 1
    err = capsys.readouterr().err
    assert f"{checks}:2: check expects unknown entry 'meeting-venu'" in err
    assert "did you mean 'meeting-venue'" in err


def test_history_lists_saved_changes_terminal_safe(faq: Path, tmp_path: Path, capsys) -> None:
    index = FaqIndex(load_faq(faq))
    entry = index.entry("meeting-venue")
    assert entry is not None
    text = EntryText(entry.question, "At UN Geneva.", entry.aliases)
    draft = prepare(
        "edit",
        "meeting-venue",
        edit_entry(faq, index, "meeting-venue", text),
        current=index,
        work_dir=tmp_path / "work",
    )
    assert draft.ok
    before = (faq / "venue.yaml").read_text(encoding="utf-8")
    save(draft, faq)
    data = tmp_path / "data"

    async def record() -> None:
        store = await Store.open(data)
        files = [(str(f.path), f.before, f.after) for f in draft.files]
        await store.record_change(
            moderator="mallory\x1b[2J", action="edit", entry_id="meeting-venue", files=files
        )
        await store.close()

    asyncio.run(record())
    assert main(["history", "--data-dir", str(data), "--diff"]) == 0
    out = capsys.readouterr().out
    assert "#1" in out and "mallory\\x1b[2J" in out and "\x1b" not in out
    assert "edit meeting-venue: venue.yaml" in out
    assert "+      At UN Geneva." in out

    # Undo restores the file exactly.
    undo = prepare(
        "undo",
        "meeting-venue",
        reverse(draft.files, faq),
        current=FaqIndex(load_faq(faq)),
        work_dir=tmp_path / "work",
    )
    save(undo, faq)
    assert (faq / "venue.yaml").read_text(encoding="utf-8") == before
