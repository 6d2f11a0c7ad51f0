"""Orders as the store holds them, in the mutable form an import works on before it writes.

`LineState` and `OrderState` are an order line and an order as the import will leave them: read
from the store (`id` set) or to be added (`id` None, or `new`); each remembers which of its
fields changed (`dirty`), so only those are written back. `load_orders` reads the stored ones a
file names, with what is already packed of each line, in a handful of queries.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from tui.imports import Refund
from tui.store.bulk import fetch_in

MILLI, CENT = Decimal(1000), Decimal("0.01")
REF, SKU, NAME, STATUS = 64, 64, 255, 64
"""Column lengths (PostgreSQL refuses longer values)."""

_SALES = (
    "SELECT id, ref, channel, customer_id, sold_on, placed_at, channel_id, cancelled, channel_status,"
    " refund, refunded_cents, total_cents, currency, ship_to FROM sale WHERE {where}"
)
_LINES = (
    "SELECT ol.id, ol.sale_id, ol.position, ol.sku, ol.name, ol.qty_milli, ol.cancelled_milli,"
    " ol.line_ref, ol.variant, ol.amount_cents, ol.provisional,"
    " COALESCE((SELECT SUM(sl.qty_milli) FROM sale_line sl WHERE sl.order_line_id = ol.id), 0)"
    " FROM order_line ol WHERE ol.sale_id IN ({ids}) ORDER BY ol.position, ol.id"
)
_PAYMENTS = "SELECT payment_id, sale_id FROM order_payment WHERE payment_id IN ({ids})"
_REFUNDS = (
    "SELECT id, ref, sale_id, payment_id, amount_cents, cancels_units, lines, placed_on"
    " FROM order_refund WHERE channel = $1 AND {where}"
)


class NotTaken(ValueError):
    """An order the store cannot take as the file has it; the message is the row's reason."""


def milli(qty: Decimal, what: str) -> int:
    scaled = qty * MILLI
    if scaled != scaled.to_integral_value():
        raise NotTaken(f"{what} {qty} has more than 3 decimal places")
    return int(scaled)


def cents(amount: Decimal | None) -> int | None:
    return None if amount is None else int((amount / CENT).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def fits(value: str | None, length: int, what: str) -> str | None:
    if value is not None and len(value) > length:
        raise NotTaken(f"{what} is longer than {length} characters")
    return value


@dataclass(eq=False)
class LineState:
    """An order line as the import leaves it: stored (`id`) or to be added (`id` None)."""

    id: int | None
    position: int
    sku: str | None
    name: str
    qty_milli: int
    cancelled_milli: int = 0
    packed_milli: int = 0
    line_ref: str | None = None
    variant: str | None = None
    amount_cents: int | None = None
    provisional: bool = False
    row: int | None = None
    dirty: set[str] = field(default_factory=set)

    def set(self, name: str, value: Any) -> None:
        if getattr(self, name) != value:
            setattr(self, name, value)
            self.dirty.add(name)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.sku.casefold() if self.sku else None, self.name.casefold())


@dataclass(eq=False)
class OrderState:
    """An order as the import leaves it: stored (`id`) or to be added (`id` None)."""

    id: int | None
    ref: str
    channel: str
    customer: int | None
    """A customer key of `CustomerBook` (stored id, or negative for one this import adds)."""
    sold_on: date
    placed_at: datetime | str | None = None
    channel_id: str | None = None
    cancelled: bool = False
    channel_status: str | None = None
    refund: str = "none"
    refunded_cents: int | None = None
    total_cents: int | None = None
    currency: str | None = None
    ship_to: str | None = None
    lines: list[LineState] = field(default_factory=list)
    rows: tuple[int, ...] = ()
    payments: list[str] = field(default_factory=list)
    """Payment ids to record for this order (Square)."""
    deleted: list[int] = field(default_factory=list)
    """Stored provisional lines the real lines replace."""
    lines_added: int = 0
    new: bool = False
    """Seen for the first time: written whole (its `id` is reserved just before)."""
    dirty: set[str] = field(default_factory=set)

    def set(self, name: str, value: Any) -> None:
        if getattr(self, name) != value:
            setattr(self, name, value)
            self.dirty.add(name)

    def fill(self, name: str, value: Any) -> None:
        """Set a detail the store does not have yet; a stored one stays."""
        if value is not None and getattr(self, name) is None:
            self.set(name, value)

    @property
    def changed(self) -> bool:
        return bool(
            self.dirty
            or self.deleted
            or self.payments
            or any(line.id is None or line.dirty for line in self.lines)
        )

    def next_position(self) -> int:
        return max((line.position for line in self.lines), default=0) + 1


@dataclass(eq=False)
class RefundPlan:
    """A refund transaction (Square): new (`id` None), or stored and waiting for its sale."""

    id: int | None
    ref: str
    payment_id: str | None
    amount_cents: int | None
    cancels_units: bool
    lines: list[dict[str, str | None]]
    placed_on: date | None
    rows: tuple[int, ...] = ()
    order: OrderState | None = None
    linked: bool = False
    """Stored and already applied to its sale: nothing more to do."""


def refund_lines(refund: Refund) -> list[dict[str, str | None]]:
    return [{"sku": line.sku, "name": line.name, "qty": format(line.qty, "f")} for line in refund.lines]


def is_transaction(refund: Refund) -> bool:
    """A refund with an id of its own (Square), not a status of its order (Shopify, Etsy)."""
    return refund.reference != refund.order_reference


async def load_orders(refs: Iterable[str], ids: Iterable[int] = ()) -> dict[str, OrderState]:
    """The stored orders with these references or ids, lines and packed quantities included."""
    rows = await fetch_in(_SALES.format(where="ref IN ({ids})"), list(dict.fromkeys(refs)))
    rows += await fetch_in(_SALES.format(where="id IN ({ids})"), list(dict.fromkeys(ids)))
    orders: dict[int, OrderState] = {}
    for sid, ref, channel, customer, sold_on, placed_at, channel_id, cancelled, *rest in rows:
        status, refund, refunded, total, currency, ship_to = rest
        orders[int(sid)] = OrderState(
            int(sid), ref, channel, customer, sold_on, placed_at, channel_id, bool(cancelled),
            status, refund, refunded, total, currency, ship_to,
        )  # fmt: skip
    for (
        lid,
        sid,
        position,
        sku,
        name,
        qty,
        cancelled,
        line_ref,
        variant,
        amount,
        provisional,
        packed,
    ) in await fetch_in(_LINES, list(orders)):
        orders[int(sid)].lines.append(
            LineState(
                int(lid),
                position,
                sku,
                name,
                int(qty),
                int(cancelled),
                int(packed),
                line_ref,
                variant,
                amount,
                bool(provisional),
            )
        )
    return {order.ref: order for order in orders.values()}


async def sales_of_payments(payment_ids: Iterable[str]) -> dict[str, int]:
    return {p: int(s) for p, s in await fetch_in(_PAYMENTS, list(dict.fromkeys(payment_ids)))}


async def stored_refunds(channel: str, refs: Iterable[str], payment_ids: Iterable[str]) -> list[RefundPlan]:
    """Refunds already stored with these ids, and those waiting for a sale with these payments."""
    found = await fetch_in(_REFUNDS.format(where="ref IN ({ids})"), list(refs), channel)
    found += await fetch_in(
        _REFUNDS.format(where="sale_id IS NULL AND payment_id IN ({ids})"), list(payment_ids), channel
    )
    plans: dict[int, RefundPlan] = {}
    for rid, ref, sale_id, payment, amount, cancels, lines, placed_on in found:
        plans[int(rid)] = RefundPlan(
            int(rid), ref, payment, amount, bool(cancels), _json(lines), placed_on, linked=sale_id is not None
        )
    return list(plans.values())


def _json(value: Any) -> list[dict[str, str | None]]:
    return json.loads(value) if isinstance(value, str) else list(value or [])
