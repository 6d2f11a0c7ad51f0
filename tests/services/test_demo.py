"""The demo workshop: built by the real services, consistent, and it shows what it promises."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.support.cli import Cli
from tui.errors import InvalidInput
from tui.services.demo import seed_demo, store_is_empty
from tui.services.inventory import expiring, low_stock
from tui.services.tracing import trace
from tui.store.db import Store
from tui.store.integrity import check
from tui.store.models import Lot, Movement, Product, Sale, SupplierCode

TODAY = date(2026, 6, 15)


async def test_demo_is_consistent_and_shows_expiry_reorder_and_a_blend(store: Store) -> None:
    assert await store_is_empty()
    summary = await seed_demo(today=TODAY)
    assert (summary.suppliers, summary.materials, summary.products) == (4, 15, 7)
    assert summary.batches == 9 and summary.orders == 6 and summary.customers == 5
    assert (await check()).ok

    low = await low_stock(today=TODAY)
    assert [row.material for row in low] == ["Amber jar 200 ml"]
    expired = [row for row in await expiring(0, today=TODAY) if row.expires and row.expires < TODAY]
    assert [row.item for row in expired] == ["Shea butter"]

    assert {s.channel for s in await Sale.all()} == {"wholesale", "market", "etsy", "shopify"}
    assert await Product.filter(gtin__not_isnull=True).count() == 2
    assert await SupplierCode.filter(code="08412345001239").exists()  # stored as GTIN-14
    assert await Lot.filter(dated__gt=TODAY).count() == 0

    found = await trace(summary.example_lot)
    assert found.forward.item == "Lavender essential oil"
    assert {b.item for b in found.forward.children} == {"Lavender & cedar fragrance blend"}
    assert {b[:4] for b in found.batches} == {"BLEN", "SOAP", "CNDL"}
    assert {c.name for c in found.customers} == {
        "Green Leaf Boutique",
        "Maria Santos",
        "Priya Shah",
        "Market walk-in",
    }


async def test_demo_refuses_a_store_with_data_and_writes_nothing(store: Store) -> None:
    await seed_demo(today=TODAY)
    movements = await Movement.all().count()
    with pytest.raises(InvalidInput, match="already holds data"):
        await seed_demo(today=TODAY)
    assert await Movement.all().count() == movements


def test_cli_seed_only_fills_the_given_database_once(tmp_path: Path, cli: Cli) -> None:
    db = str(tmp_path / "demo.db")
    code, out, _ = cli("--db", db, "demo", "--seed-only")
    assert code == 0
    assert "4 suppliers, 15 materials, 17 material lots" in out
    assert "lotkeeper trace M" in out
    code, _, err = cli("--db", db, "demo", "--seed-only")
    assert code == 2
    assert err.startswith("error: this store already holds data")


def test_cli_demo_keeps_away_from_the_real_store(tmp_path: Path, cli: Cli) -> None:
    code, out, _ = cli("demo", "--seed-only")
    assert code == 0
    folder = tmp_path / "data" / "lotkeeper"
    assert (folder / "lotkeeper-demo.db").exists()
    assert not (folder / "lotkeeper.db").exists()
    assert str(folder / "lotkeeper-demo.db") in out


async def test_demo_has_one_product_of_each_profile_with_a_complete_label(store: Store) -> None:
    from tui.config import MakerConfig
    from tui.labels import ProfileLabelData, compose, label_size
    from tui.services.label_data import LabelSource, describe_lot, lot_label_data

    await seed_demo(today=TODAY)
    maker = MakerConfig(
        "Hollow Oak Soap Co.", "12 Mill Lane, Bath BA1 1AA, UK", "hi@hollowoak.example", "+44 1"
    )
    source = LabelSource(maker=maker)
    profiles = dict(await Product.filter(profile__not_isnull=True).values_list("sku", "profile"))
    assert profiles == {
        "SOAP-CED": "cosmetic",
        "MELT-LAV": "candle",
        "BISC-OAT": "food",
        "DISH-CED": "general",
    }
    for sku, profile in profiles.items():
        lot = await Lot.filter(product__sku=sku).order_by("-id").first()
        assert lot is not None
        size = label_size("62red" if profile == "candle" else "62")
        found = await describe_lot(lot.code, source, size)
        assert (found.profile, found.missing, found.problems) == (profile, (), ()), sku
        name, data, _ = await lot_label_data(lot.code, source)
        assert isinstance(data, ProfileLabelData)
        assert compose(name, data, size).description.fields == found.fields
        if sku == "MELT-LAV":
            assert found.symbols == ("GHS07",) and found.fields["signal_word"] == "Warning"
        if sku == "BISC-OAT":
            assert found.fields["allergens"] == "oats, milk"
