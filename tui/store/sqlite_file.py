"""A SQLite store file looked at with the plain `sqlite3` module before Tortoise opens it.

Tortoise hangs for ever on a file that is not a database (a failed connect leaves its connection
lock taken), and says nothing useful about a damaged one. So every start first reads the file's
header and its schema here, synchronously and in a few milliseconds: a text file, a truncated
file or garbage in the first page is reported as one sentence naming the file and what to do.

The full page-by-page check (`PRAGMA integrity_check`) is `lotkeeper check`'s job: even SQLite's
quick check reads every page, ~0.4 s on a 100k-lot store, too slow for each start.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from enum import Enum
from pathlib import Path

from tui.errors import StoreError

HEADER = b"SQLite format 3\x00"
MIGRATIONS_TABLE = "tortoise_migrations"
BUSY_TIMEOUT_S = 5.0


class FileState(Enum):
    MISSING = "missing"
    """No file, or an empty one (SQLite treats a 0-byte file as an empty database)."""
    EMPTY = "empty"
    """A valid SQLite database without any table yet."""
    STORE = "store"
    """A database holding Lotkeeper's migration record."""


class DamagedStore(StoreError):
    """A file that was a store, with pages SQLite cannot read: a restore moves it aside whole."""


def damaged(path: Path | str, detail: str) -> StoreError:
    return DamagedStore(
        f"the store {path} is damaged ({detail}): nothing was changed; restore the file from your "
        "latest backup (copy this one aside first, in case it is needed)"
    )


def inspect(path: Path) -> FileState:
    """What is at `path`; raises StoreError for anything that is not (or no longer) a store."""
    try:
        with path.open("rb") as file:
            head = file.read(len(HEADER))
    except FileNotFoundError:
        return FileState.MISSING
    except OSError as exc:
        raise StoreError(f"cannot read the database {path}: {exc.strerror}") from exc
    if not head:
        return FileState.MISSING
    if head != HEADER:
        raise StoreError(
            f"{path} is not a Lotkeeper store (it is not a database file at all): check --db; if this "
            "file was your store, it was overwritten: restore it from your latest backup"
        )
    try:
        with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)) as db:
            tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc):
            raise StoreError(
                f"the database {path} is busy (another program holds it locked): try again"
            ) from exc
        raise damaged(path, str(exc)) from exc
    if MIGRATIONS_TABLE in tables:
        return FileState.STORE
    if tables - {"sqlite_sequence"}:
        raise StoreError(
            f"{path} is a database of another program, not a Lotkeeper store: check --db "
            "(Lotkeeper never adds its tables to another program's database)"
        )
    return FileState.EMPTY
