"""The Catalog screen's label fields: a product's profile, net quantity, period after opening and
rinse-off, a material's INCI name and allergens, read for the tables and saved together with the
rest of the row in one transaction (a refused field writes nothing of the row).

The rules are `tui.services.profiles`'; this module only joins them to `editing` and
`products`, as the form gives its values (text).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tui.errors import InvalidInput
from tui.services import catalog, editing, products
from tui.services.profiles import LabelFields, allergen_rows, label_fields, set_label_fields
from tui.store.db import writing
from tui.store.models import Material, MaterialAllergen, Product

YES = ("yes", "y", "rinse-off", "rinse off", "true", "1")
NO = ("", "no", "n", "leave-on", "leave on", "false", "0")


@dataclass(frozen=True)
class MaterialLabel:
    inci: str = ""
    allergens: tuple[str, ...] = ()
    """As typed back: `Linalool=35` (fragrance, percent of the material), `milk` (food)."""


def allergen_text(name: str, micro: int | None) -> str:
    if micro is None:
        return name
    percent = (Decimal(micro) / 1_000_000).normalize()
    return f"{name}={format(percent, 'f')}"


def parse_rinse_off(text: str) -> bool:
    cleaned = text.strip().lower()
    if cleaned in YES:
        return True
    if cleaned in NO:
        return False
    raise InvalidInput(f"rinse-off {text.strip()!r}: answer yes (washed off, like soap) or no")


def form_label(profile: str, net: str, pao: str, rinse_off: str) -> LabelFields:
    """The label fields as the form gives them (empty: none)."""
    return label_fields(
        LabelFields(), profile=profile, net=net, pao=pao, rinse_off=parse_rinse_off(rinse_off)
    )


async def product_labels() -> dict[str, LabelFields]:
    rows = await Product.all().values_list("sku", "profile", "net", "pao_months", "rinse_off")
    return {sku: LabelFields(profile, net, pao, bool(rinse)) for sku, profile, net, pao, rinse in rows}


async def material_labels() -> dict[str, MaterialLabel]:
    names = dict(await Material.all().values_list("id", "name"))
    inci = dict(await Material.all().values_list("id", "inci"))
    allergens: dict[int, list[str]] = {}
    for material_id, name, micro in (
        await MaterialAllergen.all().order_by("id").values_list("material_id", "name", "percent_micro")
    ):
        allergens.setdefault(material_id, []).append(allergen_text(name, micro))
    return {names[i]: MaterialLabel(inci.get(i) or "", tuple(allergens.get(i, ()))) for i in names}


async def save_product(old: str | None, name: str, sku: str, label: LabelFields, **common: Any) -> Product:
    """Add (`old` None) or change a product with its label fields, in one transaction."""
    async with writing():
        if old is None:
            return await products.add_product(name, sku, label=label, **common)
        done = await editing.update_product(old, name=name, new_sku=sku, **common)
        await set_label_fields(done.sku, label)
        return done


async def save_material(
    old: str | None,
    name: str,
    unit: str,
    reorder: str | None,
    codes: Sequence[str],
    supplier: str | None,
    inci: str,
    allergens: Sequence[str],
) -> Material:
    """Add (`old` None) or change a material with its INCI name and allergens, in one transaction."""
    if old is None:
        rows = allergen_rows(allergens)
        return await catalog.add_material(name, unit, reorder, codes, supplier, inci=inci, allergens=rows)
    return await editing.update_material(
        old,
        new_name=name,
        unit=unit,
        reorder=reorder,
        codes=codes,
        supplier=supplier,
        inci=inci,
        allergens=allergens,
    )
