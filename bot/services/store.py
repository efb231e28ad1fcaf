"""What the bot remembers: unanswered questions, votes on answers, alias candidates and
hand-offs to the moderators (SQLite).

One file, `DATA_DIR/faqbot.sqlite3`, in WAL mode with `synchronous=NORMAL`: a committed
transaction survives the process being killed at any moment (not a power cut, which may lose
the last commits but never corrupts the file). Votes, alias candidates and `record_miss` commit
before they return. The bot's misses (`record_question`) go through a bounded queue instead:
the call returns at once and one writer task commits them in batches (up to `MISS_BATCH` rows
per transaction), so answering never waits for the disk; a full queue drops (and counts) misses
rather than slowing the bot down. `flush()` waits until what was queued is committed, and
`close()` flushes (for at most `CLOSE_FLUSH_TIMEOUT` s). The bot creates and migrates the schema
itself (`PRAGMA user_version` counts the migrations applied, each one atomic).

The file is watched: before every read or write the store checks that `faqbot.sqlite3` is still
the file it opened (SQLite would otherwise keep writing into a deleted file); if it was deleted
or replaced, the store reopens the file now at that path (creating a fresh database), and a
corrupt file (garbage header, malformed pages) is moved aside as
`faqbot.sqlite3.corrupt-<UTC time>` (kept for inspection) and a new one is created. Each time
the store logs it and hands a `StoreNotice` to `on_notice`, so moderators can be told.

No Discord user id is stored beyond its use: askers and voters are an HMAC of the id with a
salt that is created once in DATA_DIR (`faqbot.salt`), enough to count distinct people and to
keep one vote per person, and useless without that file. The one exception is a delegate
waiting for a hand-off: their id is needed to deliver the moderators' answer, and is erased
(leaving the hash) as soon as it was delivered, or when the hand-off expires. The FAQ's
change history (`faq_changes`) names the moderator who saved each change (by Discord
name); it is not purged with the questions.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import hmac
import json
import logging
import math
import os
import secrets
import sqlite3
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.services.events import MISS_OUTCOMES, QuestionEvent
from bot.services.handoffs import (
    MAX_CANDIDATES_KEPT,
    Asker,
    Delivery,
    Handoff,
    HandoffStatus,
    Opened,
    OpenResult,
    median_seconds,
    question_key,
)
from bot.services.storage_errors import is_corrupt, storage_problem

log = logging.getLogger(__name__)

DB_FILE = "faqbot.sqlite3"
SALT_FILE = "faqbot.salt"
DAY = 86400.0
MISS_VALUES = frozenset(outcome.value for outcome in MISS_OUTCOMES)
"""`events.MISS_OUTCOMES` as stored in the `outcome` column."""
MAX_QUESTION_STORED = 500
MAX_CANDIDATES_STORED = 5
MISS_QUEUE_SIZE = 5000
"""Misses waiting to be written; past this, new ones are dropped (and counted)."""
MISS_BATCH = 100
"""At most this many misses per transaction."""
WARNING_INTERVAL = 60.0
"""At most one warning per this many seconds about dropped misses (and one about failed writes)."""
CLOSE_FLUSH_TIMEOUT = 5.0
"""How long `close()` waits for queued misses to be written."""
FLUSH_BEFORE_READ_TIMEOUT = 5.0
"""How long reads (`misses`, `stats`) wait for misses queued before them."""
INSERT_COLUMNS = (
    "INSERT INTO questions (asked_at, guild_id, channel_id, question, outcome,"
    " entry_id, candidates, source, faq_version, asker)"
)
INSERT_VALUES = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
INSERT_QUESTION = f"{INSERT_COLUMNS} VALUES {INSERT_VALUES}"
CORRUPT_MARK = ".corrupt-"
"""A corrupt database is renamed `faqbot.sqlite3.corrupt-20261201T101500Z` (with its -wal)."""
NOTICES_KEPT = 10
DropListener = Callable[[str, int], None]
"""`on_drop(reason, count)`: misses not recorded; reason "queue_full", "write_failed" or
"closed"."""
Result = TypeVar("Result")

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: questions the bot could not answer confidently, and votes on answers.
    (
        """CREATE TABLE questions (
            id INTEGER PRIMARY KEY,
            asked_at REAL NOT NULL,
            guild_id INTEGER,
            channel_id INTEGER,
            question TEXT NOT NULL,
            outcome TEXT NOT NULL,
            entry_id TEXT,
            candidates TEXT NOT NULL DEFAULT '[]',
            source TEXT NOT NULL DEFAULT '',
            faq_version TEXT NOT NULL DEFAULT '',
            asker TEXT
        )""",
        "CREATE INDEX questions_asked_at ON questions (asked_at)",
        """CREATE TABLE votes (
            entry_id TEXT NOT NULL,
            faq_version TEXT NOT NULL,
            voter TEXT NOT NULL,
            helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
            voted_at REAL NOT NULL,
            PRIMARY KEY (entry_id, faq_version, voter)
        ) WITHOUT ROWID""",
        "CREATE INDEX votes_voted_at ON votes (voted_at)",
    ),
    # 2: alias candidates, so a button's custom_id carries a row id, not the text.
    (
        """CREATE TABLE alias_candidates (
            id INTEGER PRIMARY KEY,
            entry_id TEXT NOT NULL,
            alias TEXT NOT NULL,
            created_at REAL NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            UNIQUE (entry_id, alias)
        )""",
        "CREATE INDEX alias_candidates_created_at ON alias_candidates (created_at)",
    ),
    # 3: hand-offs to the moderators ("Ask the organisers") and the delegates waiting for
    # each; identical open questions share one row (the partial unique index).
    (
        """CREATE TABLE handoffs (
            id INTEGER PRIMARY KEY,
            question_key TEXT NOT NULL,
            question TEXT NOT NULL,
            context TEXT NOT NULL DEFAULT '',
            guild_id INTEGER,
            channel_id INTEGER,
            opened_at REAL NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            candidates TEXT NOT NULL DEFAULT '[]',
            card_channel_id INTEGER,
            card_message_id INTEGER,
            thread_id INTEGER,
            reminded_at REAL,
            answered_at REAL,
            moderator TEXT NOT NULL DEFAULT '',
            answer TEXT NOT NULL DEFAULT '',
            entry_id TEXT,
            reason TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE UNIQUE INDEX handoffs_open_question ON handoffs (question_key)"
        " WHERE status = 'open'",
        "CREATE INDEX handoffs_opened_at ON handoffs (opened_at)",
        """CREATE TABLE handoff_askers (
            handoff_id INTEGER NOT NULL REFERENCES handoffs (id) ON DELETE CASCADE,
            person TEXT NOT NULL,
            user_id INTEGER,
            guild_id INTEGER,
            channel_id INTEGER,
            asked_at REAL NOT NULL,
            delivery TEXT NOT NULL DEFAULT 'pending',
            PRIMARY KEY (handoff_id, person)
        ) WITHOUT ROWID""",
        "CREATE INDEX handoff_askers_person ON handoff_askers (person)",
    ),
    # 4: the FAQ's change history (edits from Discord), kept beyond the retention window.
    (
        """CREATE TABLE faq_changes (
            id INTEGER PRIMARY KEY,
            changed_at REAL NOT NULL,
            moderator TEXT NOT NULL,
            action TEXT NOT NULL,
            entry_id TEXT NOT NULL,
            files TEXT NOT NULL,
            undoes INTEGER
        )""",
        "CREATE INDEX faq_changes_entry ON faq_changes (entry_id, changed_at)",
    ),
    # 5: the language each delegate waiting for a hand-off reads its outcome in (rows from
    # before read English, as they did).
    ("ALTER TABLE handoff_askers ADD COLUMN language TEXT NOT NULL DEFAULT 'en'",),
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Exception):
    """The database cannot be used (written by a newer bot, not a database, unwritable)."""


class _CorruptDatabaseError(StoreError):
    """The file is not a usable SQLite database: it is moved aside and replaced."""


class StoreIncident(StrEnum):
    """What happened to the database file while the bot was using it."""

    MISSING = "missing"
    """Deleted: a fresh database was created at the same path."""
    REPLACED = "replaced"
    """Another file now at the path (a restored backup?): that one is used from now on."""
    CORRUPT = "corrupt"
    """Not a database, or malformed pages: moved aside, a fresh database created."""


@dataclass(frozen=True, slots=True)
class StoreNotice:
    """One incident, with the sentence moderators are told."""

    incident: StoreIncident
    message: str
    moved_to: Path | None = None
    at: float = field(default_factory=time.time)


NoticeListener = Callable[[StoreNotice], None]
"""`on_notice(notice)`, called on the event loop after the store recovered from an incident."""


@dataclass(frozen=True, slots=True)
class Miss:
    """One recorded question the bot could not answer confidently."""

    id: int
    question: str
    asked_at: float
    outcome: str
    guild_id: int | None
    channel_id: int | None
    candidates: tuple[tuple[str, float], ...]
    """(entry id, score), best first, as the engine ranked them at the time."""
    asker: str | None
    faq_version: str
    source: str


@dataclass(frozen=True, slots=True)
class EntryFeedback:
    """Votes on one entry (all FAQ versions in the retention window)."""

    entry_id: str
    helpful: int
    not_helpful: int
    versions: int

    @property
    def votes(self) -> int:
        return self.helpful + self.not_helpful

    @property
    def ratio(self) -> float:
        """Share of helpful votes, 0..1."""
        return self.helpful / self.votes if self.votes else 1.0


@dataclass(frozen=True, slots=True)
class FaqChangeRecord:
    """One saved change to the FAQ files: who, when, which entry, each file before/after."""

    id: int
    changed_at: float
    moderator: str
    """The moderator's Discord name (who changed the FAQ is the point of the history)."""
    action: str
    entry_id: str
    files: tuple[tuple[str, str | None, str], ...]
    """(path relative to FAQ_DIR, text before or None for a new file, text after)."""
    undoes: int | None


@dataclass(frozen=True, slots=True)
class AliasCandidate:
    """A phrase a moderator may add as an alias of an entry (a button carries its id)."""

    id: int
    entry_id: str
    alias: str
    created_at: float
    status: str


@dataclass(frozen=True, slots=True)
class PurgeResult:
    questions: int
    votes: int
    alias_candidates: int
    handoffs: int = 0

    @property
    def total(self) -> int:
        return self.questions + self.votes + self.alias_candidates + self.handoffs


@dataclass(frozen=True, slots=True)
class Written:
    """What one writing statement did."""

    row_id: int | None
    """The new row's id (an INSERT), else SQLite's last one."""
    changed: int
    """Rows inserted, updated or deleted."""

    @property
    def new_row_id(self) -> int:
        """The id of the row an INSERT created."""
        assert self.row_id is not None
        return self.row_id


@dataclass(frozen=True, slots=True)
class StoreStats:
    questions: int
    votes: int
    schema_version: int


def load_salt(path: Path) -> bytes:
    """The salt in `path`, created (once, 0600, atomically) if missing."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        salt = bytes.fromhex(path.read_text(encoding="ascii").strip())
        if len(salt) < 16:
            raise StoreError(f"{path}: salt too short; delete it to create a new one") from None
        return salt
    salt = secrets.token_bytes(32)
    try:
        os.write(fd, salt.hex().encode("ascii") + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    log.info("created salt %s", path)
    return salt


def _clock() -> float:
    return time.time()


class Store:
    """The bot's SQLite database. Open with `await Store.open(data_dir)`, close when done."""

    def __init__(
        self,
        db: aiosqlite.Connection,
        path: Path,
        salt: bytes,
        clock: Callable[[], float],
        *,
        miss_queue_size: int = MISS_QUEUE_SIZE,
        on_drop: DropListener | None = None,
        on_notice: NoticeListener | None = None,
    ) -> None:
        self._db = db
        self.path = path
        self._identity = _identity(path)
        self._wal_identity = _identity(_companions(path)[0])
        """The WAL file this connection writes: after a deletion or replacement of the database
        it is stale, and SQLite would replay it into the new file."""
        self._on_notice = on_notice
        self.notices: deque[StoreNotice] = deque(maxlen=NOTICES_KEPT)
        """The latest incidents (deleted, replaced, corrupt file), oldest first."""
        self._salt = salt
        self._clock = clock
        self._retention: asyncio.Task[None] | None = None
        self._write = asyncio.Lock()
        self._on_drop = on_drop
        self._misses: asyncio.Queue[tuple[Any, ...]] = asyncio.Queue(maxsize=miss_queue_size)
        self._writer: asyncio.Task[None] | None = None
        self._queued = 0
        """Misses accepted into the queue so far."""
        self._handled = 0
        """Misses taken off the queue and committed (or lost to a failed write) so far."""
        self._flush_waiters: list[tuple[int, asyncio.Future[None]]] = []
        self._closing = False
        self.dropped_misses = 0
        """Misses not recorded since the store was opened (queue full, failed write, closed)."""
        self._unreported = {"queue_full": 0, "write_failed": 0}
        self._last_warning = {"queue_full": -math.inf, "write_failed": -math.inf}

    @classmethod
    async def open(
        cls,
        data_dir: Path,
        *,
        clock: Callable[[], float] = _clock,
        db_file: str = DB_FILE,
        miss_queue_size: int = MISS_QUEUE_SIZE,
        on_drop: DropListener | None = None,
        on_notice: NoticeListener | None = None,
    ) -> Store:
        """Open (creating and migrating as needed) `data_dir/faqbot.sqlite3`; a corrupt file is
        moved aside and a new one created (`notices` and `on_notice` say so).

        `on_drop(reason, count)` is called (on the event loop) for misses that will not be
        recorded, e.g. to count them in metrics.
        """
        data_dir = data_dir.expanduser().absolute()
        data_dir.mkdir(parents=True, exist_ok=True)
        path = data_dir / db_file
        salt = load_salt(data_dir / SALT_FILE)
        db, notice = await _connect(path)
        store = cls(
            db,
            path,
            salt,
            clock,
            miss_queue_size=miss_queue_size,
            on_drop=on_drop,
            on_notice=on_notice,
        )
        if notice is not None:
            store._notice(notice)
        return store

    async def close(self, *, flush_timeout: float = CLOSE_FLUSH_TIMEOUT) -> None:
        """Write the misses still queued (waiting at most `flush_timeout` s), then close."""
        self._closing = True
        await self.flush(timeout=flush_timeout)
        await self._stop_writer()
        left = self._queued - self._handled
        if left:
            log.warning(
                "closing the question database: %d queued miss(es) not written within %g s",
                left,
                flush_timeout,
            )
            self._dropped("closed", left)
        for reason, count in self._unreported.items():
            if count:
                log.warning("%d more miss(es) not recorded (%s)", count, reason.replace("_", " "))
        await self.stop_retention()
        with contextlib.suppress(Exception):
            await self._db.execute("PRAGMA optimize")
        await self._db.close()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def person(self, user_id: int | str | None) -> str | None:
        """The salted hash standing for a Discord user (never the id itself)."""
        if user_id is None:
            return None
        digest = hmac.new(self._salt, str(int(user_id)).encode(), hashlib.sha256)
        return digest.hexdigest()[:32]

    # --- the file under the connection ------------------------------------------------------

    async def _checked(self, operation: Callable[[], Awaitable[Result]]) -> Result:
        """Run `operation` on the file now at `path`: reopen first if it was deleted or replaced,
        and if SQLite finds it corrupt, move it aside, start a new one and run it again."""
        await self._follow_file()
        try:
            result = await operation()
        except sqlite3.DatabaseError as exc:
            if not is_corrupt(exc):
                raise
            await self._replace_corrupt(exc)
            result = await operation()
        self._wal_identity = _identity(_companions(self.path)[0]) or self._wal_identity
        return result

    async def _follow_file(self) -> None:
        identity = _identity(self.path)
        if identity == self._identity:
            return
        async with self._write:
            if _identity(self.path) == self._identity:
                return  # another task reopened it meanwhile
            incident = StoreIncident.MISSING if identity is None else StoreIncident.REPLACED
            with contextlib.suppress(Exception):
                await self._db.close()
            wal, shm = _companions(self.path)
            if _identity(wal) == self._wal_identity:  # ours, stale: never replay it elsewhere
                wal.unlink(missing_ok=True)
                shm.unlink(missing_ok=True)
            self._db, corrupt = await _connect(self.path)
            self._identity = _identity(self.path)
            self._wal_identity = _identity(wal)
        missing = incident is StoreIncident.MISSING
        what = "was deleted" if missing else "was replaced by another file"
        self._notice(
            StoreNotice(
                incident,
                f"the question database {self.path.name} {what} while the bot was running; "
                + (
                    "a new one was created, misses are recorded there from now on"
                    if missing
                    else "the bot uses the new file from now on"
                ),
            )
        )
        if corrupt is not None:
            self._notice(corrupt)

    async def _replace_corrupt(self, error: BaseException) -> None:
        async with self._write:
            with contextlib.suppress(Exception):
                await self._db.close()
            moved = _move_aside(self.path)
            self._db, _ = await _connect(self.path)
            self._identity = _identity(self.path)
            self._wal_identity = _identity(_companions(self.path)[0])
        self._notice(_corrupt_notice(self.path, error, moved))

    def _notice(self, notice: StoreNotice) -> None:
        self.notices.append(notice)
        log.error("%s", notice.message)
        if self._on_notice is not None:
            try:
                self._on_notice(notice)
            except Exception:
                log.exception("on_notice listener failed")

    # --- questions -------------------------------------------------------------------------

    async def record_question(self, event: QuestionEvent) -> bool | None:
        """`queue_question` (kept async for callers that await it)."""
        return self.queue_question(event)

    def queue_question(self, event: QuestionEvent) -> bool | None:
        """Queue the bot's `QuestionEvent` for writing if it was a miss; returns at once.

        Misses are `MISS_OUTCOMES` (did-you-mean, declines, release-silent); answered and
        refused questions are not stored (None). True when queued; False when dropped because
        the queue is full or the store is closing (counted, see `on_drop`). The asker is kept
        only as a salted hash. Queued misses are committed in batches: `flush()` waits for them.
        """
        outcome = _text(event.outcome)
        if outcome not in MISS_VALUES:
            return None
        if self._closing:
            self._dropped("closed", 1)
            return False
        row = self._question_row(
            question=event.question,
            outcome=outcome,
            guild_id=event.guild_id,
            channel_id=event.channel_id,
            candidates=event.candidates,
            entry_id=event.entry_id,
            user_id=event.user_id,
            source=_text(event.source),
            faq_version=event.faq_version,
            at=event.at,
        )
        try:
            self._misses.put_nowait(row)
        except asyncio.QueueFull:
            self._dropped("queue_full", 1)
            return False
        self._queued += 1
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(
                self._write_misses(), name="store-miss-writer"
            )
        return True

    async def record_miss(
        self,
        *,
        question: str,
        outcome: str,
        guild_id: int | None = None,
        channel_id: int | None = None,
        candidates: Iterable[object] = (),
        entry_id: str | None = None,
        user_id: int | str | None = None,
        source: str = "",
        faq_version: str = "",
        at: float | None = None,
    ) -> int:
        """Record one unanswered question (or "did you mean") now; the row id once committed.

        For imports and tests; the bot uses `record_question` (queued, batched)."""
        row = self._question_row(
            question=question,
            outcome=outcome,
            guild_id=guild_id,
            channel_id=channel_id,
            candidates=candidates,
            entry_id=entry_id,
            user_id=user_id,
            source=source,
            faq_version=faq_version,
            at=at,
        )
        return (await self._write_one(INSERT_QUESTION, row)).new_row_id

    def _question_row(
        self,
        *,
        question: str,
        outcome: str,
        guild_id: int | None,
        channel_id: int | None,
        candidates: Iterable[object],
        entry_id: str | None,
        user_id: int | str | None,
        source: str,
        faq_version: str,
        at: float | None,
    ) -> tuple[Any, ...]:
        ranked = [c for c in (_candidate(c) for c in candidates) if c is not None]
        return (
            self._clock() if at is None else at,
            _int_or_none(guild_id),
            _int_or_none(channel_id),
            question.strip()[:MAX_QUESTION_STORED],
            _text(outcome),
            entry_id,
            json.dumps(ranked[:MAX_CANDIDATES_STORED]),
            source,
            faq_version,
            self.person(user_id),
        )

    # --- the miss writer -------------------------------------------------------------------

    async def flush(self, timeout: float | None = None) -> bool:
        """Wait until every miss queued before this call is committed (or lost to a failed
        write, which is logged); False if that did not happen within `timeout` s."""
        target = self._queued
        if self._handled >= target:
            return True
        if self._writer is None or self._writer.done():
            return False  # nothing left to write them (the writer was stopped)
        waiter = asyncio.get_running_loop().create_future()
        entry = (target, waiter)
        self._flush_waiters.append(entry)
        try:
            async with asyncio.timeout(timeout):
                await waiter
        except TimeoutError:
            return False
        finally:
            with contextlib.suppress(ValueError):
                self._flush_waiters.remove(entry)
        return self._handled >= target

    async def _write_misses(self) -> None:
        """The writer task: take up to MISS_BATCH queued misses, commit them in one transaction."""
        queue = self._misses
        try:
            while True:
                batch = [await queue.get()]
                while len(batch) < MISS_BATCH and not queue.empty():
                    batch.append(queue.get_nowait())
                try:
                    await self._checked(functools.partial(self._insert_misses, batch))
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    self._dropped("write_failed", len(batch), exc)
                self._handled += len(batch)
                self._wake_flushers()
        finally:
            self._wake_flushers(every=True)

    async def _insert_misses(self, rows: list[tuple[Any, ...]]) -> None:
        """One statement, so one transaction and one round trip to the database thread: the
        batch is committed as soon as the event loop hands it over, even under load."""
        placeholders = ", ".join([INSERT_VALUES] * len(rows))
        values = [value for row in rows for value in row]
        async with self._write:
            await self._db.execute(f"{INSERT_COLUMNS} VALUES {placeholders}", values)

    def _wake_flushers(self, *, every: bool = False) -> None:
        for target, waiter in self._flush_waiters:
            if (every or self._handled >= target) and not waiter.done():
                waiter.set_result(None)

    async def _stop_writer(self) -> None:
        task, self._writer = self._writer, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _dropped(self, reason: str, count: int, error: BaseException | None = None) -> None:
        """Count misses that will not be recorded; warn at most once per WARNING_INTERVAL."""
        self.dropped_misses += count
        if self._on_drop is not None:
            try:
                self._on_drop(reason, count)
            except Exception:
                log.exception("on_drop listener failed")
        if reason not in self._unreported:
            return  # "closed": only during shutdown, summed up by close()
        self._unreported[reason] += count
        now = time.monotonic()
        if now - self._last_warning[reason] < WARNING_INTERVAL:
            return
        self._last_warning[reason] = now
        total, self._unreported[reason] = self._unreported[reason], 0
        if error is None:
            log.warning(
                "miss queue full (%d waiting to be written): %d miss(es) not recorded; "
                "at most one such warning per %.0f s",
                self._misses.qsize(),
                total,
                WARNING_INTERVAL,
            )
        else:
            log.error(
                "could not write %d miss(es) to %s: %s; at most one such message per %.0f s",
                total,
                self.path,
                storage_problem(error),
                WARNING_INTERVAL,
            )

    async def misses(
        self,
        *,
        days: float,
        guild_id: int | None = None,
        with_direct: bool = False,
        limit: int = 10_000,
    ) -> list[Miss]:
        """Misses of the last `days` days, newest first.

        With `guild_id`, only that guild's (plus direct messages when `with_direct`). Misses
        queued before the call are written first (waiting at most a few seconds).
        """
        await self.flush(timeout=FLUSH_BEFORE_READ_TIMEOUT)
        since = self._clock() - days * DAY
        sql = (
            "SELECT id, question, asked_at, outcome, guild_id, channel_id, candidates, asker,"
            " faq_version, source FROM questions WHERE asked_at >= ?"
        )
        args: list[Any] = [since]
        if guild_id is not None:
            sql += " AND (guild_id = ? OR guild_id IS NULL)" if with_direct else " AND guild_id = ?"
            args.append(guild_id)
        sql += " ORDER BY asked_at DESC, id DESC LIMIT ?"
        args.append(limit)
        rows = await self._read(sql, args)
        return [
            Miss(
                id=r[0],
                question=r[1],
                asked_at=r[2],
                outcome=r[3],
                guild_id=r[4],
                channel_id=r[5],
                candidates=_parse_candidates(r[6]),
                asker=r[7],
                faq_version=r[8],
                source=r[9],
            )
            for r in rows
        ]

    async def _fetch(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        async with self._db.execute(sql, args) as cursor:
            return list(await cursor.fetchall())

    async def _read(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        """The rows of one query, run on the file now at `path` (see `_checked`)."""
        return await self._checked(lambda: self._fetch(sql, args))

    async def _write_one(self, sql: str, args: Sequence[Any] = ()) -> Written:
        """One writing statement, committed before it returns, on the file now at `path`."""

        async def write() -> Written:
            async with self._write:
                cursor = await self._db.execute(sql, args)
                written = Written(row_id=cursor.lastrowid, changed=cursor.rowcount)
                await cursor.close()
            return written

        return await self._checked(write)

    # --- votes -----------------------------------------------------------------------------

    async def record_vote(
        self, *, entry_id: str, faq_version: str, helpful: bool, voter: int | str
    ) -> None:
        """One vote per person per entry and FAQ version; voting again replaces the vote."""
        await self._write_one(
            "INSERT INTO votes (entry_id, faq_version, voter, helpful, voted_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (entry_id, faq_version, voter)"
            " DO UPDATE SET helpful = excluded.helpful, voted_at = excluded.voted_at",
            (entry_id, faq_version, self.person(voter), int(bool(helpful)), self._clock()),
        )

    async def feedback(self, *, min_votes: int = 1, limit: int = 10) -> list[EntryFeedback]:
        """Entries with the worst share of helpful votes first (most "not helpful" on ties)."""
        rows = await self._read(
            "SELECT entry_id, SUM(helpful), SUM(1 - helpful), COUNT(DISTINCT faq_version)"
            " FROM votes GROUP BY entry_id HAVING COUNT(*) >= ?",
            (min_votes,),
        )
        found = [EntryFeedback(r[0], int(r[1]), int(r[2]), int(r[3])) for r in rows]
        found.sort(key=lambda f: (f.ratio, -f.not_helpful, f.entry_id))
        return found[:limit]

    # --- alias candidates ------------------------------------------------------------------

    async def add_alias_candidate(self, entry_id: str, alias: str) -> int:
        """The id of the (entry, alias) candidate row, created if new."""

        async def upsert() -> Any:
            async with self._write:
                await self._db.execute(
                    "INSERT INTO alias_candidates (entry_id, alias, created_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (entry_id, alias) DO UPDATE SET created_at = excluded.created_at",
                    (entry_id, alias, self._clock()),
                )
                async with self._db.execute(
                    "SELECT id FROM alias_candidates WHERE entry_id = ? AND alias = ?",
                    (entry_id, alias),
                ) as cursor:
                    return await cursor.fetchone()

        row = await self._checked(upsert)
        assert row is not None
        return int(row[0])

    async def alias_candidate(self, candidate_id: int) -> AliasCandidate | None:
        rows = await self._read(
            "SELECT id, entry_id, alias, created_at, status FROM alias_candidates WHERE id = ?",
            (candidate_id,),
        )
        return AliasCandidate(*rows[0]) if rows else None

    async def set_alias_status(self, candidate_id: int, status: str) -> None:
        await self._write_one(
            "UPDATE alias_candidates SET status = ? WHERE id = ?", (status, candidate_id)
        )

    # --- FAQ change history ----------------------------------------------------------------

    async def record_change(
        self,
        *,
        moderator: str,
        action: str,
        entry_id: str,
        files: Sequence[tuple[str, str | None, str]],
        undoes: int | None = None,
    ) -> int:
        """Keep a saved change (committed before it returns); its row id."""
        encoded = json.dumps([list(f) for f in files], ensure_ascii=False)
        written = await self._write_one(
            "INSERT INTO faq_changes (changed_at, moderator, action, entry_id, files,"
            " undoes) VALUES (?, ?, ?, ?, ?, ?)",
            (self._clock(), moderator, action, entry_id, encoded, undoes),
        )
        return written.new_row_id

    async def changes(
        self, *, entry_id: str | None = None, limit: int = 10
    ) -> list[FaqChangeRecord]:
        """The latest changes first (of one entry, when given)."""
        where, args = ("WHERE entry_id = ?", (entry_id, limit)) if entry_id else ("", (limit,))
        rows = await self._read(
            "SELECT id, changed_at, moderator, action, entry_id, files, undoes"
            f" FROM faq_changes {where} ORDER BY id DESC LIMIT ?",
            args,
        )
        return [_change_record(r) for r in rows]

    async def change(self, change_id: int) -> FaqChangeRecord | None:
        rows = await self._read(
            "SELECT id, changed_at, moderator, action, entry_id, files, undoes"
            " FROM faq_changes WHERE id = ?",
            (change_id,),
        )
        return _change_record(rows[0]) if rows else None

    # --- hand-offs -------------------------------------------------------------------------

    async def _in_transaction(self, work: Callable[[], Awaitable[Result]]) -> Result:
        """`work` in one write transaction (BEGIN IMMEDIATE ... COMMIT, rolled back on error)."""

        async def run() -> Result:
            async with self._write:
                await self._db.execute("BEGIN IMMEDIATE")
                try:
                    result = await work()
                    await self._db.execute("COMMIT")
                except BaseException:
                    if self._db.in_transaction:
                        await self._db.execute("ROLLBACK")
                    raise
                return result

        return await self._checked(run)

    async def open_handoff(
        self,
        *,
        question: str,
        context: str,
        user_id: int,
        guild_id: int | None,
        channel_id: int | None,
        candidates: Sequence[str],
        max_open_per_user: int,
        language: str = "en",
    ) -> Opened:
        """Hand `question` to the moderators for this delegate, who reads the outcome in
        `language`: merged into the open hand-off with the same question if there is one,
        refused past `max_open_per_user` open hand-offs of theirs. The user id is kept until
        the answer is delivered."""
        person = self.person(user_id)
        assert person is not None
        key = question_key(question)
        now = self._clock()
        guild, channel = _int_or_none(guild_id), _int_or_none(channel_id)

        async def work() -> tuple[OpenResult, int | None]:
            [(waiting,)] = await self._fetch(
                "SELECT COUNT(*) FROM handoff_askers a JOIN handoffs h ON h.id = a.handoff_id"
                " WHERE a.person = ? AND h.status = 'open'",
                (person,),
            )
            existing = await self._fetch(
                "SELECT id FROM handoffs WHERE question_key = ? AND status = 'open'", (key,)
            )
            if existing:
                handoff_id = int(existing[0][0])
                mine = await self._fetch(
                    "SELECT 1 FROM handoff_askers WHERE handoff_id = ? AND person = ?",
                    (handoff_id, person),
                )
                if mine:
                    return OpenResult.ALREADY_ASKED, handoff_id
                if waiting >= max_open_per_user:
                    return OpenResult.TOO_MANY, None
                result = OpenResult.MERGED
            else:
                if waiting >= max_open_per_user:
                    return OpenResult.TOO_MANY, None
                cursor = await self._db.execute(
                    "INSERT INTO handoffs (question_key, question, context, guild_id,"
                    " channel_id, opened_at, candidates) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        key,
                        question.strip()[:MAX_QUESTION_STORED],
                        context.strip()[:MAX_QUESTION_STORED],
                        guild,
                        channel,
                        now,
                        json.dumps(list(candidates)[:MAX_CANDIDATES_KEPT]),
                    ),
                )
                assert cursor.lastrowid is not None
                handoff_id = cursor.lastrowid
                await cursor.close()
                result = OpenResult.OPENED
            await self._db.execute(
                "INSERT INTO handoff_askers (handoff_id, person, user_id, guild_id, channel_id,"
                " asked_at, language) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (handoff_id, person, user_id, guild, channel, now, language),
            )
            return result, handoff_id

        result, handoff_id = await self._in_transaction(work)
        handoff = await self.handoff(handoff_id) if handoff_id is not None else None
        return Opened(result, handoff)

    async def set_handoff_card(
        self, handoff_id: int, *, channel_id: int, message_id: int, thread_id: int | None
    ) -> None:
        """Where the hand-off's card (and its thread) is, so it can be updated later."""
        await self._write_one(
            "UPDATE handoffs SET card_channel_id = ?, card_message_id = ?, thread_id = ?"
            " WHERE id = ?",
            (channel_id, message_id, thread_id, handoff_id),
        )

    async def handoff(self, handoff_id: int) -> Handoff | None:
        found = await self._handoffs("WHERE id = ?", (handoff_id,))
        return found[0] if found else None

    async def open_handoffs(self, *, limit: int = 1000) -> list[Handoff]:
        """Open hand-offs, oldest first."""
        return await self._handoffs(
            "WHERE status = 'open' ORDER BY opened_at, id LIMIT ?", (limit,)
        )

    async def open_handoff_count(self) -> int:
        [(count,)] = await self._read("SELECT COUNT(*) FROM handoffs WHERE status = 'open'")
        return int(count)

    async def answered_handoffs(self, *, days: float, limit: int = 10_000) -> list[Handoff]:
        """Hand-offs answered in the last `days` days, oldest first."""
        since = self._clock() - days * DAY
        return await self._handoffs(
            "WHERE status = 'answered' AND answered_at >= ? ORDER BY answered_at, id LIMIT ?",
            (since, limit),
        )

    async def handoffs_to_remind(self, *, opened_before: float) -> list[Handoff]:
        """Open hand-offs opened before `opened_before` that were not reminded yet."""
        return await self._handoffs(
            "WHERE status = 'open' AND reminded_at IS NULL AND opened_at < ?"
            " ORDER BY opened_at, id",
            (opened_before,),
        )

    async def mark_reminded(self, handoff_id: int) -> None:
        await self._write_one(
            "UPDATE handoffs SET reminded_at = ? WHERE id = ?", (self._clock(), handoff_id)
        )

    async def finish_handoff(
        self,
        handoff_id: int,
        *,
        status: HandoffStatus,
        moderator: str,
        answer: str = "",
        entry_id: str | None = None,
        reason: str = "",
    ) -> Handoff | None:
        """Answer or close an open hand-off; None when it was not open any more (another
        moderator was quicker, or it expired), so each hand-off is answered once."""
        written = await self._write_one(
            "UPDATE handoffs SET status = ?, answered_at = ?, moderator = ?, answer = ?,"
            " entry_id = ?, reason = ? WHERE id = ? AND status = 'open'",
            (
                status.value,
                self._clock(),
                moderator,
                answer.strip(),
                entry_id,
                reason.strip(),
                handoff_id,
            ),
        )
        if not written.changed:
            return None
        return await self.handoff(handoff_id)

    async def record_delivery(self, handoff_id: int, person: str, delivery: Delivery) -> None:
        """How the asker got the answer; their user id is erased (the hash stays)."""
        await self._write_one(
            "UPDATE handoff_askers SET delivery = ?, user_id = NULL"
            " WHERE handoff_id = ? AND person = ?",
            (delivery.value, handoff_id, person),
        )

    async def handoff_median_seconds(self, *, days: float) -> float | None:
        """Median time from opening to answer of the hand-offs answered in the last `days`."""
        answered = await self.answered_handoffs(days=days)
        return median_seconds(t for h in answered if (t := h.seconds_to_answer) is not None)

    async def _handoffs(self, where: str, args: Sequence[Any]) -> list[Handoff]:
        async def read() -> tuple[list[Any], list[Any]]:
            rows = await self._fetch(
                "SELECT id, question, context, guild_id, channel_id, opened_at, status,"
                " candidates, card_channel_id, card_message_id, thread_id, reminded_at,"
                " answered_at, moderator, answer, entry_id, reason FROM handoffs " + where,
                args,
            )
            ids = [r[0] for r in rows]
            askers = (
                await self._fetch(
                    "SELECT handoff_id, person, user_id, guild_id, channel_id, asked_at, delivery,"
                    " language FROM handoff_askers"
                    f" WHERE handoff_id IN ({','.join('?' * len(ids))}) ORDER BY asked_at",
                    ids,
                )
                if ids
                else []
            )
            return rows, askers

        rows, asker_rows = await self._checked(read)
        by_handoff: dict[int, list[Asker]] = {}
        for a in asker_rows:
            by_handoff.setdefault(a[0], []).append(
                Asker(
                    person=a[1],
                    user_id=a[2],
                    guild_id=a[3],
                    channel_id=a[4],
                    asked_at=a[5],
                    delivery=Delivery(a[6]),
                    language=a[7],
                )
            )
        return [
            Handoff(
                id=r[0],
                question=r[1],
                context=r[2],
                guild_id=r[3],
                channel_id=r[4],
                opened_at=r[5],
                status=HandoffStatus(r[6]),
                candidates=tuple(str(c) for c in json.loads(r[7] or "[]")),
                card_channel_id=r[8],
                card_message_id=r[9],
                thread_id=r[10],
                reminded_at=r[11],
                answered_at=r[12],
                moderator=r[13],
                answer=r[14],
                entry_id=r[15],
                reason=r[16],
                askers=tuple(by_handoff.get(r[0], ())),
            )
            for r in rows
        ]

    # --- housekeeping ----------------------------------------------------------------------

    async def purge(self, days: float) -> PurgeResult:
        """Delete every row older than `days` days."""
        cutoff = self._clock() - days * DAY

        async def delete() -> list[int]:
            counts = []
            for sql in (
                "DELETE FROM questions WHERE asked_at < ?",
                "DELETE FROM votes WHERE voted_at < ?",
                "DELETE FROM alias_candidates WHERE created_at < ?",
                "DELETE FROM handoffs WHERE opened_at < ?",
            ):
                cursor = await self._db.execute(sql, (cutoff,))
                counts.append(cursor.rowcount)
                await cursor.close()
            return counts

        result = PurgeResult(*await self._in_transaction(delete))
        if result.total:
            log.info(
                "retention: deleted %d question(s), %d vote(s), %d alias candidate(s), "
                "%d hand-off(s) older than %g days",
                result.questions,
                result.votes,
                result.alias_candidates,
                result.handoffs,
                days,
            )
        return result

    def start_retention(self, days: float, *, every: float = DAY) -> None:
        """Purge rows older than `days` now and then every `every` seconds, in the background."""
        if self._retention is not None and not self._retention.done():
            return
        self._retention = asyncio.get_running_loop().create_task(
            self._retain(days, every), name="store-retention"
        )

    async def stop_retention(self) -> None:
        task, self._retention = self._retention, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _retain(self, days: float, every: float) -> None:
        while True:
            try:
                await self.purge(days)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # expected causes (disk full, read-only) need no traceback
                log.error("retention purge failed (%s); trying again later", storage_problem(exc))
            await asyncio.sleep(every)

    async def stats(self) -> StoreStats:
        await self.flush(timeout=FLUSH_BEFORE_READ_TIMEOUT)
        [row] = await self._read(
            "SELECT (SELECT COUNT(*) FROM questions), (SELECT COUNT(*) FROM votes)"
        )
        return StoreStats(questions=row[0], votes=row[1], schema_version=SCHEMA_VERSION)

    async def integrity_check(self) -> str:
        rows = await self._read("PRAGMA integrity_check")
        return str(rows[0][0]) if rows else "no result"


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at `path`, None when there is none."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_dev, info.st_ino


def _companions(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]


def _move_aside(path: Path) -> Path:
    """Rename a corrupt database (and its WAL) to `<name>.corrupt-<UTC time>`; keep it."""
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}{CORRUPT_MARK}{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}{CORRUPT_MARK}{stamp}-{n}")
    os.replace(path, target)
    for companion in _companions(path):
        suffix = companion.name[len(path.name) :]
        if suffix == "-wal" and companion.exists():
            os.replace(companion, target.with_name(target.name + suffix))
        else:
            companion.unlink(missing_ok=True)
    return target


def _corrupt_notice(path: Path, error: BaseException, moved: Path) -> StoreNotice:
    return StoreNotice(
        StoreIncident.CORRUPT,
        f"the question database {path.name} is corrupt ({error}): moved aside to {moved.name} "
        "(kept for inspection) and a new one was created; misses are recorded there from now on",
        moved_to=moved,
    )


async def _connect(path: Path) -> tuple[aiosqlite.Connection, StoreNotice | None]:
    """A connection to a usable database at `path`, plus the notice when a corrupt file had to be
    moved aside first."""
    db = await aiosqlite.connect(path, isolation_level=None, timeout=10.0)
    try:
        await _prepare(db, path)
        return db, None
    except _CorruptDatabaseError as exc:
        await db.close()
        moved = _move_aside(path)
        notice = _corrupt_notice(path, exc.__cause__ or exc, moved)
    except BaseException:
        await db.close()
        raise
    db = await aiosqlite.connect(path, isolation_level=None, timeout=10.0)
    try:
        await _prepare(db, path)
    except BaseException:
        await db.close()
        raise
    return db, notice


async def _prepare(db: aiosqlite.Connection, path: Path) -> None:
    """WAL mode (commits survive a crash of the process), then every migration not applied
    yet, each in one step."""
    try:
        await db.execute("PRAGMA busy_timeout = 10000")
        async with db.execute("PRAGMA journal_mode = WAL") as cursor:
            mode = await cursor.fetchone()
        if not mode or str(mode[0]).lower() != "wal":
            log.warning("%s: WAL mode unavailable (journal_mode=%s)", path, mode)
        await db.execute("PRAGMA synchronous = NORMAL")
        await db.execute("PRAGMA foreign_keys = ON")
        async with db.execute("PRAGMA quick_check(1)") as cursor:  # malformed pages, at once
            verdict = await cursor.fetchone()
        if not verdict or str(verdict[0]) != "ok":
            raise sqlite3.DatabaseError(f"quick_check: {verdict[0] if verdict else 'no result'}")
        await migrate(db, MIGRATIONS, path)
    except aiosqlite.DatabaseError as exc:
        if is_corrupt(exc) or str(exc).startswith("quick_check:"):
            raise _CorruptDatabaseError(f"{path}: {exc}") from exc
        raise StoreError(f"{path}: cannot use the database: {storage_problem(exc)}") from exc


async def user_version(db: aiosqlite.Connection) -> int:
    async with db.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(
    db: aiosqlite.Connection, migrations: Sequence[Sequence[str]], path: Path
) -> None:
    """Apply the missing migrations in order, each with its version bump in one transaction."""
    known = len(migrations)
    for version, statements in enumerate(migrations, start=1):
        await db.execute("BEGIN IMMEDIATE")
        try:
            current = await user_version(db)
            if current > known:
                raise StoreError(
                    f"{path}: schema version {current} is newer than this bot knows ({known});"
                    " run the newer bot or restore a backup"
                )
            if current >= version:
                await db.execute("ROLLBACK")
                continue
            for statement in statements:
                await db.execute(statement)
            await db.execute(f"PRAGMA user_version = {version:d}")
            await db.execute("COMMIT")
            log.info("%s: schema migrated to version %d", path, version)
        except BaseException:
            if db.in_transaction:
                await db.execute("ROLLBACK")
            raise


def _text(value: object) -> str:
    """An enum's value or a plain string ("suggested" for Outcome.SUGGESTED)."""
    return str(getattr(value, "value", value) or "")


def _int_or_none(value: object) -> int | None:
    if isinstance(value, int):
        return value
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None


def _candidate(value: object) -> tuple[str, float] | None:
    """(entry id, score) from a `Candidate`, an (id, score) pair, a mapping or a bare id."""
    entry = getattr(value, "entry", None)
    if entry is not None:
        return str(entry.id), round(float(getattr(value, "score", 0.0)), 4)
    if isinstance(value, str):
        return value, 0.0
    if isinstance(value, dict):
        entry_id = value.get("id") or value.get("entry_id")
        return (str(entry_id), round(float(value.get("score", 0.0)), 4)) if entry_id else None
    if isinstance(value, tuple | list) and len(value) == 2:
        return str(value[0]), round(float(value[1]), 4)
    entry_id = getattr(value, "entry_id", None) or getattr(value, "id", None)
    if entry_id is not None:
        return str(entry_id), round(float(getattr(value, "score", 0.0)), 4)
    return None


def _parse_candidates(raw: str) -> tuple[tuple[str, float], ...]:
    try:
        items = json.loads(raw)
        return tuple((str(i), float(s)) for i, s in items)
    except (ValueError, TypeError):
        return ()


def _change_record(row: Sequence[Any]) -> FaqChangeRecord:
    files = tuple((str(f[0]), f[1], str(f[2])) for f in json.loads(row[5]))
    return FaqChangeRecord(
        int(row[0]), float(row[1]), str(row[2]), str(row[3]), str(row[4]), files, row[6]
    )
