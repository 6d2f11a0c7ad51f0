"""What the label rules read (maker, product, recipe, batch) and what they decide (fields, symbols,
barcodes, what is missing), as frozen dataclasses.

The inputs are exactly what the store keeps per maker, product, material and lot, so the same
description comes out of the CLI, the app and a stored print job. Quantities are `Decimal`:
a recipe's 0.3 g of cedarwood oil must not become 0.30000000000000004.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Literal, cast

Profile = Literal["cosmetic", "candle", "food", "general"]
PROFILES: tuple[Profile, ...] = ("cosmetic", "candle", "food", "general")

FIELD_NAMES = (
    "product",
    "lot",
    "net",
    "best_before",
    "use_by",
    "pao",
    "maker",
    "address",
    "email",
    "phone",
    "ingredients",
    "allergens",
    "warnings",
    "signal_word",
    "hazards",
    "ufi",
)
"""Every field a label can carry, in reading order (`phone`: CLP Art. 17(1)(a), candles with a
hazard block)."""


@dataclass(frozen=True)
class Maker:
    """Who answers for the product: the EU/UK cosmetics "responsible person", the food business
    operator, the GPSR manufacturer, the CLP supplier. Set in the config's `[maker]` table."""

    name: str = ""
    address: str = ""
    """Postal address as printed, e.g. "12 Mill Lane, Bath BA1 1AA, UK"."""
    email: str = ""
    """Electronic address (GPSR 2023/988 Art. 9(6)): an e-mail address or a contact web page."""
    phone: str = ""
    """Telephone number (CLP 1272/2008 Art. 17(1)(a)): needed on a candle's hazard label."""


@dataclass(frozen=True)
class NetQuantity:
    amount: Decimal
    unit: Literal["g", "kg", "ml", "l"]

    @property
    def text(self) -> str:
        amount = format(self.amount.normalize(), "f")
        return f"{amount} {self.unit}"

    @property
    def grams_or_ml(self) -> Decimal:
        return self.amount * 1000 if self.unit in ("kg", "l") else self.amount


_NET = re.compile(r"\s*(\d+(?:[.,]\d{1,3})?)\s*(g|kg|ml|l)\s*", re.IGNORECASE)


def parse_net(text: str) -> NetQuantity:
    """ "100g", "0.5 kg", "250 ml", "1,5 l": a positive amount of grams, kilograms, millilitres or litres."""
    match = _NET.fullmatch(text)
    amount = None
    if match:
        try:
            amount = Decimal(match.group(1).replace(",", "."))
        except InvalidOperation:
            amount = None
    if match is None or amount is None or amount <= 0:
        raise ValueError(f"{text!r} is not a net quantity: write it like 100g, 0.5kg, 250ml or 1l")
    unit = cast(Literal["g", "kg", "ml", "l"], match.group(2).lower())
    return NetQuantity(amount, unit)


@dataclass(frozen=True)
class Allergen:
    """A fragrance allergen in a material, as its supplier declares it (IFRA/allergen statement)."""

    inci: str
    """Its name as EU 1223/2009 Annex III lists it: "Linalool", "Limonene", "Citral"."""
    percent: Decimal
    """Share of the material by weight, in percent."""


@dataclass(frozen=True)
class ClpData:
    """A fragrance's CLP label elements for a candle at one fragrance load, copied from the
    supplier's safety data sheet or CLP statement. Lotkeeper never classifies a mixture itself."""

    load: Decimal
    """Fragrance share of the candle, in percent, that this data was worked out for."""
    pictograms: tuple[str, ...] = ()
    """"GHS01" ... "GHS09"."""
    signal_word: str = ""
    """"Warning" or "Danger"; empty when the data says none."""
    hazards: tuple[str, ...] = ()
    """Hazard statements in full, EUH statements included: "H317 May cause an allergic skin reaction."."""
    precautions: tuple[str, ...] = ()
    """Precautionary statements in full: "P280 Wear protective gloves."."""
    contains: tuple[str, ...] = ()
    """Substances the label must name (CLP Art. 18(3)(b)): "Contains linalool, citral"."""
    ufi: str = ""
    """Unique formula identifier, where the supplier gives one (CLP Annex VIII)."""

    @property
    def hazardous(self) -> bool:
        return bool(self.pictograms or self.signal_word or self.hazards)


@dataclass(frozen=True)
class Component:
    """One material as it goes into one unit of the product. An intermediate product (a fragrance
    blend) is given as its own materials, scaled to the amount the recipe uses."""

    material: str
    """Our name for it, used in messages: "Olive oil"."""
    weight: Decimal
    """Amount per unit made, in one mass unit shared by every component. Packaging (jars, wicks,
    labels) is not a component."""
    inci: str = ""
    """Name in the ingredient list: the INCI name for cosmetics ("Olea Europaea Fruit Oil",
    "Parfum"); for food the ingredient's name (empty: the material's name)."""
    allergens: tuple[Allergen, ...] = ()
    """Cosmetics: fragrance allergens in this material."""
    food_allergens: tuple[str, ...] = ()
    """Food: EU 1169/2011 Annex II allergens this ingredient contains ("milk", "hazelnuts")."""
    fragrance: bool = False
    """A fragrance oil or essential oil: a candle's CLP block comes from its `clp` data."""
    clp: tuple[ClpData, ...] = ()
    """CLP data at each fragrance load the supplier has stated."""


@dataclass(frozen=True)
class ProductInfo:
    sku: str
    name: str
    profile: Profile
    components: tuple[Component, ...] = ()
    net: NetQuantity | None = None
    pao_months: int | None = None
    """Cosmetics: period after opening, printed in the open-jar symbol when the shelf life is
    over 30 months."""
    rinse_off: bool = False
    """Cosmetics washed off after use (soap, shampoo): allergens are named above 0.01 % instead
    of 0.001 %."""
    warnings: tuple[str, ...] = ()
    """Precautions for use (cosmetics), safety information (general goods)."""
    use_by: bool = False
    """Food that is highly perishable microbiologically: a "Use by" date, not "Best before"."""
    storage: str = ""
    """Food: storage conditions ("Keep refrigerated at 0-5 °C"); required with a use-by date."""
    month_only: bool = False
    """Food kept over 3 months: "Best before end MM/YYYY" instead of the day."""
    largest_surface_cm2: int | None = None
    """Food: area of the pack's largest side; under 80 cm2 the text may be smaller."""
    gtin: str | None = None


@dataclass(frozen=True)
class BatchInfo:
    lot: str
    made: date
    best_before: date | None = None
    """The lot's date: made + the product's shelf life."""
    link: str | None = None
    """GS1 Digital Link URI for the QR; None: the QR holds the lot code."""


@dataclass(frozen=True)
class Barcode:
    kind: Literal["qr", "code128", "ean13", "upca", "gs1_datamatrix"]
    data: str
    """What a scanner reads: the text, the digits, or the GS1 element string in HRI form."""


@dataclass(frozen=True)
class Missing:
    field: str
    message: str
    """What to do, for the person at the bench."""


@dataclass(frozen=True)
class SizeRule:
    """The smallest a field may print, and the rule that says so."""

    x_height_mm: float = 0.0
    figures_mm: float = 0.0
    """Height of the figures of the net quantity."""
    symbol_mm: float = 0.0
    """Side of a symbol (or of a pictogram's diamond)."""
    basis: str = ""


@dataclass(frozen=True)
class LabelContent:
    """What a profile says a batch label must carry; the label template lays it out."""

    profile: Profile
    fields: dict[str, str]
    symbols: tuple[str, ...]
    barcodes: tuple[Barcode, ...]
    missing: tuple[Missing, ...] = ()
    optional: tuple[str, ...] = ()
    """Fields printed because they are known, though the profile does not ask for them."""
    notices: tuple[str, ...] = ()
    """Worth knowing, not a reason to refuse (which CLP data was used, a tape smaller than 52 x 74 mm)."""
    emphasis: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    """Spans of a field's text to print in bold (food allergens in the ingredients)."""
    sizes: dict[str, SizeRule] = field(default_factory=dict)
    """Minimum size per field and per symbol."""
    pao_months: int | None = None
    """The number printed inside the open-jar symbol."""
