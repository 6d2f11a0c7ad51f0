"""Locations on a real store: adding them, receiving into them, moving lots (and the history that
records it), stock by location, a location label that scans as a location, and stocktakes that
list and mark missing lots. The moves and the stocktake also run on PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
import zxingcpp

from tui.config import CodesConfig
from tui.errors import Duplicate, InvalidInput, NotFound
from tui.labels import label_size, render
from tui.services import catalog, inventory, moves, stocktake
from tui.services.label_data import label_request
from tui.services.locations import add_location, find_location, list_locations
from tui.services.overview import recent_activity
from tui.services.resolver import resolve
from tui.store.models import Lot, Movement, MovementKind


async def _setup() -> dict[str, str]:
    """Two shelves and a fridge; oil and lye on shelf A1, lavender on B2, jars nowhere."""
    await add_location("shelf-a1", "Shelf A1")
    await add_location("SHELF-B2", "Shelf B2")
    await add_location("FRIDGE")
    await catalog.add_supplier("Acme")
    for name, unit in (("Olive oil", "g"), ("Lye", "g"), ("Lavender oil", "ml"), ("Jar", "pcs")):
        await catalog.add_material(name, unit)

    async def rx(material: str, qty: str, location: str | None) -> str:
        received = await inventory.receive(
            material, qty, supplier="Acme", location=location, station="goods-in"
        )
        return received.lot

    return {
        "oil": await rx("Olive oil", "2 kg", "SHELF-A1"),
        "lye": await rx("Lye", "500", "shelf a1"),
        "lavender": await rx("Lavender oil", "100", "Shelf B2"),  # by name
        "jars": await rx("Jar", "24", None),
    }


@pytest.fixture
async def place(store) -> dict[str, str]:
    return await _setup()


async def test_locations_are_added_listed_and_found_by_code_or_name(place) -> None:
    assert [(r.code, r.name, r.lots) for r in await list_locations()] == [
        ("FRIDGE", "FRIDGE", 0),
        ("SHELF-A1", "Shelf A1", 2),
        ("SHELF-B2", "Shelf B2", 1),
    ]
    assert (await find_location("shelf b2")).code == "SHELF-B2"
    with pytest.raises(
        NotFound, match="no location 'SHELF-A' \\(did you mean 'SHELF-A1'\\?\\): add it first"
    ):
        await find_location("SHELF-A")


@pytest.mark.parametrize(
    ("code", "error", "message"),
    [
        ("shelf a1", InvalidInput, "use letters, digits"),
        ("12345", InvalidInput, "at least one letter"),
        ("SHELF-A1", Duplicate, "location SHELF-A1 already exists"),
        ("Olive oil", InvalidInput, "no spaces"),
        ("X" * 33, InvalidInput, "at most 32"),
    ],
)
async def test_bad_location_codes_are_refused_and_write_nothing(place, db_dump, code, error, message) -> None:
    before = db_dump()
    with pytest.raises(error, match=message):
        await add_location(code)
    assert db_dump() == before


async def test_a_location_code_may_not_be_a_code_we_scan_already(place, db_dump) -> None:
    before = db_dump()
    with pytest.raises(Duplicate, match=f"{place['oil']} is already lot {place['oil']}"):
        await add_location(place["oil"])
    assert db_dump() == before


async def test_receive_into_an_unknown_location_is_refused_and_writes_nothing(place, db_dump) -> None:
    before = db_dump()
    with pytest.raises(NotFound, match="no location 'Cellar'"):
        await inventory.receive("Lye", "1", supplier="Acme", location="Cellar")
    assert db_dump() == before


async def test_stock_by_location(place) -> None:
    at_a1 = await inventory.stock(location="SHELF-A1")
    assert [(r.lot, r.location) for r in at_a1] == [(place["lye"], "SHELF-A1"), (place["oil"], "SHELF-A1")]
    everywhere = {r.lot: r.location for r in await inventory.stock()}
    assert everywhere[place["jars"]] is None and everywhere[place["lavender"]] == "SHELF-B2"
    assert await inventory.stock(location="FRIDGE") == []


async def test_a_move_is_recorded_with_time_and_station_in_the_lots_history(place) -> None:
    moved = await moves.move_lot(place["lavender"], "fridge", station="bench 2")
    assert moved == moves.Moved(place["lavender"], "Lavender oil", "FRIDGE", "SHELF-B2", moved=True)
    again = await moves.move_lot(place["lavender"], "FRIDGE")
    assert again.moved is False  # scanned twice: nothing more written
    first = await moves.move_lot(place["jars"], "SHELF-B2")
    assert first.previous is None
    history = await moves.lot_history(place["lavender"])
    assert (history.location, history.on_hand) == ("FRIDGE", Decimal(100))
    assert [(r.kind, r.delta, r.station, r.ref, r.reason) for r in history.rows] == [
        (MovementKind.RECEIVE, Decimal(100), "goods-in", place["lavender"], ""),
        (MovementKind.MOVE, Decimal(0), "bench 2", "FRIDGE", "from SHELF-B2"),
    ]
    assert history.rows[1].describe("ml") == "moved to FRIDGE (from SHELF-B2)"
    assert history.rows[1].at >= history.rows[0].at
    latest = (await recent_activity(1))[0]
    assert (latest.kind, latest.lot, latest.ref) == ("move", place["jars"], "SHELF-B2")
    assert [r.lot for r in await inventory.stock(location="FRIDGE")] == [place["lavender"]]


async def test_moving_an_empty_lot_or_to_an_unknown_place_is_refused(place, db_dump) -> None:
    await inventory.count(place["lye"], "0", reason="used up")
    before = db_dump()
    with pytest.raises(InvalidInput, match="has nothing on hand, so there is nothing to move"):
        await moves.move_lot(place["lye"], "FRIDGE")
    with pytest.raises(NotFound, match="no location 'ATTIC'"):
        await moves.move_lot(place["oil"], "ATTIC")
    assert db_dump() == before


async def test_a_location_label_scans_as_that_location(place, codes) -> None:
    name, data, lot = await label_request("shelf-a1", "location", codes)
    assert (name, data.name, data.code, lot) == ("location", "Shelf A1", "SHELF-A1", None)  # type: ignore[union-attr]
    image = render(name, data, label_size("62")).image
    scanned = {b.text for b in zxingcpp.read_barcodes(image.convert("L"))}
    assert scanned == {"SHELF-A1"}
    result = await resolve("SHELF-A1", codes)
    assert (result.kind, result.code, result.message) == (
        "location",
        "SHELF-A1",
        "location SHELF-A1: Shelf A1",
    )
    assert (await resolve("shelf-a1", CodesConfig())).kind == "location"  # Caps Lock off on the scanner
    # Without --template a location's code prints its label; an unknown one is refused.
    assert (await label_request("FRIDGE", None, codes))[0] == "location"
    with pytest.raises(NotFound, match="no location 'ATTIC'"):
        await label_request("ATTIC", "location", codes)


async def test_stocktake_session_counts_moves_found_lots_and_marks_the_missing(place) -> None:
    take = await stocktake.start_stocktake("Shelf A1")
    assert [r.lot for r in take.expected] == [place["lye"], place["oil"]]
    counted = await stocktake.record_count(take, place["oil"], "1.9 kg", station="bench 2")
    assert (counted.counted.delta, counted.counted.on_hand, counted.moved) == (
        Decimal(-100),
        Decimal(1900),
        False,
    )
    found = await stocktake.record_count(take, place["jars"], "2", station="bench 2")  # recorded nowhere
    assert (found.moved, found.moved_from, found.counted.on_hand) == (True, None, Decimal(2))
    assert [r.lot for r in await stocktake.missing(take)] == [place["lye"]]
    marked = await stocktake.mark_missing(take, station="bench 2")
    assert [(m.lot, m.delta, m.on_hand) for m in marked] == [(place["lye"], Decimal(-500), Decimal(0))]
    assert await stocktake.missing(take) == []
    rows = await Movement.filter(lot__code=place["lye"]).order_by("-id").first().values("kind", "reason")
    assert rows == {"kind": MovementKind.COUNT, "reason": "stocktake SHELF-A1: not found"}
    lye = await Lot.get(code=place["lye"]).prefetch_related("location")
    assert lye.location is not None and lye.location.code == "SHELF-A1"  # its last known place stays
    oil_reasons = await Movement.filter(lot__code=place["oil"], kind=MovementKind.COUNT).values_list(
        "reason", flat=True
    )
    assert oil_reasons == ["stocktake SHELF-A1"]
    assert sorted(r.lot for r in await inventory.stock(location="SHELF-A1")) == sorted(
        [place["oil"], place["jars"]]
    )


async def test_a_lot_moved_away_during_the_stocktake_is_not_missing(place) -> None:
    take = await stocktake.start_stocktake("SHELF-A1")
    await moves.move_lot(place["lye"], "FRIDGE")
    assert [r.lot for r in await stocktake.missing(take)] == [place["oil"]]


async def test_one_call_stocktake_is_one_transaction(place, db_dump) -> None:
    before = db_dump()
    with pytest.raises(NotFound, match="no lot with code 'M000000-999'"):
        await stocktake.stocktake(
            "SHELF-A1", [(place["oil"], "1 kg"), ("M000000-999", "1")], mark_missing=True
        )
    assert db_dump() == before  # the first count was not kept either
    result = await stocktake.stocktake("SHELF-A1", [(place["oil"], "1 kg")], mark_missing=True)
    assert [c.lot for c in result.counted] == [place["oil"]]
    assert [r.lot for r in result.missing] == [place["lye"]]
    assert [(m.lot, m.on_hand) for m in result.marked] == [(place["lye"], Decimal(0))]


async def test_moves_and_stocktake_on_postgresql(pg_store) -> None:
    place = await _setup()
    await moves.move_lot(place["oil"], "FRIDGE", station="bench 2")
    result = await stocktake.stocktake("FRIDGE", [(place["lavender"], "90")], mark_missing=True)
    assert [(c.lot, c.moved_from) for c in result.counted] == [(place["lavender"], "SHELF-B2")]
    assert [(m.lot, m.on_hand) for m in result.marked] == [(place["oil"], Decimal(0))]
    history = await moves.lot_history(place["oil"])
    assert [r.kind for r in history.rows] == [MovementKind.RECEIVE, MovementKind.MOVE, MovementKind.COUNT]
    assert [(r.lot, r.location) for r in await inventory.stock(location="FRIDGE")] == [
        (place["lavender"], "FRIDGE")
    ]


async def test_a_tallied_stocktake_writes_nothing_until_confirmed_then_all_at_once(place, db_dump) -> None:
    before = db_dump()
    take = await stocktake.start_stocktake("SHELF-A1")
    counted = await stocktake.tally(take, place["oil"], "1.9 kg")
    assert (counted.counted, counted.recorded, counted.delta, counted.given) == (
        Decimal(1900),
        Decimal(2000),
        Decimal(-100),
        "1.9 kg = 1900 g",
    )
    found = await stocktake.tally(take, place["lavender"], "90")  # recorded on B2, found here
    assert (found.location, found.given) == ("SHELF-B2", "90 ml")
    with pytest.raises(InvalidInput, match="whole"):
        await stocktake.tally(take, place["jars"], "2.5")
    with pytest.raises(NotFound, match="no lot with code 'M000000-999'"):
        await stocktake.tally(take, "M000000-999", "1")
    assert [r.lot for r in take.not_scanned()] == [place["lye"]]
    with pytest.raises(InvalidInput, match=f"lot {place['oil']} is not missing here"):
        stocktake.mark(take, place["oil"], stocktake.MissingMark.GONE)
    stocktake.mark(take, place["lye"], stocktake.MissingMark.ELSEWHERE)
    assert db_dump() == before
    result = await stocktake.confirm(take, station="bench 2")
    assert [(c.lot, c.moved_from) for c in result.counted] == [
        (place["oil"], None),
        (place["lavender"], "SHELF-B2"),
    ]
    assert result.marked == ()
    assert [(m.lot, m.previous, m.moved) for m in result.elsewhere] == [(place["lye"], "SHELF-A1", True)]
    assert sorted(r.lot for r in await inventory.stock(location="SHELF-A1")) == sorted(
        [place["oil"], place["lavender"]]
    )
    lye = await moves.lot_history(place["lye"])
    assert (lye.location, lye.on_hand) == (None, Decimal(500))  # not here, not gone
    assert (
        lye.rows[-1].describe("g")
        == "moved to no location (stocktake SHELF-A1: not found here, kept elsewhere)"
    )


async def test_a_count_confirmed_after_others_changed_the_lot_still_sets_it_here(place) -> None:
    take = await stocktake.start_stocktake("SHELF-A1")
    await stocktake.tally(take, place["oil"], "1 kg")
    stocktake.mark(take, place["lye"], stocktake.MissingMark.GONE)
    stocktake.mark(take, place["lye"], None)
    stocktake.mark(take, place["lye"], stocktake.MissingMark.GONE)
    await moves.move_lot(place["oil"], "FRIDGE")  # meanwhile, elsewhere
    await inventory.waste(place["oil"], "2 kg", reason="spilled")  # now empty: the count still sets it
    result = await stocktake.confirm(take)
    assert [(c.lot, c.counted.on_hand, c.moved_from) for c in result.counted] == [
        (place["oil"], Decimal(1000), "FRIDGE")
    ]
    assert [(m.lot, m.on_hand) for m in result.marked] == [(place["lye"], Decimal(0))]


async def test_a_tallied_stocktake_on_postgresql(pg_store) -> None:
    place = await _setup()
    take = await stocktake.start_stocktake("SHELF-A1")
    await stocktake.tally(take, place["oil"], "2 kg")
    stocktake.mark(take, place["lye"], stocktake.MissingMark.ELSEWHERE)
    result = await stocktake.confirm(take, station="bench 2")
    assert [(c.lot, c.counted.delta) for c in result.counted] == [(place["oil"], Decimal(0))]
    assert [m.lot for m in result.elsewhere] == [place["lye"]]
    assert [r.lot for r in await inventory.stock(location="SHELF-A1")] == [place["oil"]]


async def test_a_lot_taken_off_its_location_keeps_its_stock_and_says_so(place, db_dump) -> None:
    done = await moves.unplace_lot(place["oil"], reason="move to SHELF-B2 undone", station="bench 2")
    assert (done.lot, done.previous, done.location, done.moved) == (place["oil"], "SHELF-A1", "", True)
    history = await moves.lot_history(place["oil"])
    assert (history.location, history.on_hand) == (None, Decimal(2000))
    assert history.rows[-1].describe("g") == "moved to no location (move to SHELF-B2 undone)"
    before = db_dump()
    again = await moves.unplace_lot(place["oil"], reason="again", station="bench 2")
    assert not again.moved and db_dump() == before  # nowhere already: nothing written
    with pytest.raises(InvalidInput, match="reason"):
        await moves.unplace_lot(place["lye"], reason="")
    assert db_dump() == before
