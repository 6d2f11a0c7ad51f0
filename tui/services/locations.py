"""Locations: the shelves, bins and fridges lots are kept in, each with a code its label carries.

A location code is read by the scanner, so it follows the rules of our other codes: typed in any
case and kept in upper case; letters, digits, `-`, `_` and `.`; at most 32 characters; at least
one letter (a code of digits alone would be taken for a GTIN). It may not already be a lot code,
SKU, order reference or supplier code: one scan means one thing.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from tortoise.functions import Count

from tui.errors import Duplicate, InvalidInput, NotFound
from tui.services.catalog import clean_text, normalise_supplier_code
from tui.store.models import Location, Lot, Product, Sale, SupplierCode

CODE_LENGTH = 32
_CODE = re.compile(r"[A-Z0-9][A-Z0-9._-]*")


def location_code(text: str) -> str:
    """A location code as stored (upper case), or a refusal that says what a code may hold."""
    code = clean_text(text, "location code", CODE_LENGTH).upper()
    if not _CODE.fullmatch(code) or not any(c.isalpha() for c in code):
        raise InvalidInput(
            f"location code {code!r}: use letters, digits, '-', '_' and '.' with at least one "
            "letter and no spaces, e.g. SHELF-A1"
        )
    return code


def code_from_name(name: str) -> str:
    """A scannable code made from a place's name: "shelf A 2" -> SHELF-A-2, "12" -> LOC-12.

    Migration 0004 keeps a frozen copy of this rule for the free-text locations it converts.
    """
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Z0-9]+", "-", ascii_text.upper()).strip("-")[: CODE_LENGTH - 4].strip("-")
    return base if any(c.isalpha() for c in base) else f"LOC-{base}".strip("-")


def could_be_location(text: str) -> bool:
    """Whether a scan could be a location code at all (saves a lookup for GTINs and GS1)."""
    return len(text) <= CODE_LENGTH and bool(_CODE.fullmatch(text.upper())) and not text.isdigit()


async def _taken_by(code: str) -> str | None:
    if await Lot.filter(code=code).exists():
        return f"lot {code}"
    if await Product.filter(sku__iexact=code).exists():
        return f"the SKU of product {code}"
    if await Sale.filter(ref__iexact=code).exists():
        return f"order {code}"
    supplier_code = await SupplierCode.filter(code=normalise_supplier_code(code)).first()
    if supplier_code is not None:
        return f"a supplier code of {(await supplier_code.material).name}"
    return None


async def add_location(code: str, name: str | None = None) -> Location:
    """A new location; its name defaults to the code."""
    wanted = location_code(code)
    label = clean_text(name or "", "location name", 128, required=False) or wanted
    if await Location.filter(code=wanted).exists():
        raise Duplicate(f"location {wanted} already exists")
    other = await _taken_by(wanted)
    if other is not None:
        raise Duplicate(f"{wanted} is already {other}: a scan must mean one thing, choose another code")
    return await Location.create(code=wanted, name=label)


async def find_location(text: str) -> Location:
    """The location with this code (any case) or, failing that, this name (any case)."""
    wanted = clean_text(text, "location", 128)
    found = await Location.get_or_none(code=wanted.upper())
    if found is None:
        same_name = await Location.filter(name__iexact=wanted).limit(2)
        found = same_name[0] if len(same_name) == 1 else None
    if found is None:
        codes: list[str] = await Location.all().values_list("code", flat=True)  # type: ignore[assignment]
        close = difflib.get_close_matches(wanted.upper(), codes, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        example = code_from_name(wanted)
        named = "" if example == wanted.upper() else f' --name "{wanted}"'
        raise NotFound(
            f"no location {wanted!r}{hint}: add it first, e.g. lotkeeper location add {example}{named}"
        )
    return found


async def location_for(text: str) -> tuple[Location, bool]:
    """The location a spreadsheet names (by code or name), added when there is none yet: a
    maker's starting stock lists the places it is kept, as it lists its suppliers. True when added."""
    wanted = clean_text(text, "location", 128)
    found = await Location.get_or_none(code=wanted.upper()) or await Location.get_or_none(name__iexact=wanted)
    if found is not None:
        return found, False
    base = code_from_name(wanted)
    code, n = base, 1
    while await Location.filter(code=code).exists() or await _taken_by(code) is not None:
        n += 1
        code = f"{base}-{n}"
    return await Location.create(code=code, name=wanted), True


@dataclass(frozen=True)
class LocationRow:
    code: str
    name: str
    lots: int
    """Lots kept there with something on hand."""


async def list_locations() -> list[LocationRow]:
    counts = dict(
        await Lot.filter(on_hand_milli__gt=0, location_id__isnull=False)
        .annotate(n=Count("id"))
        .group_by("location_id")
        .values_list("location_id", "n")
    )
    return [
        LocationRow(loc.code, loc.name, int(counts.get(loc.id, 0)))
        for loc in await Location.all().order_by("code")
    ]
