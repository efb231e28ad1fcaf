"""`faqbot validate` and the loader: every mistake a moderator can make, reported as file:line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.engine.loader import load_faq, validate_faq_dir
from bot.engine.models import FaqError
from bot.settings import SHIPPED_FAQ_DIR

ROOT = Path(__file__).resolve().parents[2]

GOOD_ENTRY = """\
  - id: {id}
    question: {question}
    aliases: [{alias}]
    answer: The meeting is at UN Geneva.
    sources:
      - "taking place at UN Geneva 10-13 September"
"""


@pytest.fixture
def faq_dir(tmp_path: Path) -> Path:
    """A small valid FAQ: one topic file plus the shipped sources."""
    root = tmp_path / "faq"
    root.mkdir()
    shutil.copytree(SHIPPED_FAQ_DIR / "sources", root / "sources")
    shutil.copy(SHIPPED_FAQ_DIR / "sources.yaml", root / "sources.yaml")
    (root / "venue.yaml").write_text(
        "topic: venue\ntitle: Venue\nentries:\n"
        + GOOD_ENTRY.format(id="venue", question="Where is the meeting?", alias="venue")
        + GOOD_ENTRY.format(id="city", question="Which city hosts it?", alias="host city"),
        encoding="utf-8",
    )
    return root


def _messages(faq_dir: Path) -> list[str]:
    return [str(p) for p in validate_faq_dir(faq_dir).problems]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_valid_directory_loads(faq_dir: Path) -> None:
    faq = load_faq(faq_dir)
    assert [e.id for e in faq.entries] == ["venue", "city"]
    assert faq.by_id["venue"].location == "venue.yaml:4"


def test_yaml_syntax_error_names_the_line(faq_dir: Path) -> None:
    _edit(faq_dir / "venue.yaml", "    aliases: [host city]", "    aliases: [host city")
    [message] = _messages(faq_dir)
    assert message.startswith(str(faq_dir / "venue.yaml") + ":")
    assert "YAML syntax error" in message


def test_a_misspelt_field_is_an_error_with_a_suggestion(faq_dir: Path) -> None:
    _edit(faq_dir / "venue.yaml", "    aliases: [venue]", "    aliase: [venue]")
    [message] = _messages(faq_dir)
    assert (
        message == f"{faq_dir / 'venue.yaml'}:6: unknown field 'aliase' (did you mean 'aliases'?)"
    )


def test_missing_required_field(faq_dir: Path) -> None:
    _edit(faq_dir / "venue.yaml", "    answer: The meeting is at UN Geneva.\n", "")
    messages = _messages(faq_dir)
    assert f"{faq_dir / 'venue.yaml'}:4: missing required field 'answer'" in messages


def test_duplicate_ids(faq_dir: Path) -> None:
    _edit(faq_dir / "venue.yaml", "id: city", "id: venue")
    [message] = _messages(faq_dir)
    assert message.endswith("venue.yaml:10: duplicate id 'venue' (first at venue.yaml:4)")


def test_one_alias_on_two_entries(faq_dir: Path) -> None:
    _edit(faq_dir / "venue.yaml", "aliases: [host city]", "aliases: [Venue!]")
    [message] = _messages(faq_dir)
    assert "venue.yaml:10: entry 'city': 'Venue!' is also a question or alias of 'venue'" in message


def test_answer_too_long_for_discord(faq_dir: Path) -> None:
    _edit(faq_dir / "venue.yaml", "answer: The meeting is at UN Geneva.", "answer: " + "x" * 5000)
    [message] = _messages(faq_dir)
    assert ":7: entries[0].answer: String should have at most 3500 characters" in message


def test_quote_not_in_the_release_shows_the_closest_passage(faq_dir: Path) -> None:
    _edit(faq_dir / "venue.yaml", "taking place at UN Geneva 10-13 September", "held at UN Geneva")
    [message] = _messages(faq_dir)
    assert "source quote not found verbatim in the sources: 'held at UN Geneva'" in message
    assert "closest passage: 'place at UN Geneva 10-13'" in message


def test_unknown_related_id_and_topic_file_mismatch(faq_dir: Path) -> None:
    _edit(faq_dir / "venue.yaml", "topic: venue", "topic: venues")
    _edit(
        faq_dir / "venue.yaml", "    aliases: [venue]", "    aliases: [venue]\n    related: [citty]"
    )
    messages = "\n".join(_messages(faq_dir))
    assert "topic 'venues' must match the file name 'venue'" in messages
    assert "related id 'citty' does not exist (did you mean 'city'?)" in messages


def test_duplicate_keys_are_not_silently_merged(faq_dir: Path) -> None:
    _edit(faq_dir / "venue.yaml", "title: Venue\n", "title: Venue\ntitle: Place\n")
    [message] = _messages(faq_dir)
    assert message == f"{faq_dir / 'venue.yaml'}:3: duplicate key 'title' (first at line 2)"


def test_a_duplicate_key_is_reported_on_every_load(faq_dir: Path) -> None:
    _edit(faq_dir / "venue.yaml", "title: Venue\n", "title: Venue\ntitle: Place\n")
    first = _messages(faq_dir)
    assert _messages(faq_dir) == first and len(first) == 1


def test_a_reload_sees_an_edit_and_reports_an_unchanged_file_the_same(faq_dir: Path) -> None:
    before = load_faq(faq_dir)
    assert load_faq(faq_dir).version == before.version
    _edit(faq_dir / "venue.yaml", "Which city hosts it?", "Which city is the host?")
    after = load_faq(faq_dir)
    assert after.version != before.version
    assert after.by_id["city"].question == "Which city is the host?"
    assert after.by_id["city"].line == before.by_id["city"].line
    _edit(faq_dir / "venue.yaml", "    aliases: [host city]", "    aliases: [host city, city]")
    _edit(faq_dir / "venue.yaml", "  - id: city", "  - id: city\n    bogus: 1")
    messages = "\n".join(_messages(faq_dir))
    assert "venue.yaml:" in messages and "bogus" in messages


def test_empty_and_non_utf8_files(faq_dir: Path) -> None:
    (faq_dir / "empty.yaml").write_text("", encoding="utf-8")
    (faq_dir / "latin.yaml").write_bytes("topic: latin\ntitle: Réunion\n".encode("latin-1"))
    messages = "\n".join(_messages(faq_dir))
    assert "empty.yaml:1: file is empty" in messages
    assert "latin.yaml: not UTF-8 text" in messages


def test_near_identical_questions_are_a_warning_not_an_error(faq_dir: Path) -> None:
    _edit(faq_dir / "venue.yaml", "Which city hosts it?", "Where's THE meeting?")
    report = validate_faq_dir(faq_dir)
    assert report.faq is not None
    assert [w.message for w in report.warnings] == [
        "question of 'city' is almost the same as 'venue' (venue.yaml:4); "
        "the matcher may not tell them apart"
    ]


def test_load_faq_raises_with_every_error(faq_dir: Path) -> None:
    _edit(faq_dir / "venue.yaml", "aliases: [venue]", "aliase: [venue]")
    _edit(faq_dir / "venue.yaml", "id: city", "id: Not A Slug")
    with pytest.raises(FaqError) as caught:
        load_faq(faq_dir)
    assert len(caught.value.problems) == 2


def test_a_missing_directory_is_reported(tmp_path: Path) -> None:
    [message] = _messages(tmp_path / "nowhere")
    assert message.endswith("nowhere: FAQ directory not found")


def _faqbot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )


def test_validate_command_exit_codes_and_output(faq_dir: Path, tmp_path: Path) -> None:
    ok = _faqbot("validate", str(faq_dir), cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("OK: 2 entries in 1 topics")

    _edit(faq_dir / "venue.yaml", "aliases: [venue]", "aliase: [venue]")
    bad = _faqbot("validate", str(faq_dir), cwd=tmp_path)
    assert bad.returncode == 1
    assert f"{faq_dir / 'venue.yaml'}:6: unknown field 'aliase'" in bad.stderr
    assert "1 error(s)" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_validate_defaults_to_the_shipped_faq_from_any_directory(tmp_path: Path) -> None:
    result = _faqbot("validate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: ")


def _shipped_with_misspelt_field(tmp_path: Path) -> Path:
    """The shipped FAQ with `aliases:` of meeting-venue misspelt: venue.yaml does not load."""
    root = tmp_path / "faq"
    shutil.copytree(SHIPPED_FAQ_DIR, root)
    venue = root / "venue.yaml"
    text = venue.read_text(encoding="utf-8")
    start = text.index("id: meeting-venue")
    at = text.index("    aliases:", start)
    venue.write_text(text[:at] + "    aliase:" + text[at + len("    aliases:") :], "utf-8")
    return root


def test_knock_on_errors_are_reported_under_their_cause(tmp_path: Path, capsys) -> None:
    from bot.cli import main

    root = _shipped_with_misspelt_field(tmp_path)
    assert main(["validate", str(root)]) == 1
    shipped = load_faq(SHIPPED_FAQ_DIR)
    venue_ids = {e.id for e in shipped.entries if e.topic == "venue"}
    expected = sum(r in venue_ids for e in shipped.entries if e.topic != "venue" for r in e.related)
    assert expected >= 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith(f"{root / 'venue.yaml'}:")
    assert lines[0].endswith(": unknown field 'aliase' (did you mean 'aliases'?)")
    knock_ons = lines[1:-1]
    assert len(knock_ons) == expected and all(line.startswith("    ") for line in knock_ons)
    assert all("is not loaded (because of the error at" in line for line in knock_ons)
    assert not any("does not exist" in line or "did you mean" in line for line in knock_ons)
    assert lines[-1] == f"1 error(s) (+{expected} that follow from them), 0 warning(s)"


def test_a_learned_alias_of_an_entry_that_did_not_load_is_a_knock_on(tmp_path: Path) -> None:
    root = _shipped_with_misspelt_field(tmp_path)
    learned = tmp_path / "learned.yaml"
    learned.write_text("aliases:\n  meeting-venue: [which hall]\n", encoding="utf-8")
    report = validate_faq_dir(root, learned)
    causes = [p for p in report.errors if p.cause is None]
    assert len(causes) == 1 and "unknown field 'aliase'" in causes[0].message
    from_learned = [p for p in report.errors if p.file == str(learned)]
    assert [p.cause for p in from_learned] == [causes[0]]
    assert "unknown entry id" not in from_learned[0].message


def test_a_related_id_that_never_existed_is_still_an_error_of_its_own(faq_dir: Path) -> None:
    _edit(faq_dir / "venue.yaml", "    aliases: [venue]", "    aliases: [venue]\n    related: [x]")
    report = validate_faq_dir(faq_dir)
    assert [p.cause for p in report.errors] == [None]


def test_each_entry_knows_the_source_its_quote_comes_from(tmp_path: Path) -> None:
    root = tmp_path / "faq"
    shutil.copytree(SHIPPED_FAQ_DIR, root)
    (root / "sources" / "other.txt").write_text("A note that no entry quotes.\n")
    listing = (root / "sources.yaml").read_text()
    other = "  - file: sources/other.txt\n    title: Another note\n"
    (root / "sources.yaml").write_text(listing.replace("sources:\n", "sources:\n" + other, 1))
    faq = load_faq(root)
    assert faq.sources[0].title == "Another note"
    release = faq.sources[1]
    assert {faq.source_of(e) for e in faq.entries} == {release}


MODERATOR_SOURCE = """\
      - moderator: Alice Martin
        date: 2024-09-11
        statement: The cafeteria on the ground floor is open to delegates.
"""


def test_a_moderator_statement_is_a_source_in_place_of_a_quote(faq_dir: Path) -> None:
    _edit(
        faq_dir / "venue.yaml",
        '      - "taking place at UN Geneva 10-13 September"\n',
        MODERATOR_SOURCE,
    )
    faq = load_faq(faq_dir)
    entry = faq.by_id["venue"]
    assert entry.sources == ()
    assert entry.cited_statement is not None
    assert entry.cited_statement.moderator == "Alice Martin"
    assert entry.cited_statement.date.isoformat() == "2024-09-11"
    assert faq.by_id["city"].cited_statement is None


def test_a_release_quote_beside_a_statement_is_still_checked(faq_dir: Path) -> None:
    _edit(
        faq_dir / "venue.yaml",
        '      - "taking place at UN Geneva 10-13 September"\n',
        MODERATOR_SOURCE + '      - "held on the moon"\n',
    )
    [message] = _messages(faq_dir)
    assert "venue.yaml:4: entry 'venue': source quote not found verbatim" in message


def test_a_broken_moderator_statement_names_its_line_and_field(faq_dir: Path) -> None:
    _edit(
        faq_dir / "venue.yaml",
        '      - "taking place at UN Geneva 10-13 September"\n',
        "      - moderator: Alice Martin\n        date: 11 September\n        statment: Open.\n",
    )
    messages = _messages(faq_dir)
    assert any(
        ":10: entries[0].sources[0].date: Input should be a valid date" in m for m in messages
    )
    assert any(":11: unknown field 'statment' (did you mean 'statement'?)" in m for m in messages)
