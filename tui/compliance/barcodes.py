"""The symbols a batch label carries, as data: what each one reads back as when scanned.

The QR carries the lot (or a GS1 Digital Link to it) for our own scanners; a product with a GTIN
also gets its retail bars (UPC-A for a GTIN starting 00, else EAN-13) and a GS1 DataMatrix with
(01) GTIN, (17) best-before and (10) lot; without one the lot is printed as Code128 too.
"""

from __future__ import annotations

from datetime import date

from tui.codes import gs1
from tui.codes.gtin import to_ean13, to_upca
from tui.compliance.model import Barcode
from tui.errors import InvalidInput


def retail(gtin: str) -> Barcode | None:
    """UPC-A or EAN-13; a GTIN-14 with an indicator digit names a case, not the item on the shelf."""
    if gtin.startswith("00"):
        return Barcode("upca", to_upca(gtin))
    if gtin.startswith("0"):
        return Barcode("ean13", to_ean13(gtin))
    return None


def gs1_matrix(gtin: str, lot: str, best_before: date | None) -> Barcode | None:
    """None for a lot code GS1 cannot carry: the QR and bars still carry it."""
    try:
        gs1.check_batch(lot)
    except InvalidInput:
        return None
    return Barcode("gs1_datamatrix", gs1.element_string(gtin, lot, best_before).hri)


def batch_barcodes(
    lot: str, gtin: str | None, link: str | None, best_before: date | None
) -> tuple[Barcode, ...]:
    """QR first, then the bars, then the DataMatrix."""
    codes = [Barcode("qr", link or lot)]
    bars = retail(gtin) if gtin else None
    codes.append(bars or Barcode("code128", lot))
    matrix = gs1_matrix(gtin, lot, best_before) if gtin else None
    if matrix:
        codes.append(matrix)
    return tuple(codes)
