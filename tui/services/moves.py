"""Moving lots between locations, and a lot's history.

A move takes the whole lot (it is one container, or one box of them) and is written to the
ledger as a `move` movement that changes no quantity: it carries the time and station like
every other row, the new location's code as its reference and where the lot came from as its
reason, so the lot's history (`lot_history`, `lotkeeper history`) reads as a story and the
Home screen's recent activity shows it without a query of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tui.errors import InvalidInput
from tui.services.catalog import clean_text, find_lot, get_station
from tui.services.inventory import item_of, move, unit_of
from tui.services.locations import find_location
from tui.store.db import writing
from tui.store.models import Location, Lot, Movement, MovementKind, Station
from tui.store.quantities import from_milli


@dataclass(frozen=True)
class Moved:
    lot: str
    item: str
    location: str
    """The code of the location the lot is in now ("" when it was taken off its location)."""
    previous: str | None
    """Where it was (a location code), None when it had no location."""
    moved: bool
    """False when the lot was already there: nothing was written."""


async def move_here(lot: Lot, place: Location, station: Station) -> Moved:
    """Move a lot read inside the caller's transaction (material and product fetched)."""
    await lot.fetch_related("location")
    before = lot.location
    if before is not None and before.id == place.id:
        return Moved(lot.code, item_of(lot), place.code, place.code, moved=False)
    if lot.on_hand_milli <= 0:
        raise InvalidInput(
            f"lot {lot.code} has nothing on hand, so there is nothing to move: "
            "if it is on the shelf after all, count it first"
        )
    came_from = f"from {before.code}" if before else "from no location"
    await move(lot, MovementKind.MOVE, 0, station=station, reason=came_from, ref=place.code)
    lot.location = place
    await lot.save(update_fields=["location_id"])
    return Moved(lot.code, item_of(lot), place.code, before.code if before else None, moved=True)


async def unplace_here(lot: Lot, station: Station, reason: str) -> Moved:
    """Record that a lot read inside the caller's transaction is no longer where it was
    recorded, and nobody knows where yet: a `move` row to no location (its stock stays)."""
    await lot.fetch_related("location")
    before = lot.location
    if before is None:
        return Moved(lot.code, item_of(lot), "", None, moved=False)
    await move(lot, MovementKind.MOVE, 0, station=station, reason=reason, ref=None)
    lot.location = None
    await lot.save(update_fields=["location_id"])
    return Moved(lot.code, item_of(lot), "", before.code, moved=True)


async def unplace_lot(lot_code: str, *, reason: str, station: str = "bench") -> Moved:
    """Take a lot off the location it is recorded at, keeping its stock (undoing a move that
    found it nowhere, or a stocktake's "kept elsewhere")."""
    why = clean_text(reason, "reason", 255)
    async with writing():
        lot = await find_lot(lot_code, lock=True)
        await lot.fetch_related("material", "product")
        return await unplace_here(lot, await get_station(station), why)


async def move_lot(lot_code: str, location: str, *, station: str = "bench") -> Moved:
    """Move a whole lot to a location (given by code or name); one scan of each label at the
    bench. Moving a lot to where it already is writes nothing."""
    place = await find_location(location)
    async with writing():
        lot = await find_lot(lot_code, lock=True)
        await lot.fetch_related("material", "product")
        return await move_here(lot, place, await get_station(station))


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    kind: MovementKind
    delta: Decimal
    on_hand: Decimal
    """What the lot held after this row."""
    station: str | None
    ref: str | None
    """The batch, order or lot code that caused it, or the location a move went to."""
    reason: str

    def describe(self, unit: str) -> str:
        if self.kind == MovementKind.MOVE:
            what = f"moved to {self.ref or 'no location'} ({self.reason})"
        else:
            sign = "+" if self.delta > 0 else ""
            what = f"{self.kind.value} {sign}{format(self.delta, 'f')} {unit}".rstrip()
            what += f" ({self.ref})" if self.ref else ""
            what += f": {self.reason}" if self.reason else ""
        return what


@dataclass(frozen=True)
class LotHistory:
    lot: str
    item: str
    unit: str
    on_hand: Decimal
    location: str | None
    rows: tuple[HistoryRow, ...]


async def lot_history(code: str) -> LotHistory:
    """Every ledger row of a lot in order, moves included, with what it held after each."""
    lot = await find_lot(code)
    await lot.fetch_related("material", "product", "location")
    movements = await Movement.filter(lot_id=lot.id).order_by("id").prefetch_related("station")
    rows, total = [], 0
    for m in movements:
        total += m.delta_milli
        station = m.station.name if m.station else None
        rows.append(
            HistoryRow(m.at, m.kind, from_milli(m.delta_milli), from_milli(total), station, m.ref, m.reason)
        )
    where = lot.location.code if lot.location else None
    unit = unit_of(lot)
    return LotHistory(lot.code, item_of(lot), unit, from_milli(lot.on_hand_milli), where, tuple(rows))
