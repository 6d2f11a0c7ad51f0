"""What a lot's label says, read from the database, and how many labels a new lot gets.

Kept apart from the queue: the queue sends whatever it is given; this decides what that is.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from decimal import ROUND_CEILING
from typing import TYPE_CHECKING

from tui import labels
from tui.codes.commands import command_sheet
from tui.codes.gs1 import digital_link_uri
from tui.compliance.barcodes import batch_barcodes
from tui.config import MAX_COPIES, CodesConfig, Config, LabelsConfig, MakerConfig
from tui.errors import InvalidInput, NotFound
from tui.services.catalog import find_lot
from tui.services.editing import pick_numbers
from tui.services.label_profiles import Description, batch_info, maker_of, product_info
from tui.services.locations import find_location
from tui.store.models import Location, Lot, LotKind
from tui.store.quantities import from_milli

if TYPE_CHECKING:
    from tui.labels import LabelData, LabelSize


@dataclass(frozen=True)
class LabelSource:
    """What a lot's label is drawn from besides the store: the config's codes, maker and stock."""

    codes: CodesConfig = field(default_factory=CodesConfig)
    maker: MakerConfig = field(default_factory=MakerConfig)
    preprinted_diamonds: bool = False

    @classmethod
    def of(cls, config: Config, market: str | None = None) -> LabelSource:
        """From the config; `market`: print for that market's responsible person (`[[maker.markets]]`)."""
        maker = config.maker
        if market is not None:
            known = {m.market.strip().upper() for m in maker.markets} | {
                maker.country.upper(),
                maker.market.upper(),
            }
            if market.strip().upper() not in known - {""}:
                raise InvalidInput(
                    f"no [[maker.markets]] entry for market {market.strip()!r} in the config: add one with "
                    "the responsible person there, or leave --market out"
                )
        return cls(config.codes, maker.for_market(market), config.labels.preprinted_diamonds)


async def lot_label_data(code: str, source: LabelSource | CodesConfig) -> tuple[str, LabelData, Lot]:
    """The template and data for a lot's label, read from the database: a batch of a product with
    a label profile prints that profile's compliant label."""
    if isinstance(source, CodesConfig):
        source = LabelSource(codes=source)
    codes = source.codes
    lot = await find_lot(code)
    await lot.fetch_related("material", "product", "supplier")
    if lot.kind == LotKind.MATERIAL:
        assert lot.material is not None
        supplier = lot.supplier.name if lot.supplier else None
        material = labels.MaterialLotData(
            lot.code, lot.material.name, lot.dated, supplier, lot.supplier_lot, lot.expires
        )
        return "material", material, lot
    product = lot.product
    assert product is not None
    link = None
    if product.gtin and codes.digital_link_domain:
        with contextlib.suppress(InvalidInput):  # a lot code GS1 cannot carry: the QR holds it plain
            link = digital_link_uri(codes.digital_link_domain, product.gtin, lot.code)
    if product.profile is not None:
        data = labels.ProfileLabelData(
            await product_info(product),
            batch_info(lot, link),
            maker_of(source.maker),
            source.preprinted_diamonds,
        )
        return product.profile, data, lot
    batch = labels.BatchData(lot.code, product.name, product.sku, lot.dated, lot.expires, product.gtin, link)
    return "batch", batch, lot


async def describe_lot(
    code: str, source: LabelSource, size: LabelSize, template_name: str | None = None
) -> Description:
    """What the lot's label would carry on `size`, without printing it (never refuses a missing field:
    it lists it)."""
    name, data, lot = await lot_label_data(code, source)
    if isinstance(data, labels.ProfileLabelData):
        if template_name is not None and template_name != name:
            name = template_name  # the ingredients card; anything else is refused by the template
        d = labels.describe(name, data, size)
        barcodes = tuple({"kind": b.kind, "data": b.data} for b in d.barcodes)
        return Description(
            d.lot,
            d.template,
            d.profile,
            d.size,
            d.fields,
            d.symbols,
            barcodes,
            d.missing,
            d.problems,
            d.notices,
        )
    if isinstance(data, labels.BatchData):
        fields = {"product": data.product, "lot": data.lot}
        if data.best_before is not None:
            fields["best_before"] = data.best_before.isoformat()
        codes = batch_barcodes(data.lot, data.gtin, data.link, data.best_before)
        barcodes = tuple({"kind": b.kind, "data": b.data} for b in codes)
        return Description(lot.code, name, None, size.id, fields, (), barcodes, ())
    raise InvalidInput(f"{lot.code} is a material lot: --describe is for batch labels")


async def location_label_data(code: str) -> labels.LocationData:
    """A location's label: its name to read, its code to scan (which resolves as `location`)."""
    place = await find_location(code)
    return labels.LocationData(name=place.name, code=place.code)


async def command_sheet_data(codes: CodesConfig) -> labels.CommandSheetData:
    """The command barcodes, and the catalog's pick numbers under them."""
    return labels.CommandSheetData(command_sheet(codes.command_prefix), numbers=await pick_numbers())


async def label_request(
    code: str | None, template_name: str | None, source: LabelSource | CodesConfig
) -> tuple[str, LabelData, Lot | None]:
    """What `lotkeeper label [CODE] [--template T]` prints: a lot's label, a location's (also when
    CODE is a location's and no lot's), or the command sheet (the only one that needs no CODE)."""
    if isinstance(source, CodesConfig):
        source = LabelSource(codes=source)
    if template_name == "commands":
        return "commands", await command_sheet_data(source.codes), None
    if not code:
        raise InvalidInput(f"give the CODE to print a {template_name or 'lot'} label for")
    if template_name == "location":
        return "location", await location_label_data(code), None
    try:
        name, data, lot = await lot_label_data(code, source)
    except NotFound:
        if template_name is None and await Location.filter(code=code.strip().upper()).exists():
            return "location", await location_label_data(code), None
        raise
    if template_name == labels.CARD and name == "cosmetic":
        return template_name, data, lot
    if template_name not in (None, name):
        raise InvalidInput(
            f"{lot.code} is a {lot.kind.value} lot: it prints with the {name} template, not {template_name}"
        )
    return name, data, lot


async def new_lot_copies(code: str, labels: LabelsConfig) -> int:
    """Labels for a lot just received or made: as configured, else one per piece of a batch.

    A batch counted in pieces gets a label for each; one made in grams or millilitres (a blend
    going into other products) gets one for its container.
    """
    lot = await find_lot(code)
    if lot.kind == LotKind.MATERIAL:
        return labels.material_copies
    if labels.batch_copies:
        return labels.batch_copies
    await lot.fetch_related("product")
    if lot.product is None or lot.product.unit != "pcs":
        return 1
    pieces = int(from_milli(lot.qty_milli).to_integral_value(ROUND_CEILING))
    return min(MAX_COPIES, max(1, pieces))
