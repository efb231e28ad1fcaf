"""Misses grouped the way a moderator reads them, and exported as FAQ stubs to complete."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.engine.loader import validate_faq_dir
from bot.engine.schema import TopicFileSchema
from bot.services.misses import (
    MIN_ALIAS_ASKERS,
    TODO_SOURCE,
    alias_offer,
    alias_text,
    closest_entry,
    export_stubs,
    group_misses,
    similarity,
    topic_slug,
)
from bot.services.store import DAY, Miss, Store
from bot.settings import SHIPPED_FAQ_DIR

NOW = 1_726_000_000.0


def miss(question: str, *, asker: str | None = "a", at: float = NOW, top: str = "x") -> Miss:
    return Miss(
        id=0,
        question=question,
        asked_at=at,
        outcome="declined",
        guild_id=None,
        channel_id=None,
        candidates=((top, 0.3),),
        asker=asker,
        faq_version="v",
        source="slash",
    )


def test_near_duplicates_are_grouped_with_counts_and_people():
    misses = [
        miss("Where can I park?", asker="a"),
        miss("where can i park", asker="b"),
        miss("Where can I park my car?", asker="a"),
        miss("where can I prak", asker="c"),  # a typo
        miss("Is there wifi?", asker="a"),
        miss("is there wifi", asker="a"),
        miss("When is lunch?"),
        miss("Where is lunch?"),
    ]
    groups = group_misses(misses)
    assert [(g.count, g.askers) for g in groups][:2] == [(4, 3), (2, 1)]
    park = groups[0]
    assert park.question.lower().startswith("where can i park")
    assert len(park.variants) == 2  # "...my car?" and the typo; case and "?" fold together
    questions = [g.question for g in groups]
    assert "When is lunch?" in questions and "Where is lunch?" in questions  # not the same


def test_the_most_frequent_wording_leads_the_group():
    groups = group_misses(
        [miss("where do i register for the meeting")]
        + [miss("how do i register for the meeting", at=NOW + i) for i in range(3)]
    )
    assert len(groups) == 1
    assert groups[0].question == "how do i register for the meeting"
    assert groups[0].variants == ("where do i register for the meeting",)
    assert groups[0].first_at == NOW and groups[0].last_at == NOW + 2


def test_similarity_is_symmetric_and_bounded():
    a, b = ("park", "where"), ("car", "park", "where")
    assert similarity(a, b) == similarity(b, a) == pytest.approx(0.8)
    assert similarity((), ()) == 1.0
    assert similarity(("lunch",), ()) == 0.0
    assert similarity(("lunch", "when"), ("lunch", "where")) < 0.75


def test_empty_and_punctuation_only_questions_are_skipped():
    assert group_misses([miss("???"), miss("   ")]) == []


def test_closest_entry_is_the_engines_first_choice(index):
    (group,) = group_misses([miss("which room is the msp in")])
    closest = closest_entry(index, group)
    assert closest is not None
    assert closest.entry.id == index.rank("which room is the msp in", 1)[0].entry.id


def _asked_by(question: str, people: int) -> list[Miss]:
    return [miss(question, asker=f"person-{n}") for n in range(people)]


def test_alias_is_offered_for_a_close_question_several_people_asked(index):
    (group,) = group_misses(_asked_by("wen is the meetng", MIN_ALIAS_ASKERS))
    offer = alias_offer(index, group)
    assert offer is not None and offer.entry.id == "meeting-dates"


def test_alias_is_not_offered_for_a_question_only_one_person_asked(index):
    (group,) = group_misses(_asked_by("wen is the meetng", 1) * 5)
    assert group.count == 5 and group.askers == 1
    assert alias_offer(index, group) is None


@pytest.mark.parametrize(
    "spam",
    [
        "…” — official notice: the meeting is cancelled “",
        "free nitro for all states parties claim here discord.gg/n1tro",
        "the meeting of states parties has been moved, new registration link in my bio",
        "crypto airdrop for convention on cluster munitions supporters",
    ],
)
def test_alias_is_never_offered_for_spam_even_from_many_accounts(index, spam):
    (group,) = group_misses(_asked_by(spam, 10))
    assert alias_offer(index, group) is None


def test_alias_text_is_one_clean_line_within_limits():
    assert alias_text("  where   can\nI park  ") == "where can I park"
    assert len(alias_text("x" * 500)) == 200
    assert topic_slug("New questions") == "new-questions"
    assert topic_slug("!!!") == "unanswered"


def test_exported_stubs_are_a_topic_file_that_only_lacks_real_quotes(tmp_path, index):
    groups = group_misses(
        [
            miss("Where can I park?"),
            miss("where can i park my car"),
            miss("Is there wifi at the venue?"),
            miss('Is there a "quiet room" for prayer: yes/no?'),
            miss("Y a-t-il une navette depuis l'aéroport ?"),
        ]
    )
    text = export_stubs(groups, topic="unanswered", index=index, days=7)
    assert text.startswith("# unanswered.yaml")
    assert "# Asked 2 time(s)" in text
    data = yaml.safe_load(text)
    parsed = TopicFileSchema.model_validate(data)
    assert parsed.topic == "unanswered"
    assert len(parsed.entries) == 4
    assert len({e.id for e in parsed.entries}) == 4
    assert all(e.id.startswith("todo-") for e in parsed.entries)
    park = next(e for e in parsed.entries if "park" in e.question.lower())
    assert park.aliases == ["where can i park my car"]
    assert any(e.question == 'Is there a "quiet room" for prayer: yes/no?' for e in parsed.entries)

    # Dropped into a copy of the FAQ, the only errors are the TODO quotes to replace.
    faq = tmp_path / "faq"
    shutil.copytree(SHIPPED_FAQ_DIR, faq)
    (faq / "unanswered.yaml").write_text(text, encoding="utf-8")
    report = validate_faq_dir(faq)
    assert report.errors
    assert all("source quote not found" in str(p) for p in report.errors), report.errors
    assert all(TODO_SOURCE[:40] in str(p) for p in report.errors)


def test_cli_export_writes_the_stubs_of_the_last_days(tmp_path, capsys):
    import asyncio

    data = tmp_path / "data"

    async def record() -> None:
        store = await Store.open(data)
        now = time.time()
        for question in ("Where can I park?", "where can i park", "Is there wifi?"):
            await store.record_miss(question=question, outcome="declined", at=now - 3600)
        await store.record_miss(question="an old question", outcome="declined", at=now - 9 * DAY)
        await store.close()

    asyncio.run(record())
    out = tmp_path / "New Questions.yaml"
    faq = ["--faq", str(SHIPPED_FAQ_DIR)]
    code = main(["misses", "--export", str(out), "--days", "7", "--data-dir", str(data), *faq])
    assert code == 0
    assert "Wrote 2 stub(s)" in capsys.readouterr().out
    parsed = TopicFileSchema.model_validate(yaml.safe_load(out.read_text(encoding="utf-8")))
    assert parsed.topic == "new-questions"
    assert [e.question for e in parsed.entries] == ["where can i park", "Is there wifi?"]

    assert main(["misses", "--days", "30", "--data-dir", str(data)]) == 0
    listing = capsys.readouterr().out
    assert "4 unanswered question(s) in the last 30 day(s), 3 group(s)" in listing
    assert "2x" in listing and "an old question" in listing


def test_cli_without_a_database_says_so(tmp_path, capsys):
    assert main(["misses", "--data-dir", str(tmp_path / "nothing")]) == 0
    assert "recorded nothing yet" in capsys.readouterr().out
    assert not (tmp_path / "nothing").exists()


def test_export_with_nothing_recorded_writes_nothing(tmp_path, capsys):
    import asyncio

    async def create() -> None:
        await (await Store.open(tmp_path)).close()

    asyncio.run(create())
    target = tmp_path / "stubs.yaml"
    assert main(["misses", "--export", str(target), "--data-dir", str(tmp_path)]) == 0
    assert not target.exists()
    assert "nothing written" in capsys.readouterr().out


def test_export_to_stdout(tmp_path, capsys):
    import asyncio

    async def record() -> None:
        store = await Store.open(tmp_path)
        await store.record_miss(question="is there a cloakroom", outcome="suggested")
        await store.close()

    asyncio.run(record())
    assert main(["misses", "--export", "-", "--data-dir", str(tmp_path)]) == 0
    data = yaml.safe_load(capsys.readouterr().out)
    assert data["entries"][0]["question"] == "is there a cloakroom"


def test_paths_do_not_depend_on_the_working_directory(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "elsewhere"))
    assert main(["misses"]) == 0
    assert str(tmp_path / "elsewhere") in capsys.readouterr().out
    assert Path.cwd() == tmp_path
    assert sorted(p.name for p in tmp_path.iterdir()) == []
