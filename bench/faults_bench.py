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

MEMORY_CAP = 1536 * 1024 * 1024
"""Child processes are refused memory past this (the machine is shared)."""
TIMEOUT = 60.0

BOMB = """\
topic: venue
title: Venue
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
entries: *i
"""

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
    start = time.perf_counter()
    child = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
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
    output = child.stdout.read() if child.stdout else ""
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


SCENARIOS: dict[str, Callable[[Path], str]] = {
    "yaml-bomb": scenario_yaml_bomb,
    "huge-file": scenario_huge_file,
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
