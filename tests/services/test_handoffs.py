"""Hand-offs in the store: merged by question, limited per delegate, answered once, the user
id erased at delivery, expired with RETENTION_DAYS; and the FAQ drafts they export."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import aiosqlite
import pytest

from bot.engine.loader import validate_faq_dir
from bot.services.handoffs import Delivery, HandoffStatus, OpenResult, export_drafts
from bot.services.store import DAY, DB_FILE, MIGRATIONS, Store, migrate
from bot.settings import SHIPPED_FAQ_DIR

USER = 412345678901234567
OTHER_USER = 512345678901234567
GUILD = 612345678901234567
CHANNEL = 812345678901234567


class Clock:
    def __init__(self, now: float = 1_726_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def store(tmp_path: Path, clock: Clock):
    opened = await Store.open(tmp_path, clock=clock)
    yield opened
    await opened.close()


async def ask(store: Store, question: str, user: int = USER, limit: int = 3, language: str = "en"):
    return await store.open_handoff(
        question=question,
        context="",
        user_id=user,
        guild_id=GUILD,
        channel_id=CHANNEL,
        candidates=["meeting-venue"],
        max_open_per_user=limit,
        language=language,
    )


async def test_identical_questions_share_one_handoff_with_every_asker(store: Store) -> None:
    first = await ask(store, "Is there a cafeteria?")
    second = await ask(store, "is there a  CAFETERIA", user=OTHER_USER)
    again = await ask(store, "Is there a cafeteria?")
    assert first.result is OpenResult.OPENED and second.result is OpenResult.MERGED
    assert again.result is OpenResult.ALREADY_ASKED
    assert first.handoff is not None and second.handoff is not None
    assert second.handoff.id == first.handoff.id
    assert {a.user_id for a in second.handoff.askers} == {USER, OTHER_USER}
    assert [h.id for h in await store.open_handoffs()] == [first.handoff.id]
    assert await store.open_handoff_count() == 1


async def test_each_asker_keeps_the_language_they_read_the_answer_in(
    store: Store, tmp_path: Path
) -> None:
    await ask(store, "Y a-t-il une cafétéria ?", language="fr")
    merged = await ask(store, "y a t il une cafeteria", user=OTHER_USER)
    assert merged.handoff is not None
    assert {a.user_id: a.language for a in merged.handoff.askers} == {USER: "fr", OTHER_USER: "en"}
    await store.close()
    reopened = await Store.open(tmp_path)
    try:
        [handoff] = await reopened.open_handoffs()
        assert sorted(a.language for a in handoff.askers) == ["en", "fr"]
    finally:
        await reopened.close()


async def test_a_handoff_from_before_languages_reads_english(tmp_path: Path) -> None:
    path = tmp_path / DB_FILE
    async with aiosqlite.connect(path, isolation_level=None) as db:
        await migrate(db, MIGRATIONS[:4], path)  # the schema before languages were kept
        await db.execute(
            "INSERT INTO handoffs (id, question_key, question, opened_at) VALUES (7, 'k', 'q?', 1)"
        )
        await db.execute(
            "INSERT INTO handoff_askers (handoff_id, person, user_id, asked_at)"
            " VALUES (7, 'someone', ?, 1)",
            (USER,),
        )
    store = await Store.open(tmp_path)
    try:
        handoff = await store.handoff(7)
        assert handoff is not None
        assert [(a.user_id, a.language) for a in handoff.askers] == [(USER, "en")]
    finally:
        await store.close()


async def test_a_delegate_may_have_only_so_many_open(store: Store) -> None:
    assert (await ask(store, "first question", limit=2)).result is OpenResult.OPENED
    assert (await ask(store, "second question", limit=2)).result is OpenResult.OPENED
    refused = await ask(store, "third question", limit=2)
    assert refused.result is OpenResult.TOO_MANY and refused.handoff is None
    assert (await ask(store, "third question", user=OTHER_USER, limit=2)).result is (
        OpenResult.OPENED
    )


async def test_answered_once_then_the_user_id_is_erased(
    store: Store, tmp_path: Path, clock: Clock
) -> None:
    opened = await ask(store, "Is there a cafeteria?")
    assert opened.handoff is not None
    clock.now += 600
    answered = await store.finish_handoff(
        opened.handoff.id, status=HandoffStatus.ANSWERED, moderator="Alice", answer="Yes."
    )
    assert answered is not None and answered.seconds_to_answer == 600
    assert (
        await store.finish_handoff(
            opened.handoff.id, status=HandoffStatus.CLOSED, moderator="Bob", reason="late"
        )
        is None
    )
    [asker] = answered.askers
    await store.record_delivery(answered.id, asker.person, Delivery.DM)
    await store.flush()
    with sqlite3.connect(tmp_path / DB_FILE) as db:
        rows = db.execute("SELECT user_id, person, delivery FROM handoff_askers").fetchall()
    assert rows == [(None, asker.person, "dm")]
    assert str(USER) not in repr(rows)
    assert await store.handoff_median_seconds(days=1) == 600
    # A closed question is open again for a new hand-off.
    assert (await ask(store, "Is there a cafeteria?")).result is OpenResult.OPENED


async def test_reminders_once_and_expiry_with_retention(store: Store, clock: Clock) -> None:
    opened = await ask(store, "Is there a cafeteria?")
    assert opened.handoff is not None
    assert await store.handoffs_to_remind(opened_before=clock.now) == []
    clock.now += 3600
    [due] = await store.handoffs_to_remind(opened_before=clock.now - 1800)
    await store.mark_reminded(due.id)
    assert await store.handoffs_to_remind(opened_before=clock.now) == []
    clock.now += 91 * DAY
    result = await store.purge(90)
    assert result.handoffs == 1
    assert await store.handoff(opened.handoff.id) is None


async def test_exported_drafts_validate_with_a_moderator_statement(
    store: Store, tmp_path: Path
) -> None:
    opened = await ask(store, "Is there a cafeteria at the venue?")
    assert opened.handoff is not None
    await store.finish_handoff(
        opened.handoff.id,
        status=HandoffStatus.ANSWERED,
        moderator="Alice Martin",
        answer='Yes: the "Serpentine" bar on the ground floor.',
    )
    answered = await store.answered_handoffs(days=1)
    faq = tmp_path / "faq"
    faq.mkdir()
    for name in ("sources", "sources.yaml"):
        source = SHIPPED_FAQ_DIR / name
        target = faq / name
        if source.is_dir():
            target.mkdir()
            for file in source.iterdir():
                (target / file.name).write_bytes(file.read_bytes())
        else:
            target.write_bytes(source.read_bytes())
    (faq / "organisers.yaml").write_text(export_drafts(answered), encoding="utf-8")
    report = validate_faq_dir(faq)
    assert report.errors == (), report.errors
    assert report.faq is not None
    [entry] = report.faq.entries
    assert entry.question == "Is there a cafeteria at the venue?"
    assert entry.cited_statement is not None and entry.cited_statement.moderator == "Alice Martin"


def test_faqbot_handoffs_lists_open_oldest_first_and_exports_answered(tmp_path: Path) -> None:
    import asyncio
    import io

    from bot.cli import cmd_handoffs

    async def fill() -> None:
        clock = Clock()
        store = await Store.open(tmp_path, clock=clock)
        try:
            first = await ask(store, "Is there a cafeteria?")
            clock.now += 60
            await ask(store, "Where do I \x1b[31mcollect my badge?")
            clock.now += 60
            answered = await ask(store, "Is there wifi?", user=OTHER_USER)
            assert first.handoff is not None and answered.handoff is not None
            clock.now += 3600
            await store.finish_handoff(
                answered.handoff.id,
                status=HandoffStatus.ANSWERED,
                moderator="Bob",
                answer="Yes, UNOG-Guest.",
            )
        finally:
            await store.close()

    asyncio.run(fill())
    out = io.StringIO()
    assert cmd_handoffs(data_dir=tmp_path, out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("2 open hand-off(s), oldest first; 1 answered")
    assert "cafeteria" in lines[1] and "badge" in lines[2] and "\x1b" not in out.getvalue()
    target = tmp_path / "organisers.yaml"
    assert cmd_handoffs(data_dir=tmp_path, export=target, out=io.StringIO()) == 0
    text = target.read_text(encoding="utf-8")
    assert 'question: "Is there wifi?"' in text and 'moderator: "Bob"' in text
