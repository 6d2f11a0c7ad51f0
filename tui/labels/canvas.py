"""Drawing blocks at whole printer dots: text, bars and 2D symbols, stacked into rows and columns.

Every symbol is drawn from its module pattern with an integer number of dots per module, so a
bar is exactly 2 or 3 dots wide wherever it lands (a resampled barcode image has uneven bars
that scanners misread). Text is rendered without anti-aliasing (`fontmode = "1"`) because a
thermal head prints a dot or nothing, and is drawn literally: control characters from the
database become "?" so they can neither break the layout nor reach a printer language.

A `Block` knows its size before it is painted, which lets a template measure a layout, shrink
it until it fits a die-cut label, and only then draw it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from tui.codes.symbols import Bars, Matrix

Painter = Callable[[ImageDraw.ImageDraw, int, int], None]
ELLIPSIS = "…"


@dataclass(frozen=True)
class Pen:
    """Ink values for one image mode: 1-bit for black labels, a 3-colour palette for black/red."""

    mode: str
    white: int
    black: int
    red: int


MONO = Pen(mode="1", white=1, black=0, red=0)
BLACK_RED = Pen(mode="P", white=0, black=1, red=2)
_PALETTE = [255, 255, 255, 0, 0, 0, 255, 0, 0]


def new_image(width: int, height: int, pen: Pen) -> Image.Image:
    image = Image.new(pen.mode, (width, height), pen.white)
    if pen.mode == "P":
        image.putpalette(_PALETTE)
    return image


@lru_cache(maxsize=32)
def font(px: int) -> ImageFont.FreeTypeFont:
    """Pillow's built-in scalable font (Aileron): no font file to ship or to go missing."""
    loaded = ImageFont.load_default(size=px)
    assert isinstance(loaded, ImageFont.FreeTypeFont), "Pillow was built without FreeType"
    return loaded


def literal(text: str) -> str:
    """Text exactly as stored, except control characters, which become "?"."""
    return "".join("?" if unicodedata.category(c) == "Cc" else c for c in text)


@dataclass(frozen=True)
class Block:
    width: int
    height: int
    paint: Painter


def _nothing(draw: ImageDraw.ImageDraw, x: int, y: int) -> None:
    return None


def spacer(width: int = 0, height: int = 0) -> Block:
    return Block(width, height, _nothing)


def line_height(px: int) -> int:
    ascent, descent = font(px).getmetrics()
    return ascent + descent


def fit(text: str, px: int, max_width: int | None) -> str:
    """The text, cut with an ellipsis where it would be wider than max_width."""
    text = literal(text)
    face = font(px)
    if max_width is None or face.getlength(text) <= max_width:
        return text
    while text and face.getlength(text + ELLIPSIS) > max_width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def wrap(text: str, px: int, max_width: int | None, max_lines: int) -> list[str]:
    """Word-wrap into at most max_lines lines; the last one is cut with an ellipsis if needed."""
    words = literal(text).split()
    if max_width is None or not words:
        return [" ".join(words)]
    face = font(px)
    lines: list[str] = []
    while words and len(lines) < max_lines - 1:
        take = 1
        while take < len(words) and face.getlength(" ".join(words[: take + 1])) <= max_width:
            take += 1
        if face.getlength(" ".join(words[:take])) > max_width:
            break
        lines.append(" ".join(words[:take]))
        words = words[take:]
    if words:
        lines.append(fit(" ".join(words), px, max_width))
    return lines


def text(value: str, px: int, ink: int, max_width: int | None = None) -> Block:
    shown = fit(value, px, max_width)
    face = font(px)

    def paint(draw: ImageDraw.ImageDraw, x: int, y: int) -> None:
        draw.text((x, y), shown, font=face, fill=ink, anchor="la")

    return Block(round(face.getlength(shown)), line_height(px), paint)


def bars_width(bars: Bars, module: int) -> int:
    return (len(bars.modules) + 2 * bars.quiet) * module


def bars(symbol: Bars, module: int, height: int, ink: int, caption_px: int = 0) -> Block:
    """A linear symbol with its quiet zones; caption_px > 0 prints its text under the bars."""
    runs: list[tuple[int, int]] = []
    start = None
    for index, dark in enumerate((*symbol.modules, False)):
        if dark and start is None:
            start = index
        elif not dark and start is not None:
            runs.append((start, index))
            start = None
    width = bars_width(symbol, module)
    caption = text(symbol.text, caption_px, ink) if caption_px else spacer()

    def paint(draw: ImageDraw.ImageDraw, x: int, y: int) -> None:
        left = x + symbol.quiet * module
        for first, end in runs:
            draw.rectangle((left + first * module, y, left + end * module - 1, y + height - 1), fill=ink)
        if caption_px:
            caption.paint(draw, x + (width - caption.width) // 2, y + height)

    return Block(width, height + caption.height, paint)


def matrix(symbol: Matrix, module: int, ink: int, quiet: int) -> Block:
    """A 2D symbol scaled by an integer module size, with `quiet` light modules around it."""
    columns, rows = symbol.size
    pattern = Image.frombytes(
        "L", (columns, rows), bytes(255 if dark else 0 for row in symbol.rows for dark in row)
    ).resize((columns * module, rows * module), Image.Resampling.NEAREST)
    mask = pattern.convert("1")
    edge = quiet * module

    def paint(draw: ImageDraw.ImageDraw, x: int, y: int) -> None:
        draw.bitmap((x + edge, y + edge), mask, fill=ink)

    return Block(pattern.width + 2 * edge, pattern.height + 2 * edge, paint)


def column(blocks: Sequence[Block], gap: int, *, center: bool = False) -> Block:
    width = max((b.width for b in blocks), default=0)
    height = sum(b.height for b in blocks) + gap * max(len(blocks) - 1, 0)

    def paint(draw: ImageDraw.ImageDraw, x: int, y: int) -> None:
        for block in blocks:
            block.paint(draw, x + ((width - block.width) // 2 if center else 0), y)
            y += block.height + gap

    return Block(width, height, paint)


def row(blocks: Sequence[Block], gap: int) -> Block:
    width = sum(b.width for b in blocks) + gap * max(len(blocks) - 1, 0)
    height = max((b.height for b in blocks), default=0)

    def paint(draw: ImageDraw.ImageDraw, x: int, y: int) -> None:
        for block in blocks:
            block.paint(draw, x, y)
            x += block.width + gap

    return Block(width, height, paint)


def render(block: Block, width: int, height: int, margin: int, pen: Pen) -> Image.Image:
    image = new_image(width, height, pen)
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1"
    block.paint(draw, margin, margin)
    return image
