"""Opening the store: SQLite file or PostgreSQL URL, migrated before anything else touches it.

SQLite is opened with WAL, synchronous=FULL (a power cut on the bench must not lose a receipt),
foreign keys on, and a busy timeout so a second process waits instead of failing. Migrations run
with foreign keys *off* and are followed by `PRAGMA foreign_key_check`: with them on, a migration
that rebuilds a parent table silently cascade-deletes the children (stack-notes, Tortoise).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.connection import get_connection
from tortoise.context import TortoiseContext
from tortoise.exceptions import BaseORMException, OperationalError
from tortoise.migrations.api import migrate
from tortoise.transactions import in_transaction

from tui.errors import StoreError

MODELS = "tui.store.models"
MIGRATIONS = "tui.store.migrations"
SQLITE_PRAGMAS: dict[str, Any] = {
    "journal_mode": "WAL",
    "synchronous": "FULL",
    "foreign_keys": "ON",
    "busy_timeout": 5000,
}


def is_postgres(target: str) -> bool:
    return target.startswith(("postgres://", "postgresql://", "asyncpg://"))


def tortoise_config(target: str, *, foreign_keys: bool = True) -> dict[str, Any]:
    """The Tortoise config for a SQLite path or a PostgreSQL URL."""
    if is_postgres(target):
        connection: Any = "postgres://" + target.split("://", 1)[1]
    else:
        pragmas = dict(SQLITE_PRAGMAS, foreign_keys="ON" if foreign_keys else "OFF")
        connection = {
            "engine": "tortoise.backends.sqlite",
            "credentials": {"file_path": target, **pragmas},
        }
    return {
        "connections": {"default": connection},
        "apps": {
            "models": {
                "models": [MODELS],
                "default_connection": "default",
                "migrations": MIGRATIONS,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


@dataclass(frozen=True)
class Store:
    """An open store; services find the connection through Tortoise's context."""

    target: str
    station: str


def _check_sqlite_path(target: str) -> None:
    """Fail early, with a sentence, on a path SQLite could open but never write."""
    if target == ":memory:":
        return
    path = Path(target).expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the folder for the database {path}: {exc.strerror}") from exc
    if path.is_dir():
        raise StoreError(f"database path {path} is a folder: give a file name, e.g. {path}/lots.db")
    writable = os.access(path, os.W_OK) if path.exists() else os.access(path.parent, os.W_OK)
    if not writable or not os.access(path.parent, os.W_OK):
        raise StoreError(
            f"cannot write the database {path}: check the folder's permissions or use --db elsewhere"
        )


def _check_postgres_driver() -> None:
    try:
        import asyncpg  # noqa: F401 (only whether it is there)
    except ImportError:
        raise StoreError(
            "a PostgreSQL database needs the 'postgres' extra, which the base install leaves out: "
            "add it with: python3 run.py install postgres (in the Lotkeeper folder), "
            "or: pip install 'lotkeeper[postgres]'"
        ) from None


async def _migrate(target: str) -> None:
    """Apply pending migrations (foreign keys off on SQLite), then prove no reference broke.

    The check reads every row (~0.3 s on 100k lots), so it runs only when a migration did.
    """
    applied: list[str] = []

    def progress(event: str, _app: str, name: str) -> None:
        if event == "apply_done":
            applied.append(name)

    await migrate(config=tortoise_config(target, foreign_keys=False), progress=progress)
    if applied and not is_postgres(target):
        conn = get_connection("default")
        _, broken = await conn.execute_query("PRAGMA foreign_key_check")
        if broken:
            first = dict(broken[0])
            raise StoreError(
                f"migration {applied[-1]} left {len(broken)} broken reference(s) (first: {first}); "
                "restore the backup taken before upgrading"
            )


@asynccontextmanager
async def open_store(target: str, station: str = "bench") -> AsyncIterator[Store]:
    """Open (creating and migrating as needed) the store for the duration of the block.

    Everything that runs inside the block, including tasks it starts, sees this store.
    """
    if not is_postgres(target):
        _check_sqlite_path(target)
    else:
        _check_postgres_driver()
    # Tortoise caches compiled INSERT/UPDATE SQL per connection *name*, not per dialect: after a
    # SQLite store, a PostgreSQL one (also "default") would be sent `?` placeholders.
    EXECUTOR_CACHE.clear()
    async with TortoiseContext() as ctx:
        try:
            await _migrate(target)
            await ctx.init(config=tortoise_config(target))
        except (BaseORMException, OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the database {target}: {exc}") from exc
        try:
            yield Store(target=target, station=station)
        finally:
            await ctx.close_connections()


@asynccontextmanager
async def writing() -> AsyncIterator[None]:
    """One transaction for a change, holding the write lock from its first statement.

    SQLite starts transactions deferred: one that has read and then writes while another process
    (a second station on the same file) writes fails at once with "database is locked" instead of
    waiting. Taking the write lock first makes it wait (busy_timeout) like any other writer.
    """
    try:
        async with in_transaction() as conn:
            if conn.capabilities.dialect == "sqlite":
                await conn.execute_query("UPDATE code_counter SET value = value WHERE 0")
            yield
    except OperationalError as exc:
        if "locked" not in str(exc):
            raise
        raise StoreError("the database is busy (another station is writing to it): try again") from exc
