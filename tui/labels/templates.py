"""Label templates: what each label says, and a registry with a version number per template.

The data a template needs is a frozen dataclass that round-trips through JSON: a print job
stores it (with the template version and the rendered PNG) when it is queued, so what a label
said can be shown again years later, and a template change bumps its version instead of
silently changing old jobs.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from PIL import Image

from tui.codes import gs1, symbols
from tui.errors import InvalidInput
from tui.labels.layout import Card, Line, card_image, sheet_image
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


LabelData = MaterialLotData | BatchData | LocationData | CommandSheetData


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


def _retail_bars(gtin: str) -> symbols.Bars | None:
    if gtin.startswith("00"):
        return symbols.upca(gtin)
    if gtin.startswith("0"):
        return symbols.ean13(gtin)
    return None  # a GTIN-14 with an indicator digit names a case, not the item on the shelf


def _gs1_matrix(d: BatchData) -> symbols.Matrix | None:
    if not d.gtin:
        return None
    try:
        gs1.check_batch(d.lot)
    except InvalidInput:
        return None  # a lot code GS1 cannot carry: the label keeps its QR and bars only
    return symbols.gs1_datamatrix(gs1.element_string(d.gtin, d.lot, d.best_before))


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
    retail = _retail_bars(d.gtin) if d.gtin else None
    bars = retail or symbols.code128(d.lot)
    card = Card(
        d.product,
        tuple(lines),
        symbols.qr(d.link or d.lot),
        bars,
        bars_caption=retail is not None,
        matrix=_gs1_matrix(d),
    )
    return card_image(card, size)


def _location(d: LocationData, size: LabelSize) -> Image.Image:
    card = Card(d.name, (Line("Location"),), symbols.qr(d.code), symbols.code128(d.code))
    return card_image(card, size)


def _sheet(d: CommandSheetData, size: LabelSize) -> Image.Image:
    if not d.commands:
        raise InvalidInput("the command sheet has no commands to print")
    cells = tuple((caption, symbols.code128(code)) for caption, code in d.commands)
    return sheet_image(d.title, cells, size)


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
        Template("commands", 1, CommandSheetData, False, "sheet of command barcodes", _sheet),
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
    return {
        f.name: v.isoformat() if isinstance(v, date) else v
        for f in dataclasses.fields(data)
        for v in (getattr(data, f.name),)
    }


def _accepts_date(hint: Any) -> bool:
    return hint is date or (isinstance(hint, types.UnionType) and date in typing.get_args(hint))


def from_json(name: str, raw: Mapping[str, Any]) -> LabelData:
    """The data of a stored job; a damaged payload is reported, not half-printed."""
    cls = template(name).data
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    try:
        for f in dataclasses.fields(cls):
            if f.name not in raw:
                continue
            value = raw[f.name]
            if value is not None and _accepts_date(hints[f.name]):
                value = date.fromisoformat(value)
            elif isinstance(value, list):
                value = tuple(tuple(v) if isinstance(v, list) else v for v in value)
            values[f.name] = value
        data: LabelData = cls(**values)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"stored label data for template {name!r} is damaged: {exc}") from exc
    return data
