"""Catalog screen: the service's own refusal shows under its field and writes nothing; edits save."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static, TabbedContent

from tui.config import CodesConfig
from tui.devices.scanners.base import Scan
from tui.scanning import ScanReceived
from tui.screens.catalog import CatalogScreen
from tui.services import catalog, products
from tui.store.db import open_store
from tui.widgets.literal_table import LiteralTable
from tui.widgets.record_form import FormField, RecordForm, field_for


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Not the demo's file (tmp_path/lots.db): these tests start from a tiny catalog of their own."""
    return tmp_path / "catalog.db"


@pytest.fixture
async def catalog_db(db_path: Path) -> Path:
    async with open_store(str(db_path)):
        await catalog.add_material("Olive Oil", "g")
        await products.add_product(
            "Lavender [b]Soap[/b]", "LAV-100", codes=CodesConfig(), recipe=[("Olive Oil", "300")]
        )
    return db_path


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


async def open_catalog(pilot: Pilot, wait_for) -> CatalogScreen:
    await pilot.press("f7")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CatalogScreen))
    screen = pilot.app.screen
    assert isinstance(screen, CatalogScreen)
    await wait_for(pilot, lambda: screen.table("products").row_count == 1)
    return screen


def problem(form: RecordForm, key: str) -> str:
    """The message shown under field `key` ("" when hidden)."""
    box = form.query_one(f"#e-{key}", Static)
    return str(box.render()) if box.display else ""


def fill(form: RecordForm, **values: str) -> None:
    for key, value in values.items():
        form.query_one(f"#f-{key}", Input).value = value


async def test_duplicate_sku_shows_under_the_field_and_writes_nothing(
    make_app, catalog_db: Path, db_dump, wait_for
) -> None:
    app = make_app(db=str(catalog_db))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_catalog(pilot, wait_for)
        # The product's name is shown as typed, not as bold markup.
        cells = [str(c) for c in screen.table("products").get_row("LAV-100")]
        assert cells[:3] == ["1", "LAV-100", "Lavender [b]Soap[/b]"]  # its pick number first
        before = db_dump()

        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordForm))
        form = app.screen
        assert isinstance(form, RecordForm)
        fill(form, name="Rose Soap")
        # The SKU was suggested from the name; the maker overrides it with a taken one.
        await wait_for(pilot, lambda: form.query_one("#f-sku", Input).value == "ROSO")
        fill(form, sku="lav-100", recipe="olive oil 250")
        await pilot.press("ctrl+s")

        await wait_for(pilot, lambda: "already used" in problem(form, "sku"))
        assert problem(form, "name") == ""
        assert app.screen is form
        assert db_dump() == before

        # A bad recipe quantity is reported under the recipe.
        fill(form, sku="ROSE-1", recipe="olive oil lots")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "needs a quantity" in problem(form, "recipe"))
        assert problem(form, "sku") == ""
        assert db_dump() == before


async def test_edit_product_saves_and_refreshes(make_app, catalog_db: Path, wait_for) -> None:
    app = make_app(db=str(catalog_db))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_catalog(pilot, wait_for)
        screen.table("products").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordForm))
        form = app.screen
        assert isinstance(form, RecordForm)
        assert form.query_one("#f-recipe", Input).value == "Olive Oil 300"
        fill(form, name="Lavender Bar", life="365", recipe="Olive Oil 280")
        # A scanned GTIN lands in the focused field (AIM identifier dropped); DONE saves.
        form.query_one("#f-gtin", Input).focus()
        app.post_message(ScanReceived(Scan("]E04006381333931", "bench")))
        await wait_for(pilot, lambda: form.query_one("#f-gtin", Input).value == "4006381333931")
        app.post_message(ScanReceived(Scan("LK!DONE", "bench")))

        await wait_for(pilot, lambda: app.screen is screen)
        table = screen.table("products")
        assert isinstance(table, LiteralTable)
        await wait_for(pilot, lambda: str(table.get_row("LAV-100")[2]) == "Lavender Bar")
        assert [str(c) for c in table.get_row("LAV-100")][3:] == [
            "4006381333931",
            "365",
            "pcs",
            "Olive Oil 280",
        ]
    assert _rows(catalog_db, "SELECT name, shelf_life_days, gtin FROM product") == [
        ("Lavender Bar", 365, "04006381333931")
    ]
    assert _rows(catalog_db, "SELECT qty_milli FROM recipe_line") == [(280000,)]


async def test_add_customer_and_cancel(make_app, catalog_db: Path, wait_for) -> None:
    app = make_app(db=str(catalog_db))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_catalog(pilot, wait_for)
        screen.query_one("#tabs", TabbedContent).active = "customers"
        await wait_for(pilot, lambda: screen.kind == "customers")
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordForm))
        form = app.screen
        assert isinstance(form, RecordForm)
        fill(form, name="Corner Shop", email="not an address")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "does not look like" in problem(form, "email"))
        fill(form, email="shop@example.com", address="1 High St; Flat 2/3;Town")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen.table("customers").row_count == 1)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordForm))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
    assert _rows(catalog_db, "SELECT name, email, address FROM customer") == [
        ("Corner Shop", "shop@example.com", "1 High St\nFlat 2/3\nTown")
    ]


def test_a_message_goes_under_the_field_it_names_first() -> None:
    fields = (
        FormField("name", "Name", keywords=("material name", "material named")),
        FormField("codes", "Codes", keywords=("supplier code", "gtin", "check digit")),
        FormField("supplier", "Supplier", keywords=("no supplier",)),
    )
    assert field_for("supplier code 'X' already belongs to 'Olive oil'", fields) == "codes"
    assert field_for("no supplier named 'Acme' (did you mean 'ACME'?)", fields) == "supplier"
    assert field_for("a material named 'GTIN oil' already exists", fields) == "name"
    assert field_for("the database is locked", fields) is None


async def open_form(pilot: Pilot, wait_for, tab: str) -> RecordForm:
    app = pilot.app
    await pilot.press("f7")
    await wait_for(pilot, lambda: isinstance(app.screen, CatalogScreen) and app.screen.rows["materials"])
    screen = app.screen
    assert isinstance(screen, CatalogScreen)
    screen.query_one("#tabs", TabbedContent).active = tab
    await wait_for(pilot, lambda: screen.kind == tab)
    await pilot.press("a")
    await wait_for(pilot, lambda: isinstance(app.screen, RecordForm))
    form = app.screen
    assert isinstance(form, RecordForm)
    return form


async def test_a_scan_into_codes_ends_that_field(make_app, demo, wait_for) -> None:
    """Scanned code, then typing: the typing goes to the next field (issue 10.12)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, wait_for, "materials")
        fill(form, name="Beeswax")
        form.query_one("#f-codes", Input).focus()
        app.post_message(ScanReceived(Scan("4006381333931", "bench")))
        await wait_for(pilot, lambda: form.query_one("#f-codes", Input).value == "4006381333931")
        await wait_for(pilot, lambda: app.focused is form.query_one("#f-supplier", Input))
        await pilot.press(*"Oliva Trading")
        assert form.query_one("#f-codes", Input).value == "4006381333931"
        assert form.query_one("#f-supplier", Input).value == "Oliva Trading"


async def test_the_recipe_example_works_and_names_resolve_by_unique_prefix(make_app, demo, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, wait_for, "products")
        example = form.query_one("#f-recipe", Input).placeholder.removeprefix("e.g. ")
        fill(form, name="Plain soap", sku="SOAP-PLN", recipe=example)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, RecordForm))
        form = await open_form(pilot, wait_for, "products")
        fill(form, name="Coco soap", sku="SOAP-COC", recipe="oil 60; lye 15")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "could be" in problem(form, "recipe"))
        assert "Coconut oil" in problem(form, "recipe") and "Olive oil" in problem(form, "recipe")
        fill(form, recipe="coconut 60; OLIVE 35; sodium 15")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, RecordForm))
    recipes = _rows(
        demo.path,
        "SELECT product.sku, material.name, recipe_line.qty_milli FROM recipe_line "
        "JOIN product ON product.id = recipe_line.product_id "
        "JOIN material ON material.id = recipe_line.material_id "
        "WHERE product.sku IN ('SOAP-PLN', 'SOAP-COC') ORDER BY recipe_line.id",
    )
    assert [(sku, name) for sku, name, _ in recipes] == [
        ("SOAP-PLN", "Olive oil"),
        ("SOAP-PLN", "Sodium hydroxide (lye)"),
        ("SOAP-COC", "Coconut oil"),
        ("SOAP-COC", "Olive oil"),
        ("SOAP-COC", "Sodium hydroxide (lye)"),
    ]


async def test_product_profile_fields_refuse_then_save_with_the_row(
    make_app, catalog_db: Path, db_dump, wait_for
) -> None:
    app = make_app(db=str(catalog_db))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_catalog(pilot, wait_for)
        screen.table("products").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordForm))
        form = app.screen
        assert isinstance(form, RecordForm)
        before = db_dump()
        # A wrong net quantity is refused under its field, and the name typed with it is not saved.
        fill(form, name="Lavender Bar", profile="cosmetic", net="a bar", pao="12", rinse="yes")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "not a net quantity" in problem(form, "net"))
        assert db_dump() == before
        fill(form, profile="perfume", net="100g")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "is not known" in problem(form, "profile"))
        assert db_dump() == before
        fill(form, profile="cosmetic")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        about = screen.query_one("#about", Static)
        await wait_for(pilot, lambda: "label profile cosmetic, net 100 g" in str(about.render()))
    assert _rows(catalog_db, "SELECT name, profile, net, pao_months, rinse_off FROM product") == [
        ("Lavender Bar", "cosmetic", "100 g", 12, 1)
    ]


async def test_material_inci_and_allergens_save(make_app, catalog_db: Path, wait_for) -> None:
    app = make_app(db=str(catalog_db))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_catalog(pilot, wait_for)
        screen.query_one("#tabs", TabbedContent).active = "materials"
        await wait_for(pilot, lambda: screen.kind == "materials" and screen.table("materials").row_count == 1)
        screen.table("materials").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordForm))
        form = app.screen
        assert isinstance(form, RecordForm)
        fill(form, inci="Olea Europaea Fruit Oil", allergens="Linalool=0.5, nuts")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
    assert _rows(catalog_db, "SELECT inci FROM material") == [("Olea Europaea Fruit Oil",)]
    assert _rows(catalog_db, "SELECT name, percent_micro FROM material_allergen ORDER BY id") == [
        ("Linalool", 500000),
        ("nuts", None),
    ]
