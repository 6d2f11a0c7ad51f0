"""Label profiles on the command line: `product add|edit --profile --net --pao --rinse-off`,
`material add|edit --inci --allergen`, `material clp`, and `label LOT --describe --json` with its
exact keys; `label` refuses an incomplete label (exit 2, one `error:` line, nothing written,
nothing printed). SQLite here; the services under it run on both backends in
tests/services/test_label_profiles.py.
"""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.support.databases import dump
from tui.cli import main

KEYS = ["lot", "template", "profile", "size", "fields", "symbols", "barcodes", "missing"]


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    out = tmp_path / "printed"
    config = tmp_path / "config.toml"
    config.write_text(
        "[store]\nstation = 'bench'\n"
        f"[[printers]]\nname = 'folder'\nkind = 'file'\nuri = '{out}'\nlabel = '62'\n"
        "[labels]\nrequire_clock_sync = false\n"
        "[maker]\nname = 'Hollow Oak Soap Co.'\naddress = '12 Mill Lane, Bath BA1 1AA, UK'\n"
        "email = 'hello@hollowoak.example'\nphone = '+44 1225 000000'\n"
    )
    return tmp_path / "lots.db", config, out


def lk(setup, *args: str) -> Result:
    db, config, _ = setup
    return CliRunner().invoke(main, ["--config", str(config), "--db", str(db), *args])


def ok(setup, *args: str) -> str:
    result = lk(setup, *args)
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    return result.stdout


def soap_batch(setup) -> str:
    lk(setup, "supplier", "add", "Oils")
    ok(setup, "material", "add", "Olive oil", "--unit", "g", "--inci", "Olea Europaea Fruit Oil")
    ok(
        setup,
        *("material", "add", "Lavender oil", "--unit", "g", "--inci", "Lavandula Angustifolia Oil"),
        *("--allergen", "Linalool=30", "--allergen", "Limonene=0.5"),
    )
    out = ok(
        setup,
        *("product", "add", "Lavender soap", "--sku", "SOAP-LAV", "--shelf-life", "365"),
        *("--recipe", "Olive oil=95g", "--recipe", "Lavender oil=2g", "--profile", "cosmetic", "--rinse-off"),
    )
    assert out == "added product SOAP-LAV\n"
    ok(setup, "receive", "Olive oil", "1kg", "--supplier", "Oils", "--no-label")
    ok(setup, "receive", "Lavender oil", "50g", "--supplier", "Oils", "--no-label")
    made = json.loads(ok(setup, "make", "SOAP-LAV", "2", "--no-label", "--json"))
    return str(made["lot"])


def test_describe_json_has_exactly_the_contract_keys(setup) -> None:
    lot = soap_batch(setup)
    found = json.loads(ok(setup, "label", lot, "--describe", "--json"))
    assert list(found) == KEYS
    head = (found["lot"], found["template"], found["profile"], found["size"])
    assert head == (lot, "cosmetic", "cosmetic", "62")
    assert found["missing"] == ["net"]
    assert found["symbols"] == ["hourglass"]
    assert found["fields"]["allergens"] == "Linalool, Limonene"
    assert found["barcodes"][0] == {"kind": "qr", "data": lot}
    small = json.loads(ok(setup, "label", lot, "--describe", "--json", "--size", "29x90"))
    assert small["size"] == "29x90"


def test_label_refuses_a_missing_field_and_writes_and_prints_nothing(setup) -> None:
    lot = soap_batch(setup)
    db, _, out = setup
    before = dump(str(db))
    refused = lk(setup, "label", lot)
    assert refused.exit_code == 2 and refused.stdout == ""
    assert refused.stderr == (
        "error: cosmetic label for SOAP-LAV needs net content: set it with product edit --net 100g SOAP-LAV\n"
    )
    png = lk(setup, "label", lot, "--out", str(db.parent / "x.png"))
    assert png.exit_code == 2 and not (db.parent / "x.png").exists()
    assert dump(str(db)) == before
    assert not out.exists()

    assert ok(setup, "product", "edit", "SOAP-LAV", "--net", "100g", "--pao", "12") == (
        "saved product SOAP-LAV (profile cosmetic)\n"
    )
    assert json.loads(ok(setup, "label", lot, "--describe", "--json"))["missing"] == []
    assert ok(setup, "label", lot).startswith("printed job 1 (cosmetic")
    assert len(list(out.iterdir())) == 1


def test_describe_in_words_says_why_it_would_be_refused(setup) -> None:
    lot = soap_batch(setup)
    text = ok(setup, "label", lot, "--describe")
    assert text.startswith(f"{lot}: template cosmetic (cosmetic profile, 62)\n")
    assert "  refused: cosmetic label for SOAP-LAV needs net content" in text


def test_material_clp_and_bad_input(setup) -> None:
    soap_batch(setup)
    db, _, _ = setup
    saved = ok(
        setup,
        *("material", "clp", "Lavender oil", "--load", "10", "--pictogram", "GHS07", "--signal", "Warning"),
        *("--hazard", "H317 May cause an allergic skin reaction."),
        *("--precaution", "P280 Wear protective gloves."),
        *("--ufi", "N1QV-R0VK-K00F-0P3D"),
    )
    assert saved == "saved CLP data of Lavender oil at 10 %\n"
    before = dump(str(db))
    for args, message in (
        (("material", "clp", "Lavender oil", "--load", "10", "--pictogram", "GHS12"), "not a CLP pictogram"),
        (("material", "edit", "Lavender oil", "--allergen", "Linalool=abc"), "is not a percentage"),
        (("material", "add", "Rose oil", "--unit", "g", "--allergen", "=3"), "NAME=PERCENT"),
        (("product", "edit", "SOAP-LAV", "--profile", "toy"), "profile 'toy' is not known"),
        (("product", "add", "Toy", "--sku", "TOY-1", "--net", "12 pcs"), "is not a net quantity"),
    ):
        result = lk(setup, *args)
        assert result.exit_code == 2 and result.stdout == "", (args, result.output)
        [line] = result.stderr.splitlines()
        assert line.startswith("error: ") and message in line, line
    assert dump(str(db)) == before
    ok(setup, "material", "edit", "Lavender oil", "--inci", "Lavandula Oil", "--no-allergens")
    after = dump(str(db))
    assert after["material_allergen"] == []


def test_purge_is_a_dry_run_that_says_what_it_keeps(setup) -> None:
    lot = soap_batch(setup)
    ok(setup, "product", "edit", "SOAP-LAV", "--net", "100g")
    ok(setup, "label", lot)
    db, _, _ = setup
    before = dump(str(db))
    found = json.loads(ok(setup, "purge", "--json"))
    assert list(found) == ["today", "applied", "removed", "kept"]
    assert (found["applied"], found["removed"]) == (False, [])
    [kept] = found["kept"]
    assert (kept["profile"], kept["jobs"]) == ("cosmetic", 1)
    text = ok(setup, "purge", "--yes")
    assert text.startswith("removed 0 label record(s)") and "kept 1 cosmetic label record(s)" in text
    assert dump(str(db)) == before


def test_a_batch_made_stands_when_its_label_is_refused(setup) -> None:
    lot = soap_batch(setup)  # made with --no-label
    made = lk(setup, "make", "SOAP-LAV", "1", "--json")
    assert made.exit_code == 0, made.output
    doc = json.loads(made.stdout)
    assert doc["lot"] != lot and doc["label"]["status"] == "not queued"
    assert "needs net content" in doc["label"]["note"]
    assert "label of" in made.stderr and "not printed" in made.stderr
    _, _, out = setup
    assert not out.exists()


def test_a_market_names_its_own_responsible_person(setup) -> None:
    lot = soap_batch(setup)
    _, config, _ = setup
    config.write_text(
        config.read_text().replace("[maker]\n", "[maker]\ncountry = 'GB'\n")
        + "[[maker.markets]]\nmarket = 'EU'\nname = 'Cosmetic RP Services Ltd'\n"
        "address = '1 Quay Street, Dublin, Ireland'\n"
    )
    home = json.loads(ok(setup, "label", lot, "--describe", "--json"))["fields"]
    assert (home["maker"], home["email"]) == ("Hollow Oak Soap Co.", "hello@hollowoak.example")
    assert json.loads(ok(setup, "label", lot, "--describe", "--json", "--market", "GB"))["fields"] == home
    eu = json.loads(ok(setup, "label", lot, "--describe", "--json", "--market", "eu"))["fields"]
    assert (eu["maker"], eu["address"]) == ("Cosmetic RP Services Ltd", "1 Quay Street, Dublin, Ireland")
    assert eu["email"] == "hello@hollowoak.example"  # not given for the EU: the maker's own
    refused = lk(setup, "label", lot, "--describe", "--market", "US")
    assert refused.exit_code == 2 and "no [[maker.markets]] entry for market 'US'" in refused.stderr
