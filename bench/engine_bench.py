"""Answer quality and speed of the engine, side by side with the naive baseline and the
engine of today (v1, commit f586b33).

    python bench/engine_bench.py [--quick] [--no-encoder] [--cold-answers] [--show-failures]
        [--json OUT]

Systems: `naive` (rapidfuzz extractOne(WRatio) over questions and aliases, cut-off tuned on
the tuning sets), `v1` (the engine and FAQ files at commit f586b33, extracted with `git
archive` into a temporary package: nothing vendored), `engine` (this tree) and `engine+enc`
(this tree with the sentence encoder behind it).

Quality per set: in-scope answered with every expected fact (`facts`), of those marked hard
(`hard`), answered at all (`direct`), answered without the facts (`wrong`: confidently
wrong), out-of-scope declined (`oos`), near-domain out-of-scope declined (`near`),
release-silent handled (`silent`: "the release does not say" or a decline, never an
unrelated confident answer). Held-out sets (bench/heldout/) print aggregates only and are
never tuned on; `--show-failures` lists failures of the tuning sets only.

Speed: per-question p50/p99 at the real FAQ size and with 1,000 synthetic entries (there
also before the answer texts are warm: alone, and beside the warm-up thread), a cold build
of 1,000 entries, and a reload of the unchanged FAQ (load + build, as the bot does).
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml
from rapidfuzz import fuzz, process, utils

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine.index import FaqIndex, Thresholds, Weights, build_index  # noqa: E402
from bot.engine.loader import load_faq  # noqa: E402
from bot.engine.models import Faq, Topic  # noqa: E402
from bot.settings import SHIPPED_FAQ_DIR  # noqa: E402

V1_COMMIT = "f586b33"
DEV_SET = next(
    (
        p / "shared" / "eval" / "dev-questions.yaml"
        for p in ROOT.parents
        if (p / "shared" / "eval" / "dev-questions.yaml").is_file()
    ),
    ROOT.parent / "shared" / "eval" / "dev-questions.yaml",
)
"""The shared development set (../shared/eval, or ../../shared/eval from a worktree)."""
TUNING_SETS = (
    DEV_SET,
    ROOT / "bench" / "heldout-questions.yaml",
    ROOT / "bench" / "tuning-questions.yaml",
    ROOT / "bench" / "tuning-fresh-en.yaml",
    ROOT / "bench" / "tuning-v3-en.yaml",
    ROOT / "bench" / "tuning-v4-en.yaml",
    ROOT / "bench" / "tuning-v6-en.yaml",
    ROOT / "bench" / "tuning-v8-en.yaml",
    ROOT / "bench" / "tuning-v10-en.yaml",
    ROOT / "bench" / "tuning-v12-en.yaml",
    ROOT / "bench" / "tuning-v16-en.yaml",
)
"""Sets we look at and tune on (the old held-out set is a regression set now;
tuning-fresh-en.yaml was written from the release by someone who never saw the FAQ;
tuning-v3-en.yaml is the tuning half of the questions whose other half is heldout/en-v3.yaml;
tuning-v6-en.yaml, tuning-v8-en.yaml and tuning-v10-en.yaml are all tuning, from two more
writers each; tuning-v12-en.yaml too, not yet checked by a second helper; tuning-v16-en.yaml
from two more, checked)."""
HELDOUT_DIR = ROOT / "bench" / "heldout"
HELDOUT_SETS = (
    HELDOUT_DIR / "en-v3.yaml",
    HELDOUT_DIR / "en-v4.yaml",
    HELDOUT_DIR / "en-v5.yaml",
    HELDOUT_DIR / "en-v7.yaml",
    HELDOUT_DIR / "en-v9.yaml",
    HELDOUT_DIR / "en-v11.yaml",
    HELDOUT_DIR / "en-v13.yaml",
    HELDOUT_DIR / "en-v15.yaml",
    HELDOUT_DIR / "en.yaml",
    HELDOUT_DIR / "short.yaml",
)
"""Frozen, written by people who never saw the FAQ: aggregates only, never tuned on."""

_DISCLAIMER = re.compile(
    r"(release|it) (does not|gives no|names no)|gives (the|these) [^.]* only|no (exact )?dates",
    re.IGNORECASE,
)
"""An answer that itself says the release is silent ("The release does not name...")."""


# --- question sets -------------------------------------------------------------------------


@dataclass(frozen=True)
class InScope:
    q: str
    expect: list[list[str]]
    hard: bool = False


@dataclass(frozen=True)
class QuestionSet:
    name: str
    heldout: bool
    in_scope: list[InScope]
    out_of_scope: list[str]
    out_of_scope_near: list[str] = field(default_factory=list)
    release_silent: list[tuple[str, list[str]]] = field(default_factory=list)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def load_question_set(path: Path) -> QuestionSet:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    heldout = HELDOUT_DIR in path.resolve().parents
    name = f"heldout/{path.name}" if heldout else path.name
    return QuestionSet(
        name=name,
        heldout=heldout,
        in_scope=[
            InScope(i["q"], i["expect"], bool(i.get("hard"))) for i in data.get("in_scope", [])
        ],
        out_of_scope=list(data.get("out_of_scope", [])),
        out_of_scope_near=list(data.get("out_of_scope_near", [])),
        release_silent=[(i["q"], _strings(i.get("near"))) for i in data.get("release_silent", [])],
    )


def _fold(text: str) -> str:
    return " ".join(text.lower().replace("–", "-").replace("—", "-").split())


def has_facts(answer: str, expect: list[list[str]]) -> bool:
    """Every group has at least one alternative in the answer (folded as the eval file says)."""
    folded = _fold(answer)
    return all(any(_fold(alt) in folded for alt in group) for group in expect)


# --- systems -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    kind: str
    """answered | not_stated | suggested | declined | refused"""
    text: str = ""
    """What the asker reads: the note, then the entry's answer (empty when no entry shown)."""


Answerer = Callable[[str], Verdict]


def engine_answerer(index: Any) -> Answerer:
    """Works for this tree's engine and for v1 (which has no notes and no not_stated)."""

    def ask(question: str) -> Verdict:
        result = index.answer(question)
        kind = str(result.outcome.value)
        note = getattr(result, "note", None)
        shown = result.best is not None and kind in ("answered", "not_stated")
        text = ((note + "\n") if note else "") + (result.best.entry.answer if shown else "")
        return Verdict(kind, text)

    return ask


class Baseline:
    """extractOne with WRatio over every question and alias; one cut-off decides."""

    def __init__(self, entries: Sequence[Any], cutoff: float = 0.0) -> None:
        self.choices: list[str] = []
        self.owner: list[Any] = []
        for entry in entries:
            for phrase in (entry.question, *entry.aliases):
                self.choices.append(utils.default_process(phrase))
                self.owner.append(entry)
        self.cutoff = cutoff

    def best(self, question: str) -> tuple[Any, float] | None:
        hit = process.extractOne(
            utils.default_process(question), self.choices, scorer=fuzz.WRatio, processor=None
        )
        return (self.owner[hit[2]], hit[1]) if hit else None

    def __call__(self, question: str) -> Verdict:
        hit = self.best(question)
        if hit and hit[1] >= self.cutoff:
            return Verdict("answered", hit[0].answer)
        return Verdict("declined")


def load_v1() -> tuple[ModuleType, ModuleType, ModuleType, Path]:
    """The engine and FAQ of commit f586b33 as the package `engine_v1`, from `git archive`."""
    where = Path(tempfile.mkdtemp(prefix="engine-v1-"))
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", V1_COMMIT, "bot/engine", "faq"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(where)], input=archive, check=True)
    package = where / "engine_v1"
    (where / "bot" / "engine").rename(package)
    for source in package.glob("*.py"):
        source.write_text(source.read_text().replace("bot.engine.", "engine_v1."))
    sys.path.insert(0, str(where))
    return (
        importlib.import_module("engine_v1.index"),
        importlib.import_module("engine_v1.loader"),
        importlib.import_module("engine_v1.models"),
        where / "faq",
    )


# --- quality -------------------------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _declined(answer: Answerer, questions: Sequence[str], kind: str, failures: list[str]) -> int:
    """How many of `questions` are not answered; each answered one is added to `failures`."""
    declined = 0
    for q in questions:
        if answer(q).kind != "answered":
            declined += 1
        else:
            failures.append(f"{kind} answered: {q}")
    return declined


def quality(answer: Answerer, qs: QuestionSet) -> dict[str, Any]:
    facts, hard, hard_total, direct, wrong = 0, 0, 0, 0, 0
    failures: list[str] = []
    for item in qs.in_scope:
        verdict = answer(item.q)
        ok = verdict.kind == "answered" and has_facts(verdict.text, item.expect)
        facts += ok
        direct += verdict.kind == "answered"
        wrong += verdict.kind == "answered" and not ok
        if item.hard:
            hard_total += 1
            hard += ok
        if not ok:
            failures.append(f"in-scope {verdict.kind}: {item.q}")
    oos = _declined(answer, qs.out_of_scope, "out-of-scope", failures)
    near = _declined(answer, qs.out_of_scope_near, "near-domain", failures)
    silent = 0
    for q, _near in qs.release_silent:
        verdict = answer(q)
        handled = verdict.kind in ("not_stated", "declined") or (
            verdict.kind == "answered" and bool(_DISCLAIMER.search(verdict.text))
        )
        silent += handled
        if not handled:
            failures.append(f"release-silent {verdict.kind}: {q}")
    n = len(qs.in_scope)
    return {
        "facts": _share(facts, n),
        "hard": _share(hard, hard_total),
        "direct": _share(direct, n),
        "wrong": _share(wrong, n),
        "oos": _share(oos, len(qs.out_of_scope)),
        "near": _share(near, len(qs.out_of_scope_near)),
        "silent": _share(silent, len(qs.release_silent)),
        "counts": {
            "in_scope": n,
            "hard": hard_total,
            "oos": len(qs.out_of_scope),
            "near": len(qs.out_of_scope_near),
            "silent": len(qs.release_silent),
        },
        "failures": [] if qs.heldout else failures,
    }


def tune_baseline(baseline: Baseline, sets: Sequence[QuestionSet]) -> float:
    """The cut-off that maximises the mean of in-scope and declined shares on `sets`."""
    best_cutoff, best_value = 0.0, -1.0
    for cutoff in range(0, 101, 2):
        baseline.cutoff = float(cutoff)
        values = []
        for qs in sets:
            row = quality(baseline, qs)
            declined = [row[k] for k in ("oos", "near") if row[k] is not None]
            values.append(((row["facts"] or 0.0) + statistics.mean(declined or [0.0])) / 2)
        value = statistics.mean(values)
        if value > best_value:
            best_cutoff, best_value = float(cutoff), value
    baseline.cutoff = best_cutoff
    return best_cutoff


# --- speed ---------------------------------------------------------------------------------


def synthetic_faq(base: Any, size: int, faq_type: Any, topic_type: Any, seed: int = 12) -> Any:
    """`size` entries made by recombining the real FAQ's words, so the vocabulary grows too."""
    rng = random.Random(seed)
    words = sorted({w for e in base.entries for w in (e.question + " " + e.answer).split()})
    fillers = [f"{w}{rng.randint(0, 999)}" for w in rng.sample(words, min(len(words), 300))]
    pool = words + fillers
    entries = []
    for n in range(size):
        model = base.entries[n % len(base.entries)]
        entries.append(
            replace(
                model,
                id=f"synthetic-{n}",
                question=" ".join(rng.sample(pool, 7)) + "?",
                aliases=tuple(" ".join(rng.sample(pool, rng.randint(3, 8))) for _ in range(6)),
                answer=" ".join(rng.sample(pool, 60)),
                related=(),
            )
        )
    topic = topic_type("synthetic", "Synthetic", "", tuple(e.id for e in entries))
    extra = (
        {"subject": base.subject, "not_about": base.not_about} if hasattr(base, "subject") else {}
    )
    return faq_type(
        tuple(entries), (topic,), base.synonyms, base.sources, f"synthetic-{size}", **extra
    )


def latency(answer: Callable[[str], object], questions: Sequence[str], rounds: int) -> dict:
    samples = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            answer(question)
            samples.append((time.perf_counter() - started) * 1e3)
    return _percentiles(samples)


def latency_while_warming(index: FaqIndex, questions: Sequence[str]) -> dict:
    """`latency` of the questions asked, in turn, while `index.warm_answers` runs in a thread
    (served as the bot serves it: `defer_answers`); how many, and how long the warm-up took."""
    index.defer_answers()
    warming = threading.Thread(target=index.warm_answers)
    samples = []
    started = time.perf_counter()
    warming.start()
    for question in questions:
        if not warming.is_alive():
            break
        asked = time.perf_counter()
        index.answer(question)
        samples.append((time.perf_counter() - asked) * 1e3)
    warming.join()
    assert samples, "the warm-up finished before the first question"
    return {
        **_percentiles(samples),
        "questions": len(samples),
        "warm_s": round(time.perf_counter() - started, 3),
    }


def _percentiles(samples: list[float]) -> dict:
    samples = sorted(samples)
    return {
        "p50_ms": round(samples[len(samples) // 2], 3),
        "p99_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.99))], 3),
    }


def _timed(build: Callable[[], object]) -> tuple[object, float]:
    started = time.perf_counter()
    built = build()
    return built, time.perf_counter() - started


def overrides(settings: Sequence[str]) -> tuple[Thresholds, Weights]:
    """`name=value` pairs applied to the engine's Thresholds and Weights."""
    thresholds, weights = Thresholds(), Weights()
    for setting in settings:
        name, _, value = setting.partition("=")
        target = thresholds if hasattr(thresholds, name) else weights
        if not hasattr(target, name):
            raise SystemExit(f"--set {setting}: no Thresholds or Weights field {name!r}")
        kind = type(getattr(target, name))
        changed = replace(target, **{name: kind(value)})
        if target is thresholds:
            thresholds = changed  # type: ignore[assignment]
        else:
            weights = changed  # type: ignore[assignment]
    return thresholds, weights


# --- report --------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "  -  " if value is None else f"{value:6.1%}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faq", type=Path, default=SHIPPED_FAQ_DIR)
    parser.add_argument("--questions", type=Path, action="append", help="instead of defaults")
    parser.add_argument("--json", type=Path, help="also write the full report here")
    parser.add_argument("--quick", action="store_true", help="fewer speed rounds")
    parser.add_argument("--no-encoder", action="store_true", help="skip engine+enc")
    parser.add_argument("--no-speed", action="store_true", help="quality only")
    parser.add_argument(
        "--cold-answers",
        action="store_true",
        help="engine+enc as in the first seconds after a start: answers deferred, never warm",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Thresholds or Weights field for `engine` (tuning), e.g. subject=0.1",
    )
    parser.add_argument(
        "--show-failures", action="store_true", help="list failures (tuning sets only)"
    )
    args = parser.parse_args(argv)

    paths = args.questions or [p for p in (*TUNING_SETS, *HELDOUT_SETS) if p.is_file()]
    sets = [load_question_set(p) for p in paths]
    faq = load_faq(args.faq)
    thresholds, weights = overrides(args.set)
    index = FaqIndex(faq, thresholds=thresholds, weights=weights)
    v1_index_mod, v1_loader, v1_models, v1_faq_dir = load_v1()
    v1_faq = v1_loader.load_faq(v1_faq_dir)
    v1_index = v1_index_mod.FaqIndex(v1_faq)
    baseline = Baseline(faq.entries)
    cutoff = tune_baseline(baseline, [qs for qs in sets if not qs.heldout] or sets)
    systems: dict[str, Answerer] = {
        "naive": baseline,
        "v1": engine_answerer(v1_index),
        "engine": engine_answerer(index),
    }
    encoded_index = None
    encoder_rss_mb = None
    if not args.no_encoder:
        import psutil

        from bot.engine.encoder import load_encoder

        before = psutil.Process().memory_info().rss
        encoder, load_s = _timed(load_encoder)
        encoder_rss_mb = (psutil.Process().memory_info().rss - before) / 1e6
        encoded_index = FaqIndex(
            faq,
            thresholds=thresholds,
            weights=weights,
            encoder=encoder,  # type: ignore[arg-type]
        )
        if args.cold_answers:
            encoded_index.defer_answers()
        systems["engine+enc"] = engine_answerer(encoded_index)
        print(f"encoder loaded and warmed in {load_s:.2f} s, RSS +{encoder_rss_mb:.0f} MB")

    report: dict[str, Any] = {
        "faq_version": faq.version,
        "baseline_cutoff": cutoff,
        "quality": {},
    }
    print(f"naive baseline cut-off {cutoff:.0f} (tuned on the tuning sets)")
    header = "set / system".ljust(34) + "".join(
        f"{h:>8}" for h in ("facts", "hard", "direct", "wrong", "oos", "near", "silent")
    )
    print(header)
    for qs in sets:
        c = None
        for name, answerer in systems.items():
            row = quality(answerer, qs)
            c = row["counts"]
            report["quality"].setdefault(qs.name, {})[name] = row
            print(
                f"{qs.name[:24]:<24} {name:<9}"
                + "".join(
                    f"  {_pct(row[k])}"
                    for k in ("facts", "hard", "direct", "wrong", "oos", "near", "silent")
                )
            )
        if c:
            print(
                f"{'':<24} n: {c['in_scope']} in-scope ({c['hard']} hard), {c['oos']} oos, "
                f"{c['near']} near, {c['silent']} silent"
            )
        if args.show_failures and not qs.heldout:
            for name in ("engine", "engine+enc"):
                if name in report["quality"][qs.name]:
                    for line in report["quality"][qs.name][name]["failures"]:
                        print(f"    {name}: {line}")

    if args.no_speed:
        if args.json:
            args.json.write_text(json.dumps(report, indent=2))
        return 0
    questions = [i.q for qs in sets for i in qs.in_scope] + [
        q for qs in sets for q in (*qs.out_of_scope, *qs.out_of_scope_near)
    ]
    rounds = {"real": 3 if args.quick else 10, "1k": 1 if args.quick else 3}
    speed: list[dict[str, Any]] = []
    v1_big = synthetic_faq(v1_faq, 1_000, v1_models.Faq, v1_models.Topic)
    big = synthetic_faq(faq, 1_000, Faq, Topic)
    big_index, cold = _timed(lambda: FaqIndex(big))
    v1_big_index, v1_cold = _timed(lambda: v1_index_mod.FaqIndex(v1_big))
    big_encoded = None
    report["build"] = {"cold_1k_s": round(cold, 3), "v1_cold_1k_s": round(v1_cold, 3)}
    if encoded_index is not None:
        from bot.engine.encoder import SentenceEncoder

        # The bot serves at once and warms the answers in the background (`defer_answers`):
        # first a round of questions with none of the answers warm (the question path alone,
        # their own empty cache), then questions asked back to back while `warm_answers` runs
        # beside them, as in the bot, then the cold build, the warm-up alone and the warm
        # index like every other row.
        for key in ("cold_answers_1k", "warming_answers_1k"):
            unwarmed = SentenceEncoder()
            unwarmed.encode(["warm up"])
            cold_index = FaqIndex(big, encoder=unwarmed)
            if key == "cold_answers_1k":
                cold_index.defer_answers()
                report[key] = latency(cold_index.answer, questions, 1)
            else:
                report[key] = latency_while_warming(cold_index, questions)
        del unwarmed, cold_index
        fresh = SentenceEncoder()  # an empty cache: every phrase of the 1,000 entries encoded
        fresh.encode(["warm up"])
        big_encoded, enc_cold = _timed(lambda: FaqIndex(big, encoder=fresh))
        report["build"]["cold_1k_enc_s"] = round(enc_cold, 3)
        _, warm_s = _timed(big_encoded.warm_answers)  # type: ignore[attr-defined]
        report["build"]["warm_answers_1k_s"] = round(warm_s, 3)
        encoded_index.warm_answers()
    for label, ours, old, naive, encoded in (
        ("real", index, v1_index, baseline.best, encoded_index),
        ("1k", big_index, v1_big_index, Baseline(big.entries).best, big_encoded),
    ):
        row = {
            "size": label,
            "engine": latency(ours.answer, questions, rounds[label]),  # type: ignore[attr-defined]
            "v1": latency(old.answer, questions, rounds[label]),  # type: ignore[attr-defined]
            "naive": latency(naive, questions, rounds[label]),
        }
        if encoded is not None:
            row["engine+enc"] = latency(encoded.answer, questions, rounds[label])  # type: ignore[attr-defined]
        speed.append(row)
    report["speed"] = speed
    _, reload_s = _timed(lambda: FaqIndex(load_faq(args.faq)))
    report["build"]["reload_unchanged_s"] = round(reload_s, 3)
    if encoded_index is not None:
        from bot.engine.encoder import load_encoder

        encoder = load_encoder()
        _, enc_reload = _timed(lambda: build_index(load_faq(args.faq)))
        report["build"]["reload_unchanged_enc_s"] = round(enc_reload, 3)
        report["encoder_rss_mb"] = round(encoder_rss_mb or 0.0, 1)
    for row in speed:
        print(
            f"speed {row['size']:>4}: "
            + " | ".join(
                f"{name} p50 {row[name]['p50_ms']:.3f} ms p99 {row[name]['p99_ms']:.3f} ms"
                for name in ("engine", "engine+enc", "v1", "naive")
                if name in row
            )
        )
    if "cold_answers_1k" in report:
        cold, warming = report["cold_answers_1k"], report["warming_answers_1k"]
        print(
            f"speed   1k before the answers warm: engine+enc p50 {cold['p50_ms']:.3f} ms p99 "
            f"{cold['p99_ms']:.3f} ms (a first round, none warm) | with the warm-up beside "
            f"them p50 {warming['p50_ms']:.3f} ms p99 {warming['p99_ms']:.3f} ms "
            f"({warming['questions']} questions back to back while it took "
            f"{warming['warm_s']:.3f} s; alone {report['build']['warm_answers_1k_s']:.3f} s)"
        )
    b = report["build"]
    print(
        f"build: cold 1k entries {b['cold_1k_s']:.3f} s (v1 {b['v1_cold_1k_s']:.3f} s"
        + (f", with the encoder {b['cold_1k_enc_s']:.3f} s" if "cold_1k_enc_s" in b else "")
        + f") | reload of the unchanged FAQ {b['reload_unchanged_s']:.3f} s"
        + (
            f" ({b['reload_unchanged_enc_s']:.3f} s with the encoder, nothing re-encoded)"
            if "reload_unchanged_enc_s" in b
            else ""
        )
    )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
