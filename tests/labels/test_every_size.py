"""A dated product with a GTIN gets a batch label at every size and resolution we print, and every
symbol on it decodes to what it stands for.

The lots and GTINs are the ones that once broke: a lot code that made zxing-cpp choose a long
rectangular DataMatrix (it ran into the EAN-13 bars on 29x90 and pushed the bars off 62 mm tape at
203 dpi), and a UPC-A that did not fit beside the QR on 62x29 labels.
"""

from __future__ import annotations

from datetime import date

import pytest
import zxingcpp

from tui.codes.gs1 import digital_link_uri, element_string
from tui.codes.gtin import to_ean13
from tui.labels import SUPPORTED, BatchData, label_size, render

DPIS = (203, 300, 600)
"""Brother QL prints at 300 dpi; Zebra (ZPL) and file printers at 203, 300 or 600."""
BEST_BEFORE = date(2028, 5, 5)
PRODUCTS = {
    "upc-a, plain QR": ("00614141000005", "SOAP261105-01", False),
    "ean-13, digital link": ("05069999000014", "SOAP261105-01", True),
    "ean-13, long lot": ("05069999000014", "LAVSOAP261105-001", True),
    "upc-a, short lot": ("00614141000005", "L1", False),
}


@pytest.mark.parametrize("dpi", DPIS)
@pytest.mark.parametrize("size_id", SUPPORTED)
@pytest.mark.parametrize("product", list(PRODUCTS))
def test_dated_gtin_batch_label_decodes_at_every_size_and_dpi(product: str, size_id: str, dpi: int) -> None:
    gtin, lot, linked = PRODUCTS[product]
    link = digital_link_uri("id.example.com", gtin, lot) if linked else None
    data = BatchData(lot, "Lavender olive soap", "SOAP-LAV", date(2026, 11, 5), BEST_BEFORE, gtin, link)
    image = render("batch", data, label_size(size_id, dpi)).image
    found = {b.format: b for b in zxingcpp.read_barcodes(image.convert("L"))}
    assert {f: b.text for f, b in found.items()} == {
        zxingcpp.BarcodeFormat.QRCode: link or lot,
        zxingcpp.BarcodeFormat.EAN13: to_ean13(gtin),  # zxing reports a UPC-A in its EAN-13 form
        zxingcpp.BarcodeFormat.DataMatrix: element_string(gtin, lot, BEST_BEFORE).hri,
    }
    matrix = found[zxingcpp.BarcodeFormat.DataMatrix]
    assert matrix.symbology_identifier == "]d2" and matrix.content_type == zxingcpp.ContentType.GS1
