"""Every main screen at 80x24 on the frozen demo, dark theme (and Home in light too).

Each screenshot waits until the screen's own workers are done and its cursors stop blinking, so
the picture depends on the data only. Update after an intended change with
`pytest tests/tui/test_snapshots.py --snapshot-update` and look at the report before committing.
"""

from __future__ import annotations

import time

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from textual.worker import WorkerState

from tui.devices.scanners.base import Scan
from tui.scanning import ScanReceived

SIZE = (80, 24)
DONE = (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED)


async def settle(pilot: Pilot, screen_name: str) -> None:
    """Wait until `screen_name` is shown and its workers have finished; freeze cursor blink."""
    app = pilot.app
    deadline = time.monotonic() + 10
    quiet = 0
    while quiet < 3:  # a finished worker may post messages that start another: look a few times
        screen = app.screen
        busy = [w for w in app.workers if w.group not in ("scanners", "printing") and w.state not in DONE]
        settled = type(screen).__name__ == screen_name and screen.is_mounted and not busy
        quiet = quiet + 1 if settled else 0
        assert time.monotonic() < deadline, f"{screen_name} did not settle (on {screen}, busy {busy})"
        await pilot.pause(0.05)
    for field in screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def opened(key: str, screen_name: str):
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot, "HomeScreen")
        if key:
            await pilot.press(key)
        await settle(pilot, screen_name)

    return run_before


@pytest.mark.parametrize(
    ("key", "screen_name"),
    [
        ("", "HomeScreen"),
        ("f2", "ReceiveScreen"),
        ("f3", "MakeScreen"),
        ("f4", "SellScreen"),
        ("f6", "StockScreen"),
        ("f7", "CatalogScreen"),
        ("f8", "LabelsScreen"),
        ("f9", "DevicesScreen"),
        ("f10", "PackScreen"),
    ],
)
def test_screen(snap_compare, make_app, key: str, screen_name: str) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=opened(key, screen_name))


def test_trace_after_scanning_a_lot(snap_compare, make_app, demo) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot, "HomeScreen")
        pilot.app.post_message(ScanReceived(Scan(demo.summary.example_lot, "scanner")))
        deadline = time.monotonic() + 10
        while getattr(pilot.app.screen, "current", None) is None:
            assert time.monotonic() < deadline
            await pilot.pause(0.02)
        await settle(pilot, "TraceScreen")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_home_light_theme(snap_compare, make_app) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot, "HomeScreen")
        await pilot.press("ctrl+t")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
