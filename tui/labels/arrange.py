"""Laying out a compliant label: the items (text fields, symbols, pictograms, barcodes) in
reading order, at sizes no smaller than the rules ask, with a box for each.

Two arrangements. On 62 and 102 mm endless tape the items stack down the tape, each text wrapped
to the full width, and the barcodes end the label in a row. On a fixed height (29 and 38 mm tape
read along it, and die-cut labels) the text is poured into columns, each item going on in the
next column when the one it is in is full, and the barcodes stand in a last column; a die-cut
label that cannot hold everything says so (`NoFit`), and the caller tries smaller text, fewer
extras, or a leaflet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tui.labels import canvas, flow, pictograms
from tui.labels.canvas import Block, Pen
from tui.labels.flow import Kind, Placed
from tui.labels.sizes import LabelSize


class NoFit(Exception):
    """The items do not fit the label at these sizes."""


@dataclass(frozen=True)
class Text:
    name: str
    text: str
    x_height_mm: float
    red: bool = False
    title: bool = False
    figures_mm: float = 0.0
    """The net quantity: its figures at least this tall."""
    spans: tuple[tuple[int, int], ...] = ()
    bold: bool = False


@dataclass(frozen=True)
class Symbol:
    name: str
    side_mm: float
    beside: Text | None = None
    """The date after the hourglass, the months after the open jar."""


@dataclass(frozen=True)
class Pictograms:
    codes: tuple[str, ...]
    side_mm: float
    frame: bool


@dataclass(frozen=True)
class Code:
    """A barcode already drawn at whole dots."""

    name: str
    block: Block


Item = Text | Symbol | Pictograms


@dataclass(frozen=True)
class Layout:
    placed: tuple[Placed, ...]
    width: int
    height: int


TITLE_SCALE = 1.3


def _text_px(item: Text, size: LabelSize, base_mm: float) -> tuple[int, int, Kind]:
    """Font size, the size to record, and the kind of box for a text item."""
    mm = max(item.x_height_mm, base_mm) * (TITLE_SCALE if item.title and base_mm else 1.0)
    px = flow.px_for_x_height(size.dots_f(mm))
    if item.figures_mm:
        px = max(px, flow.px_for_figures(size.dots_f(item.figures_mm)))
        return px, flow.figure_height(px), "figures"
    return px, flow.x_height(px), "text"


def _paragraph(
    item: Text, size: LabelSize, pen: Pen, base_mm: float, width: int
) -> tuple[list[Block], int, Kind]:
    """The item's lines as one block per line (so they can be split between columns)."""
    px, recorded, kind = _text_px(item, size, base_mm)
    ink = pen.red if item.red else pen.black
    bold = item.bold or (item.title and not base_mm)  # a title as small as the text stands out in bold
    lines = flow.wrap(item.text, px, width, ((0, len(item.text)),) if bold else item.spans)
    return [flow.paragraph([line], px, ink) for line in lines], recorded, kind


Part = tuple[Block, str, Kind, int, int]
"""A block, its name, its kind, the size to record, its x offset."""


def _symbol(item: Symbol, size: LabelSize, pen: Pen, base_mm: float) -> list[Part]:
    """The symbol and the text beside it."""
    side = size.dots_up(item.side_mm)
    parts: list[Part] = [(pictograms.symbol(item.name, side, pen.black), item.name, "symbol", side, 0)]
    if item.beside is not None:
        px, recorded, kind = _text_px(item.beside, size, base_mm)
        ink = pen.red if item.beside.red else pen.black
        block = flow.paragraph(flow.wrap(item.beside.text, px, size.dots(60.0)), px, ink)
        parts.append((block, item.beside.name, kind, recorded, side + size.dots(1.0)))
    return parts


def _diamonds(item: Pictograms, size: LabelSize, pen: Pen) -> list[tuple[Block, str, int]]:
    side = size.dots_up(item.side_mm)
    return [(pictograms.ghs(code, side, pen.black, pen.red, item.frame), code, side) for code in item.codes]


def wide(
    items: Sequence[Item], codes: Sequence[Code], size: LabelSize, pen: Pen, base_mm: float, min_mm: float
) -> Layout:
    """Down 62/102 mm endless tape: everything full width, the barcodes in rows at the end."""
    assert size.width is not None
    margin, gap = size.dots(1.0), size.dots(1.0)
    inner = size.width - 2 * margin
    placed: list[Placed] = []
    y = margin
    for item in items:
        if isinstance(item, Text):
            lines, recorded, kind = _paragraph(item, size, pen, base_mm, inner)
            block = canvas.column(lines, 0)
            placed.append(flow.place(block, margin, y, item.name, kind, recorded))
            y += block.height + gap
        elif isinstance(item, Symbol):
            parts = _symbol(item, size, pen, base_mm)
            height = max(b.height for b, *_ in parts)
            for block, name, kind, recorded, dx in parts:
                placed.append(
                    flow.place(block, margin + dx, y + (height - block.height) // 2, name, kind, recorded)
                )
            y += height + gap
        else:
            x = margin
            row_height = 0
            for block, ghs, side in _diamonds(item, size, pen):
                if x > margin and x + block.width > margin + inner:
                    x, y = margin, y + row_height + gap
                placed.append(flow.place(block, x, y, ghs, "symbol", side))
                x += block.width + gap
                row_height = max(row_height, block.height)
            y += row_height + gap
    x, row_height = margin, 0
    for code in codes:
        if code.block.width > inner:
            raise NoFit(f"the {code.name} barcode is wider than {size.name} labels")
        if x > margin and x + code.block.width > margin + inner:
            x, y = margin, y + row_height + gap
            row_height = 0
        placed.append(flow.place(code.block, x, y, code.name, "barcode"))
        x += code.block.width + size.dots(2.0)
        row_height = max(row_height, code.block.height)
    height = max(y + row_height + margin, size.dots(min_mm))
    return Layout(tuple(placed), size.width, height)


class _Columns:
    """Pours blocks into columns `room` dots tall, left to right."""

    def __init__(self, size: LabelSize, room: int) -> None:
        self.margin, self.gap, self.column_gap = size.dots(1.0), size.dots(1.0), size.dots(1.5)
        self.room = room
        self.left = self.margin
        self.width = 0
        self.y = 0
        self.placed: list[Placed] = []

    def new_column(self) -> None:
        if self.width:
            self.left += self.width + self.column_gap
        self.width, self.y = 0, 0

    def fits(self, height: int) -> bool:
        return self.y + height <= self.room

    def put(self, block: Block, name: str, kind: Kind, recorded: int, dx: int = 0, dy: int = 0) -> None:
        if block.height > self.room:
            raise NoFit(f"{name} is taller than the label")
        self.placed.append(flow.place(block, self.left + dx, self.margin + self.y + dy, name, kind, recorded))
        self.width = max(self.width, dx + block.width)

    @property
    def right(self) -> int:
        return self.left + self.width


def _pour(
    cols: _Columns, items: Sequence[Item], size: LabelSize, pen: Pen, base_mm: float, column_width: int
) -> None:
    for item in items:
        if isinstance(item, Text):
            lines, recorded, kind = _paragraph(item, size, pen, base_mm, column_width)
            for line in lines:
                if not cols.fits(line.height):
                    cols.new_column()
                cols.put(line, item.name, kind, recorded)
                cols.y += line.height
            cols.y += cols.gap // 3
        elif isinstance(item, Symbol):
            parts = _symbol(item, size, pen, base_mm)
            height = max(b.height for b, *_ in parts)
            if not cols.fits(height):
                cols.new_column()
            for block, name, kind, recorded, dx in parts:
                cols.put(block, name, kind, recorded, dx, (height - block.height) // 2)
            cols.y += height + cols.gap
        else:
            diamonds = _diamonds(item, size, pen)
            height = max((b.height for b, *_ in diamonds), default=0)
            if not cols.fits(height):
                cols.new_column()
            dx = 0
            for block, code, side in diamonds:
                cols.put(block, code, "symbol", side, dx=dx)
                dx += block.width + cols.gap
            cols.y += height + cols.gap


SQUARE = ("qr", "gs1_datamatrix")


def _barcode_column(cols: _Columns, codes: Sequence[Code]) -> None:
    """The 2D symbols side by side in a last column."""
    if not codes:
        return
    cols.new_column()
    dx = 0
    for code in codes:
        cols.put(code.block, code.name, "barcode", 0, dx=dx)
        dx += code.block.width + cols.gap


def narrow(
    items: Sequence[Item], codes: Sequence[Code], size: LabelSize, pen: Pen, base_mm: float, column_width: int
) -> Layout:
    """Text poured into columns across a fixed height, then the bars, the 2D symbols in a last column."""
    assert size.height is not None
    margin = size.dots(1.0)
    cols = _Columns(size, size.height - 2 * margin)
    _pour(cols, items, size, pen, base_mm, column_width)
    for bars in (c for c in codes if c.name not in SQUARE):  # bars follow the text
        if not cols.fits(bars.block.height):
            cols.new_column()
        cols.put(bars.block, bars.name, "barcode", 0)
        cols.y += bars.block.height + cols.gap
    _barcode_column(cols, [c for c in codes if c.name in SQUARE])
    width = cols.right + margin
    if size.width is not None:
        if width > size.width:
            raise NoFit(f"the label needs {width} dots across, {size.name} labels have {size.width}")
        width = size.width
    return Layout(tuple(cols.placed), width, size.height)
