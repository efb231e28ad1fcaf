"""A reload that never returns (a file read hanging on a dead network mount) cannot keep the
process alive: SIGTERM ends the event loop, and the process must then exit (issue 12, fault 2)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from bot.engine.loader import validate_faq_dir

ROOT = Path(__file__).resolve().parents[2]

HANGING_RELOAD = textwrap.dedent(
    """
    import asyncio, threading
    from pathlib import Path
    from bot.services.knowledge import KnowledgeBase
    from bot.services.watcher import FaqWatcher

    class Hanging(KnowledgeBase):
        def reload(self):
            threading.Event().wait()  # a read that never returns

    async def main():
        watcher = FaqWatcher(Hanging(Path(".")))
        task = asyncio.create_task(watcher.reload("files changed"))
        await asyncio.sleep(0.2)
        task.cancel()  # what a shutdown does to work in progress
        print("loop done", flush=True)

    asyncio.run(main())
    """
)


def test_a_hanging_reload_does_not_keep_the_process_alive(tmp_path: Path) -> None:
    child = subprocess.run(
        [sys.executable, "-c", HANGING_RELOAD],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,  # the old code (asyncio.to_thread) never exits
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout == "loop done\n"


def test_a_pipe_in_the_faq_directory_is_refused_not_read(tmp_path: Path) -> None:
    faq = tmp_path / "faq"
    faq.mkdir()
    os.mkfifo(faq / "venue.yaml")  # opening it for reading would block until a writer comes
    report = validate_faq_dir(faq)
    assert f"{faq / 'venue.yaml'}: not a regular file" in "\n".join(map(str, report.errors))
