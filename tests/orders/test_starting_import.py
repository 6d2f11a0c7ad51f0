"""Starting out from spreadsheets: materials, products, customers and the stock on the shelf.

Quantities here are bare numbers in the item's unit: quantities with units (`5 kg`, `300g`, as in
tests/fixtures/exports/stock.csv) reach the services as typed and are read by them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.orders.conftest import export
from tui.imports import ImportOptions, ImportRefused, Problem
from tui.services.starting_import import import_starting
from tui.store.models import Customer, Lot, Material, Product, RecipeLine, Supplier, SupplierCode

PRODUCTS = """name,sku,gtin,shelf_life,recipe
Lavender Oat Soap,LAV-SOAP,0850012345671,540,Olive oil=300; Lye (sodium hydroxide)=42; LAV-BLEND=5
Lavender blend,LAV-BLEND,,365 days,Lavender essential oil=1
Cedar Candle 8oz,CED-CANDLE,,,"Soy wax=0.22; Cotton wick 8in=1"
"""
STOCK = """material,qty,supplier,supplier_lot,expires,received,cost,location
Olive oil,5000,Mediterranean Oils Ltd,MO-2026-0412,2027-10-31,2026-09-15,54.90,Shelf A2
Lye (sodium hydroxide),1000,Essential Depot,ED-88121,,2026-08-02,12.50,Chemicals cabinet
Shea butter,2500,,SB-7781,2027-06-30,2026-09-20,$31.00,
Soy wax,20,Candle Science,,,2026-07-11,"1,049.00",Garage
Soy wax,20,Candle Science,,,2026-07-11,"1,049.00",Garage
"""


@pytest.fixture
async def materials(store):
    return await import_starting("materials", export("materials.csv"))


async def test_materials_with_codes_and_an_unknown_column(materials):
    assert materials.added == (
        "Olive oil",
        "Lye (sodium hydroxide)",
        "Shea butter",
        "Lavender essential oil",
        "Soy wax",
        "Cotton wick 8in",
    )
    assert materials.unknown_columns == ("Notes",)
    assert materials.warnings == (Problem(1, "column 'Notes' is not used in a materials file: ignored"),)
    oil = await Material.get(name="Olive oil")
    assert (oil.unit, oil.reorder_milli) == ("g", 2_000_000)
    codes = await SupplierCode.filter(material=oil).order_by("id").values_list("code", flat=True)
    assert codes == ["05012345678900", "OO-5L"]


async def test_reimporting_adds_nothing_twice(materials, db_dump):
    await import_starting("products", PRODUCTS)
    await import_starting("stock", STOCK)
    await import_starting("customers", export("customers.csv"))
    before = db_dump()
    for kind, text in [
        ("materials", export("materials.csv")),
        ("products", PRODUCTS),
        ("stock", STOCK),
        ("customers", export("customers.csv")),
    ]:
        again = await import_starting(kind, text)
        assert (again.added, again.updated, again.problems) == ((), 0, ()), kind
    assert db_dump() == before


async def test_products_with_recipes_even_naming_a_later_row(materials):
    report = await import_starting("products", PRODUCTS)
    assert set(report.added) == {"LAV-SOAP", "LAV-BLEND", "CED-CANDLE"}
    soap = await Product.get(sku="LAV-SOAP")
    assert (soap.gtin, soap.shelf_life_days) == ("00850012345671", 540)
    assert await RecipeLine.filter(product=soap).count() == 3
    assert (await Product.get(sku="LAV-BLEND")).shelf_life_days == 365


async def test_stock_rows_become_lots_and_their_suppliers_are_added(materials):
    report = await import_starting("stock", STOCK)
    assert len(report.added) == 5  # two identical rows are two lots
    assert report.suppliers_added == ("Mediterranean Oils Ltd", "Essential Depot", "Candle Science")
    oil = await Lot.get(supplier_lot="MO-2026-0412").prefetch_related("supplier", "location")
    assert (oil.qty_milli, oil.on_hand_milli, oil.cost_cents) == (5_000_000, 5_000_000, 5490)
    assert (oil.dated, oil.expires) == (date(2026, 9, 15), date(2027, 10, 31))
    # The places the file names become locations, each named as written, with a scannable code.
    assert oil.location is not None
    assert (oil.location.code, oil.location.name) == ("SHELF-A2", "Shelf A2")
    assert report.locations_added == ("SHELF-A2", "CHEMICALS-CABINET", "GARAGE")
    assert oil.supplier is not None and oil.supplier.name == "Mediterranean Oils Ltd"
    shea = await Lot.get(supplier_lot="SB-7781")
    assert (shea.supplier_id, shea.cost_cents) == (None, 3100)  # type: ignore[attr-defined]
    assert await Lot.filter(material__name="Soy wax", cost_cents=104900).count() == 2


async def test_customers_keep_accents_and_multi_line_addresses(store):
    report = await import_starting("customers", export("customers.csv"))
    assert report.added == ("Zoë O'Brien", "François Lefèvre", "Portsmouth Co-op", "Jürgen Groß")
    francois = await Customer.get(name="François Lefèvre")
    assert francois.address == "7 rue de l'Église\nQuébec QC G1R 4P5\nCanada"
    assert (await Customer.get(name="Jürgen Groß")).email is None
    filled = await import_starting("customers", "name,email\nJürgen Groß,j.gross@example.de\n")
    assert (filled.added, filled.updated) == ((), 1)
    assert (await Customer.get(name="Jürgen Groß")).email == "j.gross@example.de"


async def test_bad_rows_are_refused_with_row_and_reason_and_nothing_is_written(materials, db_dump):
    before = db_dump()
    with pytest.raises(ImportRefused) as refused:
        await import_starting("products", export("products-bad.csv"))
    assert [p.row for p in refused.value.problems] == [2, 3, 4, 5, 6, 7, 8]
    assert "row 6: shelf life 'one year' is not a whole number of days" in refused.value.message
    text = "name,sku,recipe\nSoap,SOAP-1,Olive oil=100\nCandle,CANDLE-1,Beeswax=10\nBalm,balm 2,\n"
    with pytest.raises(ImportRefused) as store_refused:
        await import_starting("products", text)
    assert [(p.row, p.reason[:36]) for p in store_refused.value.problems] == [
        (3, "recipe item 'Beeswax' is neither a m"),
        (4, "SKU 'BALM 2' does not fit the SKU ru"),
    ]
    with pytest.raises(ImportRefused, match=r"row 2: expires '31/10/2027' is not a date"):
        await import_starting("stock", export("stock-bad.csv"))
    assert db_dump() == before  # SOAP-1 was fine, but nothing is half-imported


async def test_skip_bad_imports_the_other_rows(materials):
    text = export("stock-bad.csv").replace(",100ml,", ",100,")
    report = await import_starting("stock", text, options=ImportOptions(skip_bad=True))
    assert [p.row for p in report.problems] == [2, 3, 4, 5]
    [lot] = report.added
    assert (await Lot.get(code=lot)).supplier_lot == "LAV-24-117"


async def test_a_dry_run_reports_the_same_and_writes_nothing(materials, db_dump):
    before = db_dump()
    dry = await import_starting("stock", STOCK, options=ImportOptions(dry_run=True))
    assert db_dump() == before
    assert await Supplier.all().count() == 0
    real = await import_starting("stock", STOCK)
    assert replace(dry, added=(), dry_run=False) == replace(real, added=())
    assert len(dry.added) == len(real.added) == 5
