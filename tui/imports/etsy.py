"""Etsy's two sold-order downloads (Shop Manager > Settings > Options > Download Data).

`EtsySoldOrderItems*.csv` has one row per transaction: the lines, with `Buyer` as
"Name (username)". `EtsySoldOrders*.csv` has one row per order: the contact and status, but its
`SKU` is a comma-joined list without quantities, so its lines are provisional (given only when
they follow exactly from the file) and the items file's lines replace them. Names may be split
over two lines inside their quotes; whitespace is folded, accents and apostrophes kept. Etsy has
no buyer e-mail in either file.
"""

from __future__ import annotations

import re
from collections import Counter
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
    Refund,
    RefundState,
)
from tui.imports.table import Record, Table
from tui.imports.values import CellError, money, quantity, text, us_date

_BUYER = re.compile(r"(?P<name>.*?)\s*\((?P<user>[^()\s]+)\)")


def buyer(value: str) -> tuple[str | None, str | None]:
    """`Zoë O'Brien (zoeobrien)` -> (name, username); a bare `zoeobrien` is taken as a username."""
    cleaned = text(value)
    if cleaned is None:
        return None, None
    match = _BUYER.fullmatch(cleaned)
    if match:
        return text(match["name"]), match["user"]
    return (None, cleaned) if " " not in cleaned else (cleaned, None)


def parse_etsy_items(table: Table) -> ParsedOrders:
    rows = Rows(table, ExportFormat.ETSY_ITEMS)
    get = table.getter
    order_id, shipped = get("Order ID"), get("Date Shipped")
    sold, currency, buyer_cell, ship_name = get("Sale Date"), get("Currency"), get("Buyer"), get("Ship Name")
    place = AddressColumns(
        table, ("Ship Address1", "Ship Address2"), "Ship City", "Ship State", "Ship Zipcode", "Ship Country"
    )
    item, qty, price, sku = get("Item Name"), get("Quantity"), get("Price"), get("SKU")
    variations, transaction = get("Variations"), get("Transaction ID")

    def line(position: int, record: Record) -> OrderLine:
        ref = text(transaction(record))
        if ref is None and transaction.present:
            raise CellError("transaction id (Transaction ID) is empty")
        return OrderLine(
            row=record.row,
            position=position,
            sku=text(sku(record)),
            name=required(item(record), "item name (Item Name)"),
            qty=quantity(qty(record), whole=True),
            unit_price=money(price(record), what="price"),
            variant=text(variations(record)),
            line_ref=ref,
        )

    orders: list[ChannelOrder] = []
    for reference, records in rows.group(order_id, "order id (Order ID) is empty").items():
        order = OrderRecords(rows, reference, records)
        lines = order.each(line)
        placed = order.parse(sold, lambda v: us_date(v, what="sale date"))
        order.parse(shipped, lambda v: us_date(v, what="date shipped"))
        if not order.ok:
            rows.left_out.append(reference)
            continue
        first = order.first
        name, username = buyer(first(buyer_cell))
        recipient = text(first(ship_name))
        where = place.read(order)
        customer = Customer(name=name or recipient, address=where, buyer_id=username)
        orders.append(
            ChannelOrder(
                channel=Channel.ETSY,
                reference=reference,
                channel_id=reference,
                rows=order.numbers,
                lines=tuple(lines),
                customer=customer if customer.name or username else None,
                ship_to=None if where is None else Recipient(recipient, where),
                placed_on=placed,
                currency=text(first(currency)),
                channel_status="shipped" if first(shipped) else None,
            )
        )
    return rows.finish(orders, ())


def parse_etsy_orders(table: Table) -> ParsedOrders:
    rows = Rows(table, ExportFormat.ETSY_ORDERS)
    get = table.getter
    order_id, sold, count, skus = get("Order ID"), get("Sale Date"), get("Number of Items"), get("SKU")
    full, first_name, last_name = get("Full Name"), get("First Name"), get("Last Name")
    buyer_id, buyer_cell, status_cell = get("Buyer User ID"), get("Buyer"), get("Status")
    place = AddressColumns(
        table, ("Street 1", "Street 2"), "Ship City", "Ship State", "Ship Zipcode", "Ship Country"
    )
    currency, total_cell, adjusted_cell = get("Currency"), get("Order Total"), get("Adjusted Order Total")

    orders: list[ChannelOrder] = []
    refunds: list[Refund] = []
    for reference, records in rows.group(order_id, "order id (Order ID) is empty").items():
        for again in records[1:]:
            rows.warn(again.row, f"order {reference} is also on row {records[0].row}: that row is used")
        order = OrderRecords(rows, reference, records[:1])
        placed = order.parse(sold, lambda v: us_date(v, what="sale date"))
        items = order.parse(count, lambda v: quantity(v, what="number of items", whole=True))
        total = order.parse(total_cell, lambda v: money(v, what="order total"))
        adjusted = order.parse(adjusted_cell, lambda v: money(v, what="adjusted order total"))
        if not order.ok:
            rows.left_out.append(reference)
            continue
        first = order.first
        row = records[0].row
        name = text(first(full)) or text(f"{first(first_name)} {first(last_name)}")
        shown_name, username = buyer(first(buyer_cell))
        where = place.read(order)
        key = text(first(buyer_id)) or username
        customer = Customer(name=name or shown_name, address=where, buyer_id=key)
        channel_status = text(first(status_cell))
        status, state, refunded = _status(channel_status, total, adjusted)
        lines = _provisional_lines(rows, reference, row, first(skus), items)
        refund = order_refund(reference, row, state, status, refunded, placed)
        refunds.extend(refund)
        orders.append(
            ChannelOrder(
                channel=Channel.ETSY,
                reference=reference,
                channel_id=reference,
                rows=(row,),
                lines=lines,
                status=status,
                refund=state,
                refunded_amount=refunded,
                refunds=refund,
                customer=customer if customer.name or customer.buyer_id else None,
                ship_to=None if where is None else Recipient(name, where),
                placed_on=placed,
                currency=text(first(currency)),
                total=total,
                channel_status=channel_status,
                lines_provisional=True,
            )
        )
    return rows.finish(orders, refunds)


def _status(
    words: str | None, total: Decimal | None, adjusted: Decimal | None
) -> tuple[OrderStatus, RefundState, Decimal | None]:
    """Etsy's `Status` words, and the refund an `Adjusted Order Total` below the total shows."""
    said = (words or "").casefold()
    status = OrderStatus.CANCELLED if "cancel" in said else OrderStatus.OPEN
    returned = None
    if total is not None and adjusted is not None and 0 < adjusted < total:
        returned = total - adjusted
    if "refund" in said:
        state = RefundState.PARTIAL if "partial" in said else RefundState.FULL
        return status, state, returned if state is RefundState.PARTIAL else (returned or total)
    if status is OrderStatus.CANCELLED:
        return status, RefundState.FULL, total
    return status, RefundState.NONE if returned is None else RefundState.PARTIAL, returned


def _provisional_lines(
    rows: Rows, reference: str, row: int, skus: str, items: Decimal | None
) -> tuple[OrderLine, ...]:
    """Lines only when the quantities follow from the file: as many SKUs listed as items sold.

    The list has one entry per transaction and leaves out transactions without a SKU, so
    `LAV-SOAP` for 2 items may be two soaps or a soap and a gift note: no lines then.
    """
    listed = [s for s in (text(part) for part in skus.split(",")) if s]
    if not listed or items is None or len(listed) != items:
        if listed or items:
            rows.warn(
                row,
                f"order {reference}: EtsySoldOrders does not say how many of each SKU were sold: "
                "import EtsySoldOrderItems for its lines",
            )
        return ()
    return tuple(
        OrderLine(row=row, position=i, sku=sku, name=sku, qty=Decimal(n))
        for i, (sku, n) in enumerate(Counter(listed).items(), 1)
    )
