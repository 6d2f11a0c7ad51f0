"""The export formats we read: their documented headers in the platforms' own order, and detection.

Columns are always found by name, never by position: platforms add columns over the years
(Square's item detail went from 21 to 33 to 35 columns) and a maker may delete some in a
spreadsheet. `REQUIRED` is what an order cannot be read without; everything else is optional.
Where each list comes from (checked 2026-11, see tests/fixtures/exports/README.md):

- Shopify (Admin > Orders > Export, "orders_export_1.csv"): the 79-column header of real exports
  as reproduced in public parsers (jadwro/allegro_csv_parser `ShopifyOrderTypeCSV.ts`, a Rust
  order importer, laplace-live/shopify-csv-converter) and shown in a real export line on
  docs.xbp.app "Shopify order export format" (order fields on the first row only, zip as `'75008`);
  column meanings from Matrixify/Excelify order documentation.
- Etsy (Shop Manager > Settings > Options > Download Data): `EtsySoldOrderItems<year>.csv`
  and `EtsySoldOrders<year>.csv`, headers as in public Etsy tools and their fixtures
  (YitongM/Etsy2ParcelMonkeyCSV `EtsyImportModel.cs`, Etsy CSV loaders' test files).
- Square (Dashboard > Reports > Item sales > Export > Item Detail, "items-<from>-<to>.csv"): the
  35-column header of real 2026 exports (zoetankersley/sunrise_social_club `data/raw/items-*.csv`,
  including a `Refund` row with negative `Qty`, its own Transaction ID and the sale's Payment ID).
"""

from __future__ import annotations

from tui.imports.records import ExportFormat
from tui.imports.table import BadImportFile, Table

SHOPIFY_HEADER = (
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at",
    "Accepts Marketing", "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code",
    "Discount Amount", "Shipping Method", "Created at", "Lineitem quantity", "Lineitem name",
    "Lineitem price", "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping",
    "Lineitem taxable", "Lineitem fulfillment status", "Billing Name", "Billing Street",
    "Billing Address1", "Billing Address2", "Billing Company", "Billing City", "Billing Zip",
    "Billing Province", "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street",
    "Shipping Address1", "Shipping Address2", "Shipping Company", "Shipping City", "Shipping Zip",
    "Shipping Province", "Shipping Country", "Shipping Phone", "Notes", "Note Attributes",
    "Cancelled at", "Payment Method", "Payment Reference", "Refunded Amount", "Vendor",
    "Outstanding Balance", "Employee", "Location", "Device ID", "Id", "Tags", "Risk Level", "Source",
    "Lineitem discount", "Tax 1 Name", "Tax 1 Value", "Tax 2 Name", "Tax 2 Value", "Tax 3 Name",
    "Tax 3 Value", "Tax 4 Name", "Tax 4 Value", "Tax 5 Name", "Tax 5 Value", "Phone",
    "Receipt Number", "Duties", "Billing Province Name", "Shipping Province Name", "Payment ID",
    "Payment Terms Name", "Next Payment Due At", "Payment References",
)  # fmt: skip

ETSY_ITEMS_HEADER = (
    "Sale Date", "Item Name", "Buyer", "Quantity", "Price", "Coupon Code", "Coupon Details",
    "Discount Amount", "Shipping Discount", "Order Shipping", "Order Sales Tax", "Item Total",
    "Currency", "Transaction ID", "Listing ID", "Date Paid", "Date Shipped", "Ship Name",
    "Ship Address1", "Ship Address2", "Ship City", "Ship State", "Ship Zipcode", "Ship Country",
    "Order ID", "Variations", "Order Type", "Listings Type", "Payment Type", "InPerson Discount",
    "InPerson Location", "VAT Paid by Buyer", "SKU",
)  # fmt: skip

ETSY_ORDERS_HEADER = (
    "Sale Date", "Order ID", "Buyer User ID", "Full Name", "First Name", "Last Name",
    "Number of Items", "Payment Method", "Date Shipped", "Street 1", "Street 2", "Ship City",
    "Ship State", "Ship Zipcode", "Ship Country", "Currency", "Order Value", "Coupon Code",
    "Coupon Details", "Discount Amount", "Shipping Discount", "Shipping", "Sales Tax", "Order Total",
    "Status", "Card Processing Fees", "Order Net", "Adjusted Order Total",
    "Adjusted Card Processing Fees", "Adjusted Net Order Amount", "Buyer", "Order Type",
    "Payment Type", "InPerson Discount", "InPerson Location", "SKU",
)  # fmt: skip

SQUARE_HEADER = (
    "Date", "Time", "Time Zone", "Category", "Item", "Qty", "Price Point Name", "SKU",
    "Modifiers Applied", "Gross Sales", "Discounts", "Net Sales", "Tax", "Transaction ID",
    "Payment ID", "Device Name", "Notes", "Details", "Event Type", "Location", "Dining Option",
    "Customer ID", "Customer Name", "Customer Reference ID", "Unit", "Count", "GTIN",
    "Itemization Type", "Commission", "Employee", "Fulfillment Note", "Channel", "Token",
    "Card Brand", "PAN Suffix",
)  # fmt: skip

HEADERS: dict[ExportFormat, tuple[str, ...]] = {
    ExportFormat.SHOPIFY: SHOPIFY_HEADER,
    ExportFormat.ETSY_ITEMS: ETSY_ITEMS_HEADER,
    ExportFormat.ETSY_ORDERS: ETSY_ORDERS_HEADER,
    ExportFormat.SQUARE: SQUARE_HEADER,
}

EXTRA_KNOWN: dict[ExportFormat, tuple[str, ...]] = {
    ExportFormat.SQUARE: ("Product Sales",),  # older item exports (2024)
}
"""Columns some versions of an export have that the current header does not."""

REQUIRED: dict[ExportFormat, tuple[str, ...]] = {
    ExportFormat.SHOPIFY: ("Name", "Lineitem quantity", "Lineitem name"),
    ExportFormat.ETSY_ITEMS: ("Sale Date", "Item Name", "Quantity", "Order ID"),
    ExportFormat.ETSY_ORDERS: ("Sale Date", "Order ID", "Number of Items"),
    ExportFormat.SQUARE: ("Date", "Item", "Qty", "Transaction ID"),
}

DESCRIPTIONS: dict[ExportFormat, str] = {
    ExportFormat.SHOPIFY: "Shopify orders export",
    ExportFormat.ETSY_ITEMS: "Etsy EtsySoldOrderItems",
    ExportFormat.ETSY_ORDERS: "Etsy EtsySoldOrders",
    ExportFormat.SQUARE: "Square item sales detail",
}


def known_columns(fmt: ExportFormat) -> tuple[str, ...]:
    return HEADERS[fmt] + EXTRA_KNOWN.get(fmt, ())


def parse_format(name: str | ExportFormat) -> ExportFormat:
    """A `--format` value, with the list of accepted names when it is none of them."""
    try:
        return ExportFormat(str(name).strip().casefold())
    except ValueError:
        names = ", ".join(f.value for f in ExportFormat)
        raise BadImportFile(f"format {name!r} is not known: use one of {names}") from None


def _expected() -> str:
    return "; ".join(f"{DESCRIPTIONS[f]} ({', '.join(REQUIRED[f])})" for f in ExportFormat)


def detect_format(table: Table) -> ExportFormat:
    """Which export the header is; an error naming the expected headers when it is none."""
    for fmt in ExportFormat:
        if not table.missing(REQUIRED[fmt]):
            return fmt
    shown = ", ".join(table.header[:8]) + (", ..." if len(table.header) > 8 else "")
    raise BadImportFile(
        f"the header ({shown}) is not a known order export: expected the columns of {_expected()}"
    )


def check_format(table: Table, fmt: ExportFormat) -> None:
    """The file has what `fmt` cannot do without (when the user named the format)."""
    missing = table.missing(REQUIRED[fmt])
    if missing:
        raise BadImportFile(
            f"this is not a {DESCRIPTIONS[fmt]} file: it has no {', '.join(missing)} column"
            + ("s" if len(missing) > 1 else "")
        )
