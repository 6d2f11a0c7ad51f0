"""A store at the schema of the last release, for the upgrade campaigns.

Generated, not committed: the released migrations are applied with Tortoise's own migrate (as
that release did),
then a workshop's worth of rows goes straight in with SQL written for that schema (the 0001
tables): 800 products (0002 rebuilds that table on SQLite), 2,400 lots with their ledger,
genealogy and sales, every reference valid.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import asyncpg

from .forking import fork_call
from .stores import CampaignFailure, Workdir, cached_template, is_pg

MIGRATIONS = Path(__file__).resolve().parents[2] / "tui" / "store" / "migrations"


def migration_names() -> list[str]:
    return sorted(p.stem for p in MIGRATIONS.glob("[0-9]*.py"))


LAST_RELEASED = "0002_customer_address_long_product_name"
"""The newest migration of the last release: what makers' stores have. Their stores were made and
upgraded by Tortoise's own migrate, which is what could brick them; move this on at a release."""


def previous_migration() -> str:
    """The schema a store has before this version's upgrade: the last release's."""
    names = migration_names()
    if LAST_RELEASED not in names or names[-1] == LAST_RELEASED:
        raise CampaignFailure(f"{LAST_RELEASED} is not an earlier migration of this version")
    return LAST_RELEASED


def _migrate_to(target: str, migration: str) -> None:
    from tortoise.context import TortoiseContext
    from tortoise.migrations.api import migrate

    from tui.store.db import tortoise_config

    async def go() -> None:
        async with TortoiseContext():
            await migrate(config=tortoise_config(target, foreign_keys=False), target=f"models.{migration}")

    asyncio.run(go())


NOW = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
DAY = date(2026, 3, 1)


def _old_rows(
    products: int = 800, lots: int = 2000, sales: int = 300
) -> dict[str, tuple[Sequence[str], list[tuple[Any, ...]]]]:
    """Rows for the 0001 schema: a workshop with history, every reference valid."""
    materials, suppliers, customers = 50, 20, 500
    batches = products // 2
    rows: dict[str, tuple[Sequence[str], list[tuple[Any, ...]]]] = {
        "station": (("id", "name"), [(1, "bench")]),
        "supplier": (
            ("id", "name", "created_at"),
            [(i, f"Supplier {i}", NOW) for i in range(1, suppliers + 1)],
        ),
        "customer": (
            ("id", "name", "email", "created_at"),
            [(i, f"Customer {i}", f"c{i}@example.com", NOW) for i in range(1, customers + 1)],
        ),
        "material": (
            ("id", "name", "unit", "reorder_milli", "created_at"),
            [(i, f"Material {i}", "g", 1000, NOW) for i in range(1, materials + 1)],
        ),
        "product": (
            ("id", "name", "sku", "unit", "shelf_life_days", "created_at"),
            [(i, f"Product {i}", f"P{i:04d}", "pcs", 365, NOW) for i in range(1, products + 1)],
        ),
        "recipe_line": (
            ("id", "product_id", "material_id", "qty_milli"),
            [(i, i, (i - 1) % materials + 1, 100_000) for i in range(1, products + 1)],
        ),
    }
    lot_rows: list[tuple[object, ...]] = []
    moves: list[tuple[object, ...]] = []
    edges: list[tuple[object, ...]] = []
    for i in range(1, lots + 1):
        lot_rows.append(
            (
                i,
                f"M260301-{i:04d}",
                "material",
                (i - 1) % materials + 1,
                None,
                (i - 1) % suppliers + 1,
                DAY,
                10_000_000,
                10_000_000 - (100_000 if i <= batches else 0),
                1,
            )
        )
        moves.append((len(moves) + 1, i, "receive", 10_000_000, NOW, 1, "", None))
    for b in range(1, batches + 1):
        lot_id = lots + b
        sold = 1000 if b <= sales else 0
        lot_rows.append((lot_id, f"B260301-{b:04d}", "batch", None, b, None, DAY, 10_000, 10_000 - sold, 1))
        edges.append((b, lot_id, b, 100_000))
        moves.append((len(moves) + 1, b, "consume", -100_000, NOW, 1, "", f"B260301-{b:04d}"))
        moves.append((len(moves) + 1, lot_id, "produce", 10_000, NOW, 1, "", f"B260301-{b:04d}"))
    sale_rows: list[tuple[object, ...]] = []
    lines: list[tuple[object, ...]] = []
    for s in range(1, sales + 1):
        sale_rows.append((s, f"O-{s:05d}", (s - 1) % customers + 1, "direct", DAY, 1, NOW))
        lines.append((s, s, lots + s, 1000, 650))
        moves.append((len(moves) + 1, lots + s, "sell", -1000, NOW, 1, "", f"O-{s:05d}"))
    rows["lot"] = (
        (
            "id",
            "code",
            "kind",
            "material_id",
            "product_id",
            "supplier_id",
            "dated",
            "qty_milli",
            "on_hand_milli",
            "station_id",
            "created_at",
        ),
        [(*r, NOW) for r in lot_rows],
    )
    rows["consumption"] = (("id", "batch_id", "source_id", "qty_milli"), edges)
    rows["sale"] = (("id", "ref", "customer_id", "channel", "sold_on", "station_id", "created_at"), sale_rows)
    rows["sale_line"] = (("id", "sale_id", "lot_id", "qty_milli", "price_cents"), lines)
    rows["movement"] = (("id", "lot_id", "kind", "delta_milli", "at", "station_id", "reason", "ref"), moves)
    rows["code_counter"] = (("id", "key", "value"), [(1, "M260301", lots), (2, "B260301", batches)])
    return rows


async def _fill_pg(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction():
            for table, (columns, values) in _old_rows().items():
                names = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
                await conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values)
            for table in (
                "station",
                "supplier",
                "customer",
                "material",
                "product",
                "recipe_line",
                "lot",
                "consumption",
                "sale",
                "sale_line",
                "movement",
                "code_counter",
            ):
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                )
    finally:
        await conn.close()


def _fill_sqlite(path: str) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA foreign_keys = ON")
        for table, (columns, values) in _old_rows().items():
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" * len(columns))
            plain = [tuple(str(v) if isinstance(v, date) else v for v in row) for row in values]
            db.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', plain)
        db.commit()


def _fill_at(migration: str, target: str) -> None:
    """`target` brought to the schema of `migration`, then filled with rows."""
    done = fork_call(lambda: _migrate_to(target, migration))
    if done.code != 0:
        raise CampaignFailure(f"could not make the previous-schema store: {done.err.strip()[-500:]}")
    if is_pg(target):
        asyncio.run(_fill_pg(target))
    else:
        _fill_sqlite(target)


def applied_migrations(target: str) -> list[str]:
    if is_pg(target):

        async def names() -> list[str]:
            conn = await asyncpg.connect(target)
            try:
                return [r[0] for r in await conn.fetch("SELECT name FROM tortoise_migrations ORDER BY name")]
            finally:
                await conn.close()

        return asyncio.run(names())
    with closing(sqlite3.connect(target)) as db:
        return [r[0] for r in db.execute("SELECT name FROM tortoise_migrations ORDER BY name")]


def previous_schema_store(work: Workdir, migration: str | None = None) -> str:
    """A copy of a store at the previous schema (or that of `migration`), full of rows (made once)."""
    at = migration or previous_migration()
    template, _ = cached_template(f"previous {at}", work, lambda _maker, target: _fill_at(at, target))
    return work.new_target(template)


def release_before_last() -> str:
    """Where the last release's own upgrade started: the migration before `LAST_RELEASED`."""
    names = migration_names()
    return names[names.index(LAST_RELEASED) - 1]
