"""Copies of a SQLite store that are whole, made and checked with SQLite's own means.

Copying the file while a station writes gives a stale or torn copy: the newest changes sit in the
write-ahead log beside it, and a page may change under the copy. SQLite's online backup API copies
the database as one read transaction sees it (in WAL mode writers are not stopped), so the copy is
what was committed at one moment. The copy is written under a temporary name, switched to a journal
of its own (one self-contained file, fit for a USB stick), checked page by page, and only then given
its name: a file with a backup's name is a good one. The backup's check is `PRAGMA quick_check`
(every page read, every b-tree, record and constraint checked; only the cross-check of each index
against its table is left out): the full `integrity_check` takes four times as long for faults the
copy cannot have that the store did not (the backup API copies pages as they are). A restore runs
the full check. Restoring goes the same way the other round: the backup API writes the checked file
into the store, under SQLite's locks, so a station that has the store open sees the new content
instead of a file pulled from under it.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from tui.errors import StoreError
from tui.store import sqlite_file
from tui.store.migrator import APP, RECORD_TABLE

BUSY_TIMEOUT_S = 30.0
"""A backup waits this long for a station's write to finish before it gives up."""
PROBLEMS_SHOWN = 5


@dataclass(frozen=True)
class FileFacts:
    """What a checked store file holds."""

    path: Path
    bytes: int
    lots: int
    migrations: tuple[str, ...]


def partial_of(dest: Path) -> Path:
    return dest.with_name(dest.name + ".partial")


def remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def online_copy(source: Path, dest: Path) -> FileFacts:
    """A consistent, checked copy of the store `source` at `dest` (which must not exist yet)."""
    if dest.exists():
        raise StoreError(f"{dest} already exists: give a new file name or a folder")
    partial = partial_of(dest)
    remove(partial)
    try:
        with (
            closing(sqlite3.connect(source, timeout=BUSY_TIMEOUT_S)) as src,
            closing(sqlite3.connect(partial)) as copy,
        ):
            src.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
        facts = check_file(partial, full=False)
        with partial.open("rb+") as file:
            os.fsync(file.fileno())
        partial.replace(dest)
    except sqlite3.OperationalError as exc:  # busy, disk full, no permission
        remove(partial)
        raise StoreError(f"the backup to {dest} failed ({exc}): nothing was written there") from exc
    except sqlite3.DatabaseError as exc:  # pages of the store itself cannot be read
        remove(partial)
        raise sqlite_file.damaged(source, str(exc)) from exc
    except BaseException:
        remove(partial)
        raise
    return FileFacts(path=dest, bytes=dest.stat().st_size, lots=facts.lots, migrations=facts.migrations)


def check_file(path: Path, *, full: bool = True) -> FileFacts:
    """Open a store file without changing it, check every page, read its schema and lot count.

    `full`: `integrity_check` (indexes against their tables too), else `quick_check`.
    Raises StoreError for a file that is not a store, is damaged or holds no Lotkeeper schema.
    """
    state = sqlite_file.inspect(path)
    if state is not sqlite_file.FileState.STORE:
        raise StoreError(f"{path} holds no Lotkeeper store (an empty database)")
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)) as db:
            pragma = "integrity_check" if full else "quick_check"
            found = [str(row[0]) for row in db.execute(f"PRAGMA {pragma}({PROBLEMS_SHOWN})")]
            if found != ["ok"]:
                raise sqlite_file.damaged(path, "; ".join(found))
            migrations = tuple(
                sorted(
                    str(name)
                    for (name,) in db.execute(f'SELECT "name" FROM "{RECORD_TABLE}" WHERE "app" = ?', (APP,))
                )
            )
            try:
                ((lots,),) = db.execute("SELECT COUNT(*) FROM lot").fetchall()
            except sqlite3.OperationalError:
                lots = 0
    except sqlite3.DatabaseError as exc:
        raise sqlite_file.damaged(path, str(exc)) from exc
    return FileFacts(path=path, bytes=path.stat().st_size, lots=int(lots), migrations=migrations)


def move_aside(path: Path, aside: Path) -> None:
    """Rename a store file and its write-ahead log and index together (a damaged store, kept whole)."""
    for suffix in ("", "-wal", "-shm"):
        part = path.with_name(path.name + suffix)
        if part.exists():
            part.replace(aside.with_name(aside.name + suffix))


def copy_into(source: Path, dest: Path) -> None:
    """Write the checked store file `source` over the store `dest` (made if missing), under
    SQLite's locks; the store keeps its write-ahead log mode."""
    try:
        with (
            closing(sqlite3.connect(source, timeout=BUSY_TIMEOUT_S)) as src,
            closing(sqlite3.connect(dest, timeout=BUSY_TIMEOUT_S)) as target,
        ):
            src.backup(target)
            target.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as exc:
        raise StoreError(f"writing the backup into {dest} failed ({exc}): the store is as it was") from exc
