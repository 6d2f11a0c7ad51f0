"""Etsy's EtsySoldOrderItems (the lines) and EtsySoldOrders (contacts, status, no quantities)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.imports.conftest import fixture_text
from tui.imports import Channel, OrderStatus, RefundState, parse_orders
from tui.imports.etsy import buyer


def by_ref(parsed, name):
    return {o.reference: o for o in parsed[name].orders}


def test_items_file_gives_one_line_per_transaction(parsed):
    items = parsed["EtsySoldOrderItems2026-10.csv"]
    assert (items.rows, items.problems, items.warnings) == (5, (), ())
    orders = by_ref(parsed, "EtsySoldOrderItems2026-10.csv")
    first = orders["3141592653"]
    assert (first.channel, first.reference, first.channel_id, first.placed_on) == (
        Channel.ETSY,
        "3141592653",
        "3141592653",
        date(2026, 10, 3),
    )
    seen = [(li.row, li.line_ref, li.sku, li.name, li.qty, li.unit_price) for li in first.lines]
    assert seen == [
        (2, "4100000001", "LAV-SOAP", "Lavender Oat Soap - handmade", Decimal(2), Decimal("8.00")),
        (3, "4100000002", "CED-CANDLE", "Cedar Candle, 8oz soy", Decimal(1), Decimal("18.00")),
    ]
    assert not first.lines_provisional
    oat = orders["3141592655"].lines[0]
    assert (oat.variant, oat.qty, oat.row) == ("Scent: Oatmeal & Honey", Decimal(3), 6)


def test_buyer_name_split_over_two_lines_is_one_name_and_the_username_is_the_buyer_id(parsed):
    orders = by_ref(parsed, "EtsySoldOrderItems2026-10.csv")
    francois = orders["3141592654"].customer
    assert francois is not None
    assert (francois.name, francois.buyer_id, francois.email) == ("François Lefèvre", "flefevre", None)
    assert (
        francois.address is not None and francois.address.as_text() == "7 rue de l'Église\n69002 Lyon\nFrance"
    )
    zoe = orders["3141592653"].customer
    assert zoe is not None and (zoe.name, zoe.buyer_id) == ("Zoë O'Brien", "zoeobrien")
    assert orders["3141592654"].rows == (4, 5)  # the two-line name does not shift the rows


def test_the_gift_note_without_sku_needs_no_lot(parsed):
    lines = by_ref(parsed, "EtsySoldOrderItems2026-10.csv")["3141592654"].lines
    assert [(line.sku, line.needs_lot) for line in lines] == [("ROSE-BALM", True), (None, False)]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Zoë O'Brien (zoeobrien)", ("Zoë O'Brien", "zoeobrien")),
        ("François\nLefèvre  (flefevre)", ("François Lefèvre", "flefevre")),
        ("coolbuyer42", (None, "coolbuyer42")),
        ("Jen Baker", ("Jen Baker", None)),
        ("(onlyuser)", (None, "onlyuser")),
        ("", (None, None)),
    ],
)
def test_buyer_cell(cell, expected):
    assert buyer(cell) == expected


def test_orders_file_fills_contacts_and_status_and_its_lines_are_provisional(parsed):
    result = parsed["EtsySoldOrders2026-10.csv"]
    assert result.problems == ()
    orders = by_ref(parsed, "EtsySoldOrders2026-10.csv")
    assert all(o.lines_provisional for o in orders.values())
    zoe = orders["3141592653"]
    assert zoe.customer is not None and (zoe.customer.name, zoe.customer.buyer_id) == (
        "Zoë O'Brien",
        "zoeobrien",
    )
    assert (zoe.total, zoe.currency, zoe.channel_status) == (Decimal("38.50"), "EUR", "Completed")
    assert orders["3141592654"].customer.name == "François Lefèvre"  # type: ignore[union-attr]


def test_orders_file_gives_lines_only_when_the_quantities_follow_from_it(parsed):
    orders = by_ref(parsed, "EtsySoldOrders2026-10.csv")
    assert orders["3141592653"].lines == ()  # two SKUs, three items
    assert orders["3141592654"].lines == ()  # one SKU, two items: the other may have no SKU
    assert orders["3141592655"].lines == ()
    assert [(line.sku, line.qty, line.needs_lot) for line in orders["3141592656"].lines] == [
        ("LAV-SOAP", Decimal(1), True),
        ("ROSE-BALM", Decimal(1), True),
    ]
    warned = [w.row for w in parsed["EtsySoldOrders2026-10.csv"].warnings]
    assert warned == [2, 3, 4]
    assert "import EtsySoldOrderItems for its lines" in parsed["EtsySoldOrders2026-10.csv"].warnings[0].reason


def test_canceled_and_partly_refunded_etsy_orders(parsed):
    orders = by_ref(parsed, "EtsySoldOrders2026-10.csv")
    canceled = orders["3141592657"]
    assert (canceled.status, canceled.refund) == (OrderStatus.CANCELLED, RefundState.FULL)
    assert canceled.refunds[0].cancels_units
    partly = orders["3141592658"]
    assert (partly.status, partly.refund, partly.refunded_amount) == (
        OrderStatus.OPEN,
        RefundState.PARTIAL,
        Decimal("8.00"),
    )
    assert not partly.refunds[0].cancels_units


def test_items_and_orders_files_overlap_on_the_same_order_references(parsed):
    items = set(by_ref(parsed, "EtsySoldOrderItems2026-10.csv"))
    orders = set(by_ref(parsed, "EtsySoldOrders2026-10.csv"))
    assert items < orders


def test_bad_etsy_rows():
    text = fixture_text("EtsySoldOrderItems2026-10.csv")
    lines = text.splitlines(keepends=True)
    lines[1] = lines[1].replace(",2,8.00,", ",two,8.00,")  # row 2: Zoë's soap
    lines[-1] = lines[-1].replace("3141592655", "")  # row 6: no Order ID
    result = parse_orders("".join(lines))
    assert [str(p) for p in result.problems] == [
        "row 2: quantity 'two' is not a number",
        "row 6: order id (Order ID) is empty",
    ]
    assert result.left_out == ("3141592653",)
    assert [o.reference for o in result.orders] == ["3141592654"]


def test_a_repeated_order_row_in_the_orders_file_is_reported_and_the_first_used():
    text = fixture_text("EtsySoldOrders2026-10.csv")
    lines = text.splitlines(keepends=True)
    result = parse_orders(text + lines[-1])
    assert str(result.warnings[-1]) == "row 8: order 3141592658 is also on row 7: that row is used"
    assert len(result.orders) == 6
