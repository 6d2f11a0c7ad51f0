"""The daily-flow forms (Receive, Make, Sell) do not lose work or record the wrong thing (issue 10).

Escape asks before a filled form is thrown away (10.2); a minus sign is refused, not dropped
(10.6); a product scanned while making another is refused (10.7); after a refused finish the
cursor is on the field to fix (10.8); the expiry field takes the formats its hint names (10.16).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input

from tests.support.databases import rows
from tests.tui.pick_numbers import number_of
from tui.app import LotkeeperApp
from tui.config import Config, StoreConfig
from tui.devices.scanners.base import Scan
from tui.scanning import ScanReceived
from tui.screens.home import HomeScreen
from tui.screens.make import MakeScreen
from tui.screens.receive import ReceiveScreen
from tui.screens.sell import SellScreen
from tui.widgets.ask import Ask
from tui.widgets.pick_list import PickList

SOAP_GTIN = "5069999000014"
CANDLE_GTIN = "5069999000021"


def errors(app: LotkeeperApp) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


def notes(app: LotkeeperApp) -> list[str]:
    return [n.message for n in app._notifications]


def scan(app: LotkeeperApp, text: str) -> None:
    app.post_message(ScanReceived(Scan(text, "test")))


def soap_batch(path: Path) -> str:
    [(code,)] = rows(
        path,
        "SELECT lot.code FROM lot JOIN product ON product.id = lot.product_id "
        "WHERE product.sku = 'SOAP-LAV' ORDER BY lot.dated DESC LIMIT 1",
    )
    return str(code)


async def opened(pilot: Any, wait_for: Any, key: str, kind: type) -> Any:
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind) and pilot.app.screen.is_mounted)  # type: ignore[attr-defined]
    screen = pilot.app.screen
    picks = list(screen.query(PickList))
    await wait_for(pilot, lambda: all(p.choices for p in picks))
    return screen


def value(screen: Any, field: str) -> str:
    return str(screen.query_one(f"#{field}", Input).value)


# -- 10.2 one Escape never throws a filled form away --------------------------------------------


async def test_escape_asks_before_an_order_is_thrown_away_and_navigation_keeps_it(
    make_app, demo, wait_for
) -> None:
    soap = soap_batch(demo.path)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sell = await opened(pilot, wait_for, "f4", SellScreen)
        await pilot.press(*number_of(sell.query_one(PickList), "Priya Shah"), "enter", "enter")
        scan(app, soap)
        scan(app, CANDLE_GTIN)
        await wait_for(pilot, lambda: len(sell.lines) == 2)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        assert "2 scanned line(s)" in app.screen.question
        await pilot.press("enter")  # keep it
        await wait_for(pilot, lambda: app.screen is sell)
        assert len(sell.lines) == 2 and sell.customer == "Priya Shah"
        await pilot.press("f1")  # an accidental trip elsewhere keeps the draft
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.screen is sell)
        assert len(sell.lines) == 2
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        scan(app, "LK!CANCEL")  # the CANCEL barcode confirms, like a second Escape
        await wait_for(pilot, lambda: app.screen is sell and not sell.lines)
        assert sell.customer is None and "order cleared: nothing was saved" in notes(app)
        await pilot.press("escape")  # an empty form: back to Home at once
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    assert rows(demo.path, "SELECT count(*) FROM sale WHERE sold_on = '2026-03-01'") == [(0,)]


async def test_a_second_escape_discards_a_filled_receipt(make_app, demo, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        receive = await opened(pilot, wait_for, "f2", ReceiveScreen)
        await pilot.press(*number_of(receive.query_one("#material", PickList), "Olive oil"), "enter")
        await pilot.press(*"5000", "enter", *"49")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        assert value(receive, "qty") == "5000"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is receive and not value(receive, "qty"))
        assert receive.query_one("#material", PickList).value is None
        await wait_for(pilot, lambda: app.focused is receive.query_one("#material", PickList).input)


# -- 10.6 a minus sign is refused with a message, never dropped ---------------------------------


async def test_minus_signs_are_refused_the_same_way_everywhere(make_app, demo, db_dump, wait_for) -> None:
    before = db_dump()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        receive = await opened(pilot, wait_for, "f2", ReceiveScreen)
        await pilot.press(*number_of(receive.query_one("#material", PickList), "Olive oil"), "enter")
        await pilot.press("minus", "5", "enter")
        await wait_for(pilot, lambda: any("quantity -5 is negative" in e for e in errors(app)))
        assert value(receive, "qty") == "-5" and app.focused is receive.query_one("#qty")
        await pilot.press("backspace", "backspace", "5", "enter", "minus", "3", "enter")
        await wait_for(pilot, lambda: any("cost -3 is negative" in e for e in errors(app)))
        assert app.focused is receive.query_one("#cost")

        make = await opened(pilot, wait_for, "f3", MakeScreen)
        scan(app, SOAP_GTIN)
        await wait_for(pilot, lambda: app.focused is make.query_one("#qty"))
        await pilot.press("minus", "2", "enter")
        await wait_for(pilot, lambda: sum("quantity -2 is negative" in e for e in errors(app)) == 1)

        sell = await opened(pilot, wait_for, "f4", SellScreen)
        await pilot.press("1", "enter", "enter")
        scan(app, soap_batch(demo.path))
        await wait_for(pilot, lambda: len(sell.lines) == 1)
        await pilot.press("minus", "2", "enter")
        await wait_for(pilot, lambda: sum("quantity -2 is negative" in e for e in errors(app)) == 2)
        assert sell.lines[0].qty == 1
    assert db_dump() == before


# -- 10.7 a product scan on Make's lot step does not switch the product --------------------------


async def test_scanning_another_product_while_making_one_is_refused(make_app, demo, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        make = await opened(pilot, wait_for, "f3", MakeScreen)
        scan(app, SOAP_GTIN)
        await wait_for(pilot, lambda: app.focused is make.query_one("#qty"))
        await pilot.press("5", "enter")
        await wait_for(pilot, lambda: app.focused is make.query_one("#confirm"))
        scan(app, CANDLE_GTIN)
        await wait_for(pilot, lambda: any("CNDL-LAV" in e and "SOAP-LAV" in e for e in errors(app)))
        assert (make.sku, make.qty) == ("SOAP-LAV", "5")
        assert make.proposal is not None and make.proposal.product == "SOAP-LAV"


# -- 10.8 after a refused finish the cursor is on the field that needs fixing ---------------------


async def test_after_a_refused_receipt_the_cursor_is_on_the_date(make_app, demo, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        receive = await opened(pilot, wait_for, "f2", ReceiveScreen)
        await pilot.press(*number_of(receive.query_one("#material", PickList), "Olive oil"), "enter")
        await pilot.press("2", "enter", "enter", "enter", "enter", *"20250101", "enter", "enter")
        await wait_for(pilot, lambda: any("is before the received date" in e for e in errors(app)))
        assert app.focused is receive.query_one("#expires")
        await pilot.press(*"20270101", "enter", "enter")  # the refused date is selected: typing replaces it
        await wait_for(pilot, lambda: receive.query_one("#recent").row_count == 1)
    assert rows(demo.path, "SELECT count(*) FROM lot WHERE expires = '2027-01-01'") == [(1,)]


async def test_after_a_refused_order_digits_correct_the_line_that_was_refused(
    make_app, demo, wait_for
) -> None:
    soap = soap_batch(demo.path)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sell = await opened(pilot, wait_for, "f4", SellScreen)
        await pilot.press("1", "enter", "enter")
        scan(app, soap)
        await wait_for(pilot, lambda: len(sell.lines) == 1)
        await pilot.press(*"999", "enter")
        scan(app, CANDLE_GTIN)
        await wait_for(pilot, lambda: len(sell.planned) == 2)
        await pilot.press("enter", "enter")  # Enter on the empty quantity, then Sell: refused
        await wait_for(pilot, lambda: any(e.startswith("batch ") and "has only" in e for e in errors(app)))
        assert app.focused is sell.query_one("#qty")
        await pilot.press("5", "enter")  # corrects the refused line, not the last one
        await wait_for(pilot, lambda: sell.lines[0].qty == 5)
        assert sell.lines[1].qty == 1 and not sell.query_one("#result").display
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: sell.query_one("#result").display)
    assert rows(
        demo.path,
        "SELECT lot.code, sale_line.qty_milli FROM sale_line JOIN lot ON lot.id = sale_line.lot_id "
        "JOIN sale ON sale.id = sale_line.sale_id WHERE sale.sold_on = '2026-03-01' ORDER BY sale_line.id",
    )[0] == (soap, 5000)


async def test_after_a_refused_batch_the_cursor_is_on_the_quantity(make_app, demo, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        make = await opened(pilot, wait_for, "f3", MakeScreen)
        scan(app, SOAP_GTIN)
        await wait_for(pilot, lambda: app.focused is make.query_one("#qty"))
        await pilot.press(*"10", "enter")  # not enough fragrance blend for ten
        await wait_for(pilot, lambda: make.proposal is not None and not make.proposal.ok)
        make.query_one("#confirm").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("cannot make 10 SOAP-LAV" in e for e in errors(app)))
        assert app.focused is make.query_one("#qty")


# -- 10.16 the expiry field takes what its hint says, in the configured order ---------------------


async def test_expiry_takes_the_formats_its_hint_names(make_app, demo, wait_for) -> None:
    app = make_app(config=Config(store=StoreConfig(date_order="dmy")))
    async with app.run_test(size=(80, 24)) as pilot:
        receive = await opened(pilot, wait_for, "f2", ReceiveScreen)
        olive = number_of(receive.query_one("#material", PickList), "Olive oil")
        for typed, stored in (
            ("31.12.2027", "2027-12-31"),
            ("2027-11-30", "2027-11-30"),
            ("20271031", "2027-10-31"),
        ):
            await pilot.press(*olive, "enter", "2", "enter", "enter", "enter", "enter")
            await wait_for(pilot, lambda: app.focused is receive.query_one("#expires"))
            hint = str(receive.query_one("#hint").render())
            assert "YYYYMMDD" in hint and "YYYY-MM-DD" in hint and "DD.MM.YYYY" in hint
            await pilot.press(*typed, "enter", "enter")
            await wait_for(
                pilot, lambda stored=stored: rows(demo.path, "SELECT 1 FROM lot WHERE expires = ?", stored)
            )
        await pilot.press(*olive, "enter", "2", "enter", "enter", "enter", "enter", *"31.13.2027", "enter")
        await wait_for(pilot, lambda: any("31.13.2027" in e for e in errors(app)))
        refusal = next(e for e in errors(app) if "31.13.2027" in e)
        assert "YYYYMMDD" in refusal and "YYYY-MM-DD" in refusal and "DD.MM.YYYY" in refusal
        assert app.focused is receive.query_one("#expires")
