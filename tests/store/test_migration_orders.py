"""Upgrading a store made before channel orders (schema 0002) loses nothing, on SQLite and PostgreSQL.

0003 rebuilds `customer` (its name is no longer unique) and `sale` (its customer may be empty, for
walk-in sales) on SQLite: both are parents of other tables. The store below holds what a maker
has after a season of bench sales: customers with contacts, batches, sales with several lines.
After the upgrade every old row is as it was, the old sales read as packed orders, the trace and
the self-check agree, and new orders import beside them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest

from tests.orders.conftest import export
from tests.support.migrations import Rows, Scratch, fetch, store_at
from tui.services import sales
from tui.services.order_import import import_orders
from tui.services.orders import PackStatus, list_orders
from tui.services.tracing import trace
from tui.store.db import open_store
from tui.store.integrity import check

BEFORE = "models.0002_customer_address_long_product_name"
AT = datetime(2026, 3, 1, 10, tzinfo=UTC)

ROWS: list[Rows] = [
    ("station", "id name", [(1, "bench")]),
    ("supplier", "id name created_at", [(1, "Acme Oils", AT)]),
    (
        "customer",
        "id name email phone address created_at",
        [
            (1, "Corner Shop", "shop@example.com", "01234 567890", "1 High Street\nKendal LA9 4DL", AT),
            (2, "Zoë O'Brien", None, None, None, AT),
        ],
    ),
    ("material", "id name unit reorder_milli created_at", [(1, "Olive oil", "g", 0, AT)]),
    (
        "product",
        "id name sku unit shelf_life_days created_at",
        [(1, "Lavender soap", "SOAP-LAV", "pcs", 365, AT)],
    ),
    ("recipe_line", "id product_id material_id qty_milli", [(1, 1, 1, 100_000)]),
    (
        "lot",
        "id code kind material_id product_id supplier_id supplier_lot dated expires qty_milli on_hand_milli "
        "cost_cents location station_id created_at",
        [
            (
                1,
                "M260301-001",
                "material",
                1,
                None,
                1,
                "OD-77",
                date(2026, 3, 1),
                date(2027, 3, 1),
                10_000_000,
                9_000_000,
                2500,
                "shelf A",
                1,
                AT,
            ),
            (
                2,
                "SOAP260302-01",
                "batch",
                None,
                1,
                None,
                None,
                date(2026, 3, 2),
                date(2027, 3, 2),
                10_000,
                5_000,
                2500,
                None,
                1,
                AT,
            ),
        ],
    ),
    ("consumption", "id batch_id source_id qty_milli", [(1, 2, 1, 1_000_000)]),
    (
        "sale",
        "id ref customer_id channel sold_on station_id created_at",
        [
            (1, "W-1001", 1, "wholesale", date(2026, 3, 3), 1, AT),
            (2, "S260304-001", 2, "market", date(2026, 3, 4), 1, AT),
        ],
    ),
    (
        "sale_line",
        "id sale_id lot_id qty_milli price_cents",
        [(1, 1, 2, 3000, 650), (2, 1, 2, 1000, None), (3, 2, 2, 1000, 800)],
    ),
    (
        "movement",
        "id lot_id kind delta_milli at station_id reason ref",
        [
            (1, 1, "receive", 10_000_000, AT, 1, "", "M260301-001"),
            (2, 1, "consume", -1_000_000, AT, 1, "", "SOAP260302-01"),
            (3, 2, "produce", 10_000, AT, 1, "", "SOAP260302-01"),
            (4, 2, "sell", -3000, AT, 1, "", "W-1001"),
            (5, 2, "sell", -1000, AT, 1, "", "W-1001"),
            (6, 2, "sell", -1000, AT, 1, "", "S260304-001"),
        ],
    ),
    ("code_counter", "id key value", [(1, "M260301", 1), (2, "SOAP260302", 1), (3, "S260304", 1)]),
]


RESHAPED = {("lot", "location")}
"""Old columns a later migration turns into something else (0004: free text to a location row,
checked in tests/store/test_migration_0004.py)."""


def _kept(table: str, columns: str) -> str:
    return ", ".join(c for c in columns.split() if (table, c) not in RESHAPED)


async def _dump(target: str) -> dict[str, list[tuple[object, ...]]]:
    """The old columns of every old table, read with a connection of its own."""
    return {
        table: await fetch(target, f"SELECT {_kept(table, columns)} FROM {table} ORDER BY id")
        for table, columns, _ in ROWS
    }


@pytest.fixture
async def old_store(scratch: Scratch) -> AsyncIterator[str]:
    """A database at schema 0002 holding `ROWS`."""
    async with store_at(BEFORE, scratch, ROWS) as target:
        yield target


async def test_upgrade_keeps_every_sale_and_line_and_they_read_as_packed_orders(old_store: str) -> None:
    before = await _dump(old_store)
    async with open_store(old_store):
        assert (await check()).ok
        orders = {o.order: o for o in await list_orders()}
        wholesale = orders["W-1001"]
        assert (wholesale.channel, wholesale.customer, wholesale.status) == (
            "wholesale",
            "Corner Shop",
            PackStatus.PACKED,
        )
        [line] = wholesale.lines
        assert (line.sku, line.qty, line.open, [(p.lot, p.qty) for p in line.lots]) == (
            "SOAP-LAV",
            4,
            0,
            [("SOAP260302-01", 4)],
        )
        found = trace("SOAP260302-01")
        customers = {c.name: c for c in (await found).customers}
        assert customers["Corner Shop"].phone == "01234 567890"
        assert customers["Corner Shop"].orders == ("W-1001",)
        assert customers["Zoë O'Brien"].orders == ("S260304-001",)
    assert await _dump(old_store) == before  # reading changed nothing
    async with open_store(old_store):
        sold = await sales.sell("corner shop", [("SOAP-LAV", "1")], order="W-1002", sold_on="2026-03-05")
        assert sold.lines[0].lot == "SOAP260302-01"
        report = await import_orders(export("orders_export_1.csv"))
        assert report.orders_added == 5
        # Zoë O'Brien was known without an e-mail: the Shopify buyer is added beside her, not merged
        assert [d.name for d in report.possible_duplicates] == ["Zoë O'Brien"]
        assert (await check()).ok
    after = await _dump(old_store)
    for table, rows in before.items():  # new rows come after the old ones, which stay as they were
        if table not in ("lot", "code_counter"):  # the sale took from the batch and counted
            assert after[table][: len(rows)] == rows, table
    assert [row[10] for row in after["lot"]] == [9_000_000, 4_000]
