"""Handing out lot codes and order references that are never reused.

The per-day sequence lives in `CodeCounter`, incremented in the caller's transaction: if the
receipt or batch is rolled back, so is the counter, and a committed code is never handed out
again even after its lot is gone. A code that already exists (typed in by hand, or made by an
older template) is skipped rather than collided with.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from tortoise.expressions import F

from tui.codes.lotcode import render_lot_code, sequence_key
from tui.errors import InvalidInput
from tui.store.models import CodeCounter, Lot, Sale

ORDER_TEMPLATE = "S{yy}{mm}{dd}-{seq:03}"
"""Reference of an order when none is given (a sale on the market stall)."""
MAX_SKIPS = 1000


async def _next_code(template: str, day: date, abbr: str, taken: Callable[[str], Awaitable[bool]]) -> str:
    key = sequence_key(template, day, abbr)
    counter, _ = await CodeCounter.get_or_create(key=key)
    for _ in range(MAX_SKIPS):
        await CodeCounter.filter(id=counter.id).update(value=F("value") + 1)
        await counter.refresh_from_db(fields=["value"])
        code = render_lot_code(template, day, counter.value, abbr)
        if not await taken(code):
            return code
    raise InvalidInput(
        f"lot-code template {template!r} keeps producing codes that exist: change the template"
    )


async def _lot_exists(code: str) -> bool:
    return await Lot.filter(code=code).exists()


async def _order_exists(code: str) -> bool:
    return await Sale.filter(ref=code).exists()


async def next_lot_code(template: str, day: date, abbr: str) -> str:
    """The next free lot code for `day` (call inside the transaction that creates the lot)."""
    return await _next_code(template, day, abbr, _lot_exists)


async def next_order_ref(day: date) -> str:
    """The next free order reference for `day` (call inside the transaction that records the sale)."""
    return await _next_code(ORDER_TEMPLATE, day, "", _order_exists)
