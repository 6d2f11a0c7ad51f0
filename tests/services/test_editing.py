"""Editing the catalog: same rules as adding, nothing written on bad input."""

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest

from tui.config import CodesConfig
from tui.errors import Duplicate, InvalidInput, NotFound
from tui.services import catalog, editing, products
from tui.store.models import Lot, LotKind, Product, SupplierCode

CODES = CodesConfig()


@pytest.fixture
async def seeded(store) -> AsyncIterator[None]:
    """Two materials, a product and a product made from it (an intermediate), one supplier."""
    await catalog.add_supplier("Soapy Supplies")
    await catalog.add_material("Olive Oil", "g", reorder="500", codes=["4006381333931"])
    await catalog.add_material("Lye", "g")
    await products.add_product("Lavender Soap", "LAV-100", codes=CODES, recipe=[("olive oil", "300")])
    await products.add_product("Oat Soap", "OAT-100", codes=CODES, recipe=[("LAV-100", "1")])
    yield


async def test_lists_show_what_was_added(seeded) -> None:
    products = await editing.list_products()
    assert [p.sku for p in products] == ["LAV-100", "OAT-100"]
    assert products[0].recipe_text == "Olive Oil 300"
    assert products[1].recipe == (editing.RecipeItem("LAV-100", Decimal(1), "pcs"),)
    materials = await editing.list_materials()
    assert materials[1].codes == ("4006381333931",)
    assert materials[1].reorder == Decimal(500)


async def test_update_product_replaces_details_and_recipe(seeded) -> None:
    await editing.update_product(
        "lav-100",
        codes=CODES,
        name="Lavender Soap Bar",
        new_sku="lav-110",
        gtin="4006381333931",
        shelf_life_days="365",
        recipe=editing.parse_recipe("Olive Oil 280; lye 40.5"),
    )
    row = (await editing.list_products())[0]
    assert row == editing.ProductRow(
        "Lavender Soap Bar",
        "LAV-110",
        "4006381333931",
        "pcs",
        365,
        (editing.RecipeItem("Olive Oil", Decimal(280), "g"), editing.RecipeItem("Lye", Decimal("40.5"), "g")),
    )
    with pytest.raises(NotFound):
        await catalog.find_product("LAV-100")


BAD_PRODUCT_EDITS: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"new_sku": "oat-100"}, Duplicate, "already used"),
    ({"new_sku": "bad sku!"}, InvalidInput, "SKU rule"),
    ({"gtin": "4006381333932"}, InvalidInput, "check digit"),
    ({"shelf_life_days": "soon"}, InvalidInput, "shelf life"),
    ({"recipe": [("OAT-100", "1")]}, InvalidInput, "circle"),
    ({"recipe": [("LAV-100", "1")]}, InvalidInput, "circle"),
    ({"recipe": [("lye", "1"), ("Lye", "2")]}, InvalidInput, "twice"),
    ({"recipe": [("unobtainium", "1")]}, NotFound, "neither"),
    ({"unit": "bags"}, InvalidInput, "unit"),
]


async def test_bad_product_edit_writes_nothing(seeded, db_dump) -> None:
    before = db_dump()
    for changes, error, words in BAD_PRODUCT_EDITS:
        args = {"name": "Lavender Soap", "new_sku": "LAV-100", "recipe": [("Lye", "5")], **changes}
        with pytest.raises(error, match=words):
            await editing.update_product("LAV-100", codes=CODES, **args)
        assert db_dump() == before, changes


async def test_gtin_and_unit_stay_once_batches_exist(seeded) -> None:
    await editing.update_product("LAV-100", codes=CODES, name="L", new_sku="LAV-100", gtin="4006381333931")
    product = await catalog.find_product("LAV-100")
    await Lot.create(
        code="LAV-1", kind=LotKind.BATCH, product=product, dated="2026-01-01", qty_milli=1, on_hand_milli=1
    )
    with pytest.raises(InvalidInput, match="printed on batches"):
        await editing.update_product("LAV-100", codes=CODES, name="L", new_sku="LAV-100", gtin="")
    with pytest.raises(InvalidInput, match="unit cannot change"):
        await editing.update_product(
            "LAV-100", codes=CODES, name="L", new_sku="LAV-100", gtin="4006381333931", unit="g"
        )
    assert (await Product.get(sku="LAV-100")).gtin == "04006381333931"


async def test_update_material_replaces_codes(seeded) -> None:
    await editing.update_material(
        "olive oil",
        new_name="Olive Oil EV",
        unit="g",
        reorder="250",
        codes=["ACME-1", "4006381333931"],
        supplier="soapy supplies",
    )
    row = (await editing.list_materials())[1]
    assert row == editing.MaterialRow(
        "Olive Oil EV", "g", Decimal(250), ("4006381333931", "ACME-1"), "Soapy Supplies"
    )
    await editing.update_material("Olive Oil EV", new_name="Olive Oil EV", unit="kg", codes=[])
    assert await SupplierCode.all().count() == 0


async def test_bad_material_edit_writes_nothing(seeded, db_dump) -> None:
    await catalog.add_material("Wick", "pcs", codes=["WICK-7"])
    before = db_dump()
    with pytest.raises(Duplicate, match="already belongs"):
        await editing.update_material("Olive Oil", new_name="Olive Oil", unit="g", codes=["WICK-7"])
    with pytest.raises(Duplicate, match="already exists"):
        await editing.update_material("Olive Oil", new_name="lye", unit="g")
    with pytest.raises(NotFound, match="no supplier"):
        await editing.update_material("Olive Oil", new_name="Olive Oil", unit="g", supplier="Nobody")
    assert db_dump() == before


async def test_customer_and_supplier_edits(seeded) -> None:
    await catalog.add_customer("Ann")
    await catalog.add_customer("Bob")
    await editing.update_customer(
        "ann", new_name="Ann Lee", email="ann@example.com", phone="555", address="1 High St\n\n Town "
    )
    assert await editing.list_customers() == [
        editing.CustomerRow("Ann Lee", "ann@example.com", "555", "1 High St\nTown"),
        editing.CustomerRow("Bob", None, None),
    ]
    with pytest.raises(InvalidInput, match="does not look like"):
        await editing.update_customer("Bob", new_name="Bob", email="bob at home")
    with pytest.raises(Duplicate):
        await editing.update_customer("Bob", new_name="ANN LEE")
    await editing.update_supplier("soapy supplies", new_name="Soapy Supplies Ltd")
    assert await editing.list_suppliers() == [editing.SupplierRow("Soapy Supplies Ltd")]
    assert (await editing.list_customers())[1] == editing.CustomerRow("Bob", None, None)


def test_parse_recipe_and_suggestions() -> None:
    assert editing.parse_recipe(" olive  oil 300 ; lye 4,5;") == (("olive oil", "300"), ("lye", "4,5"))
    with pytest.raises(InvalidInput, match="needs a quantity"):
        editing.parse_recipe("olive oil")
    assert editing.suggest_product_sku("Lavender Oat Soap 100g", CODES) == "LAOS-100"
    assert editing.suggest_product_sku("!!", CODES) is None


async def test_suggest_gtin_follows_prefix(seeded) -> None:
    assert await editing.suggest_gtin(CODES) is None
    codes = CodesConfig(gs1_company_prefix="5012345")
    first = await editing.suggest_gtin(codes)
    assert first is not None and first.startswith("5012345")
    await editing.update_product("LAV-100", codes=CODES, name="L", new_sku="LAV-100", gtin=first)
    second = await editing.suggest_gtin(codes)
    assert second != first and second is not None and second.startswith("5012345")
