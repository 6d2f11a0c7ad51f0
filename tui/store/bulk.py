"""Writing thousands of rows at once: ids handed out before the rows exist, then one INSERT each.

An import of 10,000 order lines cannot afford one ORM `create` per row, and Tortoise's
`bulk_create` does not say which id each new row got. So the ids are taken first: on PostgreSQL
from the table's sequence (`nextval`, safe beside other writers); on SQLite past the highest id
ever given (the write lock that `db.writing()` takes keeps anyone else from taking them). Rows
built with those ids can then reference each other (a sale's lines, a new customer's sales)
before any of them is written, and `bulk_create` sends each table in one `executemany`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from tortoise.connection import get_connection
from tortoise.models import Model

from tui.store.sql import fetch

M = TypeVar("M", bound=Model)
T = TypeVar("T")

CHUNK = 500
"""Values per `IN (...)` list or INSERT batch: far below SQLite's and asyncpg's limits."""


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def reserve_ids(model: type[Model], count: int) -> list[int]:
    """`count` fresh primary keys for `model`'s table, never handed out before.

    Call inside `db.writing()`: on SQLite the ids are only safe while the write lock is held.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    if get_connection("default").capabilities.dialect == "postgres":
        rows = await fetch(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, $1)", count
        )
        return sorted(int(row[0]) for row in rows)
    sql = (
        "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = $1), 0),"
        f" COALESCE((SELECT MAX(id) FROM {table}), 0))"
    )
    ((top,),) = await fetch(sql, table)
    return list(range(int(top) + 1, int(top) + 1 + count))


async def insert(model: type[M], rows: Iterable[M]) -> None:
    """Write `rows` (ids already set, or left to the database) in batches of `CHUNK`."""
    batch = list(rows)
    if batch:
        await model.bulk_create(batch, batch_size=CHUNK)


async def fetch_in(sql: str, ids: Sequence[Any], *params: Any) -> list[Sequence[Any]]:
    """Run `sql` once per chunk of `ids`; `sql` holds `{ids}` where the placeholders go.

    The chunk's values are numbered after `params` (`$1`... are the fixed parameters).
    """
    found: list[Sequence[Any]] = []
    for part in chunks(list(ids)):
        first = len(params) + 1
        marks = ", ".join(f"${n}" for n in range(first, first + len(part)))
        found.extend(await fetch(sql.format(ids=marks), *params, *part))
    return found
