"""A lot scanned while making a batch: how much of it the batch should use.

Either what the recipe still needs from that item (`suggest_use`), or what the scale weighed
(`weighed`): the Make screen shows it and the maker corrects it; `production.make` then records
it as given in `use`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tui.codes.units import Quantity
from tui.errors import InsufficientStock
from tui.services.catalog import find_lot
from tui.services.inventory import item_of, unit_of
from tui.services.measures import Qty, read_amount, units_of_lot
from tui.services.production import propose
from tui.store.quantities import from_milli


@dataclass(frozen=True)
class LotUse:
    """How much of a scanned lot a batch should use, to show and let the maker correct."""

    lot: str
    item: str
    unit: str
    qty: Decimal
    given: str = ""
    """How a weighed quantity was read: `0.3 kg = 300 g`, with any rounding said."""


async def weighed(code: str, reading: Quantity) -> LotUse:
    """A scale's stable reading for a scanned lot, in the lot's stock unit (converted, through
    its density if need be): what the Make screen fills that recipe line with. Passing the
    reading itself in `use` (`make(..., use={code: reading})`) records the same quantity.
    """
    lot = await find_lot(code)
    await lot.fetch_related("material", "product")
    amount = read_amount(await units_of_lot(lot), reading, f"weight of lot {lot.code}")
    return LotUse(lot.code, item_of(lot), unit_of(lot), amount.qty, amount.describe())


async def suggest_use(
    sku: str,
    qty: Qty,
    code: str,
    *,
    made: date | str | None = None,
    use: Mapping[str, Qty] | None = None,
) -> LotUse:
    """A lot scanned while making a batch replaces the proposal for its item: it takes what the
    recipe needs, less what other scanned lots of the same item already cover, and at most what
    it holds (the rest is still proposed from other lots)."""
    lot = await find_lot(code)
    await lot.fetch_related("material", "product")
    if lot.on_hand_milli <= 0:
        raise InsufficientStock(f"lot {lot.code} has nothing on hand: scan another lot")
    item = item_of(lot)
    same = Decimal(0)
    others: dict[str, Qty] = {}
    for other, amount in (use or {}).items():
        if other == lot.code:
            continue
        other_lot = await find_lot(other)
        await other_lot.fetch_related("material", "product")
        if item_of(other_lot) == item:
            same += read_amount(await units_of_lot(other_lot), amount, f"quantity of lot {other}").qty
        else:
            others[other] = amount
    base = await propose(sku, qty, made=made, use=others)
    short = next((s for s in base.shortages if s.item == item), None)
    need = short.needed if short else sum((ln.qty for ln in base.lines if ln.item == item), Decimal(0))
    left = need - same
    on_hand = from_milli(lot.on_hand_milli)
    return LotUse(lot.code, item, unit_of(lot), min(on_hand, left if left > 0 else need) or on_hand)
