"""The real bot on a broken DATA_DIR, for the storage tests; no tests in here.

Run by the fake's launcher (`--module tests.e2e.faulty_storage run`) with FAULTY_STORAGE set:

- `full`: writing an alias candidate fails as SQLite does on a full disk (SQLITE_FULL);
- `read-only`: writing a file under DATA_DIR fails as on a read-only mount (EROFS).

Running as root in a container, the tests cannot make a real read-only or full file system;
these are the exact errors such a file system raises. Nothing in the product knows about this.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any


def disk_full() -> sqlite3.OperationalError:
    error = sqlite3.OperationalError("database or disk is full")
    error.sqlite_errorcode = sqlite3.SQLITE_FULL  # type: ignore[attr-defined]
    return error


def install(fault: str) -> None:
    from bot.services import learned
    from bot.services.store import Store

    if fault == "full":

        async def full(self: Store, entry_id: str, alias: str) -> int:
            raise disk_full()

        Store.add_alias_candidate = full  # type: ignore[method-assign]
    elif fault == "read-only":

        def read_only(path: Path, text: str) -> None:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

        learned.write_atomic = read_only  # type: ignore[assignment]
    else:
        raise SystemExit(f"FAULTY_STORAGE: unknown fault {fault!r}")


def main(argv: list[str]) -> Any:
    install(os.environ.get("FAULTY_STORAGE", ""))
    from bot.cli import main as faqbot

    return faqbot(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
