"""Labels drawn with Pillow at the exact printable size of each label, 1-bit (or black/red).

`render(template, data, size)` gives a `RenderedLabel` (PNG and PDF forms); templates are
versioned so a stored job says which layout it was printed with. The profile templates (cosmetic,
food, candle, general, and the ingredients card) also `describe` what they print and `compose`
the image with a box per field, symbol and barcode.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.labels.compliant import CARD, Composed, LabelDescription, ProfileLabelData, compose, describe
    from tui.labels.flow import Box
    from tui.labels.output import RenderedLabel, load_png
    from tui.labels.sizes import SUPPORTED, LabelSize, label_size
    from tui.labels.templates import (
        TEMPLATES,
        BatchData,
        CommandSheetData,
        LabelData,
        LocationData,
        MaterialLotData,
        Template,
        from_json,
        render,
        template,
        to_json,
    )

# Each name is imported from its module when first used: Pillow, brother_ql and the fonts load
# only when a label is drawn or printed, not when the App or a command starts.
_HOME = {
    **dict.fromkeys(
        ["CARD", "Composed", "LabelDescription", "ProfileLabelData", "compose", "describe"], "compliant"
    ),
    "Box": "flow",
    "RenderedLabel": "output",
    "load_png": "output",
    **dict.fromkeys(["SUPPORTED", "LabelSize", "label_size"], "sizes"),
    **dict.fromkeys(
        [
            "TEMPLATES",
            "BatchData",
            "CommandSheetData",
            "LabelData",
            "LocationData",
            "MaterialLotData",
            "Template",
            "from_json",
            "render",
            "template",
            "to_json",
        ],
        "templates",
    ),
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "CARD",
    "SUPPORTED",
    "TEMPLATES",
    "BatchData",
    "Box",
    "CommandSheetData",
    "Composed",
    "LabelData",
    "LabelDescription",
    "LabelSize",
    "LocationData",
    "MaterialLotData",
    "ProfileLabelData",
    "RenderedLabel",
    "Template",
    "compose",
    "describe",
    "from_json",
    "label_size",
    "load_png",
    "render",
    "template",
    "to_json",
]
