"""Catalog: what gets stored (normalised SKU, GTIN-14, recipes) and what is refused, writing nothing."""

import pytest

from tui.errors import Duplicate, InvalidInput, NotFound
from tui.services import catalog, products
from tui.store.models import Customer, Material, Product, RecipeLine, SupplierCode


async def test_product_sku_is_normalised_and_gtin_stored_as_gtin14(store, codes):
    await catalog.add_material("Olive oil", "g")
    await products.add_product(
        "Lavender blend", " blend-lav ", codes=codes, unit="ml", recipe=[("olive OIL", "1")]
    )
    soap = await products.add_product(
        "Lavender soap",
        "soap-lav",
        codes=codes,
        gtin="036000291452",
        shelf_life_days="365",
        recipe=[("Olive oil", "100"), ("blend-lav", "2.5")],
    )
    stored = await Product.get(id=soap.id)
    assert (stored.sku, stored.gtin, stored.shelf_life_days, stored.unit) == (
        "SOAP-LAV",
        "00036000291452",
        365,
        "pcs",
    )
    lines = await RecipeLine.filter(product=soap).order_by("id").prefetch_related("material", "component")
    assert [(line.material and line.material.name, line.qty_milli) for line in lines] == [
        ("Olive oil", 100_000),
        (None, 2_500),
    ]
    assert lines[1].component.sku == "BLEND-LAV"


async def test_material_supplier_codes_gtin14_and_item_codes(store):
    await catalog.add_supplier("Acme Oils")
    oil = await catalog.add_material(
        "Olive oil", "G", reorder="2.5", codes=["4006381333931", " AC-123 "], supplier="acme oils"
    )
    assert (oil.unit, oil.reorder_milli) == ("g", 2500)
    codes = await SupplierCode.filter(material=oil).order_by("id").prefetch_related("supplier")
    assert [(c.code, c.supplier.name) for c in codes] == [
        ("04006381333931", "Acme Oils"),
        ("AC-123", "Acme Oils"),
    ]


async def test_customer_contact_is_kept(store):
    await catalog.add_customer(
        "  Jo   Bloggs ", email="jo@example.com", phone="+44 1234", address=" 1 High St \n\n  Leeds  \n"
    )
    jo = await catalog.find_customer("jo bloggs")
    assert (jo.name, jo.email, jo.phone, jo.address) == (
        "Jo Bloggs",
        "jo@example.com",
        "+44 1234",
        "1 High St\nLeeds",
    )


async def test_find_says_did_you_mean(store):
    await catalog.add_material("Olive oil", "g")
    assert (await catalog.find_material("OLIVE OIL")).name == "Olive oil"
    with pytest.raises(NotFound, match=r"no material named 'Olive oyl' \(did you mean 'Olive oil'\?\)"):
        await catalog.find_material("Olive oyl")
    with pytest.raises(NotFound, match="no product with SKU 'SOAP'"):
        await catalog.find_product("SOAP")
    with pytest.raises(NotFound, match="no lot with code 'M1'"):
        await catalog.find_lot("M1")
    with pytest.raises(NotFound, match="no customer named 'Jo'"):
        await catalog.find_customer("Jo")


async def _catalog(codes):
    await catalog.add_supplier("Acme Oils")
    await catalog.add_customer("Jo Bloggs")
    await catalog.add_material("Olive oil", "g", codes=["4006381333931"])
    await products.add_product("Soap", "SOAP-LAV", codes=codes, gtin="036000291452")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda c: catalog.add_supplier("acme oils"), Duplicate, "a supplier named 'acme oils' already"),
        (lambda c: catalog.add_customer("JO BLOGGS"), Duplicate, "a customer named 'JO BLOGGS' already"),
        (lambda c: catalog.add_material("olive oil", "g"), Duplicate, "a material named 'olive oil'"),
        (
            lambda c: products.add_product("Other", "soap-lav", codes=c),
            Duplicate,
            "SKU 'SOAP-LAV' is already",
        ),
        (
            # The EAN-13 form of the UPC-A already taken: the same item.
            lambda c: products.add_product("Other", "OTHER", codes=c, gtin="0036000291452"),
            Duplicate,
            "GTIN 0036000291452 is already used by SOAP-LAV",
        ),
        (
            lambda c: catalog.add_material("Lye", "g", codes=["04006381333931"]),
            Duplicate,
            "supplier code '04006381333931' already belongs to 'Olive oil'",
        ),
        (lambda c: catalog.add_material("Lye", "g", codes=["X1", "X1"]), InvalidInput, "given twice"),
        (
            lambda c: catalog.add_material("Lye", "furlong"),
            InvalidInput,
            "unit 'furlong' is not known: use one",
        ),
        (lambda c: catalog.add_material("Lye", "g", reorder="-1"), InvalidInput, "negative"),
        (lambda c: catalog.add_material("Lye", "g", supplier="Nobody"), NotFound, "no supplier named"),
        (lambda c: catalog.add_material("  ", "g"), InvalidInput, "material name is empty"),
        (lambda c: catalog.add_material("Ly\x1b[2Je", "g"), InvalidInput, "control characters"),
        (lambda c: catalog.add_material("L" * 129, "g"), InvalidInput, "too long"),
        (lambda c: catalog.add_material("Lye", "g", codes=["4006381333932"]), InvalidInput, "check digit"),
        (
            lambda c: products.add_product("Bad", "bad sku!", codes=c),
            InvalidInput,
            "does not fit the SKU rule",
        ),
        (
            lambda c: products.add_product("Bad", "BAD", codes=c, gtin="12345"),
            InvalidInput,
            "8, 12, 13 or 14",
        ),
        (lambda c: products.add_product("Bad", "BAD", codes=c, shelf_life_days="a"), InvalidInput, "whole"),
        (lambda c: products.add_product("Bad", "BAD", codes=c, shelf_life_days=0), InvalidInput, "at least"),
        (
            lambda c: products.add_product("Bad", "BAD", codes=c, recipe=[("Unobtainium", "1")]),
            NotFound,
            "recipe item 'Unobtainium' is neither a material name nor a product SKU",
        ),
        (
            lambda c: products.add_product("Bad", "BAD", codes=c, recipe=[("Olive oil", "0")]),
            InvalidInput,
            "recipe quantity of Olive oil must be more than zero",
        ),
        (
            lambda c: products.add_product(
                "Bad", "BAD", codes=c, recipe=[("Olive oil", "1"), ("OLIVE OIL", "2")]
            ),
            InvalidInput,
            "listed twice",
        ),
        (lambda c: catalog.add_customer("Al", email="not-an-address"), InvalidInput, "does not look like"),
        (lambda c: catalog.add_customer("Al", address="1 High St\n\x07"), InvalidInput, "control characters"),
        (lambda c: products.add_product("P" * 256, "LONG", codes=c), InvalidInput, "at most 255"),
    ],
)
async def test_bad_catalog_input_is_refused_and_writes_nothing(store, codes, db_dump, call, error, message):
    await _catalog(codes)
    before = db_dump()
    with pytest.raises(error, match=message):
        await call(codes)
    assert db_dump() == before
    assert await Material.all().count() == 1
    assert await Customer.all().count() == 1
