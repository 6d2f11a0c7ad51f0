"""The recall pack's contents, row by row, against a genealogy built with the real services."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.documents.conftest import Recall
from tui.documents.pack import HEADINGS, LotTotals, UpstreamLot
from tui.documents.tables import csv_cell
from tui.errors import InvalidInput, NotFound
from tui.services.recall_pack import WALK_IN, recall_pack, write_pack

LAV = ("Lavender Oat Soap", "LAV-SOAP", "")
SHOPIFY_ADDRESS = "Zoë O'Brien\n12 Market Square\n03801 Portsmouth, NH\nUS"
ETSY_ADDRESS = "Zoë O'Brien\n14 Baggot Street Lower\nApt 2\nD02 X285 Dublin\nIreland"
GREEK_ADDRESS = "Οδός Αθηνάς 5\nΑθήνα 105 51"


def expected_rows(r: Recall) -> list[tuple[object, ...]]:
    """(lot, product, sku, gtin, qty, unit, made, best before, order, channel, shipped, customer,
    email, phone, address), by sale date then order."""
    soap1 = (r.soap1, *LAV, Decimal(2), "pcs", date(2026, 9, 1), date(2027, 9, 1))
    soap2 = (r.soap2, *LAV, Decimal(2), "pcs", date(2026, 9, 2), date(2027, 9, 2))
    return [
        (
            *soap1,
            "#1001",
            "shopify",
            date(2026, 10, 1),
            "Zoë O'Brien",
            "zoe.obrien@example.com",
            "+16035550142",
            SHOPIFY_ADDRESS,
        ),
        (
            *soap1[:4],
            Decimal(1),
            *soap1[5:],
            "3141592653",
            "etsy",
            date(2026, 10, 3),
            "Zoë O'Brien",
            "",
            "",
            ETSY_ADDRESS,
        ),
        (*soap2, "tx7Hq2LmPa01ZY", "square", date(2026, 10, 3), WALK_IN, "", "", ""),
        (
            *soap2[:4],
            Decimal(1),
            *soap2[5:],
            "B-1",
            "direct",
            date(2026, 10, 11),
            "Ζωή Παπαδοπούλου",
            "zoi@example.gr",
            "+30 210 555 0101",
            GREEK_ADDRESS,
        ),
    ]


async def test_every_unit_shipped_from_the_oil_through_two_intermediates(recall: Recall) -> None:
    pack = await recall_pack(recall.lavender)
    assert (pack.code, pack.kind, pack.item, pack.supplier, pack.supplier_lot) == (
        recall.lavender,
        "material_lot",
        "Lavender EO",
        "Scent Co",
        "SC-LAV-7",
    )
    assert [tuple(row[:-1]) for row in pack.rows] == expected_rows(recall)
    # Two customers share a name (Shopify and Etsy accounts): told apart by id; walk-ins have none.
    ids = [row.customer_id for row in pack.rows]
    assert ids[0] is not None and ids[1] is not None and ids[0] != ids[1]
    assert ids[2] is None and ids[3] is not None
    assert pack.upstream == ()  # a material lot: it came from the supplier


async def test_totals_account_for_every_unit_wasted_and_counted(recall: Recall) -> None:
    totals = {t.lot: t for t in (await recall_pack(recall.lavender)).totals}
    d = Decimal
    assert totals == {
        recall.lavender: LotTotals(
            recall.lavender, "Lavender EO", "ml", d(100), d(0), d(40), d(0), d(0), d(60)
        ),
        recall.blend: LotTotals(recall.blend, "Lavender blend", "ml", d(50), d(0), d(50), d(0), d(0), d(0)),
        recall.base: LotTotals(recall.base, "Scented base", "g", d(500), d(0), d(450), d(0), d(0), d(50)),
        recall.soap1: LotTotals(recall.soap1, "Lavender Oat Soap", "pcs", d(4), d(3), d(0), d(1), d(0), d(0)),
        recall.soap2: LotTotals(
            recall.soap2, "Lavender Oat Soap", "pcs", d(5), d(3), d(0), d(0), d(-1), d(1)
        ),
    }
    for t in totals.values():
        assert t.made == t.shipped + t.used + t.wasted - t.adjusted + t.on_hand or t.lot == recall.lavender


async def test_from_an_intermediate_the_upstream_names_suppliers_and_their_lots(recall: Recall) -> None:
    pack = await recall_pack(recall.base)
    assert pack.kind == "batch"
    d = Decimal
    assert set(pack.upstream) == {
        UpstreamLot(1, recall.blend, "batch", "Lavender blend", d(50), "ml", date(2026, 9, 1), "", ""),
        UpstreamLot(
            2,
            recall.lavender,
            "material_lot",
            "Lavender EO",
            d(40),
            "ml",
            date(2026, 8, 20),
            "Scent Co",
            "SC-LAV-7",
        ),
        UpstreamLot(
            2,
            recall.cedar,
            "material_lot",
            "Cedarwood EO",
            d(10),
            "ml",
            date(2026, 8, 20),
            "Scent Co",
            "SC-CED-2",
        ),
        UpstreamLot(
            1,
            recall.oil,
            "material_lot",
            "Olive oil",
            d(450),
            "g",
            date(2026, 8, 20),
            "Oils Direct",
            "OD-0042",
        ),
    }
    assert [tuple(row[:-1]) for row in pack.rows] == expected_rows(recall)
    assert {t.lot for t in pack.totals} == {recall.base, recall.soap1, recall.soap2}


async def test_a_soap_batch_has_only_its_own_rows(recall: Recall) -> None:
    pack = await recall_pack(recall.soap2.lower())  # typed in lower case
    assert [row.order for row in pack.rows] == ["tx7Hq2LmPa01ZY", "B-1"]
    assert [lot.code for lot in pack.upstream if lot.depth == 1] == [recall.base]


async def test_an_unknown_code_or_an_order_is_refused(recall: Recall) -> None:
    with pytest.raises(NotFound, match="no lot has the code 'NOPE-1'"):
        await recall_pack("NOPE-1")
    with pytest.raises(NotFound, match="`lotkeeper trace` also takes an order ref"):
        await recall_pack("#1001")


def _text(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return "" if value is None else str(value)


async def test_csv_and_xlsx_read_back_row_by_row(recall: Recall, tmp_path: Path) -> None:
    pack = await recall_pack(recall.lavender)
    expected = [[_text(v) for v in row] for row in expected_rows(recall)]

    written = write_pack(pack, tmp_path / "recall.csv")
    with written.open(newline="", encoding="utf-8") as f:
        assert list(csv.reader(f)) == [list(HEADINGS), *expected]

    book = load_workbook(write_pack(pack, tmp_path / "recall.XLSX"), read_only=True)
    sheet = book["Recall"]
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == list(HEADINGS)
    read = [
        [
            ""
            if v is None
            else v.date().isoformat()
            if hasattr(v, "date")
            else format(Decimal(str(v)).normalize(), "f")
            if isinstance(v, int | float)
            else v
            for v in row
        ]
        for row in cells[1:]
    ]
    assert read == expected


async def test_pdf_text_has_the_upstream_totals_and_every_row(recall: Recall, tmp_path: Path) -> None:
    pack = await recall_pack(recall.base)
    text = "\n".join(page.extract_text() for page in PdfReader(write_pack(pack, tmp_path / "r.pdf")).pages)
    assert f"Recall pack: batch {recall.base}" in text
    flat = " ".join(text.split())
    for lot, item, qty, how, source in (
        (recall.blend, "Lavender blend", "50 ml", "made 2026-09-01", ""),
        (
            recall.lavender,
            "Lavender EO",
            "40 ml",
            "received 2026-08-20",
            " from Scent Co (their lot SC-LAV-7)",
        ),
        (recall.cedar, "Cedarwood EO", "10 ml", "received 2026-08-20", " from Scent Co (their lot SC-CED-2)"),
        (recall.oil, "Olive oil", "450 g", "received 2026-08-20", " from Oils Direct (their lot OD-0042)"),
    ):
        assert f"{lot} {item} {qty} went in {how}{source}" in flat
    assert "their lot SC-CED-2" in text and "their lot OD-0042" in text
    assert f"{recall.soap2} Lavender Oat Soap 5 3 0 0 -1 1 pcs" in text
    assert f"{recall.soap1} Lavender Oat Soap 4 3 0 1 0 0 pcs" in text
    lines = text.splitlines()
    for row in expected_rows(recall):
        (line,) = [line for line in lines if f" {row[8]} " in line]
        assert line.startswith(f"{row[0]} Lavender Oat Soap LAV-SOAP")
        assert f" {_text(row[10])} " in line and str(row[11]).split()[0] in line  # ship date, customer
    assert "Ζωή Παπαδοπούλου" in text  # the Greek name survives embedding and extraction
    assert "Units shipped: 4 sale line(s), 3 customer(s) on record" in text


@pytest.mark.parametrize("name", ["recall.docx", "recall"])
async def test_a_format_we_do_not_write_is_refused(recall: Recall, tmp_path: Path, name: str) -> None:
    pack = await recall_pack(recall.lavender)
    with pytest.raises(InvalidInput, match=r"\.csv, \.pdf or \.xlsx"):
        write_pack(pack, tmp_path / "out" / name)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+44 (20) 7946-0958", "+44 (20) 7946-0958"),
        (Decimal("0.250"), "0.250"),
        (None, ""),
    ],
)
def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(value: object, cell: str) -> None:
    assert csv_cell(value) == cell
