"""Outside text is shown literally: markup, ANSI escapes and control characters change nothing."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from textual.widgets import DataTable, Select, Static, TabbedContent, Tree

from tui.devices.scanners.base import Scan
from tui.scanning import ScanReceived
from tui.screens.home import HomeScreen
from tui.screens.reports import ReportsScreen
from tui.screens.stock import StockScreen
from tui.screens.trace import TraceScreen
from tui.widgets.lazy_table import LazyTable
from tui.widgets.literal import clean

NASTY = "[link=x]y[/link] price [5] [/] \x1b[31mred\x1b[0m\x07\x00 [@click=app.quit]q[/]"
SHOWN = clean(NASTY)


def rows(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def walk(node):
    yield node
    for child in node.children:
        yield from walk(child)


def labels(tree: Tree) -> list[str]:
    found = []

    def walk(node):
        found.append(str(node.label))
        for child in node.children:
            walk(child)

    walk(tree.root)
    return found


async def test_database_text_is_shown_literally_everywhere(make_app, demo, wait_for) -> None:
    with closing(sqlite3.connect(demo.path)) as conn:
        conn.execute("UPDATE customer SET name = ? WHERE name = 'Maria Santos'", (NASTY,))
        conn.execute("UPDATE material SET name = ? WHERE name = 'Amber jar 200 ml'", (NASTY + " jar",))
        # a location code written past the rules (an old or damaged store): still shown literally
        conn.execute("UPDATE location SET code = ? WHERE code = 'SHELF-L'", (NASTY,))
        conn.commit()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "reorder" in str(app.screen.query_one("#alerts", Static).render()))
        assert f"reorder {SHOWN} jar: 28 of 30 pcs" in str(app.screen.query_one("#alerts", Static).render())

        app.post_message(ScanReceived(Scan(demo.summary.example_lot, "scanner")))
        await wait_for(pilot, lambda: isinstance(app.screen, TraceScreen) and app.screen.current)
        trace = app.screen
        table = trace.query_one("#customers", LazyTable)
        assert (SHOWN, "maria.santos@example.com", "", "MKT-0412") in [
            table.row(i) for i in range(table.row_count)
        ]
        trace.query_one("#views", TabbedContent).active = "tab-forward"
        await pilot.pause()
        forward = trace.query_one("#forward", Tree)
        while closed := [n for n in walk(forward.root) if n.allow_expand and not n.is_expanded]:
            for node in closed:
                node.expand()
            await pilot.pause()
        assert any(
            f"order MKT-0412  {SHOWN}  2 pcs" in label for label in labels(trace.query_one("#forward", Tree))
        )

        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, StockScreen) and app.screen.rows)
        stock_rows = rows(app.screen.query_one("#lots", DataTable))
        assert [
            demo.summary.example_lot,
            "Lavender essential oil",
            "185 ml",
            "2028-01-30",
            SHOWN,
        ] in stock_rows
        assert f"{SHOWN} jar" in [r[1] for r in stock_rows]
        assert app.is_running and isinstance(app.screen, StockScreen)  # no live [@click] quit, no crash

        await pilot.press("f11")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportsScreen) and app.screen.produced)
        app.screen.query_one("#report", Select).value = "reorder"
        report_rows = app.screen.query_one("#rows", DataTable)
        await wait_for(pilot, lambda: [f"{SHOWN} jar", "28", "30", "2", "pcs"] in rows(report_rows))
        assert app.is_running and isinstance(app.screen, ReportsScreen)


async def test_a_nasty_scan_is_reported_literally_and_changes_nothing(make_app, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "reorder" in str(app.screen.query_one("#alerts", Static).render()))
        home = app.screen
        before = (str(home.query_one("#alerts", Static).render()), rows(home.query_one("#recent", DataTable)))
        for text in (NASTY, "[link=x]y[/link]", "price [5] [/]", "\x1b]0;pwned\x07\x1b[2J"):
            app.post_message(ScanReceived(Scan(text, "scanner")))
        await wait_for(pilot, lambda: len([n for n in app._notifications if n.severity == "error"]) == 4)
        messages = [n.message for n in app._notifications]
        assert all(not any(ord(c) < 32 and c != "\n" for c in m) for m in messages)
        assert any("[link=x]y[/link]" in m for m in messages) and any("price [5] [/]" in m for m in messages)
        assert all(not n.markup for n in app._notifications)
        assert app.screen is home and isinstance(home, HomeScreen)
        after = (str(home.query_one("#alerts", Static).render()), rows(home.query_one("#recent", DataTable)))
        assert after == before
