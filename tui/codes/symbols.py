"""Barcode geometry, without pixels: which modules are dark. The labels package scales them to
whole printer dots, so bars never get the uneven widths of a resampled image.

Linear symbols come from python-barcode's `build()`, but only after our own check-digit test
(it would quietly "fix" a wrong digit). QR comes from segno (never Micro QR: phone cameras and
many scanners cannot read it), GS1 DataMatrix from zxing-cpp.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno
from barcode.codex import Code128
from barcode.ean import EuropeanArticleNumber13
from barcode.upc import UniversalProductCodeA

from tui.codes.gs1 import ElementString
from tui.codes.gtin import to_ean13, to_upca
from tui.codes.scan import printable
from tui.errors import InvalidInput


@dataclass(frozen=True)
class Bars:
    """A linear symbol: one entry per module, left to right; True is a dark bar."""

    modules: tuple[bool, ...]
    text: str
    """Human-readable line to print under the bars."""
    quiet: int
    """Light modules needed on each side for scanners to find the symbol."""


@dataclass(frozen=True)
class Matrix:
    """A 2D symbol: rows top to bottom; True is a dark module."""

    rows: tuple[tuple[bool, ...], ...]
    quiet: int
    """Light modules needed on every side."""

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in modules, without the quiet zone."""
        return (len(self.rows[0]), len(self.rows))


def _bars(pattern: str, text: str, quiet: int) -> Bars:
    return Bars(modules=tuple(c == "1" for c in pattern), text=text, quiet=quiet)


def code128(text: str) -> Bars:
    """Code128 for lot codes, SKUs and command barcodes (printable ASCII only)."""
    if not text or not all(" " <= c <= "~" for c in text):
        raise InvalidInput(
            f"{printable(text)!r} cannot be printed as a barcode: use letters, digits and "
            "ordinary punctuation (no accents)"
        )
    return _bars(Code128(text).build()[0], text, quiet=10)


def ean13(gtin: str) -> Bars:
    """EAN-13 for any GTIN with a 13-digit form (a UPC-A becomes 0 + its 12 digits)."""
    digits = to_ean13(gtin)
    return _bars(EuropeanArticleNumber13(digits).build()[0], digits, quiet=11)


def upca(gtin: str) -> Bars:
    """UPC-A for any GTIN with a 12-digit form (an EAN-13 starting with 0)."""
    digits = to_upca(gtin)
    return _bars(UniversalProductCodeA(digits).build()[0], digits, quiet=9)


def qr(text: str, error: str = "M") -> Matrix:
    """A full-size QR code at exactly the error level asked for (no boosting, no Micro QR)."""
    if not text:
        raise InvalidInput("nothing to put in the QR code")
    code = segno.make_qr(text, error=error, boost_error=False)
    return Matrix(rows=tuple(tuple(bool(m) for m in row) for row in code.matrix), quiet=4)


def gs1_datamatrix(payload: ElementString) -> Matrix:
    """GS1 DataMatrix (FNC1 first, so scanners report `]d2` and GS between fields)."""
    return gs1_datamatrix_hri(payload.hri)


def gs1_datamatrix_hri(hri: str) -> Matrix:
    """GS1 DataMatrix of an element string in HRI form, "(01)...(10)...", always square: left to
    itself zxing-cpp may pick a 64x8 DMRE strip, which many scanners cannot read."""
    import zxingcpp  # only label printing needs it; reading codes never does

    symbol = zxingcpp.create_barcode(hri, zxingcpp.BarcodeFormat.DataMatrix, gs1=True, forceSquare=True)
    if symbol.symbology_identifier != "]d2":
        raise InvalidInput(f"zxing-cpp did not make a GS1 DataMatrix of {hri}")
    image = memoryview(symbol.to_image(scale=1, add_quiet_zones=False))  # type: ignore[arg-type]
    height, width = image.shape or (0, 0)
    pixels = image.tobytes()
    rows = tuple(tuple(pixel < 128 for pixel in pixels[y * width : (y + 1) * width]) for y in range(height))
    return Matrix(rows=rows, quiet=1)
