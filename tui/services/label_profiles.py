"""A batch's compliant label from the store: the product's profile and recipe, its materials'
INCI names, allergens and CLP data, the lot's dates and the config's `[maker]`, handed to the
rules of `tui.compliance` and the templates of `tui.labels.compliant`.

`describe_lot` is the one place that says what a lot's label would carry and what it misses:
`lotkeeper label LOT --describe`, the app's print path and the print queue all come through here
(`tui.services.label_data` builds the print data with `profile_label_data`), so a label refused
on the command line is refused on the screen the same way.

Recipe amounts become one mass unit (grams) for the ingredient order and the fragrance load:
weights convert, volumes convert through the material's density (1 g/ml when it has none),
counted items (jars, wicks, labels) are packaging and no ingredient. An intermediate product (a
fragrance blend) is given as its own materials, scaled to the amount the recipe uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from tui.codes.units import Dimension, convert, find_unit
from tui.compliance import Allergen, BatchInfo, ClpData, Component, Maker, ProductInfo, parse_net
from tui.compliance.model import Profile
from tui.config import MakerConfig
from tui.errors import InvalidInput
from tui.services.measures import density_value
from tui.store.models import Lot, Material, MaterialAllergen, MaterialClp, Product, RecipeLine
from tui.store.quantities import from_milli

GRAM = find_unit("g")
MAX_DEPTH = 8


@dataclass(frozen=True)
class Description:
    """`lotkeeper label LOT --describe --json`, key for key."""

    lot: str
    template: str
    profile: str | None
    size: str
    fields: dict[str, str]
    symbols: tuple[str, ...]
    barcodes: tuple[dict[str, str], ...]
    missing: tuple[str, ...]
    problems: tuple[str, ...] = field(default=(), compare=False)
    """Why `label` refuses it (not in the JSON: its messages are what `label` prints)."""
    notices: tuple[str, ...] = field(default=(), compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "lot": self.lot,
            "template": self.template,
            "profile": self.profile,
            "size": self.size,
            "fields": dict(self.fields),
            "symbols": list(self.symbols),
            "barcodes": [dict(b) for b in self.barcodes],
            "missing": list(self.missing),
        }


def maker_of(config: MakerConfig) -> Maker:
    return Maker(config.name, config.address, config.email, config.phone)


def _grams(qty_milli: int, unit_text: str, density_micro: int | None) -> Decimal | None:
    """The amount in grams; None for counted items (packaging)."""
    unit = find_unit(unit_text)
    if unit is None or GRAM is None or unit.dimension not in (Dimension.MASS, Dimension.VOLUME):
        return None
    density = density_value(density_micro) or Decimal(1)
    grams = convert(Fraction(from_milli(qty_milli)), unit, GRAM, density)
    return Decimal(grams.numerator) / Decimal(grams.denominator)


def _clp(row: MaterialClp) -> ClpData:
    return ClpData(
        Decimal(row.load_milli) / 1000,
        tuple(row.pictograms),
        row.signal_word,
        tuple(row.hazards),
        tuple(row.precautions),
        tuple(row.contains),
        row.ufi,
    )


def _component(material: Material, weight: Decimal, extras: Mapping[str, Mapping[int, Any]]) -> Component:
    allergens: list[MaterialAllergen] = extras["allergens"].get(material.id, [])
    clp: list[MaterialClp] = extras["clp"].get(material.id, [])
    return Component(
        material.name,
        weight,
        material.inci or "",
        tuple(Allergen(a.name, Decimal(a.percent_micro) / 1_000_000) for a in allergens if a.percent_micro),
        tuple(a.name for a in allergens if a.percent_micro is None),
        fragrance=bool(clp),
        clp=tuple(_clp(c) for c in clp),
    )


async def _lines(product_id: int, scale: Decimal, depth: int, out: list[tuple[Material, Decimal]]) -> None:
    if depth > MAX_DEPTH:
        raise InvalidInput("a recipe is nested too deeply to list its ingredients")
    for line in (
        await RecipeLine.filter(product_id=product_id)
        .order_by("id")
        .prefetch_related("material", "component")
    ):
        if line.material is not None:
            grams = _grams(line.qty_milli, line.material.unit, line.material.density_micro)
            if grams is not None and grams > 0:
                out.append((line.material, grams * scale))
        elif line.component is not None:
            await _lines(line.component.id, scale * from_milli(line.qty_milli), depth + 1, out)


async def components(product: Product) -> tuple[Component, ...]:
    """The product's materials per unit made, in grams, with their label data."""
    found: list[tuple[Material, Decimal]] = []
    await _lines(product.id, Decimal(1), 0, found)
    ids = {m.id for m, _ in found}
    extras: dict[str, dict[int, list[Any]]] = {"allergens": {}, "clp": {}}
    for a in await MaterialAllergen.filter(material_id__in=ids).order_by("id"):
        extras["allergens"].setdefault(a.material_id, []).append(a)  # type: ignore[attr-defined]
    for c in await MaterialClp.filter(material_id__in=ids).order_by("load_milli"):
        extras["clp"].setdefault(c.material_id, []).append(c)  # type: ignore[attr-defined]
    merged: dict[int, tuple[Material, Decimal]] = {}
    for material, grams in found:  # one material used twice (directly and in a blend) is one ingredient
        kept = merged.get(material.id)
        merged[material.id] = (material, grams + (kept[1] if kept else Decimal(0)))
    return tuple(_component(m, g, extras) for m, g in merged.values())


async def product_info(product: Product) -> ProductInfo:
    if product.profile is None:
        raise InvalidInput(f"{product.sku} has no label profile: set one with product edit --profile")
    profile: Profile = product.profile  # type: ignore[assignment]
    return ProductInfo(
        product.sku,
        product.name,
        profile,
        await components(product),
        net=parse_net(product.net) if product.net else None,
        pao_months=product.pao_months,
        rinse_off=product.rinse_off,
        gtin=product.gtin,
    )


def batch_info(lot: Lot, link: str | None) -> BatchInfo:
    return BatchInfo(lot.code, lot.dated, lot.expires, link)
