"""Cells of exported files turned into exact values, or a reason a maker can act on.

Platforms write numbers their own way (Square `$8.00` and `-$9.00`, Etsy `12,00` in some
countries, Shopify `'03801` to keep a zip's leading zero from Excel); everything becomes a
`Decimal`, never a float. Names keep their accents and apostrophes; only whitespace, including
a newline inside a quoted cell, is folded to single spaces.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

MAX_QTY = Decimal(10**9)
"""More units than any maker sells in one line: a sign the column holds something else."""

_QTY = re.compile(r"[-−]?\d+(?:[.,]\d+)?")
_MONEY = re.compile(
    r"(?P<sign>[-−]?)(?:[A-Z]{3}|[A-Z]{0,2}[$€£¥])?(?P<sign2>[-−]?)(?P<number>\d[\d.,']*)(?:[$€£¥]|[A-Z]{3})?"
)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_SHOPIFY_TIME = re.compile(r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d)(?::(\d\d))? ([+-])(\d\d):?(\d\d)")


class CellError(ValueError):
    """A cell that cannot be read; `reason` becomes the row's problem."""

    @property
    def reason(self) -> str:
        return str(self.args[0])


def text(value: str) -> str | None:
    """Whitespace folded (newlines too), Unicode composed (NFC); None when empty."""
    folded = " ".join(value.split())
    if not folded:
        return None
    return folded if folded.isascii() else unicodedata.normalize("NFC", folded)


def code(value: str) -> str | None:
    """A zip code or phone number as Shopify writes it, without the `'` it adds for Excel."""
    return text(value.lstrip("'"))


def exact(value: Decimal) -> Decimal:
    """`1.0` -> `1`, `0.50` -> `0.5`, `100` stays `100` (never `1E+2`)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def quantity(value: str, *, what: str = "quantity", whole: bool, signed: bool = False) -> Decimal:
    """A quantity; `whole` for channels that sell whole units, `signed` where refunds are negative."""
    cleaned = value.strip()
    if not cleaned:
        raise CellError(f"{what} is empty")
    if not _QTY.fullmatch(cleaned):
        raise CellError(f"{what} {value.strip()!r} is not a number")
    number = exact(Decimal(cleaned.replace("−", "-").replace(",", ".")))
    if whole and number != number.to_integral_value():
        raise CellError(f"{what} {cleaned!r} is not a whole number")
    if number == 0:
        raise CellError(f"{what} is 0")
    if number < 0 and not signed:
        raise CellError(f"{what} {cleaned!r} is negative")
    if abs(number) > MAX_QTY:
        raise CellError(f"{what} {cleaned!r} is too large to be a quantity")
    return number


def money(value: str, *, what: str = "amount") -> Decimal | None:
    """An amount as any of the platforms writes it (`8.00`, `$8.00`, `-$9.00`, `(9.00)`, `12,00 €`)."""
    cleaned = _SPACES.sub("", value)
    if not cleaned:
        return None
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    match = _MONEY.fullmatch(cleaned)
    if match is None or (match["sign"] and match["sign2"]):
        raise CellError(f"{what} {value.strip()!r} is not an amount of money")
    number = _decimal_separator(match["number"].replace("'", ""))
    if number is None:
        raise CellError(f"{what} {value.strip()!r} is not an amount of money")
    amount = Decimal(number)
    if negative or match["sign"] or match["sign2"]:
        amount = -amount
    return amount


def _decimal_separator(number: str) -> str | None:
    """`1,234.50` and `1.234,50` -> `1234.50`; `12,00` -> `12.00`; `1,234` -> `1234`; `8.00.00` -> None."""
    if "," in number and "." in number:
        decimal_mark = "," if number.rfind(",") > number.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        whole, _, fraction = number.rpartition(decimal_mark)
        if decimal_mark in whole or not _grouped(whole, thousands):
            return None
        return f"{whole.replace(thousands, '')}.{fraction}"
    for mark in (",", "."):
        if mark in number:
            head, _, tail = number.rpartition(mark)
            if number.count(mark) == 1 and len(tail) != 3:
                return f"{head}.{tail}"
            return number.replace(mark, "") if _grouped(number, mark) else None
    return number


def _grouped(whole: str, mark: str) -> bool:
    """Thousands written as thousands: `1,049,000` yes, `8,00,00` no."""
    first, *groups = whole.split(mark)
    return not groups or (1 <= len(first) <= 3 and all(len(g) == 3 for g in groups))


def timestamp(value: str, *, what: str = "date") -> datetime | None:
    """Shopify's `2026-10-01 09:58:12 -0400` (or ISO 8601); None when empty."""
    cleaned = value.strip()
    if not cleaned:
        return None
    match = _SHOPIFY_TIME.fullmatch(cleaned)
    if match:  # strptime costs ~10x more, and a long export has one per order
        year, month, day, hour, minute, second, sign, zone_h, zone_m = match.groups()
        offset = timedelta(hours=int(zone_h), minutes=int(zone_m))
        try:
            return datetime(
                int(year), int(month), int(day), int(hour), int(minute), int(second or 0),
                tzinfo=_zone(-offset if sign == "-" else offset),
            )  # fmt: skip
        except ValueError:
            raise CellError(f"{what} {cleaned!r} is not a date and time") from None
    try:
        return datetime.fromisoformat(cleaned)
    except ValueError:
        raise CellError(f"{what} {cleaned!r} is not a date and time") from None


@functools.cache
def _zone(offset: timedelta) -> timezone:
    return timezone(offset)


def us_date(value: str, *, what: str = "date") -> date | None:
    """Etsy's `10/03/26` (month first, as Etsy writes it in every country), `10/03/2026`, or ISO."""
    cleaned = value.strip()
    if not cleaned:
        return None
    for fmt in ("%m/%d/%y", "%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            pass
    raise CellError(f"{what} {cleaned!r} is not a date (month/day/year)")


def iso_date(value: str, *, what: str = "date") -> date | None:
    """A date written YYYY-MM-DD, as our own starting-out files ask for; None when empty."""
    cleaned = value.strip()
    if not cleaned:
        return None
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        raise CellError(
            f"{what} {cleaned!r} is not a date: write it as YYYY-MM-DD, e.g. 2027-03-31"
        ) from None


def day_and_time(day: str, clock: str, *, what: str = "date") -> tuple[date | None, datetime | None]:
    """Square's separate `Date` (2026-07-18) and `Time` (12:59:30) columns, local time."""
    try:
        on = iso_date(day, what=what)
    except CellError:
        on = us_date(day, what=what)
    if on is None or not clock.strip():
        return on, None
    try:
        at = time.fromisoformat(clock.strip())
    except ValueError:
        raise CellError(f"time {clock.strip()!r} is not a time of day") from None
    return on, datetime.combine(on, at)
