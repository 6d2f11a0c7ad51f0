"""The CLI at the bench (issue 10): what a script or a maker at a terminal meets.

`label --template commands` needs no CODE; `stock` has a header; `trace` shows phones; `receive`
and `make` queue labels as the screens do when a printer is configured (`--no-label` skips).
Labels go to a folder printer in the test's own directory, and printed bytes are read back.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import zxingcpp
from click.testing import CliRunner
from PIL import Image

from tests.support.cli import lk
from tests.support.databases import dump
from tui.cli import main
from tui.codes.commands import command_sheet


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    result = CliRunner().invoke(main, ["--db", str(db), "demo", "--seed-only"])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def demo_db(db_path: Path, demo_template: Path) -> Path:
    """This test's copy of the demo."""
    db_path.write_bytes(demo_template.read_bytes())
    return db_path


@pytest.fixture
def printed(tmp_path: Path) -> Path:
    """Where the folder printer of `config` writes its labels."""
    return tmp_path / "labels"


@pytest.fixture
def config(tmp_path: Path, printed: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f"[[printers]]\nname = 'folder'\nkind = 'file'\nuri = '{printed}'\n"
        "[labels]\nrequire_clock_sync = false\n"
        # The demo's SOAP-CED is a cosmetic: its label names the maker (issue 15).
        "[maker]\nname = 'Hollow Oak Soap Co.'\naddress = '12 Mill Lane, Bath BA1 1AA, UK'\n"
    )
    return path


def decoded(folder: Path) -> set[str]:
    return {
        found.text
        for png in sorted(folder.glob("*.png"))
        for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(png.read_bytes())))
    }


def test_command_sheet_needs_no_code(demo_db: Path, config: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.png"
    result = lk(demo_db, config, "label", "--template", "commands", "--out", str(sheet))
    assert result.exit_code == 0, result.output
    assert {code for _, code in command_sheet("LK!")} <= decoded(tmp_path)
    refused = lk(demo_db, config, "label", "--template", "location", "--out", str(sheet))
    assert refused.exit_code == 2 and "give the CODE" in refused.stderr


def test_stock_prints_a_header_row(demo_db: Path, config: Path) -> None:
    lines = lk(demo_db, config, "stock").stdout.splitlines()
    assert lines[0].split() == ["Lot", "Item", "On", "hand", "Expires", "Location"]
    assert len(lines) == 1 + len(json.loads(lk(demo_db, config, "stock", "--json").stdout))


def test_trace_text_shows_phones(demo_db: Path, config: Path) -> None:
    assert lk(demo_db, config, "customer", "add", "Jo Phone", "--phone", "+44 1422 555 0101").exit_code == 0
    sold = lk(demo_db, config, "sell", "--customer", "Jo Phone", "CNDL-LAV=1", "--json")
    assert sold.exit_code == 0, sold.output
    batch = json.loads(sold.stdout)["lines"][0]["lot"]
    text = lk(demo_db, config, "trace", batch).stdout
    assert "+44 1422 555 0101" in text


def test_receive_and_make_queue_their_labels_as_the_screens_do(
    demo_db: Path, config: Path, printed: Path
) -> None:
    received = lk(
        demo_db, config, "receive", "Soy wax", "2000", "--supplier", "Candle Craft Supply", "--json"
    )
    assert received.exit_code == 0, received.output
    doc = json.loads(received.stdout)
    assert doc["label"]["status"] == "sent"
    assert doc["lot"] in decoded(printed)
    made = lk(demo_db, config, "make", "SOAP-CED", "2", "--json")
    assert made.exit_code == 0, made.output
    batch = json.loads(made.stdout)
    assert (batch["label"]["status"], batch["label"]["copies"]) == ("sent", 2)  # one per soap
    assert batch["lot"] in decoded(printed)
    assert [j["status"] for j in json.loads(lk(demo_db, config, "queue", "--json").stdout)].count("sent") == 2


def test_no_label_skips_the_label(demo_db: Path, config: Path, printed: Path) -> None:
    text = lk(
        demo_db, config, "receive", "Soy wax", "2000", "--supplier", "Candle Craft Supply", "--no-label"
    )
    assert text.exit_code == 0, text.output
    made = lk(demo_db, config, "make", "SOAP-CED", "1", "--no-label", "--json")
    assert json.loads(made.stdout)["label"] is None
    assert not printed.exists()
    assert json.loads(lk(demo_db, config, "queue", "--json").stdout) == []


def test_make_refuses_a_named_amount_far_from_the_recipe_unless_allowed(demo_db: Path, config: Path) -> None:
    """`--use LOT=5` for one soap whose recipe says 35 g of olive oil (issue 10.10)."""
    stock = json.loads(lk(demo_db, config, "stock", "--json").stdout)
    oil = next(r["lot"] for r in stock if r["item"] == "Olive oil")
    before = dump(str(demo_db))
    refused = lk(demo_db, config, "make", "SOAP-CED", "1", "--use", f"{oil}=5", "--no-label")
    assert refused.exit_code == 2 and refused.stdout == ""
    assert "Olive oil: 5 g used where the recipe says 35 g (86 % less)" in refused.stderr
    assert "--allow-deviation" in refused.stderr
    assert dump(str(demo_db)) == before
    allowed = lk(demo_db, config, "make", "SOAP-CED", "1", "--use", f"{oil}=5", "--allow-deviation", "--json")
    assert allowed.exit_code == 0, allowed.output
    assert json.loads(allowed.stdout)["deviations"] == [
        {"item": "Olive oil", "unit": "g", "planned": "35", "actual": "5"}
    ]
