"""The starting-out files: columns by name, unknown ones reported, bad rows with row and reason."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.imports.conftest import fixture_text
from tui.imports import (
    BadImportFile,
    CellError,
    CustomerRow,
    MaterialRow,
    ProductRow,
    RecipeItem,
    StockRow,
    parse_customers,
    parse_materials,
    parse_products,
    parse_recipe,
    parse_stock,
)


def test_materials_with_several_supplier_codes_and_an_unknown_column():
    result = parse_materials(fixture_text("materials.csv"))
    assert result.problems == ()
    assert result.unknown_columns == ("Notes",)
    assert [str(w) for w in result.warnings] == [
        "row 1: column 'Notes' is not used in a materials file: ignored"
    ]
    assert result.rows[0] == MaterialRow(2, "Olive oil", "g", "2000", ("05012345678900", "OO-5L"))
    assert result.rows[1].codes == ("NAOH-1KG",)
    assert result.rows[2].codes == ()
    assert [r.unit for r in result.rows] == ["g", "g", "g", "ml", "kg", "pcs"]


def test_material_rows_refused_with_row_and_reason():
    text = (
        "name,unit,reorder,code,code 2,CODE_3\n"
        "Olive oil,g,2000,OO-5L,,\n"
        ",g,,,,\n"
        "olive OIL,g,,,,\n"
        "Lye,,,,,\n"
        "Shea butter,g,,SB-1,sb-1,\n"
        "Soy wax,kg,,oo-5l,,\n"
        "Wick,pcs,,,,W-1\n"
    )
    result = parse_materials(text)
    assert [str(p) for p in result.problems] == [
        "row 3: name is empty",
        "row 4: material 'olive OIL' is already on row 2",
        "row 5: unit is empty",
        "row 6: code 'sb-1' is given twice",
        "row 7: code 'oo-5l' is already on row 2",
    ]
    assert [(r.name, r.codes) for r in result.rows] == [("Olive oil", ("OO-5L",)), ("Wick", ("W-1",))]


def test_products_with_recipes_kept_as_text():
    result = parse_products(fixture_text("products.csv"))
    assert result.problems == () and result.warnings == ()
    soap = result.rows[0]
    assert soap == ProductRow(
        2,
        "Lavender Oat Soap",
        "LAV-SOAP",
        "0850012345671",
        540,
        (
            RecipeItem("Olive oil", "300g"),
            RecipeItem("Lye (sodium hydroxide)", "42g"),
            RecipeItem("Lavender essential oil", "5ml"),
        ),
    )
    by_sku = {r.sku: r for r in result.rows}
    assert by_sku["ROSE-BALM"].shelf_life_days == 730  # "730 days"
    assert by_sku["CED-CANDLE"].recipe == (
        RecipeItem("Soy wax", "0.22kg"),
        RecipeItem("Cotton wick 8in", "1"),
    )
    assert by_sku["DISH-OAK"].recipe == () and by_sku["DISH-OAK"].gtin is None


def test_product_rows_refused_with_row_and_reason():
    result = parse_products(fixture_text("products-bad.csv"))
    assert [str(p) for p in result.problems] == [
        "row 2: gtin 0850012345679: check digit should be 1, not 9",
        "row 3: name is empty",
        "row 4: gtin '5.01235E+12' was turned into a number by the spreadsheet: "
        "format the column as text, type the digits again and export",
        "row 5: sku 'lav-soap' is already on row 2",
        "row 6: shelf life 'one year' is not a whole number of days",
        "row 7: recipe part 'Soy wax 0.05kg' is not ITEM=QTY (separate parts with ';')",
        "row 8: recipe item 'Soy wax' is listed twice: give it once with the total",
    ]
    assert [r.sku for r in result.rows] == ["WRAP-BEE"]


@pytest.mark.parametrize(
    ("cell", "items"),
    [
        ("Olive oil=300g; Lye=42g", (("Olive oil", "300g"), ("Lye", "42g"))),
        (" Olive  oil = 300 g ;", (("Olive oil", "300 g"),)),
        ("", ()),
        ("Fragrance blend F1=0.02", (("Fragrance blend F1", "0.02"),)),
    ],
)
def test_recipe_cells(cell, items):
    assert parse_recipe(cell) == tuple(RecipeItem(*i) for i in items)


def test_recipe_separated_by_commas_is_refused():
    with pytest.raises(CellError, match="separate parts with ';'"):
        parse_recipe("Olive oil=300g, Lye=42g")


def test_customers_keep_accents_and_multi_line_addresses():
    result = parse_customers(fixture_text("customers.csv"))
    assert result.problems == () and result.warnings == ()  # "E-mail" is the email column
    assert result.rows[1] == CustomerRow(
        3,
        "François Lefèvre",
        "francois.lefevre@example.fr",
        None,
        "7 rue de l'Église\nQuébec QC G1R 4P5\nCanada",
    )
    assert result.rows[0].name == "Zoë O'Brien"
    assert [r.row for r in result.rows] == [2, 3, 4, 5]  # quoted newlines do not shift the rows
    assert result.rows[3] == CustomerRow(5, "Jürgen Groß", None, None, None)


def test_customer_rows_refused():
    result = parse_customers("name,email\nAnn,ann@example\nAnn ,\nBo,bo at example.com\n,x@y.z\n")
    assert [str(p) for p in result.problems] == [
        "row 3: customer 'Ann' is already on row 2",
        "row 4: email 'bo at example.com' does not look like an address (name@example.com)",
        "row 5: name is empty",
    ]


def test_stock_rows_one_lot_each_quantities_with_units_kept_as_text():
    result = parse_stock(fixture_text("stock.csv"))
    assert result.problems == () and result.warnings == ()
    assert result.rows[0] == StockRow(
        2,
        "Olive oil",
        "5 kg",
        "Mediterranean Oils Ltd",
        "MO-2026-0412",
        date(2027, 10, 31),
        date(2026, 9, 15),
        Decimal("54.90"),
        "Shelf A2",
    )
    assert [r.cost for r in result.rows] == [
        Decimal("54.90"),
        Decimal("12.50"),
        Decimal("31.00"),
        Decimal("18.75"),
        Decimal("1049.00"),
    ]
    assert result.rows[2].supplier is None and result.rows[2].location is None


def test_stock_rows_refused():
    result = parse_stock(fixture_text("stock-bad.csv"))
    assert [str(p) for p in result.problems] == [
        "row 2: expires '31/10/2027' is not a date: write it as YYYY-MM-DD, e.g. 2027-03-31",
        "row 3: material is empty",
        "row 4: qty is empty",
        "row 5: cost '-5.00' is negative",
    ]
    assert [r.material for r in result.rows] == ["Lavender essential oil"]


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    [
        (parse_materials, "name,reorder\nOil,5\n", "a materials file needs the column unit"),
        (parse_products, "title,price\nSoap,5\n", "a products file needs the columns name, sku"),
        (parse_customers, "email\na@b.c\n", "a customers file needs the column name"),
        (parse_stock, "material,amount\nOil,5\n", "a stock file needs the column qty"),
    ],
)
def test_a_file_without_its_required_columns_is_refused_whole(parse, text, message):
    with pytest.raises(BadImportFile, match=message):
        parse(text)


def test_starting_columns_in_any_order_and_case():
    text = "RECIPE,Shelf Life,SKU,Name\nOlive oil=300g,30,LAV-SOAP,Lavender Oat Soap\n"
    (row,) = parse_products(text).rows
    assert (row.name, row.sku, row.shelf_life_days, row.recipe) == (
        "Lavender Oat Soap",
        "LAV-SOAP",
        30,
        (RecipeItem("Olive oil", "300g"),),
    )
