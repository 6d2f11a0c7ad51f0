"""Text on PDF pages with reportlab: a flowing writer for prose, and fast table cells.

The font is DejaVu Sans (shipped beside this module), embedded as a subset, so names in Greek,
Cyrillic, accented Latin and more print and can be copied back out of the PDF.

A recall table can reach 100,000 rows of 15 cells. reportlab's `drawString` costs about 10 µs
a call, so `Cells` writes the rows as PDF text operators itself (`Canvas.addLiteral`), and
encodes each distinct text once: codes, products, dates and customers repeat a great deal.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

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


class Cells:
    """Table cells as PDF operators: `row(x, y, texts)` draws one row, each text clipped to its column."""

    def __init__(self, canvas: Canvas, widths: tuple[float, ...], size: float, font: str = REGULAR) -> None:
        self.canvas = canvas
        # reportlab's own text objects hand the document to the font like this: its subsets
        # (256 glyphs each) are numbered per document.
        self.doc = canvas._doc
        self.font = pdfmetrics.getFont(font)
        self.font_name, self.size, self.widths = font, size, widths
        self.gaps = tuple(f" {width:g} 0 Td " for width in widths)
        self.cache: list[dict[str, str]] = [{} for _ in widths]

    def _encode(self, text: str, column: int) -> str:
        shown = clip(text, self.font_name, self.size, self.widths[column] - 3)
        parts = []
        for subset, chunk in self.font.splitString(shown, self.doc):
            name = self.font.getSubsetInternalName(subset, self.doc)
            parts.append(f"{name} {self.size:g} Tf ({escapePDF(chunk)}) Tj")
        encoded = " ".join(parts)
        self.cache[column][text] = encoded
        return encoded

    def row(self, x: float, y: float, texts: tuple[str, ...] | list[str]) -> None:
        out = [f"BT {x:g} {y:.2f} Td "]
        for column, text in enumerate(texts):
            if column:
                out.append(self.gaps[column - 1])
            if text:
                out.append(self.cache[column].get(text) or self._encode(text, column))
        out.append(" ET")
        self.canvas.addLiteral("".join(out))


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
