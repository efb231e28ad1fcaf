"""Hostile or oversized FAQ files are refused at once, as `file:line: message` (issue 12, faults
1 and 2): a YAML "billion laughs" bomb, a file too large to read, too many entries."""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.engine import loader
from bot.engine.loader import (
    MAX_ENTRIES_PER_FILE,
    MAX_FILE_BYTES,
    MAX_YAML_ALIASES,
    validate_faq_dir,
)
from bot.settings import SHIPPED_FAQ_DIR
from tests.yaml_bomb import BOMB, yaml_bomb

ROOT = Path(__file__).resolve().parents[2]


ENTRY = """\
  - id: {id}
    question: {question}
    answer: The meeting is at UN Geneva.
    sources:
      - "taking place at UN Geneva 10-13 September"
"""


def topic_file(topic: str, count: int, *, start: int = 0) -> str:
    entries = "".join(
        ENTRY.format(id=f"{topic}-{n}", question=f"Question {n} about {topic} number {n * 7919}?")
        for n in range(start, start + count)
    )
    return f"topic: {topic}\ntitle: {topic.capitalize()}\nentries:\n{entries}"


@pytest.fixture
def faq_dir(tmp_path: Path) -> Path:
    root = tmp_path / "faq"
    root.mkdir()
    shutil.copytree(SHIPPED_FAQ_DIR / "sources", root / "sources")
    shutil.copy(SHIPPED_FAQ_DIR / "sources.yaml", root / "sources.yaml")
    (root / "venue.yaml").write_text(topic_file("venue", 2), encoding="utf-8")
    return root


def errors(faq_dir: Path) -> list[str]:
    report = validate_faq_dir(faq_dir)
    assert report.faq is None
    return [str(p) for p in report.errors]


def test_a_yaml_bomb_is_refused_at_the_line_that_expands_too_far(faq_dir: Path) -> None:
    (faq_dir / "venue.yaml").write_text(BOMB, encoding="utf-8")
    assert errors(faq_dir) == [
        f"{faq_dir / 'venue.yaml'}:8: YAML aliases expand too far (past 100,000 values)"
    ]


def test_a_bomb_does_not_stop_the_other_files_from_being_checked(faq_dir: Path) -> None:
    (faq_dir / "bomb.yaml").write_text(yaml_bomb("bomb"), encoding="utf-8")
    (faq_dir / "venue.yaml").write_text(
        topic_file("venue", 1).replace("id: venue-0", "id: Not A Slug"), encoding="utf-8"
    )
    messages = "\n".join(errors(faq_dir))
    assert "bomb.yaml:8: YAML aliases expand too far" in messages
    assert "venue.yaml:4: entries[0].id: String should match pattern" in messages


def test_an_alias_inside_its_own_value_is_refused(faq_dir: Path) -> None:
    (faq_dir / "venue.yaml").write_text(
        "topic: venue\ntitle: Venue\nentries: &loop [*loop]\n", encoding="utf-8"
    )
    assert errors(faq_dir) == [
        f"{faq_dir / 'venue.yaml'}:3: YAML alias refers to a value that contains it"
    ]


def test_too_many_aliases_are_refused(faq_dir: Path) -> None:
    uses = ", ".join(["*t"] * (MAX_YAML_ALIASES + 1))
    (faq_dir / "venue.yaml").write_text(
        f"topic: venue\ntitle: &t Venue\nnotes: [{uses}]\nentries: []\n", encoding="utf-8"
    )
    [message] = errors(faq_dir)
    assert message.startswith(f"{faq_dir / 'venue.yaml'}:3: more than 1,000 YAML aliases")


def test_a_yaml_tag_the_safe_loader_does_not_know_is_an_error_not_a_crash(
    faq_dir: Path,
) -> None:
    (faq_dir / "venue.yaml").write_text(
        "topic: venue\ntitle: !!python/object:os.system echo\nentries: []\n", encoding="utf-8"
    )
    [message] = errors(faq_dir)
    assert message.startswith(f"{faq_dir / 'venue.yaml'}:2: YAML error: could not determine")


def test_a_file_over_the_size_limit_is_refused_without_reading_it(faq_dir: Path) -> None:
    huge = faq_dir / "huge.yaml"
    with huge.open("wb") as out:  # sparse: costs no disk and would cost 2 MB of memory to read
        out.truncate(MAX_FILE_BYTES + 1)
    assert errors(faq_dir) == [
        f"{huge}: file is 1,048,577 bytes; a FAQ file may have at most 1,048,576: "
        "split it into several topics"
    ]


def test_too_many_entries_in_one_file_are_refused_before_validation(faq_dir: Path) -> None:
    text = topic_file("venue", MAX_ENTRIES_PER_FILE + 1)
    text = text.replace("answer: The meeting is at UN Geneva.", "answer: [not, text]", 1)
    (faq_dir / "venue.yaml").write_text(text, encoding="utf-8")
    # the broken answer is not reported: the file's entries were not validated at all
    assert errors(faq_dir) == [
        f"{faq_dir / 'venue.yaml'}:3: 501 entries; a topic file may have at most 500"
    ]


def test_the_whole_faq_has_an_entry_limit(faq_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_ENTRIES", 5)
    (faq_dir / "extra.yaml").write_text(topic_file("extra", 4), encoding="utf-8")
    assert errors(faq_dir) == [
        f"{faq_dir / 'venue.yaml'}:3: 2 more entries would take the FAQ past 5 entries"
    ]


def test_the_whole_faq_has_a_size_limit(faq_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_FAQ_BYTES", 6000)
    (faq_dir / "extra.yaml").write_text(topic_file("extra", 4), encoding="utf-8")
    (faq_dir / "more.yaml").write_text(topic_file("more", 4) + "#" * 3000, encoding="utf-8")
    messages = errors(faq_dir)
    assert f"{faq_dir / 'venue.yaml'}: not read: the FAQ's files together would pass " in (
        "\n".join(messages)
    )


def test_the_near_duplicate_check_never_runs_when_there_are_errors(faq_dir: Path) -> None:
    text = topic_file("venue", 2).replace("Question 0 about venue number 0?", "Where is it held?")
    text = text.replace("Question 1 about venue number 7919?", "Where's it HELD?")
    (faq_dir / "venue.yaml").write_text(text, encoding="utf-8")
    [warning] = validate_faq_dir(faq_dir).warnings
    assert "is almost the same as" in warning.message

    (faq_dir / "broken.yaml").write_text("topic: broken\n", encoding="utf-8")
    report = validate_faq_dir(faq_dir)
    assert report.errors and not report.warnings


def test_the_near_duplicate_check_is_skipped_past_its_size(
    faq_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "MAX_SIMILARITY_ENTRIES", 3)
    (faq_dir / "extra.yaml").write_text(topic_file("extra", 2), encoding="utf-8")
    report = validate_faq_dir(faq_dir)
    assert report.faq is not None
    assert [w.message for w in report.warnings] == [
        "near-duplicate question check skipped: 4 entries (it runs up to 3)"
    ]


def _limit_memory() -> None:
    cap = 512 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def test_faqbot_validate_reports_a_bomb_in_one_line_within_bounded_memory(
    faq_dir: Path, tmp_path: Path
) -> None:
    (faq_dir / "venue.yaml").write_text(BOMB, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "validate", str(faq_dir)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        preexec_fn=_limit_memory,  # the old loader died with a MemoryError under this cap
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{faq_dir / 'venue.yaml'}:8: YAML aliases expand too far (past 100,000 values)",
        "1 error(s), 0 warning(s)",
    ]


def test_near_duplicate_warnings_are_listed_up_to_a_cap_then_counted(
    faq_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "MAX_SIMILARITY_WARNINGS", 2)
    text = topic_file("venue", 4)
    alike = ["Where is it held?", "Where's it held?", "Where is it being held?", "Where held?"]
    for n, question in enumerate(alike):
        text = text.replace(f"Question {n} about venue number {n * 7919}?", question)
    (faq_dir / "venue.yaml").write_text(text, encoding="utf-8")
    report = validate_faq_dir(faq_dir)
    assert report.faq is not None
    messages = [w.message for w in report.warnings]
    assert len(messages) == 3, messages
    summary = "4 more pairs of almost identical questions (only the first 2 are listed)"
    assert messages[-1] == summary
