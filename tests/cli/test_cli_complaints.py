"""`lotkeeper complaint add|list|close` as scripts see it: exact JSON keys, deadlines of serious
complaints, `error:` lines with exit code 2 and nothing written on bad input."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.support.cli import refused_unchanged
from tui.cli import main
from tui.compliance.deadlines import add_business_days

TODAY = date.today()
KEYS = [
    "id",
    "lot",
    "item",
    "customer",
    "received",
    "what",
    "serious",
    "action",
    "closed",
    "open",
    "deadlines",
]


def lk(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args])


def ok(db: Path, *args: str) -> str:
    result = lk(db, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def ok_json(db: Path, *args: str) -> Any:
    return json.loads(ok(db, *args, "--json"))


@pytest.fixture
def shop(tmp_path: Path) -> tuple[Path, str, str]:
    """A store with one batch of soap made today and one customer; returns (db, batch, material lot)."""
    db = tmp_path / "lots.db"
    ok(db, "supplier", "add", "Acme")
    ok(db, "customer", "add", "Maria Santos", "--email", "maria@example.com")
    ok(db, "material", "add", "Olive oil", "--unit", "g")
    ok(db, "product", "add", "Lavender soap", "--sku", "SOAP-LAV", "--recipe", "Olive oil=100")
    oil = ok(db, "receive", "Olive oil", "5000", "--supplier", "Acme", "--no-label").strip()
    batch = ok_json(db, "make", "SOAP-LAV", "10", "--no-label")["lot"]
    return db, batch, oil


def test_add_list_close_round_trip(shop) -> None:
    db, batch, _ = shop
    on = TODAY - timedelta(days=3)
    added = ok_json(
        db, "complaint", "add", batch, "--what", "Rash after use", "--customer", "Maria Santos",
        "--serious", "--on", on.isoformat(),
    )  # fmt: skip
    assert list(added) == KEYS
    assert added == {
        "id": 1,
        "lot": batch,
        "item": "SOAP-LAV",
        "customer": "Maria Santos",
        "received": on.isoformat(),
        "what": "Rash after use",
        "serious": True,
        "action": None,
        "closed": None,
        "open": True,
        "deadlines": {
            "EU": (on + timedelta(days=20)).isoformat(),
            "US": add_business_days(on, 15).isoformat(),
        },
    }
    text = ok(db, "complaint", "add", batch, "--what", "Label smudged")
    assert text == f"complaint 2 logged for {batch}\n"
    listed = ok(db, "complaint", "list")
    assert f"1  {on}  {batch}  SOAP-LAV  Maria Santos  SERIOUS  OPEN" in listed
    assert f"report to EU by {on + timedelta(days=20)}" in listed
    assert [c["id"] for c in ok_json(db, "complaint", "list", "--open")] == [2, 1]

    closed = ok(db, "complaint", "close", "2", "--action", "Reprinted labels")
    assert closed == f"complaint 2 for {batch} closed on {TODAY}\n"
    assert [c["id"] for c in ok_json(db, "complaint", "list", "--open")] == [1]
    everything = ok_json(db, "complaint", "list", "--lot", batch)
    assert [(c["id"], c["open"], c["action"]) for c in everything] == [
        (1, True, None),
        (2, False, "Reprinted labels"),
    ]
    done = ok_json(db, "complaint", "close", "1", "--action", "Reported; batch withdrawn")
    assert (done["closed"], done["open"]) == (TODAY.isoformat(), False)
    assert ok(db, "complaint", "list", "--open") == "no open complaints\n"


def test_bad_input_is_refused_and_writes_nothing(shop) -> None:
    db, batch, oil = shop
    ok(db, "complaint", "add", batch, "--what", "Rash")
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    refused_unchanged(db, "no lot with code 'NOPE-1'", "complaint", "add", "NOPE-1", "--what", "Rash")
    refused_unchanged(db, "is a material lot", "complaint", "add", oil, "--what", "Rash")
    refused_unchanged(
        db, "no customer named 'Nobody'", "complaint", "add", batch, "--what", "x", "--customer", "Nobody"
    )
    refused_unchanged(db, "is in the future", "complaint", "add", batch, "--what", "Rash", "--on", tomorrow)
    refused_unchanged(db, "what happened is empty", "complaint", "add", batch, "--what", " ")
    refused_unchanged(db, "Missing option '--what'", "complaint", "add", batch)
    refused_unchanged(db, "no complaint 9", "complaint", "close", "9", "--action", "x")
    refused_unchanged(db, "give its number", "complaint", "close", "one", "--action", "x")
    refused_unchanged(db, "action taken is empty", "complaint", "close", "1", "--action", "")
    ok(db, "complaint", "close", "1", "--action", "Refunded")
    refused_unchanged(db, f"already closed on {TODAY}", "complaint", "close", "1", "--action", "again")


def test_a_read_never_makes_a_store(tmp_path: Path) -> None:
    db = tmp_path / "typo.db"
    result = lk(db, "complaint", "list")
    assert result.exit_code == 2 and not db.exists()
