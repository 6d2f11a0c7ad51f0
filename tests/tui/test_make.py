"""Make screen: product scan, quantity, the proposal overridden by scanning a lot, batch made and labelled."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from tests.support.databases import lot_of, rows
from tests.tui.pick_numbers import number_of
from tui.app import LotkeeperApp
from tui.devices.scanners.base import Scan
from tui.scanning import ScanReceived
from tui.screens.make import MakeScreen
from tui.widgets.pick_list import PickList

SOAP_GTIN = "5069999000014"
"""The demo's Lavender olive soap (SOAP-LAV): 70 g olive oil, 3 ml BLEND-LC ... per bar."""


def errors(app: LotkeeperApp) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


def scan(app: LotkeeperApp, text: str) -> None:
    app.post_message(ScanReceived(Scan(text, "test")))


async def open_make(pilot: Any, wait_for: Any) -> MakeScreen:
    app = pilot.app
    await pilot.press("f3")
    await wait_for(pilot, lambda: isinstance(app.screen, MakeScreen) and app.screen.products)
    assert isinstance(app.screen, MakeScreen)
    return app.screen


async def test_scanned_lot_replaces_the_proposal_and_the_batch_is_made_and_labelled(
    make_app, fake_printer, demo, wait_for
) -> None:
    newer_oil = lot_of(demo.path, "OT-2417")  # FEFO would take the older olive oil lot
    app = make_app(printers=(fake_printer.config,))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_make(pilot, wait_for)
        scan(app, SOAP_GTIN)
        await wait_for(pilot, lambda: app.focused is screen.query_one("#qty"))
        scan(app, "LK!QTY:5")  # the quantity barcode from the command sheet
        await wait_for(pilot, lambda: app.focused is screen.query_one("#confirm"))
        proposal = screen.proposal
        assert proposal is not None and proposal.ok and proposal.qty == 5
        fefo = [line.lot for line in proposal.lines if line.item == "Olive oil"]
        assert fefo != [newer_oil]
        scan(app, newer_oil)
        await wait_for(pilot, lambda: screen.use)
        scan(app, "LK!UNDO")  # wrong lot picked up: back to the proposal
        await wait_for(
            pilot, lambda: not screen.use and screen.proposal and screen.proposal.lines[0].lot == fefo[0]
        )
        scan(app, newer_oil)
        await wait_for(pilot, lambda: app.focused is screen.query_one("#lot-qty"))
        assert screen.query_one("#lot-qty", Input).value == "350"  # 70 g a bar, 5 bars
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.focused is screen.query_one("#confirm"))
        assert screen.proposal is not None
        oil = [(line.lot, line.explicit) for line in screen.proposal.lines if line.item == "Olive oil"]
        assert oil == [(newer_oil, True)]
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.query_one("#result").display)
        await wait_for(pilot, lambda: len(fake_printer.jobs) == 1, timeout=10)
    assert not errors(app)
    [(batch_id, qty)] = rows(
        demo.path,
        "SELECT lot.id, lot.qty_milli FROM lot JOIN product ON product.id = lot.product_id "
        "WHERE product.sku = 'SOAP-LAV' ORDER BY lot.id DESC LIMIT 1",
    )
    assert qty == 5000
    used = rows(
        demo.path,
        "SELECT source.code, consumption.qty_milli FROM consumption JOIN lot source ON source.id = "
        "consumption.source_id JOIN material ON material.id = source.material_id "
        "WHERE consumption.batch_id = ? AND material.name = 'Olive oil'",
        batch_id,
    )
    assert used == [(newer_oil, 350_000)]
    assert rows(demo.path, "SELECT copies, status FROM label_job WHERE lot_id = ?", batch_id) == [(5, "sent")]


async def test_shortage_expired_and_foreign_lots_are_shown_and_nothing_is_written(
    make_app, demo, db_dump, wait_for
) -> None:
    expired_shea = lot_of(demo.path, "SB-77")
    wax = lot_of(demo.path, "CCS-W55")
    before = db_dump()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_make(pilot, wait_for)
        scan(app, wax)
        await wait_for(pilot, lambda: any("choose the product and quantity" in e for e in errors(app)))
        number = number_of(screen.query_one("#product", PickList), "SOAP-LAV")
        await pilot.press(*number, "enter", "1", "0", "enter")
        await wait_for(pilot, lambda: screen.proposal is not None)
        problems = str(screen.query_one("#problems").render())
        assert "not enough BLEND-LC: need 30 ml, 18 ml usable" in problems
        assert f"Expired, not used: {expired_shea} Shea butter" in problems
        scan(app, expired_shea)
        await wait_for(
            pilot, lambda: any(f"lot {expired_shea} (Shea butter) expired" in e for e in errors(app))
        )
        scan(app, wax)
        await wait_for(
            pilot, lambda: any(f"lot {wax} (Soy wax) is not in the recipe" in e for e in errors(app))
        )
        assert not screen.use
        await pilot.press("enter")  # make anyway: the service refuses
        await wait_for(pilot, lambda: any("cannot make 10 SOAP-LAV" in e for e in errors(app)))
        assert not screen.query_one("#result").display
    assert db_dump() == before


async def test_a_batch_that_strays_from_its_recipe_asks_before_it_is_recorded(
    make_app, demo, wait_for
) -> None:
    """210 g of olive oil where the recipe says 420 g: the screen says so and asks (issue 10.10)."""
    from tui.widgets.ask import Ask

    newer_oil = lot_of(demo.path, "OT-2417")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_make(pilot, wait_for)
        scan(app, SOAP_GTIN)
        await wait_for(pilot, lambda: app.focused is screen.query_one("#qty"))
        await pilot.press("6", "enter")
        await wait_for(pilot, lambda: app.focused is screen.query_one("#confirm"))
        scan(app, newer_oil)
        await wait_for(pilot, lambda: app.focused is screen.query_one("#lot-qty"))
        assert screen.query_one("#lot-qty", Input).value == "420"
        await pilot.press(*"210", "enter")
        await wait_for(pilot, lambda: app.focused is screen.query_one("#confirm"))
        warning = "Olive oil: 210 g used where the recipe says 420 g (50 % less)"
        assert warning in str(screen.query_one("#problems").render())
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        assert warning in app.screen.question
        await pilot.press("escape")  # no: back to the amount
        await wait_for(pilot, lambda: app.focused is screen.query_one("#lot-qty"))
        assert not screen.query_one("#result").display
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        await pilot.press("enter")  # yes, it was meant
        await wait_for(pilot, lambda: screen.query_one("#result").display)
    [(batch,)] = rows(
        demo.path,
        "SELECT lot.code FROM lot JOIN product ON product.id = lot.product_id "
        "WHERE product.sku = 'SOAP-LAV' AND lot.dated = '2026-03-01'",
    )
    used = "SELECT consumption.qty_milli FROM consumption JOIN lot ON lot.id = source_id WHERE code = ?"
    assert rows(demo.path, used, newer_oil) == [(210_000,)]
    assert rows(demo.path, "SELECT message FROM event WHERE kind = 'recipe_deviation'") == [
        (f"batch {batch}: {warning}, recorded as made",)
    ]


async def test_a_fraction_of_a_piece_is_refused_and_nothing_is_made(
    make_app, demo, db_dump, wait_for
) -> None:
    """2.5 soaps: refused by the service (so the CLI refuses too), nothing written (issue 10.5)."""
    before = db_dump()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_make(pilot, wait_for)
        scan(app, SOAP_GTIN)
        await wait_for(pilot, lambda: app.focused is screen.query_one("#qty"))
        await pilot.press("2", "full_stop", "5", "enter")
        await wait_for(pilot, lambda: any("whole" in e for e in errors(app)), timeout=3)
        assert app.focused is screen.query_one("#qty")
        scan(app, "LK!DONE")
        await wait_for(pilot, lambda: sum("whole" in e for e in errors(app)) == 2, timeout=3)
        assert not screen.query_one("#result").display
    assert db_dump() == before
