"""Importing an order export (Shopify, Etsy, Square): read it, work out what changes, write it once.

The whole file is read and compared with the store first (`order_plan`, `customer_match`);
`admit` then refuses a file with bad rows unless they are to be skipped, and only then is
anything written, in one transaction. A dry run stops before writing, so it reports exactly what
the real import would do. Re-importing a file, or one that overlaps an earlier export, adds
nothing twice: orders are known by their reference, refunds by their own id.

Writes are batched (`tui.store.bulk`): ids first, then one INSERT per table and chunk, because
a year of orders is tens of thousands of rows.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tui.imports import ChannelOrder, ExportFormat, ImportOptions, ParsedOrders, Problem, admit, parse_orders
from tui.services.catalog import get_station
from tui.services.customer_match import CustomerBook, PossibleDuplicate
from tui.services.order_plan import apply_refund, merge_order, new_order, order_problem
from tui.services.order_state import (
    NotTaken,
    OrderState,
    RefundPlan,
    cents,
    is_transaction,
    load_orders,
    refund_lines,
    sales_of_payments,
    stored_refunds,
)
from tui.store.bulk import CHUNK, chunks, insert, reserve_ids
from tui.store.db import writing
from tui.store.models import Customer, CustomerAccount, OrderLine, OrderPayment, OrderRefund, Sale
from tui.store.sql import fetch

Progress = Callable[[int, int], None]
"""Called with (orders written, orders to write) while an import writes: for a progress bar."""


@dataclass(frozen=True, slots=True)
class UnmatchedLine:
    """A line whose SKU no product has (yet): kept, and packable once the product exists."""

    row: int
    sku: str
    name: str


@dataclass(frozen=True)
class OrderImport:
    """What an import did (or, in a dry run, would do)."""

    format: ExportFormat
    orders_added: int
    orders_updated: int
    orders_unchanged: int
    lines_added: int
    customers_added: int
    customers_updated: int
    refunds_added: int
    refunds_waiting: int
    """Refunds whose sale is in no file imported yet: applied when it is."""
    unmatched: tuple[UnmatchedLine, ...]
    problems: tuple[Problem, ...]
    """Bad rows left out (only with skip_bad: otherwise the import is refused)."""
    warnings: tuple[Problem, ...]
    possible_duplicates: tuple[PossibleDuplicate, ...]
    rows: int
    dry_run: bool

    def to_json(self) -> dict[str, Any]:
        """The `lotkeeper import orders --json` document (keys are a public contract)."""
        return {
            "format": self.format.value,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "orders_added": self.orders_added,
            "orders_updated": self.orders_updated,
            "orders_unchanged": self.orders_unchanged,
            "lines_added": self.lines_added,
            "customers_added": self.customers_added,
            "customers_updated": self.customers_updated,
            "refunds_added": self.refunds_added,
            "refunds_waiting": self.refunds_waiting,
            "unmatched": [{"row": u.row, "sku": u.sku, "name": u.name} for u in self.unmatched],
            "problems": [{"row": p.row, "reason": p.reason} for p in self.problems],
            "warnings": [{"row": w.row, "reason": w.reason} for w in self.warnings],
            "possible_duplicates": [
                {"row": d.row, "name": d.name, "reason": d.reason} for d in self.possible_duplicates
            ],
        }


@dataclass
class _Plan:
    parsed: ParsedOrders
    book: CustomerBook
    orders: dict[str, OrderState] = field(default_factory=dict)
    """Every order the import takes (new, changed or unchanged), by reference."""
    refunds: list[RefundPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    unmatched: list[UnmatchedLine] = field(default_factory=list)

    def report(self, dry_run: bool) -> OrderImport:
        stored = [o for o in self.orders.values() if not o.new]
        return OrderImport(
            format=self.parsed.format,
            orders_added=sum(1 for o in self.orders.values() if o.new),
            orders_updated=sum(1 for o in stored if o.changed),
            orders_unchanged=sum(1 for o in stored if not o.changed),
            lines_added=sum(o.lines_added for o in self.orders.values()),
            customers_added=len(self.book.added),
            customers_updated=len(self.book.completed),
            refunds_added=sum(1 for r in self.refunds if r.id is None),
            refunds_waiting=sum(1 for r in self.refunds if r.order is None),
            unmatched=tuple(self.unmatched),
            problems=tuple(sorted(self.problems, key=lambda p: p.row)),
            warnings=tuple(sorted(self.warnings, key=lambda p: p.row)),
            possible_duplicates=tuple(self.book.duplicates),
            rows=self.parsed.rows,
            dry_run=dry_run,
        )


async def import_orders(
    text: str,
    fmt: ExportFormat | str | None = None,
    *,
    options: ImportOptions = ImportOptions(),  # noqa: B008  (frozen dataclass: a safe default)
    station: str = "bench",
    today: date | None = None,
    progress: Progress | None = None,
) -> OrderImport:
    """Import an export's text; `fmt` (a `--format` name) is detected from the header when None.

    Raises `BadImportFile` for a file that is no known export, `ImportRefused` (listing every
    bad row) when rows are bad and `options.skip_bad` is off: nothing is written then.
    The parse runs in a thread: a long file does not hold up a screen's event loop.
    """
    parsed = await asyncio.to_thread(parse_orders, text, fmt)
    day = today or date.today()
    if options.dry_run:
        plan = await _plan(parsed, day)
        admit(plan.problems, options)
        return plan.report(dry_run=True)
    async with writing():
        plan = await _plan(parsed, day)
        admit(plan.problems, options)
        await _write(plan, station, progress)
    return plan.report(dry_run=False)


async def _plan(parsed: ParsedOrders, today: date) -> _Plan:
    channel = parsed.channel.value
    events = [r for r in parsed.refunds if is_transaction(r)]
    incoming = [p for o in parsed.orders for p in o.payment_ids]
    payments = await sales_of_payments([*incoming, *(r.payment_id for r in events if r.payment_id)])
    stored = await load_orders((o.reference for o in parsed.orders), payments.values())
    stored_by_id = {o.id: o for o in stored.values() if o.id is not None}
    plan = _Plan(parsed, await CustomerBook.load(channel))
    plan.problems.extend(parsed.problems)
    plan.warnings.extend(parsed.warnings)
    for order in parsed.orders:
        try:
            state = _take(plan, order, stored.get(order.reference), today)
        except NotTaken as exc:
            plan.problems.append(order_problem(order, exc))
            continue
        state.payments = [p for p in state.payments if p not in payments]
        plan.orders[order.reference] = state
    known = await stored_refunds(channel, [r.reference for r in events], incoming)
    _link_refunds(plan, events, known, payments, stored_by_id)
    await _unmatched(plan)
    return plan


def _take(plan: _Plan, order: ChannelOrder, stored: OrderState | None, today: date) -> OrderState:
    if stored is None:
        state = new_order(order, today)
        state.customer = plan.book.match(order.customer, order.rows[0])
        return state
    merge_order(stored, order)
    if stored.customer is None:
        stored.fill("customer", plan.book.match(order.customer, order.rows[0]))
    else:
        plan.book.complete(stored.customer, order.customer)
    stored.payments = [p for p in order.payment_ids if p]
    return stored


def _link_refunds(
    plan: _Plan,
    events: list[Any],
    known: list[RefundPlan],
    payments: dict[str, int],
    stored_by_id: dict[int, OrderState],
) -> None:
    """Refund transactions: each applied once to its sale, found in the file or the store."""
    by_ref = {r.ref: r for r in known}
    by_payment = {p: o for o in plan.orders.values() if o.new for p in o.payments}
    for refund in events:
        found = by_ref.pop(refund.reference, None)
        if found is not None and found.linked:
            continue
        item = found or RefundPlan(
            None,
            refund.reference,
            refund.payment_id,
            cents(refund.amount),
            refund.cancels_units,
            refund_lines(refund),
            refund.placed_on,
        )
        item.rows = refund.rows
        target = plan.orders.get(refund.order_reference or "")
        if target is None and refund.payment_id in payments:
            target = stored_by_id[payments[refund.payment_id]]
            plan.orders.setdefault(target.ref, target)
        _settle(plan, item, target)
    for waiting in by_ref.values():  # stored earlier, their sale arrives now
        if not waiting.linked and waiting.payment_id in by_payment:
            _settle(plan, waiting, by_payment[waiting.payment_id])


def _settle(plan: _Plan, refund: RefundPlan, order: OrderState | None) -> None:
    try:
        if order is not None:
            apply_refund(order, refund)
    except NotTaken as exc:
        plan.problems.append(Problem(refund.rows[0] if refund.rows else 1, str(exc)))
        return
    refund.order = order
    plan.refunds.append(refund)
    if order is None and refund.rows:
        plan.warnings.append(
            Problem(
                refund.rows[0],
                f"refund {refund.ref} is for payment {refund.payment_id}, whose sale is in no file "
                "imported yet: it is kept and applied when that sale is imported",
            )
        )


async def _unmatched(plan: _Plan) -> None:
    products = {str(sku).casefold() for (sku,) in await fetch("SELECT sku FROM product")}
    for order in plan.parsed.orders:
        if order.reference in plan.orders:
            plan.unmatched.extend(
                UnmatchedLine(line.row, line.sku, line.name)
                for line in order.lines
                if line.sku and line.sku.casefold() not in products
            )


async def _write(plan: _Plan, station: str, progress: Progress | None) -> None:
    station_id = (await get_station(station)).id
    channel = plan.parsed.channel.value
    book = plan.book
    added = book.added
    ids = dict(zip((c.key for c in added), await reserve_ids(Customer, len(added)), strict=True))

    def who(key: int | None) -> int | None:
        return None if key is None else ids.get(key, key)

    new_customers = (
        Customer(id=ids[c.key], name=c.name, email=c.email, phone=c.phone, address=c.address) for c in added
    )
    await insert(Customer, new_customers)
    for customer in book.completed:
        await Customer.filter(id=customer.key).update(**customer.changes)
    await insert(
        CustomerAccount,
        (CustomerAccount(customer_id=who(k), channel=channel, buyer_id=b) for k, b in book.new_accounts),
    )
    orders = list(plan.orders.values())
    fresh = [o for o in orders if o.new]
    for order, sale_id in zip(fresh, await reserve_ids(Sale, len(fresh)), strict=True):
        order.id = sale_id
    done = 0
    if progress is not None:
        progress(done, len(orders))
    for part in chunks(orders, CHUNK):
        await _write_orders(part, station_id, who)
        done += len(part)
        if progress is not None:
            progress(done, len(orders))
    await _write_refunds(plan.refunds, channel)


async def _write_orders(
    orders: Sequence[OrderState], station_id: int, who: Callable[[int | None], int | None]
) -> None:
    await insert(Sale, (_sale(o, station_id, who) for o in orders if o.new))
    for order in orders:
        if not order.new and order.dirty:
            changes = {name: getattr(order, name) for name in order.dirty if name != "customer"}
            if "customer" in order.dirty:
                changes["customer_id"] = who(order.customer)
            await Sale.filter(id=order.id).update(**changes)
        for line in order.lines:
            if line.id is not None and line.dirty:
                await OrderLine.filter(id=line.id).update(**{n: getattr(line, n) for n in line.dirty})
        if order.deleted:
            await OrderLine.filter(id__in=order.deleted).delete()
    await insert(
        OrderLine,
        (
            OrderLine(
                sale_id=order.id,
                position=line.position,
                line_ref=line.line_ref,
                sku=line.sku,
                name=line.name,
                variant=line.variant,
                qty_milli=line.qty_milli,
                cancelled_milli=line.cancelled_milli,
                amount_cents=line.amount_cents,
                provisional=line.provisional,
            )
            for order in orders
            for line in order.lines
            if line.id is None
        ),
    )
    await insert(OrderPayment, (OrderPayment(sale_id=o.id, payment_id=p) for o in orders for p in o.payments))


def _sale(order: OrderState, station_id: int, who: Callable[[int | None], int | None]) -> Sale:
    return Sale(
        id=order.id,
        ref=order.ref,
        customer_id=who(order.customer),
        channel=order.channel,
        sold_on=order.sold_on,
        station_id=station_id,
        placed_at=order.placed_at,
        channel_id=order.channel_id,
        cancelled=order.cancelled,
        channel_status=order.channel_status,
        refund=order.refund,
        refunded_cents=order.refunded_cents,
        total_cents=order.total_cents,
        currency=order.currency,
        ship_to=order.ship_to,
    )


async def _write_refunds(refunds: list[RefundPlan], channel: str) -> None:
    await insert(
        OrderRefund,
        (
            OrderRefund(
                channel=channel,
                ref=r.ref,
                sale_id=r.order.id if r.order else None,
                payment_id=r.payment_id,
                amount_cents=r.amount_cents,
                cancels_units=r.cancels_units,
                lines=r.lines,
                placed_on=r.placed_on,
            )
            for r in refunds
            if r.id is None
        ),
    )
    for refund in refunds:
        if refund.id is not None and refund.order is not None:
            await OrderRefund.filter(id=refund.id).update(sale_id=refund.order.id)
