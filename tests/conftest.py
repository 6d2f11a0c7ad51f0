"""Fixtures shared by the store, services and CLI tests: a migrated store per test, on SQLite and
on PostgreSQL.

Every test that asks for `store` (itself or through `world`) runs twice, with ids `sqlite` and
`postgres`, unless marked `@pytest.mark.sqlite_only(reason)`. Without a PostgreSQL server the
`postgres` runs are skipped with the reason shown; with LOTKEEPER_REQUIRE_PG=1 (.ci/run sets it
where a server is installed) they fail instead.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tests.support.cli import Cli, invoke
from tests.support.databases import (
    BACKENDS,
    Databases,
    Dump,
    PostgresServer,
    Unreachable,
    dump,
    postgres_store,
    sqlite_store,
)
from tests.support.migrations import Scratch
from tui.config import CodesConfig
from tui.services import catalog, inventory, products
from tui.store.db import Store, open_store


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sqlite_only(reason): the test needs SQLite itself (a file, PRAGMAs, locks): no postgres run",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`store` on each backend: ids `sqlite` and `postgres`."""
    if "store" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("sqlite_only")
    if marker is not None and not (marker.args or marker.kwargs.get("reason")):
        raise pytest.UsageError(f"{metafunc.definition.nodeid}: sqlite_only needs a reason")
    metafunc.parametrize("store", ["sqlite"] if marker else BACKENDS, indirect=True)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One freshly created and migrated SQLite database per session (creating one costs ~0.2 s)."""
    path = tmp_path_factory.mktemp("template") / "lots.db"

    async def create() -> None:
        async with open_store(str(path)):
            pass

    asyncio.run(create())
    return path


@pytest.fixture(scope="session")
def postgres() -> PostgresServer:
    """The PostgreSQL server, or a skip (a failure under LOTKEEPER_REQUIRE_PG) saying why not."""
    server = PostgresServer()
    try:
        server.reach()
    except Unreachable as exc:
        if os.environ.get("LOTKEEPER_REQUIRE_PG"):
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    return server


@pytest.fixture(scope="session")
def pg_databases(postgres: PostgresServer) -> Iterator[Databases]:
    """Databases copied from the session's migrated template, one per test; dropped at the end."""
    template = postgres.migrated_template()
    databases = Databases(postgres, template)
    try:
        yield databases
    finally:
        databases.close()
        postgres.drop(template)


@pytest.fixture(params=BACKENDS)
def scratch(request: pytest.FixtureRequest, tmp_path: Path) -> Scratch:
    """Where a test makes a store at a schema of its choosing (`store_at` in
    tests/support/migrations.py): a new SQLite file, or the PostgreSQL server (the `postgres`
    skip or failure when there is none). Runs on each backend, ids `sqlite` and `postgres`."""
    if request.param == "postgres":
        server: PostgresServer = request.getfixturevalue("postgres")
        return server
    return tmp_path / "old.db"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "lots.db"


@pytest.fixture
async def store(
    request: pytest.FixtureRequest, db_path: Path, migrated_template: Path
) -> AsyncIterator[Store]:
    """A migrated, empty store of this test's own: the SQLite file `db_path`, or a PostgreSQL
    database (see tests/support/databases.py)."""
    if request.param == "postgres":
        async with postgres_store(request.getfixturevalue("pg_databases")) as opened:
            yield opened
    else:
        async with sqlite_store(db_path, migrated_template) as opened:
            yield opened


@pytest.fixture
async def pg_store(pg_databases: Databases) -> AsyncIterator[Store]:
    """A PostgreSQL store only, for a test that compares it with SQLite."""
    async with postgres_store(pg_databases) as opened:
        yield opened


@pytest.fixture
def db_dump(store: Store) -> Callable[[], Dump]:
    """Call before and after a refused change: the two dumps must be equal."""
    return lambda: dump(store.target)


@pytest.fixture
def codes() -> CodesConfig:
    return CodesConfig()


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """`cli(*args)`: `lotkeeper ARGS` in-process, kept away from this machine's config and data."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("LOTKEEPER_DB", raising=False)
    monkeypatch.delenv("LOTKEEPER_CONFIG", raising=False)
    return invoke


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
