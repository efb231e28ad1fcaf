"""The database is watched (issue 12, faults 3 and 5): a deleted or replaced `faqbot.sqlite3` is
noticed at the next write, a corrupt one is moved aside and replaced, and misses go on being
recorded in every case; `stats()` tells the truth."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from bot.engine.models import Outcome
from bot.services.events import QuestionEvent, QuestionSource
from bot.services.store import CORRUPT_MARK, DB_FILE, Store, StoreIncident, StoreNotice

PAGE = 4096


def miss(text: str) -> QuestionEvent:
    return QuestionEvent(
        question=text,
        outcome=Outcome.DECLINED,
        entry_id=None,
        candidates=(),
        guild_id=None,
        channel_id=None,
        user_id=7,
        source=QuestionSource.SLASH,
        latency=0.0,
        faq_version="v",
        at=time.time(),
    )


def questions_in(path: Path) -> list[str]:
    """What another program (`faqbot misses`, a backup) finds in the file at `path`."""
    with sqlite3.connect(path) as db:
        return [r[0] for r in db.execute("SELECT question FROM questions ORDER BY id")]


async def record(store: Store, *texts: str) -> None:
    for text in texts:
        assert await store.record_question(miss(text))
    assert await store.flush(timeout=10)


async def test_a_database_deleted_while_running_is_recreated_and_misses_go_on(
    tmp_path: Path,
) -> None:
    told: list[StoreNotice] = []
    async with await Store.open(tmp_path, on_notice=told.append) as store:
        await record(store, "before one", "before two")
        (tmp_path / DB_FILE).unlink()

        await record(store, "after one", "after two")

        assert questions_in(tmp_path / DB_FILE) == ["after one", "after two"]
        assert [n.incident for n in told] == [StoreIncident.MISSING]
        assert "faqbot.sqlite3 was deleted while the bot was running" in told[0].message
        assert (await store.stats()).questions == 2
        assert store.dropped_misses == 0


async def test_status_after_a_deletion_counts_what_is_really_in_the_file(tmp_path: Path) -> None:
    async with await Store.open(tmp_path) as store:
        await record(store, "one", "two", "three")
        (tmp_path / DB_FILE).unlink()
        assert (await store.stats()).questions == 0  # the old code kept counting 3
        assert [n.incident for n in store.notices] == [StoreIncident.MISSING]


async def test_a_replaced_database_is_used_from_the_next_write(tmp_path: Path) -> None:
    backup = tmp_path / "backup"
    async with await Store.open(backup) as old:
        await record(old, "from the backup")
    async with await Store.open(tmp_path) as store:
        await record(store, "current")
        (backup / DB_FILE).replace(tmp_path / DB_FILE)

        await record(store, "after the restore")

        assert questions_in(tmp_path / DB_FILE) == ["from the backup", "after the restore"]
        assert [n.incident for n in store.notices] == [StoreIncident.REPLACED]


def moved_aside(data_dir: Path) -> list[Path]:
    """The corrupt databases kept (their WAL, when there was one, next to them)."""
    kept = data_dir.glob(f"{DB_FILE}{CORRUPT_MARK}*")
    return sorted(p for p in kept if not p.name.endswith("-wal"))


async def test_a_garbage_header_at_start_up_is_moved_aside_and_misses_are_kept(
    tmp_path: Path,
) -> None:
    async with await Store.open(tmp_path) as store:
        await record(store, "old miss")
    path = tmp_path / DB_FILE
    with path.open("r+b") as raw:
        raw.write(b"garbage garbage!")  # the 16-byte "SQLite format 3\0" header
    told: list[StoreNotice] = []

    async with await Store.open(tmp_path, on_notice=told.append) as store:
        await record(store, "new miss")

    [kept] = moved_aside(tmp_path)
    assert kept.read_bytes().startswith(b"garbage garbage!")
    assert questions_in(path) == ["new miss"]
    [notice] = told
    assert notice.incident is StoreIncident.CORRUPT and notice.moved_to == kept
    assert f"moved aside to {kept.name}" in notice.message


def corrupt_pages(path: Path, first_page: int) -> None:
    """Overwrite every page from `first_page` (1-based) on with garbage, keeping the header."""
    size = path.stat().st_size
    with path.open("r+b") as raw:
        for offset in range((first_page - 1) * PAGE, size, PAGE):
            raw.seek(offset)
            raw.write(b"\xa5" * PAGE)


async def test_malformed_pages_are_found_at_start_up_not_at_the_first_lost_miss(
    tmp_path: Path,
) -> None:
    async with await Store.open(tmp_path) as store:
        await record(store, *(f"question {n} " + "x" * 200 for n in range(200)))
    path = tmp_path / DB_FILE
    corrupt_pages(path, first_page=3)

    async with await Store.open(tmp_path) as store:
        await record(store, "after the corruption")
        assert (await store.stats()).questions == 1
        [notice] = store.notices
        assert notice.incident is StoreIncident.CORRUPT

    assert len(moved_aside(tmp_path)) == 1
    assert questions_in(path) == ["after the corruption"]


async def test_pages_corrupted_while_running_are_moved_aside_at_the_next_write(
    tmp_path: Path,
) -> None:
    async with await Store.open(tmp_path) as store:
        await record(store, *(f"question {n} " + "x" * 200 for n in range(200)))
        path = tmp_path / DB_FILE
        with sqlite3.connect(path) as other:
            other.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        corrupt_pages(path, first_page=3)
        with sqlite3.connect(path) as other:  # another writer: the store's page cache is stale
            other.execute("PRAGMA user_version = 2")

        await record(store, "after the corruption")
        assert store.dropped_misses == 0
        assert [n.incident for n in store.notices] == [StoreIncident.CORRUPT]
        assert (await store.stats()).questions == 1

    assert questions_in(path) == ["after the corruption"]
    assert len(moved_aside(tmp_path)) == 1
