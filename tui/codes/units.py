"""Units of measure and exact conversions between them.

A small table instead of a units library: pint works in floats unless given a Decimal registry,
costs start-up time on a Raspberry Pi, and a maker's stockroom needs a dozen units, not physics.
Factors are exact decimals (the international yard and pound agreement of 1959 defines the ounce
and the pound; the US fluid ounce is 1/128 of 231 cubic inches), and conversions are done on
`Fraction`s, so nothing is lost until the one documented rounding in `tui.codes.amounts`.

"fl oz" is always the **US** fluid ounce (29.5735295625 ml); an "oz" is always the avoirdupois
ounce of mass (28.349523125 g), never a fluid ounce.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction

from tui.errors import InvalidInput


class Dimension(Enum):
    MASS = "mass"
    VOLUME = "volume"
    COUNT = "count"
    LENGTH = "length"

    @property
    def noun(self) -> str:
        """What a maker gives when asked for this dimension: "give a weight"."""
        return _NOUNS[self]


_NOUNS = {
    Dimension.MASS: "a weight",
    Dimension.VOLUME: "a volume",
    Dimension.COUNT: "a number of pieces",
    Dimension.LENGTH: "a length",
}


@dataclass(frozen=True)
class Unit:
    symbol: str
    """How Lotkeeper writes and stores it: `g`, `kg`, `fl oz`, `pcs`."""
    dimension: Dimension
    factor: Decimal
    """Size in the dimension's base unit (g, ml, pcs, m), exactly."""
    plural: str
    """The unit's name in a sentence: "set its density to use grams"."""

    def __str__(self) -> str:
        return self.symbol


def _u(symbol: str, dimension: Dimension, factor: str, plural: str) -> Unit:
    return Unit(symbol, dimension, Decimal(factor), plural)


UNITS: tuple[Unit, ...] = (
    _u("mg", Dimension.MASS, "0.001", "milligrams"),
    _u("g", Dimension.MASS, "1", "grams"),
    _u("kg", Dimension.MASS, "1000", "kilograms"),
    _u("oz", Dimension.MASS, "28.349523125", "ounces"),
    _u("lb", Dimension.MASS, "453.59237", "pounds"),
    _u("ml", Dimension.VOLUME, "1", "millilitres"),
    _u("l", Dimension.VOLUME, "1000", "litres"),
    _u("fl oz", Dimension.VOLUME, "29.5735295625", "US fluid ounces"),
    _u("pcs", Dimension.COUNT, "1", "pieces"),
    _u("mm", Dimension.LENGTH, "0.001", "millimetres"),
    _u("cm", Dimension.LENGTH, "0.01", "centimetres"),
    _u("m", Dimension.LENGTH, "1", "metres"),
)
"""Every unit an item can be kept in or a quantity typed in, in the order help texts list them."""

BY_SYMBOL: dict[str, Unit] = {unit.symbol: unit for unit in UNITS}

_ALIASES: dict[str, str] = {
    "milligram": "mg",
    "milligrams": "mg",
    "gram": "g",
    "grams": "g",
    "kilo": "kg",
    "kilos": "kg",
    "kilogram": "kg",
    "kilograms": "kg",
    "kgs": "kg",
    "ounce": "oz",
    "ounces": "oz",
    "pound": "lb",
    "pounds": "lb",
    "lbs": "lb",
    "millilitre": "ml",
    "millilitres": "ml",
    "milliliter": "ml",
    "milliliters": "ml",
    "litre": "l",
    "litres": "l",
    "liter": "l",
    "liters": "l",
    "ltr": "l",
    "floz": "fl oz",
    "fl.oz": "fl oz",
    "fl. oz": "fl oz",
    "fl oz us": "fl oz",
    "us fl oz": "fl oz",
    "fluid ounce": "fl oz",
    "fluid ounces": "fl oz",
    "pc": "pcs",
    "piece": "pcs",
    "pieces": "pcs",
    "ea": "pcs",
    "each": "pcs",
    "millimetre": "mm",
    "millimetres": "mm",
    "centimetre": "cm",
    "centimetres": "cm",
    "metre": "m",
    "metres": "m",
    "meter": "m",
    "meters": "m",
}

_SPACES = re.compile(r"\s+")


def find_unit(text: str) -> Unit | None:
    """The unit a maker (or a scale) wrote, in any case and common spelling; None when unknown."""
    key = _SPACES.sub(" ", text.strip().lower().rstrip("."))
    return BY_SYMBOL.get(key) or BY_SYMBOL.get(_ALIASES.get(key, ""))


def known_units(dimension: Dimension | None = None) -> str:
    """The units to list in an error or a help text: "g, kg, mg, oz, lb"."""
    return ", ".join(u.symbol for u in UNITS if dimension in (None, u.dimension))


def unit(text: str) -> Unit:
    """An item's unit as configured (`material add --unit`), or a clear refusal."""
    found = find_unit(text)
    if found is None:
        raise InvalidInput(
            f"unit {text!r} is not known: use one of {known_units()} (fl oz is the US fluid ounce)"
        )
    return found


def convert(value: Fraction, source: Unit, target: Unit, density: Decimal | None = None) -> Fraction:
    """`value` in `source` expressed exactly in `target`.

    Mass and volume convert through `density` (grams per millilitre). Raises `InvalidInput` when
    the two cannot be converted; callers that know the item word it for the maker
    (`tui.codes.amounts`).
    """
    base = value * Fraction(source.factor)
    if source.dimension is not target.dimension:
        by_density = {source.dimension, target.dimension} == {Dimension.MASS, Dimension.VOLUME}
        if not by_density or density is None:
            need = " without a density (g per ml)" if by_density else ""
            raise InvalidInput(f"{source.plural} cannot be converted to {target.plural}{need}")
        grams_per_ml = Fraction(density)
        base = base * grams_per_ml if source.dimension is Dimension.VOLUME else base / grams_per_ml
    return base / Fraction(target.factor)


@dataclass(frozen=True)
class Quantity:
    """An exact amount in a unit: what a scale reads, what a pack holds."""

    value: Decimal
    unit: Unit

    def __str__(self) -> str:
        return f"{format_decimal(self.value)} {self.unit}"

    def to(self, target: Unit, density: Decimal | None = None) -> Fraction:
        return convert(Fraction(self.value), self.unit, target, density)


def format_decimal(value: Decimal | Fraction, places: int = 9) -> str:
    """A number as people write it: no exponent, no trailing zeros. A `Fraction` that does not end
    within `places` decimals is shown rounded to them with a trailing "…"."""
    if isinstance(value, Fraction):
        scaled = value * 10**places
        if scaled.denominator != 1:
            shown = Decimal(round(scaled)).scaleb(-places)
            return format_decimal(shown, places) + "…"
        value = Decimal(scaled.numerator).scaleb(-places)
    if value == 0:
        return "0"
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
