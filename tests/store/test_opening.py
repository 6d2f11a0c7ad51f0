"""Opening a store: wrong files, damaged files, typos and newer stores end in one sentence, fast.

Each case was found by a stress campaign from outside: a text file given as the database hung
for ever, a URL without a database name made the schema in the server's default database, a
read command on a mistyped path made folders and an empty store, a store from a newer version
opened and then crashed.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path

import asyncpg
import pytest
from tortoise.connection import get_connection

from tui.errors import StoreError
from tui.store.db import open_store

ADMIN = os.environ.get("LOTKEEPER_TEST_PG", "postgres://postgres@127.0.0.1:5432/postgres")
SERVER = ADMIN.rsplit("/", 1)[0]
REFUSED_WITHIN_S = 1.0
"""A file that is no store is refused at once: it used to hang for ever."""
NEVER_HANGS_S = 20.0
"""Opening a new PostgreSQL store takes about a second (its schema): a bound against hanging only."""


async def _open(target: str, *, create: bool = True, within: float = REFUSED_WITHIN_S) -> None:
    async with asyncio.timeout(within):
        async with open_store(target, create=create):
            pass


def _refused(target: str, *parts: str, create: bool = True) -> str:
    with pytest.raises(StoreError) as caught:
        asyncio.run(_open(target, create=create))
    for part in parts:
        assert part in caught.value.message
    return caught.value.message


def _page_size(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[16:18], "big")


def _damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "text":
        data = bytearray(b"hello\n")
    elif how == "truncated":
        data = data[: len(data) // 2]
    elif how == "garbage in page 1":
        data[100:4096] = os.urandom(3996)
    elif how == "garbage header":
        data[16:100] = os.urandom(84)
    elif how == "zeros":
        data = bytearray(len(data))
    path.write_bytes(bytes(data))


@pytest.fixture
def store_file(migrated_template: Path, tmp_path: Path) -> Path:
    """A migrated store with its WAL folded in, so the main file holds every page."""
    path = tmp_path / "lots.db"
    path.write_bytes(migrated_template.read_bytes())
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode = DELETE")
    return path


@pytest.mark.parametrize("how", ["text", "truncated", "garbage in page 1", "garbage header", "zeros"])
def test_a_file_that_is_no_store_is_refused_at_once_naming_it(store_file: Path, how: str) -> None:
    _damage(store_file, how)
    before = store_file.read_bytes()
    message = _refused(str(store_file), str(store_file))
    assert "backup" in message
    assert store_file.read_bytes() == before  # nothing written, not even a header


def test_the_cli_and_the_app_fail_within_a_second_on_a_text_file(tmp_path: Path) -> None:
    """Before the fix both hung for ever (Tortoise's connection lock was never released)."""
    bad = tmp_path / "x.db"
    bad.write_text("hello\n")
    for argv in (["stock"], ["supplier", "add", "Acme"], ["check"]):
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "tui.cli", "--db", str(bad), *argv],
            capture_output=True,
            text=True,
            timeout=20,
        )
        assert done.returncode == 2, done.stderr
        assert (
            done.stderr.startswith(f"error: {bad} is not a Lotkeeper store") and done.stderr.count("\n") == 1
        )
        assert time.monotonic() - started < 15  # a bound against hanging; an interpreter start included


def test_a_database_of_another_program_is_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "places.sqlite"
    with closing(sqlite3.connect(other)) as db:
        db.execute("CREATE TABLE moz_places (url TEXT)")
        db.commit()
    before = other.read_bytes()
    _refused(str(other), "database of another program")
    assert other.read_bytes() == before


def test_a_read_never_creates_a_store_or_a_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent" / "dir" / "x.db"
    _refused(str(missing), "there is no store", create=False)
    assert not missing.parent.exists()
    empty = tmp_path / "empty.db"
    _refused(str(empty), "there is no Lotkeeper store", create=False)
    assert not empty.exists()
    empty.write_bytes(b"")
    _refused(str(empty), "there is no Lotkeeper store", create=False)
    assert empty.read_bytes() == b""


async def test_the_store_runs_with_foreign_keys_on(tmp_path: Path) -> None:
    """The migration connection (foreign keys off) used to stay the store's connection."""
    async with open_store(str(tmp_path / "lots.db")):
        _, rows = await get_connection("default").execute_query("PRAGMA foreign_keys")
        assert rows[0][0] == 1


def _record(path: Path, name: str) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute(
            "INSERT INTO tortoise_migrations (app, name, applied_at) VALUES ('models', ?, '2027-01-01')",
            (name,),
        )
        db.commit()


def test_a_store_from_a_newer_lotkeeper_is_refused(store_file: Path) -> None:
    _record(store_file, "0007_lot_location_required")
    message = _refused(
        str(store_file), "was written by a newer Lotkeeper (migration 0007_lot_location_required)"
    )
    assert message.endswith("upgrade Lotkeeper on this computer to open it")


# PostgreSQL ---------------------------------------------------------------------------------


@pytest.fixture
async def pg_empty() -> AsyncIterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped afterwards."""
    try:
        admin = await asyncpg.connect(ADMIN, timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        if os.environ.get("LOTKEEPER_REQUIRE_PG"):
            pytest.fail(f"no PostgreSQL at {ADMIN}: {exc}")
        pytest.skip(f"no PostgreSQL at {ADMIN}: {exc}")
    name = f"lk_test_{secrets.token_hex(6)}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{SERVER}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()


async def _pg_tables(url: str) -> set[str]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        )
    finally:
        await conn.close()
    return {row[0] for row in rows}


async def _pg_refused(target: str, *parts: str, create: bool = True) -> None:
    with pytest.raises(StoreError) as caught:
        await _open(target, create=create, within=NEVER_HANGS_S)
    for part in parts:
        assert part in caught.value.message, caught.value.message
    assert "\n" not in caught.value.message


async def test_a_postgres_url_must_name_its_database(pg_empty: str) -> None:
    await _pg_refused(SERVER, "names no database")
    await _pg_refused(SERVER + "/", "names no database")
    await _pg_refused("postgres://", "names no database")


async def test_bad_postgres_urls_are_one_sentence(pg_empty: str) -> None:
    host = SERVER.split("@", 1)[1].split(":", 1)[0]
    name = pg_empty.rsplit("/", 1)[1]
    await _pg_refused(f"postgres://postgres@{host}:abc/{name}", "port 'abc'", "is not a number")
    await _pg_refused(f"postgres://nobody_{secrets.token_hex(3)}@{host}/{name}", "PostgreSQL refused", "role")
    await _pg_refused(f"{SERVER}/lk_test_missing_{secrets.token_hex(3)}", "does not exist", "createdb")
    await _pg_refused(
        f"postgres://postgres:secret@{host}:1/{name}", "cannot reach the PostgreSQL server", ":***@"
    )


async def test_a_read_never_creates_a_schema_on_postgres(pg_empty: str) -> None:
    await _pg_refused(pg_empty, "there is no Lotkeeper store", create=False)
    assert await _pg_tables(pg_empty) == set()


async def test_a_postgres_database_of_another_program_is_left_alone(pg_empty: str) -> None:
    conn = await asyncpg.connect(pg_empty)
    await conn.execute("CREATE TABLE invoices (id int)")
    await conn.close()
    await _pg_refused(pg_empty, "tables of another program")
    assert await _pg_tables(pg_empty) == {"invoices"}


async def test_a_newer_store_is_refused_on_postgres(pg_empty: str) -> None:
    await _open(pg_empty, within=NEVER_HANGS_S)
    conn = await asyncpg.connect(pg_empty)
    await conn.execute(
        "INSERT INTO tortoise_migrations (app, name, applied_at) VALUES ('models', '0007_x', now())"
    )
    await conn.close()
    await _pg_refused(pg_empty, "written by a newer Lotkeeper (migration 0007_x)")


async def test_a_postgres_store_bricked_between_an_upgrade_and_its_record_opens_again(pg_empty: str) -> None:
    from tortoise.context import TortoiseContext
    from tortoise.migrations.api import migrate

    from tui.store.db import tortoise_config

    async with TortoiseContext():
        await migrate(
            config=tortoise_config(pg_empty), target="models.0002_customer_address_long_product_name"
        )
    conn = await asyncpg.connect(pg_empty)
    await conn.execute("INSERT INTO customer (name, created_at) VALUES ('Corner Shop', now())")
    await conn.execute("DELETE FROM tortoise_migrations WHERE name LIKE '0002%'")
    await conn.close()
    await _open(pg_empty, within=NEVER_HANGS_S)  # failed: column "address" ... already exists
    conn = await asyncpg.connect(pg_empty)
    known = len(list((Path(__file__).parents[2] / "tui/store/migrations").glob("0*.py")))
    assert await conn.fetchval("SELECT COUNT(*) FROM tortoise_migrations") == known
    assert await conn.fetchval("SELECT name FROM customer") == "Corner Shop"
    await conn.close()


def test_a_store_in_memory_is_refused() -> None:
    """Its migrations would go with their own connection, leaving an empty store behind."""
    _refused(":memory:", "would vanish")
