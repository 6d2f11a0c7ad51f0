"""`report sales`: units and orders per product and channel, from imported orders (packed or
not) and bench sales, on both backends. Expected figures are counted from the fixture files."""

from __future__ import annotations

from datetime import date

from tests.orders.conftest import PACK_DAY, export
from tui.services import catalog, packing, sales
from tui.services.order_import import import_orders
from tui.services.report_tables import Period, read_period
from tui.services.stock_reports import sales as sales_report


def rows(report) -> list[tuple[str, str, str, str, int]]:
    return [tuple(line.values()) for line in report.to_json()]


async def test_sales_by_product_and_channel_with_imported_orders(shop):
    for name in ("orders_export_1.csv", "EtsySoldOrderItems2026-10.csv", "items-2026-10-03-2026-10-04.csv"):
        await import_orders(export(name))
    await packing.pack("#1001", fefo=True, packed_on=PACK_DAY)  # packed: counted once, not twice
    await catalog.add_customer("Walk In")
    await sales.sell("Walk In", [("LAV-SOAP", "1")], channel="market", sold_on="2026-10-02")
    report = await sales_report(Period())
    assert list(report.to_json()[0]) == ["sku", "product", "channel", "qty", "orders"]
    assert rows(report) == [
        ("CED-CANDLE", "Cedar Candle 8oz", "etsy", "1", 1),
        ("CED-CANDLE", "Cedar Candle 8oz", "shopify", "2", 2),  # #1001, #1004
        ("CED-CANDLE", "Cedar Candle 8oz", "square", "1", 1),
        ("DISH-OAK", "Soap dish - Oak", "shopify", "1", 1),  # no product of ours: the channel's name
        ("LAV-SOAP", "Lavender Oat Soap", "etsy", "2", 1),
        ("LAV-SOAP", "Lavender Oat Soap", "market", "1", 1),
        ("LAV-SOAP", "Lavender Oat Soap", "shopify", "5", 3),  # #1001 2, #1004 1, #1005 2
        ("LAV-SOAP", "Lavender Oat Soap", "square", "3", 2),
        ("OAT-SOAP", "Oatmeal Honey Soap", "etsy", "3", 1),
        ("OAT-SOAP", "Oatmeal Honey Soap", "square", "1", 1),  # #1003 (Shopify) was cancelled
        ("ROSE-BALM", "Rose Lip Balm", "etsy", "1", 1),
        ("ROSE-BALM", "Rose Lip Balm", "shopify", "1", 1),  # the Square balm was refunded before it shipped
    ]
    later = await sales_report(read_period("2026-10-04", None))
    assert rows(later) == [
        ("DISH-OAK", "Soap dish - Oak", "shopify", "1", 1),
        ("LAV-SOAP", "Lavender Oat Soap", "shopify", "2", 1),
        ("OAT-SOAP", "Oatmeal Honey Soap", "etsy", "3", 1),
        ("ROSE-BALM", "Rose Lip Balm", "etsy", "1", 1),
    ]
    assert rows(await sales_report(Period(date(2026, 10, 2), date(2026, 10, 2)))) == [
        ("LAV-SOAP", "Lavender Oat Soap", "market", "1", 1),
    ]  # Shopify #1003 that day was cancelled
    assert rows(await sales_report(read_period(None, "2026-09-30"))) == []
