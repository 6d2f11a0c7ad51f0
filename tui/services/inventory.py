"""Receiving material, correcting stock, and reading what is on the shelf.

Every quantity change goes through `move()`: it writes the ledger row (`Movement`) and updates
the lot's cached on-hand in the same transaction, and the update is conditional on enough being
there, so two stations taking from one lot can never drive it below zero.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Sequence
from contextlib import aclosing
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple, cast

from tortoise.expressions import F, Q
from tortoise.functions import Sum

from tui.codes.amounts import ItemUnits
from tui.codes.lotcode import abbreviate
from tui.config import CodesConfig
from tui.errors import InsufficientStock, InvalidInput
from tui.services.catalog import clean_text, find_lot, find_material, find_supplier, get_station, parse_day
from tui.services.locations import find_location
from tui.services.measures import Qty, read_amount, units_of_lot, units_of_material
from tui.store.db import writing
from tui.store.lotcodes import next_lot_code
from tui.store.models import Lot, LotKind, Material, Movement, MovementKind, Product, Station
from tui.store.quantities import fmt_qty, from_milli, to_cents
from tui.store.sql import as_date, fetch, fetch_chunks


@dataclass(frozen=True)
class Received:
    lot: str
    material: str
    qty: Decimal
    """In the material's stock unit, whatever unit or pack it was given in."""
    unit: str = ""
    expires: date | None = None
    location: str | None = None
    """The location's code."""
    given: str = ""
    """How the quantity was read: `3 case = 36 pcs`, `1 oz = 28.35 g (rounded from ...)`."""


@dataclass(frozen=True)
class Adjusted:
    lot: str
    delta: Decimal
    on_hand: Decimal
    unit: str


class StockRow(NamedTuple):
    """One lot on the shelf. A NamedTuple: `stock --all` lists every lot ever made (360,000 on
    a store years old), and this is built for each at a fraction of a dataclass's cost."""

    lot: str
    item: str
    """Material name, or product SKU for a batch."""
    on_hand: Decimal
    unit: str
    expires: date | None
    kind: LotKind
    location: str | None
    """The code of the location the lot is kept in."""


@dataclass(frozen=True)
class LowStock:
    material: str
    unit: str
    on_hand: Decimal
    """Usable stock: lots not past their expiry date."""
    reorder: Decimal


def _what(lot: Lot) -> Material | Product:
    """The material or product of a lot (fetched with it)."""
    what = lot.material if lot.kind == LotKind.MATERIAL else lot.product
    assert what is not None, f"lot {lot.code} has no {lot.kind.value} item"
    return what


def unit_of(lot: Lot) -> str:
    return _what(lot).unit


def item_of(lot: Lot) -> str:
    """Material name, or product SKU: what people call the contents of a lot."""
    what = _what(lot)
    return what.name if isinstance(what, Material) else what.sku


async def move(
    lot: Lot,
    kind: MovementKind,
    delta_milli: int,
    *,
    station: Station | None,
    reason: str = "",
    ref: str | None = None,
) -> None:
    """Write one ledger row and update the cached on-hand; refuses to go below zero."""
    updated = await Lot.filter(id=lot.id, on_hand_milli__gte=-delta_milli).update(
        on_hand_milli=F("on_hand_milli") + delta_milli
    )
    if not updated:
        current = await Lot.filter(id=lot.id).first().values_list("on_hand_milli", flat=True)
        raise InsufficientStock(
            f"lot {lot.code} has only {fmt_qty(int(current or 0))} on hand, "  # type: ignore[arg-type]
            f"cannot take {fmt_qty(-delta_milli)}"
        )
    await Movement.create(
        lot=lot, kind=kind, delta_milli=delta_milli, station=station, reason=reason, ref=ref
    )
    lot.on_hand_milli += delta_milli


async def receive(
    material: str,
    qty: Qty,
    *,
    supplier: str | None,
    supplier_lot: str | None = None,
    cost: str | Decimal | int | None = None,
    expires: date | str | None = None,
    received: date | str | None = None,
    location: str | None = None,
    station: str = "bench",
    codes: CodesConfig = CodesConfig(),  # noqa: B008  (frozen dataclass: a safe default)
) -> Received:
    """Record one delivery of a material as a new material lot with its own lot code.

    `qty` may carry a unit or name a pack (`2.5kg`, `3case`); `location` is a location's code
    (or its name). `supplier` None: stock whose supplier is not known (what was on the shelf
    before Lotkeeper).
    """
    material_row = await find_material(material)
    amount = read_amount(await units_of_material(material_row), qty)
    qty_milli = amount.milli
    supplier_row = None if supplier is None else await find_supplier(supplier)
    their_lot = clean_text(supplier_lot or "", "supplier lot", 64, required=False) or None
    cost_cents = None if cost is None or str(cost).strip() == "" else to_cents(cost)
    day = parse_day(received, "received date") or date.today()
    expiry = parse_day(expires, "expiry date")
    if expiry is not None and expiry < day:
        raise InvalidInput(f"expiry date {expiry} is before the received date {day}")
    place = await find_location(location) if location and location.strip() else None
    async with writing():
        station_row = await get_station(station)
        code = await next_lot_code(codes.material_lot_template, day, abbreviate(material_row.name))
        lot = await Lot.create(
            code=code,
            kind=LotKind.MATERIAL,
            material=material_row,
            supplier=supplier_row,
            supplier_lot=their_lot,
            dated=day,
            expires=expiry,
            qty_milli=qty_milli,
            on_hand_milli=0,
            cost_cents=cost_cents,
            location=place,
            station=station_row,
        )
        await move(lot, MovementKind.RECEIVE, qty_milli, station=station_row, ref=code)
    return Received(
        lot=code,
        material=material_row.name,
        qty=from_milli(qty_milli),
        unit=material_row.unit,
        expires=expiry,
        location=place.code if place else None,
        given=amount.describe(),
    )


async def correct_lot(
    lot: Lot, kind: MovementKind, delta_milli: int, *, reason: str, station: Station
) -> Adjusted:
    """One correction of a lot read inside the caller's transaction (material and product fetched)."""
    unit = unit_of(lot)
    if lot.on_hand_milli + delta_milli < 0:
        raise InsufficientStock(
            f"lot {lot.code} has only {fmt_qty(lot.on_hand_milli)} {unit} on hand, "
            f"cannot take {fmt_qty(-delta_milli)} {unit}"
        )
    await move(lot, kind, delta_milli, station=station, reason=reason)
    return Adjusted(
        lot=lot.code, delta=from_milli(delta_milli), on_hand=from_milli(lot.on_hand_milli), unit=unit
    )


def counted_delta(lot: Lot, units: ItemUnits, counted: Qty) -> int:
    """The change that sets `lot` to what was counted on the shelf (`count`'s rule)."""
    counted_milli = read_amount(units, counted, "counted quantity", allow_zero=True).milli
    return counted_milli - int(lot.on_hand_milli)


async def _correct(
    lot_code: str,
    kind: MovementKind,
    reason: str,
    station: str,
    delta_of: Callable[[Lot, ItemUnits], int],
) -> Adjusted:
    """One correction; the quantity is read in the lot's units, and the delta worked out inside
    the transaction from the current on-hand."""
    why = clean_text(reason, "reason", 255)
    async with writing():
        lot = await find_lot(lot_code, lock=True)
        await lot.fetch_related("material", "product")
        delta_milli = delta_of(lot, await units_of_lot(lot))
        return await correct_lot(lot, kind, delta_milli, reason=why, station=await get_station(station))


async def adjust(
    lot_code: str,
    delta: Qty,
    *,
    reason: str,
    kind: MovementKind = MovementKind.ADJUST,
    station: str = "bench",
) -> Adjusted:
    """Add (positive) or remove (negative) stock from a lot, with the reason on the ledger."""
    return await _correct(
        lot_code,
        kind,
        reason,
        station,
        lambda lot, units: read_amount(units, delta, "change", allow_negative=True).milli,
    )


async def waste(lot_code: str, qty: Qty, *, reason: str, station: str = "bench") -> Adjusted:
    return await _correct(
        lot_code, MovementKind.WASTE, reason, station, lambda lot, units: -read_amount(units, qty).milli
    )


async def count(lot_code: str, counted: Qty, *, reason: str, station: str = "bench") -> Adjusted:
    """Set a lot to what was counted on the shelf; the difference goes on the ledger."""
    return await _correct(
        lot_code, MovementKind.COUNT, reason, station, lambda lot, units: counted_delta(lot, units, counted)
    )


def _row(lot: Lot) -> StockRow:
    return StockRow(
        lot=lot.code,
        item=item_of(lot),
        on_hand=from_milli(lot.on_hand_milli),
        unit=unit_of(lot),
        expires=lot.expires,
        kind=lot.kind,
        location=lot.location.code if lot.location else None,
    )


_STOCK = """
SELECT l.code, COALESCE(m.name, p.sku), l.on_hand_milli, COALESCE(m.unit, p.unit), l.expires,
       l.material_id IS NULL, loc.code
FROM lot l{plain}
LEFT JOIN material m ON m.id = l.material_id
LEFT JOIN product p ON p.id = l.product_id
LEFT JOIN location loc ON loc.id = l.location_id
{where}
ORDER BY l.material_id IS NULL, COALESCE(m.name, p.sku){collate}, l.expires IS NULL, l.expires,
         l.code{collate}
"""
# Text in code point order on both (PostgreSQL would otherwise sort by the server's locale).
# SQLite reads the lots in table order (NOT INDEXED): its planner walks an index of lot, a third
# slower for a list of every lot.
_WHERE = {
    (False, False): "WHERE l.on_hand_milli > 0",
    (False, True): "WHERE l.on_hand_milli > 0 AND l.location_id = $1",
    (True, False): "",
    (True, True): "WHERE l.location_id = $1",
}
_STOCK_SQL = {
    (dialect, everything, placed): _STOCK.format(
        where=_WHERE[everything, placed],
        collate=' COLLATE "C"' if dialect == "postgres" else "",
        plain=" NOT INDEXED" if dialect == "sqlite" and not placed else "",
    )
    for dialect in ("sqlite", "postgres")
    for everything in (False, True)
    for placed in (False, True)
}
_KINDS = (LotKind.MATERIAL, LotKind.BATCH)  # by `material_id IS NULL`: a number, not a string a row
_as_qty = lru_cache(maxsize=4096)(from_milli)
_as_day = lru_cache(maxsize=4096)(as_date)


StockColumns = tuple[str, str, int, str, "date | str | None", int, "str | None"]
"""A lot as `stock_columns` gives it: code, item, on-hand in thousandths, unit, expiry (a `date`,
or ISO text on SQLite), 1 for a batch (0 for a material lot), location code."""

qty_text = lru_cache(maxsize=4096)(fmt_qty)
"""An on-hand in thousandths as people write it (`1.5`); a listing repeats few distinct amounts."""


async def _stock_query(include_empty: bool, location: str | None) -> tuple[dict[str, str], list[int]]:
    placed = location is not None
    params = [(await find_location(location)).id] if location is not None else []
    return {dialect: _STOCK_SQL[dialect, include_empty, placed] for dialect in ("sqlite", "postgres")}, params


async def stock_columns(include_empty: bool = False, location: str | None = None) -> Sequence[StockColumns]:
    """`stock`'s lots as the query returns them, in the same order, for listings of every lot:
    at 360,000 lots a row object each (and a `Decimal`, a `date`) costs as much as the query."""
    sql, params = await _stock_query(include_empty, location)
    return cast(Sequence[StockColumns], await fetch(sql, *params))


async def stock_chunks(
    include_empty: bool = False, location: str | None = None
) -> AsyncGenerator[Sequence[StockColumns], None]:
    """`stock_columns`, a few thousand lots at a time, to write out as they are read. An unknown
    location is refused before the first chunk."""
    sql, params = await _stock_query(include_empty, location)
    async with aclosing(fetch_chunks(sql, *params)) as chunks:
        async for chunk in chunks:
            yield cast(Sequence[StockColumns], chunk)


async def stock(include_empty: bool = False, location: str | None = None) -> list[StockRow]:
    """Every lot with something on hand (at `location`, a code or name, if given): materials
    then batches, each first-expiring first.

    One query of plain rows (no model object per lot): `stock --all` reads every lot there is.
    """
    new = tuple.__new__
    return [
        new(StockRow, (code, item, _as_qty(milli), unit, _as_day(expires), _KINDS[batch], place))
        for code, item, milli, unit, expires, batch, place in await stock_columns(include_empty, location)
    ]


async def expiring(within_days: int, today: date | None = None) -> list[StockRow]:
    """Lots with stock that expire within `within_days` (already expired ones included)."""
    if within_days < 0:
        raise InvalidInput("days must be zero or more")
    limit = (today or date.today()) + timedelta(days=within_days)
    lots = await Lot.filter(on_hand_milli__gt=0, expires__lte=limit).prefetch_related(
        "material", "product", "location"
    )
    return [_row(lot) for lot in sorted(lots, key=lambda lot: (lot.expires, lot.code))]


async def low_stock(today: date | None = None) -> list[LowStock]:
    """Materials whose usable (unexpired) stock is below their reorder level."""
    day = today or date.today()
    materials = await Material.filter(reorder_milli__gt=0).order_by("name")
    totals = dict(
        await Lot.filter(kind=LotKind.MATERIAL, on_hand_milli__gt=0)
        .filter(material_id__in=[m.id for m in materials])
        .filter(Q(expires__isnull=True) | Q(expires__gte=day))
        .annotate(total=Sum("on_hand_milli"))
        .group_by("material_id")
        .values_list("material_id", "total")
    )
    return [
        LowStock(
            material=m.name,
            unit=m.unit,
            on_hand=from_milli(int(totals.get(m.id) or 0)),
            reorder=from_milli(m.reorder_milli),
        )
        for m in materials
        if int(totals.get(m.id) or 0) < m.reorder_milli
    ]
