"""The App frame: store lifetime, modes and palette, scan routing, devices owned by the App."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from textual import events
from textual.keys import _character_to_key
from textual.widgets import Input

from tui.app import LotkeeperApp
from tui.config import Config, PrinterConfig
from tui.context import AppContext
from tui.devices.printers import make_printer
from tui.devices.scanners.base import Scan
from tui.scanning import ScanReceived
from tui.screens.home import HomeScreen
from tui.screens.modes import MODE_SCREENS
from tui.screens.stock import StockScreen
from tui.screens.trace import TraceScreen
from tui.services.printing import PrintService
from tui.store.db import open_store
from tui.store.models import JobStatus


def notes(app: LotkeeperApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_starts_on_home_with_the_store_open_and_closes_it(make_app, demo, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.store is not None and app.store.target == str(demo.path)
        assert app.current_mode == "home"
    # closed by the App's own task: the file is no longer in WAL use by us
    with closing(sqlite3.connect(demo.path)) as conn:
        assert conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0


async def test_a_database_that_cannot_open_ends_with_a_message(tmp_path: Path, capsys) -> None:
    app = LotkeeperApp(AppContext(Config(), db=str(tmp_path)))  # a folder, not a file
    async with app.run_test(size=(80, 24)):
        pass
    assert app.return_code == 2
    assert "is a folder" in " ".join(capsys.readouterr().err.split())


async def test_quit_without_a_printer_ends_at_once(make_app, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running)
    assert app.return_code == 0


async def test_function_keys_switch_modes_and_palette_lists_every_mode(make_app, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, TraceScreen))
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, StockScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        titles = {c.title.partition(":")[0] for c in app.get_system_commands(app.screen)}
        assert {f"Go to {title}" for _, _, title in MODE_SCREENS.values()} <= titles
        assert {"Toggle dark/light", "Refresh (Home)"} <= titles  # screen bindings are commands too
        dark = app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.current_theme.dark is not dark


async def test_every_mode_opens_its_screen(make_app, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for n, (_, name, _) in enumerate(MODE_SCREENS.values(), start=1):
            await pilot.press(f"f{n}")  # screens start from the App's task, where the store is open
            await wait_for(pilot, lambda name=name: type(app.screen).__name__ == name)
        assert not [n for n in app._notifications if n.severity == "error"]


async def test_scans_open_what_was_scanned(make_app, demo, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.post_message(ScanReceived(Scan("SOAP-LAV", "test")))
        await wait_for(pilot, lambda: isinstance(app.screen, StockScreen))
        stock = app.screen
        await wait_for(pilot, lambda: stock.query_one("#filter", Input).value == "SOAP-LAV")
        await wait_for(pilot, lambda: stock.shown and all(r.item == "SOAP-LAV" for r in stock.shown))
        app.post_message(ScanReceived(Scan(demo.summary.example_lot, "test")))
        await wait_for(pilot, lambda: isinstance(app.screen, TraceScreen) and app.screen.current is not None)
        assert app.screen.current.code == demo.summary.example_lot


async def test_unknown_scan_rings_and_says_what_it_is(make_app, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        bells = []
        app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
        app.post_message(ScanReceived(Scan("NO-SUCH-THING-42", "test")))
        await wait_for(pilot, lambda: any("NO-SUCH-THING-42" in n for n in notes(app)))
        assert bells and isinstance(app.screen, HomeScreen)


async def test_command_barcodes_reach_the_active_screen(make_app, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.post_message(ScanReceived(Scan("LK!DONE", "test")))
        await wait_for(pilot, lambda: "nothing to finish on this screen" in notes(app))
        app.post_message(ScanReceived(Scan("LK!QTY:3", "test")))
        await wait_for(pilot, lambda: any("Quantity 3: nothing to apply" in n for n in notes(app)))
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, TraceScreen))
        app.post_message(ScanReceived(Scan("lk!cancel", "test")))  # Caps Lock flipped it
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_wedge_burst_of_keys_is_a_scan_not_typing(make_app, demo, wait_for) -> None:
    app = make_app()
    code = demo.summary.example_lot
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, TraceScreen))
        typed = app.screen.query_one("#code", Input)
        typed.focus()
        for ch in code:
            app.post_message(events.Key(_character_to_key(ch), ch))
        app.post_message(events.Key("enter", "\r"))
        await wait_for(pilot, lambda: app.screen.current is not None)
        assert app.screen.current.code == code
        assert typed.value == ""  # no stray keystrokes: the scan is shown by the trace, not typed


async def test_scanner_and_printer_trouble_is_reported(troubled_app, demo, wait_for) -> None:
    app = troubled_app
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: any(n.startswith("scanner bench:") for n in notes(app)))
        await wait_for(pilot, lambda: not app.feed.status["bench"].connected)
        await wait_for(pilot, lambda: _job_error(demo.path), timeout=10)
        await pilot.press("ctrl+q")
    assert "refused" in _job_error(demo.path)


def _job_error(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        row = conn.execute(
            "SELECT last_error FROM label_job WHERE status = ?", (JobStatus.QUEUED.value,)
        ).fetchone()
    return (row and row[0]) or ""


async def test_print_queue_runs_in_the_app_and_a_bad_printer_entry_is_reported(
    make_app, demo, fake_printer, wait_for
) -> None:
    async with open_store(str(demo.path)):
        await PrintService([make_printer(fake_printer.config)]).enqueue_lot_label(demo.summary.example_lot)
    app = make_app(printers=(fake_printer.config,))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: fake_printer.jobs, timeout=10)
        await pilot.press("ctrl+q")
    assert fake_printer.jobs[0]  # the raster bytes arrived
    laser = PrinterConfig(name="x", kind="laser")  # type: ignore[arg-type]
    bad = make_app(printers=(laser,))
    async with bad.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: any("labels will not print" in n for n in notes(bad)))
        assert isinstance(bad.screen, HomeScreen)
