from datetime import date

import pytest
import zxingcpp

from tui.codes.commands import command_sheet
from tui.codes.gs1 import digital_link_uri, element_string, parse_gs1
from tui.codes.gtin import parse_gtin
from tui.codes.symbols import code128, ean13, gs1_datamatrix, qr, upca
from tui.errors import InvalidInput

GTIN = "09501101020917"
F = zxingcpp.BarcodeFormat


def _one(decode, symbol, fmt, **options):
    found = decode(symbol, **options)
    assert len(found) == 1, found
    assert found[0].format == fmt
    return found[0]


@pytest.mark.parametrize("text", ["M261109-001", "LAOS261109-07", "LK!QTY:10", "a b~{}"])
def test_code128(decode, text):
    bars = code128(text)
    assert _one(decode, bars, F.Code128).text == text
    assert bars.text == text


def test_command_sheet_codes_decode(decode):
    for _, text in command_sheet("LK!"):
        assert _one(decode, code128(text), F.Code128).text == text


def test_ean13_and_upca(decode):
    assert _one(decode, ean13("5901234123457"), F.EAN13).text == "5901234123457"
    # zxing-cpp, like most scanners, reports a UPC-A in its EAN-13 form: still the same item
    found = _one(decode, upca("012345678905"), F.UPCA, formats=F.UPCA)
    assert found.text == "0012345678905"
    assert parse_gtin(found.text).gtin14 == parse_gtin("012345678905").gtin14
    # a UPC-A given in its EAN-13 form prints as the same UPC-A
    assert upca("0012345678905") == upca("012345678905")
    assert ean13("012345678905").text == "0012345678905"


@pytest.mark.parametrize(
    ("make", "gtin", "message"),
    [
        (ean13, "5901234123450", "check digit should be 7, not 0"),
        (upca, "012345678900", "check digit should be 5, not 0"),
        (upca, "5901234123457", "only an EAN-13 starting with 0 has a UPC-A form"),
        (ean13, "10614141000019", "is a case-level GTIN-14"),
    ],
)
def test_retail_symbols_refuse_bad_gtins(make, gtin, message):
    with pytest.raises(InvalidInput, match=message):
        make(gtin)


def test_gs1_datamatrix(decode):
    payload = element_string("9501101020917", "M261109-001", date(2027, 1, 31))
    matrix = gs1_datamatrix(payload)
    found = _one(decode, matrix, F.DataMatrix)
    assert found.symbology_identifier == "]d2"
    assert found.text == payload.hri
    assert parse_gs1(found.symbology_identifier + found.bytes.decode()).batch == "M261109-001"


@pytest.mark.parametrize("lot", ["L1", "SOAP261105-01", "LAVSOAP261105-001", "ABCDEFGHIJ1234567890"])
def test_gs1_datamatrix_is_always_square(decode, lot):
    """Left to itself zxing-cpp picks the smallest symbol, which may be a 12x26 rectangle or a
    64x8 DMRE strip (ISO/IEC 21471, which many scanners do not read and no label has room for)."""
    payload = element_string("05069999000014", lot, date(2028, 5, 5))
    matrix = gs1_datamatrix(payload)
    assert matrix.size[0] == matrix.size[1]
    assert _one(decode, matrix, F.DataMatrix).text == payload.hri


@pytest.mark.parametrize(
    "text",
    [
        "M261109-001",
        digital_link_uri("id.example.com", GTIN, "LAOS261109-07"),
        "x" * 300,
    ],
)
def test_qr(decode, text):
    matrix = qr(text)
    width, height = matrix.size
    assert width == height >= 21  # never Micro QR
    found = _one(decode, matrix, F.QRCode)
    assert found.text == text
    assert found.ec_level == "M"


def test_qr_error_level_is_not_boosted():
    assert qr("A", error="L").size == (21, 21)


def test_code128_and_qr_refuse():
    with pytest.raises(InvalidInput, match="'é' cannot be printed as a barcode"):
        code128("é")
    with pytest.raises(InvalidInput, match="cannot be printed as a barcode"):
        code128("")
    with pytest.raises(InvalidInput, match="nothing to put in the QR code"):
        qr("")


def test_rasterise_scales_whole_modules(raster):
    bars = code128("A1")
    image = raster(bars, module=2)
    assert image.size == ((len(bars.modules) + 2 * bars.quiet) * 2, 40 + 2 * bars.quiet * 2)
