"""Square item detail: sales by Transaction ID, refunds linked by Payment ID, walk-ins."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from tests.imports.conftest import fixture_text
from tui.imports import Channel, RefundState, parse_orders

FILE = "items-2026-10-03-2026-10-04.csv"


def sales(parsed):
    return {o.reference: o for o in parsed[FILE].orders}


def test_sales_grouped_by_transaction(parsed):
    result = parsed[FILE]
    assert (result.rows, result.problems, result.warnings) == (8, (), ())
    assert list(sales(parsed)) == ["tx7Hq2LmPa01ZY", "tx9Kd3NpQb02ZY", "txB4Rt5UvC03ZY", "txD6Wx7YzE04ZY"]
    first = sales(parsed)["tx7Hq2LmPa01ZY"]
    assert (first.channel, first.placed_on, first.placed_at) == (
        Channel.SQUARE,
        date(2026, 10, 3),
        datetime(2026, 10, 3, 9, 12, 40),
    )
    assert first.payment_ids == ("pyA1b2C3d4E501ZY",)
    assert [(line.sku, line.name, line.variant, line.qty, line.unit_price) for line in first.lines] == [
        ("LAV-SOAP", "Lavender Oat Soap", "Regular", Decimal(2), Decimal("8.00")),
        ("OAT-SOAP", "Oatmeal Honey Soap", "Regular", Decimal(1), Decimal("8.00")),
    ]
    assert str(first.lines[0].qty) == "2"  # Square writes 2.0
    assert first.total == Decimal("24.00")


def test_a_unit_price_that_does_not_divide_evenly_keeps_the_exact_total():
    text = fixture_text(FILE).replace('2.0,Regular,LAV-SOAP,"",$16.00', '3.0,Regular,LAV-SOAP,"",$20.00')
    sale = {o.reference: o for o in parse_orders(text).orders}["tx7Hq2LmPa01ZY"]
    assert sale.lines[0].unit_price == Decimal("6.6667")
    assert sale.total == Decimal("28.00")


def test_walk_in_sales_have_no_customer_and_saved_customers_keep_their_id(parsed):
    by_ref = sales(parsed)
    assert by_ref["tx7Hq2LmPa01ZY"].customer is None
    zoe = by_ref["tx9Kd3NpQb02ZY"].customer
    assert zoe is not None and (zoe.name, zoe.buyer_id) == ("Zoë O'Brien", "CUST7Q2ZOE")
    anonymous = by_ref["txD6Wx7YzE04ZY"].customer
    assert anonymous is not None and (anonymous.name, anonymous.buyer_id) == (None, "CUST9X4ANON")


def test_custom_amount_has_no_sku_and_needs_no_lot(parsed):
    custom = sales(parsed)["tx9Kd3NpQb02ZY"].lines[1]
    assert (custom.name, custom.sku, custom.needs_lot, custom.unit_price) == (
        "Custom Amount",
        None,
        False,
        Decimal("5.00"),
    )


def test_a_refund_is_linked_to_its_sale_by_payment_id(parsed):
    sale = sales(parsed)["txB4Rt5UvC03ZY"]
    (refund,) = sale.refunds
    assert (refund.reference, refund.payment_id, refund.order_reference, refund.rows) == (
        "rfG8Hj9KlF05ZY",
        "pyK1l2M3n4O503ZY",
        "txB4Rt5UvC03ZY",
        (8,),
    )
    assert (refund.amount, refund.cancels_units) == (Decimal("12.00"), True)
    assert [(line.sku, line.qty) for line in refund.lines] == [("ROSE-BALM", Decimal(1))]
    assert (sale.refund, sale.refunded_amount) == (RefundState.FULL, Decimal("12.00"))


def test_a_refund_of_a_sale_from_an_earlier_file_is_kept_for_the_store_to_link(parsed):
    refunds = {r.reference: r for r in parsed[FILE].refunds}
    assert set(refunds) == {"rfG8Hj9KlF05ZY", "rfM1Np2QrG06ZY"}
    earlier = refunds["rfM1Np2QrG06ZY"]
    assert (earlier.order_reference, earlier.payment_id) == (None, "pyZ9y8X7w6V599ZY")
    assert "rfM1Np2QrG06ZY" not in sales(parsed)


def test_part_of_a_sale_refunded():
    lines = fixture_text(FILE).splitlines(keepends=True)
    lines[7] = lines[7].replace("pyK1l2M3n4O503ZY", "pyA1b2C3d4E501ZY")  # row 8 refunds the soap sale
    result = parse_orders("".join(lines))
    sale = {o.reference: o for o in result.orders}["tx7Hq2LmPa01ZY"]
    assert sale.refund is RefundState.PARTIAL
    assert sale.refunds[0].reference == "rfG8Hj9KlF05ZY"


def test_bad_square_rows(parsed):
    bad = parsed["items-bad.csv"]
    assert [str(p) for p in bad.problems] == [
        "row 2: quantity 'two' is not a number",
        "row 3: transaction id (Transaction ID) is empty",
    ]
    assert bad.left_out == ("txBAD1aaaa01ZY",)
    assert [o.reference for o in bad.orders] == ["txGOOD1aaa03ZY"]


def test_refund_rows_are_found_by_negative_qty_when_there_is_no_event_type():
    text = fixture_text(FILE).replace(",Event Type,", ",Event,", 1)
    result = parse_orders(text)
    assert {r.reference for r in result.refunds} == {"rfG8Hj9KlF05ZY", "rfM1Np2QrG06ZY"}
    assert result.unknown_columns == ("Event",)


def test_an_unknown_event_type_and_a_positive_refund_are_problems():
    text = fixture_text(FILE)
    text = text.replace("Payment,Portsmouth", "Exchange,Portsmouth", 1)
    text = text.replace("Rose Lip Balm,-1.0,", "Rose Lip Balm,1.0,")
    result = parse_orders(text)
    assert [str(p) for p in result.problems] == [
        "row 2: event type 'Exchange' is neither Payment nor Refund",
        "row 8: a refund row has a positive quantity (1.0)",
    ]


def test_a_transaction_mixing_sale_and_refund_rows_is_a_problem():
    text = fixture_text(FILE).replace("rfG8Hj9KlF05ZY", "txB4Rt5UvC03ZY")
    result = parse_orders(text)
    assert [str(p) for p in result.problems] == [
        "row 6: transaction txB4Rt5UvC03ZY mixes sale and refund rows"
    ]
    assert "txB4Rt5UvC03ZY" in result.left_out


def test_no_payment_id_column_is_warned():
    text = fixture_text(FILE).replace(",Payment ID,", ",Payment Ref,", 1)
    result = parse_orders(text)
    assert "row 1: no Payment ID column: refunds cannot be matched to their sales" in map(
        str, result.warnings
    )
    assert all(r.order_reference is None for r in result.refunds)
