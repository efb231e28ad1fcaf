"""Fault-injection measurements for issue 12: time to report, peak memory, rows kept.

Each scenario runs the real program (`faqbot validate`, or the store) in a child process
with a memory cap (RLIMIT_AS) and a timeout, and prints one line:

    python bench/faults_bench.py            # every scenario
    python bench/faults_bench.py yaml-bomb  # one of them

Nothing here talks to Discord; the Discord-side faults are measured by `bench/faults_discord.py`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.settings import SHIPPED_FAQ_DIR  # noqa: E402
from tests.yaml_bomb import BOMB  # noqa: E402

MEMORY_CAP = 1536 * 1024 * 1024
"""Child processes are refused memory past this (the machine is shared)."""
TIMEOUT = 60.0
BEFORE = "3cb8d32"
"""The commit before issue 12's work, for the "before" numbers."""


HUGE_ENTRY = """\
  - id: generated-{n}
    question: "Generated question number {n} about the meeting {words}?"
    answer: "The meeting is at UN Geneva. {filler}"
    sources:
      - "taking place at UN Geneva 10-13 September"
"""


@dataclass(frozen=True, slots=True)
class Outcome:
    seconds: float
    peak_mb: float
    exit_code: int | None
    """None: killed at the timeout."""
    first_line: str


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_child(args: list[str], env: dict[str, str] | None = None) -> Outcome:
    """Run a child with the memory cap; poll its RSS until it ends or TIMEOUT passes."""
    with tempfile.TemporaryFile(mode="w+") as sink:  # a pipe would fill up and block the child
        start = time.perf_counter()
        child = subprocess.Popen(
            args,
            stdout=sink,
            stderr=subprocess.STDOUT,
            preexec_fn=_limit_memory,
            env={**os.environ, **(env or {})},
            text=True,
        )
        process = psutil.Process(child.pid)
        peak = 0
        code: int | None = None
        while True:
            with contextlib.suppress(psutil.Error):
                peak = max(peak, process.memory_info().rss)
            code = child.poll()
            if code is not None:
                break
            if time.perf_counter() - start > TIMEOUT:
                child.send_signal(signal.SIGKILL)
                child.wait()
                code = None
                break
            time.sleep(0.02)
        seconds = time.perf_counter() - start
        sink.seek(0)
        output = sink.read()
    lines = [line for line in output.splitlines() if line.strip()]
    first = lines[-1] if code is None and lines else (lines[0] if lines else "")
    return Outcome(seconds, peak / 1e6, code, first[:140])


def faq_copy(tmp: Path) -> Path:
    target = tmp / "faq"
    shutil.copytree(SHIPPED_FAQ_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def validate(faq_dir: Path) -> Outcome:
    return run_child([sys.executable, "-m", "bot", "validate", str(faq_dir)])


def describe(name: str, outcome: Outcome) -> str:
    ended = (
        f"exit {outcome.exit_code} after {outcome.seconds:.2f} s"
        if outcome.exit_code is not None
        else f"still running after {TIMEOUT:.0f} s (killed)"
    )
    return f"{name}: {ended}, peak RSS {outcome.peak_mb:.0f} MB | {outcome.first_line}"


def scenario_yaml_bomb(tmp: Path) -> str:
    faq = faq_copy(tmp)
    (faq / "venue.yaml").write_text(BOMB, encoding="utf-8")
    return describe("yaml-bomb (validate)", validate(faq))


def scenario_huge_file(tmp: Path) -> str:
    faq = faq_copy(tmp)
    filler = "Padding to make the file large. " * 8
    body = "".join(
        HUGE_ENTRY.format(n=n, words=" ".join(f"w{n % 997}x{k}" for k in range(3)), filler=filler)
        for n in range(50_000)
    )
    path = faq / "generated.yaml"
    path.write_text("topic: generated\ntitle: Generated\nentries:\n" + body, encoding="utf-8")
    size = path.stat().st_size / 1e6
    return describe(f"huge-file {size:.0f} MB, 50,000 entries (validate)", validate(faq))


def limit_sized(tmp: Path, total: int) -> Path:
    """The shipped FAQ plus generated topic files of up to 500 entries, `total` entries in all."""
    faq = faq_copy(tmp / str(total))
    left = total - 54
    for topic in ("alpha", "beta", "gamma", "delta"):
        count, left = min(left, 500), left - min(left, 500)
        if not count:
            break
        body = "".join(
            HUGE_ENTRY.format(n=f"{topic}-{n}", words=f"{topic} {n} w{n * 7919}", filler="")
            for n in range(count)
        )
        text = f"topic: {topic}\ntitle: {topic}\nentries:\n{body}"
        (faq / f"{topic}.yaml").write_text(text, encoding="utf-8")
    return faq


def scenario_at_the_limits(tmp: Path) -> str:
    """The largest FAQs the limits allow: with the near-duplicate check (1,000 entries) and
    without it (2,000 entries): how long `faqbot validate` takes."""
    return "\n".join(
        describe(f"at-the-limits {total:,} entries (validate)", validate(limit_sized(tmp, total)))
        for total in (1000, 2000)
    )


STORE_CHILD = """
import asyncio, sqlite3, sys
from pathlib import Path
from bot.services.store import Store

async def main(data, fault):
    data.mkdir(parents=True, exist_ok=True)
    if fault == "corrupt":
        (data / "faqbot.sqlite3").write_bytes(b"garbage header, not sqlite" * 100)
    try:
        store = await Store.open(data)
    except Exception as exc:
        print(f"0 open failed: {type(exc).__name__}")
        return
    for n in range(100):
        await store.record_miss(question=f"before {n}", outcome="declined")
    if fault == "deleted":
        (data / "faqbot.sqlite3").unlink()
    for n in range(100):
        await store.record_miss(question=f"after {n}", outcome="declined")
    stats = await store.stats()
    await store.close()
    path = data / "faqbot.sqlite3"
    kept = 0
    if path.exists():
        with sqlite3.connect(path) as db:
            sql = "SELECT COUNT(*) FROM questions WHERE question LIKE 'after%'"
            kept = db.execute(sql).fetchone()[0]
    print(f"{kept} status said {stats.questions}")

asyncio.run(main(Path(sys.argv[1]), sys.argv[2]))
"""


def old_tree(tmp: Path, commit: str = BEFORE) -> Path:
    """A checkout of `commit` (`git archive`), to measure "before"."""
    target = tmp / f"tree-{commit}"
    if not target.exists():
        target.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", commit], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def store_fault(tmp: Path, fault: str) -> str:
    lines = []
    for label, root in (("before", old_tree(tmp)), ("now", ROOT)):
        child = subprocess.run(
            [sys.executable, "-c", STORE_CHILD, str(tmp / f"{label}-{fault}"), fault],
            capture_output=True,
            text=True,
            cwd=root,
        )
        lines.append(f"{label}: {child.stdout.strip() or child.stderr.strip()[-120:]}")
    return lines


def scenario_db_deleted(tmp: Path) -> str:
    lines = store_fault(tmp, "deleted")
    return "db-deleted, of 100 misses recorded after the deletion, in the file: " + "; ".join(lines)


def scenario_db_corrupt(tmp: Path) -> str:
    lines = store_fault(tmp, "corrupt")
    return "db-corrupt header at start-up, of 100 misses, in the file: " + "; ".join(lines)


SCENARIOS: dict[str, Callable[[Path], str]] = {
    "yaml-bomb": scenario_yaml_bomb,
    "huge-file": scenario_huge_file,
    "at-the-limits": scenario_at_the_limits,
    "db-deleted": scenario_db_deleted,
    "db-corrupt": scenario_db_corrupt,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="SCENARIO", help=", ".join(SCENARIOS))
    names = parser.parse_args().names or list(SCENARIOS)
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)}")
    for name in names:
        with tempfile.TemporaryDirectory() as tmp:
            print(SCENARIOS[name](Path(tmp)), flush=True)


if __name__ == "__main__":
    main()
