"""Home: numbered menu, alerts a person must act on, recent activity."""

from __future__ import annotations

import re
import sqlite3
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta

from textual.widgets import DataTable, Static

from tests.tui.conftest import TODAY
from tui.config import BackupConfig, Config, PrinterConfig
from tui.devices.printers import make_printer
from tui.screens.home import HomeScreen
from tui.screens.stock import StockScreen
from tui.screens.trace import TraceScreen
from tui.services.printing import ClockGuard, PrintService
from tui.store.db import open_store
from tui.store.models import Event


def alerts(app) -> str:
    return str(app.screen.query_one("#alerts", Static).render())


async def test_alerts_and_recent_activity_from_the_demo(make_app, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "reorder" in alerts(app))
        text = alerts(app)
        assert "expired 2026-02-24 M251201-001 Shea butter, 1680 g" in text
        assert "reorder Amber jar 200 ml: 28 of 30 pcs" in text
        table = app.screen.query_one("#recent", DataTable)
        assert table.row_count == 30
        newest = [str(c) for c in table.get_row_at(0)]
        assert newest == ["03-01 09:30", "sell", "SOAP260116-01", "SOAP-LAV", "-3 pcs", "MKT-0503"]


async def test_digits_open_the_flows(make_app, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        for key, mode, screen in (("5", "stock", StockScreen), ("4", "trace", TraceScreen)):
            await pilot.press(key)
            await wait_for(pilot, lambda mode=mode, screen=screen: isinstance(app.screen, screen))
            assert app.current_mode == mode
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("1")
        await wait_for(pilot, lambda: app.current_mode == "receive")


async def test_device_trouble_shows_as_alerts(troubled_app, wait_for) -> None:
    app = troubled_app
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "scanner bench:" in alerts(app))
        deadline = time.monotonic() + 10
        while "printer ql:" not in alerts(app):  # the queue tries the printer; r reloads Home
            assert time.monotonic() < deadline, alerts(app)
            await pilot.press("r")
        assert "refused the connection" in alerts(app) and "(1 waiting)" in alerts(app)


async def test_held_labels_ask_for_the_date(make_app, demo, wait_for) -> None:
    printer = make_printer(PrinterConfig(uri=str(demo.path.parent / "labels")))
    async with open_store(str(demo.path)):
        await PrintService([printer], clock=ClockGuard(lambda: False)).enqueue_lot_label(
            demo.summary.example_lot
        )
    app = make_app(clock_synced=lambda: False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "clock" in alerts(app))
        assert "1 dated label(s) held: confirm today's date" in alerts(app)


def test_the_demo_hint_is_on_home_at_first_paint(tmp_path) -> None:
    """`lotkeeper demo` names a lot to trace where a new user looks: Home (issue 10.18)."""
    from tests.tui.terminal import Terminal, lotkeeper, quiet_env

    db = tmp_path / "demo.db"
    hints = []
    for _ in ("seeded now", "seeded before"):
        with Terminal(lotkeeper("--db", str(db), "demo"), quiet_env(tmp_path)) as term:
            term.wait_for(lambda screen: "Recent activity" in screen)
            hints.append(re.search(r"type (M\d{6}-\d{3}) in Trace", " ".join(term.screen.split())))
            assert hints[-1], term.screen[-2000:]
            term.send("\x11")  # Ctrl+Q
            assert term.wait_exit(15) == 0
    hint = hints[0]
    assert hint and hints[1] and hints[1].group(1) == hint.group(1)
    with closing(sqlite3.connect(db)) as conn:
        [(material,)] = conn.execute(
            "SELECT material.name FROM lot JOIN material ON material.id = lot.material_id WHERE code = ?",
            (hint.group(1),),
        ).fetchall()
    assert material == "Lavender essential oil"


async def test_home_warns_when_the_last_good_backup_is_old(make_app, demo, wait_for) -> None:
    async with open_store(str(demo.path)):
        await Event.create(
            kind="backup", message="/media/stick/lotkeeper.db", at=datetime.now(UTC) - timedelta(days=10)
        )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "backup" in alerts(app))
        assert "last good backup 10 day(s) ago (/media/stick/lotkeeper.db)" in alerts(app)


async def test_the_app_makes_the_daily_backup_in_a_worker(make_app, tmp_path, wait_for) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    app = make_app(config=Config(backup=BackupConfig(dir=str(folder))))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: list(folder.glob("lotkeeper-*.db")), timeout=10)
        await wait_for(pilot, lambda: not any(w.name == "daily backup" for w in app.workers))
        await pilot.press("r")  # "no backup made yet" goes once the backup is recorded
        await wait_for(pilot, lambda: "reorder" in alerts(app) and "backup" not in alerts(app))


async def test_a_daily_backup_that_fails_is_said(make_app, tmp_path, wait_for) -> None:
    unplugged = tmp_path / "no-stick" / "lotkeeper"
    app = make_app(config=Config(backup=BackupConfig(dir=str(unplugged))))
    async with app.run_test(size=(80, 24)) as pilot:

        def said() -> list[str]:
            return [n.message for n in app._notifications if n.severity == "error"]

        await wait_for(pilot, said)
        assert "daily backup stopped: cannot use the backup folder" in said()[0]
        assert "is the drive plugged in?" in said()[0]
        await wait_for(pilot, lambda: "no backup made yet" in alerts(app))


async def test_an_open_complaint_stays_on_home_until_closed(make_app, demo, wait_for) -> None:
    from tui.services.complaints import add_complaint, close_complaint

    async with open_store(str(demo.path)):
        serious = await add_complaint(
            "SOAP260116-01", "Rash after use", serious=True, received="2026-02-20", today=TODAY
        )
        minor = await add_complaint("SOAP260116-01", "Cracked bar", received="2026-02-27", today=TODAY)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "complaint" in alerts(app))
        text = " ".join(alerts(app).split())
        assert f"#{serious.id} SOAP260116-01 serious: report by EU 2026-03-12, US 2026-03-13" in text
        assert f"#{minor.id} SOAP260116-01 open since 2026-02-27" in text
        await close_complaint(serious.id, "Reported and refunded", today=TODAY)
        await pilot.press("r")
        await wait_for(pilot, lambda: f"#{serious.id} " not in alerts(app))
        assert f"#{minor.id} SOAP260116-01 open since" in " ".join(alerts(app).split())
