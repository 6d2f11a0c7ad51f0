"""Text that wraps with bold spans, sized by its x-height, and blocks placed at known positions
with a box recorded for each field, symbol and barcode.

Regulations give text sizes as the height of a lower-case x (EU 1169/2011 Annex IV), so a field's
font is the smallest pixel size whose "x" is at least that many dots tall at the printer's
resolution; the box recorded with it keeps the x-height actually printed, which tests compare
with the rule. Bold (food allergens) is the same face drawn with a one-dot stroke.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from PIL import Image, ImageDraw

from tui.labels import canvas
from tui.labels.canvas import Block, Pen

Kind = Literal["text", "figures", "symbol", "barcode"]


@dataclass(frozen=True)
class Box:
    """Where one field, symbol or barcode was printed, in dots of the image as read."""

    name: str
    kind: Kind
    x: int
    y: int
    width: int
    height: int
    size: int = 0
    """Text: x-height in dots; figures: height of a digit; symbol: its side (a GHS diamond's edge)."""

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )


@lru_cache(maxsize=512)
def glyph_height(px: int, glyph: str = "x") -> int:
    """Height in dots of a glyph drawn at `px`: "x" gives the x-height, "0" a figure's height."""
    _, top, _, bottom = canvas.font(px).getbbox(glyph, anchor="ls")
    return round(bottom - top)


def x_height(px: int) -> int:
    return glyph_height(px, "x")


def figure_height(px: int) -> int:
    return glyph_height(px, "0")


@lru_cache(maxsize=512)
def px_for(dots: float, glyph: str = "x") -> int:
    """Smallest font size whose `glyph` is at least `dots` tall."""
    px = max(6, math.floor(dots))
    while glyph_height(px, glyph) < dots:
        px += 1
    return px


def px_for_x_height(dots: float) -> int:
    return px_for(dots, "x")


def px_for_figures(dots: float) -> int:
    return px_for(dots, "0")


def _stroke(px: int) -> int:
    return max(1, px // 18)


Run = tuple[str, bool]
"""A piece of a word and whether it is bold."""


def _words(text: str, spans: Sequence[tuple[int, int]]) -> list[list[Run]]:
    bold = [False] * len(text)
    for start, end in spans:
        for i in range(max(0, start), min(len(text), end)):
            bold[i] = True
    words: list[list[Run]] = []
    current: list[Run] = []
    for i, char in enumerate(canvas.literal(text)):
        if char == " ":
            if current:
                words.append(current)
                current = []
            continue
        if current and current[-1][1] == bold[i]:
            current[-1] = (current[-1][0] + char, bold[i])
        else:
            current.append((char, bold[i]))
    if current:
        words.append(current)
    return words


@lru_cache(maxsize=1024)
def _overhang(char: str, px: int, stroke: int) -> int:
    """How far a glyph's ink reaches past its advance (1-bit glyphs are hinted wider)."""
    face = canvas.font(px)
    right = face.getbbox(char, mode="1", anchor="la", stroke_width=stroke)[2]
    return max(0, math.ceil(right + stroke - face.getlength(char, mode="1") - 2 * stroke))


@lru_cache(maxsize=4096)
def _run_width(run: Run, px: int) -> int:
    """Dots a run takes as printed: its 1-bit advance, and the ink of its last glyph past that."""
    text, bold = run
    if not text:
        return 0
    stroke = _stroke(px) if bold else 0
    advance = math.ceil(canvas.font(px).getlength(text, mode="1")) + 2 * stroke
    return advance + _overhang(text[-1], px, stroke)


def _width(runs: Sequence[Run], px: int) -> int:
    return sum(_run_width(r, px) for r in runs)


def _joined(words: Sequence[list[Run]]) -> list[Run]:
    """Words with a space between them (bold when both neighbours are), same-weight runs merged."""
    runs: list[Run] = []
    for word in words:
        if runs:
            runs.append((" ", runs[-1][1] and word[0][1]))
        runs += word
    out: list[Run] = []
    for text, bold in runs:
        if out and out[-1][1] == bold:
            out[-1] = (out[-1][0] + text, bold)
        else:
            out.append((text, bold))
    return out


def wrap(text: str, px: int, width: int, spans: Sequence[tuple[int, int]] = ()) -> list[list[Run]]:
    """Lines of runs no wider than `width` as printed; a word longer than a line is cut between
    letters. Word widths add up to a close estimate; near the edge the whole line is measured."""
    space = _run_width((" ", False), px)
    slack = 4 + width // 25
    lines: list[list[Run]] = []
    line: list[list[Run]] = []
    used = 0
    for word in _words(text, spans):
        w = _width(word, px)
        if w > width:
            if line:
                lines.append(_joined(line))
            *pieces, word = _split_long(word, px, width)
            lines += pieces
            line, used, w = [], 0, _width(word, px)
        if line:
            estimate = used + space + w
            if estimate > width or (estimate > width - slack and _width(_joined([*line, word]), px) > width):
                lines.append(_joined(line))
                line, used = [], 0
        used += (space if line else 0) + w
        line.append(word)
    if line:
        lines.append(_joined(line))
    return lines


def _split_long(word: list[Run], px: int, width: int) -> list[list[Run]]:
    """A word wider than a line, in pieces that fit."""
    pieces: list[list[Run]] = []
    piece: list[Run] = []
    for char, bold in ((c, bold) for text, bold in word for c in text):
        if piece and _width(_joined([[*piece, (char, bold)]]), px) > width:
            pieces.append(_joined([piece]))
            piece = []
        piece.append((char, bold))
    return [*pieces, _joined([piece])]


LEADING = 1.2
"""Line pitch as a share of the font size (the 120 % CLP asks for since Regulation 2024/2865)."""


def line_height(px: int) -> int:
    return math.ceil(px * LEADING)


@lru_cache(maxsize=1024)
def _mask(text: str, px: int, bold: bool) -> Image.Image:
    """A run of text as a 1-bit mask. FreeType renders a line in about a millisecond, and a label
    repeats most of its lines from batch to batch, so each is drawn once and kept."""
    stroke = _stroke(px) if bold else 0
    mask = Image.new("1", (max(1, _run_width((text, bold), px)), line_height(px)), 0)
    draw = ImageDraw.Draw(mask)
    draw.fontmode = "1"
    draw.text(
        (stroke, 0), text, font=canvas.font(px), fill=1, anchor="la", stroke_width=stroke, stroke_fill=1
    )
    return mask


def paragraph(lines: Sequence[Sequence[Run]], px: int, ink: int) -> Block:
    step = line_height(px)
    width = max((_width(line, px) for line in lines), default=0)

    def paint(draw: ImageDraw.ImageDraw, x: int, y: int) -> None:
        for index, line in enumerate(lines):
            left = x
            for run in line:
                draw.bitmap((left, y + index * step), _mask(run[0], px, run[1]), fill=ink)
                left += _run_width(run, px)

    return Block(width, step * len(lines), paint)


@dataclass(frozen=True)
class Placed:
    block: Block
    x: int
    y: int
    box: Box | None = None


def place(block: Block, x: int, y: int, name: str = "", kind: Kind = "text", size: int = 0) -> Placed:
    box = Box(name, kind, x, y, block.width, block.height, size) if name else None
    return Placed(block, x, y, box)


def render(placed: Sequence[Placed], width: int, height: int, pen: Pen) -> Image.Image:
    image = canvas.new_image(width, height, pen)
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1"
    for p in placed:
        p.block.paint(draw, p.x, p.y)
    return image


def boxes(placed: Sequence[Placed]) -> tuple[Box, ...]:
    return tuple(p.box for p in placed if p.box is not None)
