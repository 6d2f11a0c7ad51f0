"""Selling: each line names a batch (its lot code) or a product SKU and a quantity.

A SKU takes batches first-expiring-first, and the result lists the batches actually taken: that
list is what a recall needs. Every batch taken becomes its own sale line. The whole order is
planned before anything is written, counting what earlier lines of the same order already took.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tortoise.expressions import Q

from tui.codes.amounts import split_amount
from tui.codes.units import Quantity
from tui.errors import Duplicate, ExpiredLot, InsufficientStock, InvalidInput, LotkeeperError
from tui.services.catalog import clean_text, find_customer, get_station, parse_day
from tui.services.inventory import move
from tui.services.measures import Qty, product_units, read_amount
from tui.store.db import writing
from tui.store.lotcodes import next_order_ref
from tui.store.models import Lot, LotKind, MovementKind, Product, Sale, SaleLine
from tui.store.quantities import fmt_qty, from_milli


@dataclass(frozen=True)
class SoldLine:
    lot: str
    qty: Decimal
    product: str
    """The product's SKU."""


@dataclass(frozen=True)
class Sold:
    order: str
    customer: str
    lines: list[SoldLine]
    channel: str = "direct"
    sold_on: date | None = None


async def _batch_or_product(item: str) -> Lot | Product:
    wanted = clean_text(item, "item", 64)
    locked = Lot.select_for_update()
    lot = await locked.get_or_none(code=wanted) or await locked.get_or_none(code=wanted.upper())
    if lot is not None:
        if lot.kind != LotKind.BATCH:
            raise InvalidInput(f"{lot.code} is a material lot: sell a batch (its lot code) or a product SKU")
        return lot
    product = await Product.get_or_none(sku=wanted) or await Product.get_or_none(sku=wanted.upper())
    if product is None:
        raise InvalidInput(
            f"{wanted!r} is neither a batch lot code nor a product SKU: check the label or scan it again"
        )
    return product


@dataclass(frozen=True)
class PlannedLine:
    """One line as the order stands: the batch it would take, or the reason it cannot."""

    item: str
    """As scanned or typed: a batch lot code or a product SKU."""
    lot: str | None
    qty: Decimal
    sku: str | None
    problem: LotkeeperError | None = None


def _shown_milli(qty: Qty) -> int:
    """The number of a line whose item is unknown, only to show it (its unit cannot be known)."""
    try:
        value = qty.value if isinstance(qty, Quantity) else split_amount(str(qty))[0]
    except InvalidInput:
        return 0
    return int(value * 1000) if abs(value) < 10**12 else 0


async def _plan_item(
    item: str, qty: Qty, day: date, left: dict[int, int]
) -> list[tuple[Lot | None, int, str | None, LotkeeperError | None]]:
    """The batches one line takes; `left` tracks what earlier lines of the order already took.
    The quantity is read in the product's unit (whole pieces for products counted in pcs)."""
    try:
        target = await _batch_or_product(item)
    except LotkeeperError as exc:
        return [(None, _shown_milli(qty), None, exc)]
    what = f"quantity of {item}"
    if isinstance(target, Lot):
        await target.fetch_related("product")
        product = target.product
        assert product is not None
        qty_milli = read_amount(product_units(product), qty, what).milli
        sku = product.sku
        have = left.setdefault(target.id, target.on_hand_milli)
        problem: LotkeeperError | None = None
        if target.expires is not None and target.expires < day:
            problem = ExpiredLot(f"batch {target.code} ({sku}) expired on {target.expires}: do not sell it")
        elif have < qty_milli:
            problem = InsufficientStock(
                f"batch {target.code} ({sku}) has only {fmt_qty(have)} "
                f"{product.unit} left, not {fmt_qty(qty_milli)}"
            )
        elif target.dated > day:
            problem = InvalidInput(
                f"batch {target.code} ({sku}) was made on {target.dated}, after the sale ({day})"
            )
        else:
            left[target.id] = have - qty_milli
        return [(target, qty_milli, sku, problem)]
    qty_milli = read_amount(product_units(target), qty, what).milli
    batches = sorted(
        await Lot.filter(kind=LotKind.BATCH, product_id=target.id, on_hand_milli__gt=0, dated__lte=day)
        .filter(Q(expires__isnull=True) | Q(expires__gte=day))
        .select_for_update(),
        key=lambda lot: (lot.expires is None, lot.expires or date.max, lot.dated, lot.id),
    )
    available = sum(left.setdefault(b.id, b.on_hand_milli) for b in batches)
    if available < qty_milli:
        short = InsufficientStock(
            f"only {fmt_qty(available)} {target.unit} of {target.sku} in stock "
            f"(expired batches not counted), not {fmt_qty(qty_milli)}"
        )
        return [(None, qty_milli, target.sku, short)]
    taken: list[tuple[Lot | None, int, str | None, LotkeeperError | None]] = []
    remaining = qty_milli
    for batch in batches:
        take = min(remaining, left[batch.id])
        if take:
            left[batch.id] -= take
            remaining -= take
            taken.append((batch, take, target.sku, None))
    return taken


async def _plan(
    items: Sequence[tuple[str, Qty]], day: date
) -> list[tuple[str, Lot | None, int, str | None, LotkeeperError | None]]:
    if not items:
        raise InvalidInput("the sale has no lines: give at least one ITEM=QTY")
    left: dict[int, int] = {}
    lines = []
    for item, qty in items:
        lines += [(item, *line) for line in await _plan_item(item, qty, day, left)]
    return lines


async def preview(
    items: Sequence[tuple[str, Qty]], *, sold_on: date | str | None = None
) -> list[PlannedLine]:
    """What `sell` would record for these lines, problems included, writing nothing.

    The Sell screen shows it after every scan: which batch a product barcode takes (first to
    expire), and which line would be refused and why, before the order is confirmed.
    """
    day = parse_day(sold_on, "sale date") or date.today()
    planned = await _plan(items, day)
    return [
        PlannedLine(item, lot.code if lot else None, from_milli(qty), sku, problem)
        for item, lot, qty, sku, problem in planned
    ]


async def sell(
    customer: str,
    items: Sequence[tuple[str, Qty]],
    *,
    order: str | None = None,
    channel: str = "direct",
    station: str = "bench",
    sold_on: date | str | None = None,
) -> Sold:
    """Record an order: each batch taken is a sale line and a `sell` movement, all or nothing."""
    buyer = await find_customer(customer)
    day = parse_day(sold_on, "sale date") or date.today()
    channel_name = clean_text(channel, "channel", 32).lower()
    ref = clean_text(order or "", "order reference", 64, required=False) or None
    async with writing():
        if ref is not None and await Sale.filter(ref=ref).exists():
            raise Duplicate(f"order {ref!r} is already recorded: give another order reference")
        planned = await _plan(items, day)
        problem = next((p for *_, p in planned if p is not None), None)
        if problem is not None:
            raise problem
        lines = [(lot, qty, sku) for _, lot, qty, sku, _ in planned if lot is not None and sku]
        station_row = await get_station(station)
        ref = ref or await next_order_ref(day)
        sale = await Sale.create(
            ref=ref, customer=buyer, channel=channel_name, sold_on=day, station=station_row
        )
        for batch, qty_milli, _ in lines:
            await SaleLine.create(sale=sale, lot=batch, qty_milli=qty_milli)
            await move(batch, MovementKind.SELL, -qty_milli, station=station_row, ref=ref)
    return Sold(
        order=ref,
        customer=buyer.name,
        lines=[SoldLine(b.code, from_milli(q), sku) for b, q, sku in lines],
        channel=channel_name,
        sold_on=day,
    )
