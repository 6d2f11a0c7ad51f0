"""What an order export says, as typed records the store can take without looking at a CSV again.

One `ChannelOrder` per order (Shopify `#1006`, Etsy Order ID, Square Transaction ID), its lines in
file order, the customer as the platform gives them, and the refunds the file shows. Nothing here
knows the database: whether a SKU is a product, or an order was imported before, is decided later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class Channel(StrEnum):
    """Where an order was sold."""

    SHOPIFY = "shopify"
    ETSY = "etsy"
    SQUARE = "square"


class ExportFormat(StrEnum):
    """The order files we read; the values are the `--format` names of `lotkeeper import orders`."""

    SHOPIFY = "shopify"
    ETSY_ITEMS = "etsy-items"
    ETSY_ORDERS = "etsy-orders"
    SQUARE = "square"

    @property
    def channel(self) -> Channel:
        return {
            ExportFormat.SHOPIFY: Channel.SHOPIFY,
            ExportFormat.ETSY_ITEMS: Channel.ETSY,
            ExportFormat.ETSY_ORDERS: Channel.ETSY,
            ExportFormat.SQUARE: Channel.SQUARE,
        }[self]


class OrderStatus(StrEnum):
    """Whether anything of the order is still to go out.

    `cancelled` means nothing ships: Shopify `Cancelled at` set, an Etsy order canceled.
    Packing progress (`partly_packed`, `packed`) is the store's to add, not the file's.
    """

    OPEN = "open"
    CANCELLED = "cancelled"


class RefundState(StrEnum):
    """How much money went back, as the platform reports it (Shopify `Financial Status`)."""

    NONE = "none"
    PARTIAL = "partial"
    FULL = "full"


@dataclass(frozen=True, slots=True)
class Problem:
    """A row that cannot be imported as it is, numbered as a spreadsheet shows it (header = 1)."""

    row: int
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address with its lines in the order the platform gives them."""

    lines: tuple[str, ...] = ()
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None

    def as_text(self) -> str:
        """One line per part, as a label or the customer record shows it."""
        town = " ".join(p for p in (self.postal_code, self.city) if p)
        if self.region:
            town = f"{town}, {self.region}" if town else self.region
        return "\n".join(p for p in (*self.lines, town, self.country or "") if p)


@dataclass(frozen=True, slots=True)
class Customer:
    """The buyer as the channel knows them: what a recall needs to reach them.

    `buyer_id` is the channel's own key (Etsy username or Buyer User ID, Square Customer ID);
    customers are matched by e-mail first, then by it. `name` is None only when the channel
    gave an id and no name (a Square customer saved without one).
    """

    name: str | None
    email: str | None = None
    phone: str | None = None
    address: Address | None = None
    buyer_id: str | None = None


@dataclass(frozen=True, slots=True)
class Recipient:
    """Where the parcel went (it may be a gift for someone else)."""

    name: str | None
    address: Address
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class OrderLine:
    """One line of an order. A line without a SKU (gift wrap, a custom amount) needs no lot."""

    row: int
    """The spreadsheet row it came from."""
    position: int
    """1, 2, 3... within its order: with the order reference, the line's identity on re-import
    when the channel gives no line id."""
    sku: str | None
    name: str
    qty: Decimal
    """Exact, never a float; whole for Shopify and Etsy, possibly fractional for Square weights."""
    unit_price: Decimal | None = None
    variant: str | None = None
    """Etsy `Variations`, Square `Price Point Name`; Shopify puts the variant in the name."""
    line_ref: str | None = None
    """The channel's line id when it has one (Etsy `Transaction ID`)."""
    fulfillment: str | None = None
    """The channel's word for the line's shipping state (Shopify `Lineitem fulfillment status`)."""

    @property
    def needs_lot(self) -> bool:
        return self.sku is not None


@dataclass(frozen=True, slots=True)
class RefundLine:
    row: int
    sku: str | None
    name: str
    qty: Decimal
    """Units given back, positive (Square writes them as a negative `Qty`)."""


@dataclass(frozen=True, slots=True)
class Refund:
    """Money (and possibly units) given back on a sale.

    Square: its own row(s) with `Event Type` Refund, their own Transaction ID (`reference`) and the
    sale's Payment ID (`payment_id`); `order_reference` is the sale when it is in the same file,
    else None and the store links it by Payment ID. Shopify: a partially refunded order, amount
    only (units were shipped). `cancels_units`: the refunded units are no longer to be packed.
    """

    reference: str
    rows: tuple[int, ...]
    amount: Decimal | None
    cancels_units: bool
    lines: tuple[RefundLine, ...] = ()
    order_reference: str | None = None
    payment_id: str | None = None
    placed_on: date | None = None


@dataclass(frozen=True, slots=True)
class ChannelOrder:
    channel: Channel
    reference: str
    """What the maker knows it by: Shopify `Name` (#1006), Etsy `Order ID`, Square `Transaction ID`."""
    channel_id: str | None
    """The channel's internal id when different (Shopify `Id`), else the reference again."""
    rows: tuple[int, ...]
    lines: tuple[OrderLine, ...]
    status: OrderStatus = OrderStatus.OPEN
    refund: RefundState = RefundState.NONE
    refunded_amount: Decimal | None = None
    refunds: tuple[Refund, ...] = ()
    customer: Customer | None = None
    """None for a walk-in sale (most Square market sales)."""
    ship_to: Recipient | None = None
    placed_on: date | None = None
    placed_at: datetime | None = None
    """When the file gives a time: aware for Shopify, local wall-clock time for Square."""
    currency: str | None = None
    total: Decimal | None = None
    channel_status: str | None = None
    """The channel's own status words, for display (`partially_refunded`, `Completed`)."""
    payment_ids: tuple[str, ...] = ()
    """Square Payment IDs of the sale: how a refund in a later file finds it."""
    lines_provisional: bool = False
    """True for EtsySoldOrders: SKUs without per-line quantities or names. Lines from the
    EtsySoldOrderItems file replace these; this file's contacts and status still count."""


@dataclass(frozen=True, slots=True)
class ParsedOrders:
    """Everything one order export says, and what in it cannot be used."""

    format: ExportFormat
    orders: tuple[ChannelOrder, ...]
    """Orders without a bad row; an order with one bad row is left out whole (see `left_out`)."""
    refunds: tuple[Refund, ...]
    """Every refund in the file, also those whose sale is not in it (Square, by Payment ID)."""
    problems: tuple[Problem, ...]
    """Bad rows: the import is refused unless the user skips them."""
    warnings: tuple[Problem, ...]
    """Worth telling, never a reason to refuse (unknown columns, quantities the file lacks)."""
    left_out: tuple[str, ...]
    """References of orders not in `orders` because one of their rows is bad."""
    rows: int
    """Data rows read (blank rows not counted)."""
    unknown_columns: tuple[str, ...] = ()

    @property
    def channel(self) -> Channel:
        return self.format.channel
