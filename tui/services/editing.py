"""Reading the catalog back for display, and changing what is already in it.

`tui.services.catalog` adds things; this module lists them and edits them with the same rules:
names and SKUs stay unique (case-insensitively), a GTIN or a unit that labels and stock already
rely on does not change under them, and a recipe never ends up containing its own product.
Every check runs before the one transaction that writes, so bad input writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from tortoise.models import Model

from tui.codes.gtin import parse_gtin, short_form
from tui.codes.sku import normalise_sku, suggest_sku, words
from tui.config import CodesConfig
from tui.errors import Duplicate, InvalidInput
from tui.services.catalog import (
    check_supplier_codes,
    check_unit,
    clean_text,
    find_customer,
    find_material,
    find_product,
    find_supplier,
    parse_email,
    parse_shelf_life,
    recipe_item,
)
from tui.services.resolver import next_free_gtin
from tui.store.db import writing
from tui.store.models import Customer, Lot, Material, Product, RecipeLine, Supplier, SupplierCode
from tui.store.quantities import from_milli, to_milli

Qty = str | Decimal | int


@dataclass(frozen=True)
class RecipeItem:
    item: str
    """Material name, or SKU of an intermediate product."""
    qty: Decimal
    unit: str


@dataclass(frozen=True)
class ProductRow:
    name: str
    sku: str
    gtin: str | None
    """As people know it from the package (EAN-13, UPC-A...), not the stored GTIN-14."""
    unit: str
    shelf_life_days: int | None
    recipe: tuple[RecipeItem, ...]

    @property
    def recipe_text(self) -> str:
        return recipe_text((r.item, r.qty) for r in self.recipe)


@dataclass(frozen=True)
class MaterialRow:
    name: str
    unit: str
    reorder: Decimal
    codes: tuple[str, ...]
    """Supplier codes as people know them (a GTIN in its short form)."""
    supplier: str | None
    """The supplier of the codes when they all agree."""


@dataclass(frozen=True)
class SupplierRow:
    name: str


@dataclass(frozen=True)
class CustomerRow:
    name: str
    email: str | None
    phone: str | None
    address: str | None = None
    """Postal address, one line per line."""


def _code_shown(code: str) -> str:
    return short_form(code) if code.isdigit() and len(code) == 14 else code


async def list_products() -> list[ProductRow]:
    rows = []
    products = Product.all().order_by("sku").prefetch_related("recipe__material", "recipe__component")
    for p in await products:
        recipe = tuple(
            RecipeItem(
                item=line.material.name if line.material else line.component.sku,
                qty=from_milli(line.qty_milli),
                unit=line.material.unit if line.material else line.component.unit,
            )
            for line in sorted(p.recipe, key=lambda line: line.id)  # type: ignore[attr-defined]
        )
        gtin = short_form(p.gtin) if p.gtin else None
        rows.append(ProductRow(p.name, p.sku, gtin, p.unit, p.shelf_life_days, recipe))
    return rows


async def list_materials() -> list[MaterialRow]:
    rows = []
    for m in await Material.all().order_by("name").prefetch_related("supplier_codes__supplier"):
        codes = sorted(m.supplier_codes, key=lambda c: c.id)  # type: ignore[attr-defined]
        suppliers = {c.supplier.name if c.supplier else None for c in codes}
        supplier = suppliers.pop() if len(suppliers) == 1 else None
        shown = tuple(_code_shown(c.code) for c in codes)
        rows.append(MaterialRow(m.name, m.unit, from_milli(m.reorder_milli), shown, supplier))
    return rows


async def list_suppliers() -> list[SupplierRow]:
    return [SupplierRow(s.name) for s in await Supplier.all().order_by("name")]


async def list_customers() -> list[CustomerRow]:
    customers = await Customer.all().order_by("name")
    return [CustomerRow(c.name, c.email, c.phone, c.address) for c in customers]


def recipe_text(lines: Iterable[tuple[str, Decimal]]) -> str:
    """The one-line form the catalog screen edits: `olive oil 300; lye 42; FRAG-LAV 2.5`."""
    return "; ".join(f"{item} {format(qty, 'f')}" for item, qty in lines)


_RECIPE_LINE = re.compile(r"^(?P<item>.+?)\s+(?P<qty>[-+]?[0-9][0-9.,]*)$")


def parse_recipe(text: str) -> tuple[tuple[str, str], ...]:
    """`item qty; item qty` -> ((item, qty), ...). The item may hold spaces; the quantity comes last."""
    lines = []
    for part in text.split(";"):
        piece = " ".join(part.split())
        if not piece:
            continue
        match = _RECIPE_LINE.match(piece)
        if match is None:
            raise InvalidInput(
                f"recipe line {piece!r} needs a quantity after the item, e.g. 'olive oil 300; lye 42'"
            )
        lines.append((match["item"], match["qty"]))
    return tuple(lines)


async def suggest_gtin(codes: CodesConfig) -> str | None:
    """The next free GTIN of the company prefix, or None when no prefix is configured."""
    if not codes.gs1_company_prefix.strip():
        return None
    return await next_free_gtin(codes)


def suggest_product_sku(name: str, codes: CodesConfig) -> str | None:
    """An SKU from the product name; a last word holding digits (`100g`) is taken as the variant."""
    parts = name.split()
    if not words(name):
        return None
    variant = parts.pop() if len(parts) > 1 and any(c.isdigit() for c in parts[-1]) else ""
    try:
        return suggest_sku(" ".join(parts), variant, codes.sku_template)
    except InvalidInput:
        return None


async def _rename(model: type[Model], what: str, row: Model, new_name: str) -> str:
    cleaned = clean_text(new_name, f"{what} name", 128)
    if await model.filter(name__iexact=cleaned).exclude(id=row.pk).exists():
        raise Duplicate(f"a {what} named {cleaned!r} already exists")
    return cleaned


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


async def _recipe_lines(
    product: Product, recipe: Sequence[tuple[str, Qty]]
) -> list[tuple[Material | Product, int]]:
    lines: list[tuple[Material | Product, int]] = []
    for item, qty in recipe:
        target = await recipe_item(item)
        if any(type(t) is type(target) and t.id == target.id for t, _ in lines):
            raise InvalidInput(f"recipe item {item!r} is listed twice: give it once with the total")
        if isinstance(target, Product) and await _contains(target.id, product.id):
            raise InvalidInput(
                f"recipe item {item!r} is made from {product.sku} itself: a recipe cannot go in a circle"
            )
        lines.append((target, to_milli(qty, f"recipe quantity of {item}")))
    return lines


async def update_product(
    sku: str,
    *,
    codes: CodesConfig,
    name: str,
    new_sku: str,
    gtin: str | None = None,
    shelf_life_days: int | str | None = None,
    recipe: Sequence[tuple[str, Qty]] = (),
    unit: str = "pcs",
) -> Product:
    """Replace a product's details and recipe (batches already made keep what they consumed)."""
    async with writing():
        product = await find_product(sku)
        cleaned = clean_text(name, "product name", 255)
        sku_value = normalise_sku(new_sku, codes.sku_pattern, codes.sku_uppercase)
        if await Product.filter(sku__iexact=sku_value).exclude(id=product.id).exists():
            raise Duplicate(f"SKU {sku_value!r} is already used by another product")
        gtin14 = parse_gtin(gtin.strip()).gtin14 if gtin and gtin.strip() else None
        if gtin14 is not None:
            other = await Product.get_or_none(gtin=gtin14)
            if other is not None and other.id != product.id:
                raise Duplicate(f"GTIN {gtin.strip()} is already used by {other.sku}")  # type: ignore[union-attr]
        has_batches = await Lot.filter(product_id=product.id).exists()
        if has_batches and product.gtin and gtin14 != product.gtin:
            raise InvalidInput(
                f"GTIN {short_form(product.gtin)} is printed on batches of {product.sku} already: "
                "keep it, and add a new product for a new GTIN"
            )
        days = parse_shelf_life(shelf_life_days)
        unit = check_unit(unit)
        if has_batches and unit != product.unit:
            raise InvalidInput(
                f"{product.sku} has batches counted in {product.unit}: its unit cannot change to {unit}"
            )
        lines = await _recipe_lines(product, recipe)
        product.name, product.sku, product.gtin = cleaned, sku_value, gtin14
        product.unit, product.shelf_life_days = unit, days
        await product.save()
        await RecipeLine.filter(product_id=product.id).delete()
        for target, qty_milli in lines:
            if isinstance(target, Material):
                await RecipeLine.create(product=product, material=target, qty_milli=qty_milli)
            else:
                await RecipeLine.create(product=product, component=target, qty_milli=qty_milli)
        return product


async def update_material(
    name: str,
    *,
    new_name: str,
    unit: str,
    reorder: Qty | None = None,
    codes: Iterable[str] = (),
    supplier: str | None = None,
) -> Material:
    """Replace a material's details; `codes` is the full new set of its supplier codes.

    A given supplier is set on all its codes; none leaves the suppliers of kept codes alone.
    """
    async with writing():
        material = await find_material(name)
        cleaned = await _rename(Material, "material", material, new_name)
        unit = check_unit(unit)
        if unit != material.unit and await Lot.filter(material_id=material.id).exists():
            raise InvalidInput(
                f"{material.name} has lots counted in {material.unit}: its unit cannot change to {unit}"
            )
        reorder_milli = 0 if reorder in (None, "") else to_milli(reorder, "reorder level", allow_zero=True)
        supplier_row = await find_supplier(supplier) if supplier and supplier.strip() else None
        wanted = await check_supplier_codes(codes, material.id)
        material.name, material.unit, material.reorder_milli = cleaned, unit, reorder_milli
        await material.save()
        await SupplierCode.filter(material_id=material.id).exclude(code__in=wanted).delete()
        kept: set[str] = set(
            await SupplierCode.filter(material_id=material.id).values_list("code", flat=True)  # type: ignore[arg-type]
        )
        for value in wanted:
            if value not in kept:
                await SupplierCode.create(code=value, material=material, supplier=supplier_row)
        if supplier_row is not None:
            await SupplierCode.filter(material_id=material.id).update(supplier_id=supplier_row.id)
        return material


async def update_supplier(name: str, *, new_name: str) -> Supplier:
    async with writing():
        supplier = await find_supplier(name)
        supplier.name = await _rename(Supplier, "supplier", supplier, new_name)
        await supplier.save()
        return supplier


async def update_customer(
    name: str,
    *,
    new_name: str,
    email: str | None = None,
    phone: str | None = None,
    address: str | None = None,
) -> Customer:
    """Replace a customer's name and contact details (what a recall letter goes to)."""
    mail = parse_email(email)
    tel = clean_text(phone or "", "phone", 64, required=False) or None
    lines = [clean_text(line, "address", 200, required=False) for line in (address or "").splitlines()]
    async with writing():
        customer = await find_customer(name)
        cleaned = await _rename(Customer, "customer", customer, new_name)
        customer.name, customer.email, customer.phone = cleaned, mail, tel
        customer.address = "\n".join(line for line in lines if line) or None  # type: ignore[assignment]
        await customer.save()
        return customer
