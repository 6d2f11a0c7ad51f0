"""Fixtures shared by the store and CLI tests: a real SQLite file per test, opened and migrated."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import asyncpg
import pytest

from tui.config import CodesConfig
from tui.services import catalog, inventory, products
from tui.store.db import Store, open_store


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One freshly created and migrated database per session (creating one costs ~0.2 s)."""
    path = tmp_path_factory.mktemp("template") / "lots.db"

    async def create() -> None:
        async with open_store(str(path)):
            pass

    asyncio.run(create())
    return path


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "lots.db"


@pytest.fixture
async def store(db_path: Path, migrated_template: Path) -> AsyncIterator[Store]:
    """The store in `db_path`: a copy of the migrated template, opened (and migration-checked) as usual."""
    for suffix in ("", "-wal"):
        source = migrated_template.with_name(migrated_template.name + suffix)
        if source.exists():
            shutil.copyfile(source, db_path.with_name(db_path.name + suffix))
    async with open_store(str(db_path)) as opened:
        yield opened


PG_ADMIN = os.environ.get("LOTKEEPER_TEST_PG", "postgres://postgres@127.0.0.1:5432/postgres")
"""A PostgreSQL server where tests may create and drop databases (.ci/run starts one)."""


@pytest.fixture
async def pg_store() -> AsyncIterator[Store]:
    """A fresh PostgreSQL database for one test, dropped afterwards; skipped without a server."""
    try:
        admin = await asyncpg.connect(PG_ADMIN, timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        unreachable = f"no PostgreSQL server at {PG_ADMIN} ({exc}): set LOTKEEPER_TEST_PG"
        if os.environ.get("LOTKEEPER_REQUIRE_PG"):  # CI on a machine that has one: it must run
            pytest.fail(unreachable)
        pytest.skip(unreachable)
    name = f"lk_test_{uuid.uuid4().hex[:12]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        async with open_store(f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}") as opened:
            yield opened
    finally:
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture
def codes() -> CodesConfig:
    return CodesConfig()


def dump_db(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, read with a separate connection: what is really committed."""
    with closing(sqlite3.connect(path)) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables}


@pytest.fixture
def db_dump(db_path: Path) -> Callable[[], dict[str, list[tuple[object, ...]]]]:
    """Call before and after a refused change: the two dumps must be equal."""
    return lambda: dump_db(db_path)


@dataclass(frozen=True)
class World:
    """Lot codes of the small soap workshop `world` sets up (all received in January 2026)."""

    oil_old: str
    """Olive oil, 1000 g for 10.00, expires 2026-06-30: the first one FEFO takes."""
    oil_new: str
    """Olive oil, 3000 g for 36.00, expires 2026-12-31."""
    oil_expired: str
    """Olive oil, 500 g for 5.00, expired 2026-02-01: never proposed after that."""
    lye: str
    """Lye, 1000 g for 4.00, no expiry."""
    lavender: str
    """Lavender oil, 100 ml for 25.00, expires 2027-01-31."""


MADE = date(2026, 3, 2)
"""The day tests using `world` make and sell on."""


@pytest.fixture
async def world(store: Store, codes: CodesConfig) -> World:
    """Supplier "Acme Oils", customer "Jo Bloggs", three materials, five lots, and two products:
    BLEND-LAV (ml, 1 ml lavender oil per ml, keeps 180 days) and SOAP-LAV (pcs: 100 g olive oil,
    12.5 g lye and 2 ml BLEND-LAV per bar, keeps 365 days).
    """
    await catalog.add_supplier("Acme Oils")
    await catalog.add_customer("Jo Bloggs", email="jo@example.com")
    await catalog.add_material("Olive oil", "g", reorder="2000")
    await catalog.add_material("Lye", "g")
    await catalog.add_material("Lavender oil", "ml")
    await products.add_product(
        "Lavender blend",
        "blend-lav",
        codes=codes,
        unit="ml",
        shelf_life_days=180,
        recipe=[("Lavender oil", "1")],
    )
    await products.add_product(
        "Lavender soap",
        "soap-lav",
        codes=codes,
        shelf_life_days=365,
        recipe=[("Olive oil", "100"), ("Lye", "12.5"), ("BLEND-LAV", "2")],
    )

    async def rx(material: str, qty: str, cost: str, expires: str | None, day: str) -> str:
        received = await inventory.receive(
            material, qty, supplier="Acme Oils", cost=cost, expires=expires, received=day, codes=codes
        )
        return received.lot

    return World(
        oil_new=await rx("Olive oil", "3000", "36.00", "2026-12-31", "2026-01-05"),
        oil_old=await rx("Olive oil", "1000", "10.00", "2026-06-30", "2026-01-06"),
        oil_expired=await rx("Olive oil", "500", "5.00", "2026-02-01", "2026-01-07"),
        lye=await rx("Lye", "1000", "4.00", None, "2026-01-08"),
        lavender=await rx("Lavender oil", "100", "25.00", "2027-01-31", "2026-01-09"),
    )
