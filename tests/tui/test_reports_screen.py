"""Reports screen (F11): pick a report, type its dates, read the rows, save them as CSV."""

from __future__ import annotations

import csv

from textual.widgets import Input, Select, Static

from tui.screens.reports import ReportsScreen
from tui.widgets.literal_table import LiteralTable

COGS = [
    ["CNDL260208-01", "CNDL-LAV", "2026-02-08", "12", "3.0250", "36.30", "USD"],
    ["SOAP260130-01", "SOAP-CED", "2026-01-30", "16", "0.7733", "12.37", "USD"],
    ["SOAP260116-01", "SOAP-LAV", "2026-01-16", "26", "0.8913", "23.17", "USD"],
]
"""The demo's sales at cost (as `lotkeeper report cogs` gives them for the same store)."""


def shown(screen: ReportsScreen) -> list[list[str]]:
    table = screen.query_one("#rows", LiteralTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def columns(screen: ReportsScreen) -> list[str]:
    return [str(c.label) for c in screen.query_one("#rows", LiteralTable).columns.values()]


def summary(screen: ReportsScreen) -> str:
    return str(screen.query_one("#summary", Static).render())


async def open_reports(app, pilot, wait_for) -> ReportsScreen:
    await pilot.press("f11")
    await wait_for(pilot, lambda: isinstance(app.screen, ReportsScreen) and app.screen.produced is not None)
    screen: ReportsScreen = app.screen
    return screen


async def test_reports_show_their_rows_and_read_dates_typed(make_app, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(app, pilot, wait_for)
        assert columns(screen) == ["batch", "product", "made", "qty", "unit_cost", "cost", "currency"]
        assert shown(screen) == COGS
        assert summary(screen) == "total 71.84 USD"
        assert screen.query_one("#extra", Input).disabled  # cost of goods asks for dates only

        screen.query_one("#report", Select).value = "valuation"
        await wait_for(
            pilot, lambda: summary(screen).startswith("total") and "end of 2026-03-01" in summary(screen)
        )
        assert screen.query_one("#start", Input).disabled and not screen.query_one("#end", Input).disabled
        assert columns(screen) == ["lot", "item", "on_hand", "unit", "value", "currency"]
        assert len(shown(screen)) > 5
        screen.query_one("#end", Input).value = "28.02.2026"  # the station's order (dmy)
        screen.query_one("#end", Input).focus()
        await pilot.press("enter")  # every ledger row of the demo is dated 1 March
        await wait_for(pilot, lambda: summary(screen) == "total 0.00 USD at the end of 2026-02-28")
        assert shown(screen) == []

        screen.query_one("#report", Select).value = "cogs"
        await wait_for(pilot, lambda: shown(screen) == COGS)
        screen.query_one("#start", Input).value = "2026-02-30"
        screen.query_one("#start", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("is not a date" in n.message for n in app._notifications))
        assert shown(screen) == COGS  # a refused date leaves the last report on screen


async def test_batch_record_by_code_and_export_to_csv(make_app, tmp_path, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(app, pilot, wait_for)
        screen.query_one("#report", Select).value = "batch"
        await wait_for(pilot, lambda: any("code of a batch first" in n.message for n in app._notifications))
        extra = screen.query_one("#extra", Input)
        assert not extra.disabled and extra.placeholder == "batch code (or scan it)"
        extra.value = "soap260116-01"
        extra.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: summary(screen).startswith("SOAP260116-01: 40 pcs SOAP-LAV"))
        assert columns(screen)[:2] == ["batch", "product"]
        assert any(row[5].startswith("BLEND") for row in shown(screen))  # the blend it used
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: list((tmp_path / "exports").glob("report-batch-*.csv")))
        [path] = (tmp_path / "exports").glob("report-batch-*.csv")
        with path.open(newline="", encoding="utf-8") as f:
            saved = list(csv.reader(f))
        assert saved[0] == columns(screen)
        assert saved[1:] == shown(screen)
        await wait_for(pilot, lambda: any(f"to {path}" in n.message for n in app._notifications))
