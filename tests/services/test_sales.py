"""Sales: SKUs take batches first-expiring-first and say which; refused orders write nothing."""

import asyncio
from datetime import date
from decimal import Decimal

import pytest
from tortoise.connection import get_connection

from tui.errors import Duplicate, ExpiredLot, InsufficientStock, InvalidInput, NotFound
from tui.services import catalog, inventory, production, products, sales
from tui.store.models import Lot, Movement, MovementKind, Sale, SaleLine

MADE = date(2026, 3, 2)


@pytest.fixture
async def batches(world, codes) -> tuple[str, str]:
    """Two blend batches: 30 ml made 2 March (best before 29 Aug), 40 ml made 9 March (5 Sep)."""
    first = await production.make("BLEND-LAV", "30", made=MADE, codes=codes)
    second = await production.make("BLEND-LAV", "40", made="2026-03-09", codes=codes)
    return first.lot, second.lot


async def test_sku_takes_batches_first_expiring_first_and_says_which(batches):
    first, second = batches
    sold = await sales.sell(
        "jo bloggs", [("blend-lav", "25"), ("BLEND-LAV", "10")], channel="Market", sold_on="2026-03-10"
    )
    assert sold == sales.Sold(
        order="S260310-001",
        customer="Jo Bloggs",
        lines=[
            sales.SoldLine(first, Decimal(25), "BLEND-LAV"),
            sales.SoldLine(first, Decimal(5), "BLEND-LAV"),
            sales.SoldLine(second, Decimal(5), "BLEND-LAV"),
        ],
        channel="market",
        sold_on=date(2026, 3, 10),
    )
    sale = await Sale.get(ref=sold.order).prefetch_related("customer")
    assert (sale.customer.name, sale.channel, sale.sold_on) == ("Jo Bloggs", "market", date(2026, 3, 10))
    assert await SaleLine.filter(sale=sale).order_by("id").values_list("lot__code", "qty_milli") == [
        (first, 25000),
        (first, 5000),
        (second, 5000),
    ]
    moves = (
        await Movement.filter(ref=sold.order).order_by("id").values_list("lot__code", "kind", "delta_milli")
    )
    assert moves == [
        (first, MovementKind.SELL, -25000),
        (first, MovementKind.SELL, -5000),
        (second, MovementKind.SELL, -5000),
    ]
    assert [(await Lot.get(code=c)).on_hand_milli for c in batches] == [0, 35000]
    again = await sales.sell("Jo Bloggs", [(second, "1")], sold_on="2026-03-10")
    assert again.order == "S260310-002"


async def test_named_batch_and_order_reference(batches):
    _, second = batches
    sold = await sales.sell("Jo Bloggs", [(second.lower(), "2")], order="ETSY-1001", sold_on="2026-03-10")
    assert (sold.order, sold.lines) == ("ETSY-1001", [sales.SoldLine(second, Decimal(2), "BLEND-LAV")])


async def test_expired_batches_are_skipped_for_a_sku(batches):
    _, second = batches
    sold = await sales.sell("Jo Bloggs", [("BLEND-LAV", "40")], sold_on="2026-08-30")
    assert sold.lines == [sales.SoldLine(second, Decimal(40), "BLEND-LAV")]


@pytest.mark.parametrize(
    ("customer", "items", "kwargs", "error", "message"),
    [
        ("Jo Bloggs", [("BLEND-LAV", "69.001")], {}, InsufficientStock, "only 69 ml of BLEND-LAV in stock"),
        (
            "Jo Bloggs",
            [("FIRST", "20"), ("FIRST", "10.5")],
            {},
            InsufficientStock,
            "has only 10 ml left, not 10.5",
        ),
        (
            "Jo Bloggs",
            [("FIRST", "25"), ("BLEND-LAV", "45")],
            {},
            InsufficientStock,
            "only 44 ml of BLEND-LAV",
        ),
        ("Jo Bloggs", [("FIRST", "1")], {"sold_on": "2026-08-30"}, ExpiredLot, "expired on 2026-08-29"),
        (
            "Jo Bloggs",
            [("SECOND", "1")],
            {"sold_on": "2026-03-08"},
            InvalidInput,
            "made on 2026-03-09, after",
        ),
        ("Jo Bloggs", [("OIL", "1")], {}, InvalidInput, "is a material lot: sell a batch"),
        ("Jo Bloggs", [("SOAP-ROSE", "1")], {}, InvalidInput, "'SOAP-ROSE' is neither a batch lot code nor"),
        ("Jo Bloggs", [("BLEND-LAV", "0")], {}, InvalidInput, "quantity of BLEND-LAV must be more than zero"),
        ("Jo Bloggs", [("BLEND-LAV", "x")], {}, InvalidInput, "quantity of BLEND-LAV 'x' is not a number"),
        ("Jo Bloggs", [], {}, InvalidInput, "the sale has no lines"),
        ("Jo Blogs", [("BLEND-LAV", "1")], {}, NotFound, "no customer named 'Jo Blogs' (did you mean"),
        (
            "Jo Bloggs",
            [("BLEND-LAV", "1")],
            {"order": "WEB-1"},
            Duplicate,
            "order 'WEB-1' is already recorded",
        ),
        (
            "Jo Bloggs",
            [("BLEND-LAV", "1")],
            {"sold_on": "tomorrow"},
            InvalidInput,
            "sale date 'tomorrow' is not",
        ),
    ],
)
async def test_refused_orders_write_nothing(world, batches, db_dump, customer, items, kwargs, error, message):
    await catalog.add_customer("Al")
    await sales.sell("Al", [(batches[1], "1")], order="WEB-1", sold_on="2026-03-10")
    names = {"FIRST": batches[0], "SECOND": batches[1], "OIL": world.oil_new}
    lines = [(names.get(item, item), qty) for item, qty in items]
    before = db_dump()
    with pytest.raises(error) as caught:
        await sales.sell(customer, lines, **({"sold_on": "2026-03-10"} | kwargs))
    assert message in caught.value.message
    assert db_dump() == before


async def test_concurrent_stations_never_oversell(store, codes):
    """On PostgreSQL transactions really overlap (a connection pool), on SQLite they queue for the
    write lock: either way every lot stays at or above zero, and the ledger equals the cached on-hand."""
    await catalog.add_supplier("Acme Oils")
    await catalog.add_customer("Jo Bloggs")
    await catalog.add_material("Lye", "g")
    await products.add_product("Blend", "BLEND", codes=codes, recipe=[("Lye", "10")])
    lye = (await inventory.receive("Lye", "100", supplier="Acme Oils", received="2026-01-05")).lot

    makes = await asyncio.gather(
        *(production.make("BLEND", "3", made=MADE, codes=codes, station=f"s{i}") for i in range(4)),
        return_exceptions=True,
    )
    made = [m for m in makes if isinstance(m, production.Made)]
    assert len(made) == 3 and sum(isinstance(m, InsufficientStock) for m in makes) == 1
    assert len({m.lot for m in made}) == 3  # three different codes from one day's counter

    sold = await asyncio.gather(
        *(sales.sell("Jo Bloggs", [("BLEND", "2")], sold_on=MADE) for _ in range(6)), return_exceptions=True
    )
    orders = [s for s in sold if isinstance(s, sales.Sold)]
    assert len(orders) == 4 and len({s.order for s in orders}) == 4

    wasted = await asyncio.gather(
        *(inventory.waste(lye, "4", reason=f"spill {i}") for i in range(3)), return_exceptions=True
    )
    assert sorted(w.on_hand for w in wasted if isinstance(w, inventory.Adjusted)) == [Decimal(2), Decimal(6)]

    conn = get_connection("default")
    rows = await conn.execute_query_dict(
        "SELECT lot.code, lot.on_hand_milli, SUM(movement.delta_milli) AS total "
        "FROM lot JOIN movement ON movement.lot_id = lot.id GROUP BY lot.id"
    )
    assert all(r["on_hand_milli"] == r["total"] >= 0 for r in rows), rows
    assert sum(r["on_hand_milli"] for r in rows if r["code"] != lye) == 1000


async def test_preview_shows_batches_and_problems_and_writes_nothing(batches, db_dump):
    first, second = batches
    before = db_dump()
    planned = await sales.preview(
        [("BLEND-LAV", "35"), (first, "1"), ("NOPE", "1"), (second, "1000")], sold_on="2026-03-10"
    )
    assert [(p.item, p.lot, p.qty, p.sku) for p in planned] == [
        ("BLEND-LAV", first, Decimal(30), "BLEND-LAV"),
        ("BLEND-LAV", second, Decimal(5), "BLEND-LAV"),
        (first, first, Decimal(1), "BLEND-LAV"),
        ("NOPE", None, Decimal(1), None),
        (second, second, Decimal(1000), "BLEND-LAV"),
    ]
    problems = [p.problem for p in planned]
    assert problems[:2] == [None, None]
    assert isinstance(problems[2], InsufficientStock) and "has only 0 ml left" in problems[2].message
    assert isinstance(problems[3], InvalidInput) and "neither a batch lot code nor a product SKU" in str(
        problems[3]
    )
    assert isinstance(problems[4], InsufficientStock) and "has only 35 ml left" in problems[4].message
    assert db_dump() == before
