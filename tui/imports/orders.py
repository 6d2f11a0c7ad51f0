"""Read any order export: detect which one it is from its header, then parse it."""

from __future__ import annotations

from collections.abc import Callable

from tui.imports.etsy import parse_etsy_items, parse_etsy_orders
from tui.imports.formats import check_format, detect_format, parse_format
from tui.imports.records import ExportFormat, ParsedOrders
from tui.imports.shopify import parse_shopify
from tui.imports.square import parse_square
from tui.imports.table import Table, bulk

PARSERS: dict[ExportFormat, Callable[[Table], ParsedOrders]] = {
    ExportFormat.SHOPIFY: parse_shopify,
    ExportFormat.ETSY_ITEMS: parse_etsy_items,
    ExportFormat.ETSY_ORDERS: parse_etsy_orders,
    ExportFormat.SQUARE: parse_square,
}


def parse_orders(text: str, fmt: ExportFormat | str | None = None) -> ParsedOrders:
    """Orders, refunds and bad rows of an export's text.

    `fmt` is the user's `--format`; without it the header decides. Raises `BadImportFile` when
    the header is no known export, or lacks a column the named format cannot do without.
    """
    with bulk():
        table = Table.from_text(text)
        if fmt is None:
            chosen = detect_format(table)
        else:
            chosen = parse_format(fmt)
            check_format(table, chosen)
        return PARSERS[chosen](table)
