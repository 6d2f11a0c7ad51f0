"""A bench scale in the App, on a pty fake speaking real protocol bytes: the Devices screen shows
its protocol and live reading through unplug and replug; the Make screen fills a scanned lot's
amount with the next fresh stable weight, and the batch keeps planned and weighed amounts."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Static

from tests.support.databases import rows
from tests.support.scales import FakeScale
from tui.app import LotkeeperApp
from tui.config import Config, ScaleConfig
from tui.devices.scanners.base import Scan
from tui.scanning import ScanReceived
from tui.screens.devices import DevicesScreen
from tui.screens.make import MakeScreen
from tui.widgets.literal_table import LiteralTable
from tui.widgets.scale_line import ScaleLine

SOAP_GTIN = "5069999000014"
"""The demo's Lavender olive soap (SOAP-LAV): 70 g olive oil a bar, among others."""


def scan(app: LotkeeperApp, text: str) -> None:
    app.post_message(ScanReceived(Scan(text, "test")))


def with_scale(make_app: Any, fake: FakeScale, **kw: Any) -> LotkeeperApp:
    scale = ScaleConfig(name="bench", port=fake.port, **kw)
    return make_app(config=Config(scales=(scale,)), scales=(scale,))


def scale_row(screen: DevicesScreen) -> list[str]:
    """Scale, protocol, port and reading, as shown (wrapped lines joined again)."""
    name, protocol, port, reading = (
        str(c) for c in screen.query_one("#scales", LiteralTable).get_row("bench")
    )
    return [name, protocol, port.replace("\n", ""), reading.replace("\n", " ")]


async def test_devices_shows_the_scales_protocol_and_live_reading_through_unplug_and_replug(
    make_app, fake_scale, wait_for, tmp_path
) -> None:
    link = tmp_path / "scale"
    fake = fake_scale(link=link)
    app = with_scale(make_app, fake)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, DevicesScreen))
        screen = app.screen
        assert isinstance(screen, DevicesScreen)
        await wait_for(pilot, lambda: app.scale_feed.scales["bench"].status is not None)
        fake.play([b"US,GS,+0000.120kg", b"US,GS,+0000.240kg"])
        await wait_for(pilot, lambda: scale_row(screen)[3] == "0.24 kg (moving)")
        assert scale_row(screen)[1] == "and" and scale_row(screen)[2] == str(link)
        fake.play([b"ST,GS,+0000.250kg"])
        await wait_for(pilot, lambda: scale_row(screen)[3] == "0.25 kg (stable)")
        fake.unplug()
        await wait_for(
            pilot, lambda: scale_row(screen)[3].startswith("disconnected: scale 'bench' was unplugged")
        )
        back = fake_scale(link=link)  # another scale under the same name, in MT-SICS
        back.play([b"S S      42.00 g"])
        await wait_for(pilot, lambda: scale_row(screen)[1:4:2] == ["mt-sics", "42 g (stable)"], timeout=10)
        messages = [n.message for n in app._notifications]
        assert any("scale bench: scale 'bench' was unplugged" in m for m in messages)
        assert "scale bench is back" in messages
        await pilot.press("t")  # MT-SICS tares with T
        await wait_for(pilot, lambda: b"T" in back.received)


async def test_a_missing_scale_is_said_and_nothing_else_stops(make_app, wait_for, tmp_path) -> None:
    scale = ScaleConfig(name="bench", port=str(tmp_path / "no-such-port"))
    app = make_app(config=Config(scales=(scale,)), scales=(scale,))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: any("scale bench:" in n.message for n in app._notifications))
        alerts = app.screen.query_one("#alerts", Static)
        await wait_for(pilot, lambda: "scale bench: " in str(alerts.render()))  # Home's alerts
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, DevicesScreen))
        assert isinstance(app.screen, DevicesScreen)
        assert scale_row(app.screen)[3].startswith("disconnected: ")


async def test_make_fills_a_scanned_lots_amount_with_the_next_fresh_stable_weight(
    make_app, fake_scale, demo, wait_for
) -> None:
    [(oil,)] = rows(demo.path, "SELECT code FROM lot WHERE supplier_lot = 'OT-2417'")
    fake = fake_scale()
    app = with_scale(make_app, fake, protocol="and")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, MakeScreen) and app.screen.products)
        screen = app.screen
        assert isinstance(screen, MakeScreen)
        line = screen.query_one("#scale", ScaleLine)
        fake.play([b"ST,GS,+0000.350kg"])  # the last ingredient's bowl, still on the pan
        await wait_for(pilot, lambda: "0.35 kg (stable)" in str(line.render()))
        scan(app, SOAP_GTIN)
        await wait_for(pilot, lambda: app.focused is screen.query_one("#qty"))
        scan(app, "LK!QTY:5")
        await wait_for(pilot, lambda: app.focused is screen.query_one("#confirm"))
        scan(app, oil)
        await wait_for(pilot, lambda: line.lot == oil)
        await pilot.pause(0.3)  # the same stable weight keeps coming: it is not this line's
        assert screen.use[oil][1] == 350 and line.lot == oil
        fake.play([b"ST,GS,+0000.000kg", b"US,GS,+0000.200kg", b"US,GS,+0000.361kg", b"ST,GS,+0000.362kg"])
        await wait_for(pilot, lambda: screen.query_one("#lot-qty", Input).value == "362")
        assert line.lot is None and screen.use[oil][1] == 362
        assert "next: scan a lot of" in screen.next_step
        await wait_for(pilot, lambda: app.focused is screen.query_one("#confirm"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.query_one("#result").display)
    [(used, planned)] = rows(
        demo.path,
        "SELECT consumption.qty_milli, consumption.planned_milli FROM consumption JOIN lot source "
        "ON source.id = consumption.source_id WHERE source.code = ? ORDER BY consumption.id DESC LIMIT 1",
        oil,
    )
    assert (used, planned) == (362_000, 350_000)


async def test_a_weight_the_lot_cannot_give_is_refused_and_the_amount_stays(
    make_app, fake_scale, demo, db_dump, wait_for
) -> None:
    [(oil,)] = rows(demo.path, "SELECT code FROM lot WHERE supplier_lot = 'OT-2417'")  # 10 kg
    fake = fake_scale()
    app = with_scale(make_app, fake, protocol="and")
    before = db_dump()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, MakeScreen) and app.screen.products)
        screen = app.screen
        assert isinstance(screen, MakeScreen)
        scan(app, SOAP_GTIN)
        await wait_for(pilot, lambda: app.focused is screen.query_one("#qty"))
        scan(app, "LK!QTY:5")
        await wait_for(pilot, lambda: app.focused is screen.query_one("#confirm"))
        scan(app, oil)
        await wait_for(pilot, lambda: screen.query_one("#scale", ScaleLine).lot == oil)
        fake.play([b"US,GS,+0010.400kg", b"ST,GS,+0010.500kg"])
        await wait_for(
            pilot,
            lambda: any(
                f"lot {oil} (Olive oil) has only 10000 g on hand" in n.message for n in app._notifications
            ),
        )
        assert screen.use[oil][1] == 350 and screen.query_one("#lot-qty", Input).value == "350"
    assert db_dump() == before
