"""Storage failures in words a moderator can act on ("DATA_DIR is read-only", "the disk is
full"), for SQLite errors and OS errors alike, instead of an exception's class name."""

from __future__ import annotations

import errno
import sqlite3

_SQLITE_WORDS = {
    "SQLITE_READONLY": "DATA_DIR is read-only",
    "SQLITE_FULL": "the disk is full",
    "SQLITE_CANTOPEN": "the database file cannot be opened (is DATA_DIR writable?)",
    "SQLITE_IOERR": "the disk reported an I/O error",
    "SQLITE_CORRUPT": "the database file is corrupt",
    "SQLITE_NOTADB": "the database file is not a database (corrupt)",
    "SQLITE_BUSY": "the database is locked by another program",
    "SQLITE_LOCKED": "the database is locked by another program",
    "SQLITE_PERM": "DATA_DIR is not writable by this user",
}
_OS_WORDS = {
    errno.EROFS: "DATA_DIR is read-only",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "DATA_DIR is not writable by this user",
    errno.EPERM: "DATA_DIR is not writable by this user",
    errno.EIO: "the disk reported an I/O error",
}


def _sqlite_name(error: sqlite3.Error) -> str | None:
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return None
    primary = code & 0xFF  # extended codes (SQLITE_IOERR_WRITE, ...) carry the primary one
    for name in _SQLITE_WORDS:
        if getattr(sqlite3, name, None) == primary:
            return name
    return None


def is_corrupt(error: BaseException) -> bool:
    """True for SQLite's "database disk image is malformed" and "file is not a database"."""
    return isinstance(error, sqlite3.DatabaseError) and _sqlite_name(error) in (
        "SQLITE_CORRUPT",
        "SQLITE_NOTADB",
    )


def storage_problem(error: BaseException) -> str:
    """What went wrong, in words: the known cause, else the error's own message."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, sqlite3.Error):
            name = _sqlite_name(cause)
            if name is not None:
                return _SQLITE_WORDS[name]
        if isinstance(cause, OSError) and cause.errno in _OS_WORDS:
            return _OS_WORDS[cause.errno]
        cause = cause.__cause__ or cause.__context__
    if isinstance(error, OSError):
        return str(error.strerror or error)  # the caller says which file
    return str(error) or type(error).__name__
