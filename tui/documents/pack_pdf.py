"""The recall pack as a PDF: what the lot is, where it came from, where every unit went, who has it.

Page one: the recalled lot, the upstream lots (material lots with their suppliers and the
suppliers' own lot codes, intermediate batches), and totals per affected lot (made, shipped,
used in other batches, wasted, counted or adjusted, on hand), so every unit is accounted for.
Then the units shipped, one row per sale line, with the column headings on every page.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from tui.documents.files import write_atomically
from tui.documents.pack import LotTotals, RecallPack, UpstreamLot
from tui.documents.pdf_text import BOLD, REGULAR, Cells, Writer, register_fonts
from tui.documents.tables import Progress, no_progress

PAGE = landscape(A4)
MARGIN = 28.0
ROW = 8.5
SIZE = 6.0
WIDTHS = (70.0, 66.0, 44.0, 60.0, 26.0, 20.0, 40.0, 44.0, 62.0, 36.0, 40.0, 70.0, 80.0, 50.0, 70.0)
"""Points per column of the units table (`COLUMNS`' order), 778 in all: landscape A4 less margins."""
SHORT_HEADINGS = (
    "Lot code",
    "Product",
    "SKU",
    "GTIN",
    "Qty",
    "Unit",
    "Made",
    "Best before",
    "Order",
    "Channel",
    "Shipped",
    "Customer",
    "E-mail",
    "Phone",
    "Address",
)
TOTAL_WIDTHS = (80.0, 150.0, 60.0, 60.0, 60.0, 60.0, 60.0, 60.0, 60.0, 40.0)
TOTAL_HEADINGS = (
    "Lot",
    "Product or material",
    "Made",
    "Shipped",
    "Used",
    "Wasted",
    "Adjusted",
    "On hand",
    "",
    "Unit",
)

KIND_WORDS = {"material_lot": "material lot", "batch": "batch"}


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _qty(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def upstream_line(lot: UpstreamLot) -> str:
    words = [lot.code, lot.item]
    if lot.qty is not None:
        words.append(f"{_qty(lot.qty)} {lot.unit} went in")
    words.append(("received " if lot.kind == "material_lot" else "made ") + (_day(lot.dated) or "?"))
    if lot.supplier:
        words.append(f"from {lot.supplier}")
    if lot.supplier_lot:
        words.append(f"(their lot {lot.supplier_lot})")
    return "  ".join(words)


def totals_cells(totals: LotTotals) -> tuple[object, ...]:
    return (
        totals.lot,
        totals.item,
        totals.made,
        totals.shipped,
        totals.used,
        totals.wasted,
        totals.adjusted,
        totals.on_hand,
        "",
        totals.unit,
    )


def _head(out: Writer, pack: RecallPack) -> None:
    out.text(f"Recall pack: {KIND_WORDS.get(pack.kind, pack.kind)} {pack.code}", size=14, bold=True, gap=4)
    about = (
        f"{pack.item}, "
        + ("received " if pack.kind == "material_lot" else "made ")
        + (_day(pack.dated) or "?")
    )
    if pack.supplier:
        about += f" from {pack.supplier}"
    if pack.supplier_lot:
        about += f" (their lot {pack.supplier_lot})"
    out.text(about, gap=8)
    out.text("Where it came from", size=11, bold=True, gap=2)
    if not pack.upstream:
        out.text("It was received from the supplier above: nothing of ours went into it.", size=8)
    for lot in pack.upstream:
        out.text(upstream_line(lot), size=8, indent=12 * lot.depth)
    out.skip(8)
    out.text(
        "Every unit accounted for: made = shipped + used + wasted - adjusted + on hand", size=11, bold=True
    )
    table = Cells(out.canvas, MARGIN, TOTAL_WIDTHS, 7.5)
    heads = Cells(out.canvas, MARGIN, TOTAL_WIDTHS, 7.5, BOLD)
    out.room(ROW * 2)
    out.y -= ROW * 1.3
    heads.row(out.y, TOTAL_HEADINGS)
    for totals in pack.totals:
        if out.y - ROW * 1.3 < MARGIN:
            heads.flush()
            table.flush()
            out.new_page()
        out.y -= ROW * 1.3
        table.row(out.y, totals_cells(totals))
    heads.flush()
    table.flush()
    out.skip(12)
    customers = len({row.customer_id for row in pack.rows if row.customer_id is not None})
    out.text(
        f"Units shipped: {len(pack.rows)} sale line(s), {customers} customer(s) on record", size=11, bold=True
    )


def _draw(canvas: Canvas, pack: RecallPack, progress: Progress) -> None:
    register_fonts()
    out = Writer(canvas, PAGE, MARGIN)
    _head(out, pack)
    cells = Cells(canvas, MARGIN, WIDTHS, SIZE)
    heads = Cells(canvas, MARGIN, WIDTHS, SIZE, BOLD)
    total, y = len(pack.rows), out.y - ROW
    footer = f"Recall pack {pack.code}"
    heads.row(y, SHORT_HEADINGS)
    for done, row in enumerate(pack.rows):
        y -= ROW
        if y < MARGIN:
            heads.flush()
            cells.flush()
            canvas.setFont(REGULAR, 6)
            canvas.drawString(MARGIN, MARGIN / 2, f"{footer}, page {out.page}")
            out.new_page()
            y = out.y - ROW
            heads.row(y, SHORT_HEADINGS)
            y -= ROW
            if out.page % 20 == 0:
                progress(done, total)
        cells.row(y, row[:-1])  # (all but customer_id)
    heads.flush()
    cells.flush()
    canvas.setFont(REGULAR, 6)
    canvas.drawString(MARGIN, MARGIN / 2, f"{footer}, page {out.page}, last page")
    progress(total, total)


def write_pdf(pack: RecallPack, target: Path, progress: Progress = no_progress) -> Path:
    def write(partial: Path) -> None:
        canvas = Canvas(str(partial), pagesize=PAGE, pageCompression=1)
        canvas.setTitle(f"Recall pack {pack.code}")
        _draw(canvas, pack, progress)
        canvas.save()

    return write_atomically(target, write, "recall pack")
