"""A small soap-and-candle shop whose products carry the SKUs of the export fixtures.

The orders in tests/fixtures/exports were placed 1-7 October 2026; packing in these tests happens
on `PACK_DAY`. Batches (each made from the one material, 10 g a unit):

- LAV-SOAP: `lav_old` 5 pcs made 5 Jan 2026 (best before 5 Jan 2027, packed first), `lav_new` 10
  pcs made 1 Sep 2026 (1 Sep 2027)
- ROSE-BALM (keeps 30 days): `rose_expired` 5 pcs made 2 Jan 2026 (1 Feb 2026, expired),
  `rose` 5 pcs made 1 Oct 2026 (31 Oct 2026)
- CED-CANDLE (does not go off): `cedar` 3 pcs; OAT-SOAP: `oat` 2 pcs
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tui.config import CodesConfig
from tui.imports import read_text_file
from tui.services import catalog, inventory, production, products
from tui.store.db import Store

EXPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "exports"
PACK_DAY = date(2026, 10, 10)


def export(name: str) -> str:
    """The text of an export fixture, read as the import command reads a file."""
    return read_text_file(EXPORTS / name)


@dataclass(frozen=True)
class Shop:
    lav_old: str
    lav_new: str
    rose_expired: str
    rose: str
    cedar: str
    oat: str


PRODUCTS = (
    ("Lavender Oat Soap", "LAV-SOAP", 365),
    ("Oatmeal Honey Soap", "OAT-SOAP", 365),
    ("Cedar Candle 8oz", "CED-CANDLE", None),
    ("Rose Lip Balm", "ROSE-BALM", 30),
)


async def open_shop(codes: CodesConfig) -> Shop:
    """Set up the shop in the open store (SQLite or PostgreSQL)."""
    await catalog.add_supplier("Acme")
    await catalog.add_material("Base", "g")
    await inventory.receive("Base", "100000", supplier="Acme", received="2025-12-01", codes=codes)
    for name, sku, days in PRODUCTS:
        await products.add_product(name, sku, codes=codes, shelf_life_days=days, recipe=[("Base", "10")])

    async def make(sku: str, qty: str, made: str) -> str:
        return (await production.make(sku, qty, made=made, codes=codes)).lot

    return Shop(
        lav_old=await make("LAV-SOAP", "5", "2026-01-05"),
        lav_new=await make("LAV-SOAP", "10", "2026-09-01"),
        rose_expired=await make("ROSE-BALM", "5", "2026-01-02"),
        rose=await make("ROSE-BALM", "5", "2026-10-01"),
        cedar=await make("CED-CANDLE", "3", "2026-09-15"),
        oat=await make("OAT-SOAP", "2", "2026-09-20"),
    )


@pytest.fixture
async def shop(store: Store, codes: CodesConfig) -> Shop:
    return await open_shop(codes)
