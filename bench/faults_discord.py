"""Fault measurements through the fake Discord (issue 12): the real bot, killed -9 in the middle
of a burst of questions it cannot answer, and how many answered misses the database kept.

    python bench/faults_discord.py [--rate 400] [--seconds 3] [--rounds 3] [--root TREE]

`--root` runs the bot (and the fake) of another checkout, e.g. `git archive` of an older commit,
to measure "before". Not a test: it reports.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sqlite3
import sys
import tempfile
from pathlib import Path

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--rate", type=float, default=400.0, help="questions per second")
parser.add_argument("--seconds", type=float, default=3.0, help="how long the burst lasts")
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
ARGS = parser.parse_args()
sys.path.insert(0, str(ARGS.root.resolve()))

from tests.fakediscord import FakeDiscord, default_world, make_user  # noqa: E402
from tests.fakediscord.process import launch_bot  # noqa: E402

MISSES = (  # questions the FAQ declines: every answer to one is a miss to record
    "what is the weather in paris",
    "is there wifi",
    "what about pizza",
    "shuttle bus to the zoo",
    "xyzzy",
    "where do I sleep",
)
DECLINE = "couldn't find an answer"
USERS = 400


def rows(database: Path) -> int:
    if not database.exists():
        return 0
    with contextlib.closing(sqlite3.connect(database)) as db:
        return int(db.execute("SELECT count(*) FROM questions").fetchone()[0])


async def one_round(workdir: Path) -> tuple[int, int]:
    """(misses answered before the kill, rows kept after it)."""
    world = default_world()
    fake = FakeDiscord(world=world, default_timeout=30.0)
    await fake.start()
    people = [make_user(f"burst{i}") for i in range(USERS)]
    try:
        bot = await launch_bot(fake, workdir, env={"COOLDOWN_RATE": "1000"}, ready_timeout=60)
        first = await fake.slash("ask", {"question": "where is the meeting"}, user="alice")
        await first.callback(timeout=30)
        await asyncio.sleep(2.5)
        before = rows(workdir / "data" / "faqbot.sqlite3")
        handles = []
        total = round(ARGS.rate * ARGS.seconds)
        loop = asyncio.get_running_loop()
        start = loop.time()
        for n in range(total):
            delay = start + n / ARGS.rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            handles.append(
                await fake.slash(
                    "ask",
                    {"question": MISSES[n % len(MISSES)]},
                    user=people[n % USERS],
                    barrier=False,
                )
            )
        bot.popen.send_signal(signal.SIGKILL)  # mid-burst: the last ones are still arriving
        await asyncio.to_thread(bot.popen.wait)
        answered = 0
        for handle in handles:
            record = handle.interaction.callback
            if record is not None and record.message is not None:
                answered += DECLINE in record.message.content
        kept = rows(workdir / "data" / "faqbot.sqlite3") - before
        return answered, kept
    finally:
        await fake.stop()


async def main() -> None:
    results = []
    for n in range(ARGS.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            results.append(await one_round(Path(tmp) / f"round{n}"))
    lost = [max(a - k, 0) for a, k in results]
    print(
        f"kill -9 after {ARGS.seconds:g} s at {ARGS.rate:g}/s ({ARGS.root.name}): "
        + ", ".join(f"answered {a} kept {k}" for a, k in results)
        + f" | lost per round: {lost}"
    )


asyncio.run(main())
