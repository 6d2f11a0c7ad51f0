"""Rows of an export gathered into orders, with every bad row reported and its order set aside.

An order with one bad row is left out whole, never imported with a line missing: the maker fixes
the row (or skips the order on purpose with --skip-bad) and nothing is half-imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import TypeVar

from tui.imports.formats import DESCRIPTIONS, known_columns
from tui.imports.records import (
    Address,
    ChannelOrder,
    ExportFormat,
    OrderStatus,
    ParsedOrders,
    Problem,
    Refund,
    RefundState,
)
from tui.imports.table import Cell, Record, Table
from tui.imports.values import CellError, code, text

T = TypeVar("T")


class Rows:
    """The problems and warnings of one file being read."""

    def __init__(self, table: Table, fmt: ExportFormat) -> None:
        self.table = table
        self.format = fmt
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.left_out: list[str] = []
        self.unknown = table.unknown(known_columns(fmt))
        for name in self.unknown:
            self.warn(1, f"column {name!r} is not part of a {DESCRIPTIONS[fmt]} file: ignored")

    def bad(self, row: int, reason: str) -> None:
        self.problems.append(Problem(row, reason))

    def warn(self, row: int, reason: str) -> None:
        self.warnings.append(Problem(row, reason))

    def group(self, reference: Cell, missing: str) -> dict[str, list[Record]]:
        """Records by order reference, in the order each reference first appears."""
        groups: dict[str, list[Record]] = {}
        for record in self.table.records:
            key = text(reference(record))
            if key is None:
                self.bad(record.row, missing)
            else:
                groups.setdefault(key, []).append(record)
        return groups

    def finish(self, orders: Iterable[ChannelOrder], refunds: Iterable[Refund]) -> ParsedOrders:
        return ParsedOrders(
            format=self.format,
            orders=tuple(orders),
            refunds=tuple(refunds),
            problems=tuple(sorted(self.problems, key=lambda p: p.row)),
            warnings=tuple(sorted(self.warnings, key=lambda p: p.row)),
            left_out=tuple(self.left_out),
            rows=len(self.table.records),
            unknown_columns=tuple(self.unknown),
        )


class OrderRecords:
    """The records of one order; reading them reports bad cells and marks the order spoilt."""

    def __init__(self, rows: Rows, reference: str, records: list[Record]) -> None:
        self.rows = rows
        self.reference = reference
        self.records = records
        self.ok = True

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(r.row for r in self.records)

    def fail(self, row: int, reason: str) -> None:
        self.rows.bad(row, reason)
        self.ok = False

    def first(self, cell: Cell) -> str:
        """The order-level value: the first non-empty one (Shopify fills only the first row)."""
        position = cell.position
        if position is None:
            return ""
        for record in self.records:
            value = record.cells[position]
            if value and not value.isspace():
                return value.strip()
        return ""

    def parse(self, cell: Cell, parser: Callable[[str], T | None]) -> T | None:
        for record in self.records:
            raw = cell(record)
            if raw:
                try:
                    return parser(raw)
                except CellError as exc:
                    self.fail(record.row, exc.reason)
                    return None
        return None

    def each(self, read: Callable[[int, Record], T]) -> list[T]:
        """`read(position, record)` for every record (position 1, 2, ...); bad ones reported."""
        out: list[T] = []
        for position, record in enumerate(self.records, 1):
            try:
                out.append(read(position, record))
            except CellError as exc:
                self.fail(record.row, exc.reason)
        return out


def order_refund(
    reference: str, row: int, state: RefundState, status: OrderStatus, amount: Decimal | None, on: date | None
) -> tuple[Refund, ...]:
    """The refund a whole-order status reports (Shopify, Etsy): money only, no refunded lines.

    Units count as cancelled only when the order is: a partial refund after shipping leaves
    them shipped.
    """
    if state is RefundState.NONE:
        return ()
    cancels = status is OrderStatus.CANCELLED
    return (Refund(reference, (row,), amount, cancels, order_reference=reference, placed_on=on),)


def required(value: str, what: str) -> str:
    cleaned = text(value)
    if cleaned is None:
        raise CellError(f"{what} is empty")
    return cleaned


class AddressColumns:
    """The columns of one postal address in an export, read as the order-level value."""

    def __init__(
        self, table: Table, lines: Sequence[str], city: str, region: str, postal_code: str, country: str
    ) -> None:
        get = table.getter
        self.lines = [get(name) for name in lines]
        self.city, self.region = get(city), get(region)
        self.postal_code, self.country = get(postal_code), get(country)

    def read(self, order: OrderRecords) -> Address | None:
        """The address; None when every part is empty."""
        first = order.first
        found = Address(
            lines=tuple(v for v in (text(first(cell)) for cell in self.lines) if v),
            city=text(first(self.city)),
            region=text(first(self.region)),
            postal_code=code(first(self.postal_code)),
            country=text(first(self.country)),
        )
        return found if found != Address() else None
