"""0004_units_locations upgrades a store made by the release before channel orders and units
(0001 + 0002), through 0003, with nothing lost: every row and value carried over, free-text
locations turned into locations with each text kept exactly, every index still there, and the
upgraded store usable at once. On SQLite (where the lot table is rebuilt) and on PostgreSQL
(where the data step runs with other placeholders).
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.store.test_migrations import NOW, TABLES, _fill, _indexes
from tests.support.databases import PostgresServer
from tests.support.migrations import Rows, rows_by_id, sqlite_soundness, store_at
from tui.services import inventory, moves
from tui.store.db import open_store
from tui.store.models import Location

PREVIOUS = "models.0002_customer_address_long_product_name"
NEW_COLUMNS = {
    "lot": {"location_id"},
    "material": {"density_micro"},
    "product": {"density_micro"},
    "supplier_code": {"pack_id"},
    "consumption": {"planned_milli"},
}
TEXTS = ("shelf A", "Shelf A", "Fridge 2 / top", "Étagère", "12", "x" * 64, "---")
"""Free-text locations as makers typed them: case variants, punctuation, accents, digits only,
the longest the old column held, nothing a code can be made of."""


def _more_lots(path: Path) -> None:
    """Lots received at free-text places, on top of `_fill`'s (whose first is at "shelf A")."""
    db = sqlite3.connect(path)
    db.execute("UPDATE customer SET address = '1 High St' WHERE id = 1")
    for n, text in enumerate(TEXTS[1:], start=5):
        db.execute(
            "INSERT INTO lot (id, code, kind, material_id, supplier_id, dated, qty_milli, on_hand_milli, "
            "location, station_id, created_at) "
            "VALUES (?, ?, 'material', 1, 1, '2026-03-01', 1000, 1000, ?, 1, ?)",
            (n, f"M260301-{n:03}", text, NOW),
        )
        db.execute(
            "INSERT INTO movement (lot_id, kind, delta_milli, at, station_id, reason) "
            "VALUES (?, 'receive', 1000, ?, 1, '')",
            (n, NOW),
        )
    db.commit()
    db.close()


@pytest.fixture
async def previous_release(tmp_path: Path) -> AsyncIterator[Path]:
    async with store_at(PREVIOUS, tmp_path / "old.db") as target:
        path = Path(target)
        _fill(path)
        _more_lots(path)
        yield path


async def test_upgrade_carries_every_row_and_turns_locations_into_rows(previous_release: Path) -> None:
    before, indexes = rows_by_id(previous_release, TABLES), _indexes(previous_release)
    old_places = {row["code"]: row["location"] for row in before["lot"]}
    assert set(old_places.values()) == {*TEXTS, None}

    async with open_store(str(previous_release)):
        places = {loc.id: loc for loc in await Location.all()}

    after = rows_by_id(previous_release, TABLES)
    for table in TABLES:
        assert len(after[table]) == len(before[table]), table
        for old, new in zip(before[table], after[table], strict=True):
            kept = [k for k in old if k != "location"]  # columns 0003 and 0004 add are not compared
            assert {k: new[k] for k in kept} == {k: old[k] for k in kept}, table
            assert NEW_COLUMNS.get(table, set()) <= new.keys(), table
    # Each lot's location is a row now, named exactly as it was typed.
    for lot in after["lot"]:
        text = old_places[lot["code"]]
        assert (places[lot["location_id"]].name if lot["location_id"] else None) == text
    codes = {loc.name: loc.code for loc in places.values()}
    assert len(places) == len(TEXTS)  # one per distinct text, case variants kept apart
    assert (codes["shelf A"], codes["Shelf A"]) in {("SHELF-A-2", "SHELF-A"), ("SHELF-A", "SHELF-A-2")}
    assert codes["Fridge 2 / top"] == "FRIDGE-2-TOP"
    assert codes["Étagère"] == "ETAGERE"
    assert codes["12"] == "LOC-12"
    assert codes["---"] == "LOC"
    assert all(len(code) <= 32 for code in codes.values())
    # Columns the release did not have start empty; nothing was invented.
    assert {row["planned_milli"] for row in after["consumption"]} == {None}
    assert {row["density_micro"] for row in after["material"]} == {None}
    assert {row["pack_id"] for row in after["supplier_code"]} == {None}
    # Indexes: every one there before (the lot table was rebuilt), plus the one on location;
    # 0003 made customer names non-unique (tests/store/test_migration_orders.py).
    now = _indexes(previous_release)
    assert indexes - {("customer", ("name",), 1)} <= now
    assert ("lot", ("location_id",), 0) in now
    assert sqlite_soundness(previous_release) == ([], ("ok",))


async def test_the_upgraded_store_works_with_its_locations(previous_release: Path) -> None:
    async with open_store(str(previous_release)):
        at_a = await inventory.stock(location="SHELF-A")
        assert [r.lot for r in at_a] == ["M260301-005"]  # typed "Shelf A"
        moved = await moves.move_lot("M260301-001", "FRIDGE-2-TOP")
        assert moved.previous in ("SHELF-A", "SHELF-A-2")
        received = await inventory.receive("Olive oil", "1 kg", supplier="Oils", location="etagere")
        assert (received.location, received.qty) == ("ETAGERE", 1000)


AT = datetime(2026, 3, 1, 10, tzinfo=UTC)
PG_ROWS: list[Rows] = [
    ("material", "id name unit reorder_milli created_at", [(1, "Oil", "g", 0, AT)]),
    (
        "lot",
        "code kind material_id dated qty_milli on_hand_milli location created_at",
        [
            (f"L{n}", "material", 1, date(2026, 3, 1), 1, 1, text, AT)
            for n, text in enumerate(("shelf A", "Shelf A", "Étagère", None), start=1)
        ],
    ),
]


async def test_upgrade_on_postgresql_carries_locations_over(postgres: PostgresServer) -> None:
    async with store_at(PREVIOUS, postgres, PG_ROWS) as url, open_store(url):
        rows = await Location.all().order_by("code").values_list("code", "name")
        assert rows == [("ETAGERE", "Étagère"), ("SHELF-A", "Shelf A"), ("SHELF-A-2", "shelf A")]
        stock = {r.lot: r.location for r in await inventory.stock()}
        assert stock == {"L1": "SHELF-A-2", "L2": "SHELF-A", "L3": "ETAGERE", "L4": None}
