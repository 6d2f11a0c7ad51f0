"""Money reports: the cost of goods sold, and what the stock on the shelf is worth on a day.

Both start from the exact cost each lot carries (`lot.cost_cents`, integer cents): a material
lot's is what was paid, a batch's is the share of every lot it consumed, worked out when it was
made (`production.make`). A batch that used an intermediate (a fragrance blend) therefore
already costs that blend's cost per unit times what it took, however deep the intermediates go,
and a report never walks the genealogy again. A lot whose cost is unknown (received without
one) has no value: it is listed with an empty value and left out of totals, never counted as 0.

**COGS** is the cost of what was *sold* in the period: per batch, the units that left on sale
lines of orders dated in it, at the batch's unit cost. Intermediates are never sold, so they are
not counted twice (their cost is inside the batches that used them).

**Valuation** reads on-hand from the ledger (`movement`), not the cached figure: the sum of each
lot's movements recorded before the end of the day asked for, on this machine's clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tui.services.report_tables import (
    Period,
    Table,
    cells,
    end_of_day,
    in_code_point_order,
    money,
    per_unit,
    share_cents,
    total_of,
)
from tui.store.quantities import from_milli
from tui.store.sql import as_date, fetch


@dataclass(frozen=True)
class CogsLine:
    batch: str
    product: str
    """The product's SKU (names need not be unique; SKUs are)."""
    made: date
    qty_milli: int
    """Units of the batch sold in the period."""
    unit_cost: str | None
    cost_cents: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "batch": self.batch,
            "product": self.product,
            "made": self.made.isoformat(),
            "qty": format(from_milli(self.qty_milli), "f"),
            "unit_cost": self.unit_cost,
            "cost": money(self.cost_cents),
        }


@dataclass(frozen=True)
class CogsTotal:
    product: str
    batches: int
    qty_milli: int
    cost_cents: int
    unknown: int
    """Batches of it whose cost is unknown (left out of `cost`)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "product": self.product,
            "batches": self.batches,
            "qty": format(from_milli(self.qty_milli), "f"),
            "cost": money(self.cost_cents),
            "unknown_cost_batches": self.unknown,
        }


@dataclass(frozen=True)
class Cogs:
    period: Period
    currency: str
    lines: tuple[CogsLine, ...]
    products: tuple[CogsTotal, ...]

    @property
    def total_cents(self) -> int:
        return sum(p.cost_cents for p in self.products)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.period.to_json(),
            "currency": self.currency,
            "total": money(self.total_cents),
            "batches": [line.to_json() for line in self.lines],
            "products": [p.to_json() for p in self.products],
        }

    def table(self) -> Table:
        return Table(
            ("batch", "product", "made", "qty", "unit_cost", "cost", "currency"),
            tuple(cells(*line.to_json().values(), self.currency) for line in self.lines),
        )


_COGS = in_code_point_order("""
SELECT l.code, p.sku, l.dated, SUM(sl.qty_milli), l.qty_milli, l.cost_cents
FROM sale_line sl
JOIN sale s ON s.id = sl.sale_id
JOIN lot l ON l.id = sl.lot_id
JOIN product p ON p.id = l.product_id
WHERE s.sold_on >= $1 AND s.sold_on <= $2
GROUP BY l.id, l.code, p.sku, l.dated, l.qty_milli, l.cost_cents
ORDER BY p.sku{C}, l.dated, l.code{C}
""")


async def cogs(period: Period, currency: str) -> Cogs:
    """Cost of the goods sold in `period`, per batch and per product (one aggregate query)."""
    lines = []
    for code, sku, made, sold, made_milli, cost in await fetch(_COGS, *period.bounds()):
        sold_milli = int(sold)
        lines.append(
            CogsLine(
                batch=code,
                product=sku,
                made=as_date(made) or date.min,
                qty_milli=sold_milli,
                unit_cost=per_unit(cost, made_milli),
                cost_cents=share_cents(cost, sold_milli, made_milli),
            )
        )
    totals: dict[str, list[CogsLine]] = {}
    for line in lines:
        totals.setdefault(line.product, []).append(line)
    products = tuple(
        CogsTotal(
            product=sku,
            batches=len(group),
            qty_milli=sum(g.qty_milli for g in group),
            cost_cents=total_of([g.cost_cents for g in group]),
            unknown=sum(g.cost_cents is None for g in group),
        )
        for sku, group in totals.items()
    )
    return Cogs(period, currency, tuple(lines), products)


@dataclass(frozen=True)
class ValuationLine:
    lot: str
    item: str
    """Material name, or product SKU for a batch."""
    on_hand_milli: int
    unit: str
    value_cents: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "lot": self.lot,
            "item": self.item,
            "on_hand": format(from_milli(self.on_hand_milli), "f"),
            "unit": self.unit,
            "value": money(self.value_cents),
        }


@dataclass(frozen=True)
class Valuation:
    at: date
    currency: str
    lines: tuple[ValuationLine, ...]

    @property
    def total_cents(self) -> int:
        return total_of([line.value_cents for line in self.lines])

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "currency": self.currency,
            "total": money(self.total_cents),
            "lines": [line.to_json() for line in self.lines],
        }

    def table(self) -> Table:
        return Table(
            ("lot", "item", "on_hand", "unit", "value", "currency"),
            tuple(cells(*line.to_json().values(), self.currency) for line in self.lines),
        )


_VALUATION = in_code_point_order("""
SELECT l.code, COALESCE(m.name, p.sku), t.on_hand, COALESCE(m.unit, p.unit), l.qty_milli, l.cost_cents
FROM (SELECT lot_id, SUM(delta_milli) AS on_hand FROM movement WHERE at < $1 GROUP BY lot_id) t
JOIN lot l ON l.id = t.lot_id
LEFT JOIN material m ON m.id = l.material_id
LEFT JOIN product p ON p.id = l.product_id
WHERE t.on_hand <> 0
ORDER BY l.material_id IS NULL, COALESCE(m.name, p.sku){C}, l.code{C}
""")


async def valuation(at: date, currency: str) -> Valuation:
    """Every lot with stock at the end of `at`, valued at its exact cost per unit."""
    lines = tuple(
        ValuationLine(code, item, int(on_hand), unit, share_cents(cost, int(on_hand), made))
        for code, item, on_hand, unit, made, cost in await fetch(_VALUATION, end_of_day(at))
    )
    return Valuation(at, currency, lines)
