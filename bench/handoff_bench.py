"""Hand-offs in the store at scale: how long opening (or merging) a hand-off, listing the open
ones (`/faq-admin handoffs`), finding the ones due a reminder and answering one take with
many open hand-offs and askers, and the size of the database.

    python bench/handoff_bench.py [--open 2000] [--askers 3]

A real meeting sees tens of hand-offs; the default is a hundred times that, so a slow query
(a missing index, a scan per asker) shows.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.services.handoffs import HandoffStatus  # noqa: E402
from bot.services.store import DB_FILE, Store  # noqa: E402

GUILD = 612345678901234567
CHANNEL = 812345678901234567


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"


async def run(open_count: int, askers: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = await Store.open(Path(tmp))
        try:
            opening: list[float] = []
            merging: list[float] = []
            ids: list[int] = []
            for n in range(open_count):
                for a in range(askers):
                    started = time.perf_counter()
                    opened = await store.open_handoff(
                        question=f"Question number {n} about the venue?",
                        context="",
                        user_id=10**17 + n * askers + a,
                        guild_id=GUILD,
                        channel_id=CHANNEL,
                        candidates=["meeting-venue", "meeting-dates"],
                        max_open_per_user=3,
                    )
                    (opening if a == 0 else merging).append(time.perf_counter() - started)
                    if a == 0 and opened.handoff is not None:
                        ids.append(opened.handoff.id)
            started = time.perf_counter()
            waiting = await store.open_handoffs()
            listing = time.perf_counter() - started
            started = time.perf_counter()
            due = await store.handoffs_to_remind(opened_before=time.time() + 1)
            reminders = time.perf_counter() - started
            answering: list[float] = []
            for handoff_id in ids[:200]:
                started = time.perf_counter()
                await store.finish_handoff(
                    handoff_id, status=HandoffStatus.ANSWERED, moderator="Bob", answer="Yes."
                )
                answering.append(time.perf_counter() - started)
            size = sum(p.stat().st_size for p in Path(tmp).glob(DB_FILE + "*"))
        finally:
            await store.close()
    print(f"hand-offs: {open_count} open, {askers} asker(s) each")
    print(f"open a new hand-off:      {_ms(opening)}")
    if merging:
        print(f"merge an identical one:   {_ms(merging)}")
    print(f"list {len(waiting)} open (oldest first, with askers): {listing * 1000:.1f} ms")
    print(f"find {len(due)} due a reminder: {reminders * 1000:.1f} ms")
    print(f"answer one (once only):   {_ms(answering)}")
    print(f"database with WAL: {size / 1024:.0f} KiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=2000, help="open hand-offs (default 2000)")
    parser.add_argument("--askers", type=int, default=3, help="askers per hand-off (default 3)")
    args = parser.parse_args()
    asyncio.run(run(args.open, args.askers))


if __name__ == "__main__":
    main()
