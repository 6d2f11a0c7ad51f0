"""Pack screen: an imported Shopify order packed by scanning jars, refusals included, on a real file."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from tests.support.databases import rows
from tests.tui.orders_store import ShopStore, app_on, copy, packed, template
from tui.app import LotkeeperApp
from tui.devices.scanners.base import Scan
from tui.scanning import ScanReceived
from tui.screens.home import HomeScreen
from tui.screens.pack import PackScreen


@pytest.fixture(scope="module")
def orders_template(tmp_path_factory: pytest.TempPathFactory) -> ShopStore:
    return template(tmp_path_factory, with_orders=True)


@pytest.fixture
def shop_db(orders_template: ShopStore, tmp_path: Path) -> ShopStore:
    return copy(orders_template, tmp_path)


def scan(app: LotkeeperApp, text: str) -> None:
    app.post_message(ScanReceived(Scan(text, "test")))


def errors(app: LotkeeperApp) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


def table(screen: PackScreen, name: str) -> list[tuple[str, ...]]:
    grid = screen.query_one(f"#{name}", DataTable)
    return [tuple(str(value) for value in grid.get_row_at(i)) for i in range(grid.row_count)]


async def open_pack(pilot, wait_for) -> PackScreen:
    app = pilot.app
    await pilot.press("f10")
    await wait_for(pilot, lambda: isinstance(app.screen, PackScreen) and app.screen.open_orders)
    assert isinstance(app.screen, PackScreen)
    return app.screen


async def test_open_orders_newest_first_with_channel_and_customer(shop_db, tmp_path, wait_for) -> None:
    app = app_on(shop_db, tmp_path)()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_pack(pilot, wait_for)
        listed = table(screen, "orders")
        assert [row[0] for row in listed] == ["#1005", "#1004", "#1002", "#1001"]  # #1003 is cancelled
        assert listed[2][2:4] == ("shopify", "François Lefèvre")
        assert listed[0][4] == "3"  # LAV-SOAP 2 and DISH-OAK 1; the grab bag needs no lot


async def test_an_order_is_packed_by_scanning_its_slip_and_jars_refusals_included(
    shop_db, tmp_path, wait_for
) -> None:
    shop = shop_db.shop
    app = app_on(shop_db, tmp_path)()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_pack(pilot, wait_for)
        scan(app, "1001")  # the number on Shopify's packing slip, without its '#'
        await wait_for(pilot, lambda: screen.order is not None and screen.order.order == "#1001")
        assert screen.has_class("-packing")
        assert app.focused is screen.query_one("#item", Input)

        scan(app, shop.lav_old)
        await wait_for(pilot, lambda: len(screen.items) == 1)
        assert table(screen, "lines")[0][4:6] == ("0 +1", "1")

        scan(app, shop.rose)  # a batch of a product #1001 does not have
        await wait_for(pilot, lambda: errors(app))
        assert "ROSE-BALM" in errors(app)[-1] and "another order" in errors(app)[-1]

        scan(app, shop.lav_old)
        scan(app, shop.lav_new)  # a third soap: #1001 asked for two
        await wait_for(pilot, lambda: len(errors(app)) == 2)
        assert "no LAV-SOAP left to pack" in errors(app)[-1]
        scan(app, shop.cedar)
        scan(app, shop.cedar)  # one candle too many
        await wait_for(pilot, lambda: len(errors(app)) == 3)
        assert "CED-CANDLE" in errors(app)[-1]
        assert [(i.code, i.qty) for i in screen.items] == [(shop.lav_old, 2), (shop.cedar, 1)]
        assert [row[4:6] for row in table(screen, "lines")] == [("0 +2", "0"), ("0 +1", "0")]
        assert packed(shop_db.path, "#1001") == []  # nothing is written before DONE

        scan(app, "LK!DONE")
        await wait_for(pilot, lambda: screen.query_one("#result", Static).display)
        assert packed(shop_db.path, "#1001") == [(shop.lav_old, 2000), (shop.cedar, 1000)]
        assert "packed" in str(screen.query_one("#result", Static).render())
        await wait_for(pilot, lambda: [o.order for o in screen.open_orders] == ["#1005", "#1004", "#1002"])
        assert screen.order is None and not screen.has_class("-packing")


async def test_typed_or_picked_order_fefo_by_sku_undo_and_expired_batch(shop_db, tmp_path, wait_for) -> None:
    shop = shop_db.shop
    app = app_on(shop_db, tmp_path)()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_pack(pilot, wait_for)
        await pilot.press(*"1002", "enter")
        await wait_for(pilot, lambda: screen.order is not None and screen.order.order == "#1002")
        assert [row[1] for row in table(screen, "lines")] == ["ROSE-BALM", "-"]
        assert table(screen, "lines")[1][5] == "no lot needed"

        scan(app, shop.rose_expired)
        await wait_for(pilot, lambda: errors(app))
        assert "expired" in errors(app)[-1]
        await pilot.press(*"rose-balm", "enter")  # a SKU typed: its first-expiring good batch
        await wait_for(pilot, lambda: screen.plan is not None)
        assert table(screen, "lines")[0][6] == f"+{shop.rose} x1"
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: not screen.items and screen.plan is None)

        await pilot.press("escape")  # nothing scanned: back to the list, no question
        await wait_for(pilot, lambda: screen.order is None)
        grid = screen.query_one("#orders", DataTable)
        grid.focus()
        grid.move_cursor(row=1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.order is not None and screen.order.order == "#1004")


async def test_a_cancelled_order_and_an_unknown_slip_are_said_and_nothing_is_written(
    shop_db, tmp_path, wait_for
) -> None:
    app = app_on(shop_db, tmp_path)()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_pack(pilot, wait_for)
        scan(app, "#1003")
        await wait_for(pilot, lambda: errors(app))
        assert "cancelled" in errors(app)[-1]
        assert screen.order is not None and screen.order.status.value == "cancelled"
        scan(app, shop_db.shop.oat)  # #1003 was two oat soaps, refunded before shipping
        await wait_for(pilot, lambda: len(errors(app)) == 2)
        assert "cancelled" in errors(app)[-1] and not screen.items
        scan(app, "9999")
        await wait_for(pilot, lambda: len(errors(app)) == 3)
        scan(app, "LK!DONE")
        await wait_for(pilot, lambda: len(errors(app)) == 4)
        assert "scan the jars" in errors(app)[-1]
        assert rows(shop_db.path, "SELECT COUNT(*) FROM sale_line") == [(0,)]


async def test_home_shows_the_orders_to_pack_and_p_opens_pack(shop_db, tmp_path, wait_for) -> None:
    app = app_on(shop_db, tmp_path)()
    async with app.run_test(size=(80, 24)) as pilot:
        label = app.screen.query_one("#to-pack", Static)
        await wait_for(pilot, lambda: label.display)
        assert str(label.render()) == "4 orders to pack: press P (Pack)"
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PackScreen))
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.click("#to-pack")
        await wait_for(pilot, lambda: isinstance(app.screen, PackScreen))


async def test_a_quantity_barcode_counts_the_last_jar_and_more_than_ordered_is_refused(
    shop_db, tmp_path, wait_for
) -> None:
    shop = shop_db.shop
    app = app_on(shop_db, tmp_path)()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_pack(pilot, wait_for)
        scan(app, "#1005")
        await wait_for(pilot, lambda: screen.order is not None)
        scan(app, shop.lav_new)
        await wait_for(pilot, lambda: screen.items)
        scan(app, "LK!QTY:3")  # #1005 asks for two soaps
        await wait_for(pilot, lambda: errors(app))
        assert "only 2" in errors(app)[-1] and [i.qty for i in screen.items] == [1]
        scan(app, "LK!QTY:2")
        await wait_for(pilot, lambda: [i.qty for i in screen.items] == [2])
        assert table(screen, "lines")[2][5] == "1 (no product)"  # DISH-OAK: packable once it exists
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: packed(shop_db.path, "#1005") == [(shop.lav_new, 2000)])
        await wait_for(pilot, lambda: screen.query_one("#result", Static).display)
        assert str(screen.query_one("#result", Static).render()).endswith("partly_packed.")  # DISH-OAK
