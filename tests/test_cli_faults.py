"""The command line never prints a traceback for an operational error (issue 12, fault 7): a
read-only DATA_DIR, a full disk, a missing export folder, a corrupt database are one line each."""

from __future__ import annotations

import asyncio
import errno
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from bot.cli import main
from bot.services.store import CORRUPT_MARK, DB_FILE, Store
from bot.settings import SHIPPED_FAQ_DIR

ROOT = Path(__file__).resolve().parent.parent


def faqbot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)},
    )


def with_one_miss(data_dir: Path) -> None:
    async def write() -> None:
        async with await Store.open(data_dir) as store:
            await store.record_miss(question="where can I park", outcome="declined")

    asyncio.run(write())


def test_an_export_into_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with_one_miss(data)
    target = tmp_path / "no-such-folder" / "unanswered.yaml"
    result = faqbot("misses", "--data-dir", str(data), "--export", str(target), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [f"faqbot: {target}: No such file or directory"]


def read_only(*_args: object, **_kwargs: object) -> object:
    raise OSError(errno.EROFS, "Read-only file system")


def test_adding_an_alias_on_a_read_only_data_dir_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    data = tmp_path / "data"
    code = main(
        [
            "aliases",
            "--data-dir",
            str(data),
            "--faq",
            str(SHIPPED_FAQ_DIR),
            "--add",
            "meeting-venue",
            "where is the msp happening",
        ]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert err == f"could not save {data / 'learned-aliases.yaml'}: DATA_DIR is read-only\n"


def test_a_store_that_cannot_be_opened_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    with_one_miss(data)
    monkeypatch.setattr(os, "open", read_only)  # what a read-only DATA_DIR does to the salt
    (data / "faqbot.salt").unlink()
    code = main(["misses", "--data-dir", str(data), "--faq", str(SHIPPED_FAQ_DIR)])
    assert code == 1
    assert capsys.readouterr().err.endswith(": DATA_DIR is read-only\n")


def test_misses_on_a_corrupt_database_moves_it_aside_and_says_so(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with_one_miss(data)
    (data / DB_FILE).write_bytes(b"not a database at all" * 50)
    result = faqbot("misses", "--data-dir", str(data), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "is corrupt" in result.stderr and "moved aside" in result.stderr
    assert len(list(data.glob(f"{DB_FILE}{CORRUPT_MARK}*"))) == 1
    assert "No unanswered questions" in result.stdout
