"""Brother QL: raster bytes a real printer would print, over TCP and a device file, and every way a
send can go wrong (refused, hung, dropped mid-job, error status, wrong labels)."""

from __future__ import annotations

import socket
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from tests.support.printers import (
    FakeDevicePrinter,
    FakeSnmpAgent,
    FakeTcpPrinter,
    brother_pages,
    closed_port,
    decode,
    status_bytes,
)
from tui.config import PrinterConfig
from tui.devices.printers import BrotherPrinter, MaybePrinted, NotPrinted, make_printer
from tui.devices.printers.brother import brother_model, parse_status, raster_job
from tui.devices.printers.snmp import BROTHER_STATUS_OID, get_request, snmp_get
from tui.errors import ConfigError, PrinterError
from tui.labels import MaterialLotData, RenderedLabel, label_size, render

LOT = "M261105-001"
DATA = MaterialLotData(LOT, "Olive oil", date(2026, 11, 5), "Oliveto", "OB-77", date(2027, 11, 5))


def closed_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def brother(uri: str, *, label: str = "62", model: str = "QL-820NWB", timeout: float = 2.0, snmp: int = 0):
    config = PrinterConfig(name="bench", kind="brother", uri=uri, model=model, label=label, timeout_s=timeout)
    return BrotherPrinter(config, snmp_port=snmp or closed_udp_port())


def label_for(printer: BrotherPrinter) -> RenderedLabel:
    return render("material", DATA, printer.label)


def test_tcp_job_prints_every_copy_and_decodes_to_the_lot(tmp_path: Path) -> None:
    fake = FakeTcpPrinter()
    try:
        printer = brother(fake.uri)
        printer.send(label_for(printer), copies=2)
        assert fake.wait(lambda: len(fake.jobs) == 1)
        pages = brother_pages(fake.jobs[0], tmp_path)
        assert len(pages) == 2
        assert all(decode(page) == {LOT} for page in pages)
        assert pages[0].width == brother_model("QL-820NWB").number_bytes_per_row * 8
    finally:
        fake.close()


@pytest.mark.parametrize(
    ("size", "model"),
    [
        ("62", "QL-700"),
        ("29", "QL-820NWB"),
        ("38", "QL-710W"),
        ("29x90", "QL-820NWB"),
        ("62x29", "QL-800"),
        ("102", "QL-1110NWB"),
    ],
)
def test_every_size_rasterises_at_its_printable_width(size: str, model: str, tmp_path: Path) -> None:
    label = render("material", DATA, label_size(size))
    [page] = brother_pages(raster_job(label, brother_model(model)).data, tmp_path)
    assert decode(page) == {LOT}
    across = label_size(size).across
    dark = page.convert("L").point(lambda v: 255 if v < 128 else 0).getbbox()
    assert dark is not None and dark[2] - dark[0] <= across  # nothing outside the printable width
    if label_size(size).endless is False:
        assert page.height == label_size(size).along


def test_red_tape_prints_the_expiry_in_red(tmp_path: Path) -> None:
    label = render("material", DATA, label_size("62red"))
    job = raster_job(label, brother_model("QL-820NWB"))
    [page] = brother_pages(job.data, tmp_path)
    assert decode(page) == {LOT}
    rgb = page.convert("RGB").tobytes()
    red = sum(1 for i in range(0, len(rgb), 3) if rgb[i] > 200 and rgb[i + 1] < 80 and rgb[i + 2] < 80)
    assert red > 200  # the "Expires" line
    with pytest.raises(ConfigError, match="cannot print red"):
        raster_job(label, brother_model("QL-700"))


def test_short_endless_label_is_padded_to_the_model_minimum(tmp_path: Path) -> None:
    small = RenderedLabel(Image.new("1", (696, 60), 1), label_size("62"), "material", 1)
    [page] = brother_pages(raster_job(small, brother_model("QL-1100")).data, tmp_path)
    assert page.height == brother_model("QL-1100").min_max_length_dots[0]


def test_refused_connection_is_not_printed() -> None:
    printer = brother(f"tcp://127.0.0.1:{closed_port()}")
    with pytest.raises(NotPrinted, match="refused the connection"):
        printer.send(label_for(printer), 1)


def test_printer_that_accepts_but_never_reads_is_not_printed() -> None:
    fake = FakeTcpPrinter("hang", rcvbuf=2048)
    try:
        printer = brother(fake.uri, timeout=0.5)
        with pytest.raises(NotPrinted, match="stopped taking data; nothing was printed"):
            printer.send(label_for(printer), 1)
        assert fake.jobs == []
    finally:
        fake.close()


def test_printer_that_never_reads_a_label_its_buffers_hold_may_or_may_not_have_printed() -> None:
    """The kernel acknowledges a whole label into the buffers of a printer that never reads: that
    is not the printer having the label, and not the printer stopping: nobody can tell."""
    fake = FakeTcpPrinter("hang")
    try:
        printer = brother(fake.uri, timeout=0.5)
        with pytest.raises(MaybePrinted) as raised:
            printer.send(label_for(printer), 1)
        message = raised.value.message
        assert "did not confirm it within 0.5 s" in message and "may or may not have printed" in message
        assert "had the label" not in message and "stopped taking data" not in message
        assert fake.jobs == [] and fake.partial == []
    finally:
        fake.close()


def test_printer_dropping_the_line_early_is_not_printed() -> None:
    fake = FakeTcpPrinter("die", die_after=500, rcvbuf=2048)
    try:
        printer = brother(fake.uri, timeout=1.0)
        with pytest.raises(NotPrinted, match="nothing was printed"):
            printer.send(label_for(printer), 1)
        assert fake.wait(lambda: len(fake.partial) == 1)
        assert fake.jobs == []
    finally:
        fake.close()


def test_printer_that_took_the_job_but_never_confirmed_may_have_printed() -> None:
    fake = FakeTcpPrinter("silent")
    try:
        printer = brother(fake.uri, timeout=0.5)
        with pytest.raises(MaybePrinted, match="check the printer"):
            printer.send(label_for(printer), 1)
    finally:
        fake.close()


def test_device_file_job_waits_for_printing_completed(tmp_path: Path) -> None:
    device = FakeDevicePrinter()
    try:
        printer = brother(device.path)
        printer.send(label_for(printer), copies=3)
        assert device.printed == 3
        pages = brother_pages(device.received, tmp_path)
        assert len(pages) == 3 and decode(pages[-1]) == {LOT}
        assert printer.status().message == "ready, 62 mm endless labels loaded"
    finally:
        device.close()


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (status_bytes(error1=0x01, media_type=0, width=0), "no labels loaded"),
        (status_bytes(error2=0x10), "the cover is open"),
        (status_bytes(width=29), "has 29 mm endless labels loaded but is set up for 62 mm endless"),
        (status_bytes(media_type=0x0B, width=62, length=29), "62 x 29 mm die-cut labels loaded"),
    ],
)
def test_device_status_problems_stop_the_job_before_any_raster(status: bytes, message: str) -> None:
    device = FakeDevicePrinter(status)
    try:
        printer = brother(device.path)
        with pytest.raises(NotPrinted, match=message):
            printer.send(label_for(printer), 1)
        assert b"g\x00Z" not in device.received and device.printed == 0
        assert printer.status().ready is False
    finally:
        device.close()


def test_silent_device_and_unconfirmed_print() -> None:
    silent = FakeDevicePrinter(answer=False)
    try:
        printer = brother(silent.path, timeout=0.3)
        with pytest.raises(NotPrinted, match="did not answer"):
            printer.send(label_for(printer), 1)
    finally:
        silent.close()
    unconfirmed = FakeDevicePrinter(complete=False)
    try:
        printer = brother(unconfirmed.path, timeout=0.3)
        with pytest.raises(MaybePrinted, match="did not confirm"):
            printer.send(label_for(printer), 1)
    finally:
        unconfirmed.close()


def test_missing_device_file_says_what_to_do(tmp_path: Path) -> None:
    printer = brother(str(tmp_path / "lp9"))
    with pytest.raises(NotPrinted, match="is it plugged in"):
        printer.send(label_for(printer), 1)
    assert printer.status().ready is False


def test_snmp_request_encoding_matches_the_standard() -> None:
    # GET sysDescr.0, community "public", request id 1, as every SNMP tool sends it
    expected = bytes.fromhex(
        "302602010004067075626c6963a019020101020100020100300e300c06082b060102010101000500"
    )
    assert get_request("1.3.6.1.2.1.1.1.0", "public", 1) == expected


def test_network_status_comes_over_snmp_and_blocks_a_job() -> None:
    agent = FakeSnmpAgent(status_bytes(error2=0x10))
    fake = FakeTcpPrinter()
    try:
        printer = brother(fake.uri, snmp=agent.port)
        assert snmp_get("127.0.0.1", BROTHER_STATUS_OID, port=agent.port) == status_bytes(error2=0x10)
        with pytest.raises(NotPrinted, match="the cover is open"):
            printer.send(label_for(printer), 1)
        assert fake.connections == 0
        status = printer.status()
        assert status.ready is False and "cover is open" in status.message
        agent.value = status_bytes()
        printer.send(label_for(printer), 1)
        assert fake.wait(lambda: len(fake.jobs) == 1)
    finally:
        agent.close()
        fake.close()


def test_network_printer_without_snmp_reports_reachability() -> None:
    fake = FakeTcpPrinter()
    try:
        assert brother(fake.uri).status().ready is None
        assert brother(f"tcp://127.0.0.1:{closed_port()}").status().ready is False
    finally:
        fake.close()


def test_status_bytes_map_to_sentences() -> None:
    assert parse_status(b"junk") is None
    parsed = parse_status(status_bytes(error1=0x02 | 0x04, error2=0x80))
    assert parsed is not None
    assert parsed.errors == (
        "the label roll has run out: load a new roll",
        "the cutter is jammed: open the cover and clear it",
        "the printer reports a system error: switch it off and on",
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"model": "QL-9000"}, "unknown Brother model"),
        ({"label": "62red", "model": "QL-700"}, "cannot print red"),
        ({"label": "102"}, "need a QL-1100"),
        ({"label": "17x54"}, "not supported"),
        ({"uri": "lpt1"}, "not understood"),
        ({"uri": "tcp://:9100"}, "has no host"),
        ({"kind": "dymo"}, "kind 'dymo'"),
        ({"timeout_s": 0}, "timeout_s"),
    ],
)
def test_bad_printer_config_is_refused_up_front(changes: dict[str, object], message: str) -> None:
    config = {
        "name": "bench",
        "kind": "brother",
        "uri": "tcp://127.0.0.1",
        "model": "QL-820NWB",
        "label": "62",
    }
    with pytest.raises(ConfigError, match=message):
        make_printer(PrinterConfig(**{**config, **changes}))  # type: ignore[arg-type]


def test_label_for_other_tape_is_refused() -> None:
    printer = brother("tcp://127.0.0.1:9")
    with pytest.raises(NotPrinted, match="made for 29 mm endless"):
        printer.send(render("material", DATA, label_size("29")), 1)


def test_usb_printer_that_is_not_there_is_a_sentence() -> None:
    """Without pyusb, without libusb or without the printer: each says what to do."""
    printer = brother("usb://0x04f9:0x209b")
    with pytest.raises(PrinterError, match=r"pyusb|libusb|no USB printer 04f9:209b"):
        printer.send(label_for(printer), 1)
