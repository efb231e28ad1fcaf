"""Answer quality in French, Spanish and other languages, and English as a regression, through
`MultilingualIndex` as the bot runs it (sentence encoder loaded).

    python bench/lang_bench.py [--no-encoder] [--show-failures] [--tuning-only] [--json OUT]

Per set: in-scope answered in the set's language with every expected fact (`facts`),
answered at all (`direct`), answered wrongly (`wrong`: confidently, without the facts or in
another language), out-of-scope declined (`oos`, plain and near-domain together), questions
the release is silent on told so or declined (`silent`: `release_silent`). For
`heldout/other.yaml` (German, Arabic, Russian, Chinese...): questions that get a reply in or
about their language (`replied`: the "languages I speak" line in it, or an answer in it),
and `facts` in English. English sets run as a regression. Held-out sets (bench/heldout/)
print aggregates only; `--show-failures` lists failures of the tuning sets only.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.engine_bench import _DISCLAIMER, has_facts  # noqa: E402
from bot.engine.index import FaqIndex  # noqa: E402
from bot.engine.loader import load_faq  # noqa: E402
from bot.engine.multilingual import LocalizedAnswer, MultilingualIndex  # noqa: E402
from bot.i18n import note_text  # noqa: E402
from bot.settings import SHIPPED_FAQ_DIR  # noqa: E402

_DISCLAIMERS = (
    _DISCLAIMER,
    re.compile(
        r"ne (nomme|donne|dit|précise|mentionne|indique|cite) (pas|aucun|que|ni)|ni dates",
        re.IGNORECASE,
    ),
    re.compile(
        r"no (nombra|da|dice|precisa|menciona|indica|cita)\b|solo da|ni fechas", re.IGNORECASE
    ),
)
"""An answer that itself says the release is silent (engine_bench's rule, and in French and
Spanish)."""

BENCH = ROOT / "bench"
HELDOUT = BENCH / "heldout"
SETS: tuple[tuple[Path, str | None, str], ...] = (
    (BENCH / "tuning-fr.yaml", "fr", "fr"),
    (BENCH / "tuning-fr.yaml", "fr", "en"),
    (BENCH / "tuning-es.yaml", "es", "es"),
    (BENCH / "tuning-es.yaml", "es", "en"),
    (BENCH / "tuning-fresh-fr.yaml", "fr", "fr"),
    (BENCH / "tuning-fresh-fr.yaml", "fr", "en"),
    (BENCH / "tuning-fresh-es.yaml", "es", "es"),
    (BENCH / "tuning-fresh-es.yaml", "es", "en"),
    (BENCH / "tuning-v3-fr.yaml", "fr", "fr"),
    (BENCH / "tuning-v3-fr.yaml", "fr", "en"),
    (BENCH / "tuning-v3-es.yaml", "es", "es"),
    (BENCH / "tuning-v3-es.yaml", "es", "en"),
    (BENCH / "tuning-v4-fr.yaml", "fr", "fr"),
    (BENCH / "tuning-v4-fr.yaml", "fr", "en"),
    (BENCH / "tuning-v4-es.yaml", "es", "es"),
    (BENCH / "tuning-v4-es.yaml", "es", "en"),
    (BENCH / "tuning-v6-fr.yaml", "fr", "fr"),
    (BENCH / "tuning-v6-fr.yaml", "fr", "en"),
    (BENCH / "tuning-v6-es.yaml", "es", "es"),
    (BENCH / "tuning-v6-es.yaml", "es", "en"),
    (BENCH / "tuning-v8-fr.yaml", "fr", "fr"),
    (BENCH / "tuning-v8-fr.yaml", "fr", "en"),
    (BENCH / "tuning-v8-es.yaml", "es", "es"),
    (BENCH / "tuning-v8-es.yaml", "es", "en"),
    (BENCH / "tuning-v10-fr.yaml", "fr", "fr"),
    (BENCH / "tuning-v10-fr.yaml", "fr", "en"),
    (BENCH / "tuning-v10-es.yaml", "es", "es"),
    (BENCH / "tuning-v10-es.yaml", "es", "en"),
    (BENCH / "tuning-v12-fr.yaml", "fr", "fr"),
    (BENCH / "tuning-v12-fr.yaml", "fr", "en"),
    (BENCH / "tuning-v12-es.yaml", "es", "es"),
    (BENCH / "tuning-v12-es.yaml", "es", "en"),
    (BENCH / "tuning-v16-fr.yaml", "fr", "fr"),
    (BENCH / "tuning-v16-fr.yaml", "fr", "en"),
    (BENCH / "tuning-v16-es.yaml", "es", "es"),
    (BENCH / "tuning-v16-es.yaml", "es", "en"),
    (HELDOUT / "fr-v4.yaml", "fr", "fr"),
    (HELDOUT / "fr-v4.yaml", "fr", "en"),
    (HELDOUT / "es-v4.yaml", "es", "es"),
    (HELDOUT / "es-v4.yaml", "es", "en"),
    (HELDOUT / "fr-v5.yaml", "fr", "fr"),
    (HELDOUT / "fr-v5.yaml", "fr", "en"),
    (HELDOUT / "es-v5.yaml", "es", "es"),
    (HELDOUT / "es-v5.yaml", "es", "en"),
    (HELDOUT / "fr-v7.yaml", "fr", "fr"),
    (HELDOUT / "fr-v7.yaml", "fr", "en"),
    (HELDOUT / "es-v7.yaml", "es", "es"),
    (HELDOUT / "es-v7.yaml", "es", "en"),
    (HELDOUT / "fr-v9.yaml", "fr", "fr"),
    (HELDOUT / "fr-v9.yaml", "fr", "en"),
    (HELDOUT / "es-v9.yaml", "es", "es"),
    (HELDOUT / "es-v9.yaml", "es", "en"),
    (HELDOUT / "fr-v11.yaml", "fr", "fr"),
    (HELDOUT / "fr-v11.yaml", "fr", "en"),
    (HELDOUT / "es-v11.yaml", "es", "es"),
    (HELDOUT / "es-v11.yaml", "es", "en"),
    (HELDOUT / "fr-v13.yaml", "fr", "fr"),
    (HELDOUT / "fr-v13.yaml", "fr", "en"),
    (HELDOUT / "es-v13.yaml", "es", "es"),
    (HELDOUT / "es-v13.yaml", "es", "en"),
    (HELDOUT / "fr-v15.yaml", "fr", "fr"),
    (HELDOUT / "fr-v15.yaml", "fr", "en"),
    (HELDOUT / "es-v15.yaml", "es", "es"),
    (HELDOUT / "es-v15.yaml", "es", "en"),
    (HELDOUT / "fr-v3.yaml", "fr", "fr"),
    (HELDOUT / "fr-v3.yaml", "fr", "en"),
    (HELDOUT / "es-v3.yaml", "es", "es"),
    (HELDOUT / "es-v3.yaml", "es", "en"),
    (HELDOUT / "fr.yaml", "fr", "fr"),
    (HELDOUT / "fr.yaml", "fr", "en"),
    (HELDOUT / "es.yaml", "es", "es"),
    (HELDOUT / "es.yaml", "es", "en"),
    (HELDOUT / "other.yaml", None, "en"),
    (BENCH / "tuning-questions.yaml", "en", "en"),
    (HELDOUT / "en-v3.yaml", "en", "en"),
    (HELDOUT / "en-v4.yaml", "en", "en"),
    (HELDOUT / "en-v5.yaml", "en", "en"),
    (HELDOUT / "en.yaml", "en", "en"),
    (HELDOUT / "short.yaml", "en", "en"),
)
"""A set, the language its answers must be in (None: each question's `lang`), and the
asker's client language (the fallback when a question is too short to detect: a French
delegate's client in French, or in English)."""


@dataclass(frozen=True)
class Item:
    q: str
    expect: list[list[str]]
    lang: str | None = None


def load(path: Path) -> tuple[list[Item], list[str], list[str]]:
    """In-scope items, questions to decline, and questions the release is silent on."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    items = [Item(i["q"], i.get("expect", []), i.get("lang")) for i in data.get("in_scope", [])]
    declined = [*data.get("out_of_scope", []), *data.get("out_of_scope_near", [])]
    silent = data.get("release_silent", [])
    return (
        items,
        [q if isinstance(q, str) else q["q"] for q in declined],
        [q if isinstance(q, str) else q["q"] for q in silent],
    )


def shown_text(reply: LocalizedAnswer) -> str:
    answer = reply.answer
    note = note_text(answer, reply.language) or ""
    entry = answer.best.entry.answer if answer.best is not None and answer.shows_entry else ""
    return f"{note}\n{entry}"


class EnglishAlone:
    """The English engine without languages around it: the regression baseline."""

    def __init__(self, languages: MultilingualIndex) -> None:
        self.english = languages.english

    def answer(self, question: str, *, fallback: str = "en") -> LocalizedAnswer:
        return LocalizedAnswer(self.english.answer(question), "en")


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def quality(
    languages: MultilingualIndex | EnglishAlone,
    path: Path,
    language: str | None,
    client: str,
    timings: list[float],
) -> dict[str, Any]:
    items, declined, silent_questions = load(path)
    heldout = HELDOUT in path.resolve().parents
    facts = direct = wrong = replied = other_language = 0
    failures: list[str] = []
    for item in items:
        started = time.perf_counter()
        reply = languages.answer(item.q, fallback=client)
        timings.append(time.perf_counter() - started)
        answered = reply.answer.outcome.value == "answered"
        if language is None:
            # Another language: a reply in it or about it, never a silent English decline.
            about = reply.other_language == item.lang or reply.language == item.lang
            replied += about
            ok = answered and has_facts(shown_text(reply), item.expect)
        else:
            ok = (
                answered
                and reply.language == language
                and has_facts(shown_text(reply), item.expect)
            )
        facts += ok
        other_language += answered and language is not None and reply.language != language
        direct += answered
        wrong += answered and not ok
        if not ok:
            failures.append(f"in-scope {reply.answer.outcome.value}/{reply.language}: {item.q}")
    oos = 0
    for question in declined:
        reply = languages.answer(question, fallback=client)
        ok = reply.answer.outcome.value != "answered"
        oos += ok
        if not ok:
            entry = reply.answer.best.entry.id if reply.answer.best else "-"
            failures.append(f"out-of-scope answered ({entry}): {question}")
    silent = 0
    for question in silent_questions:
        reply = languages.answer(question, fallback=client)
        # As engine_bench: the release is silent, so "not stated", a decline, or an answer
        # that itself says the release does not give it.
        outcome = reply.answer.outcome.value
        ok = outcome in ("not_stated", "declined") or (
            outcome == "answered" and any(d.search(shown_text(reply)) for d in _DISCLAIMERS)
        )
        silent += ok
        if not ok:
            entry = reply.answer.best.entry.id if reply.answer.best else "-"
            failures.append(f"release-silent {reply.answer.outcome.value} ({entry}): {question}")
    n = len(items)
    row: dict[str, Any] = {
        "set": (f"heldout/{path.name}" if heldout else path.name) + f" ({client})",
        "facts": _share(facts, n),
        "direct": _share(direct, n),
        "wrong": _share(wrong, n),
        "wrong_language": _share(other_language, n),
        "oos": _share(oos, len(declined)),
        "silent": _share(silent, len(silent_questions)),
        "n": n,
        "n_oos": len(declined),
        "n_silent": len(silent_questions),
        "failures": [] if heldout else failures,
    }
    if language is None:
        row["replied"] = _share(replied, n)
    return row


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-encoder", action="store_true")
    parser.add_argument("--show-failures", action="store_true")
    parser.add_argument(
        "--tuning-only", action="store_true", help="skip the held-out sets (while tuning)"
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="run only the sets whose path under bench/ contains TEXT (repeatable)",
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    encoder = None
    if not args.no_encoder:
        from bot.engine.encoder import load_encoder

        encoder = load_encoder()
    started = time.perf_counter()
    languages = MultilingualIndex(FaqIndex(load_faq(SHIPPED_FAQ_DIR), encoder=encoder))
    build = time.perf_counter() - started
    print(
        f"built {len(languages.languages)} languages in {build * 1e3:.0f} ms"
        f" ({'with' if encoder else 'without'} the encoder)"
    )
    print(
        f"{'set':<40}{'facts':>8}{'direct':>8}{'wrong':>8}{'w-lang':>8}{'oos':>8}{'silent':>8}"
        f"{'replied':>9}   n"
    )
    rows = []
    timings: list[float] = []
    alone = EnglishAlone(languages)
    runs = [(languages, *spec) for spec in SETS]
    runs += [(alone, path, lang, "engine alone") for path, lang, _ in SETS if lang == "en"]
    for system, path, language, client in runs:
        if not path.is_file() or (args.tuning_only and HELDOUT in path.parents):
            continue
        named = str(path.relative_to(BENCH))
        if args.only and not any(text in named for text in args.only):
            continue
        row = quality(system, path, language, client, [] if system is alone else timings)
        rows.append(row)
        print(
            f"{row['set']:<40}{_pct(row['facts']):>8}{_pct(row['direct']):>8}"
            f"{_pct(row['wrong']):>8}{_pct(row['wrong_language']):>8}{_pct(row['oos']):>8}"
            f"{_pct(row['silent']):>8}{_pct(row.get('replied')):>9}"
            f"   {row['n']} in-scope, {row['n_oos']} out-of-scope, {row['n_silent']} silent"
        )
        if args.show_failures:
            for failure in row["failures"]:
                print(f"    {failure}")
    timings.sort()
    p50 = statistics.median(timings) * 1e3
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))] * 1e3
    print(f"per question (detection + matching): p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "p50_ms": p50, "p99_ms": p99}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
