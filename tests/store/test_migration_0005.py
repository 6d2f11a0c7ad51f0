"""0005_label_profiles upgrades a store at 0004 with nothing lost: every row kept as it was, the
new product and material columns empty (no product gets a profile it was not given), the
allergen and CLP tables there and usable at once, every index kept (only columns are added: no
table is rebuilt). On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from tortoise.context import TortoiseContext
from tortoise.migrations.api import migrate

from tests.store.test_migration_0004 import PG_ADMIN
from tests.store.test_migrations import NOW, TABLES, _indexes
from tui.services import profiles
from tui.store.db import open_store, tortoise_config
from tui.store.models import MaterialAllergen, MaterialClp, Product

PREVIOUS = "models.0004_units_locations"
ROWS = (
    "INSERT INTO material (id, name, unit, reorder_milli, created_at) VALUES (1, 'Olive oil', 'g', 0, {now})",
    "INSERT INTO material (id, name, unit, reorder_milli, created_at) VALUES (2, 'Fig oil', 'g', 0, {now})",
    "INSERT INTO product (id, name, sku, unit, shelf_life_days, created_at) "
    "VALUES (1, 'Olive soap', 'SOAP-OLV', 'pcs', 365, {now})",
    "INSERT INTO recipe_line (id, product_id, material_id, qty_milli) VALUES (1, 1, 1, 100000)",
)


def _rows(path: Path) -> dict[str, list[dict[str, Any]]]:
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    out = {t: [dict(r) for r in db.execute(f"SELECT * FROM {t} ORDER BY id")] for t in TABLES}
    db.close()
    return out


async def _check_upgraded() -> None:
    soap = await Product.get(sku="SOAP-OLV")
    assert (soap.profile, soap.net, soap.pao_months, soap.rinse_off) == (None, None, None, False)
    await profiles.edit_label_fields("SOAP-OLV", profile="cosmetic", net="100g", rinse_off=True)
    await profiles.edit_material_label("Olive oil", inci="Olea Europaea Fruit Oil", allergens=["milk"])
    await profiles.set_material_clp("Fig oil", profiles.ClpInput("10", (), "", ("H412 Harmful.",)))
    assert await MaterialAllergen.filter(material__name="Olive oil").count() == 1
    assert (await MaterialClp.get()).hazards == ["H412 Harmful."]


async def test_upgrade_on_sqlite_keeps_rows_and_indexes(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    async with TortoiseContext():
        await migrate(config=tortoise_config(str(path), foreign_keys=False), target=PREVIOUS)
    db = sqlite3.connect(path)
    for sql in ROWS:
        db.execute(sql.format(now=f"'{NOW}'"))
    db.commit()
    db.close()
    before, indexes = _rows(path), _indexes(path)

    async with open_store(str(path)):
        await _check_upgraded()

    after = _rows(path)
    for table in TABLES:
        assert len(after[table]) == len(before[table]), table
        for old, new in zip(before[table], after[table], strict=True):
            assert {k: new[k] for k in old} == old, table  # the columns added are checked above
    assert after["product"][0]["profile"] == "cosmetic"  # (set by _check_upgraded)
    assert indexes <= _indexes(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()


async def test_upgrade_on_postgresql() -> None:
    try:
        admin = await asyncpg.connect(PG_ADMIN, timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
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
                await conn.execute(sql.format(now="now()"))
        finally:
            await conn.close()
        async with open_store(url):
            await _check_upgraded()
    finally:
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()
