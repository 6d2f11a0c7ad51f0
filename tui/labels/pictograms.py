"""Label symbols drawn from vector outlines of our own, at whole printer dots.

Sources. The hourglass (date of minimum durability), the open jar (period after opening) and the
hand on a book (information enclosed) follow the figures of Annex VII to Regulation (EC) No
1223/2009; the GHS01-GHS09 hazard pictograms follow Annex V to Regulation (EC) No 1272/2008 (UN GHS
Annex 3; UNECE publishes them for free use and Wikimedia Commons holds public-domain SVG copies).
No artwork is copied: each symbol below is a simplified outline written for this module in a
unit square and scaled to the printer's dots, so a 10 mm pictogram is drawn at 10 mm, not
resampled. They keep the shapes a reader knows; compare them with the official artwork before
relying on them for a regulator.

A GHS pictogram is a square set on its point: black symbol on white inside a red frame (CLP
Annex I 1.2.1.1-2). On black/red tape the frame prints red; on stock with the red diamonds
pre-printed only the black symbol is drawn.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache

from PIL import Image, ImageDraw

from tui.labels.canvas import Block

Point = tuple[float, float]
Shape = Callable[["Pen2"], None]
GHS = tuple(f"GHS0{n}" for n in range(1, 10))
FRAME = 0.075
"""Red frame width as a share of the diamond's bounding box."""
SYMBOL_AREA = 0.56
"""Share of the bounding box the black symbol is drawn in (the diamond's middle)."""


class Pen2:
    """Draws unit-square coordinates into a 1-bit mask at an offset and scale."""

    def __init__(self, draw: ImageDraw.ImageDraw, x: float, y: float, side: float) -> None:
        self.draw, self.x, self.y, self.side = draw, x, y, side

    def at(self, p: Point) -> tuple[float, float]:
        return (self.x + p[0] * self.side, self.y + p[1] * self.side)

    def poly(self, points: Sequence[Point], fill: int = 1) -> None:
        self.draw.polygon([self.at(p) for p in points], fill=fill)

    def disc(self, centre: Point, rx: float, ry: float | None = None, fill: int = 1) -> None:
        cx, cy = self.at(centre)
        ry = rx if ry is None else ry
        self.draw.ellipse(
            (cx - rx * self.side, cy - ry * self.side, cx + rx * self.side, cy + ry * self.side), fill=fill
        )

    def line(self, points: Sequence[Point], width: float, fill: int = 1) -> None:
        self.draw.line(
            [self.at(p) for p in points], fill=fill, width=max(1, round(width * self.side)), joint="curve"
        )

    def outline(self, points: Sequence[Point], width: float) -> None:
        self.line([*points, points[0], points[1]], width)


def bezier(p0: Point, p1: Point, p2: Point, p3: Point, steps: int = 12) -> list[Point]:
    """A cubic curve as points (the first point left out, so curves chain)."""
    out = []
    for i in range(1, steps + 1):
        t = i / steps
        a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
        out.append(
            (a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1])
        )
    return out


def rotated(points: Sequence[Point], centre: Point, degrees: float) -> list[Point]:
    a = math.radians(degrees)
    cx, cy = centre
    return [
        (
            cx + (x - cx) * math.cos(a) - (y - cy) * math.sin(a),
            cy + (x - cx) * math.sin(a) + (y - cy) * math.cos(a),
        )
        for x, y in points
    ]


def _rect(x0: float, y0: float, x1: float, y1: float) -> list[Point]:
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def _flame(pen: Pen2, left: float, top: float, width: float, height: float) -> None:
    def p(u: float, v: float) -> Point:
        return (left + u * width, top + v * height)

    outer = [p(0.22, 1.0)]
    outer += bezier(p(0.22, 1.0), p(-0.05, 0.72), p(0.28, 0.45), p(0.36, 0.0))
    outer += bezier(p(0.36, 0.0), p(0.55, 0.28), p(0.68, 0.3), p(0.66, 0.12))
    outer += bezier(p(0.66, 0.12), p(0.98, 0.42), p(1.05, 0.78), p(0.8, 1.0))
    pen.poly(outer)
    inner = [p(0.4, 1.0)]
    inner += bezier(p(0.4, 1.0), p(0.25, 0.82), p(0.42, 0.68), p(0.48, 0.5))
    inner += bezier(p(0.48, 0.5), p(0.56, 0.7), p(0.78, 0.78), p(0.62, 1.0))
    pen.poly(inner, fill=0)


def _ghs01(pen: Pen2) -> None:  # exploding bomb
    pen.disc((0.42, 0.68), 0.22)
    for angle, length in (
        (-150, 0.3),
        (-120, 0.36),
        (-90, 0.4),
        (-60, 0.36),
        (-30, 0.3),
        (0, 0.26),
        (-175, 0.24),
    ):
        a = math.radians(angle)
        start = (0.42 + 0.27 * math.cos(a), 0.68 + 0.27 * math.sin(a))
        end = (0.42 + (0.27 + length) * math.cos(a), 0.68 + (0.27 + length) * math.sin(a))
        pen.line([start, end], 0.07)
    for cx, cy in ((0.9, 0.42), (0.1, 0.3), (0.78, 0.12)):
        pen.poly([(cx, cy - 0.06), (cx + 0.05, cy + 0.04), (cx - 0.05, cy + 0.04)])


def _ghs02(pen: Pen2) -> None:  # flame
    _flame(pen, 0.12, 0.0, 0.76, 0.86)
    pen.poly(_rect(0.06, 0.9, 0.94, 0.98))


def _ghs03(pen: Pen2) -> None:  # flame over circle
    _flame(pen, 0.22, 0.0, 0.56, 0.5)
    pen.disc((0.5, 0.7), 0.22)
    pen.disc((0.5, 0.7), 0.1, fill=0)
    pen.poly(_rect(0.06, 0.94, 0.94, 1.0))


def _ghs04(pen: Pen2) -> None:  # gas cylinder
    body = [
        (0.02, 0.5),
        *bezier((0.02, 0.5), (0.02, 0.3), (0.14, 0.3), (0.22, 0.3), 6),
        (0.74, 0.3),
        (0.74, 0.7),
    ]
    body += [(0.22, 0.7), *bezier((0.22, 0.7), (0.14, 0.7), (0.02, 0.7), (0.02, 0.5), 6)]
    centre = (0.5, 0.5)
    pen.poly(rotated(body, centre, -30))
    pen.poly(rotated([(0.74, 0.38), (0.86, 0.42), (0.86, 0.58), (0.74, 0.62)], centre, -30))
    pen.poly(rotated(_rect(0.86, 0.34, 0.94, 0.66), centre, -30))
    pen.poly(rotated(_rect(0.16, 0.37, 0.66, 0.42), centre, -30), fill=0)


def _ghs05(pen: Pen2) -> None:  # corrosion: two tubes pouring onto a surface and a hand
    for mirror in (False, True):

        def m(points: Sequence[Point], mirror: bool = mirror) -> list[Point]:
            return [(1 - x, y) if mirror else (x, y) for x, y in points]

        pen.poly(m(rotated(_rect(0.2, -0.02, 0.32, 0.36), (0.26, 0.17), -38)))
        pen.poly(m(rotated(_rect(0.22, 0.0, 0.3, 0.3), (0.26, 0.17), -38)), fill=0)
        for x, y in ((0.38, 0.44), (0.33, 0.52), (0.39, 0.6)):
            pen.disc(m([(x, y)])[0], 0.03)
    pen.poly([(0.0, 0.7), (0.16, 0.7), (0.22, 0.78), (0.3, 0.7), (0.46, 0.7), (0.46, 0.86), (0.0, 0.86)])
    hand = [(0.54, 0.72), (0.64, 0.72), (0.7, 0.79), (0.76, 0.72), (1.0, 0.72), (1.0, 0.78), (0.84, 0.78)]
    hand += [(1.0, 0.8), (1.0, 0.86), (0.84, 0.86), (0.98, 0.88), (0.96, 0.94), (0.54, 0.94)]
    pen.poly(hand)


def _ghs06(pen: Pen2) -> None:  # skull and crossbones
    for a, b in (((0.12, 0.62), (0.88, 0.96)), ((0.88, 0.62), (0.12, 0.96))):
        pen.line([a, b], 0.09)
        for end in (a, b):
            pen.disc(end, 0.06)
    pen.disc((0.5, 0.34), 0.27, 0.26)
    pen.poly(_rect(0.36, 0.48, 0.64, 0.72))
    pen.disc((0.4, 0.36), 0.075, fill=0)
    pen.disc((0.6, 0.36), 0.075, fill=0)
    pen.poly([(0.5, 0.45), (0.46, 0.53), (0.54, 0.53)], fill=0)
    for x in (0.43, 0.5, 0.57):
        pen.line([(x, 0.62), (x, 0.72)], 0.025, fill=0)


def _ghs07(pen: Pen2) -> None:  # exclamation mark
    pen.poly([(0.39, 0.0), (0.61, 0.0), (0.56, 0.68), (0.44, 0.68)])
    pen.disc((0.5, 0.86), 0.1)


def _ghs08(pen: Pen2) -> None:  # health hazard: a bust with a star on the chest
    pen.disc((0.5, 0.15), 0.14)
    pen.poly([(0.44, 0.26), (0.56, 0.26), (0.58, 0.36), (0.42, 0.36)])
    body = [(0.1, 1.0), (0.1, 0.56), *bezier((0.1, 0.56), (0.1, 0.4), (0.25, 0.34), (0.4, 0.34), 6)]
    body += [(0.6, 0.34), *bezier((0.6, 0.34), (0.75, 0.34), (0.9, 0.4), (0.9, 0.56), 6), (0.9, 1.0)]
    pen.poly(body)
    star = []
    for i in range(16):
        r = 0.22 if i % 2 == 0 else 0.09
        a = math.radians(i * 22.5 - 90)
        star.append((0.5 + r * math.cos(a), 0.68 + r * math.sin(a)))
    pen.poly(star, fill=0)


def _ghs09(pen: Pen2) -> None:  # environment: a dead tree and a dead fish
    pen.poly(_rect(0.0, 0.92, 1.0, 0.98))
    pen.poly([(0.22, 0.92), (0.27, 0.14), (0.31, 0.14), (0.36, 0.92)])
    for a, b in (((0.29, 0.48), (0.04, 0.26)), ((0.29, 0.36), (0.52, 0.12)), ((0.3, 0.6), (0.54, 0.44))):
        pen.line([a, b], 0.045)
    pen.line([(0.12, 0.33), (0.08, 0.12)], 0.035)
    fish = [(0.42, 0.78), *bezier((0.42, 0.78), (0.52, 0.6), (0.78, 0.6), (0.86, 0.78), 8)]
    fish += bezier((0.86, 0.78), (0.78, 0.9), (0.52, 0.9), (0.42, 0.78), 8)
    pen.poly(fish)
    pen.poly([(0.84, 0.78), (1.0, 0.64), (1.0, 0.9)])
    pen.line([(0.5, 0.72), (0.56, 0.78)], 0.025, fill=0)
    pen.line([(0.56, 0.72), (0.5, 0.78)], 0.025, fill=0)


_GHS: dict[str, Shape] = dict(
    zip(GHS, (_ghs01, _ghs02, _ghs03, _ghs04, _ghs05, _ghs06, _ghs07, _ghs08, _ghs09), strict=True)
)


def _hourglass(pen: Pen2) -> None:
    w = 0.07
    pen.line([(0.18, 0.04), (0.82, 0.04)], w)
    pen.line([(0.18, 0.96), (0.82, 0.96)], w)
    pen.outline([(0.26, 0.06), (0.74, 0.06), (0.53, 0.5), (0.74, 0.94), (0.26, 0.94), (0.47, 0.5)], w * 0.8)
    pen.poly([(0.5, 0.62), (0.68, 0.92), (0.32, 0.92)])
    pen.poly([(0.36, 0.16), (0.64, 0.16), (0.5, 0.42)])


def _open_jar(pen: Pen2) -> None:
    w = 0.065
    jar = [(0.14, 0.46), (0.86, 0.46), *bezier((0.86, 0.46), (0.86, 0.9), (0.84, 0.96), (0.72, 0.96), 6)]
    jar += [(0.28, 0.96), *bezier((0.28, 0.96), (0.16, 0.96), (0.14, 0.9), (0.14, 0.46), 6)]
    pen.outline(jar, w)
    pen.line([(0.08, 0.46), (0.92, 0.46)], w)
    lid = rotated(_rect(0.08, 0.26, 0.84, 0.4), (0.08, 0.4), -28)
    pen.outline(lid, w)


def _leaflet(pen: Pen2) -> None:  # a hand holding an open book
    w = 0.055
    pen.outline([(0.5, 0.14), (0.1, 0.04), (0.1, 0.56), (0.5, 0.66)], w)
    pen.outline([(0.5, 0.14), (0.9, 0.04), (0.9, 0.56), (0.5, 0.66)], w)
    for i in range(3):
        y = 0.2 + i * 0.11
        pen.line([(0.18, y - 0.02), (0.42, y + 0.04)], w * 0.6)
        pen.line([(0.58, y + 0.04), (0.82, y - 0.02)], w * 0.6)
    pen.poly([(0.34, 0.66), (0.66, 0.66), (0.7, 0.78), (0.62, 0.98), (0.4, 0.98), (0.3, 0.78)])
    pen.poly([(0.3, 0.8), (0.2, 0.58), (0.27, 0.54), (0.38, 0.7)])


_COSMETIC: dict[str, Shape] = {"hourglass": _hourglass, "open_jar": _open_jar, "leaflet": _leaflet}
SYMBOLS = (*_COSMETIC, *GHS)


@lru_cache(maxsize=64)
def _mask(name: str, side: int) -> Image.Image:
    image = Image.new("1", (side, side), 0)
    draw = ImageDraw.Draw(image)
    _COSMETIC[name](Pen2(draw, 0, 0, side - 1))
    return image


@lru_cache(maxsize=64)
def _diamond_masks(code: str, box: int) -> tuple[Image.Image, Image.Image]:
    """(frame, symbol) masks for a diamond whose bounding box is `box` dots."""
    frame = Image.new("1", (box, box), 0)
    draw = ImageDraw.Draw(frame)
    c, r = (box - 1) / 2, (box - 1) / 2
    draw.polygon([(c, 0), (box - 1, r), (c, box - 1), (0, r)], fill=1)
    inset = FRAME * box * math.sqrt(2)
    draw.polygon([(c, inset), (box - 1 - inset, r), (c, box - 1 - inset), (inset, r)], fill=0)
    symbol = Image.new("1", (box, box), 0)
    side = SYMBOL_AREA * box
    _GHS[code](Pen2(ImageDraw.Draw(symbol), (box - side) / 2, (box - side) / 2, side))
    return frame, symbol


def diamond_box(side_dots: int) -> int:
    """Bounding box of a diamond whose side (the red frame's edge) is `side_dots`."""
    return math.ceil(side_dots * math.sqrt(2))


def ghs(code: str, side_dots: int, black: int, red: int, frame: bool = True) -> Block:
    """A GHS pictogram whose diamond side is `side_dots`; without `frame` (pre-printed stock)
    only the black symbol is drawn, where the diamond is."""
    if code not in _GHS:
        raise ValueError(f"{code!r} is not a GHS pictogram")
    box = diamond_box(side_dots)
    frame_mask, symbol_mask = _diamond_masks(code, box)

    def paint(draw: ImageDraw.ImageDraw, x: int, y: int) -> None:
        if frame:
            draw.bitmap((x, y), frame_mask, fill=red)
        draw.bitmap((x, y), symbol_mask, fill=black)

    return Block(box, box, paint)


def symbol(name: str, side_dots: int, ink: int) -> Block:
    """The hourglass, open jar or leaflet symbol in a square of `side_dots`."""
    mask = _mask(name, side_dots)

    def paint(draw: ImageDraw.ImageDraw, x: int, y: int) -> None:
        draw.bitmap((x, y), mask, fill=ink)

    return Block(side_dots, side_dots, paint)
