"""`lotkeeper report ...` as scripts see it: JSON keys, money in the shop's currency, CSV files in
the documented header order, and bad dates or file names refused with nothing written."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest

from tests.support.cli import lk, ok, own_copy, seed_with_cli
from tests.support.databases import BACKENDS, dump

OIL, BATCH = "M200102-001", "SOAP200103-01"


def read_csv(path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(request, tmp_path_factory):
    """1500 g of oil for 30.00 (received 2 Jan 2020), 3 soaps of 100 g made 3 Jan 2020 (6.00,
    2.00 each), 2 sold today at the market; prices in GBP."""
    commands = (
        ["supplier", "add", "Acme Oils"],
        ["customer", "add", "Jo Bloggs"],
        ["material", "add", "Olive oil", "--unit", "g", "--reorder", "2000"],
        ["product", "add", "Lavender soap", "--sku", "SOAP-LAV", "--recipe", "Olive oil=100"],
        ["receive", "Olive oil", "1500", "--supplier", "Acme Oils", "--cost", "30",
         "--received", "2020-01-02"],
        ["make", "SOAP-LAV", "3", "--made", "2020-01-03"],
        ["sell", "--customer", "Jo Bloggs", "--channel", "market", "SOAP-LAV=2"],
    )  # fmt: skip
    config = '[shop]\ncurrency = "GBP"\n'
    return seed_with_cli(request, tmp_path_factory.mktemp("reports"), config, commands)


@pytest.fixture
def store(seeded, tmp_path):
    """This test's copy of the seeded file; on PostgreSQL the seeded database (reports only read)."""
    source, config = seeded
    return own_copy(source, tmp_path / "lots.db"), config


def test_cogs_and_valuation_as_json_in_the_shops_currency(store):
    db, config = store
    cogs = json.loads(ok(db, config, "report", "cogs", "--json"))
    assert cogs == {
        "from": None,
        "to": None,
        "currency": "GBP",
        "total": "4.00",
        "batches": [
            {"batch": BATCH, "product": "SOAP-LAV", "made": "2020-01-03", "qty": "2", "unit_cost": "2.0000",
             "cost": "4.00"},
        ],
        "products": [
            {"product": "SOAP-LAV", "batches": 1, "qty": "2", "cost": "4.00", "unknown_cost_batches": 0},
        ],
    }  # fmt: skip
    today = date.today().isoformat()
    valued = json.loads(ok(db, config, "report", "valuation", "--json"))
    assert valued == {
        "at": today,
        "currency": "GBP",
        "total": "26.00",
        "lines": [
            {"lot": OIL, "item": "Olive oil", "on_hand": "1200", "unit": "g", "value": "24.00"},
            {"lot": BATCH, "item": "SOAP-LAV", "on_hand": "1", "unit": "pcs", "value": "2.00"},
        ],
    }
    # every movement was recorded today: at the end of 2019-12-31 there was nothing
    assert json.loads(ok(db, config, "report", "valuation", "--at", "20191231", "--json"))["lines"] == []
    text = ok(db, config, "report", "valuation")
    assert text.splitlines()[0].split() == ["lot", "item", "on_hand", "unit", "value", "currency"]
    assert text.splitlines()[-1] == f"total 26.00 GBP at the end of {today}"


def test_csv_files_have_the_header_and_rows(store, tmp_path):
    db, config = store
    out = tmp_path / "out" / "value.csv"
    assert ok(db, config, "report", "valuation", "--out", str(out)) == f"wrote 2 row(s) to {out}\n"
    assert read_csv(out) == [
        ["lot", "item", "on_hand", "unit", "value", "currency"],
        [OIL, "Olive oil", "1200", "g", "24.00", "GBP"],
        [BATCH, "SOAP-LAV", "1", "pcs", "2.00", "GBP"],
    ]
    sold = tmp_path / "sales.csv"
    ok(db, config, "report", "sales", "--out", str(sold))
    assert read_csv(sold) == [
        ["sku", "product", "channel", "qty", "orders"],
        ["SOAP-LAV", "Lavender soap", "market", "2", "1"],
    ]
    record = tmp_path / "batch.csv"
    ok(db, config, "report", "batch", BATCH.lower(), "--out", str(record))
    assert read_csv(record) == [
        ["batch", "product", "made", "best_before", "station", "input_lot", "item", "planned", "actual",
         "unit", "cost", "currency"],
        [BATCH, "SOAP-LAV", "2020-01-03", "", "bench", OIL, "Olive oil", "300", "300", "g", "6.00", "GBP"],
    ]  # fmt: skip
    reorder = tmp_path / "reorder.csv"
    ok(db, config, "report", "reorder", "--out", str(reorder))
    assert read_csv(reorder) == [
        ["material", "on_hand", "reorder", "short", "unit"],
        ["Olive oil", "1200", "2000", "800", "g"],
    ]
    both = lk(db, config, "report", "sales", "--json", "--out", str(sold))
    assert json.loads(both.stdout) == [
        {"sku": "SOAP-LAV", "product": "Lavender soap", "channel": "market", "qty": "2", "orders": 1}
    ]
    assert both.stderr == f"wrote 1 row(s) to {sold}\n"  # stdout stays one JSON document


def test_empty_reports_say_so(store):
    db, config = store
    assert ok(db, config, "report", "waste") == "no waste recorded in that period\ntotal 0.00 GBP\n"
    assert ok(db, config, "report", "expiring", "--days", "5") == "nothing expires within 5 day(s)\n"
    assert (
        json.loads(ok(db, config, "report", "sales", "--from", "2020-01-01", "--to", "2020-12-31", "--json"))
        == []
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["cogs", "--from", "2026-02-30"], "--from date '2026-02-30' is not a date: type it as YYYY-MM-DD"),
        (["sales", "--to", "31/12/2026"], "--to date '31/12/2026' is not a date"),
        (
            ["waste", "--from", "2026-03-02", "--to", "2026-03-01"],
            "--from 2026-03-02 is after --to 2026-03-01",
        ),
        (["valuation", "--at", "tomorrow"], "--at date 'tomorrow' is not a date"),
        (["expiring", "--days", "-1"], "--days -1 is negative"),
        (["sales", "--out", "sales.txt"], "is not a .csv file name"),
        (["batch", OIL], f"{OIL} is a material lot, not a batch"),
        (["batch", "NOPE-01"], "no lot with code 'NOPE-01'"),
    ],
)
def test_bad_dates_and_names_are_refused_and_nothing_is_written(store, tmp_path, args, message):
    db, config = store
    before = dump(str(db))
    out = tmp_path / "never.csv"
    result = lk(db, config, "report", *args, *([] if "--out" in args else ["--out", str(out)]))
    assert (result.exit_code, result.stdout) == (2, "")
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and message in line, line
    assert not out.exists() and not (tmp_path / "sales.txt").exists()
    assert dump(str(db)) == before


def test_a_currency_that_is_no_iso_code_is_refused(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[shop]\ncurrency = "pounds"\n')
    result = lk(tmp_path / "lots.db", config, "report", "reorder")
    assert result.exit_code == 2
    assert "shop.currency" in result.stderr and "three-letter ISO 4217" in result.stderr
    assert not (tmp_path / "lots.db").exists()
