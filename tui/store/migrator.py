"""Schema migrations applied with their record in one transaction, by one process at a time.

Tortoise's executor commits each migration, then records it in a separate write: a process
killed in between leaves a store that every later start tries to migrate again ("table
code_counter already exists"). Both SQLite and PostgreSQL roll DDL back, so here the pending
migrations, their records and the foreign-key check after them are one transaction: killed at
any moment, the store is either as before or fully upgraded. The transaction first takes a lock
(SQLite's write lock, a PostgreSQL advisory lock), so two stations starting together on a new
store take turns: the second finds the work done.

A store whose record names a migration this version does not have was written by a newer
Lotkeeper; it is refused rather than misread. A store left behind by an earlier version killed
between a migration and its record is repaired (`BRICKED_BY_EARLIER_VERSIONS`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.connection import get_connection
from tortoise.migrations.executor import MigrationExecutor
from tortoise.migrations.graph import MigrationKey
from tortoise.migrations.recorder import MigrationRecorder
from tortoise.migrations.schema_editor import AsyncpgSchemaEditor, SqliteSchemaEditor
from tortoise.transactions import in_transaction

from tui.errors import StoreError

APP = "models"
RECORD_TABLE = "tortoise_migrations"
LOCK_KEY = 0x4C4F544B
"""'LOTK': SQLite's application id for our files, and the key of the PostgreSQL advisory lock."""

_APPLIED = f'SELECT "app", "name" FROM "{RECORD_TABLE}" ORDER BY "applied_at", "app", "name"'
_SQLITE_HAS_RECORD = f"SELECT name FROM sqlite_master WHERE type = 'table' AND name = '{RECORD_TABLE}'"
_PG_TABLES = (
    "SELECT table_name FROM information_schema.tables "
    "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
)


@dataclass(frozen=True)
class Migrated:
    created: bool
    """This process made the store (applied its first migration)."""
    applied: tuple[str, ...]
    """Migrations this process applied, in order."""


class _RecordInTransaction(MigrationRecorder):
    """Tortoise's recorder, for use inside our transaction.

    Its `ensure_schema` runs a script, and sqlite3's `executescript` commits the open transaction
    first; the table is made before the transaction instead (`_ensure_record_table`). Its
    `applied_migrations` answers "none" on any error, which would apply every migration again.
    """

    async def ensure_schema(self, schema_editor: Any) -> None:
        return None

    async def applied_migrations(self) -> list[MigrationKey]:
        _, rows = await self.connection.execute_query(_APPLIED)
        return [MigrationKey(app_label=row[0], name=row[1]) for row in rows]


class _Executor(MigrationExecutor):
    def __init__(self, connection: BaseDBAsyncClient, apps_config: dict[str, dict[str, Any]]) -> None:
        super().__init__(connection, apps_config)
        self.recorder = _RecordInTransaction(connection)
        self.loader.recorder = self.recorder


def _is_sqlite(conn: BaseDBAsyncClient) -> bool:
    return bool(conn.capabilities.dialect == "sqlite")


async def _applied(conn: BaseDBAsyncClient) -> list[str] | None:
    """Names of the applied migrations, or None when the store has no record table at all."""
    if _is_sqlite(conn):
        _, found = await conn.execute_query(_SQLITE_HAS_RECORD)
        if not found:
            return None
    else:
        _, tables = await conn.execute_query(_PG_TABLES)
        names = {row[0] for row in tables}
        if RECORD_TABLE not in names:
            if names:
                raise StoreError(
                    "this PostgreSQL database already holds tables of another program, not a Lotkeeper "
                    "store: give Lotkeeper a database of its own (createdb lotkeeper) in --db"
                )
            return None
    _, rows = await conn.execute_query(_APPLIED)
    return [row[1] for row in rows if row[0] == APP]


def _refuse_newer(applied: Sequence[str], known: set[str], where: str) -> None:
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise StoreError(
            f"the store {where} was written by a newer Lotkeeper (migration {unknown[-1]}): upgrade "
            "Lotkeeper on this computer to open it"
        )


async def _ensure_record_table(conn: BaseDBAsyncClient) -> None:
    editor_class = SqliteSchemaEditor if _is_sqlite(conn) else AsyncpgSchemaEditor
    editor = editor_class(conn, atomic=False)
    await MigrationRecorder(conn).ensure_schema(editor)


async def _take_lock(conn: BaseDBAsyncClient) -> None:
    """The first statement of the transaction: nothing is read before the lock is held."""
    if _is_sqlite(conn):
        await conn.execute_query(f"PRAGMA application_id = {LOCK_KEY}")
    else:
        await conn.execute_query(f"SELECT pg_advisory_xact_lock({LOCK_KEY})")
        await _ensure_record_table(conn)


async def _has_column(conn: BaseDBAsyncClient, table: str, column: str) -> bool:
    if _is_sqlite(conn):
        _, rows = await conn.execute_query(f'PRAGMA table_info("{table}")')
        return any(row[1] == column for row in rows)
    _, rows = await conn.execute_query(
        "SELECT 1 FROM information_schema.columns "
        f"WHERE table_schema = current_schema() AND table_name = '{table}' AND column_name = '{column}'"
    )
    return bool(rows)


BRICKED_BY_EARLIER_VERSIONS = {
    "0001_initial": ("code_counter", "key"),
    "0002_customer_address_long_product_name": ("customer", "address"),
}
"""Migrations Lotkeeper applied before it recorded them in the same transaction: a kill in
between left each one done but unrecorded, and every later start failed on it ("table
code_counter already exists", "duplicate column name: address"). Each migration was itself one
transaction, so the column it added being there means all of it is: it is recorded, not redone.
Later migrations are recorded with their work and never need this."""


async def _adopt_unrecorded(conn: BaseDBAsyncClient, applied: list[str]) -> list[str]:
    adopted = []
    for name, (table, column) in BRICKED_BY_EARLIER_VERSIONS.items():
        if name not in applied and await _has_column(conn, table, column):
            await _RecordInTransaction(conn).record_applied(APP, name)
            adopted.append(name)
    return adopted


async def _check_references(conn: BaseDBAsyncClient, applied: list[str]) -> None:
    """SQLite migrates with foreign keys off (a rebuilt parent table would cascade-delete its
    children otherwise), so prove afterwards, before committing, that no reference broke."""
    if not applied or not _is_sqlite(conn):
        return
    _, broken = await conn.execute_query("PRAGMA foreign_key_check")
    if broken:
        raise StoreError(
            f"upgrading the store stopped: migration {applied[-1]} left {len(broken)} broken "
            f"reference(s) (first: {dict(broken[0])}), so it was undone and nothing was changed; "
            "restore your latest backup, or keep this version of Lotkeeper and ask for help"
        )


async def migrate(apps_config: dict[str, dict[str, Any]], *, create: bool, where: str) -> Migrated:
    """Bring the store on connection "default" up to date, or refuse it.

    `create=False` (a command that only reads) refuses a target that holds no store yet.
    """
    conn = get_connection("default")
    loader = MigrationExecutor(conn, apps_config).loader
    loader.load_disk()
    known = {key.name for key in loader.disk_migrations if key.app_label == APP}
    before = await _applied(conn)
    if before is None and not create:
        raise StoreError(
            f"there is no Lotkeeper store in {where} yet: check --db (a new store is made by the first "
            "command that adds something, e.g. `lotkeeper supplier add NAME`, or by opening the app)"
        )
    if before is not None:
        _refuse_newer(before, known, where)
        if known <= set(before):
            return Migrated(created=False, applied=())
    if _is_sqlite(conn):
        await _ensure_record_table(conn)
    applied: list[str] = []

    def progress(event: str, _app: str, name: str) -> None:
        if event == "apply_done":
            applied.append(name)

    async with in_transaction("default") as txn:
        await _take_lock(txn)
        now = await _applied(txn) or []
        _refuse_newer(now, known, where)
        adopted = await _adopt_unrecorded(txn, now)
        await _Executor(txn, apps_config).migrate(progress=progress)
        await _check_references(txn, applied)
    return Migrated(created=not now and not adopted and bool(applied), applied=tuple(applied))
