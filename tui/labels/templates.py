"""Label templates: what each label says, and a registry with a version number per template.

The data a template needs is a frozen dataclass that round-trips through JSON: a print job
stores it (with the template version and the rendered PNG) when it is queued, so what a label
said can be shown again years later, and a template change bumps its version instead of
silently changing old jobs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from PIL import Image

from tui.codes import symbols
from tui.compliance.barcodes import batch_barcodes
from tui.errors import InvalidInput
from tui.labels import compliant, payload
from tui.labels.compliant import ProfileLabelData
from tui.labels.layout import Card, Line, card_image, linear, sheet_image
from tui.labels.output import RenderedLabel
from tui.labels.sizes import LabelSize


@dataclass(frozen=True)
class MaterialLotData:
    lot: str
    material: str
    received: date
    supplier: str | None = None
    supplier_lot: str | None = None
    expires: date | None = None


@dataclass(frozen=True)
class BatchData:
    lot: str
    product: str
    sku: str
    made: date
    best_before: date | None = None
    gtin: str | None = None
    """GTIN-14 of the product: the retail barcode (UPC-A or EAN-13) is printed from it."""
    link: str | None = None
    """GS1 Digital Link URI for the QR; None: the QR holds the lot code."""


@dataclass(frozen=True)
class LocationData:
    name: str
    code: str


@dataclass(frozen=True)
class CommandSheetData:
    commands: tuple[tuple[str, str], ...]
    """(caption, barcode text) pairs, e.g. ("Done", "LK!DONE")."""
    title: str = "Scan to finish a step"
    numbers: tuple[str, ...] = ()
    """Lines of text printed under the barcodes: the catalog's pick numbers, one list a line."""


LabelData = MaterialLotData | BatchData | LocationData | CommandSheetData | ProfileLabelData


def _material(d: MaterialLotData, size: LabelSize) -> Image.Image:
    # Their lot number is what a supplier's recall notice names: it gets a line of its own.
    lines = [Line(f"Lot {d.lot}")]
    if d.supplier_lot:
        lines.append(Line(f"Their lot {d.supplier_lot}"))
    elif d.supplier:
        lines.append(Line(f"From {d.supplier}"))
    lines.append(Line(f"Received {d.received.isoformat()}"))
    if d.expires:
        lines.append(Line(f"Expires {d.expires.isoformat()}", red=True))
    card = Card(d.material, tuple(lines), symbols.qr(d.lot), symbols.code128(d.lot))
    return card_image(card, size)


def _batch(d: BatchData, size: LabelSize) -> Image.Image:
    """Products with a GTIN also get a GS1 DataMatrix: (01) GTIN, (17) date, (10) lot.

    A batch has one date to act on, its best-before, and it goes in as (17) as the label rules
    ask, so a receiving shop's system files it as the expiry; (15), GS1's "best before", is
    one argument of `gs1.element_string` away. A lot GS1 cannot carry gets no DataMatrix (as it
    gets no Digital Link); the QR and bars still carry it.
    """
    lines = [Line(f"SKU {d.sku}"), Line(f"Lot {d.lot}"), Line(f"Made {d.made.isoformat()}")]
    if d.best_before:
        lines.append(Line(f"Best before {d.best_before.isoformat()}", red=True))
    qr, bars, *matrix = batch_barcodes(d.lot, d.gtin, d.link, d.best_before)
    card = Card(
        d.product,
        tuple(lines),
        symbols.qr(qr.data),
        linear(bars),
        bars_caption=bars.kind != "code128",
        matrix=symbols.gs1_datamatrix_hri(matrix[0].data) if matrix else None,
    )
    return card_image(card, size)


def _location(d: LocationData, size: LabelSize) -> Image.Image:
    card = Card(d.name, (Line("Location"),), symbols.qr(d.code), symbols.code128(d.code))
    return card_image(card, size)


def _sheet(d: CommandSheetData, size: LabelSize) -> Image.Image:
    if not d.commands:
        raise InvalidInput("the command sheet has no commands to print")
    cells = tuple((caption, symbols.code128(code)) for caption, code in d.commands)
    return sheet_image(d.title, cells, size, d.numbers)


COMPLIANT = (
    ("cosmetic", True, "cosmetic batch (EU 1223/2009 Art. 19): contents, durability, INCI list, maker"),
    ("food", True, "food batch (EU 1169/2011): ingredients with allergens in bold, dates, net, maker"),
    ("candle", False, "candle batch (GPSR, CLP): maker, fire-safety warning, hazard pictograms"),
    ("general", False, "general goods batch (GPSR 2023/988 Art. 9): batch, maker, postal and e-mail address"),
    (compliant.CARD, False, "cosmetic ingredients card, when the label is too small for the list"),
)


def _compliant(name: str, data: ProfileLabelData, size: LabelSize) -> Image.Image:
    return compliant.compose(name, data, size).image


@dataclass(frozen=True)
class Template:
    name: str
    version: int
    """Bumped whenever the printed result changes; stored with every job."""
    data: type
    dated: bool
    """Carries dates: held while the clock cannot be trusted."""
    description: str
    draw: Callable[[Any, LabelSize], Image.Image]


TEMPLATES: Mapping[str, Template] = {
    t.name: t
    for t in (
        Template("material", 2, MaterialLotData, True, "material lot: lot, supplier lot, dates", _material),
        Template(
            "batch", 3, BatchData, True, "product batch: SKU, lot, made, best before, GS1 DataMatrix", _batch
        ),
        Template("location", 1, LocationData, False, "shelf or bin location", _location),
        Template(
            "commands", 2, CommandSheetData, False, "sheet of command barcodes and pick numbers", _sheet
        ),
        *(
            Template(name, 1, ProfileLabelData, dated, description, functools.partial(_compliant, name))
            for name, dated, description in COMPLIANT
        ),
    )
}


def template(name: str) -> Template:
    try:
        return TEMPLATES[name]
    except KeyError:
        raise InvalidInput(f"no label template {name!r}: use one of {', '.join(TEMPLATES)}") from None


def render(name: str, data: LabelData, size: LabelSize) -> RenderedLabel:
    chosen = template(name)
    if not isinstance(data, chosen.data):
        raise InvalidInput(f"the {name} template cannot print {type(data).__name__}")
    return RenderedLabel(image=chosen.draw(data, size), size=size, template=name, version=chosen.version)


def to_json(data: LabelData) -> dict[str, Any]:
    encoded: dict[str, Any] = payload.encode(data)
    return encoded


def from_json(name: str, raw: Mapping[str, Any]) -> LabelData:
    """The data of a stored job; a damaged payload is reported, not half-printed."""
    try:
        data: LabelData = payload.from_mapping(template(name).data, raw)
    except (TypeError, ValueError, KeyError) as exc:
        raise InvalidInput(f"stored label data for template {name!r} is damaged: {exc}") from exc
    return data
