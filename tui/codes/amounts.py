"""Quantities as makers type them, read against one item: `2.5kg`, `300 g`, `12 pcs`, `3case`, `250`.

Every quantity the CLI or a screen takes goes through `ItemUnits.read`, which knows the item's
stock unit, its density and its packs, and returns the exact integer thousandths the store
writes. The rules, in the order they apply:

- A bare number is in the item's own (stock) unit and, as before units existed, may have at most
  3 decimals: nothing typed in the stock unit is ever changed.
- A number with a unit of the same dimension (`2.5kg` for an item kept in g) is converted
  exactly; mass and volume convert through the item's density (g per ml). Anything else is
  refused with a sentence naming the item and what to give instead.
- A pack name (`3case`, `2 drums`) is that many of the pack's size, converted the same way.
- The exact result is rounded **once, half to even, to a thousandth of the stock unit**, and the
  returned `Amount` says so (`rounded`, `describe()`), so a screen or the CLI can show
  "1 oz = 28.35 g (rounded from 28.349523125 g)". A thousandth of a gram or millilitre is far
  below what a bench scale shows; a quantity that would round to nothing is refused.
- Items counted in pieces take whole numbers only, whatever unit or pack they were given in.

A comma is read as a decimal point ("1,5"), except where it could be a thousands separator
("1,500" is refused as ambiguous: it would otherwise be received as 1.5).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from tui.codes.units import (
    Dimension,
    Quantity,
    Unit,
    convert,
    find_unit,
    format_decimal,
    known_units,
    unit,
)
from tui.errors import InvalidInput

MAX_MILLI = 10**15
"""Largest quantity the store takes, in thousandths (as `tui.store.quantities.to_milli`)."""
MAX_DENSITY = Decimal(25)
"""Grams per millilitre; the densest element is about 22.6, so more is a typo (kg/m³ typed)."""
DENSITY_PLACES = 6

_AMOUNT = re.compile(r"\s*(?P<num>[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+))\s*(?P<rest>.*?)\s*", re.DOTALL)
_THOUSANDS = re.compile(r"[+-]?\d{1,3},\d{3}")
_PACK_NAME = re.compile(r"[a-z][a-z0-9_-]{0,15}")
_DENSITY_UNITS = ("", "g/ml", "g/cm3", "g/cm³", "kg/l", "g per ml")


def split_amount(text: str, what: str = "quantity") -> tuple[Decimal, str]:
    """The number and whatever follows it (a unit or pack name, possibly empty)."""
    match = _AMOUNT.fullmatch(text)
    if match is None or any(c.isdigit() for c in match["rest"]):
        raise InvalidInput(f"{what} {text!r} is not a number: type digits, e.g. 250 or 1.5 kg")
    number = match["num"]
    if _THOUSANDS.fullmatch(number):
        whole = number.replace(",", "")
        decimal = format_decimal(Decimal(number.replace(",", ".")))
        raise InvalidInput(f"{what} {text!r} is ambiguous: write {whole} or {decimal}, without a comma")
    try:
        value = Decimal(number.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits and one separator
        raise InvalidInput(f"{what} {text!r} is not a number") from None
    return value, match["rest"]


def parse_density(text: str | Decimal) -> Decimal:
    """Grams per millilitre (the same number as g/cm³ or kg/l), e.g. 0.91 for olive oil."""
    if isinstance(text, Decimal):
        value, rest = text, ""
    else:
        value, rest = split_amount(text, "density")
    if rest.lower() not in _DENSITY_UNITS:
        raise InvalidInput(f"density {text!r}: give grams per millilitre, e.g. 0.91 (water is 1)")
    if not value.is_finite() or value <= 0:
        raise InvalidInput(f"density {text} must be more than zero (grams per millilitre; water is 1)")
    if value > MAX_DENSITY:
        raise InvalidInput(
            f"density {text} g/ml is not plausible: give grams per millilitre, e.g. 0.91 for olive oil "
            "(water is 1; 910 would be kg per cubic metre)"
        )
    if value != value.quantize(Decimal(1).scaleb(-DENSITY_PLACES)):
        raise InvalidInput(f"density {text} has more than {DENSITY_PLACES} decimal places")
    return value


@dataclass(frozen=True)
class Pack:
    """A named multiple an item is bought or counted in: `case=12` jars, `drum=25kg` of oil."""

    name: str
    """Lower case; also matched with a plural s/es (`3 cases`, `2 boxes`)."""
    size: Quantity
    """In any unit of the item's dimension."""

    @property
    def spec(self) -> str:
        """How it is written and stored: `case=12 pcs`; `parse_pack` reads it back."""
        return f"{self.name}={self.size}"

    def __str__(self) -> str:
        return f"{self.name} ({self.size})"


def parse_pack(text: str, stock: Unit) -> Pack:
    """`NAME=SIZE` for an item kept in `stock`; SIZE is bare (the stock unit) or has a unit."""
    name, sep, size_text = text.partition("=")
    name = name.strip().lower()
    if not sep or not name or not size_text.strip():
        raise InvalidInput(f"pack {text!r}: write NAME=SIZE, e.g. case=12 or drum=25kg")
    if not _PACK_NAME.fullmatch(name):
        raise InvalidInput(
            f"pack name {name!r}: use a short word of letters (digits, - and _ may follow), e.g. case"
        )
    if find_unit(name) is not None:
        raise InvalidInput(f"pack name {name!r} is a unit; choose another word, e.g. case, box, drum")
    value, unit_text = split_amount(size_text, f"size of pack {name!r}")
    size_unit = stock if not unit_text else find_unit(unit_text)
    if size_unit is None or size_unit.dimension is not stock.dimension:
        raise InvalidInput(
            f"pack {text!r}: give its size as {stock.dimension.noun} ({known_units(stock.dimension)}), "
            f"e.g. {name}=12"
        )
    exact = convert(Fraction(value), size_unit, stock)
    if exact * 1000 < 1:
        raise InvalidInput(f"pack {text!r}: its size must be at least 0.001 {stock}")
    if stock.dimension is Dimension.COUNT and exact.denominator != 1:
        raise InvalidInput(f"pack {text!r}: a pack of pieces holds a whole number of them")
    return Pack(name, Quantity(value, size_unit))


@dataclass(frozen=True)
class Amount:
    """A quantity read against an item: what the store writes and how it was reached."""

    text: str
    """As typed (or read from a scale), for messages."""
    value: Decimal
    """The number given, in `given`."""
    given: str
    """The unit or pack name as understood (`kg`, `case`); empty for a bare number."""
    unit: Unit
    """The item's stock unit."""
    milli: int
    """Thousandths of `unit`: what the store writes."""
    exact: Fraction
    """The exact value in `unit` before the one rounding."""

    @property
    def qty(self) -> Decimal:
        return Decimal(self.milli).scaleb(-3)

    @property
    def quantity(self) -> Quantity:
        return Quantity(self.qty, self.unit)

    @property
    def rounded(self) -> bool:
        return self.exact * 1000 != self.milli

    def describe(self) -> str:
        """`36 pcs`, `3 case = 36 pcs`, `1 oz = 28.35 g (rounded from 28.349523125 g)`."""
        stock = f"{format_decimal(self.qty)} {self.unit}"
        if not self.given or self.given == self.unit.symbol:
            return stock
        text = f"{format_decimal(self.value)} {self.given} = {stock}"
        if self.rounded:
            text += f" (rounded from {format_decimal(self.exact, 12)} {self.unit})"
        return text


@dataclass(frozen=True)
class ItemUnits:
    """What a material or product is measured in: its stock unit, density and packs."""

    name: str
    """The item's name, for messages ("Lavender oil is measured in ml; ...")."""
    unit: Unit
    density: Decimal | None = None
    """Grams per millilitre, letting a mass item take volumes and a volume item take weights."""
    packs: tuple[Pack, ...] = ()

    @classmethod
    def of(
        cls,
        name: str,
        stock_unit: str | Unit,
        density: str | Decimal | None = None,
        packs: Iterable[str | Pack] = (),
    ) -> ItemUnits:
        """Build and check an item's units from what was typed or stored."""
        stock = stock_unit if isinstance(stock_unit, Unit) else unit(stock_unit)
        dens = None if density is None or density == "" else parse_density(density)
        if dens is not None and stock.dimension not in (Dimension.MASS, Dimension.VOLUME):
            raise InvalidInput(f"{name} is measured in {stock}: only weights and volumes have a density")
        built: list[Pack] = []
        for spec in packs:
            pack = spec if isinstance(spec, Pack) else parse_pack(spec, stock)
            if pack.size.unit.dimension is not stock.dimension:
                raise InvalidInput(f"pack {pack.spec}: {name} is measured in {stock}")
            if any(p.name == pack.name for p in built):
                raise InvalidInput(f"pack {pack.name!r} is given twice for {name}")
            built.append(pack)
        return cls(name, stock, dens, tuple(built))

    def pack(self, word: str) -> Pack | None:
        """The pack a word names, allowing a plural (`cases`, `boxes`)."""
        key = word.strip().lower()
        for candidate in (key, key[:-1] if key.endswith("s") else "", key[:-2] if key.endswith("es") else ""):
            for pack in self.packs:
                if candidate and pack.name == candidate:
                    return pack
        return None

    def accepted(self) -> str:
        """The units and packs this item takes, for help texts and errors."""
        parts = [known_units(self.unit.dimension)]
        if self.density is not None:
            other = Dimension.VOLUME if self.unit.dimension is Dimension.MASS else Dimension.MASS
            parts.append(f"{known_units(other)} (by its density)")
        if self.packs:
            parts.append("packs: " + ", ".join(str(p) for p in self.packs))
        return "; ".join(parts)

    def read(
        self,
        text: str | Decimal | int,
        what: str = "quantity",
        *,
        allow_zero: bool = False,
        allow_negative: bool = False,
    ) -> Amount:
        """Read a typed quantity into the item's stock unit (see the module docstring for the rules)."""
        if isinstance(text, str):
            value, word = split_amount(text, what)
        else:
            value, word = Decimal(text), ""
            if not value.is_finite():
                raise InvalidInput(f"{what} {text!r} is not a number: type digits, e.g. 250 or 1.5")
        shown = str(text).strip()
        if value == 0 and not allow_zero:
            raise InvalidInput(f"{what} must be more than zero")
        if value < 0 and not allow_negative:
            raise InvalidInput(f"{what} {shown} is negative: enter a positive amount")
        if not word:
            return self._finish(shown, value, "", self.unit, Fraction(value), what)
        found = find_unit(word)
        if found is not None:
            return self._finish(shown, value, found.symbol, found, self._to_stock(value, found), what)
        pack = self.pack(word)
        if pack is None:
            raise InvalidInput(
                f"{what} {shown!r}: {word!r} is not a unit or pack of {self.name}; use {self.accepted()}"
            )
        exact = Fraction(value) * self._to_stock(pack.size.value, pack.size.unit)
        return self._finish(shown, value, pack.name, None, exact, what)

    def convert(self, quantity: Quantity, what: str = "weight") -> Amount:
        """A quantity measured by a device (a scale reading) in the item's stock unit.

        The typed-text rules apply except one: a reading finer than a thousandth of the stock
        unit (an analytical balance's 12.3456 g) is rounded like a conversion, not refused.
        """
        exact = self._to_stock(quantity.value, quantity.unit)
        unit = quantity.unit
        return self._finish(str(quantity), quantity.value, unit.symbol, unit, exact, what, measured=True)

    def _to_stock(self, value: Decimal, given: Unit) -> Fraction:
        stock = self.unit
        if given.dimension is stock.dimension:
            return convert(Fraction(value), given, stock)
        if {given.dimension, stock.dimension} == {Dimension.MASS, Dimension.VOLUME}:
            if self.density is not None:
                return convert(Fraction(value), given, stock, self.density)
            hint = " (for US fluid ounces write fl oz)" if given.symbol == "oz" else ""
            raise InvalidInput(
                f"{self.name} is measured in {stock}; give {stock.dimension.noun}, or set its density "
                f"to use {given.plural}{hint}"
            )
        verb = "counted" if stock.dimension is Dimension.COUNT else "measured"
        packs = f" or a pack ({', '.join(str(p) for p in self.packs)})" if self.packs else ""
        raise InvalidInput(
            f"{self.name} is {verb} in {stock}; give {stock.dimension.noun}{packs}, not {given.plural}"
        )

    def _finish(
        self,
        shown: str,
        value: Decimal,
        given: str,
        given_unit: Unit | None,
        exact: Fraction,
        what: str,
        *,
        measured: bool = False,
    ) -> Amount:
        stock = self.unit
        typed_in_stock = given_unit is stock or not given
        if typed_in_stock and not measured and (exact * 1000).denominator != 1:
            raise InvalidInput(f"{what} {shown} has more than 3 decimal places")
        if stock.dimension is Dimension.COUNT and exact.denominator != 1:
            was = f"{format_decimal(value)} {given} is {format_decimal(exact)} pcs"
            detail = "" if typed_in_stock else f": {was}"
            raise InvalidInput(f"{self.name} is counted in whole pieces{detail}; give a whole number")
        milli = round(exact * 1000)
        if milli == 0 and exact != 0:
            raise InvalidInput(f"{what} {shown} is less than 0.001 {stock}, the smallest amount kept")
        if abs(milli) >= MAX_MILLI:
            raise InvalidInput(f"{what} {shown} is too large")
        return Amount(shown, value, given, stock, milli, exact)
