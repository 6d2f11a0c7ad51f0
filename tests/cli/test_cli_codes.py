"""`scan`, `gtin` and `listen` as scripts and makers see them."""

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tui.cli import main


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    result = CliRunner().invoke(main, ["--db", str(db), "demo", "--seed-only"])
    assert result.exit_code == 0, result.output
    return db


def lk(db: Path, *args: str, config: Path | None = None, input: str | None = None) -> Result:
    extra = ["--config", str(config)] if config else []
    return CliRunner().invoke(main, [*extra, "--db", str(db), *args], input=input)


def a_material_lot(db: Path) -> tuple[str, str | None]:
    rows = json.loads(lk(db, "stock", "--json").stdout)
    row = next(r for r in rows if r["lot"].startswith("M") and r["expires"])
    return row["lot"], row["expires"]


def test_scan_json_contract_for_a_lot(demo_db: Path) -> None:
    lot, expires = a_material_lot(demo_db)
    result = lk(demo_db, "scan", f"  {lot}\r", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) >= {"kind", "code", "gtin", "batch", "expires", "message"}
    assert (doc["kind"], doc["code"], doc["expires"]) == ("material_lot", lot, expires)


def test_scan_gs1_with_aim_prefix_and_typed_gs(demo_db: Path) -> None:
    # 09501101020917 is a valid GTIN-14 that no product has; batch then expiry after a GS.
    result = lk(demo_db, "scan", "]C1010950110102091710ABC\\x1d17270131", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["kind"] == "unknown"
    assert (doc["gtin"], doc["batch"], doc["expires"]) == ("09501101020917", "ABC", "2027-01-31")
    assert "09501101020917" in doc["message"]


def test_scan_of_unknown_text_exits_zero_and_says_so(demo_db: Path) -> None:
    result = lk(demo_db, "scan", "[link=x]y[/link]")
    assert result.exit_code == 0
    assert result.stdout.startswith("unknown: ")


def test_gtin_check_valid_and_invalid() -> None:
    good = CliRunner().invoke(main, ["gtin", "check", "0012345678905"])
    assert good.exit_code == 0 and "GTIN-14 00012345678905" in good.stdout
    bad = CliRunner().invoke(main, ["gtin", "check", "0012345678906"])
    assert bad.exit_code == 2
    assert bad.stderr.strip() == "error: 0012345678906: check digit should be 5, not 6"


def test_gtin_next_needs_a_prefix_then_numbers_from_it(demo_db: Path, tmp_path: Path) -> None:
    missing = lk(demo_db, "gtin", "next")
    assert missing.exit_code == 2 and "prefix" in missing.stderr
    config = tmp_path / "c.toml"
    config.write_text('[codes]\ngs1_company_prefix = "0614141"\n')
    result = lk(demo_db, "gtin", "next", config=config)
    assert result.exit_code == 0, result.output
    number = result.stdout.strip()
    assert number.startswith("0614141") and len(number) == 13
    assert CliRunner().invoke(main, ["gtin", "check", number]).exit_code == 0


def test_listen_on_the_terminal_resolves_each_line(demo_db: Path) -> None:
    lot, _ = a_material_lot(demo_db)
    result = lk(demo_db, "listen", "--json", input=f"{lot}\n[link=x]y[/link]\n")
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert (first["kind"], first["code"], first["source"]) == ("material_lot", lot, "wedge")
    assert second["kind"] == "unknown" and second["text"] == "[link=x]y[/link]"


def test_listen_on_a_serial_scanner(demo_db: Path, tmp_path: Path) -> None:
    """A real pseudo-terminal plays the scanner; `listen` prints what it resolves to; Ctrl+C stops it."""
    lot, _ = a_material_lot(demo_db)
    master, slave = os.openpty()
    config = tmp_path / "serial.toml"
    config.write_text(
        f'[[scanners]]\nname = "bench"\nkind = "serial"\nport = "{os.ttyname(slave)}"\nterminator = "\\r"\n'
    )
    cmd = [sys.executable, "-m", "tui.cli", "--config", str(config), "--db", str(demo_db)]
    proc = subprocess.Popen(
        [*cmd, "listen", "--json", "--device", "bench"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 30
        docs: list[dict[str, str]] = []
        while not any("kind" in d for d in docs) and time.monotonic() < deadline:
            # Opening a port discards what arrived before: repeat the scan until one is printed.
            os.write(master, f"{lot}\r".encode())
            ready, _, _ = select.select([proc.stdout], [], [], 0.5)
            if ready:
                docs.append(json.loads(proc.stdout.readline()))
        assert docs[0] == {"source": "bench", "status": "connected", "reason": docs[0]["reason"]}
        doc = next(d for d in docs if "kind" in d)
        assert (doc["source"], doc["kind"], doc["code"]) == ("bench", "material_lot", lot)
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
        os.close(master)
        os.close(slave)


def test_receive_with_a_supplier_gs1_scan_fills_material_lot_and_expiry(demo_db: Path) -> None:
    scan = "]C101084123450012391727013110OT-9999"
    result = lk(demo_db, "receive", "--scan", scan, "2000", "--supplier", "Oliva Trading", "--json")
    assert result.exit_code == 0, result.output
    lot = json.loads(result.stdout)
    assert (lot["material"], lot["qty"]) == ("Olive oil", "2000")
    again = json.loads(lk(demo_db, "scan", lot["lot"], "--json").stdout)
    assert (again["batch"], again["expires"]) == ("OT-9999", "2027-01-31")


def test_receive_scan_of_an_unknown_gtin_is_refused_with_the_fix(demo_db: Path) -> None:
    before = lk(demo_db, "stock", "--json").stdout
    result = lk(demo_db, "receive", "--scan", "010950110102091710B1", "5", "--supplier", "Oliva Trading")
    assert result.exit_code == 2
    assert "lotkeeper material add NAME --unit UNIT --code 09501101020917" in result.stderr
    assert lk(demo_db, "stock", "--json").stdout == before


def test_receive_scan_for_another_material_is_refused(demo_db: Path) -> None:
    before = lk(demo_db, "stock", "--json").stdout
    scan = "010841234500123910OT-1"
    result = lk(demo_db, "receive", "Soy wax", "5", "--scan", scan, "--supplier", "Oliva Trading")
    assert result.exit_code == 2
    assert "the barcode is for Olive oil, not Soy wax" in result.stderr
    assert lk(demo_db, "stock", "--json").stdout == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["receive", "Olive oil", "5"], "error: lotkeeper receive: Missing option '--supplier'."),
        (["frobnicate"], "error: lotkeeper: No such command 'frobnicate'."),
    ],
)
def test_usage_errors_are_one_error_line(args: list[str], message: str) -> None:
    result = subprocess.run([sys.executable, "-m", "tui.cli", *args], capture_output=True, text=True)
    assert (result.returncode, result.stdout, result.stderr.strip()) == (2, "", message)


def test_receive_scan_of_our_own_lot_label_is_refused(demo_db: Path) -> None:
    lot, _ = a_material_lot(demo_db)
    before = lk(demo_db, "stock", "--json").stdout
    result = lk(demo_db, "receive", "--scan", lot, "5", "--supplier", "Oliva Trading")
    assert result.exit_code == 2
    assert f"{lot} is our own lot label: scan the supplier's barcode" in result.stderr
    assert lk(demo_db, "stock", "--json").stdout == before
