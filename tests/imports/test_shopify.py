"""Shopify's orders export: one row per line item, order fields on the first row only."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from tui.imports import Address, Channel, OrderStatus, RefundState


def orders(parsed, name):
    return {o.reference: o for o in parsed[name].orders}


def test_orders_lines_and_spreadsheet_rows(parsed):
    result = parsed["orders_export_1.csv"]
    assert (result.rows, result.problems, result.warnings, result.left_out) == (10, (), (), ())
    by_ref = orders(parsed, "orders_export_1.csv")
    assert list(by_ref) == ["#1001", "#1002", "#1003", "#1004", "#1005"]
    first = by_ref["#1001"]
    assert (first.channel, first.channel_id, first.rows) == (Channel.SHOPIFY, "5912345678901", (2, 3))
    seen = [(i.row, i.position, i.sku, i.name, i.qty, i.unit_price, i.fulfillment) for i in first.lines]
    assert seen == [
        (2, 1, "LAV-SOAP", "Lavender Oat Soap", Decimal(2), Decimal("8.00"), "fulfilled"),
        (3, 2, "CED-CANDLE", "Cedar Candle 8oz", Decimal(1), Decimal("18.00"), "fulfilled"),
    ]
    assert first.placed_at == datetime(2026, 10, 1, 10, 1, 55, tzinfo=timezone(timedelta(hours=-4)))
    assert (first.placed_on, first.currency, first.total) == (date(2026, 10, 1), "USD", Decimal("34.00"))
    # the quoted two-line name and note of #1002 do not shift the rows after them
    assert by_ref["#1002"].rows == (4, 5)
    assert by_ref["#1003"].rows == (6,)


def test_customer_keeps_accents_apostrophes_and_the_zip_without_shopifys_apostrophe(parsed):
    by_ref = orders(parsed, "orders_export_1.csv")
    zoe = by_ref["#1001"].customer
    assert zoe is not None
    assert (zoe.name, zoe.email, zoe.phone) == ("Zoë O'Brien", "zoe.obrien@example.com", "+16035550142")
    assert zoe.address == Address(("12 Market Square",), "Portsmouth", "NH", "03801", "US")
    assert zoe.address.as_text() == "12 Market Square\n03801 Portsmouth, NH\nUS"
    francois = by_ref["#1002"].customer
    assert francois is not None
    assert francois.name == "François Lefèvre"  # split over two lines in the file
    assert francois.address is not None and francois.address.lines == ("7 rue de l'Église",)


def test_a_gift_is_billed_to_the_buyer_and_shipped_to_someone_else(parsed):
    gift = orders(parsed, "orders_export_1.csv")["#1005"]
    assert gift.customer is not None and gift.customer.name == "Aoife Ní Bhriain"
    assert gift.ship_to is not None and gift.ship_to.name == "Seán Ó Briain"
    assert gift.ship_to.address.postal_code == "03801"


def test_lines_without_sku_need_no_lot(parsed):
    lines = {line.name: line for o in parsed["orders_export_1.csv"].orders for line in o.lines}
    assert not lines["Gift wrapping"].needs_lot and lines["Gift wrapping"].sku is None
    assert not lines["Grab bag"].needs_lot
    assert lines["Rose Lip Balm"].needs_lot


def test_cancelled_refunded_order_ships_nothing(parsed):
    cancelled = orders(parsed, "orders_export_1.csv")["#1003"]
    assert (cancelled.status, cancelled.refund, cancelled.refunded_amount) == (
        OrderStatus.CANCELLED,
        RefundState.FULL,
        Decimal("16.00"),
    )
    (refund,) = cancelled.refunds
    assert refund.cancels_units and refund.order_reference == "#1003"


def test_partially_refunded_order_shipped_and_money_went_back(parsed):
    partial = orders(parsed, "orders_export_1.csv")["#1004"]
    assert (partial.status, partial.refund, partial.channel_status) == (
        OrderStatus.OPEN,
        RefundState.PARTIAL,
        "partially_refunded",
    )
    (refund,) = partial.refunds
    assert (refund.amount, refund.cancels_units, refund.lines) == (Decimal("5.00"), False, ())
    assert refund in parsed["orders_export_1.csv"].refunds


def test_paid_orders_have_no_refund(parsed):
    paid = orders(parsed, "orders_export_1.csv")["#1001"]
    assert (paid.refund, paid.refunded_amount, paid.refunds) == (RefundState.NONE, None, ())


def test_overlapping_exports_give_the_same_record_for_an_unchanged_order(parsed):
    earlier, later = orders(parsed, "orders_export_1.csv"), orders(parsed, "orders_export_2.csv")
    assert sorted(set(earlier) & set(later)) == ["#1004", "#1005"]
    same, changed = earlier["#1004"], later["#1004"]
    assert (same.lines, same.customer, same.refunds[0].amount) == (
        tuple(_moved(changed.lines, same.lines)),
        changed.customer,
        changed.refunds[0].amount,
    )
    before, after = earlier["#1005"], later["#1005"]
    assert (before.refund, after.refund, after.refunded_amount) == (
        RefundState.NONE,
        RefundState.PARTIAL,
        Decimal("10.00"),
    )
    assert [line.fulfillment for line in after.lines] == ["fulfilled"] * 3
    assert [(line.position, line.sku, line.qty) for line in after.lines] == [
        (line.position, line.sku, line.qty) for line in before.lines
    ]


def _moved(lines, like):
    """Lines as they would be in the other file: same everything but the row number."""
    from dataclasses import replace

    return [replace(line, row=other.row) for line, other in zip(lines, like, strict=True)]


def test_a_pos_sale_without_customer(parsed):
    pos = orders(parsed, "orders_export_2.csv")["#1007"]
    assert (pos.customer, pos.ship_to) == (None, None)
    assert [(line.sku, line.needs_lot) for line in pos.lines] == [("CED-CANDLE", True), (None, False)]


def test_bad_rows_are_reported_by_spreadsheet_row_and_their_order_left_out_whole(parsed):
    bad = parsed["orders_export_bad.csv"]
    assert [str(p) for p in bad.problems] == [
        "row 4: quantity 'two' is not a number",
        "row 5: order number (Name) is empty",
    ]
    assert bad.left_out == ("#1011",)
    assert [o.reference for o in bad.orders] == ["#1010", "#1012"]
    assert bad.orders[1].rows == (6,)
