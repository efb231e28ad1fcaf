"""The `faqbot` command line; `python -m bot` is the same program."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from bot.engine.encoder import load_encoder
from bot.engine.explain import render_explanation
from bot.engine.index import FaqIndex
from bot.engine.loader import load_faq, validate_faq_dir
from bot.engine.models import Answer, FaqError, Outcome
from bot.engine.multilingual import LocalizedAnswer, MultilingualIndex
from bot.engine.text import Synonyms
from bot.i18n import note_text, source_label, speaks_line, tr
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
    ask.add_argument(
        "--explain", action="store_true", help="also show why: terms, weights, each entry's signals"
    )
    ask.add_argument(
        "--encoder", action="store_true", help="with the sentence encoder, as the bot runs"
    )
    ask.add_argument(
        "--lang",
        metavar="CODE",
        help="answer in this language (en, fr, es); default: the question's own language",
    )
    ask.add_argument("--faq", type=Path, help="FAQ directory (default: FAQ_DIR or the shipped one)")

    validate = sub.add_parser("validate", help="check a FAQ directory; exit 1 on errors")
    validate.add_argument("directory", nargs="?", type=Path, help="default: FAQ_DIR or shipped")
    validate.add_argument("--aliases", type=Path, help="a learned-aliases file to check with it")

    misses = sub.add_parser(
        "misses", help="the most frequent unanswered questions, near-duplicates grouped"
    )
    misses.add_argument("--days", type=float, default=7.0, help="look back N days (default 7)")
    misses.add_argument(
        "--export", type=Path, metavar="FILE", help="write them as a FAQ file with TODO answers"
    )
    misses.add_argument("--guild", type=int, help="only questions asked in this guild")
    misses.add_argument("--data-dir", type=Path, help="default: DATA_DIR or the XDG data dir")
    misses.add_argument("--faq", type=Path, help="FAQ directory (default: FAQ_DIR or shipped)")

    aliases = sub.add_parser("aliases", help="list, export or remove aliases learned from misses")
    action = aliases.add_mutually_exclusive_group()
    action.add_argument("--list", action="store_true", help="list them (the default)")
    action.add_argument(
        "--export", type=Path, metavar="FILE", help="write them as YAML to fold back into faq/"
    )
    action.add_argument("--remove", nargs=2, metavar=("ENTRY", "ALIAS"), help="remove one")
    action.add_argument("--add", nargs=2, metavar=("ENTRY", "ALIAS"), help="add one (validated)")
    aliases.add_argument("--data-dir", type=Path, help="default: DATA_DIR or the XDG data dir")
    aliases.add_argument("--faq", type=Path, help="FAQ directory (default: FAQ_DIR or shipped)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `faqbot` console script."""
    args = build_parser().parse_args(argv)
    command = args.command or "run"
    if command == "ask":
        code = cmd_ask(
            args.question,
            as_json=args.json,
            faq_dir=args.faq or _default_faq_dir(),
            explain=args.explain,
            encoder=args.encoder,
            language=args.lang,
        )
    elif command == "validate":
        code = cmd_validate(args.directory or _default_faq_dir(), args.aliases)
    elif command == "misses":
        code = cmd_misses(
            data_dir=args.data_dir or _default_data_dir(),
            faq_dir=args.faq or _default_faq_dir(),
            days=args.days,
            export=args.export,
            guild_id=args.guild,
        )
    elif command == "aliases":
        code = cmd_aliases(
            data_dir=args.data_dir or _default_data_dir(),
            faq_dir=args.faq or _default_faq_dir(),
            export=args.export,
            remove=args.remove,
            add=args.add,
        )
    else:
        from bot.client.runner import run_bot

        code = run_bot(env_file=getattr(args, "env_file", None))
    return code


def cmd_ask(
    question_words: Sequence[str],
    *,
    as_json: bool,
    faq_dir: Path,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    explain: bool = False,
    encoder: bool = False,
    language: str | None = None,
) -> int:
    out = out or sys.stdout
    try:
        index = FaqIndex(load_faq(faq_dir), encoder=load_encoder() if encoder else None)
    except FaqError as exc:
        print(f"The FAQ in {faq_dir} has errors; run `faqbot validate {faq_dir}`:", file=sys.stderr)
        print(exc, file=sys.stderr)
        return EXIT_PROBLEMS
    polyglot = MultilingualIndex(index)
    if language is not None and language not in polyglot.languages:
        known = ", ".join(polyglot.languages)
        print(f"--lang {language}: the FAQ is written in {known}", file=sys.stderr)
        return EXIT_USAGE
    questions: Iterable[str]
    if question_words:
        questions = [" ".join(question_words)]
    else:
        questions = (line.rstrip("\n") for line in (stdin or sys.stdin) if line.strip())
    for question in questions:
        reply = polyglot.answer(question, language=language)
        explained = polyglot.indexes[reply.language] if explain else None
        if as_json:
            row = answer_json(reply.answer)
            row["language"] = reply.language
            row["asked_in"] = reply.asked_in
            row["note"] = note_text(reply.answer, reply.language)
            if explained is not None:
                row["explain"] = dataclasses.asdict(explained.explain(question))
            print(json.dumps(row, ensure_ascii=False, default=str), file=out, flush=True)
        else:
            print(answer_text(reply, polyglot.languages), file=out, flush=True)
            if explained is not None:
                print(render_explanation(explained.explain(question)) + "\n", file=out, flush=True)
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
        "note": answer.note,
    }


def answer_text(reply: LocalizedAnswer, languages: tuple[str, ...] = ("en",)) -> str:
    """The answer as a person reads it in a terminal, in the answer's language."""
    answer, lang = reply.answer, reply.language
    lines = [f"? {answer.question.strip()[:200]}"]
    if reply.other_language:
        lines.append(speaks_line(reply.other_language, languages))
    note = note_text(answer, lang)
    if note:
        lines.append(note)
    if answer.best is not None and answer.shows_entry:
        entry = answer.best.entry
        lines += [f"# {entry.question}", "", _BOLD.sub(r"\1", entry.answer)]
        if entry.link:
            lines.append(f"{entry.link_label}: {entry.link}")
        lines.append(source_label(lang) + f' "{entry.sources[0]}"')
        if answer.alternatives:
            see_also = " | ".join(c.entry.question for c in answer.alternatives)
            lines.append(tr(lang, "See also: {questions}", questions=see_also))
    elif answer.outcome is Outcome.SUGGESTED:
        lines.append(tr(lang, "Did you mean:"))
        lines += [f"  - {c.entry.question}" for c in answer.alternatives]
    elif answer.outcome is Outcome.REFUSED:
        lines.append(tr(lang, "Please ask a question ({reason}).", reason=answer.reason))
    else:
        lines.append(
            tr(
                reply.other_language or lang,
                "I don't know: the FAQ does not cover that. I answer questions about the "
                "12MSP (dates, venue, participation, obligations, the stakeholder dialogue, "
                "contacts).",
            )
        )
        if answer.alternatives:
            perhaps = " | ".join(c.entry.question for c in answer.alternatives)
            lines.append(tr(lang, "Perhaps: {questions}", questions=perhaps))
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


# --- misses and learned aliases (the moderators' side) -------------------------------------


def _default_data_dir() -> Path:
    from bot.settings import default_data_dir

    return Path(os.environ.get("DATA_DIR") or default_data_dir()).expanduser().absolute()


def _index_or_none(faq_dir: Path, learned_aliases: Path | None = None) -> FaqIndex | None:
    """The FAQ's index, or None (with a note on stderr) when it has errors."""
    try:
        return FaqIndex(load_faq(faq_dir, learned_aliases))
    except FaqError as exc:
        print(
            f"note: the FAQ in {faq_dir} has {len(exc.problems)} error(s) "
            f"(see `faqbot validate`); closest entries are not shown",
            file=sys.stderr,
        )
        return None


def cmd_misses(
    *,
    data_dir: Path,
    faq_dir: Path,
    days: float,
    export: Path | None = None,
    guild_id: int | None = None,
    out: TextIO | None = None,
) -> int:
    """Print (or export as YAML stubs) the grouped unanswered questions of the last `days`."""
    import asyncio

    from bot.services.learned import learned_path
    from bot.services.misses import closest_entry, export_stubs, group_misses, topic_slug
    from bot.services.store import DB_FILE, Miss, Store

    out = out or sys.stdout
    to_stdout = export is not None and str(export) == "-"
    info = sys.stderr if to_stdout else out  # keep standard output for the YAML
    if days <= 0:
        print("--days must be more than 0", file=sys.stderr)
        return EXIT_USAGE
    if not (data_dir / DB_FILE).is_file():
        print(f"No database at {data_dir / DB_FILE}: the bot has recorded nothing yet.", file=info)
        return EXIT_OK

    async def read() -> list[Miss]:
        store = await Store.open(data_dir)
        try:
            return await store.misses(days=days, guild_id=guild_id)
        finally:
            await store.close()

    misses = asyncio.run(read())
    index = _index_or_none(faq_dir, learned_path(data_dir))
    groups = group_misses(misses, synonyms=index.synonyms if index else Synonyms.build({}))
    if export is not None:
        if not groups:
            print(
                f"No unanswered questions in the last {days:g} day(s); nothing written.", file=info
            )
            return EXIT_OK
        text = export_stubs(groups, topic=topic_slug(export.stem), index=index, days=days)
        if to_stdout:
            out.write(text)
        else:
            export.write_text(text, encoding="utf-8")
            print(f"Wrote {len(groups)} stub(s) to {export}", file=out)
        return EXIT_OK
    if not groups:
        print(f"No unanswered questions in the last {days:g} day(s).", file=out)
        return EXIT_OK
    print(
        f"{len(misses)} unanswered question(s) in the last {days:g} day(s), "
        f"{len(groups)} group(s):",
        file=out,
    )
    for group in groups:
        people = f", {group.askers} people" if group.askers else ""
        similar = f" (+{len(group.variants)} similar)" if group.variants else ""
        closest = closest_entry(index, group) if index else None
        hint = f"  -> {closest.entry.id} ({closest.score:.2f})" if closest else ""
        print(f"{group.count:5d}x{people}  {group.question}{similar}{hint}", file=out)
    return EXIT_OK


def cmd_aliases(
    *,
    data_dir: Path,
    faq_dir: Path,
    export: Path | None = None,
    remove: Sequence[str] | None = None,
    add: Sequence[str] | None = None,
    out: TextIO | None = None,
) -> int:
    """List, export, add or remove learned aliases (a running bot reloads on its own)."""
    from bot.services.learned import LearnedAliases, LearnedAliasesError, learned_path

    out = out or sys.stdout
    learned = LearnedAliases(learned_path(data_dir))
    try:
        if remove:
            change = learned.remove(remove[0], remove[1])
        elif add:
            change = learned.add(add[0], add[1], faq_dir=faq_dir)
        else:
            change = None
        if change is not None:
            print(change.message, file=out if change.ok else sys.stderr)
            for problem in change.problems:
                print(problem, file=sys.stderr)
            return EXIT_OK if change.ok else EXIT_PROBLEMS
        if export is not None:
            index = _index_or_none(faq_dir, learned.path)
            text = learned.export(index.faq if index else None)
            if str(export) == "-":
                out.write(text)
            else:
                export.write_text(text, encoding="utf-8")
                print(f"Wrote {learned.count()} learned alias(es) to {export}", file=out)
            return EXIT_OK
        aliases = learned.load()
    except LearnedAliasesError as exc:
        print(exc, file=sys.stderr)
        return EXIT_PROBLEMS
    if not any(aliases.values()):
        print(f"No learned aliases ({learned.path}).", file=out)
        return EXIT_OK
    for entry_id in sorted(aliases):
        for alias in aliases[entry_id]:
            print(f"{entry_id}\t{alias}", file=out)
    return EXIT_OK
