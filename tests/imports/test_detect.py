"""Which export a file is, from its header; columns by name, never by position."""

from __future__ import annotations

import csv
import io
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.imports.conftest import fixture_text
from tui.imports import HEADERS, BadImportFile, ExportFormat, parse_format, parse_orders
from tui.imports.formats import REQUIRED

FIXTURES = {
    "orders_export_1.csv": ExportFormat.SHOPIFY,
    "EtsySoldOrderItems2026-10.csv": ExportFormat.ETSY_ITEMS,
    "EtsySoldOrders2026-10.csv": ExportFormat.ETSY_ORDERS,
    "items-2026-10-03-2026-10-04.csv": ExportFormat.SQUARE,
}


@pytest.mark.parametrize(("name", "fmt"), FIXTURES.items())
def test_each_export_is_detected_from_its_header(name, fmt):
    assert parse_orders(fixture_text(name)).format is fmt


@pytest.mark.parametrize(("name", "fmt"), FIXTURES.items())
def test_fixture_headers_are_the_documented_ones_in_the_platforms_order(name, fmt):
    header = next(csv.reader(io.StringIO(fixture_text(name))))
    assert tuple(header) == HEADERS[fmt]


def test_an_unknown_header_is_refused_naming_what_was_expected():
    with pytest.raises(BadImportFile) as caught:
        parse_orders("Order,Product,Amount\n1,Soap,2\n")
    message = caught.value.message
    assert "the header (Order, Product, Amount) is not a known order export" in message
    for fmt in ExportFormat:
        assert all(column in message for column in REQUIRED[fmt])


def test_a_named_format_that_does_not_fit_says_which_columns_are_missing():
    with pytest.raises(
        BadImportFile,
        match="not a Square item sales detail file: it has no Date, Item, Qty, Transaction ID columns",
    ):
        parse_orders(fixture_text("orders_export_1.csv"), "square")


def test_format_names_are_the_cli_ones():
    assert [f.value for f in ExportFormat] == ["shopify", "etsy-items", "etsy-orders", "square"]
    assert parse_format(" Etsy-Items ") is ExportFormat.ETSY_ITEMS
    with pytest.raises(BadImportFile, match="format 'woo' is not known: use one of shopify, etsy-items"):
        parse_format("woo")


def test_unknown_columns_are_ignored_and_reported_as_warnings():
    text = fixture_text("orders_export_1.csv").replace("Risk Level", "Packing Notes", 1)
    parsed = parse_orders(text)
    assert parsed.unknown_columns == ("Packing Notes",)
    assert [str(w) for w in parsed.warnings] == [
        "row 1: column 'Packing Notes' is not part of a Shopify orders export file: ignored"
    ]
    assert not parsed.problems
    assert parsed.orders == parse_orders(fixture_text("orders_export_1.csv")).orders


def _rewrite(text: str, columns: list[str]) -> str:
    """The same file with only `columns`, in that order (as if edited in a spreadsheet)."""
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(sorted(FIXTURES)), st.randoms(use_true_random=False))
def test_column_order_does_not_matter(name, rnd: random.Random):
    text = fixture_text(name)
    columns = list(HEADERS[FIXTURES[name]])
    rnd.shuffle(columns)
    assert parse_orders(_rewrite(text, columns)) == parse_orders(text)


def test_optional_columns_may_be_missing():
    text = fixture_text("orders_export_1.csv")
    keep = [
        c for c in HEADERS[ExportFormat.SHOPIFY] if c in {*REQUIRED[ExportFormat.SHOPIFY], "Lineitem sku"}
    ]
    parsed = parse_orders(_rewrite(text, keep))
    assert not parsed.problems
    assert [o.reference for o in parsed.orders] == ["#1001", "#1002", "#1003", "#1004", "#1005"]
    first = parsed.orders[0]
    assert (first.customer, first.placed_on, first.channel_id) == (None, None, "#1001")
    assert [(line.sku, line.qty) for line in first.lines] == [("LAV-SOAP", 2), ("CED-CANDLE", 1)]
