"""The same services, trace and check on PostgreSQL (a shared workshop server instead of a Pi file).

Needs a server at 127.0.0.1:5432 that lets `root` in without a password (trust auth) and can
create databases; each test session gets a fresh `lk_test_<random>` database, dropped after.
Skipped, with the reason shown, only when the server cannot be reached.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path

import asyncpg
import pytest
from tortoise.connection import get_connection

from tui.errors import InsufficientStock, NotFound
from tui.services.demo import seed_demo
from tui.services.production import make
from tui.services.tracing import trace
from tui.store.db import Store, open_store
from tui.store.integrity import check, rebuild_cache
from tui.store.models import Lot, Movement

ADMIN = os.environ.get("LOTKEEPER_TEST_PG", "postgres://postgres@127.0.0.1:5432/postgres")
"""The same server as tests/conftest.py's `pg_store`: a database where we may create databases."""
SERVER = ADMIN.rsplit("/", 1)[0]
TODAY = date(2026, 6, 15)
TABLES = (
    "station, supplier, customer, material, supplier_code, product, recipe_line, lot, consumption, "
    "sale, sale_line, movement, code_counter, label_job, event, location, material_pack"
)


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(ADMIN, timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    name = f"lk_test_{secrets.token_hex(4)}"
    try:
        asyncio.run(_admin(f"CREATE DATABASE {name}"))
    except (TimeoutError, OSError) as exc:  # a server that answers but refuses is a failure
        unreachable = f"PostgreSQL at {SERVER} is not reachable: {exc}"
        if os.environ.get("LOTKEEPER_REQUIRE_PG"):
            pytest.fail(unreachable)
        pytest.skip(unreachable)
    yield f"{SERVER}/{name}"
    asyncio.run(_admin(f"DROP DATABASE {name} WITH (FORCE)"))


@pytest.fixture
async def pg_store(pg_url: str) -> AsyncIterator[Store]:
    """The session's database, migrated, with every table emptied for this test."""
    async with open_store(pg_url) as store:
        await get_connection("default").execute_script(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
        yield store


async def test_demo_trace_is_identical_on_postgresql_and_sqlite(pg_store: Store, tmp_path: Path) -> None:
    summary = await seed_demo(today=TODAY)
    on_postgres = (await trace(summary.example_lot)).to_json()
    order_on_postgres = (await trace("WS-1002")).to_json()
    assert len(on_postgres["customers"]) == 4
    assert {c["kind"] for c in on_postgres["forward"]["children"]} == {"batch"}

    async with open_store(str(tmp_path / "same.db")):
        await seed_demo(today=TODAY)
        assert (await trace(summary.example_lot)).to_json() == on_postgres
        assert (await trace("WS-1002")).to_json() == order_on_postgres


async def test_check_and_cache_rebuild_on_postgresql(pg_store: Store) -> None:
    summary = await seed_demo(today=TODAY)
    assert (await check()).ok
    await Lot.filter(code=summary.example_lot).update(on_hand_milli=1)
    problems = (await check()).problems
    assert len(problems) == 1 and problems[0].startswith(f"lot {summary.example_lot}: on-hand says 0.001 ml")
    assert await rebuild_cache() == 1
    assert (await check()).ok


async def test_refused_batch_writes_nothing_on_postgresql(pg_store: Store) -> None:
    await seed_demo(today=TODAY)
    lots, movements = await Lot.all().count(), await Movement.all().count()
    with pytest.raises(InsufficientStock, match="Amber jar"):
        await make("CNDL-LAV", "500", made=TODAY)
    assert (await Lot.all().count(), await Movement.all().count()) == (lots, movements)
    with pytest.raises(NotFound, match="NOPE"):
        await trace("NOPE")
