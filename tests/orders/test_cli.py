"""`lotkeeper import`, `orders` and `pack` as scripts meet them: exact JSON keys, exit codes,
one `error:` line, and nothing written when refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.orders.conftest import EXPORTS
from tests.support.databases import dump
from tui.cli import main

IMPORT_KEYS = {
    "format",
    "orders_added",
    "orders_updated",
    "orders_unchanged",
    "lines_added",
    "customers_added",
    "unmatched",
    "problems",
}


@pytest.fixture
def lk(tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text("[store]\nstation = 'packing'\n")
    db = tmp_path / "lots.db"

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(main, ["--config", str(config), "--db", str(db), *args])

    invoke.db = db  # type: ignore[attr-defined]
    made = invoke("supplier", "add", "Packing supplies Ltd")  # the store every test starts from
    assert made.stderr == f"note: made a new store at {db}\n"
    return invoke


def ok(result: Result) -> str:
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    return result.stdout


def refused(result: Result, *parts: str) -> str:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ")
    for part in parts:
        assert part in line
    return line


def fixture(name: str) -> str:
    return str(EXPORTS / name)


def shop(lk) -> None:
    """Products with the fixtures' SKUs and a batch of each (made today, so never expired)."""
    ok(lk("supplier", "add", "Acme"))
    ok(lk("material", "add", "Base", "--unit", "g"))
    ok(lk("receive", "Base", "100000", "--supplier", "Acme"))
    for name, sku in (("Lavender Oat Soap", "LAV-SOAP"), ("Cedar Candle 8oz", "CED-CANDLE")):
        ok(lk("product", "add", name, "--sku", sku, "--shelf-life", "365", "--recipe", "Base=10"))
        ok(lk("make", sku, "10"))


def test_import_orders_json_has_the_agreed_keys_and_reimport_adds_nothing(lk):
    first = json.loads(ok(lk("import", "orders", fixture("orders_export_1.csv"), "--json")))
    assert set(first) >= IMPORT_KEYS
    assert (first["format"], first["orders_added"], first["lines_added"], first["customers_added"]) == (
        "shopify",
        5,
        10,
        4,
    )
    assert {"row": 11, "sku": "DISH-OAK", "name": "Soap dish - Oak"} in first["unmatched"]
    assert first["problems"] == []
    before = dump(str(lk.db))
    again = json.loads(ok(lk("import", "orders", fixture("orders_export_1.csv"), "--json")))
    assert (again["orders_added"], again["orders_updated"], again["orders_unchanged"]) == (0, 0, 5)
    assert dump(str(lk.db)) == before
    text = ok(lk("import", "orders", fixture("orders_export_2.csv"), "--format", "shopify"))
    assert text.startswith(
        "shopify: 2 orders added, 1 updated, 1 unchanged; 3 lines added; 1 customers added"
    )


def test_refused_imports_name_each_row_and_write_nothing(lk):
    ok(lk("import", "orders", fixture("orders_export_1.csv")))
    before = dump(str(lk.db))
    refused(
        lk("import", "orders", fixture("orders_export_bad.csv"), "--json"),
        "2 bad rows, nothing imported",
        "row 4: quantity 'two' is not a number",
        "row 5: order number (Name) is empty",
    )
    refused(lk("import", "orders", fixture("materials.csv")), "is not a known order export")
    refused(
        lk("import", "orders", fixture("orders_export_1.csv"), "--format", "square"),
        "not a Square item sales detail file",
    )
    refused(lk("import", "orders", str(EXPORTS / "nope.csv")), "nope.csv: no such file")
    refused(lk("import", "orders", fixture("orders_export_1.csv"), "--format", "amazon"), "amazon")
    assert dump(str(lk.db)) == before
    skipped = json.loads(ok(lk("import", "orders", fixture("orders_export_bad.csv"), "--skip-bad", "--json")))
    assert skipped["problems"] == [
        {"row": 4, "reason": "quantity 'two' is not a number"},
        {"row": 5, "reason": "order number (Name) is empty"},
    ]
    assert skipped["orders_added"] == 2


def test_a_dry_run_prints_the_real_report_and_writes_nothing(lk):
    ok(lk("import", "orders", fixture("EtsySoldOrders2026-10.csv")))
    before = dump(str(lk.db))
    dry = json.loads(
        ok(lk("import", "orders", fixture("EtsySoldOrderItems2026-10.csv"), "--dry-run", "--json"))
    )
    assert dump(str(lk.db)) == before
    real = json.loads(ok(lk("import", "orders", fixture("EtsySoldOrderItems2026-10.csv"), "--json")))
    assert dry == {**real, "dry_run": True}
    assert (real["format"], real["orders_updated"], real["lines_added"]) == ("etsy-items", 3, 5)


def test_orders_lists_what_is_left_to_pack(lk):
    ok(lk("import", "orders", fixture("items-2026-10-03-2026-10-04.csv")))
    everything = json.loads(ok(lk("orders", "--json")))
    assert [o["order"] for o in everything] == [
        "txD6Wx7YzE04ZY",
        "txB4Rt5UvC03ZY",
        "tx9Kd3NpQb02ZY",
        "tx7Hq2LmPa01ZY",
    ]
    walk_in = everything[-1]
    assert set(walk_in) >= {"order", "channel", "customer", "email", "status", "lines"}
    assert (walk_in["channel"], walk_in["customer"], walk_in["email"], walk_in["status"]) == (
        "square",
        None,
        None,
        "open",
    )
    assert walk_in["lines"][0] == {
        "sku": "LAV-SOAP",
        "name": "Lavender Oat Soap",
        "qty": "2",
        "open": "2",
        "lots": [],
    }
    assert everything[1]["status"] == "cancelled"  # its one unit was refunded
    open_only = json.loads(ok(lk("orders", "--open", "--json")))
    assert [o["order"] for o in open_only] == ["txD6Wx7YzE04ZY", "tx9Kd3NpQb02ZY", "tx7Hq2LmPa01ZY"]
    text = ok(lk("orders", "--open"))
    assert "tx9Kd3NpQb02ZY  square  2026-10-03  Zoë O'Brien  open" in text
    assert "(no SKU)  Custom Amount  1  (needs no lot)" in text


def test_pack_ties_units_to_batches_and_trace_finds_the_customer(lk):
    shop(lk)
    ok(lk("import", "orders", fixture("orders_export_1.csv")))
    stock = {
        row["item"]: row["lot"] for row in json.loads(ok(lk("stock", "--json"))) if row["item"] != "Base"
    }
    soap, candle = stock["LAV-SOAP"], stock["CED-CANDLE"]
    packed = json.loads(ok(lk("pack", "#1001", f"{soap.lower()}=2", "--json")))
    assert {"order", "customer", "lines"} <= set(packed)
    assert (packed["order"], packed["customer"], packed["lines"]) == (
        "#1001",
        "Zoë O'Brien",
        [{"lot": soap, "qty": "2"}],
    )
    text = ok(lk("pack", "1004", "--fefo"))
    assert text.splitlines()[0] == "#1004 for Zoë O'Brien: packed"
    assert f"CED-CANDLE 1 from batch {candle}" in text
    before = dump(str(lk.db))
    refused(lk("pack", "#1001", "LAV-SOAP=1"), "order #1001 has no LAV-SOAP left to pack")
    refused(lk("pack", "#1003", "--fefo"), "order #1003 is cancelled")
    refused(lk("pack", "#9999", "--fefo"), "no order '#9999'")
    refused(lk("pack", "#1002", f"{soap}=1"), f"batch {soap} is LAV-SOAP", "does not have")
    refused(lk("pack", "#1005", "LAV-SOAP=3"), "only 2 pcs of LAV-SOAP left to pack, not 3")
    refused(lk("pack", "#1005", "LAV-SOAP"), "must be written ITEM=QTY")
    assert dump(str(lk.db)) == before
    found = json.loads(ok(lk("trace", soap, "--json")))
    [zoe] = found["customers"]
    assert (zoe["name"], zoe["email"], zoe["phone"], zoe["orders"]) == (
        "Zoë O'Brien",
        "zoe.obrien@example.com",
        "+16035550142",
        ["#1001", "#1004"],
    )
    assert "  Zoë O'Brien <zoe.obrien@example.com>  orders: #1001, #1004" in ok(lk("trace", soap))


def test_starting_files_through_the_command(lk, tmp_path):
    materials = json.loads(ok(lk("import", "materials", fixture("materials.csv"), "--json")))
    assert (materials["kind"], materials["added"], materials["unknown_columns"]) == (
        "materials",
        6,
        ["Notes"],
    )
    stock = tmp_path / "stock.csv"
    stock.write_text("material,qty,supplier,received\nOlive oil,5000,Mediterranean Oils Ltd,2026-09-15\n")
    first = json.loads(ok(lk("import", "stock", str(stock), "--json")))
    assert (first["added"], first["suppliers_added"]) == (1, ["Mediterranean Oils Ltd"])
    assert json.loads(ok(lk("import", "stock", str(stock), "--json")))["unchanged"] == 1
    before = dump(str(lk.db))
    refused(
        lk("import", "products", fixture("products-bad.csv")),
        "7 bad rows, nothing imported",
        "row 5: sku 'lav-soap' is already on row 2",
    )
    refused(lk("import", "customers", fixture("stock.csv")), "a customers file needs the column name")
    assert dump(str(lk.db)) == before
    text = ok(lk("import", "customers", fixture("customers.csv"), "--dry-run"))
    assert text == "customers: 4 added, 0 unchanged\ndry run: nothing was written\n"
    assert dump(str(lk.db)) == before
