"""Text on PDF pages with reportlab: a flowing writer for prose, and fast table cells.

The font is DejaVu Sans (shipped beside this module), embedded as a subset, so names in Greek,
Cyrillic, accented Latin and more print and can be copied back out of the PDF.

A recall table can reach 100,000 rows of 15 cells, far too many for a `drawString` per cell
(see docs/design.md), so `Cells` writes the rows as PDF text operators itself
(`Canvas.addLiteral`), and encodes each distinct value once: codes, products, dates and
customers repeat a great deal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab import rl_config
from reportlab.lib.rl_accel import escapePDF
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

FONTS = Path(__file__).resolve().with_name("fonts")
REGULAR = "LotkeeperSans"
BOLD = "LotkeeperSans-Bold"
ELLIPSIS = "…"


def register_fonts() -> None:
    """Make the fonts known to reportlab (once per process)."""
    rl_config.useA85 = 0  # binary streams: smaller, and ASCII85 runs in pure Python without rl_accel
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))


def one_line(text: str) -> str:
    """An address or a name on one line: its line breaks become commas."""
    return ", ".join(part.strip() for part in text.splitlines() if part.strip()) if "\n" in text else text


def clip(text: str, font: str, size: float, width: float) -> str:
    """`text` shortened with an ellipsis until it fits in `width` points."""
    text = one_line(text)
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if pdfmetrics.stringWidth(text[:middle] + ELLIPSIS, font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low] + ELLIPSIS


def to_text(value: object) -> str:
    """A cell's text: dates as ISO, quantities without exponent, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


_ESCAPES = str.maketrans({"\\": "\\\\", "(": "\\(", ")": "\\)"})


class Cells:
    """Table rows as PDF operators, each cell clipped to its column.

    `row(y, values)` queues one row; `flush()` hands a page's rows to the canvas at once. Cells
    are cached by value per column (a date or a quantity is converted and encoded once). Plain
    ASCII needs no subset lookup: reportlab keeps printable ASCII as itself in a font's first
    subset (`ttfAsciiReadable`, its default), so such text is only escaped.
    """

    def __init__(
        self, canvas: Canvas, x: float, widths: tuple[float, ...], size: float, font: str = REGULAR
    ) -> None:
        self.canvas = canvas
        # reportlab's own text objects hand the document to the font like this: its subsets
        # (256 glyphs each) are numbered per document.
        self.doc = canvas._doc
        self.font = pdfmetrics.getFont(font)
        self.font_name, self.size, self.widths = font, size, widths
        self.template = (
            f"BT {x:g} {{}} Td "
            + " ".join(["{}", *(f"{width:g} 0 Td {{}}" for width in widths[:-1])])
            + " ET"
        )
        self.cache: list[dict[object, str]] = [{None: "", "": ""} for _ in widths]
        self.lines: list[str] = []
        ascii_run = "".join(map(chr, range(32, 127)))
        ((subset, chunk),) = self.font.splitString(ascii_run, self.doc)
        self.ascii = subset == 0 and chunk == ascii_run.encode()
        self.first = f"{self.font.getSubsetInternalName(0, self.doc)} {size:g} Tf ("
        self.ascii_widths = [pdfmetrics.stringWidth(chr(code), font, size) for code in range(128)]

    def _fits(self, text: str, width: float) -> bool:
        if self.ascii and text.isascii():
            return bool(sum(map(self.ascii_widths.__getitem__, text.encode())) <= width)
        return bool(pdfmetrics.stringWidth(text, self.font_name, self.size) <= width)

    def _encode(self, value: object, column: int) -> str:
        text = one_line(to_text(value))
        width = self.widths[column] - 3
        shown = text if self._fits(text, width) else clip(text, self.font_name, self.size, width)
        if self.ascii and shown.isascii() and shown.isprintable():
            encoded = self.first + shown.translate(_ESCAPES) + ") Tj"
        else:
            name = self.font.getSubsetInternalName
            encoded = " ".join(
                f"{name(subset, self.doc)} {self.size:g} Tf ({escapePDF(chunk)}) Tj"
                for subset, chunk in self.font.splitString(shown, self.doc)
            )
        self.cache[column][value] = encoded
        return encoded

    def row(self, y: float, values: Sequence[object]) -> None:
        cells: list[str | None] = list(map(dict.get, self.cache, values))  # (a C loop: most are hits)
        if None in cells:
            for i, cell in enumerate(cells):
                if cell is None:
                    cells[i] = self._encode(values[i], i)
        self.lines.append(self.template.format(f"{y:.2f}", *cells))

    def flush(self) -> None:
        """Put the queued rows on the current page."""
        if self.lines:
            self.canvas.addLiteral("\n".join(self.lines))
            self.lines = []


class Writer:
    """Lines of text down a page, a new page when one is full; `page_started` draws a page's head."""

    def __init__(self, canvas: Canvas, pagesize: tuple[float, float], margin: float = 40) -> None:
        self.canvas = canvas
        self.width, self.height = pagesize
        self.margin = margin
        self.y = self.height - margin
        self.page = 1

    def room(self, height: float) -> None:
        """Start a new page unless `height` points are left on this one."""
        if self.y - height < self.margin:
            self.new_page()

    def new_page(self) -> None:
        self.canvas.showPage()
        self.page += 1
        self.y = self.height - self.margin

    def text(
        self, text: str, size: float = 10, bold: bool = False, indent: float = 0, gap: float = 0
    ) -> None:
        """A paragraph, wrapped to the page width."""
        font = BOLD if bold else REGULAR
        width = self.width - 2 * self.margin - indent
        for line in text.splitlines() or [""]:
            for piece in simpleSplit(line, font, size, width) or [""]:
                self.room(size * 1.3)
                self.y -= size * 1.3
                self.canvas.setFont(font, size)
                self.canvas.drawString(self.margin + indent, self.y, piece)
        self.y -= gap

    def skip(self, points: float) -> None:
        self.y -= points
