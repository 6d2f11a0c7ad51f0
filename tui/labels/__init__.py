"""Labels drawn with Pillow at the exact printable size of each label, 1-bit (or black/red).

`render(template, data, size)` gives a `RenderedLabel` (PNG and PDF forms); templates are
versioned so a stored job says which layout it was printed with.
"""

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

__all__ = [
    "SUPPORTED",
    "TEMPLATES",
    "BatchData",
    "CommandSheetData",
    "LabelData",
    "LabelSize",
    "LocationData",
    "MaterialLotData",
    "RenderedLabel",
    "Template",
    "from_json",
    "label_size",
    "load_png",
    "render",
    "template",
    "to_json",
]
