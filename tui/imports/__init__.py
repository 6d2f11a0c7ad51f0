"""Reading what makers already have: order exports from Shopify, Etsy and Square, and the
spreadsheets a new user starts from (materials, products, customers, stock).

Pure: text in, typed records and per-row problems out. No database, no Textual; the store step
decides what is new, what changed and what to write, and `admit` decides whether a file with bad
rows may be imported at all. Row numbers are the ones a spreadsheet shows (the header is row 1).
"""

from tui.imports.decision import Admission, ImportOptions, ImportRefused, admit
from tui.imports.formats import HEADERS, detect_format, parse_format
from tui.imports.orders import parse_orders
from tui.imports.records import (
    Address,
    Channel,
    ChannelOrder,
    Customer,
    ExportFormat,
    OrderLine,
    OrderStatus,
    ParsedOrders,
    Problem,
    Recipient,
    Refund,
    RefundLine,
    RefundState,
)
from tui.imports.starting import (
    CustomerRow,
    MaterialRow,
    ParsedRows,
    ProductRow,
    RecipeItem,
    StartingKind,
    StockRow,
    parse_customers,
    parse_materials,
    parse_products,
    parse_recipe,
    parse_stock,
)
from tui.imports.table import BadImportFile, Table, decode, read_text_file
from tui.imports.values import CellError

__all__ = [
    "HEADERS",
    "Address",
    "Admission",
    "BadImportFile",
    "CellError",
    "Channel",
    "ChannelOrder",
    "Customer",
    "CustomerRow",
    "ExportFormat",
    "ImportOptions",
    "ImportRefused",
    "MaterialRow",
    "OrderLine",
    "OrderStatus",
    "ParsedOrders",
    "ParsedRows",
    "Problem",
    "ProductRow",
    "RecipeItem",
    "Recipient",
    "Refund",
    "RefundLine",
    "RefundState",
    "StartingKind",
    "StockRow",
    "Table",
    "admit",
    "decode",
    "detect_format",
    "parse_customers",
    "parse_format",
    "parse_materials",
    "parse_orders",
    "parse_products",
    "parse_recipe",
    "parse_stock",
    "read_text_file",
]
