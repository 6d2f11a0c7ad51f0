"""Batch labels a regulator would accept: one template per product profile (cosmetic, candle,
food, general) and the cosmetic ingredients card.

`tui.compliance` says what the label must carry and how small each thing may print; this module
lays it out on the label loaded and reports what it printed (`LabelDescription`, the body of
`lotkeeper label LOT --describe`) and where (a `Box` per field, symbol and barcode). A label that
misses a mandatory field is refused with what to do. When a die-cut label is too small the
layout gives way in this order: smaller text (never under the rule), the GS1 DataMatrix, fields
the rules do not ask for, and for cosmetics the ingredient list, which then prints on a separate
card with the leaflet symbol on the label (EU 1223/2009 Art. 19(2)). Past that, it is refused.

GHS pictograms need red frames: they print on black/red tape (`62red`), or on stock whose red
diamonds are pre-printed (`preprinted_diamonds`: only the black symbols are printed, where the
layout puts the diamonds: the top left corner, 1 mm in).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from PIL import Image

from tui.codes import symbols
from tui.compliance import BatchInfo, LabelContent, Maker, ProductInfo, content
from tui.compliance.clp import CLP_LABEL_MM, pictogram_min_mm
from tui.compliance.model import Barcode
from tui.compliance.profiles import SYMBOL_MM
from tui.errors import InvalidInput
from tui.labels import arrange, canvas, flow
from tui.labels.arrange import Code, Item, NoFit, Pictograms, Symbol, Text
from tui.labels.canvas import Pen
from tui.labels.flow import Box
from tui.labels.layout import QR_QUIET, linear, pen_for
from tui.labels.sizes import LabelSize

CARD = "ingredients"
BASES_MM = (1.3, 1.1, 0.0)
"""x-heights tried on die-cut labels before the rule's own minimum."""
MIN_LENGTH_MM = 20.0
BARS_MM = ((0.25, 8.0, 0.33), (0.17, 8.0, 0.33), (0.17, 5.0, 0.33), (0.17, 5.0, 0.25))
"""(bar module, bar height, QR module) tried on a fixed height: 0.25 mm bars scan best, 0.17 mm
(two dots at 300 dpi) still reads; a QR of 0.25 mm modules still reads from a phone."""


@dataclass(frozen=True)
class ProfileLabelData:
    """Everything a compliant batch label is made from, stored with the print job."""

    product: ProductInfo
    batch: BatchInfo
    maker: Maker
    preprinted_diamonds: bool = False
    """Plain (black) stock with the red GHS diamonds already printed on it."""


@dataclass(frozen=True)
class LabelDescription:
    """What a label carries, as `lotkeeper label LOT --describe --json` prints it."""

    lot: str
    template: str
    profile: str
    size: str
    fields: dict[str, str]
    symbols: tuple[str, ...]
    barcodes: tuple[Barcode, ...]
    missing: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    """Why the label is refused: the missing fields' messages, or what the media cannot do."""
    notices: tuple[str, ...] = ()
    companions: tuple[str, ...] = ()
    """Other labels to print with this one ("ingredients": the card with the ingredient list)."""


@dataclass(frozen=True)
class Composed:
    image: Image.Image
    boxes: tuple[Box, ...]
    description: LabelDescription


def _content(template: str, data: ProfileLabelData) -> LabelContent:
    product = data.product
    if template not in (product.profile, CARD) or (template == CARD and product.profile != "cosmetic"):
        raise InvalidInput(
            f"{product.sku} is a {product.profile} product: its label prints with the "
            f"{product.profile} template, not {template}"
        )
    found = content(product, data.batch, data.maker)
    if template != CARD:
        return found
    keep = ("product", "lot", "ingredients", "allergens")
    return replace(
        found,
        fields={k: v for k, v in found.fields.items() if k in keep},
        symbols=(),
        barcodes=(Barcode("qr", data.batch.lot),),
        missing=tuple(m for m in found.missing if m.field in keep),
        notices=(),
    )


def _pictogram_mm(size: LabelSize) -> float:
    """1/15 of the label's area: of 52 x 74 mm on endless tape (the label is made at least that
    long where the tape is that wide), of the label itself on die-cut labels."""
    if size.endless:
        return pictogram_min_mm(CLP_LABEL_MM[0] * CLP_LABEL_MM[1])
    width, length = size.tape_mm
    return pictogram_min_mm(width * length)


def _items(
    found: LabelContent, size: LabelSize, frame: bool, leaflet: bool, dropped: frozenset[str]
) -> list[Item]:
    fields = {k: v for k, v in found.fields.items() if k not in dropped}

    def text(
        name: str, *, red: bool = False, title: bool = False, figures_mm: float = 0.0, bold: bool = False
    ) -> Text:
        spans = found.emphasis.get(name, ())
        return Text(name, fields[name], found.sizes[name].x_height_mm, red, title, figures_mm, spans, bold)

    items: list[Item] = []
    ghs = tuple(s for s in found.symbols if s.startswith("GHS"))
    if ghs:
        items.append(Pictograms(ghs, _pictogram_mm(size), frame))
        items += [
            text(n, title=n == "signal_word", bold=n == "signal_word")
            for n in ("signal_word", "hazards", "ufi")
            if n in fields
        ]
    items.append(text("product", title=True))
    if "net" in fields:
        items.append(text("net", figures_mm=found.sizes["net"].figures_mm))
    for symbol, beside in (("hourglass", "best_before"), ("open_jar", "pao")):
        if symbol in found.symbols:
            items.append(
                Symbol(symbol, found.sizes[symbol].symbol_mm, text(beside, red=beside == "best_before"))
            )
    for name in ("best_before", "use_by"):
        if name in fields and not any(
            isinstance(i, Symbol) and i.beside and i.beside.name == name for i in items
        ):
            items.append(text(name, red=True))
    items.append(text("lot"))
    if leaflet:
        items.append(Symbol("leaflet", SYMBOL_MM))
    elif "ingredients" in fields:
        items.append(text("ingredients"))
    items += [text(n) for n in ("warnings", "maker", "address", "email", "phone") if n in fields]
    return items


def _codes(
    barcodes: Sequence[Barcode], size: LabelSize, pen: Pen, module_mm: float, bars_mm: float, qr_mm: float
) -> list[Code]:
    out = []
    small = max(2, size.dots(0.25))
    bar_module = max(2, size.dots(module_mm))
    for code in barcodes:
        if code.kind == "qr":
            matrix = symbols.qr(code.data)
            n = matrix.size[0] + 2 * QR_QUIET
            module = (
                max(small, min(size.dots(0.5), size.dots(16.0) // n))
                if size.width and not size.height
                else max(small, size.dots(qr_mm))
            )
            out.append(Code("qr", canvas.matrix(matrix, module, pen.black, QR_QUIET)))
        elif code.kind == "gs1_datamatrix":
            matrix = symbols.gs1_datamatrix_hri(code.data)
            out.append(
                Code(code.kind, canvas.matrix(matrix, max(2, size.dots(0.33)), pen.black, matrix.quiet))
            )
        else:
            bars = linear(code)
            caption = flow.px_for_x_height(size.dots_f(1.0)) if code.kind != "code128" else 0
            height = size.dots(bars_mm)
            if size.height is not None:
                height = min(height, size.height - size.dots(6.0))
            out.append(Code(code.kind, canvas.bars(bars, bar_module, height, pen.black, caption)))
    return out


def _column_widths(size: LabelSize, codes: Sequence[Code]) -> Iterator[int]:
    if size.width is None:  # endless tape read along: columns as wide as the tape is tall, and a half
        yield max(size.dots(30.0), round((size.height or 0) * 1.5))
        return
    gap = size.dots(1.5)
    squares = sum(c.block.width + size.dots(1.0) for c in codes if c.name in arrange.SQUARE)
    room = size.width - size.dots(2.0) - squares - gap
    bars = max((c.block.width for c in codes if c.name not in arrange.SQUARE), default=0)
    widths = [(room - (n - 1) * gap) // n for n in (1, 2, 3)] + [room - bars - gap]  # or text, then bars
    yield from (w for w in widths if w >= size.dots(14.0))


def _arrange(
    items: Sequence[Item], codes: Sequence[Code], size: LabelSize, pen: Pen, min_mm: float
) -> arrange.Layout:
    if size.height is None:
        return arrange.wide(items, codes, size, pen, BASES_MM[0], min_mm)
    for base in BASES_MM if size.width is not None else BASES_MM[:1]:
        for width in _column_widths(size, codes):
            try:
                return arrange.narrow(items, codes, size, pen, base, width)
            except NoFit:
                continue
    raise NoFit(f"{size.name} labels are too small")


@dataclass(frozen=True)
class _Try:
    leaflet: bool = False
    matrix: bool = True
    dropped: frozenset[str] = frozenset()
    code128: bool = True
    """Keep the lot's Code128 (the QR carries the lot too)."""


def _tries(found: LabelContent, template: str) -> list[_Try]:
    """Ways to fit a label, the most complete first."""
    optional = frozenset(found.optional)
    steps = [_Try(), _Try(matrix=False), _Try(matrix=False, dropped=optional)]
    steps.append(_Try(matrix=False, dropped=optional, code128=False))
    if template == "cosmetic" and "ingredients" in found.fields:
        steps += [replace(step, leaflet=True) for step in steps]
    return steps


def _kept(barcodes: Sequence[Barcode], attempt: _Try) -> list[Barcode]:
    gone = {"gs1_datamatrix"} if not attempt.matrix else set()
    gone |= {"code128"} if not attempt.code128 else set()
    return [b for b in barcodes if b.kind not in gone]


def _media_problem(found: LabelContent, size: LabelSize, preprinted: bool) -> str | None:
    ghs = [s for s in found.symbols if s.startswith("GHS")]
    if not ghs or size.red or preprinted:
        return None
    return (
        f"the {found.profile} label carries GHS pictograms ({', '.join(ghs)}), which need red frames: "
        f"load 62 mm black/red tape (62red, QL-800 series) or use stock with the red diamonds pre-printed"
    )


def _clp_notice(found: LabelContent, size: LabelSize) -> tuple[str, ...]:
    if not any(s.startswith("GHS") for s in found.symbols):
        return ()
    w, h = CLP_LABEL_MM
    across, length = size.tape_mm
    if size.endless and across >= w:
        return ()
    if not size.endless and (min(across, length) >= w and max(across, length) >= h):
        return ()
    return (
        f"{size.name} labels cannot hold the {w} x {h} mm label CLP asks for where possible for packs up to "
        "3 litres (Annex I 1.2.1.4): the pictograms keep 1/15 of the label's area, at least 10 mm; "
        "use 62 mm tape if the pack has room",
    )


def _describe(
    template: str,
    data: ProfileLabelData,
    found: LabelContent,
    size: LabelSize,
    attempt: _Try | None,
    problems: Sequence[str] = (),
) -> LabelDescription:
    fields = dict(found.fields)
    symbols_ = list(found.symbols)
    barcodes = list(found.barcodes)
    notices = [*found.notices, *_clp_notice(found, size)]
    companions: tuple[str, ...] = ()
    if attempt is not None:
        for name in attempt.dropped:
            fields.pop(name, None)
        barcodes = _kept(found.barcodes, attempt)
        if attempt.leaflet:
            fields.pop("ingredients", None)
            fields.pop("allergens", None)
            symbols_.append("leaflet")
            companions = (CARD,)
            notices.append(
                f"the ingredients do not fit {size.name} labels: they print on a separate card "
                f"(template {CARD}) and the label carries the leaflet symbol (EU 1223/2009 Art. 19(2))"
            )
    return LabelDescription(
        lot=data.batch.lot,
        template=template,
        profile=found.profile,
        size=size.id,
        fields=fields,
        symbols=tuple(symbols_),
        barcodes=tuple(barcodes),
        missing=tuple(dict.fromkeys(m.field for m in found.missing)),
        problems=tuple(problems),
        notices=tuple(notices),
        companions=companions,
    )


def describe(template: str, data: ProfileLabelData, size: LabelSize) -> LabelDescription:
    """What the label would carry on this size; never raises for a missing field or a small label."""
    found = _content(template, data)
    problems = [m.message for m in found.missing]
    media = _media_problem(found, size, data.preprinted_diamonds)
    if problems or media:
        return _describe(template, data, found, size, None, [*problems, *([media] if media else [])])
    try:
        return compose(template, data, size).description
    except InvalidInput as exc:
        return _describe(template, data, found, size, None, [exc.message])


def compose(template: str, data: ProfileLabelData, size: LabelSize) -> Composed:
    """The label drawn, with its boxes and description; refused (InvalidInput) when incomplete."""
    found = _content(template, data)
    if found.missing:
        raise InvalidInput("; ".join(dict.fromkeys(m.message for m in found.missing)))
    media = _media_problem(found, size, data.preprinted_diamonds)
    if media:
        raise InvalidInput(media)
    pen = pen_for(size)
    min_mm = CLP_LABEL_MM[1] if any(s.startswith("GHS") for s in found.symbols) else MIN_LENGTH_MM
    frame = not data.preprinted_diamonds or size.red
    for attempt in _tries(found, template):
        barcodes = _kept(found.barcodes, attempt)
        items = _items(found, size, frame, attempt.leaflet, attempt.dropped)
        for module_mm, bars_mm, qr_mm in BARS_MM if size.height is not None else BARS_MM[:1]:
            codes = _codes(barcodes, size, pen, module_mm, bars_mm, qr_mm)
            try:
                layout = _arrange(items, codes, size, pen, min_mm)
            except NoFit:
                continue
            image = flow.render(layout.placed, layout.width, layout.height, pen)
            return Composed(image, flow.boxes(layout.placed), _describe(template, data, found, size, attempt))
    what = "ingredient card" if template == CARD else f"{found.profile} label"
    raise InvalidInput(
        f"the {what} for {data.product.sku} does not fit {size.name} labels with its text at the size "
        "the rules ask: use 62 mm endless tape"
    )
