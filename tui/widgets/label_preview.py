"""A label image drawn in the terminal with block characters, as it will come out of the printer.

Each character cell shows 2 x 2 pixels with the quadrant block characters (`▘▝▖▗▀▄▌▐▚▞▛▜▙▟█`),
twice the detail of half blocks across; a cell is about twice as tall as wide, so the label
keeps its proportions.
Paper is white and ink black (red on two-colour tape) whatever the theme, as on the real label.
The image is shrunk by area averaging to fit the widget; codes at this size are for looking at,
not for scanning.
"""

from __future__ import annotations

from PIL import Image
from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual.reactive import reactive
from textual.widget import Widget

PAPER, INK, RED = "#ffffff", "#000000", "#d0021b"
INK_BELOW = 190
"""A shrunk pixel this dark or darker is ink: thin text strokes stay visible as lines."""
QUADRANTS = " ▘▝▀▖▌▞▛▗▚▐▜▄▙▟█"
"""Indexed by the ink bits of a cell's four pixels: top-left 1, top-right 2, bottom-left 4, bottom-right 8."""


def _colour(pixel: tuple[int, int, int]) -> str:
    r, g, b = pixel
    if r > 150 and g < 110 and b < 110:
        return RED
    return INK if (r * 299 + g * 587 + b * 114) // 1000 < INK_BELOW else PAPER


def quadrant_blocks(image: Image.Image, columns: int, rows: int) -> Text:
    """`image` shrunk to fit `columns` x `rows` cells of 2 x 2 pixels each (quadrant characters)."""
    # A cell is about twice as tall as wide, so its pixels are too: shrink less across than down.
    down = min(2 * rows / image.height, columns / image.width, 0.5)
    width = max(2, round(image.width * 2 * down))
    height = max(2, round(image.height * down))
    width, height = width + width % 2, height + height % 2
    small = image.convert("RGB").resize((width, height), Image.Resampling.BOX)
    pixels = small.load()
    assert pixels is not None
    styles = {ink: Style(color=ink, bgcolor=PAPER) for ink in (INK, RED)}
    text = Text(no_wrap=True, end="")
    for y in range(0, height, 2):
        if y:
            text.append("\n")
        for x in range(0, width, 2):
            cell = [_colour(pixels[x + dx, y + dy]) for dy in (0, 1) for dx in (0, 1)]  # type: ignore[arg-type]
            bits = sum(1 << i for i, colour in enumerate(cell) if colour != PAPER)
            ink = RED if cell.count(RED) > cell.count(INK) else INK
            text.append(QUADRANTS[bits], styles[ink])
    return text


class LabelPreview(Widget):
    """Shows `image` (a PIL image) at the widget's size; None shows `empty`."""

    DEFAULT_CSS = """
    LabelPreview { width: 100%; height: 1fr; content-align: center middle; }
    """

    image: reactive[Image.Image | None] = reactive(None)

    def __init__(self, empty: str = "no label", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.empty = empty

    def render(self) -> RenderResult:
        if self.image is None:
            return Text(self.empty)
        return quadrant_blocks(self.image, max(self.size.width, 1), max(self.size.height, 1))
