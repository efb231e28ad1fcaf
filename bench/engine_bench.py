"""Answer quality and speed of the engine against a naive rapidfuzz baseline.

    python bench/engine_bench.py [--questions FILE ...] [--json OUT]

Quality: share of in-scope questions answered with every expected fact, share of out-of-scope
questions declined, for our engine and for `process.extractOne(WRatio)` over questions+aliases
with the cut-off tuned for it. Speed: per-question p50/p99 and index build time at the real FAQ
size and with 1,000 and 10,000 synthetic entries, next to the baseline's per-question time.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process, utils

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine.index import FaqIndex  # noqa: E402
from bot.engine.loader import load_faq  # noqa: E402
from bot.engine.models import Faq, FaqEntry, Topic  # noqa: E402
from bot.settings import SHIPPED_FAQ_DIR  # noqa: E402

DEFAULT_QUESTION_SETS = (
    ROOT.parent / "shared" / "eval" / "dev-questions.yaml",
    ROOT / "bench" / "heldout-questions.yaml",
)


@dataclass(frozen=True)
class QuestionSet:
    name: str
    in_scope: list[tuple[str, list[list[str]]]]
    out_of_scope: list[str]


def load_question_set(path: Path) -> QuestionSet:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    in_scope = [(item["q"], item["expect"]) for item in data.get("in_scope", [])]
    return QuestionSet(path.name, in_scope, list(data.get("out_of_scope", [])))


def _fold(text: str) -> str:
    return " ".join(text.lower().replace("–", "-").replace("—", "-").split())


def has_facts(answer: str, expect: list[list[str]]) -> bool:
    """Every group has at least one alternative in the answer (folded as the eval file says)."""
    folded = _fold(answer)
    return all(any(_fold(alt) in folded for alt in group) for group in expect)


Answerer = Callable[[str], str | None]
"""Returns the answer text when confident, else None."""


def engine_answerer(index: FaqIndex) -> Answerer:
    def ask(question: str) -> str | None:
        result = index.answer(question)
        return result.best.entry.answer if result.answered and result.best else None

    return ask


class Baseline:
    """extractOne with WRatio over every question and alias; one cut-off decides."""

    def __init__(self, entries: Sequence[FaqEntry], cutoff: float = 0.0) -> None:
        self.choices: list[str] = []
        self.owner: list[FaqEntry] = []
        for entry in entries:
            for phrase in (entry.question, *entry.aliases):
                self.choices.append(utils.default_process(phrase))
                self.owner.append(entry)
        self.cutoff = cutoff

    def best(self, question: str) -> tuple[FaqEntry, float] | None:
        hit = process.extractOne(
            utils.default_process(question), self.choices, scorer=fuzz.WRatio, processor=None
        )
        return (self.owner[hit[2]], hit[1]) if hit else None

    def __call__(self, question: str) -> str | None:
        hit = self.best(question)
        return hit[0].answer if hit and hit[1] >= self.cutoff else None


def quality(answer: Answerer, sets: Sequence[QuestionSet]) -> dict[str, object]:
    rows = {}
    for qs in sets:
        good = [q for q, expect in qs.in_scope if (a := answer(q)) and has_facts(a, expect)]
        declined = [q for q in qs.out_of_scope if answer(q) is None]
        rows[qs.name] = {
            "in_scope": round(len(good) / max(len(qs.in_scope), 1), 3),
            "out_of_scope_declined": round(len(declined) / max(len(qs.out_of_scope), 1), 3),
            "missed": [q for q, _ in qs.in_scope if q not in good],
            "wrongly_answered": [q for q in qs.out_of_scope if q not in declined],
        }
    return rows


def tune_baseline(baseline: Baseline, sets: Sequence[QuestionSet]) -> float:
    """The cut-off that maximises the mean of in-scope and out-of-scope accuracy on `sets`."""
    best_cutoff, best_value = 0.0, -1.0
    for cutoff in range(0, 101, 2):
        baseline.cutoff = float(cutoff)
        rows = quality(baseline, sets).values()
        value = statistics.mean(
            (r["in_scope"] + r["out_of_scope_declined"]) / 2  # type: ignore[operator]
            for r in rows
        )
        if value > best_value:
            best_cutoff, best_value = float(cutoff), value
    baseline.cutoff = best_cutoff
    return best_cutoff


def synthetic_faq(base: Faq, size: int, seed: int = 12) -> Faq:
    """`size` entries made by recombining the real FAQ's words, so the vocabulary grows too."""
    rng = random.Random(seed)
    words = sorted({w for e in base.entries for w in (e.question + " " + e.answer).split()})
    fillers = [f"{w}{rng.randint(0, 999)}" for w in rng.sample(words, min(len(words), 300))]
    pool = words + fillers
    entries = []
    for n in range(size):
        model = base.entries[n % len(base.entries)]
        question = " ".join(rng.sample(pool, 7)) + "?"
        aliases = tuple(" ".join(rng.sample(pool, rng.randint(3, 8))) for _ in range(6))
        answer = " ".join(rng.sample(pool, 60))
        entries.append(
            replace(
                model,
                id=f"synthetic-{n}",
                question=question,
                aliases=aliases,
                answer=answer,
                related=(),
            )
        )
    topic = Topic("synthetic", "Synthetic", "", tuple(e.id for e in entries))
    return Faq(tuple(entries), (topic,), base.synonyms, base.sources, f"synthetic-{size}")


def latency(answer: Callable[[str], object], questions: Sequence[str], rounds: int) -> dict:
    samples = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            answer(question)
            samples.append((time.perf_counter() - started) * 1e3)
    samples.sort()
    return {
        "p50_ms": round(samples[len(samples) // 2], 3),
        "p99_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.99))], 3),
        "mean_ms": round(statistics.fmean(samples), 3),
    }


def speed(faq: Faq, questions: Sequence[str], label: str, rounds: int) -> dict[str, object]:
    started = time.perf_counter()
    index = FaqIndex(faq)
    build = time.perf_counter() - started
    baseline = Baseline(faq.entries)
    ours = latency(index.answer, questions, rounds)
    naive = latency(baseline.best, questions, rounds)
    return {
        "size": label,
        "entries": len(faq.entries),
        "build_s": round(build, 3),
        "engine": ours,
        "baseline": naive,
        "ratio_mean": round(ours["mean_ms"] / max(naive["mean_ms"], 1e-9), 2),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faq", type=Path, default=SHIPPED_FAQ_DIR)
    parser.add_argument("--questions", type=Path, action="append")
    parser.add_argument("--json", type=Path, help="also write the full report here")
    parser.add_argument("--quick", action="store_true", help="fewer rounds, no 10,000 entries")
    args = parser.parse_args(argv)

    paths = args.questions or [p for p in DEFAULT_QUESTION_SETS if p.is_file()]
    sets = [load_question_set(p) for p in paths]
    faq = load_faq(args.faq)
    index = FaqIndex(faq)
    baseline = Baseline(faq.entries)
    cutoff = tune_baseline(baseline, sets)
    report: dict[str, object] = {
        "faq_version": faq.version,
        "quality": {
            "engine": quality(engine_answerer(index), sets),
            "baseline": quality(baseline, sets),
        },
        "baseline_cutoff": cutoff,
    }
    questions = [q for qs in sets for q, _ in qs.in_scope] + [
        q for qs in sets for q in qs.out_of_scope
    ]
    sizes = [("real", faq), ("1k", synthetic_faq(faq, 1_000))]
    if not args.quick:
        sizes.append(("10k", synthetic_faq(faq, 10_000)))
    # Fewer rounds at larger sizes: the baseline's full scan makes them slow to measure.
    rounds = {"real": 20, "1k": 5, "10k": 2} if not args.quick else {"real": 3, "1k": 1}
    report["speed"] = [speed(f, questions, label, rounds[label]) for label, f in sizes]

    for name in (qs.name for qs in sets):
        ours = report["quality"]["engine"][name]  # type: ignore[index]
        naive = report["quality"]["baseline"][name]  # type: ignore[index]
        print(
            f"quality {name}: engine in-scope {ours['in_scope']:.1%} declined "
            f"{ours['out_of_scope_declined']:.1%} | baseline (cutoff {cutoff:.0f}) in-scope "
            f"{naive['in_scope']:.1%} declined {naive['out_of_scope_declined']:.1%}"
        )
        for q in ours["missed"]:
            print(f"  missed: {q}")
        for q in ours["wrongly_answered"]:
            print(f"  answered out-of-scope: {q}")
    for row in report["speed"]:  # type: ignore[union-attr]
        print(
            f"speed {row['size']} ({row['entries']} entries): build {row['build_s']:.3f} s | "
            f"engine p50 {row['engine']['p50_ms']:.3f} ms p99 {row['engine']['p99_ms']:.3f} ms | "
            f"baseline p50 {row['baseline']['p50_ms']:.3f} ms "
            f"p99 {row['baseline']['p99_ms']:.3f} ms"
            f" | mean ratio {row['ratio_mean']:.2f}x"
        )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
