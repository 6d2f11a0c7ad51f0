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
- A missing lot may instead be marked **elsewhere** (`MissingMark.ELSEWHERE`): it is not here
  but not gone either (on the bench, in another room). Its stock stays and it is taken off this
  location (a `move` row to no location, `stocktake CODE: not found here`), so the next stocktake
  of this shelf does not list it again; scanning it where it is found moves it there.

The Terminal app's stocktake writes nothing until the maker confirms: `tally` checks each count
against its lot (units, packs, whole pieces) and keeps it in the session, `mark` notes what to do
with a missing lot, and `confirm` writes the counts and the marks in one transaction
(`stocktake`), as the command line does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

from tui.errors import InvalidInput
from tui.services.catalog import clean_text, find_lot, get_station
from tui.services.inventory import Adjusted, StockRow, correct_lot, counted_delta, item_of, stock, unit_of
from tui.services.locations import find_location
from tui.services.measures import Qty, read_amount, units_of_lot
from tui.services.moves import Moved, move_here, unplace_here
from tui.store.db import writing
from tui.store.models import Location, Lot, MovementKind, Station
from tui.store.quantities import from_milli


@dataclass(frozen=True)
class Counted:
    lot: str
    counted: Adjusted
    """The count as written: the change and what the lot holds now."""
    moved_from: str | None
    """The location it was recorded at before (None: it was recorded here, or nowhere)."""
    moved: bool


class MissingMark(StrEnum):
    GONE = "gone"
    """Not found: counted as 0."""
    ELSEWHERE = "elsewhere"
    """Not here, but not gone: taken off this location, its stock kept."""


@dataclass(frozen=True)
class Tally:
    """A count checked against its lot and kept in the session, not written yet."""

    lot: str
    item: str
    unit: str
    counted: Decimal
    """In the lot's stock unit."""
    recorded: Decimal
    """What the lot held when it was scanned."""
    location: str | None
    """Where the lot is recorded (None: nowhere)."""
    given: str = ""
    """How the count was read (`1.9 kg = 1900 g`, or `1900 g`)."""

    @property
    def delta(self) -> Decimal:
        return self.counted - self.recorded


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
    tallies: dict[str, Tally] = field(default_factory=dict)
    """Counts checked but not written (`tally`), by lot code in the order scanned."""
    marks: dict[str, MissingMark] = field(default_factory=dict)
    """What to do with lots recorded here and not scanned (`mark`)."""

    @property
    def reason(self) -> str:
        return f"stocktake {self.location}"

    def not_scanned(self) -> list[StockRow]:
        """Lots recorded here when the stocktake started that have no count yet (no query)."""
        return [row for row in self.expected if row.lot not in self.tallies and row.lot not in self.counted]


async def about(code: str) -> StockRow:
    """The lot a scan names, as recorded: what its count is asked against."""
    lot = await find_lot(code)
    await lot.fetch_related("material", "product", "location")
    where = lot.location.code if lot.location else None
    return StockRow(
        lot.code, item_of(lot), from_milli(lot.on_hand_milli), unit_of(lot), lot.expires, lot.kind, where
    )


async def tally(take: Stocktake, code: str, qty: Qty) -> Tally:
    """Check a count of a lot found here (units and packs allowed, 0 too) and keep it in the
    session; nothing is written until `confirm`. A lot counted again keeps its last count."""
    lot = await find_lot(code)
    await lot.fetch_related("material", "product", "location")
    amount = read_amount(await units_of_lot(lot), qty, f"count of lot {lot.code}", allow_zero=True)
    where = lot.location.code if lot.location else None
    counted = Tally(
        lot.code,
        item_of(lot),
        unit_of(lot),
        amount.qty,
        from_milli(lot.on_hand_milli),
        where,
        amount.describe(),
    )
    take.tallies.pop(lot.code, None)
    take.tallies[lot.code] = counted
    take.marks.pop(lot.code, None)
    return counted


def untally(take: Stocktake, code: str) -> Tally | None:
    """Forget a count kept in the session (the last one when `code` is empty)."""
    if not take.tallies:
        return None
    return take.tallies.pop(code or list(take.tallies)[-1], None)


def mark(take: Stocktake, lot: str, how: MissingMark | None) -> None:
    """What to do with a lot recorded here and not scanned (None: leave it as it is)."""
    if lot not in {row.lot for row in take.not_scanned()}:
        raise InvalidInput(f"lot {lot} is not missing here: only lots recorded here and not counted are")
    if how is None:
        take.marks.pop(lot, None)
    else:
        take.marks[lot] = how


async def confirm(take: Stocktake, *, station: str = "bench") -> StocktakeResult:
    """Write the session's counts and marks in one transaction (`stocktake`)."""
    counts = [(t.lot, t.counted) for t in take.tallies.values()]
    return await stocktake(take.location, counts, marks=take.marks, station=station)


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


async def mark_missing(take: Stocktake, *, station: str = "bench") -> list[Adjusted]:
    """Count every missing lot as 0 (see the module docstring), all in one transaction."""
    async with writing():
        every = {row.lot: MissingMark.GONE for row in await missing(take)}
        gone, _ = await _mark_each(take, every, await get_station(station))
        return gone


@dataclass(frozen=True)
class StocktakeResult:
    location: str
    counted: tuple[Counted, ...]
    missing: tuple[StockRow, ...]
    """Lots recorded here and not counted (as they were before any were marked)."""
    marked: tuple[Adjusted, ...]
    """The missing lots counted as 0 (only when asked to)."""
    elsewhere: tuple[Moved, ...] = ()
    """The missing lots taken off the location, their stock kept (`MissingMark.ELSEWHERE`)."""


async def _mark_each(
    take: Stocktake, marks: Mapping[str, MissingMark], station: Station
) -> tuple[list[Adjusted], list[Moved]]:
    """Apply the marks to the lots still missing now (one moved away meanwhile by another station
    is left alone)."""
    gone, elsewhere = [], []
    for row in await missing(take):
        how = marks.get(row.lot)
        if how is None:
            continue
        lot: Lot = await find_lot(row.lot, lock=True)
        await lot.fetch_related("material", "product")
        if how is MissingMark.GONE:
            reason = clean_text(f"{take.reason}: not found", "reason", 255)
            gone.append(
                await correct_lot(lot, MovementKind.COUNT, -lot.on_hand_milli, reason=reason, station=station)
            )
        else:
            reason = clean_text(f"{take.reason}: not found here, kept elsewhere", "reason", 255)
            elsewhere.append(await unplace_here(lot, station, reason))
    return gone, elsewhere


async def stocktake(
    location: str,
    counts: Sequence[tuple[str, Qty]],
    *,
    mark_missing: bool = False,
    marks: Mapping[str, MissingMark] | None = None,
    station: str = "bench",
) -> StocktakeResult:
    """A whole stocktake in one transaction: every count, and the missing lots marked if asked
    (`marks`: each as given, the others left as recorded; `mark_missing`: the others counted as
    0). A mark for a lot that is counted, or not recorded here, is refused before anything is
    written."""
    take = await start_stocktake(location)
    place = await find_location(take.location)
    codes = [code.strip().upper() for code, _ in counts]
    if len(set(codes)) != len(codes):
        raise InvalidInput("a lot is counted twice: give each lot once")
    wanted = {code.strip().upper(): how for code, how in (marks or {}).items()}
    recorded = {row.lot for row in take.expected}
    for lot in wanted:
        if lot in codes or lot not in recorded:
            why = "it is counted" if lot in codes else f"it is not recorded at {take.location}"
            raise InvalidInput(f"lot {lot} cannot be marked missing: {why}")
    async with writing():
        station_row = await get_station(station)
        for code, qty in counts:
            await _count_here(take, place, code, qty, station_row)
        left = tuple(await missing(take))
        if mark_missing:
            wanted = {row.lot: wanted.get(row.lot, MissingMark.GONE) for row in left}
        marked, elsewhere = await _mark_each(take, wanted, station_row)
    return StocktakeResult(take.location, tuple(take.counted.values()), left, tuple(marked), tuple(elsewhere))
