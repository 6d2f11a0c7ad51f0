"""A lavender recall: one lot of lavender oil behind two levels of intermediates, sold on four channels.

Lavender EO lot `lavender` (and cedarwood) -> blend batch `blend` (level 1) -> scented base batch
`base` (level 2, with olive oil) -> soap batches `soap1` (4 pcs) and `soap2` (5 pcs). Orders:
Shopify #1001 (Zoë O'Brien, 2 of soap1), Etsy 3141592653 (Zoë O'Brien, her Etsy account, 1 of
soap1), Square tx7Hq2LmPa01ZY (a walk-in, 2 of soap2), and a bench sale B-1 to Ζωή Παπαδοπούλου
(1 of soap2). One of soap1 was dropped (waste); soap2 was counted at 1 where the ledger said 2 (count).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from tests.orders.conftest import export
from tui.config import CodesConfig
from tui.services import catalog, inventory, packing, production, products, sales
from tui.services.order_import import import_orders
from tui.store.db import Store

DAY = "2026-09-01"
PACK_DAY = date(2026, 10, 10)


@dataclass(frozen=True)
class Recall:
    lavender: str
    cedar: str
    oil: str
    blend: str
    base: str
    soap1: str
    soap2: str


async def build_recall(codes: CodesConfig) -> Recall:
    await catalog.add_supplier("Scent Co")
    await catalog.add_supplier("Oils Direct")
    await catalog.add_customer(
        "Ζωή Παπαδοπούλου",
        email="zoi@example.gr",
        phone="+30 210 555 0101",
        address="Οδός Αθηνάς 5\nΑθήνα 105 51",
    )
    for name, unit in (("Lavender EO", "ml"), ("Cedarwood EO", "ml"), ("Olive oil", "g")):
        await catalog.add_material(name, unit)
    await products.add_product(
        "Lavender blend",
        "BLEND-LAV",
        codes=codes,
        unit="ml",
        recipe=(("Lavender EO", "0.8"), ("Cedarwood EO", "0.2")),
    )
    await products.add_product(
        "Scented base", "BASE-LAV", codes=codes, unit="g", recipe=(("Olive oil", "0.9"), ("BLEND-LAV", "0.1"))
    )
    await products.add_product(
        "Lavender Oat Soap", "LAV-SOAP", codes=codes, shelf_life_days=365, recipe=(("BASE-LAV", "50"),)
    )
    for name, sku in (
        ("Oatmeal Honey Soap", "OAT-SOAP"),
        ("Cedar Candle 8oz", "CED-CANDLE"),
        ("Rose Lip Balm", "ROSE-BALM"),
    ):
        await products.add_product(name, sku, codes=codes, recipe=(("Olive oil", "10"),))

    async def got(material: str, qty: str, supplier: str, their_lot: str) -> str:
        received = await inventory.receive(
            material, qty, supplier=supplier, received="2026-08-20", supplier_lot=their_lot, codes=codes
        )
        return received.lot

    lavender = await got("Lavender EO", "100", "Scent Co", "SC-LAV-7")
    cedar = await got("Cedarwood EO", "100", "Scent Co", "SC-CED-2")
    oil = await got("Olive oil", "5000", "Oils Direct", "OD-0042")
    blend = (await production.make("BLEND-LAV", "50", made=DAY, codes=codes)).lot
    base = (await production.make("BASE-LAV", "500", made=DAY, codes=codes)).lot
    soap1 = (await production.make("LAV-SOAP", "4", made=DAY, codes=codes)).lot
    soap2 = (await production.make("LAV-SOAP", "5", made="2026-09-02", codes=codes)).lot

    await import_orders(export("orders_export_1.csv"))
    await import_orders(export("EtsySoldOrderItems2026-10.csv"))
    await import_orders(export("EtsySoldOrders2026-10.csv"))
    await import_orders(export("items-2026-10-03-2026-10-04.csv"))
    await packing.pack("#1001", [(soap1, "2")], packed_on=PACK_DAY)
    await packing.pack("3141592653", [(soap1, "1")], packed_on=PACK_DAY)
    await packing.pack("tx7Hq2LmPa01ZY", [(soap2, "2")], packed_on=PACK_DAY)
    await sales.sell("Ζωή Παπαδοπούλου", [(soap2, "1")], order="B-1", sold_on="2026-10-11")
    await inventory.waste(soap1, "1", reason="dropped on the floor")
    await inventory.count(soap2, "1", reason="shelf count")
    return Recall(lavender, cedar, oil, blend, base, soap1, soap2)


@pytest.fixture
async def recall(store: Store, codes: CodesConfig) -> Recall:
    return await build_recall(codes)
