"""The `faqbot` command line; `python -m bot` is the same program."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from bot.engine.index import FaqIndex
from bot.engine.loader import load_faq, validate_faq_dir
from bot.engine.models import Answer, FaqError, Outcome
from bot.settings import SHIPPED_FAQ_DIR

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _default_faq_dir() -> Path:
    return Path(os.environ.get("FAQ_DIR") or SHIPPED_FAQ_DIR)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="faqbot",
        description="Discord FAQ bot for the 12MSP to the Convention on Cluster Munitions. "
        "With no command, starts the bot.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="start the Discord bot (reads DISCORD_TOKEN)")
    run.add_argument("--env-file", type=Path, help="read settings from this .env-style file too")

    ask = sub.add_parser("ask", help="answer questions from the FAQ, as the bot would")
    ask.add_argument("question", nargs="*", help="the question; without it, one per stdin line")
    ask.add_argument("--json", action="store_true", help="one JSON object per question per line")
    ask.add_argument("--faq", type=Path, help="FAQ directory (default: FAQ_DIR or the shipped one)")

    validate = sub.add_parser("validate", help="check a FAQ directory; exit 1 on errors")
    validate.add_argument("directory", nargs="?", type=Path, help="default: FAQ_DIR or shipped")
    validate.add_argument("--aliases", type=Path, help="a learned-aliases file to check with it")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `faqbot` console script."""
    args = build_parser().parse_args(argv)
    command = args.command or "run"
    if command == "ask":
        code = cmd_ask(args.question, as_json=args.json, faq_dir=args.faq or _default_faq_dir())
    elif command == "validate":
        code = cmd_validate(args.directory or _default_faq_dir(), args.aliases)
    else:
        from bot.runner import run_bot

        code = run_bot(env_file=getattr(args, "env_file", None))
    return code


def cmd_ask(
    question_words: Sequence[str],
    *,
    as_json: bool,
    faq_dir: Path,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    try:
        index = FaqIndex(load_faq(faq_dir))
    except FaqError as exc:
        print(f"The FAQ in {faq_dir} has errors; run `faqbot validate {faq_dir}`:", file=sys.stderr)
        print(exc, file=sys.stderr)
        return EXIT_PROBLEMS
    questions: Iterable[str]
    if question_words:
        questions = [" ".join(question_words)]
    else:
        questions = (line.rstrip("\n") for line in (stdin or sys.stdin) if line.strip())
    for question in questions:
        answer = index.answer(question)
        if as_json:
            print(json.dumps(answer_json(answer), ensure_ascii=False), file=out, flush=True)
        else:
            print(answer_text(answer), file=out, flush=True)
    return EXIT_OK


def answer_json(answer: Answer) -> dict[str, object]:
    """The `--json` shape: stable keys a script can rely on."""
    best = answer.best
    return {
        "question": answer.question,
        "answered": answer.answered,
        "outcome": answer.outcome.value,
        "id": best.entry.id if best else None,
        "score": best.score if best else None,
        "answer": best.entry.answer if best else None,
        "suggestions": [
            {"id": c.entry.id, "question": c.entry.question, "score": c.score}
            for c in answer.alternatives
        ],
        "faq_version": answer.faq_version,
    }


def answer_text(answer: Answer) -> str:
    """The answer as a person reads it in a terminal."""
    lines = [f"? {answer.question.strip()[:200]}"]
    if answer.best is not None:
        entry = answer.best.entry
        lines += [f"# {entry.question}", "", _BOLD.sub(r"\1", entry.answer)]
        if entry.link:
            lines.append(f"{entry.link_label}: {entry.link}")
        lines.append(f'Source: "{entry.sources[0]}"')
        if answer.alternatives:
            lines.append("See also: " + " | ".join(c.entry.question for c in answer.alternatives))
    elif answer.outcome is Outcome.SUGGESTED:
        lines.append("Did you mean:")
        lines += [f"  - {c.entry.question}" for c in answer.alternatives]
    elif answer.outcome is Outcome.REFUSED:
        lines.append(f"Please ask a question ({answer.reason}).")
    else:
        lines.append(
            "I don't know: the FAQ does not cover that. I answer questions about the 12MSP "
            "(dates, venue, participation, obligations, the stakeholder dialogue, contacts)."
        )
        if answer.alternatives:
            lines.append("Perhaps: " + " | ".join(c.entry.question for c in answer.alternatives))
    return "\n".join(lines) + "\n"


def cmd_validate(faq_dir: Path, learned_aliases: Path | None = None) -> int:
    report = validate_faq_dir(faq_dir, learned_aliases)
    for problem in report.problems:
        print(problem, file=sys.stderr if problem in report.errors else sys.stdout)
    if report.faq is None:
        print(f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)", file=sys.stderr)
        return EXIT_PROBLEMS
    faq = report.faq
    print(
        f"OK: {len(faq.entries)} entries in {len(faq.topics)} topics, version {faq.version}"
        + (f", {len(report.warnings)} warning(s)" if report.warnings else "")
    )
    return EXIT_OK
