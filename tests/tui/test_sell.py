"""Sell screen: an order packed by scanning batch labels and product barcodes, with command barcodes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import DataTable

from tests.support.databases import rows
from tests.tui.pick_numbers import number_of
from tui.app import LotkeeperApp
from tui.devices.scanners.base import Scan
from tui.scanning import ScanReceived
from tui.screens.sell import SellScreen
from tui.widgets.pick_list import PickList

CANDLE_GTIN = "5069999000021"
"""The demo's CNDL-LAV: 8 candles left in one batch."""


def newest_batch(path: Path, sku: str) -> str:
    [(code,)] = rows(
        path,
        "SELECT lot.code FROM lot JOIN product ON product.id = lot.product_id WHERE product.sku = ? "
        "ORDER BY lot.dated DESC LIMIT 1",
        sku,
    )
    return str(code)


def errors(app: LotkeeperApp) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


def scan(app: LotkeeperApp, text: str) -> None:
    app.post_message(ScanReceived(Scan(text, "test")))


async def open_sell(pilot: Any, wait_for: Any) -> SellScreen:
    app = pilot.app
    await pilot.press("f4")
    await wait_for(
        pilot, lambda: isinstance(app.screen, SellScreen) and app.screen.query_one(PickList).choices
    )
    assert isinstance(app.screen, SellScreen)
    return app.screen


async def test_an_order_is_packed_by_scanning_and_finished_with_command_barcodes(
    make_app, demo, wait_for
) -> None:
    soap = newest_batch(demo.path, "SOAP-LAV")
    [(candles,)] = rows(
        demo.path,
        "SELECT lot.code FROM lot JOIN product ON product.id = lot.product_id "
        "WHERE product.sku = 'CNDL-LAV' AND lot.on_hand_milli > 0",
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sell(pilot, wait_for)
        number = number_of(screen.query_one(PickList), "Priya Shah")
        await pilot.press(*number, "enter", "enter")
        await wait_for(pilot, lambda: app.focused is screen.query_one("#qty"))
        scan(app, soap)
        scan(app, soap)
        scan(app, CANDLE_GTIN)
        await wait_for(pilot, lambda: len(screen.lines) == 2)
        scan(app, "LK!QTY:3")
        await wait_for(pilot, lambda: screen.lines[-1].qty == 3)
        await wait_for(pilot, lambda: [p.qty for p in screen.planned] == [2, 3])
        assert str(screen.query_one("#totals").render()) == "2 line(s), 5 item(s): SOAP-LAV 2, CNDL-LAV 3"
        planned = [tuple(map(str, screen.query_one("#lines", DataTable).get_row_at(i)[:3])) for i in range(2)]
        assert planned == [(soap, soap, "SOAP-LAV"), ("CNDL-LAV", candles, "CNDL-LAV")]  # before selling
        scan(app, "LK!DONE")
        await wait_for(pilot, lambda: screen.query_one("#result").display)
        result = str(screen.query_one("#result").render())
        assert "for Priya Shah: 5 item(s) recorded" in result
        shown = {
            (str(r[1]), str(r[3])) for r in map(screen.query_one("#lines", DataTable).get_row_at, range(2))
        }
        assert shown == {(soap, "2"), (candles, "3")}  # the batch the service chose is shown
    assert not errors(app)
    [(ref, customer)] = rows(
        demo.path,
        "SELECT sale.ref, customer.name FROM sale JOIN customer ON customer.id = sale.customer_id "
        "WHERE sale.sold_on = '2026-03-01'",
    )
    assert customer == "Priya Shah" and ref.startswith("S260301-")
    lines = rows(
        demo.path,
        "SELECT lot.code, sale_line.qty_milli FROM sale_line JOIN sale ON sale.id = sale_line.sale_id "
        "JOIN lot ON lot.id = sale_line.lot_id WHERE sale.ref = ? ORDER BY sale_line.id",
        ref,
    )
    assert lines == [(soap, 2000), (candles, 3000)]


async def test_a_new_customer_is_added_inline_and_undo_removes_the_last_line(
    make_app, demo, wait_for
) -> None:
    soap = newest_batch(demo.path, "SOAP-LAV")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sell(pilot, wait_for)
        screen.query_one(PickList).input.value = "Ada [b]Lovelace[/b]"
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "RecordForm")
        await pilot.press("ctrl+s")  # her contacts skipped
        await wait_for(pilot, lambda: app.focused is screen.query_one("#order"))
        assert screen.customer == "Ada [b]Lovelace[/b]"
        await pilot.press(*"1042", "enter")
        scan(app, soap)
        scan(app, CANDLE_GTIN)
        await wait_for(pilot, lambda: len(screen.lines) == 2)
        scan(app, "LK!UNDO")
        await wait_for(pilot, lambda: len(screen.lines) == 1)
        await pilot.press("enter", "enter")  # Enter on an empty quantity, then Sell
        await wait_for(pilot, lambda: screen.query_one("#result").display)
    assert rows(
        demo.path,
        "SELECT customer.name, sale_line.qty_milli FROM sale JOIN customer ON customer.id = sale.customer_id "
        "JOIN sale_line ON sale_line.sale_id = sale.id WHERE sale.ref = '1042'",
    ) == [("Ada [b]Lovelace[/b]", 1000)]


async def test_too_many_unknown_codes_and_material_lots_are_refused_and_nothing_written(
    make_app, demo, db_dump, wait_for
) -> None:
    soap = newest_batch(demo.path, "SOAP-LAV")
    [(oil,)] = rows(demo.path, "SELECT code FROM lot WHERE supplier_lot = 'OT-2417'")
    before = db_dump()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sell(pilot, wait_for)
        scan(app, "LK!DONE")
        await wait_for(pilot, lambda: any("choose the customer first" in e for e in errors(app)))
        await pilot.press("1", "enter", "enter")
        scan(app, "NOT-A-CODE")
        await wait_for(pilot, lambda: any("'NOT-A-CODE' is not a product" in e for e in errors(app)))
        scan(app, oil)
        await wait_for(pilot, lambda: any(f"{oil} is a material lot" in e for e in errors(app)))
        scan(app, soap)
        await wait_for(pilot, lambda: len(screen.lines) == 1)
        await pilot.press(*"999", "enter")
        short = f"batch {soap} (SOAP-LAV) has only"
        await wait_for(pilot, lambda: any(f"{soap}: {short}" in e for e in errors(app)))  # the preview
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: sum(short in e for e in errors(app)) == 2)  # and the refusal
        assert screen.lines and not screen.query_one("#result").display
    assert db_dump() == before


async def test_a_new_customer_from_sell_gets_contacts_a_recall_needs_or_skips_them(
    make_app, demo, wait_for
) -> None:
    """Typing a new name offers e-mail, phone and address; Enter skips each (issue 10.14)."""
    from textual.widgets import Input

    from tui.widgets.record_form import RecordForm

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_sell(pilot, wait_for)
        screen.query_one(PickList).input.value = "Ada Lovelace"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordForm))
        form = app.screen
        assert form.query_one("#f-name", Input).value == "Ada Lovelace"
        assert app.focused is form.query_one("#f-email", Input)
        await pilot.press(*"ada@example.com", "enter", *"01422 555", "enter", "enter")
        await wait_for(pilot, lambda: app.screen is screen and screen.customer == "Ada Lovelace")
        await wait_for(pilot, lambda: app.focused is screen.query_one("#order"))
        await pilot.press("escape", "escape")  # a second new customer, who gives nothing
        await wait_for(pilot, lambda: screen.customer is None)
        screen.query_one(PickList).input.value = "Walk-in Bob"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordForm))
        app.post_message(ScanReceived(Scan("LK!DONE", "test")))  # saved as it is
        await wait_for(pilot, lambda: app.screen is screen and screen.customer == "Walk-in Bob")
    assert rows(
        demo.path,
        "SELECT name, email, phone, address FROM customer WHERE name IN ('Ada Lovelace', 'Walk-in Bob') "
        "ORDER BY name",
    ) == [("Ada Lovelace", "ada@example.com", "01422 555", None), ("Walk-in Bob", None, None, None)]
