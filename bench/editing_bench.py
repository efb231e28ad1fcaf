"""What the FAQ's checks and editing from Discord cost: one run of every check (what each
reload adds), and one edit draft (copy, validate, index, checks) as a moderator's preview
waits for it; with the sentence encoder, as the bot runs.

    python bench/editing_bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.engine.checks import run_checks
from bot.engine.encoder import load_encoder
from bot.engine.index import FaqIndex
from bot.engine.loader import load_faq
from bot.services.editing import EntryText, edit_entry, prepare
from bot.settings import SHIPPED_FAQ_DIR


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    encoder = load_encoder()
    with tempfile.TemporaryDirectory() as scratch:
        faq = Path(scratch) / "faq"
        shutil.copytree(SHIPPED_FAQ_DIR, faq)
        index = FaqIndex(load_faq(faq), encoder=encoder)
        runs = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            run = run_checks(index)
            runs.append(time.perf_counter() - started)
        assert run.ok, run.problems()
        entry = index.entry("meeting-venue")
        assert entry is not None
        text = EntryText(entry.question, entry.answer + " (edited)", entry.aliases)
        drafts = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            draft = prepare(
                "edit",
                entry.id,
                edit_entry(faq, index, entry.id, text),
                current=index,
                work_dir=Path(scratch) / "work",
            )
            drafts.append(time.perf_counter() - started)
        assert draft.ok
    count = len(run.checks)
    print(
        f"checks: {count} checks, median {statistics.median(runs) * 1e3:.0f} ms per run "
        f"({statistics.median(runs) / count * 1e3:.1f} ms per check), with the encoder"
    )
    print(
        f"edit draft (copy, validate, index, checks twice): median "
        f"{statistics.median(drafts) * 1e3:.0f} ms, max {max(drafts) * 1e3:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
