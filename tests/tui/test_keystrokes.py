"""A whole bench day with a scanner and a numeric keypad only: digits, Enter, and barcodes.

Scans come from a serial scanner on a pseudo-terminal (the real device path), keys through
the terminal (the real wedge detector). Each flow starts and ends on Home: the CANCEL command
barcode goes back. The keys each flow needed are counted and printed (`pytest -s`); a flow
that grows past its budget is a usability regression for a gloved maker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.support.databases import rows
from tests.tui.pick_numbers import number_of
from tui.screens.home import HomeScreen
from tui.screens.make import MakeScreen
from tui.screens.receive import ReceiveScreen
from tui.screens.sell import SellScreen

KEYPAD = frozenset("0123456789") | {"enter"}
GS = "\x1d"
OLIVE_GS1 = f"]C1010841234500123910OT-2500{GS}17270131"
SOAP_GTIN = "5069999000014"
CANDLE_GTIN = "5069999000021"


@dataclass
class Flow:
    """Drives one flow and counts what it took."""

    name: str
    pilot: Any
    scanner: Any
    wait_for: Callable[..., Any]
    keys: list[str] = field(default_factory=list)
    scans: int = 0

    async def press(self, *keys: str) -> None:
        assert set(keys) <= KEYPAD, f"{self.name}: {set(keys) - KEYPAD} is not on a numeric keypad"
        self.keys += keys
        await self.pilot.press(*keys)

    async def scan(self, text: str, until: Callable[[], object]) -> None:
        self.scans += 1
        self.scanner.scan(text)
        await self.until(until)

    async def until(self, condition: Callable[[], object]) -> None:
        await self.wait_for(self.pilot, condition)

    def __str__(self) -> str:
        return f"{self.name:<28} {len(self.keys):>3} keys  {self.scans:>2} scans  {' '.join(self.keys)}"


async def test_every_daily_flow_completes_with_scans_digits_and_enter_only(
    make_app, demo, pty_scanner, fake_printer, wait_for
) -> None:
    path = demo.path
    [(newer_oil,)] = rows(path, "SELECT code FROM lot WHERE supplier_lot = 'OT-2417'")
    [(soap_batch,)] = rows(
        path,
        "SELECT lot.code FROM lot JOIN product ON product.id = lot.product_id "
        "WHERE product.sku = 'SOAP-LAV' ORDER BY lot.dated DESC LIMIT 1",
    )
    app = make_app(scanners=(pty_scanner.config,), printers=(fake_printer.config,))
    flows: list[Flow] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and app.feed.status)

        def flow(name: str) -> Flow:
            flows.append(Flow(name, pilot, pty_scanner, wait_for))
            return flows[-1]

        async def back_home(f: Flow) -> None:
            await f.scan("LK!CANCEL", lambda: isinstance(app.screen, HomeScreen))

        # Receive with the supplier's GS1 barcode: material, their lot, expiry and supplier come with it
        f = flow("receive (GS1 barcode)")
        await f.press("1")
        await f.until(lambda: isinstance(app.screen, ReceiveScreen) and app.screen.materials)
        screen = app.screen
        await f.scan(OLIVE_GS1, lambda: app.focused is screen.query_one("#qty"))
        await f.press(*"5000", "enter", *"49", "enter", "enter", "enter", "enter", "enter")
        await f.until(lambda: screen.query_one("#recent").row_count == 1)
        await back_home(f)
        assert rows(path, "SELECT qty_milli, expires FROM lot WHERE supplier_lot = 'OT-2500'") == [
            (5_000_000, "2027-01-31")
        ]

        # Receive without a barcode: material and supplier by number, expiry typed as digits
        f = flow("receive (picked by number)")
        await f.press("1")
        await f.until(lambda: isinstance(app.screen, ReceiveScreen))
        number = number_of(screen.query_one("#material"), "Shea butter")
        # its supplier comes from its last delivery: Enter takes it
        await f.press(*number, "enter", *"2000", "enter", "enter", "enter", "enter")
        await f.press(*"20270301", "enter", "enter")
        await f.until(lambda: screen.query_one("#recent").row_count == 2)
        await back_home(f)
        assert rows(
            path,
            "SELECT supplier.name FROM lot JOIN supplier ON supplier.id = lot.supplier_id "
            "WHERE expires = '2027-03-01' AND qty_milli = 2000000",
        ) == [("Oliva Trading",)]

        # Make a batch, overriding the proposal with the olive oil lot on the bench
        f = flow("make (lot scanned)")
        await f.press("2")
        await f.until(lambda: isinstance(app.screen, MakeScreen) and app.screen.products)
        make = app.screen
        await f.scan(SOAP_GTIN, lambda: app.focused is make.query_one("#qty"))
        await f.press("5", "enter")
        await f.until(lambda: app.focused is make.query_one("#confirm"))
        await f.scan(newer_oil, lambda: app.focused is make.query_one("#lot-qty"))
        await f.press("enter", "enter")
        await f.until(lambda: make.query_one("#result").display)
        await back_home(f)
        used = "SELECT count(*) FROM consumption JOIN lot ON lot.id = source_id WHERE code = ?"
        assert rows(path, used, newer_oil) == [(1,)]

        # Pack and sell: customer by number, automatic order ref, items scanned, DONE barcode
        f = flow("sell (items scanned)")
        await f.press("3")
        await f.until(lambda: isinstance(app.screen, SellScreen) and app.screen.customer is None)
        sell = app.screen
        await f.until(lambda: sell.query_one("#customer").choices)
        await f.press("4", "enter", "enter")
        await f.scan(soap_batch, lambda: len(sell.lines) == 1)
        await f.scan(soap_batch, lambda: sell.lines[-1].qty == 2)
        await f.scan(CANDLE_GTIN, lambda: len(sell.lines) == 2)
        await f.scan("LK!QTY:3", lambda: sell.lines[-1].qty == 3)
        await f.scan("LK!DONE", lambda: sell.query_one("#result").display)
        await back_home(f)
        assert rows(path, "SELECT count(*) FROM sale WHERE sold_on = '2026-03-01'") == [(1,)]

    assert not [n.message for n in app._notifications if n.severity == "error"]
    print("\nkeystrokes per daily flow (scanner + numeric keypad only):")
    for f in flows:
        print("  ", f)
    budget = {"receive (GS1 barcode)": 14, "receive (picked by number)": 21, "make (lot scanned)": 6}
    budget["sell (items scanned)"] = 4
    assert {f.name: len(f.keys) for f in flows if len(f.keys) > budget[f.name]} == {}
