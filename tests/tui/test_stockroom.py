"""Locations at the bench, on the demo store: scan a shelf, then lots, and each lot moves there;
a stocktake of a shelf counted lot by lot, its missing lots marked, written only when confirmed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Input, Static

from tests.support.databases import lot_of, rows
from tui.app import LotkeeperApp
from tui.devices.scanners.base import Scan
from tui.scanning import ScanReceived
from tui.screens.stock import StockScreen
from tui.screens.stocktake import StocktakeScreen
from tui.widgets.ask import Ask


def place_of(path: Path, code: str) -> tuple[str | None, int]:
    [(place, on_hand)] = rows(
        path,
        "SELECT location.code, lot.on_hand_milli FROM lot LEFT JOIN location ON location.id = "
        "lot.location_id WHERE lot.code = ?",
        code,
    )
    return place, on_hand


def scan(app: LotkeeperApp, text: str) -> None:
    app.post_message(ScanReceived(Scan(text, "test")))


def errors(app: LotkeeperApp) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


def moving(screen: StockScreen) -> str:
    return str(screen.query_one("#moving", Static).render())


async def test_a_scanned_location_takes_each_scanned_lot(make_app, demo, db_dump, wait_for) -> None:
    oil, newer_oil = lot_of(demo.path, "OT-2291"), lot_of(demo.path, "OT-2417")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        scan(app, "SHELF-C")  # from Home: Stock opens, moving lots to the coconut shelf
        await wait_for(pilot, lambda: isinstance(app.screen, StockScreen) and app.screen.place)
        screen = app.screen
        assert isinstance(screen, StockScreen)
        assert "Moving lots to location SHELF-C: Shelf C (0 moved)" in moving(screen)
        scan(app, oil)
        await wait_for(pilot, lambda: len(screen.moved) == 1)
        assert f"{oil} Olive oil: moved here from SHELF-O" in moving(screen)
        assert place_of(demo.path, oil)[0] == "SHELF-C"
        table = screen.query_one("#lots", DataTable)
        assert str(table.get_row_at(table.cursor_row)[0]) == oil  # shown on the shelf's list
        scan(app, newer_oil)
        await wait_for(pilot, lambda: len(screen.moved) == 2)
        assert place_of(demo.path, newer_oil)[0] == "SHELF-C"
        scan(app, oil)  # again: already here, nothing written
        await wait_for(pilot, lambda: "already here" in moving(screen))
        before = db_dump()
        scan(app, "M999999-[b]9")  # unknown: refused, quoted as scanned, nothing written
        await wait_for(pilot, lambda: "not moved: no lot with code 'M999999-[b]9'" in moving(screen))
        assert screen.query_one("#moving", Static).has_class("-error")
        scan(app, "SOAP-LAV")  # a product is not a lot: refused, Stock stays in move mode
        await wait_for(
            pilot, lambda: "Lavender olive soap" in moving(screen) and "nothing moved" in moving(screen)
        )
        assert isinstance(app.screen, StockScreen) and screen.place is not None
        assert db_dump() == before
        scan(app, "LK!UNDO")  # the last move taken back
        await wait_for(pilot, lambda: place_of(demo.path, newer_oil)[0] == "SHELF-O")
        assert len(screen.moved) == 1
        scan(app, "LK!DONE")
        await wait_for(pilot, lambda: screen.place is None)
        assert not screen.query_one("#moving", Static).display
        scan(app, newer_oil)  # no longer moving: a lot opens in Trace as before
        await wait_for(pilot, lambda: app.current_mode == "trace")
    history = rows(
        demo.path,
        "SELECT movement.kind, movement.ref, movement.reason FROM movement JOIN lot ON lot.id = "
        "movement.lot_id WHERE lot.code = ? AND movement.kind = 'move' ORDER BY movement.id",
        newer_oil,
    )
    assert history == [("move", "SHELF-C", "from SHELF-O"), ("move", "SHELF-O", "from SHELF-C")]
    assert not errors(app)


async def open_stocktake(app: LotkeeperApp, pilot: Any, wait_for: Any) -> StocktakeScreen:
    await pilot.press("f6")
    await wait_for(pilot, lambda: isinstance(app.screen, StockScreen) and app.screen.rows)
    scan(app, "SHELF-O")
    await wait_for(pilot, lambda: isinstance(app.screen, StockScreen) and app.screen.place)
    await pilot.press("t")
    await wait_for(pilot, lambda: isinstance(app.screen, StocktakeScreen) and app.screen.take)
    assert isinstance(app.screen, StocktakeScreen)
    return app.screen


def states(screen: StocktakeScreen) -> dict[str, str]:
    table = screen.query_one("#lots", DataTable)
    return {str(table.get_row_at(i)[0]): str(table.get_row_at(i)[4]) for i in range(table.row_count)}


async def test_stocktake_counts_marks_the_missing_and_writes_once_confirmed(
    make_app, demo, db_dump, wait_for
) -> None:
    oil, newer_oil = lot_of(demo.path, "OT-2291"), lot_of(demo.path, "OT-2417")
    coconut = lot_of(demo.path, "OT-C118")
    before = db_dump()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stocktake(app, pilot, wait_for)
        assert states(screen) == {oil: "missing", newer_oil: "missing"}
        entry = screen.query_one("#entry", Input)
        scan(app, oil)
        await wait_for(pilot, lambda: app.focused is entry)
        scan(app, coconut)  # the first count is not typed yet: refused
        await wait_for(pilot, lambda: any(f"type the count of {oil}" in e for e in errors(app)))
        entry.value = "lots"
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("count of lot" in e for e in errors(app)))
        assert screen.counting is not None  # still asking
        entry.value = "1.9 kg"
        await pilot.press("enter")
        await wait_for(pilot, lambda: states(screen)[oil] == "counted")
        scan(app, coconut)  # recorded on the coconut shelf, found here
        await wait_for(pilot, lambda: app.focused is entry)
        entry.value = "4000"
        await pilot.press("enter")
        await wait_for(pilot, lambda: coconut in states(screen))
        assert states(screen)[coconut] == "found here (recorded at SHELF-C)"
        scan(app, "NOPE-1")
        await wait_for(pilot, lambda: any("no lot with code 'NOPE-1'" in e for e in errors(app)))
        table = screen.query_one("#lots", DataTable)
        table.move_cursor(row=list(states(screen)).index(newer_oil))
        await pilot.press("e")
        await wait_for(pilot, lambda: states(screen)[newer_oil] == "missing: elsewhere")
        assert db_dump() == before  # nothing written while counting
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        assert "1 elsewhere, 0 missing unmarked" in str(app.screen.query_one("#question").render())
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, StockScreen))
    assert place_of(demo.path, oil) == ("SHELF-O", 1_900_000)
    assert place_of(demo.path, coconut) == ("SHELF-O", 4_000_000)
    newer_place, newer_left = place_of(demo.path, newer_oil)
    assert newer_place is None and newer_left == 10_000_000  # taken off the shelf, stock kept
    assert rows(
        demo.path,
        "SELECT movement.kind, movement.reason FROM movement JOIN lot ON lot.id = movement.lot_id "
        "WHERE lot.code = ? ORDER BY movement.id DESC LIMIT 1",
        newer_oil,
    ) == [("move", "stocktake SHELF-O: not found here, kept elsewhere")]


async def test_all_missing_marked_gone_in_one_key_or_thrown_away(make_app, demo, db_dump, wait_for) -> None:
    oil, newer_oil = lot_of(demo.path, "OT-2291"), lot_of(demo.path, "OT-2417")
    before = db_dump()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stocktake(app, pilot, wait_for)
        await pilot.press("a")
        await wait_for(pilot, lambda: set(states(screen).values()) == {"missing: gone"})
        await pilot.press("escape")  # marks made: asks before throwing them away
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, StockScreen))
        assert db_dump() == before
        await pilot.press("t")  # Stock is still moving to SHELF-O: the stocktake starts there
        await wait_for(pilot, lambda: isinstance(app.screen, StocktakeScreen) and app.screen.take)
        screen = app.screen
        assert isinstance(screen, StocktakeScreen)
        await pilot.press("a", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, StockScreen))
    assert place_of(demo.path, oil) == ("SHELF-O", 0)
    assert place_of(demo.path, newer_oil) == ("SHELF-O", 0)


async def test_a_stocktake_started_without_a_shelf_waits_for_one_typed_or_scanned(
    make_app, demo, db_dump, wait_for
) -> None:
    oil = lot_of(demo.path, "OT-2291")
    before = db_dump()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, StockScreen) and app.screen.rows)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, StocktakeScreen))
        screen = app.screen
        assert isinstance(screen, StocktakeScreen)
        assert str(screen.query_one("#where", Static).render()).startswith("Scan the label of the location")
        scan(app, oil)
        await wait_for(
            pilot,
            lambda: any(f"scan the label of the location first, then lot {oil}" in e for e in errors(app)),
        )
        await pilot.press("slash")
        entry = screen.query_one("#entry", Input)
        assert app.focused is entry
        entry.value = "shelf-q"
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("no location 'shelf-q'" in e for e in errors(app)))
        entry.value = "Shelf O"  # by name
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.take is not None and screen.take.location == "SHELF-O")
        await pilot.press("slash")
        entry.value = oil.lower()  # a lot code typed
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.counting is not None and screen.counting.lot == oil)
        scan(app, "LK!QTY:3")  # a quantity barcode is the count
        await wait_for(pilot, lambda: states(screen)[oil] == "counted")
        scan(app, "LK!UNDO")
        await wait_for(pilot, lambda: states(screen)[oil] == "missing")
        await pilot.press("escape")  # nothing counted or marked: leaves without asking
        await wait_for(pilot, lambda: isinstance(app.screen, StockScreen))
    assert db_dump() == before
