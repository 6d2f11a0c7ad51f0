"""Units, packs, locations, moves and stocktakes from the command line, as scripts see them: exact
JSON keys, `error:` lines with exit code 2, and nothing written when a quantity is refused."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from click.testing import CliRunner, Result
from PIL import Image

from tests.support.cli import refused_unchanged
from tui.cli import main

CASE_GTIN = "05012345000015"
TODAY = date.today()


def lk(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args])


def ok(db: Path, *args: str) -> str:
    """Exit 0 and nothing on stderr but, for the command that made the store, the note saying so."""
    made = f"note: made a new store at {db}\n" if not db.exists() else ""
    result = lk(db, *args)
    assert (result.exit_code, result.stderr) == (0, made), result.output
    return result.stdout


def ok_json(db: Path, *args: str) -> Any:
    return json.loads(ok(db, *args, "--json"))


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("shop") / "lots.db"
    ok(db, "supplier", "add", "Acme")
    ok(db, "material", "add", "Olive oil", "--unit", "ml", "--density", "0.91", "--pack", "drum=25l")
    ok(db, "material", "add", "Lye", "--unit", "g", "--reorder", "1kg", "--code", "LYE-25")
    ok(db, "material", "add", "Lavender oil", "--unit", "ml")
    added = ok(
        db, "material", "add", "Amber jar 120 ml", "--unit", "pcs", "--pack", "case=12",
        "--code", f"{CASE_GTIN}=case", "--supplier", "Acme",
    )  # fmt: skip
    assert added == "added material Amber jar 120 ml\n"
    ok(
        db, "product", "add", "Lavender soap", "--sku", "SOAP-LAV",
        "--recipe", "Olive oil=91g", "--recipe", "Lye=12.5", "--recipe", "Amber jar 120 ml=1",
    )  # fmt: skip
    ok(db, "location", "add", "SHELF-A1", "--name", "Shelf A1")
    ok(db, "location", "add", "fridge")
    return db


def test_receive_converts_units_and_packs_and_reports_the_stock_unit(shop: Path) -> None:
    jars = ok_json(
        shop, "receive", "Amber jar 120 ml", "3case", "--supplier", "Acme", "--location", "SHELF-A1"
    )
    assert jars == {
        "lot": jars["lot"],
        "material": "Amber jar 120 ml",
        "qty": "36",
        "unit": "pcs",
        "location": "SHELF-A1",
    }
    oil = ok_json(shop, "receive", "Olive oil", "9.1 kg", "--supplier", "Acme", "--location", "shelf-a1")
    assert (oil["qty"], oil["unit"]) == ("10000", "ml")
    drum = ok_json(shop, "receive", "Olive oil", "1 drum", "--supplier", "Acme")
    assert (drum["qty"], drum["location"]) == ("25000", None)


def test_scanning_a_case_barcode_receives_one_case(shop: Path) -> None:
    one = ok_json(shop, "receive", "--scan", f"]C1(01){CASE_GTIN}(10)JB-1", "--supplier", "Acme")
    assert (one["material"], one["qty"], one["unit"]) == ("Amber jar 120 ml", "12", "pcs")
    scanned = ok_json(shop, "scan", CASE_GTIN)
    assert (scanned["kind"], scanned["code"], scanned["pack"]) == ("material", "Amber jar 120 ml", "case")
    two = ok_json(shop, "receive", "--scan", CASE_GTIN, "2 cases", "--supplier", "Acme")
    assert two["qty"] == "24"


def test_refused_quantities_say_why_and_write_nothing(shop: Path) -> None:
    refused_unchanged(
        shop,
        "Lavender oil is measured in ml; give a volume, or set its density to use grams",
        "receive", "Lavender oil", "250g", "--supplier", "Acme",
    )  # fmt: skip
    refused_unchanged(
        shop,
        "Amber jar 120 ml is counted in whole pieces",
        "receive",
        "Amber jar 120 ml",
        "1.5",
        "--supplier",
        "Acme",
    )
    refused_unchanged(
        shop, "SOAP-LAV is counted in whole pieces; give a whole number", "make", "SOAP-LAV", "2.5"
    )
    refused_unchanged(shop, "quantity 'abc' is not a number", "receive", "Lye", "abc", "--supplier", "Acme")
    refused_unchanged(
        shop, "'box' is not a unit or pack of Lye", "receive", "Lye", "2 box", "--supplier", "Acme"
    )
    refused_unchanged(
        shop,
        "give QTY: this barcode is not on a pack",
        "receive",
        "--scan",
        "LYE-25",
        "--supplier",
        "Acme",
    )
    refused_unchanged(
        shop,
        "Lavender oil is measured in ml; give a volume",
        "product", "add", "Bad", "--sku", "BAD-1", "--recipe", "Lavender oil=2g",
    )  # fmt: skip


def test_make_records_weighed_and_planned_quantities(shop: Path) -> None:
    ok(shop, "receive", "Lye", "1 kg", "--supplier", "Acme")
    stock = ok_json(shop, "stock")
    oil = next(r["lot"] for r in stock if r["item"] == "Olive oil" and r["location"] == "SHELF-A1")
    made = ok_json(shop, "make", "SOAP-LAV", "2", "--use", f"{oil}=0.18kg")
    consumed = {c["lot"]: c for c in made["consumed"]}
    assert consumed[oil] == {"lot": oil, "qty": "197.802", "unit": "ml", "planned": "200"}
    assert made["unit"] == "pcs"


def test_locations_moves_stock_by_location_and_history(shop: Path, tmp_path: Path) -> None:
    listed = ok_json(shop, "location", "list")
    assert {"code": "FRIDGE", "name": "FRIDGE", "lots": 0} in listed  # type: ignore[operator]
    lavender = ok(
        shop, "receive", "Lavender oil", "100", "--supplier", "Acme", "--location", "SHELF-A1"
    ).strip()
    moved = ok_json(shop, "move", lavender, "fridge")
    assert moved == {
        "lot": lavender,
        "item": "Lavender oil",
        "location": "FRIDGE",
        "previous": "SHELF-A1",
        "moved": True,
    }
    assert ok(shop, "move", lavender, "FRIDGE") == f"{lavender} is already at FRIDGE\n"
    at_fridge = ok_json(shop, "stock", "--location", "FRIDGE")
    assert at_fridge == [
        {
            "lot": lavender,
            "item": "Lavender oil",
            "on_hand": "100",
            "unit": "ml",
            "expires": None,
            "location": "FRIDGE",
        }
    ]
    history = ok_json(shop, "history", lavender)
    assert [(h["kind"], h["delta"], h["ref"], h["reason"], h["station"]) for h in history["history"]] == [
        ("receive", "100", lavender, "", "bench"),
        ("move", "0", "FRIDGE", "from SHELF-A1", "bench"),
    ]
    assert (history["location"], history["on_hand"], history["unit"]) == ("FRIDGE", "100", "ml")
    text = ok(shop, "history", lavender)
    assert "moved to FRIDGE (from SHELF-A1)" in text
    refused_unchanged(shop, "no location 'ATTIC'", "move", lavender, "ATTIC")
    refused_unchanged(shop, "no location 'ATTIC'", "stock", "--location", "ATTIC")

    png = tmp_path / "fridge.png"
    assert ok(shop, "label", "FRIDGE", "--template", "location", "--out", str(png)).startswith("wrote")
    [scanned] = {b.text for b in zxingcpp.read_barcodes(Image.open(png).convert("L"))}
    assert ok_json(shop, "scan", scanned)["kind"] == "location"


def test_stocktake_lists_and_marks_missing_lots(tmp_path: Path) -> None:
    db = tmp_path / "lots.db"
    ok(db, "supplier", "add", "Acme")
    ok(db, "material", "add", "Wax", "--unit", "g", "--pack", "slab=5kg")
    ok(db, "location", "add", "BIN-3")
    found = ok(db, "receive", "Wax", "2 slabs", "--supplier", "Acme", "--location", "BIN-3").strip()
    lost = ok(db, "receive", "Wax", "500", "--supplier", "Acme", "--location", "BIN-3").strip()
    stray = ok(db, "receive", "Wax", "1 kg", "--supplier", "Acme").strip()
    listed = ok_json(db, "stocktake", "BIN-3", f"{found}=9.5kg", f"{stray}=1 slab")
    assert listed == {
        "location": "BIN-3",
        "counted": [
            {"lot": found, "on_hand": "9500", "delta": "-500", "unit": "g", "moved_from": None},
            {"lot": stray, "on_hand": "5000", "delta": "4000", "unit": "g", "moved_from": None},
        ],
        "missing": [{"lot": lost, "item": "Wax", "on_hand": "500", "unit": "g"}],
        "marked": [],
        "elsewhere": [],
    }
    text = ok(db, "stocktake", "BIN-3", f"{found}=9.5kg", f"{stray}=5000")
    assert f"missing {lost}  Wax  500 g: not counted" in text and "--mark-missing" in text
    marked = ok_json(db, "stocktake", "BIN-3", f"{found}=9.5kg", f"{stray}=5000", "--mark-missing")
    assert marked["marked"] == [{"lot": lost, "delta": "-500", "unit": "g"}]
    assert ok(db, "stocktake", "BIN-3", f"{found}=9.5kg", f"{stray}=5000").endswith("nothing missing\n")
    assert [r["lot"] for r in ok_json(db, "stock", "--location", "BIN-3")] == [found, stray]
    refused_unchanged(db, "Wax is measured in g; give a weight", "stocktake", "BIN-3", f"{found}=2l")


def test_stocktake_takes_a_lot_kept_elsewhere_off_the_location(tmp_path: Path) -> None:
    db = tmp_path / "lots.db"
    ok(db, "supplier", "add", "Acme")
    ok(db, "material", "add", "Wax", "--unit", "g")
    ok(db, "location", "add", "BIN-3")
    found = ok(db, "receive", "Wax", "900", "--supplier", "Acme", "--location", "BIN-3").strip()
    away = ok(db, "receive", "Wax", "500", "--supplier", "Acme", "--location", "BIN-3").strip()
    lost = ok(db, "receive", "Wax", "200", "--supplier", "Acme", "--location", "BIN-3").strip()
    other = ok(db, "receive", "Wax", "100", "--supplier", "Acme").strip()
    refused_unchanged(db, f"lot {found} cannot be marked missing: it is counted", "stocktake", "BIN-3",
            f"{found}=900", "--elsewhere", found)  # fmt: skip
    refused_unchanged(db, f"lot {other} cannot be marked missing: it is not recorded at BIN-3", "stocktake",
            "BIN-3", "--elsewhere", other)  # fmt: skip
    text = ok(db, "stocktake", "BIN-3", f"{found}=900", "--elsewhere", away.lower())
    assert f"missing {away}  Wax  500 g: kept elsewhere" in text
    assert f"missing {lost}  Wax  200 g: not counted" in text and "--mark-missing" in text
    result = ok_json(db, "stocktake", "BIN-3", f"{found}=900", "--elsewhere", lost, "--mark-missing")
    assert result["elsewhere"] == [{"lot": lost, "from": "BIN-3"}] and result["marked"] == []
    history = ok_json(db, "history", away)
    assert (history["location"], history["on_hand"]) == (None, "500")
    assert history["history"][-1]["reason"] == "stocktake BIN-3: not found here, kept elsewhere"
    assert [r["lot"] for r in ok_json(db, "stock", "--location", "BIN-3")] == [found]
    assert [r["on_hand"] for r in ok_json(db, "stock") if r["lot"] == lost] == ["200"]


def test_material_edit_sets_density_packs_and_pack_codes(tmp_path: Path) -> None:
    db = tmp_path / "lots.db"
    ok(db, "supplier", "add", "Acme")
    ok(db, "material", "add", "Olive oil", "--unit", "ml", "--code", "OIL-1")
    refused_unchanged(
        db,
        "Olive oil is measured in ml; give a volume, or set its density",
        "receive",
        "Olive oil",
        "1kg",
        "--supplier",
        "Acme",
    )
    assert ok(db, "material", "edit", "Olive oil", "--density", "0.91", "--pack", "tin=5l", "--code", "OIL-1",
              "--code", f"{CASE_GTIN}=tin") == "saved material Olive oil\n"  # fmt: skip
    assert ok_json(db, "receive", "Olive oil", "0.91kg", "--supplier", "Acme")["qty"] == "1000"
    assert ok_json(db, "receive", "--scan", CASE_GTIN, "--supplier", "Acme")["qty"] == "5000"
    ok(db, "material", "edit", "Olive oil", "--name", "Extra virgin olive oil")  # the rest is kept
    assert (
        ok_json(db, "receive", "--scan", CASE_GTIN, "--supplier", "Acme")["material"]
        == "Extra virgin olive oil"
    )
    refused_unchanged(
        db, "has no pack 'crate'", "material", "edit", "Extra virgin olive oil", "--code", "X-1=crate"
    )
