"""Exact quantities and money at the edges of the store.

The database holds integer thousandths of a unit and integer cents (see models.py); people and
JSON see `Decimal` strings. Everything that turns typed or scanned text into a number goes
through here, so "1,5", "-2", "abc" and "0.0001" get the same clear message everywhere.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from tui.errors import InvalidInput

MILLI = Decimal(1000)
CENT = Decimal("0.01")


def parse_decimal(text: str | Decimal | int, what: str = "quantity") -> Decimal:
    if isinstance(text, Decimal | int):
        value = Decimal(text)
    else:
        cleaned = text.strip().replace(",", ".")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise InvalidInput(f"{what} {text!r} is not a number: type digits, e.g. 250 or 1.5") from None
    if not value.is_finite():
        raise InvalidInput(f"{what} {text!r} is not a number: type digits, e.g. 250 or 1.5")
    return value


def to_milli(
    text: str | Decimal | int,
    what: str = "quantity",
    *,
    allow_negative: bool = False,
    allow_zero: bool = False,
) -> int:
    """Parse a quantity into integer thousandths, refusing what a maker cannot have meant."""
    value = parse_decimal(text, what)
    if value == 0 and not allow_zero:
        raise InvalidInput(f"{what} must be more than zero")
    if value < 0 and not allow_negative:
        raise InvalidInput(f"{what} {text} is negative: enter a positive amount")
    scaled = value * MILLI
    if scaled != scaled.to_integral_value():
        raise InvalidInput(f"{what} {text} has more than 3 decimal places")
    if abs(scaled) >= 10**15:
        raise InvalidInput(f"{what} {text} is too large")
    return int(scaled)


def from_milli(milli: int) -> Decimal:
    return (Decimal(milli) / MILLI).normalize() if milli % 1000 else Decimal(milli // 1000)


def fmt_qty(milli: int) -> str:
    """A quantity as people write it: no trailing zeros, no exponent."""
    return format(from_milli(milli), "f")


def to_cents(text: str | Decimal | int, what: str = "cost") -> int:
    value = parse_decimal(text, what)
    if value < 0:
        raise InvalidInput(f"{what} {text} is negative")
    cents = value / CENT
    if cents != cents.to_integral_value():
        raise InvalidInput(f"{what} {text} has more than 2 decimal places")
    return int(cents)


def fmt_money(cents: int) -> str:
    return format((Decimal(cents) * CENT).quantize(CENT), "f")


def unit_cost(total_cents: int | None, qty_milli: int) -> Decimal | None:
    """Cost of one unit, to 4 decimal places (a gram of oil costs fractions of a cent)."""
    if total_cents is None or qty_milli <= 0:
        return None
    value = Decimal(total_cents) * CENT * MILLI / Decimal(qty_milli)
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
