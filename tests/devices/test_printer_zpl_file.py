"""Zebra (ZPL ^GFA over TCP), the folder printer (PNG/PDF) and CUPS (`lp`)."""

from __future__ import annotations

import os
import re
import stat
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from tests.support.printers import FakeTcpPrinter, closed_port, decode
from tui.config import PrinterConfig
from tui.devices.printers import (
    CupsPrinter,
    FilePrinter,
    MaybePrinted,
    NotPrinted,
    ZplPrinter,
    make_printer,
)
from tui.devices.printers.zpl import parse_host_status
from tui.errors import ConfigError, PrinterError
from tui.labels import BatchData, render

LOT = "LAV261105-01"
DATA = BatchData(LOT, "Lavender soap", "LAV-100", date(2026, 11, 5), date(2028, 5, 5))


def gfa_image(zpl: bytes) -> Image.Image:
    """Parse the ^GFA graphic back into the image a Zebra would print."""
    width = int(re.search(rb"\^PW(\d+)", zpl)[1])  # type: ignore[index]
    match = re.search(rb"\^GFA,(\d+),(\d+),(\d+),([0-9A-F]+)\^FS", zpl)
    assert match, "no ^GFA graphic field"
    total, field_total, row_bytes = int(match[1]), int(match[2]), int(match[3])
    data = bytes.fromhex(match[4].decode())
    assert total == field_total == len(data) and row_bytes == (width + 7) // 8
    height = total // row_bytes
    ink = Image.frombytes("1", (row_bytes * 8, height), data).crop((0, 0, width, height))
    return ImageOps.invert(ink.convert("L"))


@pytest.mark.parametrize(("label", "dpi"), [("62", 203), ("29", 300)])
def test_zpl_over_tcp_carries_a_decodable_graphic(label: str, dpi: int) -> None:
    fake = FakeTcpPrinter()
    try:
        config = PrinterConfig(name="zebra", kind="zpl", uri=fake.uri, label=label, dpi=dpi, timeout_s=2)
        printer = make_printer(config)
        printer.send(render("batch", DATA, printer.label), copies=4)
        assert fake.wait(lambda: len(fake.jobs) == 1)
        zpl = fake.jobs[0]
        assert zpl.startswith(b"^XA") and zpl.endswith(b"^PQ4^XZ")
        image = gfa_image(zpl)
        assert image.width == printer.label.across  # the printer's width runs across the tape
        assert decode(image) == {LOT}
    finally:
        fake.close()


def test_zpl_printer_offline_or_dropping_out_is_not_printed() -> None:
    offline = ZplPrinter(
        PrinterConfig(name="z", kind="zpl", uri=f"tcp://127.0.0.1:{closed_port()}", timeout_s=1)
    )
    with pytest.raises(NotPrinted, match="refused"):
        offline.send(render("batch", DATA, offline.label), 1)
    fake = FakeTcpPrinter("die", die_after=100, rcvbuf=2048)
    try:
        printer = ZplPrinter(PrinterConfig(name="z", kind="zpl", uri=fake.uri, timeout_s=1))
        with pytest.raises(NotPrinted, match="sent again"):
            printer.send(render("batch", DATA, printer.label), 1)
    finally:
        fake.close()


def test_zpl_printer_that_never_reads_may_or_may_not_have_printed() -> None:
    fake = FakeTcpPrinter("hang")  # the kernel takes the whole job into its buffers
    try:
        printer = ZplPrinter(PrinterConfig(name="z", kind="zpl", uri=fake.uri, timeout_s=0.5))
        with pytest.raises(
            MaybePrinted, match=r"did not end the job within 0\.5 s.*may or may not have printed"
        ):
            printer.send(render("batch", DATA, printer.label), 1)
    finally:
        fake.close()


def test_zebra_host_status_flags() -> None:
    ok = (
        b"\x02030,0,0,1245,000,0,0,0,000,0,0,0\x03\r\n"
        b"\x02000,0,0,0,0,2,4,0,00000000,1,000\x03\r\n"
        b"\x021234,0\x03\r\n"
    )
    assert parse_host_status(ok) == []
    trouble = ok.replace(b"\x02030,0,0,", b"\x02030,1,1,").replace(b"\x02000,0,0,0,", b"\x02000,0,1,0,")
    assert parse_host_status(trouble) == [
        "the printer is out of labels: load a new roll",
        "the printer is paused: press its pause button",
        "the print head is open: close it",
    ]
    assert parse_host_status(b"garbage") is None


def test_folder_printer_writes_png_and_pdf(tmp_path: Path) -> None:
    png = FilePrinter(PrinterConfig(name="f", kind="file", uri=str(tmp_path / "png")))
    png.send(render("batch", DATA, png.label), 1)
    [written] = png.written
    assert written.suffix == ".png" and decode(Image.open(written)) == {LOT}
    assert Image.open(written).info["dpi"] == pytest.approx((300, 300), abs=0.01)

    pdf = FilePrinter(PrinterConfig(name="f", kind="file", uri=str(tmp_path / "pdf" / "*.pdf")))
    label = render("batch", DATA, pdf.label)
    pdf.send(label, 3)
    [document] = pdf.written
    body = document.read_bytes()
    boxes = re.findall(rb"/MediaBox \[ 0 0 ([\d.]+) ([\d.]+) \]", body)
    assert body.startswith(b"%PDF") and len(boxes) == 3  # a page per copy
    width_mm, height_mm = (float(v) / 72 * 25.4 for v in boxes[0])
    assert (width_mm, height_mm) == pytest.approx(
        (label.image.width / 300 * 25.4, label.image.height / 300 * 25.4)
    )
    assert 58 < width_mm < 62  # the printable width of 62 mm tape, at its physical size
    assert not list((tmp_path / "pdf").glob(".*.part"))


def test_folder_printer_refuses_other_formats_and_unwritable_folders(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\*\.pdf"):
        FilePrinter(PrinterConfig(name="f", kind="file", uri=str(tmp_path / "*.gif")))
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    printer = FilePrinter(PrinterConfig(name="f", kind="file", uri=str(blocker / "sub")))
    with pytest.raises(NotPrinted, match="cannot write the label"):
        printer.send(render("batch", DATA, printer.label), 1)


def fake_lp(folder: Path, exit_code: int = 0, says: str = "") -> Path:
    """A stand-in `lp` on PATH: records its arguments and keeps the file it was given."""
    script = folder / "lp"
    script.write_text(
        "#!/bin/sh\n"
        f'echo "$@" > "{folder}/args"\n'
        "for last; do true; done\n"
        f'cp "$last" "{folder}/printed.pdf"\n'
        f'echo "{says}" >&2\n'
        f"exit {exit_code}\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return folder


def test_cups_gets_a_pdf_with_queue_and_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", f"{fake_lp(tmp_path)}{os.pathsep}{os.environ['PATH']}")
    printer = CupsPrinter(PrinterConfig(name="office", kind="cups", uri="Brother_QL", timeout_s=5))
    printer.send(render("batch", DATA, printer.label), 2)
    args = (tmp_path / "args").read_text().split()
    assert args[:4] == ["-d", "Brother_QL", "-n", "2"]
    assert (tmp_path / "printed.pdf").read_bytes().startswith(b"%PDF")


def test_cups_refusal_and_missing_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(fake_lp(tmp_path, 1, "lp: The printer or class does not exist.")))
    printer = CupsPrinter(PrinterConfig(name="office", kind="cups", uri="Nope"))
    with pytest.raises(NotPrinted, match="does not exist"):
        printer.send(render("batch", DATA, printer.label), 1)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(PrinterError, match="install CUPS"):
        printer.send(render("batch", DATA, printer.label), 1)
    assert printer.status().ready is False
    with pytest.raises(ConfigError, match="CUPS queue name"):
        CupsPrinter(PrinterConfig(name="office", kind="cups", uri=""))
