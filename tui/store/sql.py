"""Raw SQL that runs on both SQLite and PostgreSQL: the one place that knows the dialects differ.

Recursive CTEs (tracing) and bulk reads (integrity, overview) are written once with `$1`
placeholders; `fetch` translates them for SQLite (`?1`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
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


def as_date(value: Any) -> date | None:
    """SQLite hands dates back as ISO text, PostgreSQL as `date`."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)
