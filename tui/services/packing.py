"""Packing an imported order: every unit that goes in the box is tied to the batch it came from.

A scanned batch fills the order's first open line of the batch's product; a SKU takes batches
first-expiring-first; `fefo` does that for every open line. Refused, with nothing written: an
order that is cancelled or has nothing of that product left to pack, more than is open, a batch
of a product the order does not have, an expired batch, not enough stock. A line whose SKU no
product has yet is left open by `fefo` and said so: it becomes packable when the product exists.

`plan_pack` is the same check without writing: the Pack screen calls it after every scan to
show which line the jar fills, or why it is refused, before DONE records it with `pack`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tortoise.expressions import Q

from tui.codes.amounts import ItemUnits
from tui.errors import ExpiredLot, InsufficientStock, InvalidInput, NotFound
from tui.services.catalog import clean_text, get_station
from tui.services.inventory import move
from tui.services.measures import Qty, density_value, read_amount
from tui.services.orders import PackedLot, PackStatus, get_order, order_id
from tui.store.db import writing
from tui.store.models import Lot, LotKind, MovementKind, Sale, SaleLine
from tui.store.quantities import fmt_qty, from_milli
from tui.store.sql import fetch

_ORDER = """
SELECT s.id, s.ref, s.cancelled, c.name FROM sale s LEFT JOIN customer c ON c.id = s.customer_id
WHERE s.id = $1
"""
_LINES = """
SELECT ol.id, ol.position, ol.sku, ol.name, ol.qty_milli - ol.cancelled_milli
       - COALESCE((SELECT SUM(sl.qty_milli) FROM sale_line sl WHERE sl.order_line_id = ol.id), 0)
FROM order_line ol WHERE ol.sale_id = $1 ORDER BY ol.position, ol.id
"""
_PRODUCTS = "SELECT id, sku, name, unit, density_micro FROM product"


@dataclass(frozen=True, slots=True)
class PackLine:
    """Units of one batch filling one line of the order."""

    item: str
    """As scanned or typed (a lot code or a SKU); the SKU when `fefo` chose the batch."""
    lot: str
    qty: Decimal
    sku: str
    position: int
    """The order line it fills (1, 2, ...)."""
    name: str
    """The order line's name, as the channel wrote it."""


@dataclass(frozen=True, slots=True)
class LeftOpen:
    position: int
    sku: str
    name: str
    qty: Decimal
    reason: str


@dataclass(frozen=True)
class PackPlan:
    order: str
    customer: str | None
    lines: tuple[PackLine, ...]
    left_open: tuple[LeftOpen, ...] = ()
    """Lines `fefo` could not pack because no product has their SKU yet."""


@dataclass(frozen=True)
class Packed:
    order: str
    customer: str | None
    lines: tuple[PackedLot, ...]
    """Each batch packed now and how much of it, in the order first packed."""
    detail: tuple[PackLine, ...]
    left_open: tuple[LeftOpen, ...]
    status: PackStatus

    def to_json(self) -> dict[str, Any]:
        """The `lotkeeper pack --json` document (keys are a public contract)."""
        return {
            "order": self.order,
            "customer": self.customer,
            "status": self.status.value,
            "lines": [{"lot": p.lot, "qty": p.qty} for p in self.lines],
            "left_open": [
                {"sku": o.sku, "name": o.name, "qty": o.qty, "reason": o.reason} for o in self.left_open
            ],
        }


@dataclass(frozen=True, slots=True)
class _Product:
    id: int
    sku: str
    name: str
    unit: str
    units: ItemUnits
    """How a quantity of it may be given (its unit, whole pieces)."""


@dataclass(eq=False)
class _Line:
    id: int
    position: int
    sku: str | None
    name: str
    open: int
    product: _Product | None


@dataclass(frozen=True, slots=True)
class _Take:
    item: str
    lot: Lot
    line: _Line
    qty: int


class _Packer:
    """One order being packed: what each line still needs, what each batch still has."""

    def __init__(self, ref: str, lines: list[_Line], products: dict[str, _Product], day: date) -> None:
        self.ref, self.lines, self.products, self.day = ref, lines, products, day
        self.left: dict[int, int] = {}
        self.takes: list[_Take] = []

    def lines_of(self, product: _Product) -> list[_Line]:
        return [line for line in self.lines if line.product is not None and line.product.id == product.id]

    def room(self, product: _Product, qty: int, batch: str | None) -> list[_Line]:
        """The order's lines of `product`, if they have `qty` left to pack; `batch` when scanned."""
        lines = self.lines_of(product)
        if not lines:
            if batch is not None:
                raise InvalidInput(
                    f"batch {batch} is {product.sku} ({product.name}), which order {self.ref} does "
                    "not have: it belongs in another order"
                )
            raise InvalidInput(f"order {self.ref} has no {product.sku} ({product.name}): check the SKU")
        open_ = sum(line.open for line in lines)
        if open_ == 0:
            raise InvalidInput(f"order {self.ref} has no {product.sku} left to pack: it is all packed")
        if open_ < qty:
            raise InvalidInput(
                f"order {self.ref} has only {fmt_qty(open_)} {product.unit} of {product.sku} left to "
                f"pack, not {fmt_qty(qty)}"
            )
        return lines

    def fill(self, item: str, lot: Lot, lines: list[_Line], qty: int) -> None:
        for line in lines:
            take = min(qty, line.open)
            if take:
                line.open -= take
                qty -= take
                self.takes.append(_Take(item, lot, line, take))

    def batch(self, item: str, lot: Lot, product: _Product, qty: int) -> None:
        lines = self.room(product, qty, lot.code)
        have = self.left.setdefault(lot.id, lot.on_hand_milli)
        if lot.expires is not None and lot.expires < self.day:
            raise ExpiredLot(f"batch {lot.code} ({product.sku}) expired on {lot.expires}: do not ship it")
        if lot.dated > self.day:
            raise InvalidInput(
                f"batch {lot.code} ({product.sku}) is dated {lot.dated}, after today ({self.day})"
            )
        if have < qty:
            raise InsufficientStock(
                f"batch {lot.code} ({product.sku}) has only {fmt_qty(have)} {product.unit} left, "
                f"not {fmt_qty(qty)}"
            )
        self.left[lot.id] = have - qty
        self.fill(item, lot, lines, qty)

    async def first_expiring(self, item: str, product: _Product, qty: int, *, lock: bool) -> None:
        lines = self.room(product, qty, None)
        query = Lot.filter(
            kind=LotKind.BATCH, product_id=product.id, on_hand_milli__gt=0, dated__lte=self.day
        ).filter(Q(expires__isnull=True) | Q(expires__gte=self.day))
        batches = sorted(
            await (query.select_for_update() if lock else query),
            key=lambda lot: (lot.expires is None, lot.expires or date.max, lot.dated, lot.id),
        )
        available = sum(self.left.setdefault(b.id, b.on_hand_milli) for b in batches)
        if available < qty:
            raise InsufficientStock(
                f"only {fmt_qty(available)} {product.unit} of {product.sku} in stock "
                f"(expired batches not counted), not {fmt_qty(qty)}: make a batch first"
            )
        for lot in batches:
            take = min(qty, self.left[lot.id])
            if take:
                self.left[lot.id] -= take
                qty -= take
                self.fill(item, lot, lines, take)


async def plan_pack(
    order: str,
    items: Sequence[tuple[str, Qty]] = (),
    *,
    fefo: bool = False,
    packed_on: date | None = None,
) -> PackPlan:
    """What `pack` would record, writing nothing; raises the refusal `pack` would give."""
    plan, _, _ = await _plan(order, items, fefo=fefo, day=packed_on or date.today(), lock=False)
    return plan


async def pack(
    order: str,
    items: Sequence[tuple[str, Qty]] = (),
    *,
    fefo: bool = False,
    station: str = "bench",
    packed_on: date | None = None,
) -> Packed:
    """Tie units of an imported order to batches: one sale line and one `sell` movement each."""
    async with writing():
        plan, sale_id, takes = await _plan(order, items, fefo=fefo, day=packed_on or date.today(), lock=True)
        station_row = await get_station(station)
        for take in takes:
            await SaleLine.create(
                sale_id=sale_id, lot=take.lot, qty_milli=take.qty, order_line_id=take.line.id
            )
            await move(take.lot, MovementKind.SELL, -take.qty, station=station_row, ref=plan.order)
    merged: dict[str, Decimal] = {}
    for line in plan.lines:
        merged[line.lot] = merged.get(line.lot, Decimal(0)) + line.qty
    status = (await get_order(sale_id)).status
    return Packed(
        plan.order,
        plan.customer,
        tuple(PackedLot(lot, qty) for lot, qty in merged.items()),
        plan.lines,
        plan.left_open,
        status,
    )


async def _plan(
    order: str, items: Sequence[tuple[str, Qty]], *, fefo: bool, day: date, lock: bool
) -> tuple[PackPlan, int, list[_Take]]:
    sale_id = await order_id(order)
    if lock:
        await Sale.filter(id=sale_id).select_for_update().first()  # one packer per order at a time
    ((_, ref, cancelled, customer),) = await fetch(_ORDER, sale_id)
    if bool(cancelled):
        raise InvalidInput(f"order {ref} is cancelled: nothing of it is to be packed")
    products = {
        str(sku).casefold(): _Product(int(i), sku, name, unit, ItemUnits.of(sku, unit, density_value(d)))
        for i, sku, name, unit, d in await fetch(_PRODUCTS)
    }
    lines = [
        _Line(
            int(lid),
            int(pos),
            sku,
            name,
            max(int(left), 0) if sku else 0,
            products.get(sku.casefold()) if sku else None,
        )
        for lid, pos, sku, name, left in await fetch(_LINES, sale_id)
    ]
    if not lines:
        raise InvalidInput(
            f"order {ref} was recorded at the bench with its batches: there is nothing to pack"
        )
    if not items and not fefo:
        raise InvalidInput("say what goes in the box: ITEM=QTY (a batch lot code or a SKU), or --fefo")
    packer = _Packer(ref, lines, products, day)
    for item, qty in items:
        await _pack_item(packer, item, qty, lock=lock)
    left_open = await _pack_rest(packer, lock=lock) if fefo else []
    if not packer.takes:
        raise InvalidInput(_nothing_packed(ref, left_open))
    plan = PackPlan(
        ref,
        customer,
        tuple(
            PackLine(
                t.item,
                t.lot.code,
                from_milli(t.qty),
                t.line.product.sku if t.line.product else "",
                t.line.position,
                t.line.name,
            )
            for t in packer.takes
        ),
        tuple(left_open),
    )
    return plan, sale_id, packer.takes


async def _pack_item(packer: _Packer, item: str, qty: Qty, *, lock: bool) -> None:
    """Units and whole pieces are the product's own rule, read once the item is known."""
    what = f"quantity of {item}"
    wanted = clean_text(item, "item", 64)
    lots = Lot.select_for_update() if lock else Lot.all()
    lot = await lots.get_or_none(code=wanted) or await lots.get_or_none(code=wanted.upper())
    if lot is not None:
        if lot.kind != LotKind.BATCH or lot.product_id is None:  # type: ignore[attr-defined]
            raise InvalidInput(
                f"{lot.code} is a material lot: scan the batch label on the jar, or give a SKU"
            )
        made_of = next(p for p in packer.products.values() if p.id == lot.product_id)  # type: ignore[attr-defined]
        packer.batch(wanted, lot, made_of, read_amount(made_of.units, qty, what).milli)
        return
    product = packer.products.get(wanted.casefold())
    if product is not None:
        qty_milli = read_amount(product.units, qty, what).milli
        await packer.first_expiring(wanted, product, qty_milli, lock=lock)
        return
    if any(line.sku and line.sku.casefold() == wanted.casefold() for line in packer.lines):
        raise NotFound(
            f"order {packer.ref} has {wanted}, but no product has that SKU yet: add the product "
            f"(`lotkeeper product add NAME --sku {wanted}`) and make a batch, then pack it"
        )
    raise NotFound(
        f"{wanted!r} is neither a batch lot code nor a product SKU: check the label or scan it again"
    )


async def _pack_rest(packer: _Packer, *, lock: bool) -> list[LeftOpen]:
    """`fefo`: every open line first-expiring-first; lines of unknown SKUs stay open."""
    left_open = []
    for line in packer.lines:
        if line.open <= 0 or line.sku is None:
            continue
        if line.product is None:
            reason = f"no product has SKU {line.sku} yet"
            left_open.append(LeftOpen(line.position, line.sku, line.name, from_milli(line.open), reason))
            continue
        await packer.first_expiring(line.product.sku, line.product, line.open, lock=lock)
    return left_open


def _nothing_packed(ref: str, left_open: list[LeftOpen]) -> str:
    if left_open:
        skus = ", ".join(sorted({o.sku for o in left_open}))
        return f"order {ref}: nothing could be packed, no product has SKU {skus} yet: add the product first"
    return f"order {ref} has nothing left to pack"
