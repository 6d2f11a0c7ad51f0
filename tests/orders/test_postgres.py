"""Imports, packing and the trace after them on PostgreSQL: the same results as on SQLite, and a
refused file or pack leaves every table as it was (savepoints and bulk writes included)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.orders.conftest import PACK_DAY, export, open_shop
from tui.config import CodesConfig
from tui.errors import InvalidInput
from tui.imports import ImportOptions, ImportRefused
from tui.services.order_import import import_orders
from tui.services.orders import list_orders, orders_to_pack
from tui.services.packing import pack
from tui.services.starting_import import import_starting
from tui.services.tracing import trace
from tui.store.db import Store, open_store
from tui.store.sql import fetch

TABLES = (
    "customer",
    "customer_account",
    "sale",
    "order_line",
    "order_payment",
    "order_refund",
    "sale_line",
    "lot",
)
FILES = (
    "orders_export_1.csv",
    "orders_export_2.csv",
    "EtsySoldOrders2026-10.csv",
    "EtsySoldOrderItems2026-10.csv",
    "items-2026-10-03-2026-10-04.csv",
)


async def counts() -> dict[str, int]:
    return {table: int((await fetch(f"SELECT COUNT(*) FROM {table}"))[0][0]) for table in TABLES}


async def scenario(codes: CodesConfig) -> dict[str, Any]:
    """Every export twice, some packing, then what the maker would look at."""
    shop = await open_shop(codes)
    reports = [(await import_orders(export(name))).to_json() for name in FILES * 2]
    packed = [
        (await pack("#1001", [(shop.lav_new, "2")], packed_on=PACK_DAY)).to_json(),
        (await pack("#1005", fefo=True, packed_on=PACK_DAY)).to_json(),
        (await pack("tx7Hq2LmPa01ZY", [("LAV-SOAP", "2"), ("OAT-SOAP", "1")], packed_on=PACK_DAY)).to_json(),
        (await pack("3141592653", fefo=True, packed_on=PACK_DAY)).to_json(),
    ]
    return {
        "reports": reports,
        "packed": packed,
        "orders": [o.to_json() for o in await list_orders()],
        "to_pack": await orders_to_pack(),
        "trace": (await trace(shop.lav_old)).to_json(),
        "order_trace": (await trace("3141592653")).to_json(),
    }


async def test_the_whole_story_is_the_same_on_postgresql_and_sqlite(pg_store: Store, tmp_path: Path) -> None:
    codes = CodesConfig()
    on_postgres = await scenario(codes)
    assert [r["orders_added"] for r in on_postgres["reports"]] == [5, 2, 6, 0, 4, 0, 0, 0, 0, 0]
    assert [r["orders_updated"] for r in on_postgres["reports"]] == [0, 1, 0, 3, 0, 0, 0, 0, 0, 0]
    customers = on_postgres["trace"]["customers"]
    assert {c["name"] for c in customers} == {"Zoë O'Brien", "Aoife Ní Bhriain"}
    assert on_postgres["trace"]["walk_in_orders"] == ["tx7Hq2LmPa01ZY"]
    async with open_store(str(tmp_path / "same.db")):
        on_sqlite = await scenario(codes)
    assert on_sqlite == on_postgres


async def test_refused_imports_and_packs_write_nothing_on_postgresql(pg_store: Store) -> None:
    codes = CodesConfig()
    await open_shop(codes)
    await import_orders(export("orders_export_1.csv"))
    await import_starting("materials", export("materials.csv"))
    before = await counts()
    with pytest.raises(ImportRefused):
        await import_orders(export("orders_export_bad.csv"))
    with pytest.raises(ImportRefused):
        await import_starting(
            "products", "name,sku,recipe\nSoap,SOAP-1,Olive oil=100\nCandle,CANDLE-1,Beeswax=1\n"
        )
    dry = await import_orders(export("orders_export_2.csv"), options=ImportOptions(dry_run=True))
    assert dry.orders_added == 2
    dry_stock = "material,qty,supplier\nOlive oil,100,New Supplier\n"
    assert len((await import_starting("stock", dry_stock, options=ImportOptions(dry_run=True))).added) == 1
    with pytest.raises(InvalidInput, match="only 1 pcs of LAV-SOAP left to pack, not 2"):
        await pack("#1001", [("LAV-SOAP", "1"), ("LAV-SOAP", "2")], packed_on=PACK_DAY)
    assert await counts() == before
    skipped = await import_starting(
        "products",
        "name,sku,recipe\nSoap,SOAP-1,Olive oil=100\nCandle,CANDLE-1,Beeswax=1\n",
        options=ImportOptions(skip_bad=True),
    )
    assert (skipped.added, [p.row for p in skipped.problems]) == (("SOAP-1",), [3])
