"""Opening the store: SQLite file or PostgreSQL URL, checked and migrated before anything else touches it.

SQLite is opened with WAL, synchronous=FULL (a power cut on the bench must not lose a receipt),
foreign keys on, and a busy timeout (set first, so even switching a new file to WAL waits for a
second station instead of failing). Migrations run on a connection of their own with foreign
keys *off* (with them on, a migration that rebuilds a parent table silently cascade-deletes the
children: stack-notes, Tortoise), in one transaction with their record (`migrator`).

Every connection is made explicitly, outside Tortoise's connection lock: a connect that fails
inside that lock leaves it taken, and the next query waits for ever.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from tortoise.backends.base.config_generator import expand_db_url
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.connection import connections
from tortoise.context import TortoiseContext
from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.transactions import in_transaction

from tui.errors import LotkeeperError, StoreError
from tui.store import migrator, sqlite_file
from tui.store.failures import translate
from tui.store.targets import is_postgres, postgres_target, shown, sqlite_path

MODELS = "tui.store.models"
MIGRATIONS = "tui.store.migrations"
SQLITE_PRAGMAS: dict[str, Any] = {
    "busy_timeout": 5000,
    "journal_mode": "WAL",
    "synchronous": "FULL",
    "foreign_keys": "ON",
}
PG_CONNECT_TIMEOUT_S = 10
"""A PostgreSQL server that does not answer (a host that drops packets) is reported after this."""
WRITE_LOCK_KEY = migrator.LOCK_KEY + 1
"""PostgreSQL advisory lock every change holds: stations write one at a time, as on SQLite."""

__all__ = ["Store", "is_postgres", "open_store", "tortoise_config", "writing"]


def tortoise_config(target: str, *, foreign_keys: bool = True) -> dict[str, Any]:
    """The Tortoise config for a SQLite path or a PostgreSQL URL."""
    if is_postgres(target):
        connection: Any = expand_db_url(postgres_target(target).url)
        connection["credentials"].setdefault("timeout", PG_CONNECT_TIMEOUT_S)
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
    created: bool = False
    """This opening made a new, empty store (the caller may say so)."""


def _check_target(target: str, create: bool) -> None:
    """Everything that can be known before connecting; raises StoreError."""
    if is_postgres(target):
        postgres_target(target)
        return
    if target == ":memory:":
        raise StoreError(
            "a store in memory would vanish when Lotkeeper stops: give a file, e.g. --db lots.db"
        )
    path = sqlite_path(target, create=create)
    state = sqlite_file.inspect(path)
    if state is not sqlite_file.FileState.STORE and not create:
        raise StoreError(
            f"there is no Lotkeeper store at {path}: check --db (a new store is made by the first "
            "command that adds something, e.g. `lotkeeper supplier add NAME`, or by opening the app)"
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


async def _connect(ctx: TortoiseContext, config: dict[str, Any], *, init_connections: bool) -> None:
    """Initialise Tortoise and connect at once, so a failed connect raises here and locks nothing."""
    await ctx.init(config=config, init_connections=init_connections)
    await connections.get("default").create_connection(with_db=True)


async def _migrate(ctx: TortoiseContext, target: str, create: bool) -> migrator.Migrated:
    """Migrate on a connection of its own (foreign keys off on SQLite), closed afterwards."""
    config = tortoise_config(target, foreign_keys=False)
    try:
        await _connect(ctx, config, init_connections=False)
        return await migrator.migrate(config["apps"], create=create, where=shown(target))
    finally:
        await connections.get("default").close()
        connections.discard("default")


@asynccontextmanager
async def open_store(target: str, station: str = "bench", *, create: bool = True) -> AsyncIterator[Store]:
    """Open (migrating as needed) the store for the duration of the block.

    `create=False` refuses a target that holds no store yet (commands that only read). Everything
    that runs inside the block, including tasks it starts, sees this store.
    """
    _check_target(target, create)
    if is_postgres(target):
        _check_postgres_driver()
    # Tortoise caches compiled INSERT/UPDATE SQL per connection *name*, not per dialect: after a
    # SQLite store, a PostgreSQL one (also "default") would be sent `?` placeholders.
    EXECUTOR_CACHE.clear()
    async with TortoiseContext() as ctx:
        try:
            migrated = await _migrate(ctx, target, create)
            await _connect(ctx, tortoise_config(target), init_connections=True)
        except LotkeeperError:
            raise
        except Exception as exc:  # the driver's own, in words (failures.translate) or as they are
            failure = translate(exc, target) or StoreError(f"cannot open the database {shown(target)}: {exc}")
            raise failure from exc
        try:
            yield Store(target=target, station=station, created=migrated.created)
        finally:
            await ctx.close_connections()


@asynccontextmanager
async def writing() -> AsyncIterator[None]:
    """One transaction for a change, holding the write lock from its first statement.

    SQLite starts transactions deferred: one that has read and then writes while another process
    (a second station on the same file) writes fails at once with "database is locked" instead of
    waiting. Taking the write lock first makes it wait (busy_timeout) like any other writer. On
    PostgreSQL an advisory lock does the same, so a check made inside the transaction (is this
    name taken?) still holds when the row is written. A constraint that fails anyway, a full
    disk or a lost connection end as our own errors: the transaction wrote nothing.
    """
    try:
        async with in_transaction() as conn:
            if conn.capabilities.dialect == "sqlite":
                await conn.execute_query("UPDATE code_counter SET value = value WHERE 0")
            else:
                await conn.execute_query(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
            yield
    except (IntegrityError, OperationalError) as exc:
        failure = translate(exc)
        if failure is None:
            raise
        raise failure from exc
