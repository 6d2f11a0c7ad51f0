"""Etsy's two downloads and Square's item detail in the store: provisional lines, buyer ids,
walk-in sales, refunds that cancel units and refunds whose sale comes in a later file."""

from __future__ import annotations

from decimal import Decimal

from tests.orders.conftest import export
from tui.imports import ImportOptions
from tui.services.order_import import import_orders
from tui.services.orders import PackStatus, find_order
from tui.store.models import Customer, CustomerAccount, OrderLine, OrderRefund, Sale

ITEMS, ORDERS = "EtsySoldOrderItems2026-10.csv", "EtsySoldOrders2026-10.csv"
SQUARE = "items-2026-10-03-2026-10-04.csv"


def lines(order):
    return [(line.sku, line.name, line.qty, line.open) for line in order.lines]


async def test_etsy_items_then_orders_fills_contacts_and_status(store, db_dump):
    items = await import_orders(export(ITEMS))
    assert (items.orders_added, items.lines_added, items.customers_added) == (3, 5, 3)
    first = await find_order("3141592654")
    assert first.customer == "François Lefèvre"  # "François⏎Lefèvre (flefevre)" in the file
    assert lines(first) == [
        ("ROSE-BALM", "Rose Lip Balm", 1, 1),
        (None, "Handwritten gift note", 1, 0),
    ]
    orders = await import_orders(export(ORDERS))
    # 53-55 gain totals and status (their lines stay: the items file's are the real ones)
    assert (orders.orders_added, orders.orders_updated, orders.orders_unchanged) == (3, 3, 0)
    assert (orders.customers_added, orders.lines_added) == (1, 4)  # only Marie-Thérèse Côté is new
    assert (await find_order("3141592657")).status is PackStatus.CANCELLED
    refunded = await Sale.get(ref="3141592658")
    assert (refunded.refund, refunded.refunded_cents) == ("partial", 800)
    assert lines(await find_order("3141592653")) == [
        ("LAV-SOAP", "Lavender Oat Soap - handmade", 2, 2),
        ("CED-CANDLE", "Cedar Candle, 8oz soy", 1, 1),
    ]
    # one customer per buyer, however many files and orders: found by their Etsy username
    zoe = await Customer.get(name="Zoë O'Brien")
    assert await Sale.filter(customer=zoe).count() == 2
    assert await CustomerAccount.filter(channel="etsy").order_by("id").values_list("buyer_id", flat=True) == [
        "zoeobrien",
        "flefevre",
        "bakerjen",
        "mtcote",
    ]
    before = db_dump()
    for name in (ITEMS, ORDERS):
        again = await import_orders(export(name))
        assert (again.orders_added, again.orders_updated, again.lines_added) == (0, 0, 0)
    assert db_dump() == before


async def test_etsy_orders_then_items_replaces_the_guessed_lines(store):
    orders = await import_orders(export(ORDERS))
    assert (orders.orders_added, orders.lines_added) == (6, 4)
    assert len(orders.warnings) == 3  # three orders whose SKU list gives no quantities
    guessed = await OrderLine.filter(sale__ref="3141592656").order_by("position")
    assert [(g.sku, g.qty_milli, g.provisional) for g in guessed] == [
        ("LAV-SOAP", 1000, True),
        ("ROSE-BALM", 1000, True),
    ]
    assert lines(await find_order("3141592653")) == []  # nothing known yet but the order
    items = await import_orders(export(ITEMS))
    assert (items.orders_added, items.orders_updated, items.lines_added) == (0, 3, 5)
    assert lines(await find_order("3141592655")) == [("OAT-SOAP", "Oatmeal Honey Soap", 3, 3)]
    assert (await find_order("3141592655")).lines[0].product is None
    # Jen Baker was added by the orders file (username bakerjen) and is found again by it
    assert await Customer.filter(name="Jen Baker").count() == 1


async def test_square_walk_ins_saved_customers_and_a_refund_in_the_same_file(store):
    report = await import_orders(export(SQUARE))
    assert (report.orders_added, report.lines_added, report.customers_added) == (4, 6, 2)
    assert (report.refunds_added, report.refunds_waiting) == (2, 1)
    walk_in = await find_order("tx7Hq2LmPa01ZY")
    assert (walk_in.customer, walk_in.channel, walk_in.status) == (None, "square", PackStatus.OPEN)
    saved = await find_order("tx9Kd3NpQb02ZY")
    assert saved.customer == "Zoë O'Brien"
    assert lines(saved)[1] == (None, "Custom Amount", 1, 0)
    anonymous = await find_order("txD6Wx7YzE04ZY")  # saved in Square with an id and no name
    assert anonymous.customer == "square customer CUST9X4ANON"
    refunded = await find_order("txB4Rt5UvC03ZY")  # its only unit was refunded at the stall
    assert refunded.status is PackStatus.CANCELLED
    assert [(line.qty, line.cancelled, line.open) for line in refunded.lines] == [(1, 1, 0)]
    assert (await Sale.get(ref="txB4Rt5UvC03ZY")).refunded_cents == 1200
    [waiting] = report.warnings
    assert (waiting.row, "pyZ9y8X7w6V599ZY" in waiting.reason) == (9, True)


async def test_a_square_refund_waits_for_its_sale_and_is_applied_once(store, db_dump):
    await import_orders(export(SQUARE))
    before = db_dump()
    again = await import_orders(export(SQUARE))
    assert (again.orders_unchanged, again.refunds_added, again.refunds_waiting) == (4, 0, 1)
    assert db_dump() == before
    # the sale of payment pyZ9y8X7w6V599ZY comes in an earlier day's export imported afterwards
    header = export(SQUARE).splitlines()[0]
    sale = (
        '2026-09-26,15:00:00,Eastern Time (US & Canada),Soap,Lavender Oat Soap,2.0,Regular,LAV-SOAP,"",'
        '$16.00,$0.00,$16.00,$0.00,txEARLIER0001ZY,pyZ9y8X7w6V599ZY,Square Reader 0412,"","",Payment,'
        'Portsmouth Farmers Market,"","","","",ea,2,"",Physical Good,$0.00,"","",Portsmouth Farmers Market,'
        "TKN,Visa,4242"
    )
    earlier = await import_orders(f"{header}\n{sale}\n")
    assert (earlier.orders_added, earlier.refunds_added, earlier.refunds_waiting) == (1, 0, 0)
    order = await find_order("txEARLIER0001ZY")
    assert [(line.qty, line.cancelled, line.open) for line in order.lines] == [(2, 1, 1)]
    assert await OrderRefund.filter(sale__ref="txEARLIER0001ZY").count() == 1
    assert (await import_orders(export(SQUARE))).refunds_waiting == 0
    assert [line.open for line in (await find_order("txEARLIER0001ZY")).lines] == [Decimal(1)]


async def test_skip_bad_square_rows(store):
    report = await import_orders(export("items-bad.csv"), options=ImportOptions(skip_bad=True))
    assert [(p.row, p.reason) for p in report.problems] == [
        (2, "quantity 'two' is not a number"),
        (3, "transaction id (Transaction ID) is empty"),
    ]
    assert report.orders_added == 1


async def test_what_the_store_cannot_hold_exactly_is_a_bad_row(store, db_dump):
    """A weight sold to a ten-thousandth, and a SKU longer than a SKU can be, are refused by row."""
    rows = export(SQUARE).splitlines()
    text = "\n".join(
        [
            rows[0],
            rows[1].replace(",2.0,Regular,", ",0.1234,Regular,"),
            rows[5].replace("ROSE-BALM", "X" * 65),
        ]
    )
    before = db_dump()
    report = await import_orders(text, options=ImportOptions(skip_bad=True, dry_run=True))
    assert [(p.row, p.reason) for p in report.problems] == [
        (2, "quantity 0.1234 has more than 3 decimal places"),
        (3, "SKU is longer than 64 characters"),
    ]
    assert report.orders_added == 0
    assert db_dump() == before
