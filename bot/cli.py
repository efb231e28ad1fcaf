"""The `faqbot` command line; `python -m bot` is the same program."""

from __future__ import annotations

import argparse
import dataclasses
import errno
import json
import os
import re
import sqlite3
import sys
from collections.abc import Awaitable, Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from bot.engine.checks import run_checks
from bot.engine.encoder import load_encoder
from bot.engine.explain import render_explanation
from bot.engine.index import FaqIndex
from bot.engine.loader import load_faq, validate_faq_dir
from bot.engine.models import Answer, FaqError, Outcome, Problem
from bot.engine.multilingual import LocalizedAnswer, MultilingualIndex
from bot.engine.text import Synonyms
from bot.i18n import note_text, source_label, speaks_line, tr
from bot.services.safe_text import terminal_line
from bot.settings import SHIPPED_FAQ_DIR

if TYPE_CHECKING:
    from bot.services.misses import MissGroup
    from bot.services.store import Store

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2

_BOLD = re.compile(r"\*\*(.+?)\*\*")
Read = TypeVar("Read")


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
    history = sub.add_parser("history", help="changes saved from Discord (who, when, what)")
    history.add_argument("entry", nargs="?", help="only this entry's changes")
    history.add_argument("--limit", type=int, default=20, help="at most N changes (default 20)")
    history.add_argument("--diff", action="store_true", help="also each file's change as a diff")
    history.add_argument("--data-dir", type=Path, help="default: DATA_DIR or the XDG data dir")

    handoffs = sub.add_parser(
        "handoffs", help="questions handed to the moderators: open ones, or export the answered"
    )
    handoffs.add_argument(
        "--export",
        type=Path,
        metavar="FILE",
        help="write the answered ones as a FAQ file citing the moderators ('-': stdout)",
    )
    handoffs.add_argument(
        "--days", type=float, help="export those answered in the last N days (default: all kept)"
    )
    handoffs.add_argument("--data-dir", type=Path, help="default: DATA_DIR or the XDG data dir")

    invite = sub.add_parser(
        "invite", help="print the URL that adds the bot to a server, with the permissions it needs"
    )
    invite.add_argument(
        "--application-id", type=int, help="default: read from DISCORD_TOKEN (never printed)"
    )
    invite.add_argument("--env-file", type=Path, help="read DISCORD_TOKEN from this file too")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `faqbot` console script."""
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except (OSError, sqlite3.Error) as exc:
        print(f"faqbot: {_operational_error(exc)}", file=sys.stderr)
        return EXIT_PROBLEMS
    except Exception as exc:
        from bot.services.store import StoreError

        if not isinstance(exc, StoreError):
            raise  # a bug: the traceback is what a developer needs
        print(f"faqbot: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS


def _operational_error(error: OSError | sqlite3.Error) -> str:
    """One line for a failure of the machine rather than of the program: where and why."""
    from bot.services.storage_errors import storage_problem

    where = getattr(error, "filename", None)
    return f"{where}: {storage_problem(error)}" if where else storage_problem(error)


def _dispatch(args: argparse.Namespace) -> int:
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
    elif command == "history":
        code = cmd_history(
            data_dir=args.data_dir or _default_data_dir(),
            entry_id=args.entry,
            limit=args.limit,
            diff=args.diff,
        )
    elif command == "handoffs":
        code = cmd_handoffs(
            data_dir=args.data_dir or _default_data_dir(), export=args.export, days=args.days
        )
    elif command == "invite":
        code = cmd_invite(application_id=args.application_id, env_file=args.env_file)
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
    lines = [f"? {terminal_line(answer.question.strip()[:200])}"]
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
        statement = entry.cited_statement
        if statement is not None:
            # A moderator's name and a date: the same in every language.
            lines.append(f"Source: moderator {statement.moderator}, {statement.date.isoformat()}")
        else:
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
    for problem, line in problem_lines(report.problems):
        print(line, file=sys.stderr if problem in report.errors else sys.stdout)
    if report.faq is None:
        causes = [p for p in report.errors if p.cause is None]
        knock_ons = len(report.errors) - len(causes)
        follow = f" (+{knock_ons} that follow from them)" if knock_ons else ""
        print(f"{len(causes)} error(s){follow}, {len(report.warnings)} warning(s)", file=sys.stderr)
        return EXIT_PROBLEMS
    faq = report.faq
    # The checks ask their questions as the bot does: with the sentence encoder.
    run = run_checks(FaqIndex(faq, encoder=load_encoder()))
    for failure in run.failures:
        print(failure.problem(), file=sys.stderr)
    if not run.ok:
        print(run.summary(), file=sys.stderr)
        return EXIT_PROBLEMS
    print(
        f"OK: {len(faq.entries)} entries in {len(faq.topics)} topics, version {faq.version}, "
        + run.summary()
        + (f", {len(report.warnings)} warning(s)" if report.warnings else "")
    )
    return EXIT_OK


def problem_lines(problems: Sequence[Problem]) -> list[tuple[Problem, str]]:
    """Each problem on its line (escaped: learned aliases come from what delegates typed),
    with the knock-on errors indented under their cause (fix the cause and they go too)."""
    knock_ons: dict[Problem, list[Problem]] = {}
    for problem in problems:
        if problem.cause is not None and problem.cause in problems:
            knock_ons.setdefault(problem.cause, []).append(problem)
    lines: list[tuple[Problem, str]] = []
    for problem in problems:
        if problem.cause is not None and problem.cause in knock_ons:
            continue
        lines.append((problem, terminal_line(str(problem))))
        lines += [(k, f"    {terminal_line(str(k))}") for k in knock_ons.get(problem, ())]
    return lines


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


def _info_stream(export: Path | None, out: TextIO) -> TextIO:
    """Where to say what happened: standard error while the export itself goes to standard
    output (`--export -`), else `out`."""
    return sys.stderr if export is not None and str(export) == "-" else out


def _no_database(data_dir: Path, nothing: str, info: TextIO) -> bool:
    """Whether DATA_DIR has no database yet (then `nothing` says what that means)."""
    from bot.services.store import DB_FILE

    path = data_dir / DB_FILE
    if path.is_file():
        return False
    print(f"No database at {path}: {nothing}", file=info)
    return True


def _read_store(data_dir: Path, read: Callable[[Store], Awaitable[Read]]) -> Read:
    """Open the store in DATA_DIR, `read` from it and close it; what the store had to repair
    (a file moved aside) is printed on standard error."""
    import asyncio

    from bot.services.store import Store

    async def run() -> Read:
        store = await Store.open(data_dir)
        try:
            return await read(store)
        finally:
            for notice in store.notices:
                print(f"note: {notice.message}", file=sys.stderr)
            await store.close()

    return asyncio.run(run())


def _write_export(export: Path, text: str, out: TextIO, done: str) -> None:
    """The exported YAML on standard output (`-`) or written atomically to `export` (then
    `done` is printed); a folder that does not exist is an error, not created (a typo)."""
    from bot.services.files import write_atomic

    if str(export) == "-":
        out.write(text)
        return
    if not export.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(export))
    write_atomic(export, text)
    print(done, file=out)


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

    from bot.services.learned import learned_path
    from bot.services.misses import export_stubs, group_misses, topic_slug

    out = out or sys.stdout
    info = _info_stream(export, out)
    if days <= 0:
        print("--days must be more than 0", file=sys.stderr)
        return EXIT_USAGE
    if _no_database(data_dir, "the bot has recorded nothing yet.", info):
        return EXIT_OK
    misses = _read_store(data_dir, lambda store: store.misses(days=days, guild_id=guild_id))
    index = _index_or_none(faq_dir, learned_path(data_dir))
    groups = group_misses(misses, synonyms=index.synonyms if index else Synonyms.build({}))
    if export is not None:
        if not groups:
            print(
                f"No unanswered questions in the last {days:g} day(s); nothing written.", file=info
            )
            return EXIT_OK
        text = export_stubs(groups, topic=topic_slug(export.stem), index=index, days=days)
        _write_export(export, text, out, f"Wrote {len(groups)} stub(s) to {export}")
        return EXIT_OK
    if not groups:
        print(f"No unanswered questions in the last {days:g} day(s).", file=out)
        return EXIT_OK
    print(
        f"{len(misses)} unanswered question(s) in the last {days:g} day(s), "
        f"{len(groups)} group(s):",
        file=out,
    )
    for line in miss_lines(groups, index):
        print(line, file=out)
    return EXIT_OK


ALL_DAYS = 100 * 365.0
"""`--days` unset: everything the store still keeps (RETENTION_DAYS deletes the rest)."""


def cmd_handoffs(
    *,
    data_dir: Path,
    export: Path | None = None,
    days: float | None = None,
    out: TextIO | None = None,
) -> int:
    """List the open hand-offs (oldest first) and the median time to answer, or export the
    answered ones as FAQ entries that cite the moderator's answer."""
    from datetime import UTC, datetime

    from bot.services.handoffs import Handoff, export_drafts

    out = out or sys.stdout
    info = _info_stream(export, out)
    if days is not None and days <= 0:
        print("--days must be more than 0", file=sys.stderr)
        return EXIT_USAGE
    if _no_database(data_dir, "the bot has recorded nothing yet.", info):
        return EXIT_OK
    window = days if days is not None else ALL_DAYS

    async def read(store: Store) -> tuple[list[Handoff], list[Handoff], float | None]:
        return (
            await store.open_handoffs(),
            await store.answered_handoffs(days=window),
            await store.handoff_median_seconds(days=window),
        )

    waiting, answered, median = _read_store(data_dir, read)
    if export is not None:
        if not answered:
            print("No answered hand-offs; nothing written.", file=info)
            return EXIT_OK
        text = export_drafts(answered, topic=topic_slug_of(export))
        _write_export(export, text, out, f"Wrote {len(answered)} entr(ies) to {export}")
        return EXIT_OK
    shown = f"{median / 3600:.1f} h" if median is not None else "none answered yet"
    print(
        f"{len(waiting)} open hand-off(s), oldest first; {len(answered)} answered, "
        f"median time to answer {shown}.",
        file=out,
    )
    for handoff in waiting:
        opened = datetime.fromtimestamp(handoff.opened_at, tz=UTC).strftime("%Y-%m-%d %H:%M")
        print(
            f"  #{handoff.id} {opened} UTC, {len(handoff.askers)} delegate(s): "
            f"{terminal_line(' '.join(handoff.question.split()))}",
            file=out,
        )
    return EXIT_OK


def topic_slug_of(path: Path) -> str:
    """The topic of an exported file: its name as a slug ("organisers" by default)."""
    from bot.services.misses import topic_slug

    return topic_slug(path.stem, default="organisers") if str(path) != "-" else "organisers"


def miss_lines(groups: Sequence[MissGroup], index: FaqIndex | None) -> list[str]:
    """One terminal line per group: count, people, the question (escaped: it was typed by
    someone on Discord), similar wordings, the closest entry."""
    from bot.services.misses import closest_entry

    lines = []
    for group in groups:
        people = f", {group.askers} people" if group.askers else ""
        similar = f" (+{len(group.variants)} similar)" if group.variants else ""
        closest = closest_entry(index, group) if index else None
        hint = f"  -> {closest.entry.id} ({closest.score:.2f})" if closest else ""
        lines.append(f"{group.count:5d}x{people}  {terminal_line(group.question)}{similar}{hint}")
    return lines


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
            print(terminal_line(change.message), file=out if change.ok else sys.stderr)
            for problem in change.problems:
                print(terminal_line(str(problem)), file=sys.stderr)
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
            print(f"{entry_id}\t{terminal_line(alias)}", file=out)
    return EXIT_OK


# --- inviting the bot to a server ----------------------------------------------------------

INVITE_SCOPES = ("bot", "applications.commands")
"""`bot` puts the bot user in the server; `applications.commands` lets it register its
slash commands and the "Answer with FAQ" message command there."""
INVITE_PERMISSIONS = (
    "view_channel",
    "send_messages",
    "send_messages_in_threads",
    "embed_links",
    "read_message_history",
    "add_reactions",
)
"""discord.py `Permissions` names, each explained in README.md (Quick start). Interaction
replies (slash commands, buttons) need none of them: they are for answering mentions (a reply
is a message with embeds, in channels and threads, referencing the question, which Discord
allows only with Read Message History), the 📬 reaction on a mention answered by DM, and the
moderators' notices in MOD_LOG_CHANNEL_ID."""


def application_id_from_token(token: str) -> int | None:
    """The application (bot user) id a bot token starts with: its first dot-separated part is
    that id in base64. None when the token does not have that shape."""
    import base64
    import binascii

    first = token.strip().split(".", 1)[0]
    try:
        decoded = base64.b64decode(first + "=" * (-len(first) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        return None
    text = decoded.decode("ascii", errors="replace")
    return int(text) if text.isdigit() and 15 <= len(text) <= 20 else None


def invite_url(application_id: int) -> str:
    """The OAuth2 URL that adds the bot with exactly INVITE_SCOPES and INVITE_PERMISSIONS."""
    import discord

    permissions = discord.Permissions(**dict.fromkeys(INVITE_PERMISSIONS, True))
    return discord.utils.oauth_url(application_id, permissions=permissions, scopes=INVITE_SCOPES)


def cmd_invite(
    *, application_id: int | None, env_file: Path | None = None, out: TextIO | None = None
) -> int:
    """Print the invite URL; the application id comes from the option or DISCORD_TOKEN."""
    from bot.settings import SettingsError, load_settings

    out = out or sys.stdout
    if application_id is None:
        try:
            token = load_settings(env_file).token
        except SettingsError as exc:
            for problem in exc.problems:
                print(f"faqbot: {problem}", file=sys.stderr)
            return EXIT_USAGE
        if token is None:
            print(
                "faqbot: DISCORD_TOKEN is not set: put it in an env file (--env-file) or pass "
                "--application-id (Developer Portal > your application > General Information)",
                file=sys.stderr,
            )
            return EXIT_USAGE
        application_id = application_id_from_token(token)
        if application_id is None:
            print(
                "faqbot: DISCORD_TOKEN does not look like a bot token (it should start with "
                "the application id in base64); pass --application-id instead",
                file=sys.stderr,
            )
            return EXIT_USAGE
    print(invite_url(application_id), file=out)
    return EXIT_OK


def cmd_history(
    *,
    data_dir: Path,
    entry_id: str | None = None,
    limit: int = 20,
    diff: bool = False,
    out: TextIO | None = None,
) -> int:
    """Print the FAQ changes saved from Discord, latest first (as `/faq-admin history`)."""
    import difflib
    from datetime import UTC, datetime

    out = out or sys.stdout
    if limit < 1:
        print("--limit must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    if _no_database(data_dir, "no change has been saved yet.", out):
        return EXIT_OK
    records = _read_store(data_dir, lambda store: store.changes(entry_id=entry_id, limit=limit))
    if not records:
        print("No change saved from Discord yet.", file=out)
        return EXIT_OK
    for record in records:
        when = datetime.fromtimestamp(record.changed_at, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        undone = f" (undoes #{record.undoes})" if record.undoes else ""
        files = ", ".join(path for path, _, _ in record.files)
        line = f"#{record.id}  {when}  {record.moderator}  {record.action} {record.entry_id}"
        print(terminal_line(f"{line}{undone}: {files}"), file=out)
        if diff:
            for path, before, after in record.files:
                lines = difflib.unified_diff(
                    (before or "").splitlines(keepends=True),
                    after.splitlines(keepends=True),
                    fromfile=f"a/{path}",
                    tofile=f"b/{path}",
                    n=1,
                )
                for text in lines:
                    print("    " + terminal_line(text.rstrip("\n")), file=out)
    return EXIT_OK
