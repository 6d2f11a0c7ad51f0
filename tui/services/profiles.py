"""A product's label profile and a material's label data: checked, then written in one transaction.

The product's side: its profile (cosmetic, candle, food, general, or none for the plain batch
label), net quantity, period after opening and rinse-off flag. The material's side: its INCI
name, the fragrance allergens its supplier declares (percent of the material) and its CLP label
elements per fragrance load, copied from the supplier's safety data sheet. The CLI, the Catalog
screen and the demo all change them here, so the same input is refused the same way everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tui.compliance import PROFILES, parse_net
from tui.compliance.clp import PICTOGRAMS, SIGNAL_WORDS
from tui.compliance.ingredients import food_allergen
from tui.errors import InvalidInput
from tui.services.catalog import clean_text, find_material, find_product
from tui.store.db import writing
from tui.store.models import Material, MaterialAllergen, MaterialClp, Product

PAO_MAX_MONTHS = 120
NO_PROFILE = ("", "none")
_UFI = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


@dataclass(frozen=True)
class LabelFields:
    """What a product's label profile needs beyond its name, SKU and shelf life."""

    profile: str | None = None
    """cosmetic, candle, food or general; None: the plain batch label."""
    net: str | None = None
    """Net quantity as printed ("100 g")."""
    pao_months: int | None = None
    rinse_off: bool = False

    @classmethod
    def of(cls, product: Product) -> LabelFields:
        return cls(product.profile, product.net, product.pao_months, product.rinse_off)


def parse_profile(text: str) -> str | None:
    cleaned = text.strip().lower()
    if cleaned in NO_PROFILE:
        return None
    if cleaned not in PROFILES:
        raise InvalidInput(
            f"profile {text.strip()!r} is not known: use one of {', '.join(PROFILES)} (or none)"
        )
    return cleaned


def parse_net_text(text: str) -> str | None:
    if not text.strip():
        return None
    try:
        return parse_net(text).text
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def parse_pao(value: int | str) -> int | None:
    text = str(value).strip().lower().removesuffix("m").strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= PAO_MAX_MONTHS:
        raise InvalidInput(
            f"period after opening {str(value).strip()!r} is not a number of months "
            f"from 1 to {PAO_MAX_MONTHS}"
        )
    return int(text)


def label_fields(
    base: LabelFields,
    *,
    profile: str | None = None,
    net: str | None = None,
    pao: int | str | None = None,
    rinse_off: bool | None = None,
) -> LabelFields:
    """`base` with what is given changed: None keeps a value, "" removes it."""
    return LabelFields(
        base.profile if profile is None else parse_profile(profile),
        base.net if net is None else parse_net_text(net),
        base.pao_months if pao is None else parse_pao(pao),
        base.rinse_off if rinse_off is None else rinse_off,
    )


async def set_label_fields(sku: str, fields: LabelFields) -> Product:
    async with writing():
        product = await find_product(sku)
        product.profile, product.net = fields.profile, fields.net
        product.pao_months, product.rinse_off = fields.pao_months, fields.rinse_off
        await product.save(update_fields=["profile", "net", "pao_months", "rinse_off"])
        return product


async def edit_label_fields(
    sku: str,
    *,
    profile: str | None = None,
    net: str | None = None,
    pao: int | str | None = None,
    rinse_off: bool | None = None,
) -> Product:
    """Change what is given of a product's label fields (`product edit --profile ...`)."""
    current = LabelFields.of(await find_product(sku))
    changed = label_fields(current, profile=profile, net=net, pao=pao, rinse_off=rinse_off)
    return await set_label_fields(sku, changed)


# Materials


def parse_percent(text: str, what: str, *, top: Decimal = Decimal(100)) -> Decimal:
    cleaned = text.strip().removesuffix("%").strip().replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not Decimal(0) < value <= top:
        raise InvalidInput(f"{what} {text.strip()!r} is not a percentage above 0 and up to {top}")
    if value != value.quantize(Decimal("0.000001")):
        raise InvalidInput(f"{what} {text.strip()!r} has more than 6 decimal places")
    return value


def parse_allergen(text: str) -> tuple[str, Decimal | None]:
    """`Linalool=2.5`: a fragrance allergen's INCI name and its percent of the material; `milk`
    (no percent): a food allergen of EU 1169/2011 Annex II."""
    name, sep, percent = text.rpartition("=")
    if not sep:
        try:
            return food_allergen(text), None
        except ValueError:
            raise InvalidInput(
                f"--allergen {text.strip()!r}: write a fragrance allergen as NAME=PERCENT (Linalool=2.5), "
                "a food allergen by its EU 1169/2011 Annex II name (milk, hazelnuts)"
            ) from None
    if not name.strip():
        raise InvalidInput(f"--allergen {text.strip()!r}: write it as NAME=PERCENT, e.g. Linalool=2.5")
    return clean_text(name, "allergen name", 128), parse_percent(percent, f"allergen {name.strip()}")


def percent_micro(value: Decimal) -> int:
    return int(value * 1_000_000)


def allergen_rows(allergens: Sequence[str]) -> list[tuple[str, int | None]]:
    """`--allergen` values checked: (name, millionths of a percent, or None for a food allergen)."""
    parsed = [parse_allergen(a) for a in allergens]
    seen = [n.casefold() for n, _ in parsed]
    if len(set(seen)) != len(seen):
        raise InvalidInput("an allergen is given twice: give each once")
    return [(n, percent_micro(p) if p is not None else None) for n, p in parsed]


async def edit_material_label(
    name: str, *, inci: str | None = None, allergens: Sequence[str] | None = None
) -> Material:
    """A material's INCI name ("" removes it) and, when given, the full new set of its allergens."""
    parsed = allergen_rows(allergens) if allergens is not None else None
    cleaned = clean_text(inci, "INCI name", 255, required=False) if inci is not None else None
    async with writing():
        material = await find_material(name)
        if cleaned is not None:
            material.inci = cleaned or None
            await material.save(update_fields=["inci"])
        if parsed is not None:
            await MaterialAllergen.filter(material_id=material.id).delete()
            for allergen, micro in parsed:
                await MaterialAllergen.create(material=material, name=allergen, percent_micro=micro)
        return material


@dataclass(frozen=True)
class ClpInput:
    """`material clp` as typed: the supplier's label elements at one load."""

    load: str
    pictograms: tuple[str, ...] = ()
    signal_word: str = ""
    hazards: tuple[str, ...] = ()
    precautions: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    ufi: str = ""


def _statements(values: Sequence[str], what: str, prefix: str) -> list[str]:
    out = []
    for value in values:
        text = clean_text(value, what, 500)
        if not re.match(rf"(?i){prefix}\d{{3}}", text):
            raise InvalidInput(f"{what} {text!r} does not start with its code ({prefix}123 ...)")
        out.append(text)
    return out


def check_clp(given: ClpInput) -> MaterialClp:
    """The row to write, checked: known pictograms, a signal word CLP uses, statements with codes."""
    load = parse_percent(given.load, "fragrance load")
    if load != load.quantize(Decimal("0.001")):
        raise InvalidInput(f"fragrance load {given.load.strip()!r} has more than 3 decimal places")
    pictograms = [p.strip().upper() for p in given.pictograms]
    for p in pictograms:
        if p not in PICTOGRAMS:
            raise InvalidInput(f"pictogram {p!r} is not a CLP pictogram: use GHS01 ... GHS09")
    signal = given.signal_word.strip().capitalize()
    if signal and signal not in SIGNAL_WORDS:
        raise InvalidInput(f"signal word {given.signal_word.strip()!r}: use Warning or Danger")
    hazards = _statements(given.hazards, "hazard statement", "(H|EUH)")
    precautions = _statements(given.precautions, "precautionary statement", "P")
    if (pictograms or signal) and not hazards:
        raise InvalidInput(
            "give the hazard statements (--hazard) that go with the pictograms and signal word"
        )
    ufi = given.ufi.strip().upper()
    if ufi and not _UFI.fullmatch(ufi):
        raise InvalidInput(f"UFI {given.ufi.strip()!r} is not written like XXXX-XXXX-XXXX-XXXX")
    return MaterialClp(
        load_milli=int(load * 1000),
        pictograms=pictograms,
        signal_word=signal,
        hazards=hazards,
        precautions=precautions,
        contains=[clean_text(c, "substance name", 128) for c in given.contains],
        ufi=ufi,
    )


async def set_material_clp(name: str, given: ClpInput) -> MaterialClp:
    """Record (or replace) a fragrance's CLP data at one load."""
    row = check_clp(given)
    async with writing():
        material = await find_material(name)
        await MaterialClp.filter(material_id=material.id, load_milli=row.load_milli).delete()
        row.material = material
        await row.save()
        return row
