"""How long a product keeps, in the words and symbols each rule fixes.

Cosmetics, EU 1223/2009 Art. 19(1)(c) and Annex VII: a minimum durability of 30 months or less is
printed as a date (month and year, or day, month and year, in that order) after the hourglass
symbol (Annex VII point 3) or the words "best used before the end of"; over 30 months the date
may be left off, and the period after opening is printed instead, in the open-jar symbol (Annex
VII point 2) with the months.

Food, EU 1169/2011 Art. 24 and Annex X: "Best before ..." when the date has the day, "Best before
end ..." otherwise (day and month enough up to 3 months, month and year over 3 months); microbio-
logically highly perishable food gets "Use by ..." followed by its storage conditions. The date is
in day-month-year order, uncoded.

A month-and-year date reads as "until the end of that month", so unless the batch's date is the
month's last day we print the month before: a label never promises more than the shelf life.
"""

from __future__ import annotations

import calendar
import shlex
from dataclasses import dataclass
from datetime import date, timedelta

from tui.compliance.model import BatchInfo, Missing, ProductInfo

DATE_OR_PAO_MONTHS = 30
"""Cosmetics keeping longer than this print the period after opening instead of a date."""
FOOD_DAY_MONTH_MONTHS = 3
"""Food keeping no longer than this needs the day in its date (Annex X 1(c))."""


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_year(day: date) -> str:
    """MM/YYYY of the last whole month the product keeps."""
    last = calendar.monthrange(day.year, day.month)[1]
    shown = day if day.day == last else day.replace(day=1) - timedelta(days=1)
    return f"{shown.month:02}/{shown.year}"


def day_month_year(day: date) -> str:
    return f"{day.day:02}/{day.month:02}/{day.year}"


@dataclass(frozen=True)
class Durability:
    fields: dict[str, str]
    symbols: tuple[str, ...] = ()
    pao_months: int | None = None
    missing: tuple[Missing, ...] = ()


def _edit(option: str, sku: str) -> str:
    return f"product edit {option} {shlex.quote(sku)}"


def cosmetic(product: ProductInfo, batch: BatchInfo) -> Durability:
    """Hourglass and date up to 30 months; open jar with the months after opening beyond."""
    sku = product.sku
    bb = batch.best_before
    if bb is not None and bb <= add_months(batch.made, DATE_OR_PAO_MONTHS):
        return Durability({"best_before": month_year(bb)}, ("hourglass",))
    if product.pao_months is not None and product.pao_months > 0:
        return Durability({"pao": f"{product.pao_months}M"}, ("open_jar",), product.pao_months)
    if bb is None:
        why = (
            f"cosmetic label for {sku} needs a best-before date or a period after opening: set the "
            f"shelf life with {_edit('--shelf-life DAYS', sku)} (30 months or less), or the "
            f"period after opening with {_edit('--pao 12', sku)}"
        )
        return Durability({}, missing=(Missing("best_before", why),))
    why = (
        f"cosmetic label for {sku} needs a period after opening (its shelf life is over "
        f"{DATE_OR_PAO_MONTHS} months): set it with {_edit('--pao 12', sku)}"
    )
    return Durability({}, missing=(Missing("pao", why),))


def food(product: ProductInfo, batch: BatchInfo) -> Durability:
    sku = product.sku
    bb = batch.best_before
    name = "use_by" if product.use_by else "best_before"
    if bb is None:
        what = "use-by" if product.use_by else "best-before"
        why = (
            f"food label for {sku} needs its {what} date: set the shelf life with "
            f"{_edit('--shelf-life DAYS', sku)}"
        )
        return Durability({}, missing=(Missing(name, why),))
    storage = product.storage.strip()
    if product.use_by:
        if not storage:
            why = (
                f"food label for {sku} needs its storage conditions after the use-by date (EU "
                f"1169/2011 Annex X): set them with {_edit('--storage TEXT', sku)}"
            )
            return Durability({}, missing=(Missing("use_by", why),))
        return Durability({"use_by": f"Use by {day_month_year(bb)}. {storage}"})
    if product.month_only:
        if bb <= add_months(batch.made, FOOD_DAY_MONTH_MONTHS):
            why = (
                f"food label for {sku} needs the day in its best-before date (it keeps "
                f"{FOOD_DAY_MONTH_MONTHS} months or less): print the day with "
                f"{_edit('--no-month-only', sku)}"
            )
            return Durability({}, missing=(Missing("best_before", why),))
        text = f"Best before end {month_year(bb)}"
    else:
        text = f"Best before {day_month_year(bb)}"
    return Durability({"best_before": f"{text}. {storage}" if storage else text})
