"""`faqbot ask`: the same engine as the bot, for people and for scripts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from bot.settings import SHIPPED_FAQ_DIR

ROOT = Path(__file__).resolve().parent.parent


def _run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None, cwd: Path
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), **(env or {})},
    )


def test_ask_prints_the_answer_for_a_person(tmp_path: Path) -> None:
    result = _run("ask", "where", "is", "the", "meeting?", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("? where is the meeting?\n# Where is the 12MSP held?\n")
    assert "UN Geneva" in out and "**" not in out
    assert 'Source: "' in out


def test_ask_says_it_does_not_know(tmp_path: Path) -> None:
    result = _run("ask", "Who wrote Hamlet?", cwd=tmp_path)
    assert result.returncode == 0
    assert "I don't know" in result.stdout


def test_ask_json_reads_one_question_per_stdin_line(tmp_path: Path) -> None:
    result = _run(
        "ask", "--json", stdin="when is the 12msp\n\nwho wrote hamlet\nthe weapon\n", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in rows] == ["when is the 12msp", "who wrote hamlet", "the weapon"]
    answered, declined, suggested = rows
    assert set(answered) >= {"question", "answered", "id", "score", "answer", "suggestions"}
    assert answered["answered"] is True and answered["id"] == "meeting-dates"
    assert "10–13 September 2024" in answered["answer"]
    assert declined == declined | {"answered": False, "id": None, "answer": None, "score": None}
    assert suggested["answered"] is False and suggested["suggestions"]
    assert {"id", "question", "score"} <= set(suggested["suggestions"][0])


def test_ask_uses_another_faq_directory(tmp_path: Path) -> None:
    faq = tmp_path / "faq"
    shutil.copytree(SHIPPED_FAQ_DIR, faq)
    venue = faq / "venue.yaml"
    venue.write_text(
        venue.read_text(encoding="utf-8").replace("12msp venue", "conference hall of the msp"),
        encoding="utf-8",
    )
    by_option = _run("ask", "--json", "--faq", str(faq), "conference hall", cwd=tmp_path)
    by_env = _run("ask", "--json", "conference hall", env={"FAQ_DIR": str(faq)}, cwd=tmp_path)
    shipped = _run("ask", "--json", "conference hall", cwd=tmp_path)
    assert json.loads(by_option.stdout)["id"] == "meeting-venue"
    assert json.loads(by_env.stdout)["id"] == "meeting-venue"
    assert json.loads(shipped.stdout)["id"] != "meeting-venue"


def test_ask_with_a_broken_faq_explains_and_exits_1(tmp_path: Path) -> None:
    faq = tmp_path / "faq"
    shutil.copytree(SHIPPED_FAQ_DIR, faq)
    (faq / "venue.yaml").write_text("topic: venue\ntitle: [\n", encoding="utf-8")
    result = _run("ask", "--faq", str(faq), "where", cwd=tmp_path)
    assert result.returncode == 1
    assert "venue.yaml:3: YAML syntax error" in result.stderr
    assert "Traceback" not in result.stderr


def test_console_script_and_module_are_the_same_program(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "faqbot"
    if not script.exists():
        return
    via_script = subprocess.run(
        [str(script), "ask", "--json", "isu email"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    via_module = _run("ask", "--json", "isu email", cwd=tmp_path)
    assert via_script.stdout == via_module.stdout
    assert json.loads(via_script.stdout)["id"] == "isu-email"


def test_ask_explain_shows_why_an_entry_won(tmp_path: Path) -> None:
    result = _run("ask", "--explain", "location?", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "# Where is the 12MSP held?" in out
    assert "outcome: answered with meeting-venue" in out
    assert "score = 0.55 x coverage + 0.15 x bm25 + 0.3 x phrase + subject + kind" in out
    lines = [
        line for line in out.splitlines() if "(venue.yaml:" in line or "(contact.yaml:" in line
    ]
    assert lines and "meeting-venue (venue.yaml:" in lines[0]


def test_ask_explain_json_has_the_signals(tmp_path: Path) -> None:
    result = _run("ask", "--json", "--explain", "is it in November?", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    row = json.loads(result.stdout)
    assert row["note"] == "No — 10–13 September 2024."
    first = row["explain"]["candidates"][0]
    assert first["entry_id"] == "meeting-dates"
    assert {"coverage", "bm25", "phrase", "subject", "kind", "matched"} <= set(first)


def test_ask_says_what_the_release_does_not_say(tmp_path: Path) -> None:
    result = _run("ask", "where is the ICRC based", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].startswith("The release does not give that (a place)")
    assert lines[2].startswith("# Is the International Committee of the Red Cross")
