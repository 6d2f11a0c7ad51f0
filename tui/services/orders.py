"""Orders as the packing bench sees them: what each one asks for, what is packed, what is left.

An imported order's lines (`order_line`) say what was bought; the batches that filled them are
its sale lines. What is still open on a line is what it asks for, less the units refunded
before they shipped and the units packed; a line without a SKU needs no lot. An order recorded
at the bench (`lotkeeper sell`) has no order lines: its batches are its lines, all packed.

Status, from the lines: `cancelled` (the channel cancelled it, or every unit was refunded before
anything was packed), `open` (nothing packed yet), `partly_packed`, `packed` (nothing open).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from tui.errors import NotFound
from tui.store.bulk import fetch_in
from tui.store.quantities import from_milli
from tui.store.sql import as_date, fetch


class PackStatus(StrEnum):
    OPEN = "open"
    PARTLY_PACKED = "partly_packed"
    PACKED = "packed"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class PackedLot:
    lot: str
    qty: Decimal


@dataclass(frozen=True, slots=True)
class OrderLineView:
    position: int
    sku: str | None
    name: str
    qty: Decimal
    open: Decimal
    """Still to pack: 0 for a line that needs no lot, a cancelled order, refunded units."""
    lots: tuple[PackedLot, ...]
    product: str | None
    """The SKU of the product the line's SKU names (any case); None if no product has it yet."""
    cancelled: Decimal = Decimal(0)
    variant: str | None = None

    @property
    def needs_lot(self) -> bool:
        return self.sku is not None


@dataclass(frozen=True, slots=True)
class OrderView:
    order: str
    """The reference the maker knows (Shopify #1006, Etsy Order ID, Square Transaction ID)."""
    channel: str
    customer: str | None
    """None for a walk-in sale."""
    email: str | None
    phone: str | None
    status: PackStatus
    sold_on: date | None
    lines: tuple[OrderLineView, ...]
    channel_status: str | None = None
    ship_to: str | None = None
    placed_at: datetime | str | None = None

    @property
    def open(self) -> Decimal:
        return sum((line.open for line in self.lines), Decimal(0))

    def to_json(self) -> dict[str, Any]:
        """One entry of `lotkeeper orders --json` (keys are a public contract)."""
        return {
            "order": self.order,
            "channel": self.channel,
            "customer": self.customer,
            "email": self.email,
            "status": self.status.value,
            "sold_on": self.sold_on,
            "lines": [
                {
                    "sku": line.sku,
                    "name": line.name,
                    "qty": line.qty,
                    "open": line.open,
                    "lots": [{"lot": p.lot, "qty": p.qty} for p in line.lots],
                }
                for line in self.lines
            ],
        }


_PACKED = (
    "(SELECT order_line_id AS id, SUM(qty_milli) AS qty FROM sale_line"
    " WHERE order_line_id IS NOT NULL GROUP BY order_line_id)"
)
_OPEN_ORDERS = f"""
SELECT DISTINCT ol.sale_id FROM order_line ol
JOIN sale s ON s.id = ol.sale_id
LEFT JOIN {_PACKED} p ON p.id = ol.id
WHERE NOT s.cancelled AND ol.sku IS NOT NULL AND ol.qty_milli > ol.cancelled_milli + COALESCE(p.qty, 0)
"""
_COUNT_OPEN = f"SELECT COUNT(*) FROM ({_OPEN_ORDERS}) o"
_SALES = """
SELECT s.id, s.ref, s.channel, c.name, c.email, c.phone, s.cancelled, s.sold_on, s.channel_status,
       s.ship_to, s.placed_at
FROM sale s LEFT JOIN customer c ON c.id = s.customer_id
"""
_NEWEST_FIRST = " ORDER BY s.sold_on DESC, COALESCE(s.placed_at, s.created_at) DESC, s.id DESC"
_LINES = """
SELECT sale_id, id, position, sku, name, qty_milli, cancelled_milli, variant
FROM order_line WHERE sale_id IN ({ids}) ORDER BY position, id
"""
_SOLD = """
SELECT sl.sale_id, sl.order_line_id, l.code, sl.qty_milli, p.sku, p.name
FROM sale_line sl JOIN lot l ON l.id = sl.lot_id JOIN product p ON p.id = l.product_id
WHERE sl.sale_id IN ({ids}) ORDER BY sl.id
"""
_PRODUCTS = "SELECT sku FROM product"
_FIND = "SELECT id FROM sale WHERE {column} = $1"


async def orders_to_pack() -> int:
    """How many orders still have something to pack (the Home screen's "N orders to pack")."""
    ((count,),) = await fetch(_COUNT_OPEN)
    return int(count)


async def list_orders(*, open_only: bool = False, limit: int | None = None) -> list[OrderView]:
    """Orders newest first; `open_only`: those with something left to pack."""
    sql = _SALES
    if open_only:
        sql += f" WHERE s.id IN ({_OPEN_ORDERS})"
    sql += _NEWEST_FIRST
    if limit is not None:
        sql += f" LIMIT {max(int(limit), 0)}"
    return await _views(await fetch(sql))


async def get_order(sale_id: int) -> OrderView:
    rows = await fetch(_SALES + " WHERE s.id = $1", sale_id)
    if not rows:
        raise NotFound(f"no order with id {sale_id}")
    return (await _views(rows))[0]


async def find_order(text: str) -> OrderView:
    """The order a typed or scanned reference means.

    Besides the reference itself (any case), a packing slip's number is understood: Shopify's
    `#1006` scanned or typed as `1006`, and a channel's own order id (Shopify `Id`).
    """
    return await get_order(await order_id(text))


async def order_id(text: str) -> int:
    wanted = " ".join(text.split())
    if not wanted:
        raise NotFound("no order given: scan the packing slip or type the order number")
    tries = [wanted, wanted.upper(), f"#{wanted}", wanted.lstrip("#")]
    for candidate in dict.fromkeys(tries):
        for column in ("ref", "channel_id"):
            found = await fetch(_FIND.format(column=column), candidate[:64])
            if len(found) == 1:
                return int(found[0][0])
    raise NotFound(
        f"no order {wanted!r}: check the number on the packing slip, or import the orders first "
        "(`lotkeeper orders` lists them)"
    )


async def _views(rows: Sequence[Sequence[Any]]) -> list[OrderView]:
    ids = [int(row[0]) for row in rows]
    products = {str(sku).casefold(): str(sku) for (sku,) in await fetch(_PRODUCTS)}
    lines: dict[int, list[Sequence[Any]]] = defaultdict(list)
    for row in await fetch_in(_LINES, ids):
        lines[int(row[0])].append(row)
    sold: dict[int, list[Sequence[Any]]] = defaultdict(list)
    for row in await fetch_in(_SOLD, ids):
        sold[int(row[0])].append(row)
    return [_view(row, lines[int(row[0])], sold[int(row[0])], products) for row in rows]


def _view(
    row: Sequence[Any], lines: list[Sequence[Any]], sold: list[Sequence[Any]], products: dict[str, str]
) -> OrderView:
    _, ref, channel, name, email, phone, cancelled, sold_on, status, ship_to, placed_at = row
    views = _bench_lines(sold) if not lines else _order_lines(lines, sold, bool(cancelled), products)
    return OrderView(
        order=ref,
        channel=channel,
        customer=name,
        email=email,
        phone=phone,
        status=_status(bool(cancelled), views, has_order_lines=bool(lines)),
        sold_on=as_date(sold_on),
        lines=tuple(views),
        channel_status=status,
        ship_to=ship_to,
        placed_at=placed_at,
    )


def _order_lines(
    lines: list[Sequence[Any]], sold: list[Sequence[Any]], cancelled: bool, products: dict[str, str]
) -> list[OrderLineView]:
    lots: dict[int, dict[str, int]] = defaultdict(dict)
    for _, line_id, code, qty, _, _ in sold:
        if line_id is not None:
            packed = lots[int(line_id)]
            packed[code] = packed.get(code, 0) + int(qty)
    views = []
    for _, lid, position, sku, name, qty, refunded, variant in lines:
        packed = lots.get(int(lid), {})
        left = int(qty) - int(refunded) - sum(packed.values())
        open_milli = 0 if sku is None or cancelled else max(left, 0)
        views.append(
            OrderLineView(
                position=int(position),
                sku=sku,
                name=name,
                qty=from_milli(int(qty)),
                open=from_milli(open_milli),
                lots=tuple(PackedLot(code, from_milli(q)) for code, q in packed.items()),
                product=products.get(sku.casefold()) if sku else None,
                cancelled=from_milli(int(refunded)),
                variant=variant,
            )
        )
    return views


def _bench_lines(sold: list[Sequence[Any]]) -> list[OrderLineView]:
    """A sale recorded at the bench: one line per product, its batches as packed lots."""
    by_sku: dict[str, tuple[str, dict[str, int]]] = {}
    for _, _, code, qty, sku, name in sold:
        lots = by_sku.setdefault(sku, (name, {}))[1]
        lots[code] = lots.get(code, 0) + int(qty)
    return [
        OrderLineView(
            position=i,
            sku=sku,
            name=name,
            qty=from_milli(sum(lots.values())),
            open=Decimal(0),
            lots=tuple(PackedLot(code, from_milli(q)) for code, q in lots.items()),
            product=sku,
        )
        for i, (sku, (name, lots)) in enumerate(by_sku.items(), 1)
    ]


def _status(cancelled: bool, lines: list[OrderLineView], *, has_order_lines: bool) -> PackStatus:
    if cancelled:
        return PackStatus.CANCELLED
    if not has_order_lines:
        return PackStatus.PACKED
    packed = any(line.lots for line in lines)
    if any(line.open for line in lines):
        return PackStatus.PARTLY_PACKED if packed else PackStatus.OPEN
    refunded_all = any(line.needs_lot for line in lines) and all(
        line.cancelled >= line.qty for line in lines if line.needs_lot
    )
    return PackStatus.CANCELLED if refunded_all and not packed else PackStatus.PACKED
