"""Making a batch: which lots to take (the proposal), then taking them, all or nothing.

The proposal takes lots first-expiring-first, then oldest, and never proposes a lot that is
expired on the day the batch is made or that arrived after it. Lots the maker names explicitly
(`use`) replace the proposal for their material, with the quantities the maker actually used
(typed with any unit or pack of the material, or a scale's reading: see `lot_use.weighed`). Every
consumption keeps both what the recipe planned from that lot and what was used. A recipe line
whose named lots add up to more or less than the recipe says, beyond a tolerance, is a
`Deviation`: `make` refuses it unless told it is meant (`allow_deviation`), and then records it
(the event log keeps planned and actual, `Made.deviations` returns them).
A recipe line naming another product consumes batches of that product (an intermediate, e.g. a
fragrance blend), so the genealogy reaches through it. The batch's cost is the cost of exactly
what it consumed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from tortoise.expressions import Q

from tui.config import CodesConfig
from tui.errors import ExpiredLot, InsufficientStock, InvalidInput, RecipeDeviation
from tui.services.catalog import find_lot, find_product, get_station, parse_day
from tui.services.deviation import DEFAULT_TOLERANCE_PCT, Deviation, strays
from tui.services.inventory import item_of, move
from tui.services.measures import Qty, product_units, read_amount, units_of_lot
from tui.store.db import writing
from tui.store.lotcodes import next_lot_code
from tui.store.models import Consumption, Event, Lot, LotKind, MovementKind, Product, RecipeLine
from tui.store.quantities import CENT, MILLI, fmt_qty, from_milli


@dataclass(frozen=True)
class ProposalLine:
    lot: str
    item: str
    """Material name, or SKU of an intermediate product."""
    qty: Decimal
    unit: str
    expires: date | None
    explicit: bool
    """Named by the maker rather than proposed."""
    planned: Decimal | None = None
    """What the recipe calls for from this lot (its share of the line's need)."""


@dataclass(frozen=True)
class Shortage:
    item: str
    unit: str
    needed: Decimal
    available: Decimal

    def describe(self) -> str:
        return (
            f"not enough {self.item}: need {self.needed} {self.unit}, "
            f"{self.available} {self.unit} usable (expired lots are not counted)"
        )


@dataclass(frozen=True)
class Proposal:
    product: str
    qty: Decimal
    made: date
    lines: list[ProposalLine]
    shortages: list[Shortage]
    deviations: tuple[Deviation, ...] = ()
    """Recipe lines the named lots stray from beyond the tolerance."""

    @property
    def ok(self) -> bool:
        return not self.shortages


@dataclass(frozen=True)
class Consumed:
    lot: str
    qty: Decimal
    """What was used (weighed, counted or proposed), in the lot's stock unit."""
    item: str = ""
    unit: str = ""
    planned: Decimal | None = None
    """What the recipe called for from this lot."""


@dataclass(frozen=True)
class Made:
    lot: str
    product: str
    """The product's SKU."""
    qty: Decimal
    consumed: list[Consumed]
    unit_cost: Decimal | None
    best_before: date | None
    made: date = field(default_factory=date.today)
    total_cost: Decimal | None = None
    unit: str = ""
    """The product's unit (`pcs` for most)."""
    deviations: tuple[Deviation, ...] = ()
    """Recipe lines that strayed beyond the tolerance, recorded as meant (`allow_deviation`)."""


@dataclass
class _Take:
    lot: Lot
    qty_milli: int
    item: str
    unit: str
    explicit: bool
    planned_milli: int


@dataclass
class _Plan:
    product: Product
    qty_milli: int
    made: date
    takes: list[_Take]
    shortages: list[Shortage]
    deviations: tuple[Deviation, ...]


def _need(per_unit_milli: int, qty_milli: int) -> int:
    """Recipe amount for the quantity made, rounded (half to even, the one rounding rule of
    `tui.codes.amounts`) to a thousandth, but never to nothing."""
    exact = Decimal(per_unit_milli) * qty_milli / MILLI
    return max(1, int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN)))


def _planned_shares(need: int, used: list[int]) -> list[int]:
    """The line's need spread over the lots named for it, in order: each is planned what it
    covers, the last one whatever is left (so the plans add up to the recipe's need)."""
    shares, left = [], need
    for i, qty in enumerate(used):
        share = left if i == len(used) - 1 else min(left, qty)
        shares.append(share)
        left -= share
    return shares


def _item(line: RecipeLine) -> tuple[str, str]:
    if line.material is not None:
        return line.material.name, line.material.unit
    assert line.component is not None
    return line.component.sku, line.component.unit


def _fefo(lot: Lot) -> tuple[bool, date, date, int]:
    return (lot.expires is None, lot.expires or date.max, lot.dated, lot.id)


async def _explicit(
    use: Mapping[str, Qty], product: Product, recipe: list[RecipeLine], made: date, lock: bool
) -> dict[int, list[tuple[Lot, int]]]:
    """The named lots by recipe line id, each checked: in the recipe, usable, enough on hand."""
    wanted: dict[int, tuple[Lot, int]] = {}
    for code, qty in use.items():
        lot = await find_lot(code, lock=lock)
        await lot.fetch_related("material", "product")
        qty_milli = read_amount(await units_of_lot(lot), qty, f"quantity of lot {lot.code}").milli
        previous = wanted.get(lot.id)
        wanted[lot.id] = (lot, qty_milli + (previous[1] if previous else 0))
    by_line: dict[int, list[tuple[Lot, int]]] = {}
    for lot, qty_milli in wanted.values():
        line = next(
            (
                r
                for r in recipe
                if (lot.kind == LotKind.MATERIAL and r.material_id == lot.material_id)  # type: ignore[attr-defined]
                or (lot.kind == LotKind.BATCH and r.component_id == lot.product_id)  # type: ignore[attr-defined]
            ),
            None,
        )
        if line is None:
            raise InvalidInput(
                f"lot {lot.code} ({item_of(lot)}) is not in the recipe of {product.sku}: "
                "use a lot of one of its ingredients"
            )
        item, unit = _item(line)
        if lot.expires is not None and lot.expires < made:
            raise ExpiredLot(
                f"lot {lot.code} ({item}) expired on {lot.expires}: use another lot, or waste it"
            )
        if lot.dated > made:
            raise InvalidInput(
                f"lot {lot.code} ({item}) is dated {lot.dated}, after the batch was made ({made})"
            )
        if lot.on_hand_milli < qty_milli:
            raise InsufficientStock(
                f"lot {lot.code} ({item}) has only {fmt_qty(lot.on_hand_milli)} {unit} on hand, "
                f"not {fmt_qty(qty_milli)} {unit}"
            )
        by_line.setdefault(line.id, []).append((lot, qty_milli))
    return by_line


async def _plan(
    sku: str,
    qty: Qty,
    made: date | str | None,
    use: Mapping[str, Qty],
    *,
    lock: bool,
    tolerance_pct: int = DEFAULT_TOLERANCE_PCT,
) -> _Plan:
    product = await find_product(sku)
    qty_milli = read_amount(product_units(product), qty).milli
    day = parse_day(made, "made date") or date.today()
    recipe = await RecipeLine.filter(product=product).order_by("id").prefetch_related("material", "component")
    named = await _explicit(use, product, recipe, day, lock)
    takes: list[_Take] = []
    shortages: list[Shortage] = []
    deviations: list[Deviation] = []
    for line in recipe:
        item, unit = _item(line)
        need = _need(line.qty_milli, qty_milli)
        if line.id in named:
            shares = _planned_shares(need, [q for _, q in named[line.id]])
            takes += [
                _Take(lot, q, item, unit, True, share)
                for (lot, q), share in zip(named[line.id], shares, strict=True)
            ]
            used = sum(q for _, q in named[line.id])
            if strays(need, used, tolerance_pct):
                deviations.append(Deviation(item, unit, from_milli(need), from_milli(used)))
            continue
        query = Lot.filter(on_hand_milli__gt=0, dated__lte=day).filter(
            Q(expires__isnull=True) | Q(expires__gte=day)
        )
        if line.material is not None:
            query = query.filter(kind=LotKind.MATERIAL, material_id=line.material.id)
        else:
            query = query.filter(kind=LotKind.BATCH, product_id=line.component.id)  # type: ignore[union-attr]
        if lock:
            query = query.select_for_update()
        remaining = need
        for lot in sorted(await query, key=_fefo):
            if remaining == 0:
                break
            take = min(remaining, lot.on_hand_milli)
            takes.append(_Take(lot, take, item, unit, False, take))
            remaining -= take
        if remaining:
            shortages.append(Shortage(item, unit, from_milli(need), from_milli(need - remaining)))
    return _Plan(product, qty_milli, day, takes, shortages, tuple(deviations))


async def propose(
    sku: str,
    qty: Qty,
    *,
    made: date | str | None = None,
    use: Mapping[str, Qty] | None = None,
    tolerance_pct: int = DEFAULT_TOLERANCE_PCT,
) -> Proposal:
    """What `make` would take, what is missing and where named amounts stray from the recipe;
    writes nothing."""
    plan = await _plan(sku, qty, made, use or {}, lock=False, tolerance_pct=tolerance_pct)
    lines = [
        ProposalLine(
            t.lot.code,
            t.item,
            from_milli(t.qty_milli),
            t.unit,
            t.lot.expires,
            t.explicit,
            from_milli(t.planned_milli),
        )
        for t in plan.takes
    ]
    return Proposal(
        plan.product.sku, from_milli(plan.qty_milli), plan.made, lines, plan.shortages, plan.deviations
    )


def _cost(takes: list[_Take], qty_milli: int) -> tuple[int | None, Decimal | None, Decimal | None]:
    """Total cents (stored), total and unit cost: unknown if any input's cost is unknown."""
    if not takes or any(t.lot.cost_cents is None for t in takes):
        return None, None, None
    cents = sum(
        (Decimal(t.lot.cost_cents or 0) * t.qty_milli / t.lot.qty_milli for t in takes),
        Decimal(0),
    )
    total_cents = int(cents.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    unit = (cents * CENT * MILLI / qty_milli).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return total_cents, (Decimal(total_cents) * CENT).quantize(CENT), unit


async def make(
    sku: str,
    qty: Qty,
    *,
    use: Mapping[str, Qty] | None = None,
    made: date | str | None = None,
    station: str = "bench",
    codes: CodesConfig = CodesConfig(),  # noqa: B008  (frozen dataclass: a safe default)
    allow_deviation: bool = False,
    tolerance_pct: int = DEFAULT_TOLERANCE_PCT,
) -> Made:
    """Record a production run: a new batch, its inputs consumed and linked, in one transaction.

    Named amounts that stray from the recipe beyond `tolerance_pct` are refused
    (`RecipeDeviation`) unless `allow_deviation`; then they are recorded in the event log.
    """
    async with writing():
        plan = await _plan(sku, qty, made, use or {}, lock=True, tolerance_pct=tolerance_pct)
        if plan.shortages:
            product = plan.product
            raise InsufficientStock(
                f"cannot make {fmt_qty(plan.qty_milli)} {product.sku}: "
                + "; ".join(s.describe() for s in plan.shortages)
            )
        if plan.deviations and not allow_deviation:
            raise RecipeDeviation(
                f"{fmt_qty(plan.qty_milli)} {plan.product.sku} strays from its recipe: "
                + "; ".join(d.describe() for d in plan.deviations)
                + ": check the amounts, or record it as made on purpose"
            )
        product = plan.product
        station_row = await get_station(station)
        code = await next_lot_code(codes.batch_lot_template, plan.made, product.sku.split("-")[0])
        best_before = plan.made + timedelta(days=product.shelf_life_days) if product.shelf_life_days else None
        total_cents, total, unit_cost = _cost(plan.takes, plan.qty_milli)
        batch = await Lot.create(
            code=code,
            kind=LotKind.BATCH,
            product=product,
            dated=plan.made,
            expires=best_before,
            qty_milli=plan.qty_milli,
            on_hand_milli=0,
            cost_cents=total_cents,
            station=station_row,
        )
        await move(batch, MovementKind.PRODUCE, plan.qty_milli, station=station_row, ref=code)
        for take in plan.takes:
            await move(take.lot, MovementKind.CONSUME, -take.qty_milli, station=station_row, ref=code)
            await Consumption.create(
                batch=batch, source=take.lot, qty_milli=take.qty_milli, planned_milli=take.planned_milli
            )
        for deviation in plan.deviations:
            await Event.create(
                kind="recipe_deviation",
                message=f"batch {code}: {deviation.describe()}, recorded as made",
                station=station_row,
            )
    return Made(
        lot=code,
        product=product.sku,
        qty=from_milli(plan.qty_milli),
        consumed=[
            Consumed(t.lot.code, from_milli(t.qty_milli), t.item, t.unit, from_milli(t.planned_milli))
            for t in plan.takes
        ],
        unit_cost=unit_cost,
        best_before=best_before,
        made=plan.made,
        total_cost=total,
        unit=product.unit,
        deviations=plan.deviations,
    )
