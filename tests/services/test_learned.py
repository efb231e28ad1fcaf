"""Learned aliases: validated like the FAQ, written atomically, removable, exportable."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.engine.loader import validate_faq_dir
from bot.engine.schema import AliasesFileSchema
from bot.services.knowledge import KnowledgeBase
from bot.services.learned import LearnedAliases, LearnedAliasesError, learned_path
from bot.settings import SHIPPED_FAQ_DIR

FAQ = SHIPPED_FAQ_DIR


@pytest.fixture
def learned(tmp_path) -> LearnedAliases:
    return LearnedAliases(learned_path(tmp_path / "data"))


def on_disk(learned: LearnedAliases) -> dict[str, list[str]]:
    return AliasesFileSchema.model_validate(yaml.safe_load(learned.path.read_text())).aliases


def test_added_alias_is_valid_and_answers_after_a_reload(learned):
    change = learned.add("meeting-venue", "  where  is the msp happening ", faq_dir=FAQ)
    assert change.ok and change.changed
    assert change.alias == "where is the msp happening"
    assert on_disk(learned) == {"meeting-venue": ["where is the msp happening"]}
    assert validate_faq_dir(FAQ, learned.path).faq is not None
    kb = KnowledgeBase(FAQ, learned.path)
    assert kb.reload().ok
    assert "where is the msp happening" in kb.index.entry("meeting-venue").aliases
    assert learned.count() == 1


def test_adding_the_same_alias_again_changes_nothing(learned):
    learned.add("meeting-venue", "where is the msp happening", faq_dir=FAQ)
    before = learned.path.read_bytes()
    again = learned.add("meeting-venue", "Where is the MSP happening", faq_dir=FAQ)
    assert again.ok and not again.changed
    assert "already" in again.message
    assert learned.path.read_bytes() == before


def test_an_alias_that_clashes_with_another_entry_is_refused_with_its_location(learned):
    learned.add("meeting-venue", "where is the msp happening", faq_dir=FAQ)
    before = learned.path.read_bytes()
    change = learned.add("meeting-venue", "12MSP dates", faq_dir=FAQ)
    assert not change.ok and not change.changed
    (problem,) = change.problems
    assert str(problem).endswith(
        "entry 'meeting-venue': '12MSP dates' is also a question or alias of 'meeting-dates' "
        "(dates.yaml:6); the matcher could not tell them apart"
    )
    assert problem.file.endswith("venue.yaml") and problem.line > 0
    assert learned.path.read_bytes() == before
    assert [p.name for p in learned.path.parent.iterdir() if p.suffix == ".tmp"] == []


def test_unknown_entry_and_bad_text_are_refused(learned):
    unknown = learned.add("no-such-entry", "hello there", faq_dir=FAQ)
    assert not unknown.ok
    assert [str(p) for p in unknown.problems] == [
        f"{learned.path}:5: unknown entry id 'no-such-entry'"
    ]
    assert not learned.add("meeting-venue", "   ", faq_dir=FAQ).ok
    assert not learned.add("meeting-venue", "x" * 201, faq_dir=FAQ).ok
    assert not learned.path.exists()


def test_a_broken_faq_does_not_block_an_unrelated_alias(tmp_path, learned):
    import shutil

    faq = tmp_path / "faq"
    shutil.copytree(FAQ, faq)
    venue = faq / "venue.yaml"
    venue.write_text(venue.read_text().replace("link_label:", "link_labl:", 1))
    change = learned.add("meeting-dates", "when does the msp start", faq_dir=faq)
    assert change.ok and change.changed  # the FAQ error is not the alias's fault


def test_remove(learned):
    learned.add("meeting-venue", "where is the msp happening", faq_dir=FAQ)
    learned.add("meeting-venue", "msp location please", faq_dir=FAQ)
    assert learned.remove("meeting-venue", "WHERE is the msp happening").changed
    assert on_disk(learned) == {"meeting-venue": ["msp location please"]}
    missing = learned.remove("meeting-venue", "never added")
    assert not missing.ok and "not a learned alias" in missing.message
    assert learned.remove("meeting-venue", "msp location please").ok
    assert on_disk(learned) == {}
    assert learned.count() == 0


def test_concurrent_adds_lose_nothing(learned):
    aliases = [f"where is the meeting number {n} happening" for n in range(6)]
    threads = [
        threading.Thread(target=learned.add, args=("meeting-venue", a), kwargs={"faq_dir": FAQ})
        for a in aliases
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(on_disk(learned)["meeting-venue"]) == sorted(aliases)


def test_a_failed_write_leaves_the_old_file_whole(learned, monkeypatch):
    learned.add("meeting-venue", "where is the msp happening", faq_dir=FAQ)
    before = learned.path.read_bytes()

    def crash(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    change = learned.add("meeting-dates", "when does the msp start", faq_dir=FAQ)
    assert not change.ok
    assert change.message == f"could not save {learned.path}: the disk is full"
    assert learned.path.read_bytes() == before
    assert [p for p in learned.path.parent.iterdir() if p.suffix == ".tmp"] == []


def test_an_invalid_file_is_reported_not_overwritten(learned):
    learned.path.parent.mkdir(parents=True)
    learned.path.write_text("aliases: [not, a, mapping]\n")
    with pytest.raises(LearnedAliasesError):
        learned.load()
    assert learned.count() == 0
    with pytest.raises(LearnedAliasesError):
        learned.add("meeting-venue", "where is the msp happening", faq_dir=FAQ)
    assert learned.path.read_text() == "aliases: [not, a, mapping]\n"


def test_cli_lists_exports_and_removes(tmp_path, capsys):
    data = tmp_path / "data"
    args = ["--data-dir", str(data), "--faq", str(FAQ)]
    assert main(["aliases", *args]) == 0
    assert "No learned aliases" in capsys.readouterr().out
    assert main(["aliases", "--add", "meeting-venue", "where is the msp happening", *args]) == 0
    assert main(["aliases", "--add", "meeting-venue", "12msp dates", *args]) == 1
    err = capsys.readouterr().err
    assert "venue.yaml:" in err and "also a question or alias of 'meeting-dates'" in err
    assert main(["aliases", *args]) == 0
    assert capsys.readouterr().out == "meeting-venue\twhere is the msp happening\n"

    export = tmp_path / "learned-export.yaml"
    assert main(["aliases", "--export", str(export), *args]) == 0
    text = export.read_text()
    assert "# venue.yaml:6: Where is the 12MSP held?" in text
    assert AliasesFileSchema.model_validate(yaml.safe_load(text)).aliases == {
        "meeting-venue": ["where is the msp happening"]
    }
    assert validate_faq_dir(FAQ, export).faq is not None  # usable with validate --aliases

    assert main(["aliases", "--remove", "meeting-venue", "where is the msp happening", *args]) == 0
    assert main(["aliases", "--remove", "meeting-venue", "where is the msp happening", *args]) == 1
    capsys.readouterr()
    assert main(["aliases", *args]) == 0
    assert "No learned aliases" in capsys.readouterr().out


def test_learned_path_is_under_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert learned_path(Path("data")) == tmp_path / "data" / "learned-aliases.yaml"
