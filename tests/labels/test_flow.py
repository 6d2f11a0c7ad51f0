"""Text measured as it prints: a 1-bit glyph is hinted and can be wider than the anti-aliased one,
so a width taken from `getlength()` alone cut the last letter off long lines at 203 dpi."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from tui.labels import canvas, flow

TEXTS = (
    "Contains linalool, citral. H317 May cause an allergic skin reaction.",
    "Ingredients: Olea Europaea Fruit Oil, Aqua, Cocos Nucifera Oil",
    "hello@benchbloom.example WWWWWWW mmmmmm",
)


@pytest.mark.parametrize("px", range(12, 48, 5))
@pytest.mark.parametrize("bold", [False, True])
def test_a_run_is_measured_as_wide_as_its_ink(px: int, bold: bool) -> None:
    for text in TEXTS:
        stroke = max(1, px // 18) if bold else 0
        big = Image.new("1", (3000, 100), 0)
        draw = ImageDraw.Draw(big)
        draw.fontmode = "1"
        draw.text((stroke, 0), text, font=canvas.font(px), fill=1, anchor="la", stroke_width=stroke)
        ink = big.getbbox()
        assert ink is not None and ink[2] <= flow._run_width((text, bold), px)


@pytest.mark.parametrize("px", [15, 20, 26, 33])
def test_wrapped_lines_fit_and_lose_no_ink(px: int) -> None:
    text = " ".join(TEXTS)
    width = 400
    lines = flow.wrap(text, px, width, spans=((13, 21),))
    assert len(lines) > 2
    printed = " ".join("".join(run for run, _ in line) for line in lines)
    assert printed.replace(" ", "") == text.replace(" ", "")  # nothing lost (a long word may be cut)
    for line in lines:
        block = flow.paragraph([line], px, 0)
        assert block.width <= width
        image = Image.new("1", (width + 50, block.height), 1)
        draw = ImageDraw.Draw(image)
        block.paint(draw, 0, 0)
        dark = image.convert("L").point(lambda v: 255 if v == 0 else 0).getbbox()
        assert dark is not None and dark[2] <= block.width


def test_a_word_longer_than_the_line_is_cut_between_letters() -> None:
    lines = flow.wrap("x " + "W" * 80 + " y", 20, 200)
    assert all(flow._width(line, 20) <= 200 for line in lines)
    assert "".join(run for line in lines for run, _ in line).replace(" ", "") == "x" + "W" * 80 + "y"
