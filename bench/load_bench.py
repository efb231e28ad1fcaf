"""Load benchmark: the real bot (`faqbot run` through the fake's launcher) under a steady stream
of `/ask` interactions from the fake Discord.

    python bench/load_bench.py [--rate 100] [--duration 60] [--users N] [--json OUT]
                               [--find-limit] [--step-duration 15] [--profile OUT.prof]

Open loop: interaction i is dispatched at start + i/rate whatever the bot is doing. Latency is
measured per interaction from its dispatch on the gateway to the arrival of its accepted
callback at the fake (`POST /interactions/{id}/{token}/callback`). The bot's RSS is sampled
every 0.5 s (psutil). The rate policy keeps its defaults; questions are spread over enough users
that the abuse ceiling never applies (each user asks about half as often as it allows), so a
`cooled_down` above 0 means the spread is wrong, not that the bot is slow. Past a channel's
public-post limit answers are private (still answers, counted as such).

`--find-limit` steps the rate up (100, 200, 300, ... for `--step-duration` s each, a fresh
fake and bot per step) until p99 passes 1 s or an interaction goes unanswered.
`--profile OUT.prof` runs the bot under cProfile (`python -m cProfile -o OUT.prof -m bot run`,
through the same launcher) and prints where its main thread spent its time; the profiler slows
the bot down, so use it for the breakdown, not for the numbers.

This is not a test: nothing here is asserted, it reports.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import logging
import math
import os
import pstats
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
import yaml  # noqa: E402

from bot.settings import Settings  # noqa: E402
from tests.fakediscord import (  # noqa: E402
    Channel,
    FakeDiscord,
    InteractionHandle,
    User,
    World,
    default_world,
    make_channel,
    make_user,
)
from tests.fakediscord.process import BotProcess, launch_bot  # noqa: E402
from tests.fakediscord.state import InteractionState  # noqa: E402

QUESTIONS_FILE = ROOT / "bench" / "heldout-questions.yaml"
EXTRA_QUESTIONS = (
    "where is the meeting",
    "When is the 12MSP?",
    "who can attend",
    "states",
    "what should I wear",
    "is there wifi",
    "xyzzy",
)
CALLBACK_ROUTE = "/interactions/{interaction_id}/{token}/callback"
COOLDOWN_PREFIX = "You're asking a lot at once"
SUGGEST = "Did you mean"
DECLINE = "couldn't find an answer"
CHANNELS = 12
WARM_UP = 20
DRAIN_SECONDS = 10.0
RSS_EVERY = 0.5
LIMIT_P99_MS = 1000.0
IN_FLIGHT = re.compile(r"shutting down: (\d+) interaction")
DROPPED = "dropped unanswered"
"""The bot's WARNING for an interaction too old to answer on arrival (no work done)."""
REFUSED = "no longer accepts a reply"
"""The bot's WARNING for a reply Discord refused with 10062 (it came after the 3 s)."""
MISSES_NOT_RECORDED = re.compile(r"(\d+) (?:more |queued )?miss\(es\) not (?:recorded|written)")
TARGET = {"p99_ms": 50.0, "unanswered": 0, "peak_rss_mb": 300.0}
"""Issue 10's targets (with the sentence encoder loaded), at 200/s for 60 s."""


@dataclass
class StepResult:
    """One run at one rate."""

    rate: float
    duration: float
    users: int
    sent: int = 0
    answered: int = 0
    """Callbacks with an answer, a did-you-mean or a decline (not a cooldown)."""
    cooled_down: int = 0
    unanswered: int = 0
    late: int = 0
    """Callbacks the fake refused because they came after Discord's 3 s deadline."""
    kinds: dict[str, int] = field(default_factory=dict)
    p50_ms: float = math.nan
    p95_ms: float = math.nan
    p99_ms: float = math.nan
    max_ms: float = math.nan
    mean_ms: float = math.nan
    p99_from_schedule_ms: float = math.nan
    """p99 measured from the planned send time (includes the generator's own lag)."""
    slowest_by_second: list[float] = field(default_factory=list)
    """The slowest reply of each second of the run, in ms: a stall shows where it happened."""
    sender_lag_max_ms: float = 0.0
    achieved_rate: float = 0.0
    rss_start_mb: float = 0.0
    peak_rss_mb: float = 0.0
    rss_end_mb: float = 0.0
    bot_cpu_percent: float = 0.0
    """CPU time of the bot process over the measured window, as % of one core."""
    bench_cpu_percent: float = 0.0
    """CPU time of this process (the fake and the generator), as % of one core."""
    other_cpu_percent: float = 0.0
    """CPU time of every other process on the machine, as % of one core: when it is high,
    something else competed with the bot and the generator for the cores."""
    misses: int = 0
    """Suggestions and declines sent: each should become a row in the bot's database."""
    misses_recorded: int = 0
    """Rows of declines and suggestions the bot wrote (answers the release is silent on are
    misses too, and counted apart: `not_stated_recorded`)."""
    not_stated_recorded: int = 0
    bot_error_lines: int = 0
    tracebacks: int = 0
    """Log lines of the bot with a traceback."""
    dropped_expired: int = 0
    """Interactions the bot dropped unanswered: already past Discord's deadline on arrival."""
    refused_late: int = 0
    """Replies Discord refused (10062) because they came after its 3 s."""
    misses_not_recorded: int = 0
    """Misses the bot's store dropped (queue full, failed write), from its warnings."""
    in_flight_at_stop: int | None = None
    """Work (answers whose bookkeeping was not done yet) when SIGTERM came after the drain."""
    problems: list[str] = field(default_factory=list)
    bot_exit_code: int | None = None

    def summary(self) -> str:
        return (
            f"rate={self.rate:g}/s duration={self.duration:g}s sent={self.sent} "
            f"answered={self.answered} cooled_down={self.cooled_down} "
            f"unanswered={self.unanswered} p50={self.p50_ms:.1f}ms p95={self.p95_ms:.1f}ms "
            f"p99={self.p99_ms:.1f}ms peak_rss={self.peak_rss_mb:.1f}MB"
        )

    def details(self) -> str:
        return (
            f"  max={self.max_ms:.1f}ms p99_from_schedule={self.p99_from_schedule_ms:.1f}ms "
            f"late={self.late} kinds={self.kinds} achieved={self.achieved_rate:.1f}/s "
            f"sender_lag_max={self.sender_lag_max_ms:.1f}ms rss {self.rss_start_mb:.1f}->"
            f"{self.rss_end_mb:.1f}MB bot_cpu={self.bot_cpu_percent:.0f}% "
            f"bench_cpu={self.bench_cpu_percent:.0f}% other_cpu={self.other_cpu_percent:.0f}%\n"
            f"  misses_recorded={self.misses_recorded}/{self.misses} "
            f"not_stated_recorded={self.not_stated_recorded} "
            f"misses_not_recorded={self.misses_not_recorded} "
            f"dropped_expired={self.dropped_expired} refused_late={self.refused_late} "
            f"bot_errors={self.bot_error_lines} tracebacks={self.tracebacks} "
            f"in_flight_at_stop={self.in_flight_at_stop}\n"
            f"  slowest reply per second (ms): "
            + " ".join(f"{ms:.0f}" for ms in self.slowest_by_second)
        )

    def broken(self) -> str | None:
        """Why this step counts as past the limit (None if it held)."""
        if self.unanswered:
            return f"{self.unanswered} unanswered"
        if not self.p99_ms <= LIMIT_P99_MS:
            return f"p99 {self.p99_ms:.0f} ms > {LIMIT_P99_MS:.0f} ms"
        return None


# --- the workload --------------------------------------------------------------------------


def load_questions(path: Path = QUESTIONS_FILE) -> list[str]:
    """In- and out-of-scope questions from the held-out set, plus a few vague ones."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    questions = [str(item["q"]) for item in data.get("in_scope", [])]
    questions += [str(q) for q in data.get("out_of_scope", [])]
    return questions + list(EXTRA_QUESTIONS)


def users_needed(rate: float) -> int:
    """Users such that each asks about half as often as the default abuse ceiling allows."""
    defaults = Settings.model_fields
    per = float(defaults["abuse_ceiling_seconds"].default)
    allowed = int(defaults["abuse_ceiling"].default)
    return max(1, math.ceil(rate * per / allowed * 2))


def bench_world(channels: int = CHANNELS) -> World:
    """The standard world plus `channels` text channels (answers spread over them)."""
    world = default_world()
    parent = world.general.parent_id
    extra = [
        replace(
            make_channel(f"load{i}", position=10 + i), parent_id=parent, guild_id=world.guild.id
        )
        for i in range(channels)
    ]
    return replace(world, guild=replace(world.guild, channels=(*world.guild.channels, *extra)))


async def ask_now(
    fake: FakeDiscord, question: str, user: User, channel: Channel
) -> InteractionHandle:
    """Dispatch `/ask` at once (`barrier=False`). By default `fake.slash()` first round-trips a
    heartbeat (a barrier); at these rates that would be one client heartbeat per question, past
    discord.py's gateway send limit (120 per 60 s), and it would pace the generator by the bot
    (closed loop)."""
    return await fake.slash(
        "ask", {"question": question}, user=user, channel=channel, barrier=False
    )


def classify(interaction: InteractionState) -> str:
    record = interaction.callback
    if record is None:
        return "unanswered"
    message = record.message
    if record.type != 4 or message is None:
        return f"type{record.type}"
    if message.embeds:
        return "answer"
    if message.content.startswith(COOLDOWN_PREFIX):
        return "cooldown"
    if SUGGEST in message.content:
        return "suggestion"
    if DECLINE in message.content:
        return "decline"
    return "other"


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list (nan when empty)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


# --- one run -------------------------------------------------------------------------------


class RssSampler:
    """The bot's RSS every `every` seconds while running."""

    def __init__(self, pid: int, every: float = RSS_EVERY) -> None:
        self.process = psutil.Process(pid)
        self.every = every
        self.samples: list[int] = []
        self._task: asyncio.Task[None] | None = None

    def sample(self) -> None:
        with contextlib.suppress(psutil.Error):
            self.samples.append(self.process.memory_info().rss)

    async def _run(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(self.every)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self.sample()


async def wait_answered(interactions: list[InteractionState], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    pending = [i for i in interactions if i.callback is None]
    while pending and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        pending = [i for i in pending if i.callback is None]


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No collection in this process while measuring: the generator and the fake must not add
    their own pauses to the latencies (the bot's own collector is left alone)."""
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


def count_questions(database: Path, outcomes: tuple[str, ...]) -> int:
    """Rows in the bot's miss table with one of `outcomes` (0 before it exists)."""
    if not database.exists():
        return 0
    marks = ", ".join("?" * len(outcomes))
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        query = f"SELECT count(*) FROM questions WHERE outcome IN ({marks})"
        return int(db.execute(query, outcomes).fetchone()[0])


DECLINE_OUTCOMES = ("declined", "suggested")
"""How the bot stores the replies the bench counts as declines and suggestions."""


def machine_busy_seconds() -> float:
    """CPU seconds every core spent on anything but idling, since boot."""
    times = psutil.cpu_times()
    idle = times.idle + getattr(times, "iowait", 0.0)
    guest = getattr(times, "guest", 0.0) + getattr(times, "guest_nice", 0.0)  # inside user
    return float(sum(times) - idle - guest)


async def run_step(
    rate: float,
    duration: float,
    users: int,
    workdir: Path,
    *,
    profile: Path | None = None,
    seed: int = 12,
) -> StepResult:
    result = StepResult(rate=rate, duration=duration, users=users)
    questions = load_questions()
    random.Random(seed).shuffle(questions)
    people = [make_user(f"load{i}") for i in range(users)]
    fake = FakeDiscord(world=bench_world(), default_timeout=30.0)
    await fake.start()
    bot: BotProcess | None = None
    stack = contextlib.ExitStack()
    database = workdir / "data" / "faqbot.sqlite3"
    declines_before = not_stated_before = 0
    try:
        args: tuple[str, ...] = ("run",)
        module = None
        if profile is not None:
            module, args = "cProfile", ("-o", str(profile), "-m", "bot", "run")
        bot = await launch_bot(fake, workdir, *args, module=module, ready_timeout=60.0)
        channels = [c for c in fake.guild.text_channels if c.name.startswith("load")]
        # Warm up (and make sure /ask is synced) with the harness's own, barriered slash().
        first = await fake.slash("ask", {"question": "where is the meeting"}, user="alice")
        await first.callback(timeout=30)
        warm = [
            await ask_now(fake, questions[i % len(questions)], people[-1 - i % users], channels[0])
            for i in range(WARM_UP)
        ]
        await wait_answered([h.interaction for h in warm], 30.0)
        await asyncio.sleep(2.5)  # past on_ready (2 s after the last GUILD_CREATE)

        rss = RssSampler(bot.pid)
        rss.sample()
        result.rss_start_mb = rss.samples[-1] / 2**20
        rss.start()
        me, them = psutil.Process(), psutil.Process(bot.pid)
        cpu_me, cpu_bot, busy = cpu_seconds(me), cpu_seconds(them), machine_busy_seconds()
        declines_before = count_questions(database, DECLINE_OUTCOMES)
        not_stated_before = count_questions(database, ("not_stated",))
        stack.enter_context(gc_paused())

        total = round(rate * duration)
        sent: list[tuple[InteractionState, float]] = []
        loop = asyncio.get_running_loop()
        start = loop.time() + 0.05
        lag_max = 0.0
        for n in range(total):
            planned = start + n / rate
            delay = planned - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            lag_max = max(lag_max, loop.time() - planned)
            handle = await ask_now(
                fake,
                questions[n % len(questions)],
                people[n % users],
                channels[n % len(channels)],
            )
            sent.append((handle.interaction, planned))
        send_window = loop.time() - start
        await wait_answered([i for i, _ in sent], DRAIN_SECONDS)
        window = loop.time() - start
        stack.close()  # the collector runs again
        await rss.stop()
        bot_cpu, bench_cpu = cpu_seconds(them) - cpu_bot, cpu_seconds(me) - cpu_me
        other = machine_busy_seconds() - busy - bot_cpu - bench_cpu
        result.bot_cpu_percent = 100 * bot_cpu / window
        result.bench_cpu_percent = 100 * bench_cpu / window
        result.other_cpu_percent = max(0.0, 100 * other / window)
        result.sent = len(sent)
        result.achieved_rate = len(sent) / send_window if send_window > 0 else math.nan
        result.sender_lag_max_ms = lag_max * 1000
        result.peak_rss_mb = max(rss.samples) / 2**20
        result.rss_end_mb = rss.samples[-1] / 2**20

        arrivals: dict[int, float] = {}
        for request in fake.requests:
            if request.route == CALLBACK_ROUTE and request.status < 300:
                arrivals.setdefault(int(request.path.split("/")[2]), request.at)
        # The planned time is on the loop's clock; interaction times on time.monotonic().
        offset = time.monotonic() - loop.time()
        latencies: list[float] = []
        from_schedule: list[float] = []
        kinds: Counter[str] = Counter()
        slowest: dict[int, float] = {}
        for interaction, planned in sent:
            kinds[classify(interaction)] += 1
            arrived = arrivals.get(interaction.id)
            if arrived is not None:
                latency = arrived - interaction.created_at
                latencies.append(latency)
                from_schedule.append(arrived - (planned + offset))
                second = int(planned - start)
                slowest[second] = max(slowest.get(second, 0.0), latency * 1000)
        result.slowest_by_second = [slowest.get(s, math.nan) for s in range(math.ceil(duration))]
        latencies.sort()
        from_schedule.sort()
        result.kinds = dict(kinds)
        result.cooled_down = kinds["cooldown"]
        result.unanswered = kinds["unanswered"]
        result.answered = result.sent - result.cooled_down - result.unanswered
        result.late = sum("Discord allows" in str(v) for v in fake.violations)
        if latencies:
            ms = [x * 1000 for x in latencies]
            result.p50_ms, result.p95_ms = percentile(ms, 50), percentile(ms, 95)
            result.p99_ms, result.max_ms = percentile(ms, 99), ms[-1]
            result.mean_ms = statistics.fmean(ms)
            result.p99_from_schedule_ms = percentile([x * 1000 for x in from_schedule], 99)
        result.problems = [f"violation: {v}" for v in fake.violations[:5]]
        result.problems += [f"unknown route: {r}" for r in fake.unknown_routes[:5]]
        result.problems += [f"fake error: {e}" for e in fake.fake_errors[:5]]
        if result.achieved_rate < 0.95 * rate:
            result.problems.append(
                f"the generator only reached {result.achieved_rate:.0f}/s: numbers are "
                "bounded by this process, not the bot"
            )
        if kinds["other"] or any(k.startswith("type") for k in kinds):
            result.problems.append(f"unexpected replies: {dict(kinds)}")
    finally:
        stack.close()
        if bot is not None:
            result.bot_exit_code = await bot.stop(timeout=30.0)
            if result.bot_exit_code != 0:
                result.problems.append(
                    f"the bot exited with {result.bot_exit_code}\n{bot.log_tail(20)}"
                )
        await fake.stop()
    if bot is not None:
        output = bot.output()
        lines = output.splitlines()
        result.bot_error_lines = sum(" ERROR " in line for line in lines)
        result.tracebacks = sum("Traceback" in line for line in lines)
        result.dropped_expired = sum(DROPPED in line for line in lines)
        result.refused_late = sum(REFUSED in line for line in lines)
        result.misses_not_recorded = sum(
            int(m.group(1)) for line in lines if (m := MISSES_NOT_RECORDED.search(line))
        )
        stopping = IN_FLIGHT.search(output)
        result.in_flight_at_stop = int(stopping.group(1)) if stopping else None
        result.misses = result.kinds.get("suggestion", 0) + result.kinds.get("decline", 0)
        result.misses_recorded = count_questions(database, DECLINE_OUTCOMES) - declines_before
        result.not_stated_recorded = count_questions(database, ("not_stated",)) - not_stated_before
        if result.bot_error_lines:
            result.problems.append(f"the bot logged {result.bot_error_lines} ERROR line(s)")
        if result.misses_recorded != result.misses:
            result.problems.append(
                f"{result.misses_recorded} declines and suggestions reached the database for"
                f" {result.misses} sent"
            )
    return result


def print_profile(path: Path, limit: int = 30) -> None:
    if not path.exists():
        print(f"no profile written to {path}")
        return
    for key in ("tottime", "cumulative"):
        print(f"\n--- bot profile, top {limit} by {key} ({path}) ---")
        pstats.Stats(str(path)).strip_dirs().sort_stats(key).print_stats(limit)


# --- main ----------------------------------------------------------------------------------


def source_state() -> dict[str, Any]:
    """The commit measured, and product files that differ from it (the tree is shared)."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=False
        )
        return done.stdout.rstrip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD").strip()
    if not commit:
        marker = ROOT / ".source-commit"  # written beside a `git archive` snapshot
        known = marker.read_text().strip() if marker.is_file() else None
        return {"commit": known, "note": f"{ROOT} is a snapshot, not a git checkout"}
    changed = git("status", "--porcelain", "--", "bot", "cogs", "faq").splitlines()
    return {"commit": commit, "uncommitted": [line[3:] for line in changed]}


def check_targets(result: StepResult) -> list[str]:
    misses = []
    if not result.p99_ms < TARGET["p99_ms"]:
        misses.append(f"p99 {result.p99_ms:.1f} ms >= {TARGET['p99_ms']:g} ms")
    if result.unanswered > TARGET["unanswered"]:
        misses.append(f"{result.unanswered} unanswered")
    if not result.peak_rss_mb < TARGET["peak_rss_mb"]:
        misses.append(f"peak RSS {result.peak_rss_mb:.1f} MB >= {TARGET['peak_rss_mb']:g} MB")
    return misses


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    report: dict[str, Any] = {
        "date": stamp,
        "host": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "targets": TARGET,
        "source": source_state(),
    }
    print(f"source: {report['source']}", flush=True)
    with contextlib.ExitStack() as stack:
        if args.keep:
            root = Path(args.keep).absolute()
            root.mkdir(parents=True, exist_ok=True)
        else:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="faqbot-load-")))
        if args.find_limit:
            steps: list[dict[str, Any]] = []
            limit: dict[str, Any] | None = None
            rate = args.start_rate
            while rate <= args.max_rate:
                users = args.users or users_needed(rate)
                result = await run_step(rate, args.step_duration, users, root / f"rate{rate:g}")
                print(result.summary(), flush=True)
                print(result.details(), flush=True)
                for problem in result.problems:
                    print(f"  ! {problem}", flush=True)
                steps.append(asdict(result))
                reason = result.broken()
                if reason is not None:
                    last_good = rate - args.rate_step if rate > args.start_rate else None
                    limit = {"breaks_at": rate, "reason": reason, "last_good": last_good}
                    print(
                        f"limit: first breaks at rate={rate:g}/s ({reason}); "
                        f"last good: {last_good if last_good is not None else 'none'}/s"
                    )
                    break
                rate += args.rate_step
            else:
                print(f"limit: not reached up to {args.max_rate:g}/s")
            report.update(mode="find-limit", steps=steps, limit=limit)
        else:
            users = args.users or users_needed(args.rate)
            needed = users_needed(args.rate)
            if users < needed:
                print(
                    f"warning: {users} users at {args.rate:g}/s: the abuse ceiling may apply "
                    f"(spread needs {needed})",
                    flush=True,
                )
            profile = Path(args.profile).absolute() if args.profile else None
            result = await run_step(args.rate, args.duration, users, root / "run", profile=profile)
            print(result.summary(), flush=True)
            print(result.details(), flush=True)
            for problem in result.problems:
                print(f"  ! {problem}", flush=True)
            misses = check_targets(result)
            print("targets: " + ("met" if not misses else "MISSED: " + "; ".join(misses)))
            report.update(mode="fixed-rate", result=asdict(result), target_misses=misses)
            if profile is not None:
                report["profile"] = str(profile)
                print_profile(profile)
    return report


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=200.0, help="interactions per second")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument(
        "--users", type=int, default=0, help="distinct users (default: enough for no refusal)"
    )
    parser.add_argument("--json", help="write the report as JSON to this file")
    parser.add_argument(
        "--find-limit", action="store_true", help="step the rate up until it breaks"
    )
    parser.add_argument("--start-rate", type=float, default=100.0)
    parser.add_argument("--rate-step", type=float, default=100.0)
    parser.add_argument("--max-rate", type=float, default=2000.0)
    parser.add_argument("--step-duration", type=float, default=15.0)
    parser.add_argument("--profile", help="run the bot under cProfile, writing this file")
    parser.add_argument("--keep", help="keep the bots' data and logs in this directory")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Violations are counted and the first few shown; one log line each would flood the output.
    logging.getLogger("tests.fakediscord").setLevel(logging.ERROR)
    report = asyncio.run(main_async(args))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, default=str) + "\n")
        print(f"report written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
