"""The catalog: suppliers, customers, materials, products and their recipes, and finding them again.

Everything typed or scanned is cleaned and checked here before a row is written, so a duplicate
or a typo is reported as a sentence (with a "did you mean" when a close name exists) rather than
as a database constraint error. Lookups by name are case-insensitive: "olive oil" at the bench
is the same material as "Olive Oil" in the catalog.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TypeVar

from tortoise.models import Model

from tui.codes import units as units_table
from tui.codes.amounts import ItemUnits
from tui.codes.dates import DateOrder, read_date
from tui.codes.gtin import parse_gtin
from tui.errors import Duplicate, InvalidInput, NotFound
from tui.services.measures import Qty, density_micro, read_amount
from tui.store.db import writing
from tui.store.models import (
    Customer,
    Lot,
    Material,
    MaterialAllergen,
    MaterialPack,
    Product,
    Station,
    Supplier,
    SupplierCode,
)

UNITS = tuple(u.symbol for u in units_table.UNITS)
"""Units a material or product can be kept in (what small makers weigh, pour, count and cut)."""


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


def parse_day(value: date | str | None, what: str = "date", order: DateOrder | None = None) -> date | None:
    """A date typed as YYYY-MM-DD or YYYYMMDD, or with dots or slashes in the station's `order`
    (or already a date); None stays None."""
    if value is None or isinstance(value, date):
        return value
    return read_date(value, order, what)


HINT_CANDIDATES = 2000
"""Names compared for a "did you mean": enough for any catalog (lot codes have their own)."""

LOT_HINT_NEIGHBOURS = 20
"""Lot codes either side of a mistyped one, in code order, compared for a "did you mean"."""


async def close_hint(model: type[Model], field: str, wanted: str) -> str:
    names: list[str] = await model.all().limit(HINT_CANDIDATES).values_list(field, flat=True)  # type: ignore[assignment]
    close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.6)
    if not close:
        lowered = {n.lower(): n for n in names}
        close = [lowered[n] for n in difflib.get_close_matches(wanted.lower(), lowered, n=1)]
    return f" (did you mean {close[0]!r}?)" if close else ""


async def one_by(model: type[M], field: str, wanted: str) -> M | None:
    """Exact match first, then a unique case-insensitive one."""
    found = await model.filter(**{field: wanted}).first()
    if found is None:
        matches = await model.filter(**{f"{field}__iexact": wanted}).limit(2)
        found = matches[0] if len(matches) == 1 else None
    return found


async def _find(model: type[M], field: str, value: str, *, what: str, called: str, length: int = 128) -> M:
    """The row whose `field` is `value` (any case), or NotFound with the closest names."""
    wanted = clean_text(value, "SKU" if field == "sku" else f"{what} name", length)
    found = await one_by(model, field, wanted)
    if found is None:
        hint = await close_hint(model, field, wanted)
        raise NotFound(f"no {what} {called} {wanted!r}{hint}: add the {what} first")
    return found


async def get_station(name: str) -> Station:
    name = clean_text(name, "station name", 64)
    station, _ = await Station.get_or_create(name=name)
    return station


async def find_supplier(name: str) -> Supplier:
    return await _find(Supplier, "name", name, what="supplier", called="named")


async def find_customer(name: str) -> Customer:
    """The customer with this name (any case) or e-mail address.

    Two customers may share a name (imported orders keep buyers apart by e-mail): a name that
    more than one has is refused with their e-mails, so the maker can give the one they mean.
    """
    wanted = clean_text(name, "customer name", 254)
    if "@" in wanted:
        by_mail = await Customer.filter(email__iexact=wanted).order_by("id").first()
        if by_mail is not None:
            return by_mail
    same = await Customer.filter(name=wanted).order_by("id").limit(4)
    if not same:
        same = await Customer.filter(name__iexact=wanted).order_by("id").limit(4)
    if len(same) > 1:
        mails = ", ".join(c.email or "no e-mail" for c in same)
        raise InvalidInput(
            f"more than one customer is named {wanted!r} ({mails}): give the e-mail of the one you mean"
        )
    if not same:
        hint = await close_hint(Customer, "name", wanted)
        raise NotFound(f"no customer named {wanted!r}{hint}: add the customer first")
    return same[0]


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


_PACK_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def split_code_pack(text: str) -> tuple[str, str | None]:
    """`CODE=PACK` (the barcode on a case: `05012345678900=case`) or a plain `CODE`."""
    code, sep, pack = text.rpartition("=")
    if sep and code.strip() and _PACK_WORD.fullmatch(pack.strip()):
        return code, pack.strip().lower()
    return text, None


async def check_supplier_codes(
    codes: Iterable[str], material_id: int | None = None, units: ItemUnits | None = None
) -> list[tuple[str, str | None]]:
    """Normalised supplier codes with the pack each is on, each given once and not already
    another material's; a pack must be one of the material's (`units`)."""
    normalised: list[tuple[str, str | None]] = []
    for text in codes:
        code, word = split_code_pack(text)
        value = normalise_supplier_code(code)
        if any(value == seen for seen, _ in normalised):
            raise InvalidInput(f"supplier code {code!r} is given twice")
        owner = await SupplierCode.get_or_none(code=value).prefetch_related("material")
        if owner is not None and owner.material.id != material_id:
            raise Duplicate(f"supplier code {code!r} already belongs to {owner.material.name!r}")
        pack = None
        if word is not None:
            found = units.pack(word) if units else None
            if found is None:
                name = units.name if units else "the material"
                raise InvalidInput(
                    f"supplier code {text!r}: {name} has no pack {word!r}; add it, e.g. --pack {word}=12"
                )
            pack = found.name
        normalised.append((value, pack))
    return normalised


def check_unit(unit: str) -> str:
    """A unit symbol as stored (`g`, `fl oz`, `pcs`), from any common spelling."""
    return units_table.unit(clean_text(unit, "unit", 16)).symbol


def normalise_supplier_code(text: str) -> str:
    """A GTIN in any length is stored as GTIN-14 (so a UPC-A and its EAN-13 match); other codes as typed."""
    cleaned = clean_text(text, "supplier code", 64)
    if cleaned.isdigit() and len(cleaned) in (8, 12, 13, 14):
        return parse_gtin(cleaned).gtin14
    return cleaned


def reorder_level(units: ItemUnits, reorder: Qty | None) -> int:
    """Thousandths of the stock unit; empty means never warn."""
    if reorder is None or (isinstance(reorder, str) and not reorder.strip()):
        return 0
    return read_amount(units, reorder, "reorder level", allow_zero=True).milli


async def save_codes(
    material: Material,
    codes: Iterable[tuple[str, str | None]],
    packs: dict[str, MaterialPack],
    supplier: Supplier | None,
) -> None:
    """Create the supplier codes not there yet, and point every given one at its pack."""
    for value, pack in codes:
        row = await SupplierCode.get_or_none(code=value)
        on = packs.get(pack or "")
        if row is None:
            await SupplierCode.create(code=value, material=material, supplier=supplier, pack=on)
        else:
            row.pack = on
            await row.save(update_fields=["pack_id"])


async def add_material(
    name: str,
    unit: str,
    reorder: Qty | None = None,
    codes: Iterable[str] = (),
    supplier: str | None = None,
    *,
    density: str | Decimal | None = None,
    packs: Iterable[str] = (),
    inci: str | None = None,
    allergens: Iterable[tuple[str, int | None]] = (),
) -> Material:
    """A material, its density and packs, and the supplier codes (GTINs, item numbers; `CODE=PACK`
    for the barcode on a pack) that identify it when scanned. Checked inside the transaction, so
    two stations adding the same name at once get one material and one clear refusal.
    `inci` and `allergens` (name, millionths of a percent or None for a food allergen) are its
    label data, checked by `tui.services.profiles`."""
    async with writing():
        cleaned = await _unique_name(Material, "material", name, 128)
        units = ItemUnits.of(cleaned, check_unit(unit), density or None, packs)
        reorder_milli = reorder_level(units, reorder)
        supplier_row = None if supplier is None else await find_supplier(supplier)
        normalised = await check_supplier_codes(codes, units=units)
        material = await Material.create(
            name=cleaned,
            unit=units.unit.symbol,
            reorder_milli=reorder_milli,
            density_micro=density_micro(units.density),
            inci=clean_text(inci, "INCI name", 255, required=False) or None if inci else None,
        )
        rows = {
            p.name: await MaterialPack.create(material=material, name=p.name, size=str(p.size))
            for p in units.packs
        }
        await save_codes(material, normalised, rows, supplier_row)
        for allergen, micro in allergens:
            await MaterialAllergen.create(material=material, name=allergen, percent_micro=micro)
    return material
