"""A stocktake of one location: count every lot found there, then deal with the ones not found.

The session (`Stocktake`) is what a screen holds while the maker scans: start at a location,
record each lot found with what it holds (`record_count`), list the lots recorded there that
were not scanned (`missing`), and mark them in one go (`mark_missing`). `stocktake` does the
whole thing in one call and one transaction, for the command line.

- A count follows the `count` rule: the lot is set to what was counted and the difference goes
  on the ledger, with the reason `stocktake CODE`. A lot found here that was recorded elsewhere
  (or nowhere) is moved here too: it is here.
- **Missing lots are counted as 0**, with the reason `stocktake CODE: not found`. That is what
  the stock should say (a lot that is not on the shelf must not be proposed for the next batch),
  the ledger keeps what it held, and the lot keeps its last location. If it turns up, count it
  (or scan it in the next stocktake): the ledger then shows both steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tui.errors import InvalidInput
from tui.services.catalog import clean_text, find_lot, get_station
from tui.services.inventory import Adjusted, StockRow, correct_lot, counted_delta, stock
from tui.services.locations import find_location
from tui.services.measures import Qty, units_of_lot
from tui.services.moves import Moved, move_here
from tui.store.db import writing
from tui.store.models import Location, Lot, MovementKind, Station


@dataclass(frozen=True)
class Counted:
    lot: str
    counted: Adjusted
    """The count as written: the change and what the lot holds now."""
    moved_from: str | None
    """The location it was recorded at before (None: it was recorded here, or nowhere)."""
    moved: bool


@dataclass
class Stocktake:
    location: str
    """The location's code."""
    name: str
    started: datetime
    expected: tuple[StockRow, ...]
    """The lots recorded here with stock when the stocktake started."""
    counted: dict[str, Counted] = field(default_factory=dict)
    """By lot code, in the order scanned (a lot counted twice keeps its last count)."""

    @property
    def reason(self) -> str:
        return f"stocktake {self.location}"


async def start_stocktake(location: str) -> Stocktake:
    """Begin counting a location (code or name): what is recorded there now."""
    place = await find_location(location)
    expected = await stock(location=place.code)
    return Stocktake(place.code, place.name, datetime.now(UTC), tuple(expected))


async def _count_here(take: Stocktake, place: Location, code: str, qty: Qty, station: Station) -> Counted:
    lot = await find_lot(code, lock=True)
    await lot.fetch_related("material", "product")
    delta = counted_delta(lot, await units_of_lot(lot), qty)
    adjusted = await correct_lot(lot, MovementKind.COUNT, delta, reason=take.reason, station=station)
    moved: Moved | None = None
    if lot.on_hand_milli > 0:
        moved = await move_here(lot, place, station)
    counted = Counted(
        lot.code, adjusted, moved.previous if moved and moved.moved else None, bool(moved and moved.moved)
    )
    take.counted.pop(lot.code, None)
    take.counted[lot.code] = counted
    return counted


async def record_count(take: Stocktake, lot: str, qty: Qty, *, station: str = "bench") -> Counted:
    """A lot found at the location, with what it holds (units and packs allowed, 0 too)."""
    place = await find_location(take.location)
    async with writing():
        return await _count_here(take, place, lot, qty, await get_station(station))


async def missing(take: Stocktake) -> list[StockRow]:
    """Lots recorded at the location with stock that this stocktake has not counted (read now,
    so a lot moved away meanwhile by another station is not listed)."""
    return [row for row in await stock(location=take.location) if row.lot not in take.counted]


async def _mark(take: Stocktake, station: Station) -> list[Adjusted]:
    marked = []
    for row in await missing(take):
        lot: Lot = await find_lot(row.lot, lock=True)
        await lot.fetch_related("material", "product")
        reason = clean_text(f"{take.reason}: not found", "reason", 255)
        gone = -lot.on_hand_milli
        marked.append(await correct_lot(lot, MovementKind.COUNT, gone, reason=reason, station=station))
    return marked


async def mark_missing(take: Stocktake, *, station: str = "bench") -> list[Adjusted]:
    """Count every missing lot as 0 (see the module docstring), all in one transaction."""
    async with writing():
        return await _mark(take, await get_station(station))


@dataclass(frozen=True)
class StocktakeResult:
    location: str
    counted: tuple[Counted, ...]
    missing: tuple[StockRow, ...]
    """Lots recorded here and not counted (as they were before any were marked)."""
    marked: tuple[Adjusted, ...]
    """The missing lots counted as 0 (only when asked to)."""


async def stocktake(
    location: str,
    counts: Sequence[tuple[str, Qty]],
    *,
    mark_missing: bool = False,
    station: str = "bench",
) -> StocktakeResult:
    """A whole stocktake in one transaction: every count, and the missing lots marked if asked."""
    take = await start_stocktake(location)
    place = await find_location(take.location)
    codes = [code.strip().upper() for code, _ in counts]
    if len(set(codes)) != len(codes):
        raise InvalidInput("a lot is counted twice: give each lot once")
    async with writing():
        station_row = await get_station(station)
        for code, qty in counts:
            await _count_here(take, place, code, qty, station_row)
        left = tuple(await missing(take))
        marked = tuple(await _mark(take, station_row)) if mark_missing else ()
    return StocktakeResult(take.location, tuple(take.counted.values()), left, marked)
