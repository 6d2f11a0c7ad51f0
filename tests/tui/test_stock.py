"""Stock screen: lots on hand with filters; adjust / waste / count with a reason, or nothing."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from textual import events
from textual.keys import _character_to_key
from textual.widgets import Checkbox, DataTable, Input, Select, Static

from tui.screens.stock import CorrectLot, StockScreen


def lots(screen: StockScreen) -> list[str]:
    table = screen.query_one("#lots", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def on_hand(path: Path, code: str) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT on_hand_milli FROM lot WHERE code = ?", (code,)).fetchone()[0]


def ledger(path: Path) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(
            "SELECT id, lot_id, kind, delta_milli, reason FROM movement ORDER BY id"
        ).fetchall()


async def open_stock(app, pilot, wait_for) -> StockScreen:
    await pilot.press("f6")
    await wait_for(pilot, lambda: isinstance(app.screen, StockScreen) and app.screen.rows)
    return app.screen


async def test_lists_lots_and_filters_by_text_kind_and_expiry(make_app, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stock(app, pilot, wait_for)
        everything = lots(screen)
        assert len(everything) == 25 and "M251201-001" in everything
        screen.query_one("#filter", Input).value = "shelf-o"  # location
        await wait_for(pilot, lambda: len(lots(screen)) == 2)
        assert str(screen.query_one("#count", Static).render()) == "2 of 25 lots"
        screen.query_one("#filter", Input).value = ""
        screen.query_one("#kind", Select).value = "batch"
        await wait_for(pilot, lambda: len(lots(screen)) == 8)
        assert {code[:4] for code in lots(screen)} == {"SOAP", "CNDL", "BLEN", "MELT", "BISC", "DISH"}
        screen.query_one("#kind", Select).value = ""
        screen.query_one("#expiring", Checkbox).value = True
        await wait_for(pilot, lambda: lots(screen) == ["M251201-001"])  # expired 2026-02-24 (today 03-01)


async def test_adjust_with_a_reason_changes_stock_and_the_ledger(make_app, demo, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stock(app, pilot, wait_for)
        screen.query_one("#filter", Input).value = "M251231-003"  # lye, 686 g
        await wait_for(pilot, lambda: lots(screen) == ["M251231-003"])
        screen.query_one("#lots", DataTable).focus()
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, CorrectLot))
        dialog = app.screen
        dialog.query_one("#qty", Input).value = "86,5"
        dialog.query_one("#qty", Input).focus()
        await pilot.press("enter")
        dialog.query_one("#reason", Input).value = "spilled on the bench"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, StockScreen))
        await wait_for(pilot, lambda: on_hand(demo.path, "M251231-003") == 599_500)
    last = ledger(demo.path)[-1]
    assert last[2:] == ("waste", -86_500, "spilled on the bench")


async def test_bad_quantity_or_too_much_is_refused_and_writes_nothing(make_app, demo, wait_for) -> None:
    app = make_app()
    before = ledger(demo.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stock(app, pilot, wait_for)
        screen.query_one("#filter", Input).value = "M251231-003"
        await wait_for(pilot, lambda: lots(screen) == ["M251231-003"])
        screen.query_one("#lots", DataTable).focus()
        for key, qty, says in (
            ("c", "lots", "not a number"),
            ("w", "5000", "only 686"),
            ("a", "1", "reason"),
        ):
            await pilot.press(key)
            await wait_for(pilot, lambda: isinstance(app.screen, CorrectLot))
            dialog = app.screen
            dialog.query_one("#qty", Input).value = qty
            dialog.query_one("#reason", Input).value = "" if key == "a" else "stocktake"
            dialog.query_one("#reason", Input).focus()
            await pilot.press("enter")
            error = dialog.query_one("#error", Static)
            await wait_for(pilot, lambda error=error, says=says: says in str(error.render()))
            assert isinstance(app.screen, CorrectLot)  # stays open to fix the input
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, StockScreen))
    assert ledger(demo.path) == before
    assert on_hand(demo.path, "M251231-003") == 686_000


async def test_correcting_without_a_row_says_what_to_do(make_app, demo, wait_for, tmp_path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stock(app, pilot, wait_for)
        screen.query_one("#filter", Input).value = "no such lot anywhere"
        await wait_for(pilot, lambda: lots(screen) == [])
        screen.query_one("#lots", DataTable).focus()
        await pilot.press("a")
        await wait_for(pilot, lambda: any("choose a lot first" in n.message for n in app._notifications))
        assert isinstance(app.screen, StockScreen)


async def test_enter_in_the_filter_filters_even_after_fast_typing(make_app, wait_for) -> None:
    """Letters typed as fast as a scanner (quick fingers, a paste) then Enter: a filter, not a scan
    of an unknown code (issue 10.13)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stock(app, pilot, wait_for)
        await pilot.press("slash")
        for ch in "olive":
            app.post_message(events.Key(_character_to_key(ch), ch))
        app.post_message(events.Key("enter", "\r"))
        await wait_for(pilot, lambda: screen.query_one("#filter", Input).value == "olive")
        await wait_for(pilot, lambda: len(lots(screen)) == 2)
        assert app.focused is screen.query_one("#lots", DataTable)
        assert not [n for n in app._notifications if n.severity == "error"]
