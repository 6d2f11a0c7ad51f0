"""Stores at an earlier schema, for the upgrade tests.

`store_at` makes a new SQLite file or PostgreSQL database, migrates it only up to a given
migration with Tortoise's own migrate (as the release that shipped it left makers' stores), and
puts rows straight in with SQL written for that schema. The test then opens it with `open_store`,
which runs the rest of the migrations, and compares what it reads before and after.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, closing
from datetime import date, datetime
from pathlib import Path
from typing import Any

import asyncpg
from tortoise.context import TortoiseContext
from tortoise.migrations.api import migrate

from tests.support.databases import PostgresServer
from tui.store.db import is_postgres, tortoise_config

Rows = tuple[str, str, Sequence[tuple[Any, ...]]]
"""One table's rows: its name, its columns (separated by spaces) and the values of each row."""
Scratch = Path | PostgresServer
"""Where a store is made: a SQLite file to create, or the PostgreSQL server to create it on."""


@asynccontextmanager
async def store_at(migration: str, where: Scratch, tables: Sequence[Rows] = ()) -> AsyncIterator[str]:
    """A new store migrated up to `migration` (e.g. "models.0002_customer_address_long_product_name")
    and holding `tables`: yields its target for `open_store`. A PostgreSQL one is dropped after."""
    if not isinstance(where, PostgresServer):
        target = str(where)
        await _migrate_to(target, migration)
        await insert(target, tables)
        yield target
        return
    name = where.create()
    try:
        target = where.url(name)
        await _migrate_to(target, migration)
        await insert(target, tables)
        yield target
    finally:
        where.drop(name)


async def _migrate_to(target: str, migration: str) -> None:
    # Foreign keys off on SQLite, as open_store migrates (a table rebuild would cascade-delete).
    async with TortoiseContext():
        await migrate(config=tortoise_config(target, foreign_keys=False), target=migration)


async def insert(target: str, tables: Sequence[Rows]) -> None:
    """Put `tables` in, through a connection of its own: with foreign keys enforced on SQLite, so
    the rows themselves cannot be broken; on PostgreSQL each table's id sequence then goes on
    after the largest id, as it would have after the rows were made by the app."""
    if not is_postgres(target):
        with closing(sqlite3.connect(target)) as db:
            db.execute("PRAGMA foreign_keys = ON")
            for table, columns, rows in tables:
                names = columns.split()
                sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
                db.executemany(sql, [tuple(map(_sqlite_value, row)) for row in rows])
            db.commit()
        return
    conn = await asyncpg.connect(target)
    try:
        for table, columns, rows in tables:
            names = columns.split()
            marks = ", ".join(f"${i}" for i in range(1, len(names) + 1))
            await conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", rows)
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
    finally:
        await conn.close()


def _sqlite_value(value: Any) -> Any:
    """A value as SQLite stores it for Tortoise: datetimes and dates as ISO text."""
    if isinstance(value, datetime):
        return value.isoformat(" ")
    return value.isoformat() if isinstance(value, date) else value


async def fetch(target: str, sql: str) -> list[tuple[Any, ...]]:
    """The rows `sql` returns, read through a connection of its own (what is really committed)."""
    if not is_postgres(target):
        with closing(sqlite3.connect(target)) as db:
            return [tuple(row) for row in db.execute(sql).fetchall()]
    conn = await asyncpg.connect(target)
    try:
        return [tuple(row) for row in await conn.fetch(sql)]
    finally:
        await conn.close()


def rows_by_id(path: Path, tables: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """Every row of `tables` of a SQLite store, as column -> value, in id order."""
    with closing(sqlite3.connect(path)) as db:
        db.row_factory = sqlite3.Row
        return {t: [dict(r) for r in db.execute(f"SELECT * FROM {t} ORDER BY id")] for t in tables}


def sqlite_soundness(path: Path) -> tuple[list[Any], Any]:
    """What SQLite's own checks find: (foreign_key_check rows, integrity_check's first row). A sound
    file gives ([], ("ok",))."""
    with closing(sqlite3.connect(path)) as db:
        return (
            db.execute("PRAGMA foreign_key_check").fetchall(),
            db.execute("PRAGMA integrity_check").fetchone(),
        )
