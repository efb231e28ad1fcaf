"""Where to set the "Add as alias" bar: scores of the engine's closest entry for questions
that deserve an alias, and for text that must never become one.

    python bench/alias_bar_bench.py [--questions FILE ...]

Good candidates: the in-scope questions of the eval sets whose closest entry (the one the
button would offer) is the right one (its answer holds every expected fact). Bad candidates:
the out-of-scope questions, and spam / phishing / fake notices as they are posted in Discord
servers (below). For each bar, the share of good candidates still offered and how many bad
ones would be. `bot.services.misses.MIN_ALIAS_OFFER_SCORE` is set from this.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from engine_bench import TUNING_SETS, has_facts, load_question_set  # noqa: E402

from bot.engine.index import FaqIndex  # noqa: E402
from bot.engine.loader import load_faq  # noqa: E402
from bot.services.misses import MIN_ALIAS_OFFER_SCORE  # noqa: E402
from bot.settings import SHIPPED_FAQ_DIR  # noqa: E402

HOSTILE = (
    "free nitro for all states parties claim here discord.gg/n1tro",
    "official notice: the meeting is cancelled, delegates must re-register at this link",
    "click here to verify your delegate account before the meeting",
    "URGENT: UN Geneva security update, log in with your badge number",
    "buy cheap hotel rooms in geneva dm me",
    "investment opportunity for delegates, 300% returns in a week",
    "the meeting of states parties has been moved, new registration link in my bio",
    "giveaway: first 100 delegates get a free conference pass",
    "send me your passport number to confirm participation",
    "crypto airdrop for convention on cluster munitions supporters",
    "@everyone the 12MSP is cancelled, official statement at bit.ly/x",
    "hot singles near the palais des nations",
)
BARS = (0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, nargs="*", help="eval sets (YAML)")
    args = parser.parse_args()
    paths = args.questions or list(TUNING_SETS)  # never the frozen held-out sets
    index = FaqIndex(load_faq(SHIPPED_FAQ_DIR))
    good: list[float] = []
    wrong_target: list[float] = []
    bad: list[tuple[float, str]] = []
    missed_good: list[float] = []
    missed_bad: list[float] = []
    for path in dict.fromkeys(paths):
        questions = load_question_set(path)
        for item in questions.in_scope:
            question, expect = item.q, item.expect
            top = index.rank(question, limit=1)
            if not top:
                continue
            if has_facts(top[0].entry.answer, expect):
                good.append(top[0].score)
                if not index.answer(question).answered:
                    missed_good.append(top[0].score)
            else:
                wrong_target.append(top[0].score)
        for question in [*questions.out_of_scope, *questions.out_of_scope_near]:
            top = index.rank(question, limit=1)
            if top:
                bad.append((top[0].score, question))
                if not index.answer(question).answered:
                    missed_bad.append(top[0].score)
    for question in HOSTILE:
        top = index.rank(question, limit=1)
        if top:
            bad.append((top[0].score, question))
            if not index.answer(question).answered:
                missed_bad.append(top[0].score)
    good.sort()
    print(
        f"good candidates: {len(good)} (closest entry right), scores min {good[0]:.2f} "
        f"p5 {good[len(good) // 20]:.2f} p10 {good[len(good) // 10]:.2f} "
        f"median {good[len(good) // 2]:.2f}; closest entry wrong: {len(wrong_target)}"
    )
    print(f"bad candidates: {len(bad)} (out of scope, spam, phishing, fake notices)")
    for score, question in sorted(bad, reverse=True)[:8]:
        print(f"  bad {score:.2f} {question}")
    shown = ", ".join(f"{score:.2f}" for score in sorted(missed_good))
    hostile = max(index.rank(q, limit=1)[0].score for q in HOSTILE)
    print(f"missed in-scope questions with the right closest entry: {shown}")
    print(f"spam / phishing / fake notices: highest score {hostile:.2f}")
    for bar in sorted({*BARS, MIN_ALIAS_OFFER_SCORE}):
        kept = sum(score >= bar for score in good) / len(good)
        wrong = sum(score >= bar for score in wrong_target)
        offered = sum(score >= bar for score, _ in bad)
        mark = "  <- MIN_ALIAS_OFFER_SCORE" if bar == MIN_ALIAS_OFFER_SCORE else ""
        print(
            f"bar {bar:.2f}: good offered {kept:6.1%} | wrong entry offered {wrong:2d} | "
            f"bad offered {offered:2d}/{len(bad)} | among misses: good "
            f"{sum(s >= bar for s in missed_good)}/{len(missed_good)} "
            f"bad {sum(s >= bar for s in missed_bad)}/{len(missed_bad)}{mark}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
