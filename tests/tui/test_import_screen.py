"""Import from the TUI: a path, the importer's dry run as preview, confirm; progress; errors kept."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from textual.widgets import Button, Input, ProgressBar, Select, Static

from tests.support.databases import rows
from tests.tui.orders_store import EXPORTS, ShopStore, app_on, copy, template
from tui.app import LotkeeperApp
from tui.screens.importing import ImportScreen
from tui.screens.pack import PackScreen


@pytest.fixture(scope="module")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> ShopStore:
    return template(tmp_path_factory, with_orders=False)


@pytest.fixture
def shop_db(empty_template: ShopStore, tmp_path: Path) -> ShopStore:
    return copy(empty_template, tmp_path)


def sales(path: Path) -> int:
    [(count,)] = rows(path, "SELECT COUNT(*) FROM sale")
    return int(count)


def report_text(screen: ImportScreen) -> str:
    return str(screen.query_one("#report", Static).render())


async def open_import(pilot, wait_for) -> ImportScreen:
    app: LotkeeperApp = pilot.app
    await pilot.press("f10")
    await wait_for(pilot, lambda: isinstance(app.screen, PackScreen))
    await pilot.press("ctrl+o")
    await wait_for(pilot, lambda: isinstance(app.screen, ImportScreen))
    assert isinstance(app.screen, ImportScreen)
    return app.screen


async def preview(pilot, wait_for, screen: ImportScreen, path: Path) -> None:
    screen.query_one("#path", Input).value = str(path)
    await pilot.press("enter")
    await wait_for(pilot, lambda: screen.preview is not None or "error" in report_text(screen))


async def test_preview_writes_nothing_then_confirm_imports_and_pack_lists_them(
    shop_db, tmp_path, wait_for
) -> None:
    app = app_on(shop_db, tmp_path)()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_import(pilot, wait_for)
        await preview(pilot, wait_for, screen, EXPORTS / "orders_export_1.csv")
        text = report_text(screen)
        assert text.startswith("shopify: 5 orders added, 0 updated, 0 unchanged")
        assert "DISH-OAK" in text and "dry run: nothing was written" in text
        assert sales(shop_db.path) == 0
        assert str(screen.query_one("#confirm", Button).label) == "Import"

        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: sales(shop_db.path) == 5 and not screen.running)
        assert "dry run" not in report_text(screen)
        bar = screen.query_one("#progress", ProgressBar)
        assert bar.display and bar.total == 5 and bar.progress == 5
        assert screen.query_one("#confirm", Button).disabled  # the same file is not imported twice by Enter

        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PackScreen) and len(app.screen.open_orders) == 4)


async def test_bad_rows_are_previewed_and_left_out_on_confirm(shop_db, tmp_path, wait_for) -> None:
    app = app_on(shop_db, tmp_path)()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_import(pilot, wait_for)
        await preview(pilot, wait_for, screen, EXPORTS / "orders_export_bad.csv")
        text = report_text(screen)
        assert "left out (bad rows) (2):" in text and "row 4" in text and "row 5" in text
        assert str(screen.query_one("#confirm", Button).label) == "Import, leaving out 2 bad row(s)"
        await pilot.click("#confirm")
        await wait_for(pilot, lambda: not screen.running and screen.preview is None)
        assert sorted(r for (r,) in rows(shop_db.path, "SELECT ref FROM sale")) == ["#1010", "#1012"]


async def test_errors_stay_on_screen_and_nothing_is_written(shop_db, tmp_path, wait_for) -> None:
    not_an_export = tmp_path / "notes.csv"
    not_an_export.write_text("Colour,Size\nred,[b]big[/b]\n", encoding="utf-8")
    app = app_on(shop_db, tmp_path)()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_import(pilot, wait_for)
        await preview(pilot, wait_for, screen, tmp_path / "missing.csv")
        assert report_text(screen) == f"error: {tmp_path / 'missing.csv'}: no such file"
        assert screen.query_one("#report").has_class("-error")
        await preview(pilot, wait_for, screen, not_an_export)
        assert report_text(screen).startswith("error: ")
        await pilot.press("ctrl+s")  # no preview to confirm
        await wait_for(pilot, lambda: any("preview the file first" in n.message for n in app._notifications))
        assert sales(shop_db.path) == 0


async def test_file_contents_are_shown_literally(shop_db, tmp_path, wait_for) -> None:
    source = (EXPORTS / "orders_export_1.csv").read_text(encoding="utf-8")
    marked = tmp_path / "orders_export_marked.csv"
    marked.write_text(source.replace("DISH-OAK", "[red]DISH[/red]"), encoding="utf-8")
    app = app_on(shop_db, tmp_path)()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_import(pilot, wait_for)
        await preview(pilot, wait_for, screen, marked)
        assert "[red]DISH[/red]" in report_text(screen)


def long_shopify_file(path: Path, orders: int) -> None:
    """`orders` one-line orders in the real Shopify header order, from #1001's first row."""
    with (EXPORTS / "orders_export_1.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header, first = next(reader), next(reader)
    name, email = header.index("Name"), header.index("Email")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for n in range(orders):
        row = list(first)
        row[name], row[email] = f"#{20000 + n}", f"buyer{n}@example.com"
        writer.writerow(row)
    path.write_text(out.getvalue(), encoding="utf-8")


async def test_a_long_file_moves_the_progress_bar(shop_db, tmp_path, wait_for) -> None:
    big = tmp_path / "orders_export_big.csv"
    long_shopify_file(big, 1500)
    app = app_on(shop_db, tmp_path)()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_import(pilot, wait_for)
        await preview(pilot, wait_for, screen, big)
        assert report_text(screen).startswith("shopify: 1500 orders added")
        bar = screen.query_one("#progress", ProgressBar)
        seen: list[float] = []
        screen.watch(bar, "progress", lambda value: seen.append(value), init=False)  # (not list.append)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: sales(shop_db.path) == 1500 and not screen.running, timeout=30)
        assert bar.total == 1500 and bar.progress == 1500
        assert [value for value in seen if 0 < value < 1500], f"no step between 0 and the end: {seen}"


async def test_a_starting_file_is_previewed_and_imported(shop_db, tmp_path, wait_for) -> None:
    app = app_on(shop_db, tmp_path)()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_import(pilot, wait_for)
        screen.query_one("#kind", Select).value = "customers"
        await preview(pilot, wait_for, screen, EXPORTS / "customers.csv")
        assert report_text(screen).startswith("customers: ")
        before = rows(shop_db.path, "SELECT COUNT(*) FROM customer")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not screen.running and screen.preview is None)
        assert rows(shop_db.path, "SELECT COUNT(*) FROM customer") > before
