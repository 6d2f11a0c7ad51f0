"""What an order export changes in the store, worked out completely before anything is written.

An order is known by its reference (Shopify #1006, Etsy Order ID, Square Transaction ID). Seen
for the first time it is added; seen again (the same file, or a later export that overlaps) it
is compared with what is stored and only what is new is taken:

* **Lines** are matched by the channel's line id when there is one (Etsy Transaction ID), else by
  SKU, name and how many such lines came before; a line the store lacks is added, a changed
  quantity or price is updated, and no line is ever removed by a file that lacks it. Lines
  guessed from EtsySoldOrders (`provisional`) give way to the real ones of EtsySoldOrderItems.
* **Status** only moves forward, so an older export imported after a newer one changes nothing:
  a cancelled order stays cancelled, a refund only grows (none, partial, full).
* **Refunds that are transactions of their own** (Square) are kept once each, by their own id;
  they find their sale by Payment ID, in the same file or an earlier one, and wait for it when
  it has not been imported yet. Their units are no longer to be packed.
* Blank details (customer, ship-to, totals) are filled in; details already stored stay.

An order that cannot be taken as it is (its reference belongs to an order of another channel, a
quantity finer than a thousandth) becomes a problem row like a bad cell, and `admit` decides.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from tui.imports import ChannelOrder, OrderLine, OrderStatus, Problem
from tui.services.order_state import (
    NAME,
    REF,
    SKU,
    STATUS,
    LineState,
    NotTaken,
    OrderState,
    RefundPlan,
    cents,
    fits,
    is_transaction,
    milli,
)

REFUND_RANK = {"none": 0, "partial": 1, "full": 2}


def new_order(order: ChannelOrder, today: date) -> OrderState:
    """An order seen for the first time, as the store will keep it (its customer is set after)."""
    state = OrderState(
        id=None,
        ref=fits(order.reference, REF, "order reference") or order.reference,
        channel=order.channel.value,
        customer=None,
        sold_on=order.placed_on or today,
        rows=order.rows,
        new=True,
    )
    _take_details(state, order)
    _take_status(state, order)
    lines = _lines(order.lines, order.lines_provisional)
    state.lines = lines
    state.lines_added = len(lines)
    state.payments = [p for p in order.payment_ids if p]
    state.dirty.clear()
    return state


def merge_order(state: OrderState, order: ChannelOrder) -> None:
    """Take into a stored order what the file says that the store does not have yet."""
    if state.channel != order.channel.value:
        raise NotTaken(
            f"order {order.reference} is already recorded as a {state.channel} order, "
            f"not a {order.channel.value} one: nothing of it was imported"
        )
    incoming = _lines(order.lines, order.lines_provisional)
    state.rows = order.rows
    _take_details(state, order)
    _take_status(state, order)
    _merge_lines(state, incoming, order.lines_provisional)


def _take_details(state: OrderState, order: ChannelOrder) -> None:
    ship_to = None
    if order.ship_to is not None:
        ship_to = "\n".join(p for p in (order.ship_to.name, order.ship_to.address.as_text()) if p) or None
    state.fill("placed_at", order.placed_at)
    state.fill("channel_id", (order.channel_id or "")[:REF] or None)
    state.fill("total_cents", cents(order.total))
    state.fill("currency", (order.currency or "")[:3] or None)
    state.fill("ship_to", ship_to)


def _take_status(state: OrderState, order: ChannelOrder) -> None:
    """Cancellation and refund status, forward only; Square refunds come as transactions."""
    if order.status is OrderStatus.CANCELLED:
        state.set("cancelled", True)
    if any(is_transaction(refund) for refund in order.refunds):
        state.fill("channel_status", (order.channel_status or "")[:STATUS] or None)
        return
    refunded = cents(order.refunded_amount)
    if REFUND_RANK[order.refund.value] > REFUND_RANK[state.refund]:
        state.set("refund", order.refund.value)
        state.set("channel_status", (order.channel_status or "")[:STATUS] or None)
    elif state.channel_status is None or order.channel_status == state.channel_status:
        state.fill("channel_status", (order.channel_status or "")[:STATUS] or None)
    if refunded is not None and refunded > (state.refunded_cents or 0):
        state.set("refunded_cents", refunded)


def _lines(lines: Iterable[OrderLine], provisional: bool) -> list[LineState]:
    out = []
    for line in lines:
        try:
            out.append(
                LineState(
                    id=None,
                    position=line.position,
                    sku=fits(line.sku, SKU, "SKU"),
                    name=line.name[:NAME],
                    qty_milli=milli(line.qty, "quantity"),
                    line_ref=(line.line_ref or "")[:REF] or None,
                    variant=(line.variant or "")[:NAME] or None,
                    amount_cents=None if line.unit_price is None else cents(line.unit_price * line.qty),
                    provisional=provisional,
                    row=line.row,
                )
            )
        except NotTaken as exc:
            raise NotTaken(f"row {line.row}: {exc}") from None
    return out


def _merge_lines(state: OrderState, incoming: list[LineState], provisional: bool) -> None:
    stored = [line for line in state.lines if not line.provisional]
    guessed = [line for line in state.lines if line.provisional]
    if provisional:
        if not state.lines:
            _add_lines(state, incoming)
        return
    unmatched = _match_by_ref(stored, incoming)
    pairs, added = _match_by_key(stored, unmatched)
    for old, new in pairs:
        _update(old, new)
    spare = {id(line): line for line in guessed}
    for new in added:
        reuse = next((g for g in spare.values() if g.key[0] == new.key[0] and new.key[0]), None)
        if reuse is None:
            _add_lines(state, [new])
            continue
        del spare[id(reuse)]
        for name in ("name", "qty_milli", "line_ref", "variant", "amount_cents", "provisional", "sku"):
            reuse.set(name, getattr(new, name))
        state.lines_added += 1
    for left in spare.values():
        if left.packed_milli == 0 and left.id is not None:
            state.deleted.append(left.id)
            state.lines.remove(left)


def _add_lines(state: OrderState, new: list[LineState]) -> None:
    for line in new:
        line.position = state.next_position()
        state.lines.append(line)
        state.lines_added += 1


def _match_by_ref(stored: list[LineState], incoming: list[LineState]) -> list[LineState]:
    """Pair lines that carry the same channel line id; returns the incoming lines left over."""
    by_ref = {line.line_ref: line for line in stored if line.line_ref}
    left = []
    for new in incoming:
        old = by_ref.pop(new.line_ref, None) if new.line_ref else None
        if old is None:
            left.append(new)
        else:
            stored.remove(old)
            _update(old, new)
    return left


def _match_by_key(
    stored: list[LineState], incoming: list[LineState]
) -> tuple[list[tuple[LineState, LineState]], list[LineState]]:
    """Pair lines by (SKU, name, occurrence); returns the pairs and the incoming lines left over."""
    slots: dict[tuple[str | None, str], list[LineState]] = defaultdict(list)
    for old in sorted(stored, key=lambda line: (line.position, line.id or 0)):
        slots[old.key].append(old)
    seen: Counter[tuple[str | None, str]] = Counter()
    pairs, left = [], []
    for new in incoming:
        nth = seen[new.key]
        seen[new.key] += 1
        candidates = slots.get(new.key, [])
        if nth < len(candidates):
            pairs.append((candidates[nth], new))
        else:
            left.append(new)
    return pairs, left


def _update(old: LineState, new: LineState) -> None:
    for name in ("qty_milli", "variant", "amount_cents"):
        old.set(name, getattr(new, name))
    if old.line_ref is None and new.line_ref is not None:
        old.set("line_ref", new.line_ref)


def apply_refund(order: OrderState, refund: RefundPlan) -> None:
    """Units a refund gives back are no longer to be packed; the money adds to the order's."""
    if refund.cancels_units:
        for given in refund.lines:
            left = milli(Decimal(str(given["qty"])), "refunded quantity")
            for line in _refund_targets(order, given):
                take = min(left, line.qty_milli - line.cancelled_milli)
                if take > 0:
                    line.set("cancelled_milli", line.cancelled_milli + take)
                    left -= take
    if refund.amount_cents:
        order.set("refunded_cents", (order.refunded_cents or 0) + refund.amount_cents)
    total = sum(line.qty_milli for line in order.lines)
    cancelled = sum(line.cancelled_milli for line in order.lines)
    order.set("refund", "full" if total and cancelled >= total else "partial")


def _refund_targets(order: OrderState, given: dict[str, str | None]) -> list[LineState]:
    sku, name = given.get("sku"), (given.get("name") or "").casefold()
    if sku:
        return [line for line in order.lines if line.sku and line.sku.casefold() == sku.casefold()]
    return [line for line in order.lines if not line.sku and line.name.casefold() == name]


def order_problem(order: ChannelOrder, exc: NotTaken) -> Problem:
    text = str(exc)
    if text.startswith("row ") and ": " in text:
        row, _, reason = text.partition(": ")
        return Problem(int(row.removeprefix("row ")), reason)
    return Problem(order.rows[0], text)
