"""`lotkeeper label / printers / queue / clock` as a person or a script uses them, against a fake
Brother on loopback and a real SQLite file."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from PIL import Image

import tui.cli.printing  # noqa: F401  (registers the commands on the group)
from tests.support.printers import FakeTcpPrinter, brother_pages, closed_port, decode
from tui.cli.base import main
from tui.devices.clock import system_clock_synced
from tui.labels import TEMPLATES
from tui.services import catalog, inventory
from tui.store.db import open_store

LOT = "M261105-001"

VERSION = TEMPLATES["material"].version


def write_config(tmp_path: Path, uri: str, *, clock: bool = False) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        "[[printers]]\nname = 'bench'\nkind = 'brother'\n"
        f"uri = '{uri}'\nmodel = 'QL-820NWB'\nlabel = '62'\ntimeout_s = 1.0\n"
        "[[printers]]\nname = 'folder'\nkind = 'file'\n"
        f"uri = '{tmp_path / 'out'}'\n"
        f"[labels]\nrequire_clock_sync = {'true' if clock else 'false'}\n"
    )
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "lots.db"

    async def seed() -> None:
        async with open_store(str(path)):
            await catalog.add_supplier("Oliveto")
            await catalog.add_material("Olive oil", "kg")
            received = await inventory.receive(
                "Olive oil", "10", supplier="Oliveto", received=date(2026, 11, 5)
            )
            assert received.lot == LOT

    asyncio.run(seed())
    return path


def lk(config: Path, db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), "--db", str(db), *args])


def jobs(config: Path, db: Path) -> list[dict[str, object]]:
    result = lk(config, db, "queue", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_label_prints_now_and_the_queue_shows_it(tmp_path: Path, db: Path) -> None:
    fake = FakeTcpPrinter()
    try:
        config = write_config(tmp_path, fake.uri)
        result = lk(config, db, "label", LOT, "--copies", "2")
        assert (result.exit_code, result.stdout) == (0, f"printed job 1 (material, lot {LOT}, 2x) on bench\n")
        assert fake.wait(lambda: len(fake.jobs) == 1)
        assert [decode(p) for p in brother_pages(fake.jobs[0], tmp_path)] == [{LOT}, {LOT}]
        [job] = jobs(config, db)
        assert (job["status"], job["lot"], job["copies"], job["attempts"]) == ("sent", LOT, 2, 1)
        listing = lk(config, db, "queue").stdout
        assert "sent" in listing and LOT in listing
    finally:
        fake.close()


def test_offline_printer_keeps_the_job_then_retry_and_reprint(tmp_path: Path, db: Path) -> None:
    fake = FakeTcpPrinter(listening=False)
    try:
        config = write_config(tmp_path, fake.uri)
        result = lk(config, db, "label", LOT)
        assert result.exit_code == 1 and result.stdout == ""
        assert "not printed: job 1" in result.stderr and "refused the connection" in result.stderr
        assert "retried automatically" in result.stderr
        [job] = jobs(config, db)
        assert (job["status"], job["attempts"]) == ("queued", 1)
        fake.listen()
        assert lk(config, db, "queue", "retry", "1").stdout.startswith("printed job 1")
        reprint = lk(config, db, "queue", "reprint", "1", "--copies", "3")
        assert reprint.exit_code == 0 and reprint.stdout.startswith(
            "printed job 2 (material, lot M261105-001, 3x)"
        )
        newest, first = jobs(config, db)
        assert (newest["reprint_of"], newest["status"], first["status"]) == (1, "sent", "sent")
        assert fake.wait(lambda: len(fake.jobs) == 2)
        assert lk(config, db, "queue", "cancel", "1").exit_code == 2
    finally:
        fake.close()


def test_out_writes_png_pdf_and_brother_raster(tmp_path: Path, db: Path) -> None:
    config = write_config(tmp_path, f"tcp://127.0.0.1:{closed_port()}")
    for suffix in ("png", "pdf", "bin"):
        out = tmp_path / f"label.{suffix}"
        result = lk(config, db, "label", LOT, "--out", str(out), "--size", "29")
        assert (
            result.exit_code == 0
            and result.stdout
            == f"wrote {out} (29 mm endless, template material v{TEMPLATES['material'].version})\n"
        )
    assert decode(Image.open(tmp_path / "label.png")) == {LOT}
    assert (tmp_path / "label.pdf").read_bytes().startswith(b"%PDF")
    [page] = brother_pages((tmp_path / "label.bin").read_bytes(), tmp_path)
    assert decode(page) == {LOT}
    location = tmp_path / "shelf.png"
    assert lk(config, db, "location", "add", "SHELF-A3", "--name", "Shelf A3").exit_code == 0
    assert (
        lk(config, db, "label", "SHELF-A3", "--template", "location", "--out", str(location)).exit_code == 0
    )
    assert decode(Image.open(location)) == {"SHELF-A3"}
    sheet = tmp_path / "sheet.png"
    assert lk(config, db, "label", "-", "--template", "commands", "--out", str(sheet)).exit_code == 0
    assert "LK!DONE" in decode(Image.open(io.BytesIO(sheet.read_bytes())))
    assert jobs(config, db) == []  # writing a file queues nothing


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NOPE-1"], "no lot with code 'NOPE-1'"),
        ([LOT, "--out", "label.gif"], "use a file name ending in .png, .pdf or .bin"),
        ([LOT, "--size", "29"], "--size only applies with --out"),
        ([LOT, "--printer", "attic"], "no printer named 'attic'"),
        ([LOT, "--template", "batch"], "prints with the material template"),
        ([LOT, "--size", "29x90", "--template", "commands", "--out", "x.png"], "needs endless tape"),
    ],
)
def test_bad_label_requests_write_nothing(tmp_path: Path, db: Path, args: list[str], message: str) -> None:
    config = write_config(tmp_path, f"tcp://127.0.0.1:{closed_port()}")
    result = lk(config, db, "label", *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert jobs(config, db) == [] and not (tmp_path / "x.png").exists()


def test_printers_report_what_each_printer_says(tmp_path: Path, db: Path) -> None:
    config = write_config(tmp_path, f"tcp://127.0.0.1:{closed_port()}")
    result = lk(config, db, "printers", "--json")
    bench, folder = json.loads(result.stdout)
    assert bench["ready"] is False and "refused the connection" in bench["message"]
    assert folder["ready"] is True and "PNG" in folder["message"]
    assert "NEEDS ATTENTION" in lk(config, db, "printers").stdout


def test_clock_confirm_releases_held_labels(tmp_path: Path, db: Path) -> None:
    fake = FakeTcpPrinter()
    try:
        config = write_config(tmp_path, fake.uri, clock=True)
        result = lk(config, db, "label", LOT)
        if system_clock_synced():  # a synchronised machine prints at once
            assert result.exit_code == 0
            return
        assert result.exit_code == 1 and "held until the date is confirmed" in result.stderr
        assert "1 label job(s) held" in lk(config, db, "clock", "status").stdout
        assert lk(config, db, "clock", "confirm", "05.11.2026").stderr.startswith(
            "error: '05.11.2026' is not a date"
        )
        tomorrow = (date.today() + timedelta(days=1)).isoformat()
        wrong = lk(config, db, "clock", "confirm", tomorrow)
        assert wrong.exit_code == 2 and "this computer's clock says" in wrong.stderr
        confirmed = lk(config, db, "clock", "confirm", date.today().isoformat())
        assert confirmed.exit_code == 0, confirmed.output
        assert "1 held label job(s) released" in confirmed.stdout and "printed job 1" in confirmed.stdout
        assert fake.wait(lambda: len(fake.jobs) == 1)
    finally:
        fake.close()
