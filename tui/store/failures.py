"""Database failures in words a maker can act on: one sentence, never a traceback.

The drivers raise their own exceptions (sqlite3, asyncpg), which Tortoise sometimes wraps; the
cause is found along the exception chain. Every change runs in one transaction, so a change that
failed wrote nothing: the messages say so, because "database or disk is full" alone reads like
lost data.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from tui.errors import Duplicate, InvalidInput, LotkeeperError, StoreError
from tui.store.sqlite_file import damaged
from tui.store.targets import is_postgres, shown

NOTHING_LOST = "this change was not saved, and nothing saved before was lost"
FULL_BELOW_BYTES = 1 << 20

UNIQUE_THINGS = {
    ("supplier", "name"): "a supplier with that name",
    ("customer", "name"): "a customer with that name",
    ("material", "name"): "a material with that name",
    ("product", "sku"): "a product with that SKU",
    ("product", "gtin"): "a product with that GTIN",
    ("lot", "code"): "a lot with that code",
    ("sale", "ref"): "an order with that reference",
    ("supplier_code", "code"): "a material with that supplier code",
    ("station", "name"): "a station with that name",
}
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (\w+)\.(\w+)")
_PG_KEY = re.compile(r"Key \((\w+)\)=")

# SQLSTATE classes and codes (PostgreSQL appendix A).
_PG_DISK_FULL = "53100"
_PG_BAD_CHARACTER = ("22021", "22P05")
_PG_UNIQUE = "23505"
_PG_CORRUPT = ("XX001", "XX002")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _duplicate(table: str, column: str) -> Duplicate:
    thing = UNIQUE_THINGS.get((table, column), f"a {table} with that {column}")
    return Duplicate(f"{thing} already exists (another station added it a moment ago): nothing was written")


def _nearly_full(folder: Path) -> bool:
    """SQLite reports a disk too full for its shared-memory file as a mere I/O error."""
    try:
        return shutil.disk_usage(folder).free < FULL_BELOW_BYTES
    except OSError:
        return False


def _sqlite(exc: sqlite3.Error, where: str, folder: Path | None) -> LotkeeperError | None:
    text = str(exc)
    if isinstance(exc, sqlite3.IntegrityError):
        unique = _SQLITE_UNIQUE.search(text)
        return _duplicate(*unique.groups()) if unique else None
    if "database or disk is full" in text:
        return StoreError(
            f"the disk holding {where} is full: {NOTHING_LOST}; free some space, then do it again"
        )
    if "disk I/O error" in text:
        if folder is not None and _nearly_full(folder):
            return StoreError(
                f"the disk holding {where} is full: {NOTHING_LOST}; free some space, then do it again"
            )
        return StoreError(
            f"could not use {where} (disk I/O error): {NOTHING_LOST}; check that the disk is not full, "
            "unplugged or read-only, then do it again"
        )
    if "readonly" in text:
        return StoreError(f"cannot write {where}: the file or its folder is read-only; {NOTHING_LOST}")
    if "malformed" in text or "not a database" in text:
        return damaged(where, text)
    if "locked" in text or "busy" in text:
        return StoreError("the database is busy (another station is writing to it): try again")
    if "unable to open" in text:
        return StoreError(
            f"cannot open the database {where}: check that the file and its folder are readable"
        )
    return None


def _postgres(exc: BaseException, state: str, where: str) -> LotkeeperError | None:
    if state == _PG_UNIQUE:
        key = _PG_KEY.search(str(getattr(exc, "detail", "") or ""))
        return _duplicate(str(getattr(exc, "table_name", "") or ""), key.group(1) if key else "")
    if state in _PG_BAD_CHARACTER:
        return InvalidInput(f"the text contains a character the database cannot store ({exc}): retype it")
    if state == _PG_DISK_FULL:
        return StoreError(
            f"the PostgreSQL server of {where} has a full disk: {NOTHING_LOST}; tell whoever runs it"
        )
    if state in _PG_CORRUPT:
        return damaged(where, str(exc))
    if state.startswith("08") or state.startswith("57P"):
        return StoreError(f"lost the connection to PostgreSQL ({where}): {NOTHING_LOST}; try again")
    if state == "28P01":
        return StoreError(
            f"PostgreSQL refused the password in {where}: check the user and password in the URL"
        )
    if state.startswith("28"):
        return StoreError(f"PostgreSQL refused {where}: {exc} (check the user name in the URL)")
    if state == "3D000":
        return StoreError(
            f"{exc} on the PostgreSQL server ({where}): create it (createdb) or check the name in the URL"
        )
    if state == "53300":
        return StoreError(f"the PostgreSQL server of {where} has too many connections: try again in a moment")
    return None


def translate(exc: BaseException, target: str | None = None) -> LotkeeperError | None:
    """The maker's version of a database failure, or None when it is not one we know."""
    where = shown(target) if target else "the database"
    causes = list(_chain(exc))
    for cause in causes:
        if isinstance(cause, LotkeeperError):
            return cause
        if isinstance(cause, sqlite3.Error):
            folder = Path(target).expanduser().parent if target and not is_postgres(target) else None
            return _sqlite(cause, where, folder)
        state = getattr(cause, "sqlstate", None)
        if isinstance(state, str):
            return _postgres(cause, state, where)
    unreachable = next((cause for cause in causes if isinstance(cause, OSError)), None)
    if unreachable is not None and target is not None and is_postgres(target):
        reason = unreachable.strerror or str(unreachable) or type(unreachable).__name__
        return StoreError(
            f"cannot reach the PostgreSQL server of {where} ({reason}): is it running, and is the "
            "address in the URL right?"
        )
    return None
