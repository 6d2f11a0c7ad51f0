"""Devices screen: live scanner and printer status, and every byte of a scan shown literally."""

from __future__ import annotations

import os

from textual.widgets import Static

from tests.support.printers import closed_port
from tui.config import Config, PrinterConfig, ScannerConfig
from tui.screens.devices import DevicesScreen
from tui.widgets.literal_table import LiteralTable
from tui.widgets.raw_scan import inspect_scan, shared_affixes, visible

NASTY = b"]C1010950110153001717250101\x1d10[link=x]y[/link]\r"


def cells(screen: DevicesScreen, table: str, key: str) -> list[str]:
    return [str(c) for c in screen.query_one(f"#{table}", LiteralTable).get_row(key)]


async def test_scan_bytes_shown_literally_and_status_is_live(
    make_app, pty_scanner, wait_for, tmp_path
) -> None:
    scanner = pty_scanner.config
    config = Config(
        scanners=(ScannerConfig(), scanner),
        printers=(
            PrinterConfig(name="folder", kind="file", uri=str(tmp_path / "labels")),
            PrinterConfig(name="ql", kind="brother", uri=f"tcp://127.0.0.1:{closed_port()}", timeout_s=1),
        ),
    )
    app = make_app(config=config, scanners=(scanner,), printers=config.printers, clock_synced=lambda: False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, DevicesScreen))
        screen = app.screen
        assert isinstance(screen, DevicesScreen)
        await wait_for(pilot, lambda: cells(screen, "scanners", "bench")[2] == "connected")
        await wait_for(pilot, lambda: "ql" in screen.printer_status and "folder" in screen.printer_status)
        assert cells(screen, "printers", "folder")[2] == "ready"
        assert cells(screen, "printers", "ql")[2] == "needs attention"

        os.write(pty_scanner.master, NASTY)
        await wait_for(pilot, lambda: screen.scans)
        row = cells(screen, "scans", str(screen.scans[0][0]))
        assert row[2:4] == ["]C1", "GS x1"]
        assert "".join(row[4].split("\n")) == "]C1010950110153001717250101␝10[link=x]y[/link]"
        detail = screen.query_one("#scan-detail", Static)
        await wait_for(pilot, lambda: "means: unknown" in str(detail.render()))
        shown = str(detail.render())
        assert "1D 31 30 5B 6C 69 6E 6B 3D 78 5D" in shown  # GS, "10[link=x]"
        assert "AIM identifier: ]C1 (GS1-128)" in shown
        assert "[link=x]y[/link]" in shown
        # The scan opened nothing: the bench stays on screen.
        assert app.screen is screen

        os.close(pty_scanner.master)  # the scanner is unplugged
        pty_scanner.master = os.open("/dev/null", os.O_RDONLY)  # for the fixture to close
        await wait_for(pilot, lambda: cells(screen, "scanners", "bench")[2] == "disconnected")
        assert cells(screen, "scanners", "bench")[3] != scanner.port
        assert app.is_running
        assert "Clock: the clock is not synchronised" in str(screen.query_one("#clock", Static).render())


def test_visible_and_shared_affixes() -> None:
    assert visible("A\x1dB\r\t\x7f\u202e") == "A␝B␍␉␡<U+202E>"
    scan = inspect_scan("01|10AB|17", "s", separator="|")
    assert (scan.aim, scan.separators) == (None, "'|' x2 (configured)")
    assert inspect_scan("]E04006381333931", "s").symbology == "EAN-13"
    assert shared_affixes(["]C1AB-1#", "AB-22#"]) == ("AB-", "#")
    assert shared_affixes(["same#", "same#"]) == ("", "")
