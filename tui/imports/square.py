"""Square's item sales detail export (Dashboard > Reports > Item sales > Export > Item Detail).

One row per item line; `Transaction ID` is the sale. A refund is its own row: `Event Type`
Refund, a negative `Qty`, its own Transaction ID and the Payment ID of the sale it refunds; the
sale may be in an earlier file, so refunds are kept with their Payment ID for the store to link.
Most market sales have no customer at all. `Custom Amount` lines (typed at the till) have no SKU.
Money comes as `$8.00` and `-$9.00`, quantities as `1.0`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from tui.imports.grouping import OrderRecords, Rows, required
from tui.imports.records import (
    Channel,
    ChannelOrder,
    Customer,
    ExportFormat,
    OrderLine,
    ParsedOrders,
    Refund,
    RefundLine,
    RefundState,
)
from tui.imports.table import Record, Table
from tui.imports.values import CellError, day_and_time, money, quantity, text

CENT = Decimal("0.01")


class _Columns:
    def __init__(self, table: Table) -> None:
        get = table.getter
        self.transaction = get("Transaction ID")
        self.payment = get("Payment ID")
        self.event = get("Event Type")
        self.date = get("Date")
        self.time = get("Time")
        self.item = get("Item")
        self.qty = get("Qty")
        self.variant = get("Price Point Name")
        self.sku = get("SKU")
        self.gross = get("Gross Sales")
        self.customer_id = get("Customer ID")
        self.customer_name = get("Customer Name")
        self.customer_ref = get("Customer Reference ID")


def parse_square(table: Table) -> ParsedOrders:
    rows = Rows(table, ExportFormat.SQUARE)
    c = _Columns(table)
    if not c.payment.present:
        rows.warn(1, "no Payment ID column: refunds cannot be matched to their sales")
    sales: list[ChannelOrder] = []
    refunds: list[Refund] = []
    for reference, records in rows.group(c.transaction, "transaction id (Transaction ID) is empty").items():
        group = OrderRecords(rows, reference, records)
        kinds = {_is_refund(c, r) for r in records}
        if len(kinds) > 1:
            group.fail(records[0].row, f"transaction {reference} mixes sale and refund rows")
        elif kinds == {True}:
            refund = _refund(group, c)
            if refund is not None:
                refunds.append(refund)
        else:
            sale = _sale(group, c)
            if sale is not None:
                sales.append(sale)
        if not group.ok:
            rows.left_out.append(reference)
    return rows.finish(_link(sales, refunds), refunds_linked(sales, refunds))


def _is_refund(c: _Columns, record: Record) -> bool:
    event = c.event(record).casefold()
    if event:
        return event == "refund"
    return c.qty(record).lstrip().startswith(("-", "−"))


def _sale(group: OrderRecords, c: _Columns) -> ChannelOrder | None:
    def line(position: int, record: Record) -> tuple[OrderLine, Decimal]:
        event = text(c.event(record))
        if event is not None and event.casefold() != "payment":
            raise CellError(f"event type {event!r} is neither Payment nor Refund")
        qty = quantity(c.qty(record), whole=False)
        gross = money(c.gross(record), what="gross sales")
        item = OrderLine(
            row=record.row,
            position=position,
            sku=text(c.sku(record)),
            name=required(c.item(record), "item name (Item)"),
            qty=qty,
            unit_price=None if gross is None else _per_unit(gross, qty),
            variant=text(c.variant(record)),
        )
        return item, gross or Decimal(0)

    parts = group.each(line)
    placed_on, placed_at = _placed(group, c)
    if not group.ok:
        return None
    return ChannelOrder(
        channel=Channel.SQUARE,
        reference=group.reference,
        channel_id=group.reference,
        rows=group.numbers,
        lines=tuple(item for item, _ in parts),
        customer=_customer(group, c),
        placed_on=placed_on,
        placed_at=placed_at,
        total=sum((gross for _, gross in parts), Decimal(0)),
        channel_status="Payment",
        payment_ids=_payment_ids(group, c),
    )


def _refund(group: OrderRecords, c: _Columns) -> Refund | None:
    def line(_: int, record: Record) -> tuple[RefundLine, Decimal]:
        qty = quantity(c.qty(record), whole=False, signed=True)
        if qty > 0:
            raise CellError(f"a refund row has a positive quantity ({c.qty(record)})")
        gross = money(c.gross(record), what="gross sales") or Decimal(0)
        item = RefundLine(record.row, text(c.sku(record)), required(c.item(record), "item name (Item)"), -qty)
        return item, -gross

    parts = group.each(line)
    placed_on, _ = _placed(group, c)
    if not group.ok:
        return None
    payments = _payment_ids(group, c)
    return Refund(
        reference=group.reference,
        rows=group.numbers,
        amount=sum((amount for _, amount in parts), Decimal(0)),
        cancels_units=True,
        lines=tuple(item for item, _ in parts),
        payment_id=payments[0] if payments else None,
        placed_on=placed_on,
    )


def _placed(group: OrderRecords, c: _Columns) -> tuple[date | None, datetime | None]:
    first = group.records[0]
    try:
        return day_and_time(c.date(first), c.time(first), what="date")
    except CellError as exc:
        group.fail(first.row, exc.reason)
        return None, None


def _per_unit(gross: Decimal, qty: Decimal) -> Decimal:
    unit = gross / qty
    return unit.quantize(CENT) if unit == unit.quantize(CENT) else unit.quantize(Decimal("0.0001"))


def _customer(group: OrderRecords, c: _Columns) -> Customer | None:
    name = text(group.first(c.customer_name))
    key = text(group.first(c.customer_id)) or text(group.first(c.customer_ref))
    return None if name is None and key is None else Customer(name=name, buyer_id=key)


def _payment_ids(group: OrderRecords, c: _Columns) -> tuple[str, ...]:
    found = (text(c.payment(r)) for r in group.records)
    return tuple(dict.fromkeys(p for p in found if p))


def refunds_linked(sales: list[ChannelOrder], refunds: list[Refund]) -> list[Refund]:
    """Every refund, with `order_reference` set when its sale is in the same file."""
    by_payment = {p: sale.reference for sale in sales for p in sale.payment_ids}
    return [replace(r, order_reference=by_payment.get(r.payment_id or "")) for r in refunds]


def _link(sales: list[ChannelOrder], refunds: list[Refund]) -> list[ChannelOrder]:
    """Sales with the refunds of their Payment IDs, and how much of the sale they gave back."""
    mine: dict[str, list[Refund]] = defaultdict(list)
    for refund in refunds_linked(sales, refunds):
        if refund.order_reference is not None:
            mine[refund.order_reference].append(refund)
    linked = []
    for sale in sales:
        own = mine.get(sale.reference, [])
        if not own:
            linked.append(sale)
            continue
        returned = sum((r.amount or Decimal(0) for r in own), Decimal(0))
        units = sum((line.qty for r in own for line in r.lines), Decimal(0))
        sold = sum((line.qty for line in sale.lines), Decimal(0))
        state = RefundState.FULL if units >= sold else RefundState.PARTIAL
        linked.append(replace(sale, refunds=tuple(own), refund=state, refunded_amount=returned))
    return linked
