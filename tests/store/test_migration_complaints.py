"""0007_complaints adds the complaint log to a store of the release before it (0006) and changes
nothing else: every old row is as it was, and a batch made before the upgrade takes a complaint.
On SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from datetime import date
from pathlib import Path

import asyncpg
import pytest
from tortoise.context import TortoiseContext
from tortoise.migrations.api import migrate

from tui.services.complaints import add_complaint, list_complaints
from tui.store.db import open_store, tortoise_config

PREVIOUS = "models.0006_print_lease"
PG_ADMIN = os.environ.get("LOTKEEPER_TEST_PG", "postgres://postgres@127.0.0.1:5432/postgres")
ROWS = [
    "INSERT INTO product (id, name, sku, unit, shelf_life_days, created_at) "
    "VALUES (1, 'Lavender soap', 'SOAP-LAV', 'pcs', 365, '2026-03-01 10:00:00+00:00')",
    "INSERT INTO customer (id, name, email, created_at) "
    "VALUES (1, 'Maria Santos', 'maria@example.com', '2026-03-01 10:00:00+00:00')",
    "INSERT INTO lot (id, code, kind, product_id, dated, qty_milli, on_hand_milli, created_at) "
    "VALUES (1, 'SOAP260301-01', 'batch', 1, '2026-03-01', 10000, 10000, '2026-03-01 10:00:00+00:00')",
]
DAY = date(2026, 3, 10)


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    db = sqlite3.connect(path)
    tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    out = {
        t: db.execute(f'SELECT * FROM "{t}"').fetchall()
        for t in tables
        if t not in ("tortoise_migrations", "sqlite_sequence")
    }
    db.close()
    return out


async def test_upgrade_on_sqlite_keeps_every_row_and_adds_the_log(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    async with TortoiseContext():
        await migrate(config=tortoise_config(str(path), foreign_keys=False), target=PREVIOUS)
    db = sqlite3.connect(path)
    for sql in ROWS:
        db.execute(sql)
    db.commit()
    db.close()
    before = _dump(path)
    assert "complaint" not in before
    async with open_store(str(path)):
        added = await add_complaint("SOAP260301-01", "Rash", customer="Maria Santos", serious=True, today=DAY)
        assert [c.id for c in await list_complaints(open_only=True)] == [added.id]
    after = _dump(path)
    assert len(after.pop("complaint")) == 1
    assert after == before
    db = sqlite3.connect(path)
    logged = db.execute(
        "SELECT id, lot_id, customer_id, received_on, what, serious, action, closed_on FROM complaint"
    ).fetchall()
    db.close()
    assert logged == [(added.id, 1, 1, DAY.isoformat(), "Rash", 1, None, None)]


async def test_upgrade_on_postgresql_adds_the_log() -> None:
    try:
        admin = await asyncpg.connect(PG_ADMIN, timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        if os.environ.get("LOTKEEPER_REQUIRE_PG"):
            pytest.fail(f"no PostgreSQL server at {PG_ADMIN}: {exc}")
        pytest.skip(f"no PostgreSQL server at {PG_ADMIN} ({exc}): set LOTKEEPER_TEST_PG")
    name = f"lk_test_{uuid.uuid4().hex[:12]}"
    url = f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        async with TortoiseContext():
            await migrate(config=tortoise_config(url), target=PREVIOUS)
        conn = await asyncpg.connect(url)
        try:
            for sql in ROWS:
                await conn.execute(sql)
        finally:
            await conn.close()
        async with open_store(url):
            added = await add_complaint("SOAP260301-01", "Rash", serious=True, today=DAY)
            [view] = await list_complaints()
            assert (view.id, view.lot, view.item, view.is_open) == (
                added.id,
                "SOAP260301-01",
                "SOAP-LAV",
                True,
            )
    finally:
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()
