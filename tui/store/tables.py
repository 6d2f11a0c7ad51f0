"""Every table of the store as plain values, read and written the same way on SQLite and PostgreSQL.

An export must mean the same thing whichever database wrote it, so that a store moved from a
Pi's SQLite file to a shared PostgreSQL (and back) is the same store. The two drivers hand back
different types for one column (SQLite: text dates, 0/1 booleans, JSON as text; PostgreSQL:
`date`, `bool`, datetimes), so each column is read by its Tortoise field's kind into one
canonical form (`Kind`): ISO text for dates and datetimes (UTC, to the microsecond, as Tortoise
writes them into SQLite), base64 for bytes, parsed JSON for JSON columns. Writing turns the
canonical form back into what the target's driver takes. The tables come from the models, in an
order where every row's references are written before it (`ordered_tables`), so foreign keys stay
on while a store is restored.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from functools import lru_cache
from typing import Any

import orjson
from tortoise import fields
from tortoise.connection import get_connection
from tortoise.models import Model

from tui.errors import StoreError
from tui.store import models
from tui.store.migrator import APP, RECORD_TABLE
from tui.store.sql import fetch

READ_CHUNK = 20_000
"""Rows read per query: a million-row ledger is never held twice over."""
WRITE_CHUNK = 10_000
"""Rows per `executemany`."""


class Kind(Enum):
    PLAIN = "plain"
    """Integers and text: the same on both databases."""
    BOOL = "bool"
    DATE = "date"
    DATETIME = "datetime"
    JSON = "json"
    BYTES = "bytes"


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    kinds: tuple[Kind, ...]
    model: type[Model]


def _kind(field: fields.Field[Any]) -> Kind:
    if isinstance(field, fields.BooleanField):
        return Kind.BOOL
    if isinstance(field, fields.DatetimeField):
        return Kind.DATETIME
    if isinstance(field, fields.DateField):
        return Kind.DATE
    if isinstance(field, fields.JSONField):
        return Kind.JSON
    if isinstance(field, fields.BinaryField):
        return Kind.BYTES
    return Kind.PLAIN


def _models() -> list[type[Model]]:
    found = [
        value
        for value in vars(models).values()
        if isinstance(value, type) and issubclass(value, Model) and value is not Model
    ]
    return sorted({m._meta.db_table: m for m in found}.values(), key=lambda m: m._meta.db_table)


def ordered_tables() -> list[Table]:
    """Every table of the models, each after the tables its rows point at."""
    pending = {m._meta.db_table: m for m in _models()}
    done: list[Table] = []

    def points_at(model: type[Model]) -> set[str]:
        related = (model._meta.fields_map[fk] for fk in (*model._meta.fk_fields, *model._meta.o2o_fields))
        return {
            f.related_model._meta.db_table
            for f in related
            if isinstance(f, fields.relational.RelationalField)
        } - {model._meta.db_table}

    while pending:
        ready = [name for name, model in pending.items() if not points_at(model) & pending.keys()]
        if not ready:
            raise StoreError(f"the tables {', '.join(sorted(pending))} point at each other in a loop")
        for name in sorted(ready):
            model = pending.pop(name)
            projection = model._meta.fields_db_projection
            columns = tuple(projection.values())
            kinds = tuple(_kind(model._meta.fields_map[f]) for f in projection)
            done.append(Table(name=name, columns=columns, kinds=kinds, model=model))
    return done


@lru_cache(maxsize=4096)
def _datetime_text(text: str) -> str:
    """SQLite's stored text in the canonical form (a ledger repeats its times: cached)."""
    return _datetime(datetime.fromisoformat(text))


def _datetime(when: datetime) -> str:
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(sep=" ", timespec="microseconds")


def _to_plain(value: Any, kind: Kind) -> Any:
    if value is None or kind is Kind.PLAIN:
        return value
    if kind is Kind.BOOL:
        return bool(value)
    if kind is Kind.DATE:
        return value.isoformat() if isinstance(value, date) else str(value)
    if kind is Kind.DATETIME:
        if isinstance(value, datetime):
            return _datetime(value)
        if len(value) == 32 and value[10] == " " and value.endswith("+00:00"):
            return value  # as Tortoise writes it: already canonical
        return _datetime_text(value)
    if kind is Kind.JSON:
        return orjson.loads(value) if isinstance(value, str | bytes) else value
    return base64.b64encode(bytes(value)).decode("ascii")


def _to_db(value: Any, kind: Kind) -> Any:
    if value is None:
        return value
    if kind is Kind.DATE:
        return date.fromisoformat(value)
    if kind is Kind.DATETIME:
        return datetime.fromisoformat(value)
    if kind is Kind.JSON:
        return orjson.dumps(value).decode("utf-8")
    return base64.b64decode(value)


def _converted(kind: Kind, dialect: str) -> bool:
    """Whether a canonical value of this kind needs converting for the database: both drivers
    take a bool as it is, and SQLite keeps dates and datetimes as the canonical text itself."""
    if kind in (Kind.PLAIN, Kind.BOOL):
        return False
    return dialect == "postgres" or kind not in (Kind.DATE, Kind.DATETIME)


def _dialect() -> str:
    return str(get_connection("default").capabilities.dialect)


async def read_rows(table: Table) -> AsyncIterator[list[list[Any]]]:
    """The table's rows in id order, canonical values, a chunk at a time."""
    names = ", ".join(f'"{c}"' for c in table.columns)
    sqlite = _dialect() == "sqlite"
    kinds = [  # SQLite hands dates back as the ISO text they are stored as
        (n, kind)
        for n, kind in enumerate(table.kinds)
        if kind is not Kind.PLAIN and not (sqlite and kind is Kind.DATE)
    ]
    last: Any = None
    while True:
        where = "" if last is None else 'WHERE "id" > $1 '
        sql = f'SELECT {names} FROM "{table.name}" {where}ORDER BY "id" LIMIT {READ_CHUNK}'
        rows = await (fetch(sql) if last is None else fetch(sql, last))
        if not rows:
            break
        last = rows[-1][table.columns.index("id")]
        chunk = [list(row) for row in rows]
        for n, kind in kinds:
            for row in chunk:
                row[n] = _to_plain(row[n], kind)
        yield chunk


async def write_rows(table: Table, columns: Sequence[str], rows: list[list[Any]]) -> None:
    """Insert canonical rows (as `read_rows` gives them) into the table, ids as given; the rows'
    values are converted in place."""
    if not rows:
        return
    if tuple(columns) != table.columns:
        raise StoreError(
            f"the export's table {table.name} has the columns {', '.join(columns)}, this store's has "
            f"{', '.join(table.columns)}"
        )
    conn = get_connection("default")
    dialect = _dialect()
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join(f"${n}" if dialect == "postgres" else "?" for n in range(1, len(columns) + 1))
    sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'
    converted = [(n, kind) for n, kind in enumerate(table.kinds) if _converted(kind, dialect)]
    for start in range(0, len(rows), WRITE_CHUNK):
        values = rows[start : start + WRITE_CHUNK]  # the reader's own lists: converted in place
        for n, kind in converted:
            for row in values:
                row[n] = _to_db(row[n], kind)
        if dialect == "sqlite":  # straight to sqlite3's executemany: Tortoise's adds a step per row
            async with conn.acquire_connection() as raw:
                await raw.executemany(sql, values)
        else:
            await conn.execute_many(sql, values)


BULK_CACHE_KIB = 65_536
"""SQLite page cache while a whole store is written: a million-row table's indexes are updated
at random places, and SQLite's default 2 MB cache would read the same pages again and again."""


async def prepare_bulk_write() -> None:
    if _dialect() == "sqlite":
        await get_connection("default").execute_query(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")


async def count_rows(table: Table) -> int:
    ((count,),) = await fetch(f'SELECT COUNT(*) FROM "{table.name}"')
    return int(count)


async def applied_migrations() -> list[str]:
    """The schema a store is at: the names of its applied migrations, sorted."""
    rows = await fetch(f'SELECT "name" FROM "{RECORD_TABLE}" WHERE "app" = $1', APP)
    return sorted(str(name) for (name,) in rows)


async def sequences(tables: Sequence[Table]) -> dict[str, int]:
    """Per table, the highest id it ever handed out (ids are never reused), when above 0."""
    found: dict[str, int] = {}
    if _dialect() == "postgres":
        for table in tables:
            rows = await fetch(
                "SELECT last_value FROM pg_sequences WHERE schemaname = current_schema() "
                "AND sequencename = split_part(pg_get_serial_sequence($1, 'id'), '.', 2)",
                table.name,
            )
            if rows:  # last_value is null until the sequence handed out an id
                top = int(rows[0][0] or 0)
                if top > 0:
                    found[table.name] = top
        return found
    names = {t.name for t in tables}
    for name, seq in await fetch("SELECT name, seq FROM sqlite_sequence"):
        if name in names and int(seq) > 0:
            found[str(name)] = int(seq)
    return found


async def set_sequences(tables: Sequence[Table], wanted: dict[str, int]) -> None:
    """Make each table hand out ids after the given highest one (after the rows were written)."""
    conn = get_connection("default")
    if _dialect() == "postgres":
        for table in tables:
            top = wanted.get(table.name, 0)
            await conn.execute_query(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), $1, $2)",
                [max(top, 1), top > 0],
            )
        return
    for table in tables:
        top = wanted.get(table.name, 0)
        if top > 0:
            await conn.execute_query("UPDATE sqlite_sequence SET seq = ? WHERE name = ?", [top, table.name])
            await conn.execute_query(
                "INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? "
                "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)",
                [table.name, top, table.name],
            )
