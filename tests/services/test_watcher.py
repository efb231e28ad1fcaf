"""The watcher reloads on file changes once the directory is quiet, and reports every attempt."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.services.knowledge import KnowledgeBase, ReloadResult
from bot.services.watcher import FaqWatcher
from tests.services.test_knowledge import LUNCH, venue_file, write_faq

WAIT = 20.0
"""Upper bound for anything the watcher should do; never a measured duration."""


@pytest.fixture
def faq_dir(tmp_path) -> Path:
    return write_faq(tmp_path / "faq")


@pytest.fixture
def learned(tmp_path) -> Path:
    return tmp_path / "data" / "learned-aliases.yaml"


@pytest.fixture
async def watched(faq_dir, learned):
    kb = KnowledgeBase(faq_dir, learned)
    assert kb.reload().ok
    watcher = FaqWatcher(kb, debounce=0.3, poll_interval=0.05)
    events: asyncio.Queue[tuple[ReloadResult, str]] = asyncio.Queue()

    async def listener(result: ReloadResult, reason: str) -> None:
        await events.put((result, reason))

    watcher.add_listener(listener)
    watcher.start()
    yield kb, watcher, events
    await watcher.stop()


async def next_event(events: asyncio.Queue) -> tuple[ReloadResult, str]:
    return await asyncio.wait_for(events.get(), timeout=WAIT)


async def test_a_saved_change_is_served_without_a_restart(watched, faq_dir):
    kb, _, events = watched
    old = kb.version
    (faq_dir / "venue.yaml").write_text(venue_file(extra=LUNCH), encoding="utf-8")
    result, reason = await next_event(events)
    assert reason == "files changed"
    assert result.ok and result.added == ("lunch",)
    assert kb.version == result.version != old
    assert kb.answer("Is lunch provided at the meeting?").best.entry.id == "lunch"


async def test_a_burst_of_writes_gives_one_reload_of_the_final_state(faq_dir, learned):
    kb = KnowledgeBase(faq_dir, learned)
    assert kb.reload().ok
    watcher = FaqWatcher(kb, debounce=2.0, poll_interval=0.02)
    events: asyncio.Queue[tuple[ReloadResult, str]] = asyncio.Queue()

    async def listener(result: ReloadResult, reason: str) -> None:
        await events.put((result, reason))

    watcher.add_listener(listener)
    watcher.start()
    try:
        path = faq_dir / "venue.yaml"
        # An editor saving in steps: truncate, half a file, the full file, a touch.
        path.write_text("", encoding="utf-8")
        await asyncio.sleep(0.05)
        path.write_text(venue_file(extra=LUNCH)[:90], encoding="utf-8")
        await asyncio.sleep(0.05)
        path.write_text(venue_file(extra=LUNCH), encoding="utf-8")
        result, _ = await next_event(events)
        assert result.ok, result.report()
        assert result.added == ("lunch",)
        assert watcher.reloads == 1  # the broken intermediate states were never loaded
        # Nothing else is pending: the next event is the one for the next change.
        path.write_text(venue_file(), encoding="utf-8")
        result, _ = await next_event(events)
        assert result.removed == ("lunch",)
        assert watcher.reloads == 2
    finally:
        await watcher.stop()


async def test_broken_files_are_reported_and_the_good_faq_stays(watched, faq_dir):
    kb, _, events = watched
    good = kb.version
    (faq_dir / "venue.yaml").write_text(venue_file().replace("id: registration", "id: Reg!"))
    result, _ = await next_event(events)
    assert not result.ok
    assert any(str(p).startswith("venue.yaml:") for p in result.errors)
    assert kb.version == good
    assert kb.answer("When does registration open?").best.entry.id == "registration"

    # The broken state is not retried in a loop; fixing it is picked up.
    (faq_dir / "venue.yaml").write_text(venue_file(answer="Fixed."), encoding="utf-8")
    result, _ = await next_event(events)
    assert result.ok
    assert result.changed == ("meeting-venue",)


async def test_sources_and_synonyms_are_watched_too(watched, faq_dir):
    _, _, events = watched
    (faq_dir / "synonyms.yaml").write_text("synonyms:\n  meeting: [msp]\n", encoding="utf-8")
    result, _ = await next_event(events)
    assert result.ok and result.version != result.previous
    (faq_dir / "sources" / "release.txt").write_text("nothing useful", encoding="utf-8")
    result, _ = await next_event(events)
    assert not result.ok
    assert any("source quote not found" in str(p) for p in result.errors)


async def test_learned_aliases_file_is_watched(watched, learned):
    kb, _, events = watched
    learned.parent.mkdir(parents=True, exist_ok=True)
    learned.write_text("aliases:\n  lunch-typo: [x y z]\n", encoding="utf-8")
    result, _ = await next_event(events)
    assert not result.ok
    assert [str(p) for p in result.errors] == [
        "learned-aliases.yaml:2: unknown entry id 'lunch-typo'"
    ]
    learned.write_text("aliases:\n  registration: [when can i sign up]\n", encoding="utf-8")
    result, _ = await next_event(events)
    assert result.ok
    assert "when can i sign up" in kb.index.entry("registration").aliases


async def test_requested_reload_is_not_repeated_by_the_watcher(watched, faq_dir):
    _, watcher, events = watched
    (faq_dir / "venue.yaml").write_text(venue_file(extra=LUNCH), encoding="utf-8")
    result = await asyncio.wait_for(watcher.reload("moderator"), timeout=WAIT)
    assert result.ok and result.added == ("lunch",)
    first, reason = await next_event(events)
    assert (first, reason) == (result, "moderator")
    # The next event comes from the next change, not from the watcher re-doing this one.
    (faq_dir / "venue.yaml").write_text(venue_file(), encoding="utf-8")
    second, reason = await next_event(events)
    assert reason == "files changed"
    assert second.removed == ("lunch",)


async def test_a_failing_listener_does_not_stop_the_others(faq_dir):
    kb = KnowledgeBase(faq_dir)
    watcher = FaqWatcher(kb)
    got = []

    async def broken(result: ReloadResult, reason: str) -> None:
        raise RuntimeError("boom")

    async def fine(result: ReloadResult, reason: str) -> None:
        got.append(reason)

    watcher.add_listener(broken)
    watcher.add_listener(fine)
    result = await watcher.reload("start")
    assert result.ok and got == ["start"]
    watcher.remove_listener(fine)
    await watcher.reload("again")
    assert got == ["start"]


async def test_stop_ends_the_task(faq_dir):
    watcher = FaqWatcher(KnowledgeBase(faq_dir), poll_interval=0.01)
    watcher.start()
    watcher.start()  # idempotent
    assert watcher.running
    await asyncio.wait_for(watcher.stop(), timeout=WAIT)
    assert not watcher.running
