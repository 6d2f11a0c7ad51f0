"""Packing imported orders by scanned batch, by SKU and first-expiring-first, and what a trace
then says: who got the batch, with the contacts a recall needs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.orders.conftest import PACK_DAY, Shop, export
from tui.config import CodesConfig
from tui.errors import ExpiredLot, InsufficientStock, InvalidInput, NotFound
from tui.services import production, products, sales
from tui.services.order_import import import_orders
from tui.services.orders import PackedLot, PackStatus, find_order, list_orders, orders_to_pack
from tui.services.packing import LeftOpen, pack, plan_pack
from tui.services.recall import WALK_IN, recall_rows
from tui.services.tracing import trace
from tui.store.integrity import check
from tui.store.models import Customer, Lot, Movement, MovementKind, OrderLine, SaleLine


@pytest.fixture
async def imported(shop: Shop) -> Shop:
    await import_orders(export("orders_export_1.csv"))
    await import_orders(export("orders_export_2.csv"))
    return shop


async def test_a_scanned_batch_fills_its_line_and_the_ledger_says_so(imported: Shop):
    packed = await pack("#1001", [(imported.lav_new, "2")], packed_on=PACK_DAY)
    assert (packed.order, packed.customer, packed.status) == (
        "#1001",
        "Zoë O'Brien",
        PackStatus.PARTLY_PACKED,
    )
    assert packed.lines == (PackedLot(imported.lav_new, Decimal(2)),)
    assert [(d.position, d.sku, d.name) for d in packed.detail] == [(1, "LAV-SOAP", "Lavender Oat Soap")]
    line = (await find_order("#1001")).lines[0]
    assert (line.open, line.lots) == (0, (PackedLot(imported.lav_new, Decimal(2)),))
    move = await Movement.get(ref="#1001")
    assert (move.kind, move.delta_milli) == (MovementKind.SELL, -2000)
    assert (await Lot.get(code=imported.lav_new)).on_hand_milli == 8000
    done = await pack("#1001", [("ced-candle", "1")], packed_on=PACK_DAY)  # a SKU, any case
    assert (done.status, done.lines) == (PackStatus.PACKED, (PackedLot(imported.cedar, Decimal(1)),))
    assert (await find_order("#1001")).status is PackStatus.PACKED


async def test_a_sku_takes_the_first_expiring_batch_and_skips_expired_ones(imported: Shop):
    packed = await pack("1005", [("LAV-SOAP", "2")], packed_on=PACK_DAY)  # slip number without '#'
    assert packed.lines == (PackedLot(imported.lav_old, Decimal(2)),)
    rose = await pack("#1002", [("ROSE-BALM", "1")], packed_on=PACK_DAY)
    assert rose.lines == (PackedLot(imported.rose, Decimal(1)),)  # rose_expired is past its date


async def test_fefo_packs_every_open_line_and_leaves_unknown_skus_open(imported: Shop):
    packed = await pack("#1005", fefo=True, packed_on=PACK_DAY)
    assert packed.lines == (PackedLot(imported.lav_old, Decimal(2)),)
    assert packed.left_open == (
        LeftOpen(3, "DISH-OAK", "Soap dish - Oak", Decimal(1), "no product has SKU DISH-OAK yet"),
    )
    assert packed.status is PackStatus.PARTLY_PACKED
    with pytest.raises(InvalidInput, match="nothing could be packed, no product has SKU DISH-OAK yet"):
        await pack("#1005", fefo=True, packed_on=PACK_DAY)
    # the line becomes packable as soon as a product has its SKU
    await products.add_product("Soap dish, oak", "dish-oak", codes=CodesConfig(), recipe=[("Base", "5")])
    dish = await production.make("DISH-OAK", "1", made="2026-10-09")
    assert (await find_order("#1005")).lines[2].product == "DISH-OAK"
    last = await pack("#1005", fefo=True, packed_on=PACK_DAY)
    assert (last.lines, last.status) == ((PackedLot(dish.lot, Decimal(1)),), PackStatus.PACKED)


async def test_fefo_across_batches_when_one_is_not_enough(imported: Shop):
    await import_orders(export("items-2026-10-03-2026-10-04.csv"))
    await pack("#1005", [(imported.lav_old, "2")], packed_on=PACK_DAY)
    await pack("#1004", [(imported.lav_old, "1")], packed_on=PACK_DAY)
    packed = await pack("tx7Hq2LmPa01ZY", [("LAV-SOAP", "2"), ("OAT-SOAP", "1")], packed_on=PACK_DAY)
    assert packed.lines == (
        PackedLot(imported.lav_old, Decimal(2)),
        PackedLot(imported.oat, Decimal(1)),
    )
    split = await pack("#1001", [("LAV-SOAP", "2")], packed_on=PACK_DAY)
    assert split.lines == (PackedLot(imported.lav_new, Decimal(2)),)  # lav_old is used up


@pytest.mark.parametrize(
    ("order", "items", "error", "message"),
    [
        ("#9999", [("LAV-SOAP", "1")], NotFound, "no order '#9999'"),
        ("#1003", [("OAT-SOAP", "1")], InvalidInput, "order #1003 is cancelled"),
        ("#1001", [("LAV-SOAP", "3")], InvalidInput, "only 2 pcs of LAV-SOAP left to pack, not 3"),
        ("#1002", [("LAV-SOAP", "1")], InvalidInput, "order #1002 has no LAV-SOAP"),
        ("#1002", [("rose_expired", "1")], ExpiredLot, "expired on 2026-02-01"),
        ("#1002", [("lav_new", "1")], InvalidInput, "which order #1002 does not have: it belongs in another"),
        ("#1006", [("OAT-SOAP", "3")], InsufficientStock, "only 2 pcs of OAT-SOAP in stock"),
        ("#1006", [("oat", "3")], InsufficientStock, "has only 2 pcs left, not 3"),
        ("#1005", [("DISH-OAK", "1")], NotFound, "no product has that SKU yet"),
        ("#1001", [("NOPE-1", "1")], NotFound, "neither a batch lot code nor a product SKU"),
        ("#1001", [("LAV-SOAP", "two")], InvalidInput, "is not a number"),
        ("#1001", [], InvalidInput, "say what goes in the box"),
        ("#1007", [("CED-CANDLE", "1"), ("cedar", "1")], InvalidInput, "no CED-CANDLE left to pack"),
    ],
)
async def test_refusals_write_nothing(imported: Shop, db_dump, order, items, error, message):
    named = [(getattr(imported, item, item), qty) for item, qty in items]
    before = db_dump()
    with pytest.raises(error, match=message.replace("(", r"\(")):
        await pack(order, named, packed_on=PACK_DAY)
    with pytest.raises(error):
        await plan_pack(order, named, packed_on=PACK_DAY)
    assert db_dump() == before


async def test_a_material_lot_is_not_a_jar(imported: Shop):
    material = await Lot.filter(kind="material").first()
    assert material is not None
    with pytest.raises(InvalidInput, match="is a material lot"):
        await pack("#1001", [(material.code, "1")], packed_on=PACK_DAY)


async def test_the_plan_says_which_line_each_scan_fills_and_writes_nothing(imported: Shop, db_dump):
    before = db_dump()
    plan = await plan_pack("#1005", [(imported.lav_new, "1"), (imported.lav_new, "1")], packed_on=PACK_DAY)
    assert [(line.item, line.position, line.qty) for line in plan.lines] == [
        (imported.lav_new, 1, 1),
        (imported.lav_new, 1, 1),
    ]
    with pytest.raises(InvalidInput, match="order #1005 has no LAV-SOAP left to pack: it is all packed"):
        await plan_pack("#1005", [(imported.lav_new, "2"), (imported.lav_new, "1")], packed_on=PACK_DAY)
    assert db_dump() == before


async def test_open_orders_newest_first_and_the_count_for_home(imported: Shop):
    assert await orders_to_pack() == 6  # #1001, 1002, 1004, 1005, 1006, 1007 (#1003 is cancelled)
    open_orders = [o.order for o in await list_orders(open_only=True)]
    assert open_orders == ["#1007", "#1006", "#1005", "#1004", "#1002", "#1001"]
    await pack("#1007", fefo=True, packed_on=PACK_DAY)
    assert await orders_to_pack() == 5
    assert (await find_order("5912345678906")).order == "#1006"  # Shopify's own order id


async def test_trace_of_a_packed_batch_lists_the_customer_with_contacts(imported: Shop):
    await pack("#1001", [(imported.lav_new, "2")], packed_on=PACK_DAY)
    await pack("#1006", [("OAT-SOAP", "2")], packed_on=PACK_DAY)
    await import_orders(export("items-2026-10-03-2026-10-04.csv"))
    await pack("tx7Hq2LmPa01ZY", [(imported.lav_new, "2")], packed_on=PACK_DAY)
    found = await trace(imported.lav_new)
    [zoe] = found.customers
    assert (zoe.name, zoe.email, zoe.phone, zoe.orders) == (
        "Zoë O'Brien",
        "zoe.obrien@example.com",
        "+16035550142",
        ("#1001",),
    )
    assert zoe.address == "12 Market Square\n03801 Portsmouth, NH\nUS"
    assert found.walk_in_orders == ("tx7Hq2LmPa01ZY",)
    document = found.to_json()
    assert document["customers"][0]["phone"] == "+16035550142"
    assert document["walk_in_orders"] == ["tx7Hq2LmPa01ZY"]
    rows = await recall_rows(found)
    assert [(r.customer, r.order, r.phone) for r in rows] == [
        (WALK_IN, "tx7Hq2LmPa01ZY", ""),
        ("Zoë O'Brien", "#1001", "+16035550142"),
    ]
    order = await trace("#1006")  # an order's trace names its customer too
    assert [(c.name, c.email) for c in order.customers] == [("Jürgen Groß", "j.gross@example.de")]
    assert order.batches == (imported.oat,)


async def test_recall_contacts_follow_the_order_not_the_name(imported: Shop):
    """Two customers called Jen Baker: each order's contacts are its own customer's."""
    await import_orders(export("EtsySoldOrderItems2026-10.csv"))  # Jen Baker (bakerjen), Bath
    await Customer.create(name="Jen Baker", email="jen@elsewhere.example", phone="+44 1 555")
    await sales.sell("jen@elsewhere.example", [("OAT-SOAP", "1")], order="W-1", sold_on=PACK_DAY)
    await pack("3141592655", [("OAT-SOAP", "1")], packed_on=PACK_DAY)
    rows = await recall_rows(await trace(imported.oat))
    assert sorted((r.order, r.email, r.phone, r.address) for r in rows) == [
        ("3141592655", "", "", "22 Mill Lane\nBA1 1AA Bath\nUnited Kingdom"),
        ("W-1", "jen@elsewhere.example", "+44 1 555", ""),
    ]
    assert await SaleLine.filter(order_line_id__isnull=False).count() == 1


async def test_the_self_check_finds_order_lines_packed_beyond_what_was_ordered(imported: Shop):
    await pack("#1001", [(imported.lav_new, "2")], packed_on=PACK_DAY)
    assert (await check()).ok
    line = await OrderLine.get(sale__ref="#1001", position=1)
    await OrderLine.filter(id=line.id).update(qty_milli=1000)  # damage by hand
    other = await OrderLine.get(sale__ref="#1004", position=1)
    await SaleLine.filter(order_line_id=line.id).update(order_line_id=other.id)
    assert (await check()).problems == (
        "order #1001 has a sale line filling line 1 of order #1004",
        "order #1004 line 1: 2 packed but 1 ordered",
    )
    await SaleLine.filter(order_line_id=other.id).update(order_line_id=line.id)
    assert (await check()).problems == ("order #1001 line 1: 2 packed but 1 ordered",)
