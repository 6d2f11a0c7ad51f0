"""Label rules per product profile (cosmetic, candle, food, general): pure, like `tui.codes`.

`content(product, batch, maker)` says which fields, symbols and barcodes a batch label must carry,
at what minimum size, and what is missing (with what to do about it). No I/O and no store: the
store step reads the inputs, the label templates lay the answer out. Not legal advice: each
module names the rule it follows.
"""

from tui.compliance.model import (
    FIELD_NAMES,
    PROFILES,
    Allergen,
    Barcode,
    BatchInfo,
    ClpData,
    Component,
    LabelContent,
    Maker,
    Missing,
    NetQuantity,
    ProductInfo,
    Profile,
    SizeRule,
    parse_net,
)
from tui.compliance.profiles import content

__all__ = [
    "FIELD_NAMES",
    "PROFILES",
    "Allergen",
    "Barcode",
    "BatchInfo",
    "ClpData",
    "Component",
    "LabelContent",
    "Maker",
    "Missing",
    "NetQuantity",
    "ProductInfo",
    "Profile",
    "SizeRule",
    "content",
    "parse_net",
]
