"""Rasterise symbols the way a label would (whole pixels per module, quiet zone) and decode them
with zxing-cpp, so every symbol test proves a real scanner could read it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import zxingcpp
from PIL import Image

from tui.codes.symbols import Bars, Matrix


def rasterise(symbol: Bars | Matrix, module: int = 3, bar_height: int = 40) -> Image.Image:
    """1-bit image, white = 1, with the symbol's quiet zone on every side."""
    rows = symbol.rows if isinstance(symbol, Matrix) else (symbol.modules,) * 1
    quiet = symbol.quiet
    width = (len(rows[0]) + 2 * quiet) * module
    row_px = module if isinstance(symbol, Matrix) else bar_height
    height = len(rows) * row_px + 2 * quiet * module
    image = Image.new("1", (width, height), 1)
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                left, top = (x + quiet) * module, quiet * module + y * row_px
                image.paste(0, (left, top, left + module, top + row_px))
    return image


Decode = Callable[..., list[zxingcpp.Barcode]]


@pytest.fixture
def decode() -> Decode:
    def run(symbol: Bars | Matrix, **options: Any) -> list[zxingcpp.Barcode]:
        return zxingcpp.read_barcodes(rasterise(symbol), **options)

    return run


@pytest.fixture
def raster() -> Callable[..., Image.Image]:
    return rasterise
