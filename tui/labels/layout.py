"""Two layouts every template is made of: a card (title, lines, bars, QR, and a GS1 DataMatrix
where the label has one) and a sheet of barcodes.

Sizes are in millimetres converted to the label's dots, so the same layout reads the same on a
300 dpi Brother and a 203 dpi Zebra. On endless tape the label grows to fit its content; on a
die-cut label the text shrinks (down to a size that still reads at arm's length) until it fits,
and a title too long for its line is cut with an ellipsis rather than overflowing.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from tui.codes import symbols
from tui.codes.symbols import Bars, Matrix
from tui.compliance.model import Barcode
from tui.errors import InvalidInput
from tui.labels import canvas
from tui.labels.canvas import BLACK_RED, MONO, Block, Pen
from tui.labels.sizes import LabelSize

BODY_MM = 2.7
"""Body text height on roomy labels (about 10 pt)."""
MIN_BODY_MM = 1.8
"""Smallest body text a die-cut label may shrink to (about 7 pt)."""
QR_QUIET = 2
"""Light modules kept around the QR inside the label (the unprintable edge adds more)."""


@dataclass(frozen=True)
class Line:
    text: str
    red: bool = False
    """Printed in red on black/red tape (expiry and best-before dates)."""


@dataclass(frozen=True)
class Card:
    title: str
    lines: tuple[Line, ...]
    qr: Matrix
    bars: Bars | None = None
    bars_caption: bool = False
    """Print the symbol's digits under the bars (retail EAN/UPC codes)."""
    matrix: Matrix | None = None
    """A second, smaller 2D symbol (GS1 DataMatrix): beside the bars on endless 62/102 mm tape,
    beside the QR elsewhere."""


def pen_for(size: LabelSize) -> Pen:
    return BLACK_RED if size.red else MONO


def linear(code: Barcode) -> Bars:
    """The bars of a linear barcode the label rules chose."""
    draw = {"ean13": symbols.ean13, "upca": symbols.upca, "code128": symbols.code128}
    if code.kind not in draw:
        raise ValueError(f"{code.kind} is not a linear barcode")
    return draw[code.kind](code.data)


def _bar_module(symbol: Bars, width: int | None, size: LabelSize) -> int:
    """0.25 mm modules where they fit (robust scans), 0.17 mm at the least."""
    for module in (max(2, size.dots(0.25)), max(2, size.dots(0.17))):
        if width is None or canvas.bars_width(symbol, module) <= width:
            return module
    raise InvalidInput(f"{symbol.text!r} is too long a barcode for {size.name} labels")


def _bars(card: Card, size: LabelSize, pen: Pen, caption: int, width: int | None, height: int) -> Block:
    assert card.bars is not None
    module = _bar_module(card.bars, width, size)
    return canvas.bars(card.bars, module, height, pen.black, caption if card.bars_caption else 0)


def _matrix(card: Card, size: LabelSize, pen: Pen, height: int) -> Block:
    """The second symbol as tall as `height` allows, between 0.25 mm and 0.5 mm modules."""
    assert card.matrix is not None
    n = max(card.matrix.size) + 2 * card.matrix.quiet
    module = max(max(2, size.dots(0.25)), min(size.dots(0.5), height // n))
    return canvas.matrix(card.matrix, module, pen.black, card.matrix.quiet)


def _bars_row(card: Card, size: LabelSize, pen: Pen, caption: int, width: int, height: int) -> Block:
    """Bars on the left, the DataMatrix at the right edge, as tall as the bars and their digits."""
    if card.matrix is None:
        return _bars(card, size, pen, caption, width, height)
    dm = _matrix(card, size, pen, height + (canvas.line_height(caption) if card.bars_caption else 0))
    gap = size.dots(1.5)
    beside = width - gap - dm.width
    bars = _bars(card, size, pen, caption, beside, height)
    return canvas.row([_pad(bars, beside, 0), dm], gap)


def _text(card: Card, size: LabelSize, pen: Pen, body: int, width: int | None, titles: int) -> list[Block]:
    title_px = round(body * 1.4)
    blocks = [
        canvas.text(t, title_px, pen.black, width) for t in canvas.wrap(card.title, title_px, width, titles)
    ]
    return blocks + [canvas.text(ln.text, body, pen.red if ln.red else pen.black, width) for ln in card.lines]


def _fixed_column(card: Card, size: LabelSize, pen: Pen, width: int | None, room: int) -> Block:
    """Text and bars in `room` dots of height: the largest text that fits, the digits under
    retail bars only if they still fit at the smallest text size."""
    gap = size.dots(0.4)
    for captioned in (True, False):
        for body in range(size.dots(BODY_MM), size.dots(MIN_BODY_MM) - 1, -1):
            blocks = _text(card, size, pen, body, width, 1)
            text_h = canvas.column(blocks, gap).height
            if card.bars is None:
                if text_h <= room:
                    return canvas.column(blocks, gap)
                continue
            caption = body if captioned and card.bars_caption else 0
            bar_h = min(size.dots(10), room - text_h - gap - (canvas.line_height(caption) if caption else 0))
            if bar_h >= size.dots(4):
                return canvas.column([*blocks, _bars(card, size, pen, caption, width, bar_h)], gap)
    raise InvalidInput(f"this label has too much text for {size.name} labels: use a larger label")


def card_image(card: Card, size: LabelSize) -> Image.Image:
    """Text column beside the QR; on 62/102 mm endless tape the bars run full width underneath.

    On a die-cut label the QR starts as large as the label's height allows and steps down (to
    0.25 mm modules at the least) until the text, the bars and the DataMatrix fit beside it.
    """
    pen = pen_for(size)
    margin = size.dots(1.0)
    width, height = size.width, size.height
    n = card.qr.size[0] + 2 * QR_QUIET
    qr_side = round(width * 0.36) if height is None and width is not None else (height or 0) - 2 * margin
    smallest = max(2, size.dots(0.25))
    largest = min(qr_side // n, size.dots(1.0))
    if largest < smallest:
        raise InvalidInput(f"the QR code holds too much text for {size.name} labels: shorten it")
    if height is None and width is not None:
        return _grown_card(card, size, pen, canvas.matrix(card.qr, largest, pen.black, QR_QUIET))
    for module in range(largest, smallest - 1, -1):
        try:
            return _fixed_card(card, size, pen, canvas.matrix(card.qr, module, pen.black, QR_QUIET))
        except InvalidInput:
            if module == smallest:
                raise
    raise AssertionError("unreachable: the smallest QR either fits or raises")


def _grown_card(card: Card, size: LabelSize, pen: Pen, qr: Block) -> Image.Image:
    """Endless 62/102 mm tape: the label grows down the tape to fit its content."""
    assert size.width is not None
    margin, gap, width = size.dots(1.0), size.dots(1.5), size.width
    body = size.dots(BODY_MM)
    col_width = width - 2 * margin - gap - qr.width
    top = canvas.row(
        [_pad(canvas.column(_text(card, size, pen, body, col_width, 2), size.dots(0.6)), col_width, 0), qr],
        gap,
    )
    parts = [top]
    if card.bars is not None:
        parts.append(_bars_row(card, size, pen, body, width - 2 * margin, size.dots(8)))
    elif card.matrix is not None:
        parts.append(_matrix(card, size, pen, size.dots(8)))
    block = canvas.column(parts, gap)
    return canvas.render(block, width, max(block.height + 2 * margin, size.dots(20)), margin, pen)


def _fixed_card(card: Card, size: LabelSize, pen: Pen, qr: Block) -> Image.Image:
    """A fixed height (die-cut, or narrow tape read along): text, then the DataMatrix, then the QR."""
    margin, gap = size.dots(1.0), size.dots(1.5)
    width = size.width
    room = (size.height or 0) - 2 * margin
    dm = None if card.matrix is None else _matrix(card, size, pen, 0)  # smallest: the text comes first
    used = qr.width + gap + (dm.width + gap if dm else 0)
    limit = size.dots(80) if width is None else width - 2 * margin - used
    col = _fixed_column(card, size, pen, limit, room)
    side = [qr]
    if dm is not None:  # at the foot of the text's side of the QR, grown into the room left over
        spare = room if width is None else limit - col.width
        dm = _matrix(card, size, pen, min(room // 2, dm.height + spare))
        side = [canvas.column([canvas.spacer(0, room - dm.height), dm], 0), qr]
    if width is not None:
        limit = width - 2 * margin - sum(b.width + gap for b in side)
    block = canvas.row([_pad(col, col.width if width is None else limit, 0), *side], gap)
    return canvas.render(block, width or block.width + 2 * margin, room + 2 * margin, margin, pen)


def sheet_image(
    title: str, cells: tuple[tuple[str, Bars], ...], size: LabelSize, notes: tuple[str, ...] = ()
) -> Image.Image:
    """Captioned barcodes in a grid that grows along endless tape, then `notes` (text, wrapped)."""
    if not size.endless:
        raise InvalidInput(
            f"the command sheet needs endless tape (62, 102, 29 or 38 mm), not {size.name} labels"
        )
    pen = pen_for(size)
    margin, gap = size.dots(1.0), size.dots(2.0)
    caption_px = size.dots(3.0)
    fixed = (size.width or size.height or 0) - 2 * margin
    module = max(2, size.dots(0.25))
    widest = max(canvas.bars_width(b, module) for _, b in cells)
    if size.width is None or 2 * widest + gap > fixed:  # two cells abreast, or a shorter strip
        module = max(2, size.dots(0.17))
    bar_h = size.dots(7 if size.width else 6)
    blocks = [
        canvas.column(
            [canvas.text(caption, caption_px, pen.black), canvas.bars(b, module, bar_h, pen.black)],
            size.dots(0.8),
            center=True,
        )
        for caption, b in cells
    ]
    cell_w = max(b.width for b in blocks)
    cell_h = max(b.height for b in blocks)
    across = max(1, (fixed + gap) // ((cell_w if size.width else cell_h) + gap))
    groups = [blocks[i : i + across] for i in range(0, len(blocks), across)]
    if size.width is not None:  # rows of cells down the tape
        padded = [canvas.row([_pad(b, cell_w, cell_h) for b in g], gap) for g in groups]
        lines = [line for note in notes for line in canvas.wrap(note, caption_px, fixed, 1000)]
        texts = [canvas.text(line, caption_px, pen.black, fixed) for line in lines]
        body = canvas.column([canvas.text(title, caption_px, pen.black, fixed), *padded, *texts], gap)
    else:  # columns of cells along the tape, the notes beside them
        padded = [canvas.column([_pad(b, cell_w, cell_h) for b in g], gap) for g in groups]
        texts = [canvas.text(note, caption_px, pen.black) for note in notes]
        body = canvas.row([*padded, *texts], gap)
    out_w = size.width or body.width + 2 * margin
    out_h = size.height or body.height + 2 * margin
    return canvas.render(body, out_w, out_h, margin, pen)


def _pad(block: Block, width: int, height: int) -> Block:
    return canvas.row([block, canvas.spacer(width - block.width, height)], 0)
