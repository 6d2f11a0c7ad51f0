"""Shopify's orders export: one row per line item, the order's own fields on its first row only.

`Name` (#1006) is the order number makers know; `Id` is Shopify's internal one. `Cancelled at`
set means nothing ships (with `Financial Status` refunded or voided); `partially_refunded` means
the units shipped and some money went back (`Refunded Amount`); the export has no refund lines.
"""

from __future__ import annotations

from decimal import Decimal

from tui.imports.grouping import AddressColumns, OrderRecords, Rows, order_refund, required
from tui.imports.records import (
    Channel,
    ChannelOrder,
    Customer,
    ExportFormat,
    OrderLine,
    OrderStatus,
    ParsedOrders,
    Recipient,
    RefundState,
)
from tui.imports.table import Record, Table
from tui.imports.values import code, money, quantity, text, timestamp


class _Columns:
    def __init__(self, table: Table) -> None:
        get = table.getter
        self.name = get("Name")
        self.id = get("Id")
        self.email = get("Email")
        self.phone = get("Phone")
        self.financial = get("Financial Status")
        self.cancelled = get("Cancelled at")
        self.refunded = get("Refunded Amount")
        self.total = get("Total")
        self.currency = get("Currency")
        self.created = get("Created at")
        self.qty = get("Lineitem quantity")
        self.item = get("Lineitem name")
        self.price = get("Lineitem price")
        self.sku = get("Lineitem sku")
        self.fulfillment = get("Lineitem fulfillment status")
        self.billing = _Place(table, "Billing")
        self.shipping = _Place(table, "Shipping")


class _Place:
    """The Billing or Shipping block of columns."""

    def __init__(self, table: Table, prefix: str) -> None:
        self.name = table.getter(f"{prefix} Name")
        self.phone = table.getter(f"{prefix} Phone")
        first_line = f"{prefix} Address1" if table.has(f"{prefix} Address1") else f"{prefix} Street"
        self.address = AddressColumns(
            table,
            (first_line, f"{prefix} Address2", f"{prefix} Company"),
            f"{prefix} City",
            f"{prefix} Province",
            f"{prefix} Zip",
            f"{prefix} Country",
        )

    def read(self, order: OrderRecords) -> tuple[str | None, Recipient | None]:
        where = self.address.read(order)
        name = text(order.first(self.name))
        return name, None if where is None else Recipient(name, where, code(order.first(self.phone)))


def parse_shopify(table: Table) -> ParsedOrders:
    rows = Rows(table, ExportFormat.SHOPIFY)
    columns = _Columns(table)
    orders: list[ChannelOrder] = []
    for reference, records in rows.group(columns.name, "order number (Name) is empty").items():
        order = _order(OrderRecords(rows, reference, records), columns)
        if order is None:
            rows.left_out.append(reference)
        else:
            orders.append(order)
    return rows.finish(orders, (r for o in orders for r in o.refunds))


def _order(order: OrderRecords, c: _Columns) -> ChannelOrder | None:
    def line(position: int, record: Record) -> OrderLine:
        return OrderLine(
            row=record.row,
            position=position,
            sku=text(c.sku(record)),
            name=required(c.item(record), "item name (Lineitem name)"),
            qty=quantity(c.qty(record), what="quantity", whole=True),
            unit_price=money(c.price(record), what="price"),
            fulfillment=text(c.fulfillment(record)),
        )

    lines = order.each(line)
    created = order.parse(c.created, lambda v: timestamp(v, what="Created at"))
    order.parse(c.cancelled, lambda v: timestamp(v, what="Cancelled at"))
    refunded = order.parse(c.refunded, lambda v: money(v, what="Refunded Amount")) or None
    total = order.parse(c.total, lambda v: money(v, what="Total"))
    if not order.ok:
        return None
    billing_name, billing = c.billing.read(order)
    shipping_name, ship_to = c.shipping.read(order)
    email = text(order.first(c.email))
    name = billing_name or shipping_name
    phones = (c.phone, c.billing.phone, c.shipping.phone)
    phone = next((p for p in (code(order.first(cell)) for cell in phones) if p), None)
    customer = None
    if name or email:
        where = billing.address if billing else ship_to.address if ship_to else None
        customer = Customer(name=name, email=email, phone=phone, address=where)
    financial = text(order.first(c.financial))
    status = OrderStatus.CANCELLED if order.first(c.cancelled) else OrderStatus.OPEN
    state = _refund_state(financial, refunded)
    placed_on = None if created is None else created.date()
    refunds = order_refund(order.reference, order.numbers[0], state, status, refunded, placed_on)
    return ChannelOrder(
        channel=Channel.SHOPIFY,
        reference=order.reference,
        channel_id=text(order.first(c.id)) or order.reference,
        rows=order.numbers,
        lines=tuple(lines),
        status=status,
        refund=state,
        refunded_amount=refunded,
        refunds=refunds,
        customer=customer,
        ship_to=ship_to,
        placed_on=placed_on,
        placed_at=created,
        currency=text(order.first(c.currency)),
        total=total,
        channel_status=financial,
    )


def _refund_state(financial: str | None, refunded: Decimal | None) -> RefundState:
    status = (financial or "").casefold()
    if status == "refunded":
        return RefundState.FULL
    if status == "partially_refunded" or refunded is not None:
        return RefundState.PARTIAL
    return RefundState.NONE
