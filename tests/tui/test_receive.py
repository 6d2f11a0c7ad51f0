"""Receive screen: a supplier's GS1 barcode plus digits and Enter books a delivery and prints its label."""

from __future__ import annotations

import io
from typing import Any

import zxingcpp
from PIL import Image
from textual.widgets import DataTable

from tests.support.databases import rows
from tests.tui.pick_numbers import number_of
from tui.app import LotkeeperApp
from tui.devices.scanners.base import Scan
from tui.scanning import ScanReceived
from tui.screens.receive import ReceiveScreen
from tui.services import catalog
from tui.store.db import open_store
from tui.widgets.pick_list import PickList

GS = "\x1d"
OLIVE_GS1 = f"]C1010841234500123910OT-2500{GS}17270131"
"""Oliva Trading's GS1-128 on a can of olive oil (its EAN-13 is a supplier code in the demo)."""
UNKNOWN_GTIN = "4006381333931"
"""A valid EAN-13 that nothing in the demo carries."""


def errors(app: LotkeeperApp) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


def scan(app: LotkeeperApp, text: str) -> None:
    app.post_message(ScanReceived(Scan(text, "test")))


async def open_receive(pilot: Any, wait_for: Any) -> ReceiveScreen:
    app = pilot.app
    await pilot.press("f2")
    await wait_for(pilot, lambda: isinstance(app.screen, ReceiveScreen) and app.screen.materials)
    screen = app.screen
    assert isinstance(screen, ReceiveScreen)
    return screen


async def test_gs1_scan_digits_and_enter_receive_a_lot_and_print_its_label(
    make_app, fake_printer, demo, wait_for
) -> None:
    app = make_app(printers=(fake_printer.config,))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_receive(pilot, wait_for)
        scan(app, OLIVE_GS1)
        await wait_for(pilot, lambda: app.focused is screen.query_one("#qty"))
        assert screen.query_one("#material", PickList).value == "Olive oil"
        assert screen.query_one("#supplier", PickList).value == "Oliva Trading"  # from its supplier code
        await pilot.press(*"5000", "enter", *"49", "enter", "enter", "enter", "enter", "enter")
        await wait_for(pilot, lambda: screen.query_one("#recent", DataTable).row_count == 1)
        await wait_for(pilot, lambda: len(fake_printer.jobs) == 1, timeout=10)
    assert not errors(app)
    [(lot_id, code, qty, cost, expires)] = rows(
        demo.path, "SELECT id, code, qty_milli, cost_cents, expires FROM lot WHERE supplier_lot = 'OT-2500'"
    )
    assert (qty, cost, expires) == (5_000_000, 4900, "2027-01-31")
    [(status, png)] = rows(demo.path, "SELECT status, image_png FROM label_job WHERE lot_id = ?", lot_id)
    assert status == "sent"
    decoded = {b.text for b in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))}
    assert code in decoded
    assert fake_printer.jobs[0]  # raster bytes reached the printer


async def test_pick_by_number_and_a_new_supplier_typed_inline(make_app, demo, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_receive(pilot, wait_for)
        number = number_of(screen.query_one("#material", PickList), "Soy wax")
        await pilot.press(*number, "enter", "2", "enter", "enter")
        await wait_for(pilot, lambda: app.focused is screen.query_one("#supplier", PickList).input)
        screen.query_one("#supplier", PickList).input.value = "Wax & Wick Ltd"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.focused is screen.query_one("#supplier-lot"))
        await pilot.press("enter", "enter", "enter")
        await wait_for(pilot, lambda: screen.query_one("#recent", DataTable).row_count == 1)
    assert rows(demo.path, "SELECT name FROM supplier WHERE name = 'Wax & Wick Ltd'")
    [(qty, supplier)] = rows(
        demo.path,
        "SELECT lot.qty_milli, supplier.name FROM lot JOIN supplier ON supplier.id = lot.supplier_id "
        "JOIN material ON material.id = lot.material_id WHERE material.name = 'Soy wax' ORDER BY lot.id DESC",
    )[:1]
    assert (qty, supplier) == (2000, "Wax & Wick Ltd")
    # no printer configured: the receipt stands and the maker is told the label did not queue
    assert any("printer" in e for e in errors(app))


async def test_unknown_supplier_gtin_is_linked_to_the_material_picked(make_app, demo, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_receive(pilot, wait_for)
        scan(app, UNKNOWN_GTIN)
        await wait_for(pilot, lambda: screen.link_code == UNKNOWN_GTIN)
        assert screen.query_one("#link").display
        number = number_of(screen.query_one("#material", PickList), "Shea butter")
        await pilot.press(*number, "enter")
        await wait_for(pilot, lambda: screen.link_code is None and app.focused is screen.query_one("#qty"))
        await pilot.press("escape", "escape")  # the receipt is abandoned (asked, then confirmed)
        await wait_for(pilot, lambda: screen.query_one("#material", PickList).value is None)
        scan(app, UNKNOWN_GTIN)  # the link stays
        await wait_for(pilot, lambda: screen.query_one("#material", PickList).value == "Shea butter")
    assert rows(
        demo.path,
        "SELECT 1 FROM supplier_code JOIN material ON material.id = supplier_code.material_id "
        "WHERE code = ? AND material.name = 'Shea butter'",
        "0" + UNKNOWN_GTIN,
    )


async def test_bad_input_is_refused_with_a_message_and_nothing_written(make_app, db_dump, wait_for) -> None:
    app = make_app()
    before = db_dump()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_receive(pilot, wait_for)
        scan(app, "NOPE-123")
        await wait_for(pilot, lambda: any("not a product, material, lot" in e for e in errors(app)))
        assert isinstance(app.screen, ReceiveScreen)
        await pilot.press("9", "9", "enter")
        await wait_for(pilot, lambda: any("no material number 99" in e for e in errors(app)))
        screen.action_done()
        await wait_for(pilot, lambda: any("choose the material first" in e for e in errors(app)))
        await pilot.press("backspace", "backspace", "1", "enter", "0", "enter")
        await wait_for(pilot, lambda: any("must be more than zero" in e for e in errors(app)))
        assert app.focused is screen.query_one("#qty")
        await pilot.press("backspace", "2", "enter", "enter", "enter", "enter", *"20250101", "enter")
        await wait_for(pilot, lambda: app.focused is screen.query_one("#confirm"))
        await pilot.press("enter")  # the service refuses: expiry before the day it arrives
        await wait_for(pilot, lambda: any("is before the received date" in e for e in errors(app)))
        assert screen.query_one("#recent", DataTable).row_count == 0
    assert db_dump() == before


async def add_material(demo, name: str) -> None:
    async with open_store(str(demo.path)):
        await catalog.add_material(name, "g")


async def test_supplier_defaults_to_the_materials_own_last_supplier(make_app, demo, wait_for) -> None:
    """Cotton wick came from Candle Craft Supply: Enter through the form keeps it (issue 10.3)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_receive(pilot, wait_for)
        material = screen.query_one("#material", PickList)
        await pilot.press(*number_of(material, "Cotton wick"), "enter")
        await wait_for(pilot, lambda: app.focused is screen.query_one("#qty"))
        assert screen.query_one("#supplier", PickList).value == "Candle Craft Supply"
        await pilot.press("5", "0", "enter", "enter", "enter", "enter", "enter", "enter")
        await wait_for(pilot, lambda: screen.query_one("#recent", DataTable).row_count == 1)
    [(supplier,)] = rows(
        demo.path,
        "SELECT supplier.name FROM lot JOIN supplier ON supplier.id = lot.supplier_id "
        "JOIN material ON material.id = lot.material_id WHERE material.name = 'Cotton wick' "
        "ORDER BY lot.id DESC LIMIT 1",
    )
    assert supplier == "Candle Craft Supply"


async def test_a_material_never_received_has_no_supplier_and_enter_does_not_pick_one(
    make_app, demo, db_dump, wait_for
) -> None:
    await add_material(demo, "Beeswax")
    app = make_app()
    before = db_dump()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_receive(pilot, wait_for)
        material = screen.query_one("#material", PickList)
        await pilot.press(*number_of(material, "Beeswax"), "enter")
        await wait_for(pilot, lambda: app.focused is screen.query_one("#qty"))
        supplier = screen.query_one("#supplier", PickList)
        assert supplier.value is None and supplier.input.value == ""
        await pilot.press("5", "enter", "enter", "enter")  # quantity, no cost, Enter on the empty supplier
        await wait_for(pilot, lambda: any("choose a supplier" in e for e in errors(app)))
        assert supplier.value is None and app.focused is supplier.input
    assert db_dump() == before


async def test_pick_numbers_stay_with_their_item_when_items_are_added(make_app, demo, wait_for) -> None:
    """Olive oil keeps its number after Oatmeal is added (it would sort before it) (issue 10.4)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_receive(pilot, wait_for)
        olive = number_of(screen.query_one("#material", PickList), "Olive oil")
        await pilot.press("f1")
        await add_material(demo, "Oatmeal")
        screen = await open_receive(pilot, wait_for)
        await wait_for(pilot, lambda: "Oatmeal" in screen.materials)
        await pilot.press(*olive, "enter")
        await wait_for(pilot, lambda: screen.query_one("#material", PickList).value is not None)
        assert screen.query_one("#material", PickList).value == "Olive oil"
        await pilot.press("f7")  # the Catalog shows the same number
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CatalogScreen")
        table = app.screen.table("materials")
        await wait_for(pilot, lambda: "Olive oil" in table.rows)
        assert str(table.get_row("Olive oil")[0]) == olive


async def test_a_labels_state_in_the_list_follows_the_queue(make_app, fake_printer, demo, wait_for) -> None:
    """Held while the clock is not trusted, then sent once it is: the list says so (issue 10.15)."""
    synced = [False]
    app = make_app(printers=(fake_printer.config,), clock_synced=lambda: synced[0])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_receive(pilot, wait_for)
        scan(app, OLIVE_GS1)
        await wait_for(pilot, lambda: app.focused is screen.query_one("#qty"))
        await pilot.press(*"5000", "enter", "enter", "enter", "enter", "enter", "enter")
        table = screen.query_one("#recent", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        assert str(table.get_row_at(0)[4]).startswith("held (job ")
        synced[0] = True  # the clock synchronised: the queue releases and prints it
        await wait_for(pilot, lambda: len(fake_printer.jobs) == 1, timeout=10)
        await wait_for(pilot, lambda: str(table.get_row_at(0)[4]).startswith("sent (job "))
