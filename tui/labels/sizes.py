"""Label sizes in printer dots, taken from brother_ql so a label is drawn at the exact printable size.

A drawn label never gets resampled on its way to the printer: resampling is what makes bars
uneven and small text unreadable. Each size also says how the label reads: on narrow tape (29,
38 mm) and on the 29x90 die-cut the text runs *along* the tape, so the image is drawn wide and
turned by 90 degrees when it is rasterised.

Other printers (Zebra, PDF) use the same sizes at their own resolution (dots scaled by dpi/300).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from brother_ql.labels import Color, FormFactor, LabelsManager

from tui.errors import ConfigError

BROTHER_DPI = 300
SUPPORTED = ("62", "62red", "62x29", "29x90", "29", "38", "102")
"""Brother label ids we draw templates for."""
_ALONG = frozenset({"29", "38", "29x90"})
"""Sizes whose text runs along the tape (the image is rotated when printed)."""


@dataclass(frozen=True)
class LabelSize:
    id: str
    name: str
    """What a person calls it: "62 mm endless", "29 x 90 mm die-cut"."""
    tape_mm: tuple[int, int]
    """(width, length) of the label in mm; length 0 for endless tape."""
    across: int
    """Printable dots across the tape."""
    along: int
    """Printable dots along the tape; 0 for endless tape (the label is as long as its content)."""
    dpi: int
    red: bool
    """Black and red tape (DK-22251): needs a two-colour printer."""
    rotated: bool
    """Text runs along the tape: the image is drawn wide and turned by 90 degrees to print."""

    @property
    def endless(self) -> bool:
        return self.along == 0

    @property
    def width(self) -> int | None:
        """Image width as the label is read; None: grows to fit the content."""
        if self.rotated:
            return self.along or None
        return self.across

    @property
    def height(self) -> int | None:
        """Image height as the label is read; None: grows to fit the content."""
        if self.rotated:
            return self.across
        return self.along or None

    def dots(self, mm: float) -> int:
        return round(mm * self.dpi / 25.4)

    def dots_f(self, mm: float) -> float:
        """Exact dots for a size a rule sets: the text chosen must be at least this tall."""
        return mm * self.dpi / 25.4

    def dots_up(self, mm: float) -> int:
        """Whole dots, never fewer than the size a rule sets."""
        return math.ceil(self.dots_f(mm) - 1e-9)

    def mm(self, dots: float) -> float:
        return dots * 25.4 / self.dpi


def label_size(size_id: str, dpi: int = BROTHER_DPI) -> LabelSize:
    """The size for a label id at a resolution; an unknown id is a config error that lists the ids."""
    if size_id not in SUPPORTED:
        raise ConfigError(f"label size {size_id!r} is not supported: use one of {', '.join(SUPPORTED)}")
    if not 100 <= dpi <= 1200:
        raise ConfigError(f"printer dpi {dpi} is not plausible: use 203, 300 or 600")
    label = LabelsManager()[size_id]
    scale = dpi / BROTHER_DPI
    across, along = (round(d * scale) for d in label.dots_printable)
    width, length = label.tape_size
    if label.form_factor == FormFactor.ENDLESS:
        name = f"{width} mm endless" + (" black/red" if label.color == Color.BLACK_RED_WHITE else "")
    else:
        name = f"{width} x {length} mm die-cut"
    return LabelSize(
        id=size_id,
        name=name,
        tape_mm=(width, length),
        across=across,
        along=along,
        dpi=dpi,
        red=label.color == Color.BLACK_RED_WHITE,
        rotated=size_id in _ALONG,
    )
