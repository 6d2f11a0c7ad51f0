"""Reports on stock and sales: lots expiring soon, materials to reorder, sales by product and
channel, and waste.

Each is a frozen dataclass with `to_json()` and `table()` (see `report_tables`). Sales and
waste are read with aggregate SQL, since years of orders can be hundreds of thousands of lines.

**Reorder** uses each material's reorder level (`material.reorder_milli`, set with
`lotkeeper material add/edit --reorder`; 0: never listed) against its usable stock, the rule
Home's alerts use (`inventory.low_stock`).

**Sales** count what the channel says was bought: an imported order's lines (less units
cancelled before they shipped, whether packed yet or not), and a bench sale's lines (which are
packed at once). A cancelled order counts nothing; a line without a SKU (gift wrap) is not a
product.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tui.errors import InvalidInput
from tui.services.inventory import low_stock
from tui.services.report_tables import (
    Period,
    Table,
    cells,
    end_of_day,
    in_code_point_order,
    money,
    share_cents,
    total_of,
)
from tui.store.models import Lot, Movement, MovementKind
from tui.store.quantities import fmt_qty
from tui.store.sql import fetch


@dataclass(frozen=True)
class ExpiringLine:
    lot: str
    item: str
    on_hand_milli: int
    unit: str
    expires: date
    days_left: int
    """Negative: expired that many days ago."""
    value_cents: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "lot": self.lot,
            "item": self.item,
            "on_hand": fmt_qty(self.on_hand_milli),
            "unit": self.unit,
            "expires": self.expires.isoformat(),
            "days_left": self.days_left,
            "value": money(self.value_cents),
        }


@dataclass(frozen=True)
class Expiring:
    today: date
    days: int
    currency: str
    lines: tuple[ExpiringLine, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "days": self.days,
            "currency": self.currency,
            "total": money(total_of([line.value_cents for line in self.lines])),
            "lines": [line.to_json() for line in self.lines],
        }

    def table(self) -> Table:
        return Table(
            ("lot", "item", "on_hand", "unit", "expires", "days_left", "value", "currency"),
            tuple(cells(*line.to_json().values(), self.currency) for line in self.lines),
        )


async def expiring(days: int, today: date, currency: str) -> Expiring:
    """Lots with stock that expire within `days` of `today` (those already expired first)."""
    if days < 0:
        raise InvalidInput(f"--days {days} is negative: give 0 or more days")
    limit = today + timedelta(days=days)
    rows = (
        await Lot.filter(on_hand_milli__gt=0, expires__lte=limit)
        .order_by("expires", "code")
        .values_list(
            "code",
            "material__name",
            "product__sku",
            "material__unit",
            "product__unit",
            "on_hand_milli",
            "qty_milli",
            "cost_cents",
            "expires",
        )
    )
    lines = tuple(
        ExpiringLine(
            lot=code,
            item=material or sku,
            on_hand_milli=on_hand,
            unit=m_unit or p_unit,
            expires=expires,
            days_left=(expires - today).days,
            value_cents=share_cents(cost, on_hand, qty),
        )
        for code, material, sku, m_unit, p_unit, on_hand, qty, cost, expires in rows
    )
    return Expiring(today, days, currency, lines)


@dataclass(frozen=True)
class ReorderLine:
    material: str
    on_hand: str
    reorder: str
    short: str
    unit: str

    def to_json(self) -> dict[str, Any]:
        return {
            "material": self.material,
            "on_hand": self.on_hand,
            "reorder": self.reorder,
            "short": self.short,
            "unit": self.unit,
        }


@dataclass(frozen=True)
class Reorder:
    lines: tuple[ReorderLine, ...]

    def to_json(self) -> list[dict[str, Any]]:
        return [line.to_json() for line in self.lines]

    def table(self) -> Table:
        return Table(
            ("material", "on_hand", "reorder", "short", "unit"),
            tuple(cells(*line.to_json().values()) for line in self.lines),
        )


async def reorder(today: date) -> Reorder:
    """Materials whose usable stock is below their reorder level, and by how much."""
    return Reorder(
        tuple(
            ReorderLine(
                low.material,
                format(low.on_hand, "f"),
                format(low.reorder, "f"),
                format(low.reorder - low.on_hand, "f"),
                low.unit,
            )
            for low in await low_stock(today)
        )
    )


@dataclass(frozen=True)
class SalesLine:
    sku: str
    product: str
    channel: str
    qty_milli: int
    orders: int

    def to_json(self) -> dict[str, Any]:
        return {
            "sku": self.sku,
            "product": self.product,
            "channel": self.channel,
            "qty": fmt_qty(self.qty_milli),
            "orders": self.orders,
        }


@dataclass(frozen=True)
class Sales:
    period: Period
    lines: tuple[SalesLine, ...]

    def to_json(self) -> list[dict[str, Any]]:
        return [line.to_json() for line in self.lines]

    def table(self) -> Table:
        return Table(
            ("sku", "product", "channel", "qty", "orders"),
            tuple(cells(*line.to_json().values()) for line in self.lines),
        )


_SALES = in_code_point_order("""
SELECT u.sku, MIN(u.product), u.channel, SUM(u.qty), COUNT(DISTINCT u.sale_id)
FROM (
    SELECT COALESCE(p.sku, ol.sku) AS sku, COALESCE(p.name, ol.name) AS product, s.channel AS channel,
           ol.qty_milli - ol.cancelled_milli AS qty, s.id AS sale_id
    FROM order_line ol
    JOIN sale s ON s.id = ol.sale_id
    LEFT JOIN product p ON p.sku = ol.sku
    WHERE ol.sku IS NOT NULL AND ol.qty_milli > ol.cancelled_milli AND NOT s.cancelled
      AND s.sold_on >= $1 AND s.sold_on <= $2
    UNION ALL
    SELECT p.sku, p.name, s.channel, sl.qty_milli, s.id
    FROM sale_line sl
    JOIN sale s ON s.id = sl.sale_id
    JOIN lot l ON l.id = sl.lot_id
    JOIN product p ON p.id = l.product_id
    WHERE sl.order_line_id IS NULL AND s.sold_on >= $1 AND s.sold_on <= $2
) u
GROUP BY u.sku, u.channel
ORDER BY u.sku{C}, u.channel{C}
""")


async def sales(period: Period) -> Sales:
    """Units sold and orders per product and channel, in `period` (by the order's date)."""
    return Sales(
        period,
        tuple(
            SalesLine(sku, product, channel, int(qty), int(orders))
            for sku, product, channel, qty, orders in await fetch(_SALES, *period.bounds())
        ),
    )


@dataclass(frozen=True)
class WasteLine:
    day: date
    lot: str
    item: str
    qty_milli: int
    unit: str
    value_cents: int | None
    reason: str
    station: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "lot": self.lot,
            "item": self.item,
            "qty": fmt_qty(self.qty_milli),
            "unit": self.unit,
            "value": money(self.value_cents),
            "reason": self.reason,
            "station": self.station,
        }


@dataclass(frozen=True)
class Waste:
    period: Period
    currency: str
    lines: tuple[WasteLine, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            **self.period.to_json(),
            "currency": self.currency,
            "total": money(total_of([line.value_cents for line in self.lines])),
            "lines": [line.to_json() for line in self.lines],
        }

    def table(self) -> Table:
        return Table(
            ("date", "lot", "item", "qty", "unit", "value", "reason", "station", "currency"),
            tuple(cells(*line.to_json().values(), self.currency) for line in self.lines),
        )


async def waste(period: Period, currency: str) -> Waste:
    """Every `waste` entry of the ledger recorded in `period` (days on this machine's clock),
    valued at the lot's cost per unit."""
    query = Movement.filter(kind=MovementKind.WASTE)
    if period.start:
        query = query.filter(at__gte=end_of_day(period.start - timedelta(days=1)))
    if period.end:
        query = query.filter(at__lt=end_of_day(period.end))
    rows = await query.order_by("at", "id").values_list(
        "at",
        "lot__code",
        "lot__material__name",
        "lot__product__sku",
        "lot__material__unit",
        "lot__product__unit",
        "delta_milli",
        "lot__qty_milli",
        "lot__cost_cents",
        "reason",
        "station__name",
    )
    lines = tuple(
        WasteLine(
            day=at.astimezone().date(),
            lot=code,
            item=material or sku,
            qty_milli=-delta,
            unit=m_unit or p_unit,
            value_cents=share_cents(cost, -delta, qty),
            reason=reason,
            station=station,
        )
        for at, code, material, sku, m_unit, p_unit, delta, qty, cost, reason, station in rows
    )
    return Waste(period, currency, lines)
