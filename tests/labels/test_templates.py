"""Every template at every label size: exact printable size, 1-bit (red only on red tape), and
barcodes that zxing-cpp reads back as the lot, location or command they stand for."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
import zxingcpp
from PIL import Image

from tui.codes.commands import command_sheet
from tui.codes.gs1 import element_string
from tui.errors import ConfigError, InvalidInput
from tui.labels import (
    SUPPORTED,
    TEMPLATES,
    BatchData,
    CommandSheetData,
    LocationData,
    MaterialLotData,
    from_json,
    label_size,
    load_png,
    render,
    to_json,
)
from tui.labels.canvas import literal
from tui.labels.templates import LabelData

LINK = "https://id.example.com/01/00036000291452/10/LAV261105-01"
DATA: dict[str, LabelData] = {
    "material": MaterialLotData(
        "M261105-001", "Olive oil, extra virgin", date(2026, 11, 5), "Oliveto", "OB-77", date(2027, 11, 5)
    ),
    "batch": BatchData(
        "LAV261105-01",
        "Lavender soap bar",
        "LAV-SOAP-100",
        date(2026, 11, 5),
        date(2028, 5, 5),
        "00036000291452",
        LINK,
    ),
    "location": LocationData("Shelf A3", "SHELF-A3"),
    "commands": CommandSheetData(command_sheet("LK!")),
}
GS1 = element_string("00036000291452", "LAV261105-01", date(2028, 5, 5)).hri
EXPECTED = {
    "material": {"M261105-001"},
    # QR (GS1 Digital Link), UPC-A (zxing reports it as EAN-13) and GS1 DataMatrix (01)(17)(10)
    "batch": {LINK, "0036000291452", GS1},
    "location": {"SHELF-A3"},
    "commands": {code for _, code in command_sheet("LK!")},
}


def decode(image: Image.Image) -> set[str]:
    return {b.text for b in zxingcpp.read_barcodes(image.convert("L"))}


@pytest.mark.parametrize("size_id", SUPPORTED)
@pytest.mark.parametrize("name", list(DATA))
def test_every_template_and_size_decodes(name: str, size_id: str) -> None:
    size = label_size(size_id)
    if name == "commands" and not size.endless:
        with pytest.raises(InvalidInput, match="needs endless tape"):
            render(name, DATA[name], size)
        return
    label = render(name, DATA[name], size)
    image = label.image
    assert image.mode == ("P" if size.red else "1")
    assert (size.width or image.width, size.height or image.height) == image.size
    assert (image.height if not size.rotated else image.width) <= 11811  # a Brother's longest label
    assert decode(image) == EXPECTED[name]
    assert decode(Image.open(io.BytesIO(label.png()))) == EXPECTED[name]


def symbols_by_format(image: Image.Image) -> dict[zxingcpp.BarcodeFormat, zxingcpp.Barcode]:
    found = zxingcpp.read_barcodes(image.convert("L"))
    assert len({b.format for b in found}) == len(found)
    return {b.format: b for b in found}


@pytest.mark.parametrize("size_id", SUPPORTED)
def test_batch_with_a_gtin_carries_a_gs1_datamatrix(size_id: str) -> None:
    found = symbols_by_format(render("batch", DATA["batch"], label_size(size_id)).image)
    assert found[zxingcpp.BarcodeFormat.QRCode].text == LINK
    matrix = found[zxingcpp.BarcodeFormat.DataMatrix]
    assert matrix.symbology_identifier == "]d2" and matrix.content_type == zxingcpp.ContentType.GS1
    assert matrix.text == GS1 == "(01)00036000291452(17)280505(10)LAV261105-01"


@pytest.mark.parametrize("size_id", SUPPORTED)
def test_batch_without_a_gtin_or_with_a_lot_gs1_cannot_carry_has_no_datamatrix(size_id: str) -> None:
    size = label_size(size_id)
    no_gtin = BatchData("LAV261105-01", "Lavender soap bar", "LAV-SOAP-100", date(2026, 11, 5))
    assert decode(render("batch", no_gtin, size).image) == {"LAV261105-01"}  # QR and Code128
    spaced = BatchData(
        "LAV 01", "Lavender soap bar", "LAV-SOAP-100", date(2026, 11, 5), gtin="00036000291452"
    )
    assert decode(render("batch", spaced, size).image) == {"LAV 01", "0036000291452"}


def test_text_runs_along_narrow_tape() -> None:
    for size_id in ("29", "38", "29x90"):
        size = label_size(size_id)
        image = render("material", DATA["material"], size).image
        assert size.rotated and image.height == size.across and image.width > image.height


def test_only_red_tape_has_red_and_it_is_the_expiry() -> None:
    image = render("material", DATA["material"], label_size("62red")).image
    colours = {index for count, index in image.getcolors() or []}  # type: ignore[misc]
    assert colours == {0, 1, 2}  # white, black, red
    no_expiry = MaterialLotData("M1", "Lye", date(2026, 11, 5))
    plain = render("material", no_expiry, label_size("62red")).image
    assert {index for _, index in plain.getcolors() or []} == {0, 1}  # type: ignore[misc]


def test_endless_label_grows_with_its_content() -> None:
    short = render("location", LocationData("A3", "A3"), label_size("62")).image
    wordy = MaterialLotData(
        "M1",
        "Olive oil, extra virgin, from the hills of Umbria",
        date(2026, 11, 5),
        "Oliveto",
        "OB-77",
        date(2027, 11, 5),
    )
    long = render("material", wordy, label_size("62")).image
    assert short.width == long.width == 696 and long.height > short.height
    wide = render("location", LocationData("Back room, top shelf", "BACK-TOP"), label_size("29")).image
    assert wide.width > render("location", LocationData("A3", "A3"), label_size("29")).image.width


def test_die_cut_label_refuses_what_cannot_fit() -> None:
    too_long = LocationData("Shelf", "X" * 40)
    with pytest.raises(InvalidInput, match="too long a barcode for 62 x 29 mm die-cut"):
        render("location", too_long, label_size("62x29"))
    huge_qr = BatchData("L1", "Soap", "S-1", date(2026, 1, 1), link="https://id.example.com/" + "x" * 400)
    with pytest.raises(InvalidInput, match="QR code holds too much text"):
        render("batch", huge_qr, label_size("62x29"))
    with pytest.raises(InvalidInput, match="no accents"):
        render("location", LocationData("Étagère", "ÉTAGÈRE"), label_size("62"))


def test_database_text_is_drawn_literally() -> None:
    assert literal("Lye\x1b[31m\nred\x00") == "Lye?[31m?red?"
    odd = MaterialLotData("M2", "[b]Lye[/b] \x1b[2J {name}", date(2026, 11, 5), supplier="<Acme>")
    assert decode(render("material", odd, label_size("62")).image) == {"M2"}


def test_payload_round_trips_through_json() -> None:
    for name, data in DATA.items():
        assert from_json(name, json.loads(json.dumps(to_json(data)))) == data
    with pytest.raises(InvalidInput, match="damaged"):
        from_json("material", {"lot": "M1", "material": "Lye", "received": "05/11/2026"})
    with pytest.raises(InvalidInput, match="damaged"):
        from_json("material", {"lot": "M1"})


def test_png_and_pdf_forms() -> None:
    label = render("batch", DATA["batch"], label_size("62"))
    again = load_png(label.png(), label.size, label.template, label.version)
    assert again.image.size == label.image.size and decode(again.image) == EXPECTED["batch"]
    assert label.pdf(2).startswith(b"%PDF")
    with pytest.raises(InvalidInput, match="damaged"):
        load_png(b"not a png", label.size, "batch", TEMPLATES["batch"].version)


def test_sizes_come_from_brother_ql_and_scale_with_dpi() -> None:
    assert (label_size("62").across, label_size("29x90").along, label_size("102").across) == (696, 991, 1164)
    assert label_size("62", 203).across == round(696 * 203 / 300)
    with pytest.raises(ConfigError, match="use one of 62, 62red"):
        label_size("17x54")
    with pytest.raises(ConfigError, match="dpi"):
        label_size("62", 20)
