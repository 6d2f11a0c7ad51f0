"""The core CLI as scripts see it: exact JSON keys, exit codes, one `error:` line, nothing written."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.support.cli import lk, ok, own_copy, refused, seed_with_cli
from tests.support.databases import BACKENDS, dump


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[store]\nstation = 'till'\n")
    return path


def ok_json(db, config, *args: str):
    return json.loads(ok(db, config, *args, "--json"))  # exactly one document, or this fails


@pytest.fixture(params=BACKENDS)
def new_db(request, tmp_path):
    """A store no command has opened yet: a file that does not exist, or an empty PostgreSQL
    database. The first command creates (a file) and migrates it."""
    if request.param == "sqlite":
        return tmp_path / "new" / "lots.db"
    server = request.getfixturevalue("postgres")
    name = server.create()
    request.addfinalizer(lambda: server.drop(name))
    return server.url(name)


def test_a_day_at_the_bench(new_db, config):
    db = new_db
    made = lk(db, config, "supplier", "add", "Acme Oils")
    assert (made.exit_code, made.stdout) == (0, "added supplier Acme Oils\n")
    if isinstance(db, Path):  # a new file is announced once, when it is made
        assert made.stderr == f"note: made a new store at {db}\n"
    ok(db, config, "customer", "add", "Jo Bloggs", "--email", "jo@example.com")
    ok(
        db,
        config,
        "material",
        "add",
        "Olive oil",
        "--unit",
        "g",
        "--reorder",
        "1000",
        "--code",
        "4006381333931",
    )
    ok(db, config, "material", "add", "Lye", "--unit", "g")
    assert "SOAP-LAV" in ok(
        db,
        config,
        "product", "add", "Lavender soap", "--sku", "soap-lav", "--gtin", "036000291452",
        "--shelf-life", "365", "--recipe", "Olive oil=100", "--recipe", "Lye=12.5",
    )  # fmt: skip
    today = date.today()
    received = ok_json(
        db, config, "receive", "Olive oil", "1500", "--supplier", "acme oils", "--cost", "30",
        "--expires", "2099-12-31", "--received", today.isoformat(), "--supplier-lot", "AC-9",
    )  # fmt: skip
    oil = f"M{today:%y%m%d}-001"
    assert received == {"lot": oil, "material": "Olive oil", "qty": "1500", "unit": "g", "location": None}
    lye = ok(db, config, "receive", "Lye", "500", "--supplier", "Acme Oils", "--cost", "5").strip()
    assert lye == f"M{today:%y%m%d}-002"

    made = ok_json(db, config, "make", "SOAP-LAV", "10", "--use", f"{oil}=1010")
    assert made == {
        "lot": f"SOAP{today:%y%m%d}-01",
        "product": "SOAP-LAV",
        "qty": "10",
        "unit": "pcs",
        "consumed": [  # used as weighed, and what the recipe planned
            {"lot": oil, "qty": "1010", "unit": "g", "planned": "1000"},
            {"lot": lye, "qty": "125", "unit": "g", "planned": "125"},
        ],
        "unit_cost": "2.1450",  # (20.20 + 1.25) / 10
    }
    text = ok(db, config, "make", "SOAP-LAV", "2", "--made", today.isoformat())
    assert text.splitlines()[0] == f"SOAP{today:%y%m%d}-02"
    assert f"used {oil}: 200 g Olive oil" in text
    assert f"best before {today + timedelta(days=365)}" in text

    sold = ok_json(db, config, "sell", "--customer", "jo bloggs", "--channel", "market", "SOAP-LAV=11")
    assert sold == {
        "order": f"S{today:%y%m%d}-001",
        "customer": "Jo Bloggs",
        "lines": [{"lot": made["lot"], "qty": "10"}, {"lot": f"SOAP{today:%y%m%d}-02", "qty": "1"}],
    }
    assert ok(db, config, "adjust", oil, "-5", "--reason", "spilt") == f"{oil}: 285 g on hand\n"
    assert ok_json(db, config, "waste", oil, "5", "--reason", "rancid")["on_hand"] == "280"
    assert ok_json(db, config, "count", lye, "345", "--reason", "stocktake") == {
        "lot": lye,
        "delta": "-5",
        "on_hand": "345",
        "unit": "g",
    }
    assert ok_json(db, config, "stock") == [
        {"lot": lye, "item": "Lye", "on_hand": "345", "unit": "g", "expires": None, "location": None},
        {
            "lot": oil,
            "item": "Olive oil",
            "on_hand": "280",
            "unit": "g",
            "expires": "2099-12-31",
            "location": None,
        },
        {
            "lot": f"SOAP{today:%y%m%d}-02",
            "item": "SOAP-LAV",
            "on_hand": "1",
            "unit": "pcs",
            "expires": (today + timedelta(days=365)).isoformat(),
            "location": None,
        },
    ]
    table = ok(db, config, "stock").splitlines()
    assert table[0].split() == ["Lot", "Item", "On", "hand", "Expires", "Location"]
    assert table[2].split() == [oil, "Olive", "oil", "280", "g", "2099-12-31"]
    assert len(table) == 4


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(request, tmp_path_factory):
    """A store with a catalog, an expired lot and a fresh one, built once through the CLI."""
    commands = (
        ["supplier", "add", "Acme Oils"],
        ["customer", "add", "Jo Bloggs"],
        ["material", "add", "Olive oil", "--unit", "g"],
        ["product", "add", "Soap", "--sku", "SOAP-LAV", "--recipe", "Olive oil=100"],
        ["receive", "Olive oil", "500", "--supplier", "Acme Oils", "--received", "2020-01-01", "--expires",
         "2020-02-01"],
        ["receive", "Olive oil", "1000", "--supplier", "Acme Oils", "--received", "2020-01-02"],
        ["make", "SOAP-LAV", "3", "--made", "2020-01-03"],
    )  # fmt: skip
    return seed_with_cli(request, tmp_path_factory.mktemp("seeded"), "", commands)


@pytest.fixture
def db(db_path, seeded):
    """This test's copy of the seeded file; on PostgreSQL the seeded database itself, as only
    refused commands use it, and each of those tests checks that nothing was written."""
    return own_copy(seeded[0], db_path)


@pytest.fixture
def db_dump(db):
    return lambda: dump(str(db))


EXPIRED, FRESH, BATCH = "M200101-001", "M200102-001", "SOAP200103-01"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["receive", "Olive oyl", "5", "--supplier", "Acme Oils"],
            "no material named 'Olive oyl' (did you mean",
        ),
        (["receive", "Olive oil", "5", "--supplier", "Acme"], "no supplier named 'Acme'"),
        (["receive", "Olive oil", "0", "--supplier", "Acme Oils"], "quantity must be more than zero"),
        (["receive", "Olive oil", "-5", "--supplier", "Acme Oils"], "quantity -5 is negative"),
        (["receive", "Olive oil", "five", "--supplier", "Acme Oils"], "quantity 'five' is not a number"),
        (["receive", "Olive oil", "5", "--supplier", "Acme Oils", "--cost", "x"], "cost 'x' is not a number"),
        (["receive", "Olive oil", "5", "--supplier", "Acme Oils", "--expires", "2026-13-01"], "YYYY-MM-DD"),
        (["receive", "Olive oil", "5", "--supplier", "Acme Oils", "--received", "yesterday"], "YYYY-MM-DD"),
        (["make", "SOAP-ROSE", "1"], "no product with SKU 'SOAP-ROSE'"),
        (["make", "SOAP-LAV", "11", "--made", "2020-03-01"], "need 1100 g, 1000 g usable"),
        (
            ["make", "SOAP-LAV", "1", "--use", f"{EXPIRED}=100", "--made", "2020-03-01"],
            "expired on 2020-02-01",
        ),
        (["make", "SOAP-LAV", "1", "--use", FRESH], "must be written ITEM=QTY"),
        (["make", "SOAP-LAV", "1", "--use", f"{FRESH}=50", "--use", f"{FRESH}=50"], "named twice"),
        (["make", "SOAP-LAV", "1", "--made", "03/01/2020"], "made date '03/01/2020' is not a date"),
        (["sell", "--customer", "Nobody", "SOAP-LAV=1"], "no customer named 'Nobody'"),
        (["sell", "--customer", "Jo Bloggs", "SOAP-LAV"], "must be written ITEM=QTY"),
        (["sell", "--customer", "Jo Bloggs", "SOAP-LAV=4"], "only 3 pcs of SOAP-LAV in stock"),
        (["sell", "--customer", "Jo Bloggs", f"{BATCH}=0"], "must be more than zero"),
        (["sell", "--customer", "Jo Bloggs", f"{FRESH}=1"], "is a material lot"),
        (["supplier", "add", "ACME OILS"], "a supplier named 'ACME OILS' already exists"),
        (["customer", "add", "Jo Bloggs"], "already exists"),
        (["material", "add", "olive oil", "--unit", "g"], "a material named 'olive oil' already exists"),
        (["material", "add", "Lye", "--unit", "gallon"], "unit 'gallon' is not known"),
        (["product", "add", "Soap 2", "--sku", "soap-lav"], "SKU 'SOAP-LAV' is already used"),
        (
            ["product", "add", "Soap 2", "--sku", "SOAP-2", "--recipe", "Rose=1"],
            "recipe item 'Rose' is neither",
        ),
        (
            ["product", "add", "Soap 2", "--sku", "SOAP-2", "--gtin", "036000291453"],
            "check digit should be 2",
        ),
        (["adjust", "M999999-001", "1", "--reason", "x"], "no lot with code 'M999999-001'"),
        (["adjust", FRESH, "-1001", "--reason", "x"], "has only 1000 g on hand, cannot take 1001 g"),
        (["waste", FRESH, "1", "--reason", " "], "reason is empty"),
        (["count", FRESH, "-1", "--reason", "stocktake"], "negative"),
    ],
)
def test_refused_commands_say_why_and_write_nothing(db, db_dump, seeded, args, message):
    before = db_dump()
    refused(lk(db, seeded[1], *args), message)
    assert db_dump() == before


def test_a_database_that_cannot_be_written(tmp_path, config):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    adding = lk(blocker / "lots.db", config, "supplier", "add", "A")
    refused(adding, "cannot create the folder for the database")
    refused(lk(tmp_path, config, "stock"), "is a folder: give a file name")
    assert blocker.read_text() == ""
