"""What a recall pack holds: one row per unit shipped, the upstream lots, and totals per lot.

The rows follow the FDA's FSMA 204 "electronic sortable spreadsheet": one line per shipment of
a traceability lot, with the lot code, product, quantity and unit, dates, and who received it.
A row is a NamedTuple: a recall can reach 100,000 of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple


class PackRow(NamedTuple):
    """One sale line: units of one traceability lot that went to one customer in one order."""

    lot: str
    product: str
    sku: str
    gtin: str
    qty: Decimal
    unit: str
    made: date | None
    best_before: date | None
    order: str
    channel: str
    shipped: date | None
    customer: str
    email: str
    phone: str
    address: str
    customer_id: int | None = None
    """Who to write to (names are not unique); None: a walk-in sale, no one to contact."""


COLUMNS: tuple[tuple[str, str], ...] = (
    ("lot", "Traceability lot code"),
    ("product", "Product description"),
    ("sku", "SKU"),
    ("gtin", "GTIN"),
    ("qty", "Quantity"),
    ("unit", "Unit of measure"),
    ("made", "Made on"),
    ("best_before", "Best before"),
    ("order", "Order"),
    ("channel", "Channel"),
    ("shipped", "Ship or sale date"),
    ("customer", "Customer"),
    ("email", "E-mail"),
    ("phone", "Phone"),
    ("address", "Address"),
)
"""(JSON key, spreadsheet heading) in column order; the JSON keys are the CLI contract."""

KEYS = tuple(key for key, _ in COLUMNS)
HEADINGS = tuple(heading for _, heading in COLUMNS)


class UpstreamLot(NamedTuple):
    """A lot that went into the recalled one, `depth` steps up (1: used directly)."""

    depth: int
    code: str
    kind: str
    """`material_lot` or `batch`."""
    item: str
    qty: Decimal | None
    """How much of it reached the recalled lot, in `unit`."""
    unit: str
    dated: date | None
    supplier: str
    supplier_lot: str


@dataclass(frozen=True)
class LotTotals:
    """Where every unit of one affected lot went: made = shipped + used + wasted - adjusted + on hand."""

    lot: str
    item: str
    unit: str
    made: Decimal
    shipped: Decimal
    used: Decimal
    """Consumed by other batches (their rows are the batches' own)."""
    wasted: Decimal
    adjusted: Decimal
    """Counts, adjustments and returns together (positive: found more than the ledger said)."""
    on_hand: Decimal


@dataclass(frozen=True)
class RecallPack:
    code: str
    kind: str
    """`material_lot` or `batch`."""
    item: str
    dated: date | None
    supplier: str
    supplier_lot: str
    rows: Sequence[PackRow]
    """Sorted by ship date, then order, then lot."""
    upstream: tuple[UpstreamLot, ...]
    totals: tuple[LotTotals, ...]


@dataclass(frozen=True)
class Maker:
    """Who signs the notices (`[maker]` in the config)."""

    name: str
    address: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Notice:
    """One affected customer and the units they received."""

    customer: str
    email: str
    phone: str
    address: str
    rows: tuple[PackRow, ...]


def notices(pack: RecallPack) -> list[Notice]:
    """One notice per customer on record (walk-in sales have no one to write to), by name."""
    mine: dict[int, list[PackRow]] = {}
    for row in pack.rows:
        if row.customer_id is not None:
            mine.setdefault(row.customer_id, []).append(row)
    found = [
        Notice(rows[0].customer, rows[0].email, rows[0].phone, rows[0].address, tuple(rows))
        for rows in mine.values()
    ]
    found.sort(key=lambda notice: (notice.customer.casefold(), notice.email))
    return found


def safe_name(text: str, limit: int = 40) -> str:
    """`text` as a file name that any file system takes (letters of any script kept)."""
    return re.sub(r"[^\w.-]+", "_", text).strip("._")[:limit] or "customer"


def _text(value: object) -> object:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def pack_json(pack: RecallPack) -> dict[str, object]:
    """The pack as the CLI's `--json` gives it: quantities as text, dates as ISO text."""
    return {
        "code": pack.code,
        "kind": pack.kind,
        "item": pack.item,
        "dated": _text(pack.dated),
        "supplier": pack.supplier or None,
        "supplier_lot": pack.supplier_lot or None,
        "upstream": [{key: _text(value) for key, value in lot._asdict().items()} for lot in pack.upstream],
        "totals": [{key: _text(getattr(t, key)) for key in t.__dataclass_fields__} for t in pack.totals],
        "rows": [dict(zip(KEYS, map(_text, row), strict=False)) for row in pack.rows],
    }
