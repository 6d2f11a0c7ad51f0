"""What a material or product is measured in, read from the store, and quantities read against it.

`tui.codes.amounts.ItemUnits` holds the rules (units, density, packs, whole pieces, the one
rounding); this module builds one from a `Material` or `Product` row. Every quantity a service
takes goes through `read_amount`, so `2.5kg`, `3case`, `250` and a scale's reading are turned
into the stock unit's thousandths the same way for the CLI and the screens, before anything is
written.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from tui.codes.amounts import Amount, ItemUnits
from tui.codes.units import Quantity
from tui.errors import InvalidInput
from tui.store.models import Lot, LotKind, Material, MaterialPack, Product

Qty = str | Decimal | int | Quantity
"""A quantity as a service takes it: typed text (`2.5kg`, `3 cases`, `250`), a number in the
item's stock unit, or a measured `Quantity` (a scale's stable reading)."""

DENSITY_PLACES = 6


def density_value(micro: int | None) -> Decimal | None:
    """The stored density (millionths of a gram per millilitre) as grams per millilitre."""
    return None if micro is None else Decimal(micro).scaleb(-DENSITY_PLACES).normalize()


def density_micro(value: Decimal | None) -> int | None:
    return None if value is None else int(value.scaleb(DENSITY_PLACES))


def pack_spec(pack: MaterialPack) -> str:
    return f"{pack.name}={pack.size}"


def material_units(material: Material, packs: Iterable[MaterialPack] = ()) -> ItemUnits:
    return ItemUnits.of(
        material.name, material.unit, density_value(material.density_micro), [pack_spec(p) for p in packs]
    )


def product_units(product: Product) -> ItemUnits:
    """Products are known by their SKU at the bench, so messages name it."""
    return ItemUnits.of(product.sku, product.unit, density_value(product.density_micro))


async def units_of_material(material: Material) -> ItemUnits:
    packs = await MaterialPack.filter(material_id=material.id).order_by("id")
    return material_units(material, packs)


async def units_of_item(item: Material | Product) -> ItemUnits:
    return await units_of_material(item) if isinstance(item, Material) else product_units(item)


async def units_of_lot(lot: Lot) -> ItemUnits:
    """The units of a lot's material or product (fetched with the lot beforehand)."""
    item = lot.material if lot.kind == LotKind.MATERIAL else lot.product
    assert item is not None, f"lot {lot.code} has no {lot.kind.value} item"
    return await units_of_item(item)


def read_amount(
    units: ItemUnits,
    qty: Qty,
    what: str = "quantity",
    *,
    allow_zero: bool = False,
    allow_negative: bool = False,
) -> Amount:
    """`qty` in the item's stock unit, or a clear `InvalidInput` (see `tui.codes.amounts`)."""
    if not isinstance(qty, Quantity):
        return units.read(qty, what, allow_zero=allow_zero, allow_negative=allow_negative)
    amount = units.convert(qty, what)
    if amount.milli == 0 and not allow_zero:
        raise InvalidInput(f"{what} must be more than zero")
    if amount.milli < 0 and not allow_negative:
        raise InvalidInput(f"{what} {qty} is negative: enter a positive amount")
    return amount
