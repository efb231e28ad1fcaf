"""Live FAQ: reloads validate first, keep the last good FAQ, and swap the whole index at once."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from bot.engine.encoder import SentenceEncoder
from bot.engine.index import ANSWER_WORDS_ENCODED, FaqIndex
from bot.engine.models import Outcome
from bot.services import knowledge as knowledge_module
from bot.services.knowledge import KnowledgeBase, ReloadResult, clip_lines, fingerprint
from bot.settings import SHIPPED_FAQ_DIR

SOURCE = (
    "The meeting takes place at UN Geneva from 10 to 13 September 2024. "
    "Registration opens in August. Lunch is not provided by the organisers."
)


def venue_file(answer: str = "At UN Geneva.", extra: str = "") -> str:
    return f"""topic: venue
title: Venue
entries:
  - id: meeting-venue
    question: Where is the meeting held?
    answer: "{answer}"
    sources: ["takes place at UN Geneva"]
  - id: registration
    question: When does registration open?
    answer: In August.
    sources: ["Registration opens in August."]
{extra}"""


LUNCH = """  - id: lunch
    question: Is lunch provided at the meeting?
    answer: No.
    sources: ["Lunch is not provided"]
"""


def write_faq(root: Path, venue: str | None = None) -> Path:
    (root / "sources").mkdir(parents=True, exist_ok=True)
    (root / "sources" / "release.txt").write_text(SOURCE, encoding="utf-8")
    (root / "venue.yaml").write_text(venue or venue_file(), encoding="utf-8")
    return root


@pytest.fixture
def faq_dir(tmp_path) -> Path:
    return write_faq(tmp_path / "faq")


@pytest.fixture
def kb(faq_dir, tmp_path) -> KnowledgeBase:
    knowledge = KnowledgeBase(faq_dir, tmp_path / "data" / "learned-aliases.yaml")
    assert knowledge.reload().ok
    return knowledge


def test_first_load_serves_the_faq(kb):
    result = kb.last_reload
    assert result is not None and result.ok
    assert result.previous is None
    assert result.entries == 2
    assert "2 entries" in result.summary()
    answer = kb.answer("Where is the meeting held?")
    assert answer.outcome is Outcome.ANSWERED
    assert answer.best is not None and answer.best.entry.id == "meeting-venue"
    assert answer.faq_version == kb.version


def test_a_reload_warms_the_served_answers_in_the_background(faq_dir, monkeypatch):
    fresh = SentenceEncoder()
    monkeypatch.setattr(knowledge_module, "build_index", lambda faq: FaqIndex(faq, encoder=fresh))
    kb = KnowledgeBase(faq_dir)
    assert kb.reload().ok
    for thread in threading.enumerate():
        if thread.name == "faq-answer-warm-up":
            thread.join(timeout=60)
    answers = [" ".join(e.answer.split()[:ANSWER_WORDS_ENCODED]) for e in kb.index.faq.entries]
    before = fresh.encoded
    fresh.encode(answers)
    assert fresh.encoded == before


def test_not_loaded_yet_says_so(faq_dir):
    with pytest.raises(RuntimeError, match="not been loaded"):
        _ = KnowledgeBase(faq_dir).index


def test_broken_file_keeps_the_last_good_faq_and_says_where(kb, faq_dir):
    good = kb.version
    (faq_dir / "venue.yaml").write_text(
        venue_file().replace("question: When does", "questoin: When does"), encoding="utf-8"
    )
    result = kb.reload()
    assert not result.ok
    assert result.version == good
    assert kb.version == good
    assert kb.answer("Where is the meeting held?").best is not None
    messages = [str(p) for p in result.errors]
    assert "venue.yaml:9: unknown field 'questoin' (did you mean 'question'?)" in messages
    assert "still serving " + good in result.summary()
    assert kb.last_reload is result
    assert kb.last_good is not None and kb.last_good.version == good


def test_yaml_syntax_error_is_reported_with_its_line(kb, faq_dir):
    (faq_dir / "venue.yaml").write_text(venue_file() + "  - id: [unclosed\n", encoding="utf-8")
    result = kb.reload()
    assert not result.ok
    assert any("venue.yaml:" in str(p) and "YAML syntax error" in str(p) for p in result.errors)


def test_the_first_load_failing_serves_nothing(tmp_path):
    faq = write_faq(tmp_path / "faq", venue="topic: venue\n")
    knowledge = KnowledgeBase(faq)
    result = knowledge.reload()
    assert not result.ok
    assert result.version == "none"
    assert not knowledge.loaded


def test_summary_compares_content_not_positions(kb, faq_dir):
    # Moving entries down the file (a comment on top) changes the version but no entry.
    (faq_dir / "venue.yaml").write_text("# a comment\n\n" + venue_file(), encoding="utf-8")
    moved = kb.reload()
    assert moved.ok
    assert (moved.added, moved.changed, moved.removed) == ((), (), ())
    assert kb.index.entry("meeting-venue").line == 6

    (faq_dir / "venue.yaml").write_text(
        venue_file(answer="At the Palais des Nations, UN Geneva.", extra=LUNCH), encoding="utf-8"
    )
    edited = kb.reload()
    assert edited.added == ("lunch",)
    assert edited.changed == ("meeting-venue",)
    assert edited.removed == ()
    assert "1 added, 1 changed, 0 removed" in edited.summary()
    assert "added: lunch" in edited.report()

    (faq_dir / "venue.yaml").write_text(venue_file(), encoding="utf-8")
    back = kb.reload()
    assert back.removed == ("lunch",)
    assert back.changed == ("meeting-venue",)


def test_unchanged_files_say_unchanged(kb):
    again = kb.reload()
    assert again.ok and again.unchanged
    assert "unchanged" in again.summary()


def test_learned_aliases_are_merged(kb):
    assert kb.learned_aliases is not None
    kb.learned_aliases.parent.mkdir(parents=True)
    kb.learned_aliases.write_text(
        "aliases:\n  meeting-venue: [which city is it in]\n", encoding="utf-8"
    )
    result = kb.reload()
    assert result.changed == ("meeting-venue",)
    assert "which city is it in" in kb.index.entry("meeting-venue").aliases


def test_invalid_learned_aliases_block_the_reload_with_their_line(kb):
    assert kb.learned_aliases is not None
    kb.learned_aliases.parent.mkdir(parents=True)
    kb.learned_aliases.write_text("aliases:\n  no-such-entry: [hello there]\n", encoding="utf-8")
    result = kb.reload()
    assert not result.ok
    assert [str(p) for p in result.errors] == [
        "learned-aliases.yaml:2: unknown entry id 'no-such-entry'"
    ]


def test_report_fits_the_limit_and_counts_what_it_dropped():
    lines = [f"venue.yaml:{i}: something is wrong here" for i in range(500)]
    text = clip_lines(lines, 1000)
    assert len(text) <= 1000
    assert text.splitlines()[-1].startswith("… and ")
    dropped = int(text.splitlines()[-1].split()[2])
    assert dropped + len(text.splitlines()) - 1 == 500
    result = ReloadResult(ok=True, version="abc", entries=3)
    assert result.report() == result.summary()


def test_fingerprint_sees_content_not_editor_scratch_files(faq_dir):
    before = fingerprint(faq_dir)
    (faq_dir / ".venue.yaml.swp").write_bytes(b"vim scratch")
    (faq_dir / "venue.yaml~").write_text("backup", encoding="utf-8")
    assert fingerprint(faq_dir) == before

    path = faq_dir / "venue.yaml"
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("In August.", "In Julyyy."), encoding="utf-8")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime
    assert path.stat().st_size == stat.st_size
    assert fingerprint(faq_dir) != before

    (faq_dir / "sources" / "release.txt").unlink()
    assert fingerprint(faq_dir) != before


def test_questions_in_flight_get_one_consistent_version(tmp_path):
    """Readers hammer answer() from threads while the FAQ flips between two versions and a
    broken one: every answer comes whole from one good version, and nothing ever fails."""
    faq = write_faq(tmp_path / "faq")
    versions = {
        "alpha": venue_file(answer="Alpha: at UN Geneva."),
        "beta": venue_file(answer="Beta: at UN Geneva.", extra=LUNCH),
        "broken": venue_file().replace("sources:", "sourcez:", 1),
    }
    kb = KnowledgeBase(faq)
    expected: dict[str, str] = {}  # FAQ version -> the answer text that version gives
    for name in ("alpha", "beta"):
        (faq / "venue.yaml").write_text(versions[name], encoding="utf-8")
        result = kb.reload()
        assert result.ok
        expected[result.version] = kb.index.entry("meeting-venue").answer
    assert len(expected) == 2

    stop = threading.Event()
    failures: list[BaseException] = []
    seen: list[tuple[str, str, int]] = []

    def reader() -> None:
        try:
            while not stop.is_set():
                index = kb.index  # taken once, like the bot does per question
                answer = index.answer("Where is the meeting held?")
                entries = len(index)
                assert answer.best is not None
                seen.append((answer.faq_version, answer.best.entry.answer, entries))
        except BaseException as exc:
            failures.append(exc)

    readers = [threading.Thread(target=reader) for _ in range(4)]
    for thread in readers:
        thread.start()
    results = []
    try:
        for name in ["alpha", "broken", "beta", "broken", "alpha", "beta"] * 2:
            (faq / "venue.yaml").write_text(versions[name], encoding="utf-8")
            before = len(seen)
            results.append((name, kb.reload()))
            # Let the readers answer from this version before the next swap.
            for _ in range(1000):
                if len(seen) > before + 10 or failures:
                    break
                time.sleep(0.01)
    finally:
        stop.set()
        for thread in readers:
            thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in readers)
    assert not failures, failures
    assert all(r.ok == (name != "broken") for name, r in results)
    assert seen
    for version, text, entries in seen:
        assert expected[version] == text  # the answer text belongs to that version
        assert entries == (3 if text.startswith("Beta") else 2)  # so does the index
    assert {version for version, _, _ in seen} == set(expected)


async def test_questions_in_flight_from_tasks_while_reloading_in_a_thread(tmp_path):
    """The bot's shape: answers on the event loop, the reload in a worker thread."""
    import asyncio

    faq = write_faq(tmp_path / "faq")
    kb = KnowledgeBase(faq)
    assert kb.reload().ok
    texts = {kb.version: kb.index.entry("meeting-venue").answer}
    done = asyncio.Event()
    answers = []

    async def asker() -> None:
        while not done.is_set():
            answer = kb.answer("Where is the meeting held?")
            answers.append(answer)
            # A bot's loop idles between questions; a loop that never idles would starve the
            # reload thread of the GIL (each of its file reads waits a switch interval).
            await asyncio.sleep(0.001)

    tasks = [asyncio.create_task(asker()) for _ in range(8)]
    for i in range(4):
        (faq / "venue.yaml").write_text(venue_file(answer=f"Version {i}."), encoding="utf-8")
        result = await asyncio.wait_for(asyncio.to_thread(kb.reload), timeout=30)
        assert result.ok
        texts[result.version] = kb.index.entry("meeting-venue").answer
    done.set()
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=30)
    assert answers
    for answer in answers:
        assert answer.best is not None
        assert answer.best.entry.answer == texts[answer.faq_version]


def test_a_reload_serves_at_once_without_encoding_answers_on_the_question_path(monkeypatch):
    fresh = SentenceEncoder()
    monkeypatch.setattr(knowledge_module, "build_index", lambda faq: FaqIndex(faq, encoder=fresh))
    # The warm-up not started yet: the first questions after a start.
    monkeypatch.setattr(KnowledgeBase, "_warm_in_background", lambda self, index: None)
    kb = KnowledgeBase(SHIPPED_FAQ_DIR)
    assert kb.reload().ok
    answers = {" ".join(e.answer.split()[:ANSWER_WORDS_ENCODED]) for e in kb.index.faq.entries}
    # Encoded by the checks the reload ran before serving, on demand.
    checked = {a for a in answers if fresh.cached([a]) is not None}
    for question in (
        "the convention is seen as a way of advancing which goal?",
        "what did states say about the humanitarian effects on civilians years later",
        "which obligations do they report progress on",
        "how do they help the people who survived",
    ):
        kb.answer(question)
    assert {a for a in answers if fresh.cached([a]) is not None} == checked
