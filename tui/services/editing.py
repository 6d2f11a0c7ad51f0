"""Reading the catalog back for display, and changing what is already in it.

`tui.services.catalog` adds things; this module lists them and edits them with the same rules:
names and SKUs stay unique (case-insensitively), a GTIN or a unit that labels and stock already
rely on does not change under them, and a recipe never ends up containing its own product.
Every check runs before the one transaction that writes, so bad input writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from tortoise.models import Model

from tui.codes.amounts import ItemUnits, Pack
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
    reorder_level,
    save_codes,
)
from tui.services.measures import Qty, density_micro, density_value, pack_spec
from tui.services.products import recipe_lines, write_recipe
from tui.services.profiles import edit_material_label
from tui.services.resolver import next_free_gtin
from tui.store.db import writing
from tui.store.models import (
    Customer,
    Lot,
    Material,
    MaterialPack,
    Product,
    RecipeLine,
    Supplier,
    SupplierCode,
)
from tui.store.quantities import from_milli


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
    density: Decimal | None = None
    """Grams per millilitre, if set."""
    number: int = field(default=0, compare=False)
    """Its stable short number (the row id): what a keypad picks it by; adding items never shifts it."""

    @property
    def recipe_text(self) -> str:
        return recipe_text((r.item, r.qty) for r in self.recipe)


@dataclass(frozen=True)
class MaterialRow:
    name: str
    unit: str
    reorder: Decimal
    codes: tuple[str, ...]
    """Supplier codes as people know them (a GTIN in its short form), `CODE=PACK` for the
    barcode on a pack, so the list can be edited and given back as it is."""
    supplier: str | None
    """The supplier of the codes when they all agree."""
    density: Decimal | None = None
    """Grams per millilitre, if set."""
    packs: tuple[str, ...] = ()
    """As written and read back: `case=12 pcs`, `drum=25 kg`."""
    number: int = field(default=0, compare=False)
    """Its stable short number (the row id): what a keypad picks it by; adding items never shifts it."""


@dataclass(frozen=True)
class SupplierRow:
    name: str
    number: int = field(default=0, compare=False)
    """Its stable short number (the row id): what a keypad picks it by; adding items never shifts it."""


@dataclass(frozen=True)
class CustomerRow:
    name: str
    email: str | None
    phone: str | None
    address: str | None = None
    """Postal address, one line per line."""
    number: int = field(default=0, compare=False)
    """Its stable short number (the row id): what a keypad picks it by; adding items never shifts it."""


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
        density = density_value(p.density_micro)
        row = ProductRow(p.name, p.sku, gtin, p.unit, p.shelf_life_days, recipe, density, number=p.id)
        rows.append(row)
    return rows


def _material_row(m: Material) -> MaterialRow:
    """A material read with its supplier codes (and their suppliers) and packs."""
    codes = sorted(m.supplier_codes, key=lambda c: c.id)  # type: ignore[attr-defined]
    packs = {p.id: p for p in m.packs}  # type: ignore[attr-defined]
    suppliers = {c.supplier.name if c.supplier else None for c in codes}
    supplier = suppliers.pop() if len(suppliers) == 1 else None
    shown = tuple(
        _code_shown(c.code) + (f"={packs[c.pack_id].name}" if c.pack_id in packs else "") for c in codes
    )
    specs = tuple(pack_spec(p) for p in sorted(packs.values(), key=lambda p: p.id))
    density = density_value(m.density_micro)
    reorder = from_milli(m.reorder_milli)
    return MaterialRow(m.name, m.unit, reorder, shown, supplier, density, specs, number=m.id)


async def list_materials() -> list[MaterialRow]:
    query = Material.all().order_by("name").prefetch_related("supplier_codes__supplier", "packs")
    return [_material_row(m) for m in await query]


async def material_row(name: str) -> MaterialRow:
    """One material as the catalog shows it (what `material edit` starts from)."""
    material = await find_material(name)
    await material.fetch_related("supplier_codes__supplier", "packs")
    return _material_row(material)


async def list_suppliers() -> list[SupplierRow]:
    return [SupplierRow(s.name, s.id) for s in await Supplier.all().order_by("name")]


async def list_customers() -> list[CustomerRow]:
    customers = await Customer.all().order_by("name")
    return [CustomerRow(c.name, c.email, c.phone, c.address, c.id) for c in customers]


SHEET_CUSTOMERS = 40
"""Customers printed on the command sheet (regulars); the rest are found by name in Sell."""


async def pick_numbers() -> tuple[str, ...]:
    """The numbers Receive, Make and Sell pick by, one line per list, for the printed command
    sheet (so a maker at the keypad need not look them up)."""
    products = [p for p in await list_products() if p.recipe]
    customers = await list_customers()
    lists: list[tuple[str, list[tuple[int, str]]]] = [
        ("Materials", [(m.number, m.name) for m in await list_materials()]),
        ("Products", [(p.number, p.sku) for p in products]),
        ("Suppliers", [(s.number, s.name) for s in await list_suppliers()]),
        ("Customers", [(c.number, c.name) for c in customers]),
    ]
    lines = []
    for title, entries in lists:
        if not entries:
            continue
        shown = sorted(entries)[:SHEET_CUSTOMERS] if title == "Customers" else sorted(entries)
        more = f", and {len(entries) - len(shown)} more by name" if len(shown) < len(entries) else ""
        lines.append(f"{title}: " + ", ".join(f"{n} {name}" for n, name in shown) + more)
    return tuple(lines)


def recipe_text(lines: Iterable[tuple[str, Decimal]]) -> str:
    """The one-line form the catalog screen edits: `olive oil 300; lye 42; FRAG-LAV 2.5`."""
    return "; ".join(f"{item} {format(qty, 'f')}" for item, qty in lines)


_RECIPE_LINE = re.compile(r"^(?P<item>.+?)\s+(?P<qty>[-+]?[0-9][0-9.,]*(?:\s*[^\W\d][^\d]*)?)$")


def parse_recipe(text: str) -> tuple[tuple[str, str], ...]:
    """`item qty; item qty` -> ((item, qty), ...). The item may hold spaces; the quantity comes
    last and may carry a unit (`olive oil 300 g; Amber jar 120 ml 1`)."""
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
    density: str | Decimal | None = None,
) -> Product:
    """Replace a product's details and recipe (batches already made keep what they consumed).

    `density` None keeps the one set (the catalog screen has no field for it); "" removes it.
    """
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
        kept = density_value(product.density_micro) if density is None else density or None
        own = ItemUnits.of(sku_value, unit, kept)
        lines = await recipe_lines(recipe, product)
        product.name, product.sku, product.gtin = cleaned, sku_value, gtin14
        product.unit, product.shelf_life_days = unit, days
        product.density_micro = density_micro(own.density)
        await product.save()
        await RecipeLine.filter(product_id=product.id).delete()
        await write_recipe(product, lines)
        return product


async def update_material(
    name: str,
    *,
    new_name: str,
    unit: str,
    reorder: Qty | None = None,
    codes: Iterable[str] = (),
    supplier: str | None = None,
    density: str | Decimal | None = None,
    packs: Iterable[str] | None = None,
    inci: str | None = None,
    allergens: Sequence[str] | None = None,
) -> Material:
    """Replace a material's details; `codes` is the full new set of its supplier codes.
    `inci` None keeps its INCI name ("" removes it); `allergens` None keeps them, else the full
    new set (`NAME=PERCENT`, or a food allergen's name).

    A given supplier is set on all its codes; none leaves the suppliers of kept codes alone.
    `density` and `packs` None keep what is set (the catalog screen has no fields for them);
    "" and () remove them.
    """
    async with writing():
        material = await find_material(name)
        cleaned = await _rename(Material, "material", material, new_name)
        unit = check_unit(unit)
        if unit != material.unit and await Lot.filter(material_id=material.id).exists():
            raise InvalidInput(
                f"{material.name} has lots counted in {material.unit}: its unit cannot change to {unit}"
            )
        old_packs = await MaterialPack.filter(material_id=material.id).order_by("id")
        kept_density = density_value(material.density_micro) if density is None else density or None
        specs = [pack_spec(p) for p in old_packs] if packs is None else list(packs)
        units = ItemUnits.of(cleaned, unit, kept_density, specs)
        reorder_milli = reorder_level(units, reorder)
        supplier_row = await find_supplier(supplier) if supplier and supplier.strip() else None
        wanted = await check_supplier_codes(codes, material.id, units)
        material.name, material.unit, material.reorder_milli = cleaned, unit, reorder_milli
        material.density_micro = density_micro(units.density)
        await material.save()
        await SupplierCode.filter(material_id=material.id).exclude(code__in=[c for c, _ in wanted]).delete()
        rows = await _save_packs(material, old_packs, units.packs)
        await save_codes(material, wanted, rows, supplier_row)
        if supplier_row is not None:
            await SupplierCode.filter(material_id=material.id).update(supplier_id=supplier_row.id)
        if inci is not None or allergens is not None:
            await edit_material_label(material.name, inci=inci, allergens=allergens)
        return material


async def _save_packs(
    material: Material, old: list[MaterialPack], packs: Sequence[Pack]
) -> dict[str, MaterialPack]:
    """The material's packs made to be `packs`: sizes updated in place, dropped ones deleted.
    `save_codes` then points each supplier code at its pack."""
    by_name = {p.name: p for p in old}
    rows: dict[str, MaterialPack] = {}
    for pack in packs:
        row = by_name.pop(pack.name, None)
        if row is None:
            row = await MaterialPack.create(material=material, name=pack.name, size=str(pack.size))
        elif row.size != str(pack.size):
            row.size = str(pack.size)
            await row.save(update_fields=["size"])
        rows[pack.name] = row
    for gone in by_name.values():  # a kept code on it names no pack any more (`codes` said so)
        await SupplierCode.filter(pack_id=gone.id).update(pack_id=None)
        await gone.delete()
    return rows


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
