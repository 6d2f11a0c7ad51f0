"""Real SQLite stores for the Pack and Import screens: the shop of tests/orders, with or without
the orders of `orders_export_1.csv` (Shopify) imported, and an App on a copy of one.

After the import, open orders newest first: #1005 (Aoife Ní Bhriain: LAV-SOAP 2, a grab bag,
DISH-OAK 1 that no product has), #1004, #1002 (François Lefèvre: ROSE-BALM 1, gift wrapping),
#1001 (Zoë O'Brien: LAV-SOAP 2, CED-CANDLE 1); #1003 is cancelled.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.orders.conftest import EXPORTS, PACK_DAY, Shop, export, open_shop
from tests.support.databases import rows
from tui.app import LotkeeperApp
from tui.config import CodesConfig, Config
from tui.context import AppContext
from tui.services.order_import import import_orders
from tui.store.db import open_store


@dataclass(frozen=True)
class ShopStore:
    path: Path
    shop: Shop


def _seed(path: Path, *, with_orders: bool) -> Shop:
    async def seed() -> Shop:
        async with open_store(str(path)):
            shop = await open_shop(CodesConfig())
            if with_orders:
                await import_orders(export("orders_export_1.csv"), today=PACK_DAY)
            return shop

    return asyncio.run(seed())


def template(factory: pytest.TempPathFactory, *, with_orders: bool) -> ShopStore:
    path = factory.mktemp("shop") / "shop.db"
    return ShopStore(path, _seed(path, with_orders=with_orders))


def copy(store: ShopStore, tmp_path: Path) -> ShopStore:
    path = tmp_path / "lots.db"
    shutil.copyfile(store.path, path)
    return ShopStore(path, store.shop)


def app_on(store: ShopStore, tmp_path: Path) -> Callable[..., LotkeeperApp]:
    def make() -> LotkeeperApp:
        ctx = AppContext(
            Config(),
            db=str(store.path),
            today=PACK_DAY,
            exports=tmp_path / "exports",
            clock_synced=lambda: True,
        )
        return LotkeeperApp(ctx)

    return make


def packed(path: Path, order: str) -> list[tuple[str, int]]:
    """(lot code, milli) of every sale line of `order`, in the order written."""
    return [
        (str(code), int(qty))
        for code, qty in rows(
            path,
            "SELECT lot.code, sl.qty_milli FROM sale_line sl JOIN lot ON lot.id = sl.lot_id "
            "JOIN sale ON sale.id = sl.sale_id WHERE sale.ref = ? ORDER BY sl.id",
            order,
        )
    ]


__all__ = ["EXPORTS", "PACK_DAY", "ShopStore", "app_on", "copy", "packed", "template"]
