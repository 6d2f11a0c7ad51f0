"""Receiving, corrections and stock views: ledger and cache move together; bad input writes nothing."""

import asyncio
import shutil
import sqlite3
import threading
from contextlib import closing
from datetime import date
from decimal import Decimal

import pytest
from tortoise.connection import get_connection

from tui.config import CodesConfig
from tui.errors import InsufficientStock, InvalidInput, NotFound
from tui.services import catalog, inventory
from tui.services.locations import add_location
from tui.store.db import open_store
from tui.store.models import CodeCounter, Lot, LotKind, Movement, MovementKind


async def _on_hand_matches_ledger() -> None:
    rows = await get_connection("default").execute_query_dict(
        "SELECT lot.code, lot.on_hand_milli, COALESCE(SUM(movement.delta_milli), 0) AS total "
        "FROM lot LEFT JOIN movement ON movement.lot_id = lot.id GROUP BY lot.id"
    )
    assert rows
    assert all(row["on_hand_milli"] == row["total"] for row in rows), rows


@pytest.fixture
async def oil(store):
    await catalog.add_supplier("Acme Oils")
    await catalog.add_material("Olive oil", "g", reorder="1500")


async def test_receive_creates_lot_and_ledger_row(oil, codes):
    await add_location("SHELF-A", "Shelf A")
    got = await inventory.receive(
        "olive oil",
        "1000.5",
        supplier="Acme Oils",
        supplier_lot=" L-77 ",
        cost="12.34",
        expires="2026-12-31",
        received="2026-01-05",
        location="Shelf A",
        station="bench 2",
        codes=codes,
    )
    assert got == inventory.Received(
        "M260105-001", "Olive oil", Decimal("1000.5"), "g", date(2026, 12, 31), "SHELF-A", "1000.5 g"
    )
    lot = await Lot.get(code=got.lot).prefetch_related("supplier", "station", "location")
    assert (lot.kind, lot.qty_milli, lot.on_hand_milli, lot.cost_cents) == (
        LotKind.MATERIAL,
        1_000_500,
        1_000_500,
        1234,
    )
    assert (lot.supplier.name, lot.supplier_lot, lot.location.code, lot.station.name) == (
        "Acme Oils",
        "L-77",
        "SHELF-A",
        "bench 2",
    )
    moves = await Movement.filter(lot=lot).values_list("kind", "delta_milli", "ref")
    assert moves == [(MovementKind.RECEIVE, 1_000_500, "M260105-001")]


async def test_lot_codes_count_per_day_and_are_never_reused(oil, codes):
    async def rx(day: str) -> str:
        return (await inventory.receive("Olive oil", 1, supplier="Acme Oils", received=day, codes=codes)).lot

    assert [await rx("2026-01-05"), await rx("2026-01-05"), await rx("2026-01-06")] == [
        "M260105-001",
        "M260105-002",
        "M260106-001",
    ]
    # A lot deleted by hand does not give its code back; a code typed in by hand is skipped.
    conn = get_connection("default")
    await conn.execute_query(
        "DELETE FROM movement WHERE lot_id = (SELECT id FROM lot WHERE code = 'M260105-002')"
    )
    await conn.execute_query("DELETE FROM lot WHERE code = 'M260105-002'")
    await Lot.create(
        code="M260105-003", kind=LotKind.MATERIAL, dated=date(2026, 1, 5), qty_milli=0, on_hand_milli=0
    )
    assert await rx("2026-01-05") == "M260105-004"
    assert await CodeCounter.get(key="M260105-#").values_list("value", flat=True) == 4


async def test_lot_code_template_comes_from_config(oil):
    codes = CodesConfig(material_lot_template="{abbr}{yyyy}{doy}{seq:04}")
    got = await inventory.receive("Olive oil", 1, supplier="Acme Oils", received="2026-02-01", codes=codes)
    assert got.lot == "OLOI20260320001"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"material": "Olive oyl"}, NotFound, "no material named 'Olive oyl' (did you mean 'Olive oil'?)"),
        ({"supplier": "Nobody"}, NotFound, "no supplier named 'Nobody'"),
        ({"qty": "0"}, InvalidInput, "quantity must be more than zero"),
        ({"qty": "-5"}, InvalidInput, "quantity -5 is negative"),
        ({"qty": "lots"}, InvalidInput, "quantity 'lots' is not a number"),
        ({"qty": "1.0001"}, InvalidInput, "more than 3 decimal places"),
        ({"cost": "-1"}, InvalidInput, "cost -1 is negative"),
        ({"cost": "1.005"}, InvalidInput, "more than 2 decimal places"),
        (
            {"expires": "31/12/2026"},
            InvalidInput,
            "expiry date '31/12/2026' is not a date: type it as YYYY-MM-DD",
        ),
        ({"received": "2026-02-30"}, InvalidInput, "received date '2026-02-30' is not a date"),
        ({"expires": "2025-12-31"}, InvalidInput, "expiry date 2025-12-31 is before the received date"),
        ({"supplier_lot": "x" * 65}, InvalidInput, "supplier lot is too long"),
    ],
)
async def test_bad_receipt_is_refused_and_writes_nothing(oil, db_dump, kwargs, error, message):
    args = {"material": "Olive oil", "qty": "10", "supplier": "Acme Oils", "received": "2026-01-05"} | kwargs
    before = db_dump()
    with pytest.raises(error) as caught:
        await inventory.receive(args.pop("material"), args.pop("qty"), **args)
    assert message in caught.value.message
    assert db_dump() == before


async def test_adjust_waste_count_write_the_ledger(oil):
    code = (await inventory.receive("Olive oil", "100", supplier="Acme Oils")).lot
    assert await inventory.adjust(code, "-2.5", reason="spilt") == inventory.Adjusted(
        code, Decimal("-2.5"), Decimal("97.5"), "g"
    )
    assert (await inventory.adjust(code, "+10", reason="found a jug")).on_hand == Decimal("107.5")
    assert (await inventory.waste(code, "7.5", reason="went rancid")).on_hand == Decimal(100)
    assert (await inventory.count(code, "100", reason="stocktake")).delta == 0
    assert (await inventory.count(code, "0", reason="empty")).on_hand == 0
    moves = await Movement.filter(lot__code=code).order_by("id").values_list("kind", "delta_milli", "reason")
    assert moves[1:] == [
        (MovementKind.ADJUST, -2500, "spilt"),
        (MovementKind.ADJUST, 10000, "found a jug"),
        (MovementKind.WASTE, -7500, "went rancid"),
        (MovementKind.COUNT, 0, "stocktake"),
        (MovementKind.COUNT, -100000, "empty"),
    ]
    await _on_hand_matches_ledger()


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda c: inventory.adjust(c, "-100.001", reason="x"), InsufficientStock, "has only 100 g on hand"),
        (
            lambda c: inventory.waste(c, "101", reason="x"),
            InsufficientStock,
            "has only 100 g on hand, cannot take 101",
        ),
        (lambda c: inventory.adjust(c, "0", reason="x"), InvalidInput, "change must be more than zero"),
        (lambda c: inventory.waste(c, "-1", reason="x"), InvalidInput, "negative"),
        (lambda c: inventory.count(c, "-1", reason="x"), InvalidInput, "negative"),
        (lambda c: inventory.count(c, "many", reason="x"), InvalidInput, "not a number"),
        (lambda c: inventory.adjust(c, "1", reason="  "), InvalidInput, "reason is empty"),
        (lambda c: inventory.adjust("M999999-999", "1", reason="x"), NotFound, "no lot with code"),
    ],
)
async def test_bad_correction_is_refused_and_writes_nothing(oil, db_dump, call, error, message):
    code = (await inventory.receive("Olive oil", "100", supplier="Acme Oils")).lot
    before = db_dump()
    with pytest.raises(error) as caught:
        await call(code)
    assert message in caught.value.message
    assert db_dump() == before


async def test_concurrent_takes_never_go_below_zero(oil):
    code = (await inventory.receive("Olive oil", "10", supplier="Acme Oils")).lot
    results = await asyncio.gather(
        *(inventory.waste(code, "6", reason=f"spill {i}") for i in range(3)), return_exceptions=True
    )
    assert sum(isinstance(r, InsufficientStock) for r in results) == 2
    assert (await Lot.get(code=code)).on_hand_milli == 4000
    await _on_hand_matches_ledger()


async def test_stock_expiring_and_low_stock(world):
    rows = await inventory.stock()
    assert [(r.lot, r.item, r.on_hand, r.unit, r.expires) for r in rows] == [
        (world.lavender, "Lavender oil", Decimal(100), "ml", date(2027, 1, 31)),
        (world.lye, "Lye", Decimal(1000), "g", None),
        (world.oil_expired, "Olive oil", Decimal(500), "g", date(2026, 2, 1)),
        (world.oil_old, "Olive oil", Decimal(1000), "g", date(2026, 6, 30)),
        (world.oil_new, "Olive oil", Decimal(3000), "g", date(2026, 12, 31)),
    ]
    await inventory.waste(world.lye, "1000", reason="spilt")
    assert world.lye not in [r.lot for r in await inventory.stock()]
    assert world.lye in [r.lot for r in await inventory.stock(include_empty=True)]

    soon = await inventory.expiring(120, today=date(2026, 3, 2))
    assert [r.lot for r in soon] == [world.oil_expired, world.oil_old]

    # 4500 g on hand, but the expired 500 g do not count: 4000 >= 2000, not low ...
    assert await inventory.low_stock(today=date(2026, 3, 2)) == []
    await inventory.waste(world.oil_new, "2500", reason="spilt")
    # ... 1500 usable < 2000: low, although 2000 are on the shelf.
    assert await inventory.low_stock(today=date(2026, 3, 2)) == [
        inventory.LowStock("Olive oil", "g", Decimal(1500), Decimal(2000))
    ]


def test_two_stations_on_one_sqlite_file_wait_for_each_other(db_path, migrated_template):
    """Two connections (as two terminals would have) changing the same lot: each change waits for
    the other's write lock instead of failing with "database is locked"."""
    shutil.copyfile(migrated_template, db_path)

    async def setup() -> str:
        async with open_store(str(db_path)):
            await catalog.add_supplier("Acme Oils")
            await catalog.add_material("Olive oil", "g")
            return (await inventory.receive("Olive oil", "1000", supplier="Acme Oils")).lot

    code = asyncio.run(setup())
    errors: list[BaseException] = []

    async def station(name: str) -> None:
        async with open_store(str(db_path), station=name):
            for i in range(40):
                try:
                    await inventory.waste(code, "1", reason=f"{name} {i}", station=name)
                except Exception as exc:
                    errors.append(exc)

    threads = [threading.Thread(target=asyncio.run, args=(station(f"bench {n}"),)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with closing(sqlite3.connect(db_path)) as conn:
        on_hand = conn.execute("SELECT on_hand_milli FROM lot").fetchall()
        ledger = conn.execute("SELECT count(*), sum(delta_milli) FROM movement").fetchall()
    assert (on_hand, ledger) == ([(920_000,)], [(81, 920_000)])
