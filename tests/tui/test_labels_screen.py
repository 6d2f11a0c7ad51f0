"""Labels screen: the queue as it happens, retry/cancel, held labels, reprint by scan, the preview."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import zxingcpp
from PIL import Image
from rich.style import Style
from textual.widgets import Input, Static

from tests.support.printers import closed_port
from tui.config import Config, PrinterConfig
from tui.labels import BatchData, label_size, render
from tui.screens.labels import LabelsScreen, LabelView
from tui.widgets.label_preview import INK, QUADRANTS, LabelPreview, quadrant_blocks
from tui.widgets.literal_table import LiteralTable
from tui.widgets.record_form import RecordForm


def job_rows(path: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        query = "SELECT id, status, attempts, reprint_of_id FROM label_job ORDER BY id"
        return conn.execute(query).fetchall()


def row(screen: LabelsScreen, job_id: int) -> list[str]:
    table = screen.query_one("#jobs", LiteralTable)
    if str(job_id) not in table.rows:
        return []
    return [" ".join(str(c).split()) for c in table.get_row(str(job_id))]


async def open_labels(pilot, wait_for) -> LabelsScreen:
    await pilot.press("f8")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, LabelsScreen))
    screen = pilot.app.screen
    assert isinstance(screen, LabelsScreen)
    return screen


async def fill_form(pilot, wait_for, **values: str) -> RecordForm:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, RecordForm))
    form = pilot.app.screen
    for key, value in values.items():
        form.query_one(f"#f-{key}", Input).value = value
    await pilot.press("ctrl+s")
    return form


async def test_failing_job_is_shown_and_retry_requeues_it(make_app, demo, wait_for) -> None:
    refusing = f"tcp://127.0.0.1:{closed_port()}"
    printers = (PrinterConfig(name="ql", kind="brother", uri=refusing, timeout_s=1),)
    app = make_app(config=Config(printers=printers), printers=printers)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_labels(pilot, wait_for)
        await pilot.press("n")
        await fill_form(pilot, wait_for, lot=demo.summary.example_lot, copies="2")
        await wait_for(pilot, lambda: row(screen, 1)[3:5] == ["queued", "1"])
        assert row(screen, 1)[1] == demo.summary.example_lot
        assert "refused the connection" in row(screen, 1)[5] and "2 copies" in row(screen, 1)[5]

        screen.query_one("#jobs", LiteralTable).focus()
        await pilot.press("t")
        await wait_for(pilot, lambda: row(screen, 1)[3:5] == ["queued", "2"])
        assert job_rows(demo.path) == [(1, "queued", 2, None)]

        await pilot.press("x")
        await wait_for(pilot, lambda: row(screen, 1)[3] == "cancelled")
        await pilot.press("t")  # a cancelled job cannot be retried: said, not crashed
        await wait_for(pilot, lambda: any("only queued or failed" in n.message for n in app._notifications))
    assert job_rows(demo.path) == [(1, "cancelled", 2, None)]


async def test_held_until_the_date_is_confirmed_then_reprint_by_scan(
    make_app, demo, wait_for, pty_scanner, fake_printer
) -> None:
    lot = demo.summary.example_lot
    app = make_app(
        config=Config(printers=(fake_printer.config,), scanners=(pty_scanner.config,)),
        printers=(fake_printer.config,),
        scanners=(pty_scanner.config,),
        clock_synced=lambda: False,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_labels(pilot, wait_for)
        await pilot.press("n")
        await fill_form(pilot, wait_for, lot=lot.lower())
        await wait_for(pilot, lambda: row(screen, 1)[3:5] == ["held", "0"])
        banner = screen.query_one("#clock", Static)
        assert banner.display and "not synchronised" in str(banner.render())

        await pilot.press("d")
        form = await fill_form(pilot, wait_for, date="2026-03-02")
        problem = form.query_one("#e-date", Static)
        await wait_for(pilot, lambda: "clock says 2026-03-01" in str(problem.render()))
        assert row(screen, 1)[3] == "held"
        await fill_form(pilot, wait_for, date="2026-03-01")
        await wait_for(pilot, lambda: row(screen, 1)[3] == "sent")
        await wait_for(pilot, lambda: not banner.display)
        assert len(fake_printer.jobs) == 1

        pty_scanner.scan(lot)  # the old label, scanned: the same label again
        await wait_for(pilot, lambda: row(screen, 2)[3:4] == ["sent"])
        assert "reprint of 1" in row(screen, 2)[5]
        await wait_for(pilot, lambda: len(fake_printer.jobs) == 2)
        assert fake_printer.jobs[0] == fake_printer.jobs[1]
        assert app.screen is screen

        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, LabelView))
        preview = app.screen.query_one(LabelPreview)
        await wait_for(pilot, lambda: preview.image is not None)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
    assert job_rows(demo.path) == [(1, "sent", 1, None), (2, "sent", 1, 1)]


def test_preview_draws_the_label_as_stored() -> None:
    """Drawn at full width, the terminal picture still decodes: it is the label, not a sketch."""
    data = BatchData("LAV260301-01", "Lavender soap", "SOAP-LAV", date(2026, 3, 1), date(2027, 3, 1))
    image = render("batch", data, label_size("62", 300)).image
    text = quadrant_blocks(image, image.width // 2, image.height)
    lines = text.plain.split("\n")
    picture = Image.new("L", (2 * len(lines[0]), 4 * len(lines)), 255)
    for y, line in enumerate(lines):
        for x, char in enumerate(line):
            bits = QUADRANTS.index(char)
            for i, (dx, dy) in enumerate(((0, 0), (1, 0), (0, 1), (1, 1))):
                if bits & (1 << i):  # each pixel of a cell is twice as tall as wide
                    picture.paste(0, (2 * x + dx, 4 * y + 2 * dy, 2 * x + dx + 1, 4 * y + 2 * dy + 2))
    assert {
        span.style.color.name for span in text.spans if isinstance(span.style, Style) and span.style.color
    } <= {INK}
    found = {r.text for r in zxingcpp.read_barcodes(picture)}
    assert "LAV260301-01" in found


async def test_retry_of_a_job_whose_printer_is_gone_says_so(make_app, demo, wait_for) -> None:
    """A job for a printer no longer configured is not queued forever: retry says why (10.15)."""
    from tui.devices.printers import make_printer
    from tui.services.printing import PrintService
    from tui.store.db import open_store

    old = PrinterConfig(name="old", kind="file", uri=str(demo.path.parent / "old"))
    async with open_store(str(demo.path)):
        job = await PrintService([make_printer(old)]).enqueue_lot_label(demo.summary.example_lot)
    new = (PrinterConfig(name="ql", kind="file", uri=str(demo.path.parent / "ql")),)
    app = make_app(config=Config(printers=new), printers=new)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_labels(pilot, wait_for)
        await wait_for(pilot, lambda: row(screen, job.id)[2:4] == ["old", "queued"])
        screen.query_one("#jobs", LiteralTable).focus()
        await pilot.press("t")
        said = "printer 'old', which is not configured here"
        await wait_for(pilot, lambda: any(said in n.message for n in app._notifications))
        assert any("Cancel it, then print a new label" in n.message for n in app._notifications)
    assert job_rows(demo.path) == [(job.id, "queued", 0, None)]


async def test_a_profile_label_missing_a_field_is_refused_in_the_app_and_queues_nothing(
    make_app, demo, wait_for, fake_printer
) -> None:
    """The app prints through the same service as `lotkeeper label`: the demo's cosmetic soap
    needs the maker's name and address, which this config does not give."""
    with closing(sqlite3.connect(demo.path)) as conn:
        query = "SELECT code FROM lot JOIN product ON product.id = lot.product_id WHERE sku = 'SOAP-CED'"
        [(lot,)] = conn.execute(query).fetchall()
    app = make_app(config=Config(printers=(fake_printer.config,)), printers=(fake_printer.config,))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_labels(pilot, wait_for)
        await pilot.press("n")
        form = await fill_form(pilot, wait_for, lot=lot)
        problem = form.query_one("#e-form", Static)
        await wait_for(
            pilot, lambda: "cosmetic label for SOAP-CED needs the maker's name" in str(problem.render())
        )
        assert app.screen is form
    assert job_rows(demo.path) == []
    assert fake_printer.jobs == []
