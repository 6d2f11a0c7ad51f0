"""The catalog: suppliers, customers, materials, products and their recipes, and finding them again.

Everything typed or scanned is cleaned and checked here before a row is written, so a duplicate
or a typo is reported as a sentence (with a "did you mean" when a close name exists) rather than
as a database constraint error. Lookups by name are case-insensitive: "olive oil" at the bench
is the same material as "Olive Oil" in the catalog.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import TypeVar

from tortoise.models import Model

from tui.codes.gtin import parse_gtin
from tui.codes.sku import normalise_sku
from tui.config import CodesConfig
from tui.errors import Duplicate, InvalidInput, NotFound
from tui.store.db import writing
from tui.store.models import (
    Customer,
    Lot,
    Material,
    Product,
    RecipeLine,
    Station,
    Supplier,
    SupplierCode,
)
from tui.store.quantities import to_milli

UNITS = ("g", "kg", "mg", "ml", "l", "pcs", "m", "cm", "oz", "lb")
"""Units a material or product can be counted in (what small makers weigh, pour and count)."""


M = TypeVar("M", bound=Model)


def _as_bytes(raw: str) -> str:
    """Text holding bytes that were not UTF-8 (lone surrogates), shown as those bytes."""
    try:
        return repr(raw.encode("utf-8", "surrogateescape"))[1:]
    except UnicodeEncodeError:  # a surrogate that stands for no byte
        return ascii(raw)


def clean_text(text: str, what: str, max_length: int, *, required: bool = True) -> str:
    """Trim and check a name or code, typed, scanned or pasted: the one rule for all of them.

    Invisible format characters go (zero-width spaces and joiners, bidi controls, soft hyphens:
    "Acme" and "Acme" with a zero-width space look alike, so they must be the same name); Unicode
    is normalised (an accent typed as one character or as two is the same); runs of spaces become
    one. Control characters (stray scanner bytes, NUL) and bytes that are not text are refused.
    """
    raw = str(text)
    if any(unicodedata.category(ch) == "Cs" for ch in raw):
        raise InvalidInput(
            f"{what} {_as_bytes(raw)} is not UTF-8 text: set the terminal (or the file) to UTF-8 "
            "and type it again"
        )
    visible = "".join(ch for ch in raw if unicodedata.category(ch) != "Cf")
    cleaned = " ".join(unicodedata.normalize("NFC", visible).split())
    if not cleaned:
        if required:
            raise InvalidInput(f"{what} is empty: type a {what}")
        return ""
    if any(unicodedata.category(ch) == "Cc" for ch in cleaned):
        raise InvalidInput(f"{what} {cleaned!r} contains control characters: retype it")
    if len(cleaned) > max_length:
        raise InvalidInput(f"{what} is too long ({len(cleaned)} characters, at most {max_length})")
    return cleaned


def parse_day(value: date | str | None, what: str = "date") -> date | None:
    """A date typed as YYYY-MM-DD (or already a date); None stays None."""
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{what} {value!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-03-31"
        ) from None


HINT_CANDIDATES = 2000
"""Names compared for a "did you mean": enough for any catalog (lot codes have their own)."""

LOT_HINT_NEIGHBOURS = 20
"""Lot codes either side of a mistyped one, in code order, compared for a "did you mean"."""


async def _hint(model: type[Model], field: str, wanted: str) -> str:
    names: list[str] = await model.all().limit(HINT_CANDIDATES).values_list(field, flat=True)  # type: ignore[assignment]
    close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.6)
    if not close:
        lowered = {n.lower(): n for n in names}
        close = [lowered[n] for n in difflib.get_close_matches(wanted.lower(), lowered, n=1)]
    return f" (did you mean {close[0]!r}?)" if close else ""


async def _one(model: type[M], field: str, wanted: str) -> M | None:
    """Exact match first, then a unique case-insensitive one."""
    found = await model.filter(**{field: wanted}).first()
    if found is None:
        matches = await model.filter(**{f"{field}__iexact": wanted}).limit(2)
        found = matches[0] if len(matches) == 1 else None
    return found


async def _find(model: type[M], field: str, value: str, *, what: str, called: str, length: int = 128) -> M:
    """The row whose `field` is `value` (any case), or NotFound with the closest names."""
    wanted = clean_text(value, "SKU" if field == "sku" else f"{what} name", length)
    found = await _one(model, field, wanted)
    if found is None:
        hint = await _hint(model, field, wanted)
        raise NotFound(f"no {what} {called} {wanted!r}{hint}: add the {what} first")
    return found


async def get_station(name: str) -> Station:
    name = clean_text(name, "station name", 64)
    station, _ = await Station.get_or_create(name=name)
    return station


async def find_supplier(name: str) -> Supplier:
    return await _find(Supplier, "name", name, what="supplier", called="named")


async def find_customer(name: str) -> Customer:
    return await _find(Customer, "name", name, what="customer", called="named")


async def find_material(name: str) -> Material:
    return await _find(Material, "name", name, what="material", called="named")


async def find_product(sku: str) -> Product:
    return await _find(Product, "sku", sku, what="product", called="with SKU", length=64)


async def find_lot(code: str, *, lock: bool = False) -> Lot:
    """The lot with this code; `lock` (inside a transaction) re-reads it locked on PostgreSQL, so
    the on-hand a change is computed from is the current one.

    Lot codes are made in upper case (tui/codes/lotcode.py), so a code typed in lower case is
    looked up upper-cased: a found code and an unknown one each cost a few index reads, however
    many years of lots the store holds.
    """
    wanted = clean_text(code, "lot code", 64)
    found = await Lot.get_or_none(code=wanted)
    if found is None and wanted.upper() != wanted:
        found = await Lot.get_or_none(code=wanted.upper())
    if found is None:
        hint = await _lot_hint(wanted.upper())
        raise NotFound(f"no lot with code {wanted!r}{hint}: check the label or scan it again")
    return await Lot.filter(id=found.id).select_for_update().get() if lock else found


async def _lot_hint(wanted: str) -> str:
    """A close code among those that sort just before and after `wanted`: two index range reads.
    A slip late in a code (a digit of the date or the sequence, the usual kind) lands next to
    the code meant."""
    after = Lot.filter(code__gte=wanted).order_by("code")
    before = Lot.filter(code__lt=wanted).order_by("-code")
    near = [
        code
        for q in (after, before)
        for code in await q.limit(LOT_HINT_NEIGHBOURS).values_list("code", flat=True)
    ]
    close = difflib.get_close_matches(wanted, near, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


async def _unique_name(model: type[Model], what: str, name: str, max_length: int) -> str:
    cleaned = clean_text(name, f"{what} name", max_length)
    if await model.filter(name__iexact=cleaned).exists():
        raise Duplicate(f"a {what} named {cleaned!r} already exists")
    return cleaned


async def add_supplier(name: str) -> Supplier:
    """A supplier; the name is checked inside the transaction that adds it (two stations adding
    the same name at once: the second is told, as if it had come later)."""
    async with writing():
        return await Supplier.create(name=await _unique_name(Supplier, "supplier", name, 128))


async def add_customer(
    name: str, email: str | None = None, phone: str | None = None, address: str | None = None
) -> Customer:
    """A customer with what a recall needs to reach them (email, phone, postal address)."""
    mail = parse_email(email)
    tel = clean_text(phone or "", "phone", 64, required=False) or None
    lines = [clean_text(line, "address", 200, required=False) for line in (address or "").splitlines()]
    postal = "\n".join(line for line in lines if line) or None
    async with writing():
        cleaned = await _unique_name(Customer, "customer", name, 128)
        return await Customer.create(name=cleaned, email=mail, phone=tel, address=postal)


def parse_shelf_life(value: int | str | None) -> int | None:
    """Days from made to best-before; empty means the product does not go off."""
    if value is None or not str(value).strip():
        return None
    try:
        days = int(str(value).strip())
    except ValueError:
        raise InvalidInput(f"shelf life {value!r} is not a whole number of days") from None
    if days <= 0:
        raise InvalidInput("shelf life must be at least 1 day")
    return days


def parse_email(value: str | None) -> str | None:
    mail = clean_text(value or "", "email", 254, required=False) or None
    if mail is not None and ("@" not in mail or " " in mail):
        raise InvalidInput(f"email {mail!r} does not look like an address (name@example.com)")
    return mail


async def check_supplier_codes(codes: Iterable[str], material_id: int | None = None) -> list[str]:
    """Normalised supplier codes, each given once and not already another material's."""
    normalised: list[str] = []
    for code in codes:
        value = normalise_supplier_code(code)
        if value in normalised:
            raise InvalidInput(f"supplier code {code!r} is given twice")
        owner = await SupplierCode.get_or_none(code=value).prefetch_related("material")
        if owner is not None and owner.material.id != material_id:
            raise Duplicate(f"supplier code {code!r} already belongs to {owner.material.name!r}")
        normalised.append(value)
    return normalised


def check_unit(unit: str) -> str:
    cleaned = clean_text(unit, "unit", 8).lower()
    if cleaned not in UNITS:
        raise InvalidInput(f"unit {unit!r} is not known: use one of {', '.join(UNITS)}")
    return cleaned


def normalise_supplier_code(text: str) -> str:
    """A GTIN in any length is stored as GTIN-14 (so a UPC-A and its EAN-13 match); other codes as typed."""
    cleaned = clean_text(text, "supplier code", 64)
    if cleaned.isdigit() and len(cleaned) in (8, 12, 13, 14):
        return parse_gtin(cleaned).gtin14
    return cleaned


async def add_material(
    name: str,
    unit: str,
    reorder: str | Decimal | int | None = None,
    codes: Iterable[str] = (),
    supplier: str | None = None,
) -> Material:
    """A material and the supplier codes (GTINs, item numbers) that identify it when scanned."""
    async with writing():
        cleaned = await _unique_name(Material, "material", name, 128)
        unit = check_unit(unit)
        reorder_milli = 0 if reorder is None else to_milli(reorder, "reorder level", allow_zero=True)
        supplier_row = None if supplier is None else await find_supplier(supplier)
        normalised = await check_supplier_codes(codes)
        material = await Material.create(name=cleaned, unit=unit, reorder_milli=reorder_milli)
        for value in normalised:
            await SupplierCode.create(code=value, material=material, supplier=supplier_row)
    return material


async def recipe_item(item: str) -> Material | Product:
    """ITEM of a recipe line: a material name, else a product SKU (an intermediate product)."""
    wanted = clean_text(item, "recipe item", 128)
    material = await _one(Material, "name", wanted)
    if isinstance(material, Material):
        return material
    product = await _one(Product, "sku", wanted)
    if isinstance(product, Product):
        return product
    hint = await _hint(Material, "name", wanted) or await _hint(Product, "sku", wanted)
    raise NotFound(f"recipe item {wanted!r} is neither a material name nor a product SKU{hint}")


async def add_product(
    name: str,
    sku: str,
    *,
    codes: CodesConfig,
    gtin: str | None = None,
    shelf_life_days: int | str | None = None,
    recipe: Sequence[tuple[str, str | Decimal | int]] = (),
    unit: str = "pcs",
) -> Product:
    """A product line with its recipe (per unit made); the SKU follows the configured pattern."""
    async with writing():
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
        unit = check_unit(unit)
        lines: list[tuple[Material | Product, int]] = []
        for item, qty in recipe:
            target = await recipe_item(item)
            if any(type(t) is type(target) and t.id == target.id for t, _ in lines):
                raise InvalidInput(f"recipe item {item!r} is listed twice: give it once with the total")
            lines.append((target, to_milli(qty, f"recipe quantity of {item}")))
        product = await Product.create(
            name=cleaned, sku=sku_value, gtin=gtin14, unit=unit, shelf_life_days=days
        )
        for target, qty_milli in lines:
            if isinstance(target, Material):
                await RecipeLine.create(product=product, material=target, qty_milli=qty_milli)
            else:
                await RecipeLine.create(product=product, component=target, qty_milli=qty_milli)
        return product
