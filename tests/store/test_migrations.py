"""Upgrading a store that holds real data loses nothing.

0002 alters `product.name`, which makes Tortoise rebuild the `product` table on SQLite (create a
copy, drop the original, rename). Dropping a parent table with foreign keys on cascade-deletes
its children, so `open_store` migrates with them off; these tests prove both halves of that.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from tortoise.context import TortoiseContext
from tortoise.exceptions import IntegrityError
from tortoise.migrations.api import migrate

from tui.errors import StoreError
from tui.store.db import open_store, tortoise_config
from tui.store.models import Customer, Product

MIGRATIONS = sorted(p.stem for p in (Path(__file__).parents[2] / "tui/store/migrations").glob("0*.py"))

TABLES = (
    "station",
    "supplier",
    "customer",
    "material",
    "supplier_code",
    "product",
    "recipe_line",
    "lot",
    "consumption",
    "sale",
    "sale_line",
    "movement",
    "code_counter",
    "label_job",
    "event",
)
NOW = "2026-03-01 10:00:00+00:00"


async def _migrate(path: Path, *, target: str | None, foreign_keys: bool) -> None:
    async with TortoiseContext():
        await migrate(config=tortoise_config(str(path), foreign_keys=foreign_keys), target=target)


def _row(columns: str, *values: object) -> dict[str, object]:
    return dict(zip(columns.split(), values, strict=True))


def _fill(path: Path, *, batches: bool = True) -> None:
    """Rows in every table of the 0001 schema, children pointing at their parents."""
    lot = "id code kind material_id product_id supplier_id supplier_lot dated expires qty_milli "
    lot += "on_hand_milli cost_cents location station_id created_at"
    move = "id lot_id kind delta_milli at station_id reason ref"
    job = "id lot_id printer template template_version payload copies status attempts "
    job += "reprint_of_id created_at"
    rows = {
        "station": [_row("id name", 1, "bench"), _row("id name", 2, "packing")],
        "supplier": [_row("id name created_at", i, n, NOW) for i, n in ((1, "Oils"), (2, "Wax"))],
        "customer": [_row("id name email created_at", 1, "Corner Shop", "shop@example.com", NOW)],
        "material": [
            _row("id name unit reorder_milli created_at", 1, "Olive oil", "g", 5000000, NOW),
            _row("id name unit reorder_milli created_at", 2, "Lavender EO", "ml", 0, NOW),
        ],
        "supplier_code": [
            _row("id code material_id supplier_id", 1, "00012345600012", 1, 1),
            _row("id code material_id supplier_id", 2, "LAV-10", 2, None),
        ],
        "product": [
            _row(
                "id name sku unit shelf_life_days created_at",
                1,
                "Lavender blend",
                "BLEND-LAV",
                "ml",
                365,
                NOW,
            ),
            _row(
                "id name sku gtin unit created_at",
                2,
                "Lavender soap",
                "SOAP-LAV",
                "05012345678900",
                "pcs",
                NOW,
            ),
        ],
        "recipe_line": [
            _row("id product_id material_id qty_milli", 1, 1, 2, 1000),
            _row("id product_id material_id qty_milli", 2, 2, 1, 100000),
        ],
        "lot": [
            _row(
                lot,
                1,
                "M260301-001",
                "material",
                1,
                None,
                1,
                "OD-77",
                "2026-03-01",
                "2027-03-01",
                10000000,
                9000000,
                2500,
                "shelf A",
                1,
                NOW,
            ),
            _row(
                lot,
                2,
                "M260301-002",
                "material",
                2,
                None,
                1,
                None,
                "2026-03-01",
                None,
                100000,
                98000,
                1800,
                None,
                1,
                NOW,
            ),
        ],
        "code_counter": [_row("id key value", 1, "M260301", 2)],
        "event": [_row("id at kind message station_id", 1, NOW, "clock", "set by hand", 1)],
    }
    if batches:
        rows["recipe_line"].append(_row("id product_id component_id qty_milli", 3, 2, 1, 2000))
        rows["lot"] += [
            _row(
                lot,
                3,
                "BLEND260301-01",
                "batch",
                None,
                1,
                None,
                None,
                "2026-03-01",
                None,
                2000,
                0,
                36,
                None,
                1,
                NOW,
            ),
            _row(
                lot,
                4,
                "SOAP260301-01",
                "batch",
                None,
                2,
                None,
                None,
                "2026-03-01",
                "2027-08-23",
                10000,
                9000,
                2536,
                None,
                2,
                NOW,
            ),
        ]
        rows["consumption"] = [
            _row("id batch_id source_id qty_milli", *edge)
            for edge in ((1, 3, 2, 2000), (2, 4, 1, 1000000), (3, 4, 3, 2000))
        ]
        rows["sale"] = [
            _row(
                "id ref customer_id channel sold_on station_id created_at",
                1,
                "W-1001",
                1,
                "wholesale",
                "2026-03-02",
                2,
                NOW,
            )
        ]
        rows["sale_line"] = [_row("id sale_id lot_id qty_milli price_cents", 1, 1, 4, 1000, 650)]
        rows["movement"] = [
            _row(move, 1, 1, "receive", 10000000, NOW, 1, "", None),
            _row(move, 2, 2, "receive", 100000, NOW, 1, "", None),
            _row(move, 3, 2, "consume", -2000, NOW, 1, "", "BLEND260301-01"),
            _row(move, 4, 3, "produce", 2000, NOW, 1, "", "BLEND260301-01"),
            _row(move, 5, 1, "consume", -1000000, NOW, 2, "", "SOAP260301-01"),
            _row(move, 6, 3, "consume", -2000, NOW, 2, "", "SOAP260301-01"),
            _row(move, 7, 4, "produce", 10000, NOW, 2, "", "SOAP260301-01"),
            _row(move, 8, 4, "sell", -1000, NOW, 2, "", "W-1001"),
        ]
        rows["label_job"] = [
            _row(job, 1, 4, "ql", "batch", 1, "{}", 1, "sent", 1, None, NOW),
            _row(job, 2, 4, "ql", "batch", 1, "{}", 1, "queued", 0, 1, NOW),
        ]
    with db_connection(path) as db:
        for table, entries in rows.items():
            for entry in entries:
                names = ", ".join(entry)
                marks = ", ".join("?" * len(entry))
                db.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(entry.values()))


def db_connection(path: Path) -> sqlite3.Connection:
    """A plain connection with foreign keys enforced, so the fixture itself cannot be broken."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = ON")
    return db


def _columns(path: Path) -> dict[str, list[str]]:
    """The columns of every table, as the schema of `path` has them now."""
    db = sqlite3.connect(path)
    found = {table: [r[1] for r in db.execute(f"PRAGMA table_info({table})")] for table in TABLES}
    db.close()
    return found


def _snapshot(path: Path, columns: dict[str, list[str]] | None = None) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in the given columns (default: the current ones).

    Pass the columns read before an upgrade to compare old data with the same data after it:
    columns a migration adds, and the order a table rebuild puts them in, do not count.
    """
    chosen = columns or _columns(path)
    db = sqlite3.connect(path)
    snap = {}
    for table in TABLES:
        names = ", ".join(f'"{c}"' for c in chosen[table])
        snap[table] = db.execute(f"SELECT {names} FROM {table} ORDER BY id").fetchall()
    db.close()
    return snap


def _indexes(path: Path) -> set[tuple[str, tuple[str, ...], int]]:
    db = sqlite3.connect(path)
    found = set()
    for table in TABLES:
        for _, name, unique, *_ in db.execute(f"PRAGMA index_list({table})"):
            columns = tuple(r[2] for r in db.execute(f"PRAGMA index_info({name})"))
            found.add((table, columns, unique))
    db.close()
    return found


@pytest.fixture
async def old_db(tmp_path: Path) -> Path:
    path = tmp_path / "old.db"
    await _migrate(path, target="models.0001_initial", foreign_keys=False)
    return path


async def test_upgrade_keeps_every_row_and_reference(old_db: Path) -> None:
    _fill(old_db)
    columns = _columns(old_db)
    # lot.location (free text) becomes a reference in 0004: tests/store/test_migration_0004.py
    columns["lot"] = [c for c in columns["lot"] if c != "location"]
    before, indexes = _snapshot(old_db, columns), _indexes(old_db)
    assert all(before[table] for table in TABLES)

    async with open_store(str(old_db)):
        shop = await Customer.get(name="Corner Shop")
        shop.address = "1 High Street, Kendal"
        await shop.save()
        long_name = "Lavender & oatmeal cold-process soap bar " * 6
        await Product.filter(sku="SOAP-LAV").update(name=long_name.strip())

    after = _snapshot(old_db, columns)
    soap = next(row for row in after["product"] if row[2] == "SOAP-LAV")
    assert len(str(soap[1])) > 128
    after["product"] = [row if row[2] != "SOAP-LAV" else before["product"][1] for row in after["product"]]
    assert after == before
    # Every index survives the table rebuilds; a customer's name is no longer unique (0003), and
    # lots are found by location (0004).
    assert indexes - {("customer", ("name",), 1)} <= _indexes(old_db)
    assert {("customer", ("name",), 0), ("lot", ("location_id",), 0)} <= _indexes(old_db)
    db = sqlite3.connect(old_db)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("SELECT address FROM customer").fetchone() == ("1 High Street, Kendal",)
    db.close()


async def test_same_upgrade_with_foreign_keys_on_deletes_recipes(old_db: Path) -> None:
    """What open_store avoids: a maker with recipes but no batches yet would lose every recipe."""
    _fill(old_db, batches=False)
    assert len(_snapshot(old_db)["recipe_line"]) == 2
    await _migrate(old_db, target=None, foreign_keys=True)
    assert _snapshot(old_db)["recipe_line"] == []


async def test_same_upgrade_with_foreign_keys_on_fails_once_batches_exist(old_db: Path) -> None:
    _fill(old_db)
    before = _snapshot(old_db)
    with pytest.raises(IntegrityError):
        await _migrate(old_db, target=None, foreign_keys=True)
    assert _snapshot(old_db) == before


async def test_an_upgrade_that_finds_a_broken_reference_refuses_to_open(old_db: Path) -> None:
    """The foreign-key check after a migration: a dangling reference stops the start, named."""
    _fill(old_db, batches=False)
    db = sqlite3.connect(old_db)  # foreign keys off: the kind of damage a bad migration leaves
    db.execute("UPDATE recipe_line SET material_id = 99 WHERE id = 2")
    db.commit()
    db.close()
    before = _snapshot(old_db)
    with pytest.raises(StoreError, match=r"migration 0\d{3}\S* left 1 broken reference\(s\).*undone"):
        async with open_store(str(old_db)):
            pass
    assert _snapshot(old_db) == before  # the upgrade was one transaction: rolled back whole
    db = sqlite3.connect(old_db)
    assert db.execute("SELECT name FROM tortoise_migrations").fetchall() == [("0001_initial",)]
    assert "address" not in [r[1] for r in db.execute("PRAGMA table_info(customer)")]
    db.close()


def _forget_record(path: Path, name: str) -> None:
    """What a kill between a migration's commit and its record left (Lotkeeper before 0.2)."""
    db = sqlite3.connect(path)
    db.execute("DELETE FROM tortoise_migrations WHERE name = ?", (name,))
    db.commit()
    db.close()


async def test_a_store_bricked_between_an_upgrade_and_its_record_opens_again(old_db: Path) -> None:
    """It failed every start with `duplicate column name: address`; the work is there, so it is
    recorded, not redone, and nothing is lost."""
    _fill(old_db)
    await _migrate(old_db, target="models.0002_customer_address_long_product_name", foreign_keys=False)
    _forget_record(old_db, "0002_customer_address_long_product_name")
    columns = _columns(old_db)
    columns["lot"] = [c for c in columns["lot"] if c != "location"]  # a row of its own since 0004
    before = _snapshot(old_db, columns)
    async with open_store(str(old_db)):
        assert await Customer.filter(name="Corner Shop").exists()
    assert _snapshot(old_db, columns) == before
    db = sqlite3.connect(old_db)
    assert sorted(r[0] for r in db.execute("SELECT name FROM tortoise_migrations")) == MIGRATIONS
    db.close()


async def test_a_store_bricked_during_its_first_start_opens_again(tmp_path: Path) -> None:
    """It failed every start with `table "code_counter" already exists`."""
    path = tmp_path / "new.db"
    await _migrate(path, target="models.0001_initial", foreign_keys=False)
    _forget_record(path, "0001_initial")
    async with open_store(str(path)) as store:
        assert not store.created
        await Customer.create(name="First customer")
    db = sqlite3.connect(path)
    assert db.execute("SELECT COUNT(*) FROM tortoise_migrations").fetchone() == (len(MIGRATIONS),)
    db.close()
