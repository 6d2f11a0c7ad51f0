"""The Textual glue: scans wherever focus is, typing untouched, serial scans as the same message.

Scanner keys are produced by Textual's own terminal parser from the bytes a wedge scanner types,
stamped 1 ms apart and posted as the driver would (pilot.press is ~60 ms a key: human speed).
"""

import asyncio
import os
import threading
import time

import pytest
from textual import events
from textual._xterm_parser import XTermParser
from textual.app import App, ComposeResult
from textual.widgets import Input, Static

from tui.config import ScannerConfig
from tui.devices.scanners import GS
from tui.errors import ConfigError
from tui.scanning import ScannerSupervisor, ScanReceived
from tui.widgets.literal import literal
from tui.widgets.scans import ScanFeed

TIMEOUT = 5.0


class ScanApp(App[None]):
    def __init__(self, configs=()):
        super().__init__()
        self.configs = configs
        self.warned = []
        self.feed = ScanFeed(self)
        self.scanners = ScannerSupervisor(self, self.feed, warn=self.warned.append)
        self.scans = []
        self.statuses = []

    def compose(self) -> ComposeResult:
        yield Input(id="entry")
        yield Static(id="last")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.feed.statuses.subscribe(self, self.statuses.append)
        self.scanners.start(self.configs)

    async def on_event(self, event: events.Event) -> None:
        await self.scanners.filter(event, super().on_event)

    async def on_unmount(self) -> None:
        await self.scanners.stop()

    def on_scan_received(self, message: ScanReceived) -> None:
        self.scans.append(message.scan)
        self.query_one("#last", Static).update(literal(message.scan.text))


def type_as_scanner(app, typed, step=0.001):
    t0 = time.monotonic()
    for i, event in enumerate(XTermParser().feed(typed)):
        event.time = t0 + i * step
        app.post_message(event)


async def wait_until(pilot, condition, timeout=TIMEOUT):
    async with asyncio.timeout(timeout):
        while not condition():
            await pilot.pause(0.005)


async def test_scan_goes_to_the_handler_not_the_focused_input():
    app = ScanApp()
    async with app.run_test() as pilot:
        entry = app.query_one(Input)
        assert app.focused is entry
        type_as_scanner(app, "]C1010950110102091710ABC\x1d17270131\r")
        await wait_until(pilot, lambda: app.scans)
        assert [s.text for s in app.scans] == ["]C1010950110102091710ABC" + GS + "17270131"]
        assert app.scanners._wedge.deadline() is None  # nothing held back that could still leak
        assert entry.value == ""


async def test_typing_at_human_speed_lands_in_the_input():
    app = ScanApp()
    async with app.run_test() as pilot:
        await pilot.press(*"lot7")
        await wait_until(pilot, lambda: app.query_one(Input).value == "lot7")
        await pilot.press("enter")  # a lone Enter is not held back
        assert app.scans == []


async def test_scan_between_typed_keys_leaves_only_the_typing():
    app = ScanApp()
    async with app.run_test() as pilot:
        entry = app.query_one(Input)
        await pilot.press("a", "b")
        await wait_until(pilot, lambda: entry.value == "ab")
        type_as_scanner(app, "SOAP-LAV-100\r")
        await wait_until(pilot, lambda: app.scans)
        await pilot.press("c")
        await wait_until(pilot, lambda: entry.value == "abc")
        assert [s.text for s in app.scans] == ["SOAP-LAV-100"]


async def test_markup_in_a_scan_is_delivered_and_shown_literally():
    app = ScanApp()
    async with app.run_test() as pilot:
        type_as_scanner(app, "[link=x]y[/link] [@click=app.quit]q[/]\r")
        await wait_until(pilot, lambda: app.scans)
        await pilot.pause()
        assert app.scans[0].text == "[link=x]y[/link] [@click=app.quit]q[/]"
        shown = app.query_one("#last", Static).render()
        assert str(shown) == app.scans[0].text
        assert app.is_running and app.query_one(Input).value == ""


async def test_serial_scanner_reports_status_and_scans_as_messages(tmp_path):
    link = tmp_path / "ttyACM0"
    cfg = ScannerConfig(name="counter", kind="serial", port=str(link))
    app = ScanApp([cfg])
    master = None
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: "counter" in app.feed.status)
        missing = app.feed.status["counter"]
        assert not missing.connected and "does not exist" in missing.reason

        master, path = os.openpty()
        slave_path = os.ttyname(path)
        os.close(path)
        link.symlink_to(slave_path)  # plugged in after start: picked up by the retry
        await wait_until(pilot, lambda: app.feed.status["counter"].connected)
        os.write(master, b"WAX-2611\r")
        await wait_until(pilot, lambda: app.scans)
        assert [(s.text, s.source) for s in app.scans] == [("WAX-2611", "counter")]
        assert [s.connected for s in app.statuses if s.source == "counter"] == [False, True]
        assert app.query_one(Input).value == ""
    os.close(master)
    assert not any(t.name == "scanner:counter" for t in threading.enumerate())


async def test_two_wedge_entries_are_a_config_error():
    app = ScanApp()
    async with app.run_test():
        with pytest.raises(ConfigError, match="only one scanner of kind 'wedge'"):
            app.scanners.start([ScannerConfig(name="a"), ScannerConfig(name="b")])
