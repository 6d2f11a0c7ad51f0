"""Raw SQL that runs on both SQLite and PostgreSQL: the one place that knows the dialects differ.

Recursive CTEs (tracing) and bulk reads (integrity, overview) are written once with `$1`
placeholders; `fetch` (and `fetch_chunks`, for listings too long to hold) translates them for
SQLite (`?1`).
"""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, cast

from tortoise.connection import get_connection

_PLACEHOLDER = re.compile(r"\$(\d+)")


async def fetch(sql: str | Mapping[str, str], *params: Any) -> Sequence[Sequence[Any]]:
    """Run `sql` (placeholders `$1`, `$2`...) on the open store; rows index by position.

    `sql` may map dialect names ("sqlite", "postgres") to their own text. On SQLite the rows
    are read as plain tuples: Tortoise's client wraps each in a `sqlite3.Row`, which doubles
    the cost of a recall trace that reads 100,000 sale lines.
    """
    conn = get_connection("default")
    dialect = conn.capabilities.dialect
    text = sql if isinstance(sql, str) else sql[dialect]
    if dialect == "postgres":
        _, records = await conn.execute_query(text, list(params))
        return cast(Sequence[Sequence[Any]], records)  # asyncpg Records: positional too
    async with conn.acquire_connection() as raw:
        cursor = await raw.execute(_PLACEHOLDER.sub(r"?\1", text), [_sqlite_value(p) for p in params])
        cursor.row_factory = None
        rows = await cursor.fetchall()
        await cursor.close()
    return cast(Sequence[Sequence[Any]], rows)


def _sqlite_value(value: Any) -> Any:
    """Dates and times as Tortoise writes them on SQLite (ISO text, times in UTC), so they
    compare with the stored text as they would as values."""
    if isinstance(value, datetime):
        return str(value.astimezone(UTC))
    if isinstance(value, date):
        return value.isoformat()
    return value


async def fetch_chunks(
    sql: str | Mapping[str, str], *params: Any, size: int = 5000
) -> AsyncGenerator[Sequence[Sequence[Any]], None]:
    """`fetch`'s rows, `size` at a time: a listing of every lot is written out as it is read,
    never held whole. On SQLite the store's one connection is held until the last chunk (close
    the iterator, e.g. with `contextlib.aclosing`, to let go early); PostgreSQL answers at once
    and its rows are handed out in the same chunks.
    """
    conn = get_connection("default")
    dialect = conn.capabilities.dialect
    text = sql if isinstance(sql, str) else sql[dialect]
    if dialect == "postgres":
        _, records = await conn.execute_query(text, list(params))
        for start in range(0, len(records), size):
            yield cast(Sequence[Sequence[Any]], records[start : start + size])
        return
    async with conn.acquire_connection() as raw:
        cursor = await raw.execute(_PLACEHOLDER.sub(r"?\1", text), [_sqlite_value(p) for p in params])
        cursor.row_factory = None
        try:
            while rows := await cursor.fetchmany(size):
                yield cast(Sequence[Sequence[Any]], rows)
        finally:
            await cursor.close()


def as_date(value: Any) -> date | None:
    """SQLite hands dates back as ISO text, PostgreSQL as `date`."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)
