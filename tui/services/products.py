"""Products and their recipes: what a product is made of, per unit made, checked before it is written.

A recipe line names a material or another product (an intermediate such as a fragrance blend);
its quantity may carry a unit and is stored in that item's stock unit. A recipe may not go in a
circle: a product cannot be made, at any depth, from itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from tui.codes.amounts import ItemUnits
from tui.codes.gtin import parse_gtin
from tui.codes.sku import normalise_sku
from tui.config import CodesConfig
from tui.errors import Duplicate, InvalidInput, NotFound
from tui.services.catalog import HINT_CANDIDATES, check_unit, clean_text, close_hint, one_by, parse_shelf_life
from tui.services.measures import Qty, density_micro, read_amount, units_of_item
from tui.services.profiles import LabelFields
from tui.store.db import writing
from tui.store.models import Material, Product, RecipeLine


def _starts(wanted: str, name: str, *, words: bool) -> bool:
    """`wanted` begins the name, or (`words`) one of its words ('lye' in 'Sodium hydroxide (lye)')."""
    key, folded = wanted.casefold(), name.casefold()
    return folded.startswith(key) or (words and any(w.startswith(key) for w in re.findall(r"\w+", folded)))


async def recipe_item(item: str) -> Material | Product:
    """ITEM of a recipe line: a material name, else a product SKU (an intermediate product),
    in any case; else the one material whose name (or a word of it) begins with it ('coconut' is
    Coconut oil), else the one product whose SKU or name does. Several: refused with the names."""
    wanted = clean_text(item, "recipe item", 128)
    material = await one_by(Material, "name", wanted)
    if isinstance(material, Material):
        return material
    product = await one_by(Product, "sku", wanted)
    if isinstance(product, Product):
        return product
    candidates: list[Material | Product] = [
        m for m in await Material.all().limit(HINT_CANDIDATES) if _starts(wanted, m.name, words=True)
    ]
    if not candidates:
        candidates = [
            p
            for p in await Product.all().limit(HINT_CANDIDATES)
            if _starts(wanted, p.sku, words=False) or _starts(wanted, p.name, words=False)
        ]
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        names = sorted(c.name if isinstance(c, Material) else c.sku for c in candidates)
        raise InvalidInput(
            f"recipe item {wanted!r} could be {', '.join(names)}: type more of the name you mean"
        )
    hint = await close_hint(Material, "name", wanted) or await close_hint(Product, "sku", wanted)
    raise NotFound(f"recipe item {wanted!r} is neither a material name nor a product SKU{hint}")


RecipeLines = list[tuple[Material | Product, int]]
"""A checked recipe: each item with its quantity per unit made, in thousandths."""


async def recipe_lines(recipe: Sequence[tuple[str, Qty]], product: Product | None = None) -> RecipeLines:
    """Each ITEM=QTY of a recipe: the item, and the quantity per unit made in its stock unit."""
    lines: RecipeLines = []
    for item, qty in recipe:
        target = await recipe_item(item)
        if any(type(t) is type(target) and t.id == target.id for t, _ in lines):
            raise InvalidInput(f"recipe item {item!r} is listed twice: give it once with the total")
        if product and isinstance(target, Product) and await _contains(target.id, product.id):
            raise InvalidInput(
                f"recipe item {item!r} is made from {product.sku} itself: a recipe cannot go in a circle"
            )
        amount = read_amount(await units_of_item(target), qty, f"recipe quantity of {item}")
        lines.append((target, amount.milli))
    return lines


async def _contains(component_id: int, product_id: int) -> bool:
    """Does `component_id`'s recipe use `product_id`, at any depth?"""
    seen: set[int] = set()
    frontier = {component_id}
    while frontier:
        if product_id in frontier:
            return True
        seen |= frontier
        below: list[int] = await RecipeLine.filter(  # type: ignore[assignment]
            product_id__in=frontier, component_id__isnull=False
        ).values_list("component_id", flat=True)
        frontier = set(below) - seen
    return False


async def write_recipe(product: Product, lines: RecipeLines) -> None:
    """The product's recipe lines, inside the caller's transaction."""
    for target, qty_milli in lines:
        if isinstance(target, Material):
            await RecipeLine.create(product=product, material=target, qty_milli=qty_milli)
        else:
            await RecipeLine.create(product=product, component=target, qty_milli=qty_milli)


async def add_product(
    name: str,
    sku: str,
    *,
    codes: CodesConfig,
    gtin: str | None = None,
    shelf_life_days: int | str | None = None,
    recipe: Sequence[tuple[str, Qty]] = (),
    unit: str = "pcs",
    density: str | Decimal | None = None,
    label: LabelFields | None = None,
) -> Product:
    """A product line with its recipe (per unit made); the SKU follows the configured pattern.
    `label`: its label profile and the fields it needs (`profiles.label_fields` checks them).

    Recipe quantities may carry a unit (`300g`, `2.5 ml`): each is converted to its item's
    stock unit (through a density where weight meets volume) before it is stored.
    """
    async with writing():  # checked inside: two stations adding one SKU get one product
        cleaned = clean_text(name, "product name", 255)
        sku_value = normalise_sku(sku, codes.sku_pattern, codes.sku_uppercase)
        if await Product.filter(sku__iexact=sku_value).exists():
            raise Duplicate(f"SKU {sku_value!r} is already used by another product")
        gtin14 = None
        if gtin is not None and gtin.strip():
            gtin14 = parse_gtin(gtin.strip()).gtin14
            other = await Product.get_or_none(gtin=gtin14)
            if other is not None:
                raise Duplicate(f"GTIN {gtin.strip()} is already used by {other.sku}")
        days = parse_shelf_life(shelf_life_days)
        own = ItemUnits.of(sku_value, check_unit(unit), density or None)
        lines = await recipe_lines(recipe)
        product = await Product.create(
            name=cleaned,
            sku=sku_value,
            gtin=gtin14,
            unit=own.unit.symbol,
            shelf_life_days=days,
            density_micro=density_micro(own.density),
            **vars(label or LabelFields()),
        )
        await write_recipe(product, lines)
    return product
