"""Stores for tests on both backends, and a dump of everything a store has committed.

PostgreSQL: the server is shared (other checkouts run their tests against it at the same time), so
every database a test session makes has a random name. The schema is migrated once per session
into a template database; each test gets a database of its own, copied from the template or
emptied back to it (`Databases`). All of them are dropped at the end of the session.

These helpers are synchronous, so sync fixtures and CLI tests can use them too: the PostgreSQL
calls run on an event loop of their own in another thread, outside any loop a test is running.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import shutil
import sqlite3
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, closing
from pathlib import Path
from typing import Any, TypeVar

import asyncpg

from tui.store.db import Store, is_postgres, open_store

T = TypeVar("T")
Dump = dict[str, list[tuple[object, ...]]]

BACKENDS = ("sqlite", "postgres")
"""The ids of a test's runs on each backend."""
PG_ADMIN = os.environ.get("LOTKEEPER_TEST_PG", "postgres://postgres@127.0.0.1:5432/postgres")
"""A PostgreSQL database where tests may create and drop databases (.ci/run starts the server)."""


class Unreachable(Exception):
    """No PostgreSQL server answers at PG_ADMIN."""


def run_sync(make: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine to its end on a fresh event loop in another thread, from any caller."""

    async def main() -> T:
        return await make()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main()).result()


class PostgresServer:
    """The server at PG_ADMIN: creates and drops uniquely named databases."""

    def __init__(self, admin: str = PG_ADMIN) -> None:
        self.admin = admin
        self.base = admin.rsplit("/", 1)[0]

    def url(self, name: str) -> str:
        return f"{self.base}/{name}"

    def reach(self) -> None:
        """Raise Unreachable unless the server answers (one that answers but refuses is a failure)."""

        async def ping() -> None:
            conn = await asyncpg.connect(self.admin, timeout=3)
            await conn.close()

        try:
            run_sync(ping)
        except (OSError, TimeoutError) as exc:
            raise Unreachable(f"no PostgreSQL server at {self.admin} ({exc}): set LOTKEEPER_TEST_PG") from exc

    def _admin(self, sql: str) -> None:
        async def execute() -> None:
            conn = await asyncpg.connect(self.admin, timeout=5)
            try:
                await conn.execute(sql)
            finally:
                await conn.close()

        run_sync(execute)

    def create(self, template: str | None = None, prefix: str = "lk_test") -> str:
        """A new empty database (or a copy of `template`): its name."""
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return name

    def drop(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def migrated_template(self) -> str:
        """A database with every migration applied and no connection left open: a template."""
        name = self.create(prefix="lk_test_template")

        async def migrate() -> None:
            async with open_store(self.url(name)):
                pass

        try:
            run_sync(migrate)
        except BaseException:
            self.drop(name)
            raise
        return name


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy a closed SQLite database, with its write-ahead log if it has one."""
    for suffix in ("", "-wal"):
        part = source.with_name(source.name + suffix)
        if part.exists():
            shutil.copyfile(part, target.with_name(target.name + suffix))


@asynccontextmanager
async def sqlite_store(path: Path, template: Path) -> AsyncIterator[Store]:
    """A copy of the migrated `template` at `path`, opened (and migration-checked) as usual."""
    copy_sqlite(template, path)
    async with open_store(str(path)) as opened:
        yield opened


class Databases:
    """Databases for tests, each one a copy of a migrated template, or a used copy emptied back to it.

    Copying (CREATE DATABASE ... TEMPLATE) costs 30-100 ms; dropping makes the server checkpoint
    (PostgreSQL 15), which on a shared, busy server takes up to seconds and slows every other
    user of it. Emptying a used copy costs ~6 ms: every table but the migrations' loses its rows
    (with foreign-key triggers off, so in any order) and every sequence restarts, which leaves the
    copy as the template was. A test that changes the schema must make its own database instead.
    """

    def __init__(self, server: PostgresServer, template: str) -> None:
        self.server, self.template = server, template
        self._idle: list[str] = []

    def take(self) -> str:
        """The URL of a database for one test: migrated, empty, no one else's."""
        name = self._idle.pop() if self._idle else self.server.create(self.template)
        return self.server.url(name)

    def give_back(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        try:
            run_sync(lambda: _empty(url))
        except (asyncpg.PostgresError, OSError, TimeoutError):
            self.server.drop(name)  # a test left it locked or changed: never reuse it
        else:
            self._idle.append(name)

    def close(self) -> None:
        while self._idle:
            self.server.drop(self._idle.pop())


async def _empty(url: str) -> None:
    conn = await asyncpg.connect(url, timeout=5)
    try:
        tables = await conn.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE' AND table_name <> 'tortoise_migrations'"
        )
        sequences = await conn.fetch(
            "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public'"
        )
        async with conn.transaction():
            await conn.execute("SET LOCAL lock_timeout = '1s'; SET LOCAL session_replication_role = replica")
            for row in tables:
                await conn.execute(f'DELETE FROM "{row[0]}"')
            for row in sequences:
                await conn.execute("SELECT setval($1::regclass, 1, false)", f'"{row[0]}"')
    finally:
        await conn.close()


@asynccontextmanager
async def postgres_store(databases: Databases) -> AsyncIterator[Store]:
    """A migrated, empty database of this test's own, opened as usual, emptied after."""
    url = databases.take()
    try:
        async with open_store(url) as opened:
            yield opened
    finally:
        databases.give_back(url)


def dump(target: str) -> Dump:
    """Every row of every table of a store (a SQLite path or a PostgreSQL URL), read through a
    connection of its own: what is really committed. Rows are sorted, so two dumps of the same
    data compare equal whatever order the database returns them in."""
    tables = _dump_postgres(target) if is_postgres(target) else _dump_sqlite(Path(target))
    return {table: sorted(rows, key=repr) for table, rows in tables.items()}


def rows(path: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """What `sql` returns from a SQLite store, read through a connection of its own."""
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchall()


def lot_of(path: Path, supplier_lot: str) -> str:
    """The code of the lot a SQLite store received with this supplier lot number."""
    [(code,)] = rows(path, "SELECT code FROM lot WHERE supplier_lot = ?", supplier_lot)
    return str(code)


def _dump_sqlite(path: Path) -> Dump:
    with closing(sqlite3.connect(path)) as conn:
        names = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {name: conn.execute(f'SELECT * FROM "{name}"').fetchall() for name in names}


def _dump_postgres(url: str) -> Dump:
    async def read() -> Dump:
        conn = await asyncpg.connect(url, timeout=5)
        try:
            names = await conn.fetch(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            )
            return {
                row["table_name"]: [
                    tuple(r) for r in await conn.fetch(f'SELECT * FROM "{row["table_name"]}"')
                ]
                for row in names
            }
        finally:
            await conn.close()

    return run_sync(read)
