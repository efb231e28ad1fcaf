"""The SQLite store: misses and votes recorded without user ids, migrated, purged, crash-safe."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import aiosqlite
import pytest

from bot.engine.models import Outcome
from bot.services.events import QuestionEvent, QuestionSource, ScoredEntry
from bot.services.store import (
    DAY,
    DB_FILE,
    MIGRATIONS,
    SALT_FILE,
    SCHEMA_VERSION,
    Store,
    StoreError,
    migrate,
)

REPO = Path(__file__).resolve().parents[2]
USER = 412345678901234567
OTHER_USER = 512345678901234567
GUILD = 612345678901234567
OTHER_GUILD = 712345678901234567


class Clock:
    def __init__(self, now: float = 1_726_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def store(tmp_path):
    opened = await Store.open(tmp_path)
    yield opened
    await opened.close()


def event(
    question: str = "where can I park",
    outcome: Outcome = Outcome.DECLINED,
    *,
    user: int = USER,
    guild: int | None = GUILD,
    at: float | None = None,
) -> QuestionEvent:
    answered = outcome is Outcome.ANSWERED
    return QuestionEvent(
        question=question,
        outcome=outcome,
        entry_id="meeting-venue" if answered else None,
        candidates=(ScoredEntry("meeting-venue", 0.41), ScoredEntry("meeting-dates", 0.2)),
        guild_id=guild,
        channel_id=812345678901234567,
        user_id=user,
        source=QuestionSource.SLASH,
        latency=0.003,
        faq_version="abc123",
        at=at if at is not None else time.time(),
    )


async def test_schema_is_created_in_wal_mode(tmp_path, store):
    assert (tmp_path / DB_FILE).is_file()
    with sqlite3.connect(tmp_path / DB_FILE) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"questions", "votes", "alias_candidates"} <= tables
    assert (await store.stats()).schema_version == SCHEMA_VERSION


async def test_only_misses_are_recorded_with_their_candidates(store):
    assert await store.record_question(event(outcome=Outcome.ANSWERED)) is None
    assert await store.record_question(event(outcome=Outcome.REFUSED)) is None
    declined = await store.record_question(event("where can I park"))
    suggested = await store.record_question(event("when is it", Outcome.SUGGESTED))
    assert declined and suggested
    misses = await store.misses(days=1)
    assert [(m.question, m.outcome) for m in misses] == [
        ("when is it", "suggested"),
        ("where can I park", "declined"),
    ]
    miss = misses[1]
    assert miss.candidates == (("meeting-venue", 0.41), ("meeting-dates", 0.2))
    assert miss.guild_id == GUILD
    assert miss.source == "slash"
    assert miss.faq_version == "abc123"


async def test_no_user_id_is_stored_only_a_salted_hash(tmp_path):
    store = await Store.open(tmp_path)
    await store.record_question(event(user=USER))
    await store.record_vote(entry_id="meeting-venue", faq_version="v1", helpful=True, voter=USER)
    same_person = store.person(USER)
    await store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob(DB_FILE + "*"))
    assert str(USER).encode() not in raw
    assert same_person and str(USER) not in same_person
    # The salt is made once and kept: the same person hashes the same after a restart.
    salt = (tmp_path / SALT_FILE).read_text()
    assert (tmp_path / SALT_FILE).stat().st_mode & 0o777 == 0o600
    reopened = await Store.open(tmp_path)
    assert reopened.person(USER) == same_person
    assert reopened.person(OTHER_USER) != same_person
    await reopened.close()
    assert (tmp_path / SALT_FILE).read_text() == salt
    # Another data directory (another salt) gives another hash.
    elsewhere = await Store.open(tmp_path / "other")
    assert elsewhere.person(USER) != same_person
    await elsewhere.close()


async def test_misses_by_days_and_guild(tmp_path):
    clock = Clock()
    store = await Store.open(tmp_path, clock=clock)
    await store.record_miss(
        question="old", outcome="declined", guild_id=GUILD, at=clock.now - 8 * DAY
    )
    await store.record_miss(question="recent", outcome="declined", guild_id=GUILD)
    await store.record_miss(question="elsewhere", outcome="declined", guild_id=OTHER_GUILD)
    await store.record_miss(question="in a DM", outcome="declined", guild_id=None)
    assert [m.question for m in await store.misses(days=7, guild_id=GUILD)] == ["recent"]
    with_dms = await store.misses(days=7, guild_id=GUILD, with_direct=True)
    assert {m.question for m in with_dms} == {"recent", "in a DM"}
    assert {m.question for m in await store.misses(days=7)} == {"recent", "elsewhere", "in a DM"}
    assert len(await store.misses(days=30)) == 4
    await store.close()


async def test_one_vote_per_person_per_entry_and_version(store):
    async def vote(helpful: bool, voter: int = USER, version: str = "v1", entry: str = "a") -> None:
        await store.record_vote(entry_id=entry, faq_version=version, helpful=helpful, voter=voter)

    await vote(True)
    await vote(True)  # a double click
    assert [(f.helpful, f.not_helpful) for f in await store.feedback()] == [(1, 0)]
    await vote(False)  # changed their mind
    assert [(f.helpful, f.not_helpful) for f in await store.feedback()] == [(0, 1)]
    await vote(True, voter=OTHER_USER)
    await vote(True, version="v2")  # a new FAQ version is a new answer to vote on
    (only,) = await store.feedback()
    assert (only.entry_id, only.helpful, only.not_helpful, only.versions) == ("a", 2, 1, 2)


async def test_feedback_lists_the_worst_ratio_first(store):
    votes = {"good": [1, 1, 1, 0], "bad": [0, 0, 1], "worst": [0, 0], "meh": [1, 0]}
    for entry, values in votes.items():
        for i, helpful in enumerate(values):
            await store.record_vote(
                entry_id=entry, faq_version="v", helpful=bool(helpful), voter=1000 + i
            )
    feedback = await store.feedback()
    assert [f.entry_id for f in feedback] == ["worst", "bad", "meh", "good"]
    assert feedback[1].ratio == pytest.approx(1 / 3)
    assert [f.entry_id for f in await store.feedback(min_votes=3)] == ["bad", "good"]
    assert len(await store.feedback(limit=2)) == 2


async def test_alias_candidates_get_a_stable_small_id(store):
    first = await store.add_alias_candidate("meeting-venue", "where can I park")
    assert await store.add_alias_candidate("meeting-venue", "where can I park") == first
    other = await store.add_alias_candidate("meeting-dates", "where can I park")
    assert other != first
    candidate = await store.alias_candidate(first)
    assert candidate is not None
    assert (candidate.entry_id, candidate.alias, candidate.status) == (
        "meeting-venue",
        "where can I park",
        "pending",
    )
    await store.set_alias_status(first, "accepted")
    assert (await store.alias_candidate(first)).status == "accepted"
    assert await store.alias_candidate(999_999) is None


async def test_retention_purges_old_rows_at_start_and_keeps_recent_ones(tmp_path):
    clock = Clock()
    store = await Store.open(tmp_path, clock=clock)
    await store.record_miss(question="old", outcome="declined", at=clock.now - 91 * DAY)
    await store.record_miss(question="new", outcome="declined", at=clock.now - 89 * DAY)
    clock.now -= 91 * DAY
    await store.record_vote(entry_id="a", faq_version="v", helpful=True, voter=USER)
    await store.add_alias_candidate("a", "old alias")
    clock.now += 91 * DAY
    await store.record_vote(entry_id="b", faq_version="v", helpful=True, voter=USER)

    store.start_retention(90, every=3600)
    for _ in range(500):  # the first purge runs right away, in the background
        if (await store.stats()).votes == 1:
            break
        await asyncio.sleep(0.01)
    assert [m.question for m in await store.misses(days=365)] == ["new"]
    assert [f.entry_id for f in await store.feedback()] == ["b"]
    assert await store.alias_candidate(1) is None
    # Daily: a day later, what was 89 days old is now past 90 and goes on the next purge.
    clock.now += 2 * DAY
    result = await store.purge(90)
    assert (result.questions, result.votes) == (1, 0)
    await store.close()


async def test_migrations_run_in_order_and_keep_data(tmp_path):
    path = tmp_path / DB_FILE
    async with aiosqlite.connect(path, isolation_level=None) as db:
        await migrate(db, MIGRATIONS[:1], path)  # a database from the first release
        await db.execute(
            "INSERT INTO questions (asked_at, question, outcome) VALUES (?, 'kept?', 'declined')",
            (time.time(),),
        )
    store = await Store.open(tmp_path)
    assert [m.question for m in await store.misses(days=1)] == ["kept?"]
    assert await store.add_alias_candidate("a", "b") == 1  # the table of migration 2
    await store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


async def test_a_newer_schema_is_refused_not_damaged(tmp_path):
    await (await Store.open(tmp_path)).close()  # create it
    with sqlite3.connect(tmp_path / DB_FILE) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="schema version 99 is newer"):
        await Store.open(tmp_path)
    with sqlite3.connect(tmp_path / DB_FILE) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 99


async def test_not_a_database_is_moved_aside_and_replaced(tmp_path):
    garbage = b"this is not sqlite" * 100
    (tmp_path / DB_FILE).write_bytes(garbage)
    async with await Store.open(tmp_path) as opened:
        [notice] = opened.notices
        assert notice.moved_to is not None and notice.moved_to.read_bytes() == garbage
        assert (await opened.stats()).questions == 0


WRITER = textwrap.dedent(
    """
    import asyncio, sys, time
    from pathlib import Path
    from bot.engine.models import Outcome
    from bot.services.events import QuestionEvent, QuestionSource
    from bot.services.store import Store

    def miss(text: str) -> QuestionEvent:
        return QuestionEvent(
            question=text, outcome=Outcome.DECLINED, entry_id=None, candidates=(),
            guild_id=None, channel_id=None, user_id=7, source=QuestionSource.SLASH,
            latency=0.0, faq_version="v", at=time.time(),
        )

    async def main() -> None:
        store = await Store.open(Path(sys.argv[1]))
        n = 0
        while True:
            n += 1
            row = await store.record_miss(question=f"question {n}", outcome="declined")
            await store.record_vote(entry_id=f"e{n % 7}", faq_version="v", helpful=n % 2 == 0,
                                    voter=n % 13)
            for k in range(3):
                await store.record_question(miss(f"queued {n}.{k}"))
            print(f"row {row}", flush=True)
            if n % 5 == 0:
                await store.flush()
                print(f"flushed {n}", flush=True)

    asyncio.run(main())
    """
)


def kill_writers(tmp_path: Path, rounds: int = 3) -> None:
    """Run the writer and SIGKILL it mid-loop, `rounds` times on the same database.

    Acknowledged: a row whose `record_miss` returned, and every miss queued with
    `record_question` before a `flush()` that returned."""
    for round_ in range(rounds):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            text=True,
        )
        acknowledged: list[int] = []
        flushed = 0
        try:
            assert child.stdout is not None
            target = 200 + 150 * round_
            deadline = time.monotonic() + 60
            while len(acknowledged) < target and time.monotonic() < deadline:
                line = child.stdout.readline()
                if not line:
                    break
                kind, number = line.split()
                if kind == "row":
                    acknowledged.append(int(number))
                else:
                    flushed = int(number)
        finally:
            child.send_signal(signal.SIGKILL)
            _, err = child.communicate(timeout=30)
        assert len(acknowledged) >= 50, err
        assert flushed >= 10, err
        with sqlite3.connect(tmp_path / DB_FILE) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            present = {r[0] for r in db.execute("SELECT id FROM questions")}
            texts = {r[0] for r in db.execute("SELECT question FROM questions")}
        missing = set(acknowledged) - present
        assert not missing, f"acknowledged rows lost: {sorted(missing)[:10]}"
        queued = {f"queued {n}.{k}" for n in range(1, flushed + 1) for k in range(3)}
        lost = queued - texts
        assert not lost, f"flushed misses lost: {sorted(lost)[:10]}"


def test_killed_mid_write_loses_nothing_acknowledged(tmp_path):
    """kill -9 while writing in a loop: the file is intact and every acknowledged row is there."""
    kill_writers(tmp_path)


async def test_reopening_after_a_kill_works_through_the_store(tmp_path):
    await asyncio.to_thread(kill_writers, tmp_path, 1)
    store = await Store.open(tmp_path)
    assert await store.integrity_check() == "ok"
    assert len(await store.misses(days=1)) >= 50
    await store.close()


# --- misses are queued and written in batches ---------------------------------------------


async def test_a_thousand_misses_recorded_at_once_are_all_there_after_close(tmp_path):
    store = await Store.open(tmp_path)
    outcomes = (Outcome.DECLINED, Outcome.SUGGESTED)
    accepted = [
        await store.record_question(event(f"question {n}", outcomes[n % 2], user=n))
        for n in range(1000)
    ]
    assert all(accepted)
    await store.close()
    with sqlite3.connect(tmp_path / DB_FILE) as db:
        rows = db.execute("SELECT question, outcome, asker FROM questions").fetchall()
    assert sorted(q for q, _, _ in rows) == sorted(f"question {n}" for n in range(1000))
    assert sum(o == "suggested" for _, o, _ in rows) == 500
    assert len({a for _, _, a in rows}) == 1000  # one salted hash per asker


async def test_misses_are_visible_to_readers_right_after_recording(store):
    for n in range(250):
        await store.record_question(event(f"question {n}"))
    assert len(await store.misses(days=1)) == 250
    assert (await store.stats()).questions == 250


async def test_a_full_queue_drops_and_counts_misses_instead_of_blocking(tmp_path, caplog):
    drops: list[tuple[str, int]] = []
    store = await Store.open(tmp_path, miss_queue_size=10, on_drop=lambda *d: drops.append(d))
    caplog.set_level("WARNING", logger="bot.services.store")
    # Nothing below waits for the event loop, so the writer cannot run: the queue fills up.
    results = [await store.record_question(event(f"question {n}")) for n in range(60)]
    assert results == [True] * 10 + [False] * 50
    assert store.dropped_misses == 50
    assert drops == [("queue_full", 1)] * 50
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert "miss queue full" in warnings[0].getMessage()
    assert not any(r.exc_info for r in caplog.records)
    # Once written, there is room again.
    assert await store.flush()
    assert await store.record_question(event("after the rush"))
    await store.close()
    with sqlite3.connect(tmp_path / DB_FILE) as db:
        kept = {r[0] for r in db.execute("SELECT question FROM questions")}
    assert kept == {f"question {n}" for n in range(10)} | {"after the rush"}


async def test_votes_work_while_misses_are_queued(store):
    for n in range(300):
        await store.record_question(event(f"question {n}"))
        if n % 50 == 0:
            await store.record_vote(
                entry_id="meeting-venue", faq_version="v1", helpful=n % 100 == 0, voter=n
            )
    (venue,) = await store.feedback()
    assert (venue.entry_id, venue.helpful, venue.not_helpful) == ("meeting-venue", 3, 3)
    assert len(await store.misses(days=1)) == 300


async def test_a_failed_batch_is_counted_and_logged_once_and_the_writer_goes_on(tmp_path, caplog):
    drops: list[tuple[str, int]] = []
    store = await Store.open(tmp_path, on_drop=lambda *d: drops.append(d))
    caplog.set_level("WARNING", logger="bot.services.store")
    with sqlite3.connect(tmp_path / DB_FILE) as db:
        db.execute("ALTER TABLE questions RENAME TO questions_away")
    for n in range(5):
        await store.record_question(event(f"lost {n}"))
        assert await store.flush()  # one failed transaction per miss
    assert sum(n for reason, n in drops if reason == "write_failed") == 5
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and "could not write 1 miss(es)" in errors[0].getMessage()
    await store.record_vote(entry_id="a", faq_version="v", helpful=True, voter=USER)
    with sqlite3.connect(tmp_path / DB_FILE) as db:
        db.execute("ALTER TABLE questions_away RENAME TO questions")
    await store.record_question(event("kept"))
    assert [m.question for m in await store.misses(days=1)] == ["kept"]
    assert [f.entry_id for f in await store.feedback()] == ["a"]
    await store.close()


async def test_close_waits_only_so_long_for_queued_misses(tmp_path, caplog):
    drops: list[tuple[str, int]] = []
    store = await Store.open(tmp_path, on_drop=lambda *d: drops.append(d))
    caplog.set_level("WARNING", logger="bot.services.store")
    async with store._write:  # another write holds the database the whole time
        for n in range(3):
            await store.record_question(event(f"question {n}"))
        await store.close(flush_timeout=0.2)
    assert drops == [("closed", 3)]
    assert "3 queued miss(es) not written" in caplog.text


async def test_misses_after_close_are_dropped_quietly(tmp_path):
    drops: list[tuple[str, int]] = []
    store = await Store.open(tmp_path, on_drop=lambda *d: drops.append(d))
    assert await store.record_question(event("before"))
    await store.close()
    assert await store.record_question(event("too late")) is False
    assert drops == [("closed", 1)]
    with sqlite3.connect(tmp_path / DB_FILE) as db:
        assert [r[0] for r in db.execute("SELECT question FROM questions")] == ["before"]
