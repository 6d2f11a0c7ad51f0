"""A trace's result: the two trees, the customers, and the trace as JSON.

The forward tree of a big recall ends in 100,000 sale lines. They stay as the columns the query
returned (`Sales`), and a line's node is made only when it is read (`Children`): a screen shows
a few of them, and `Trace.json_chunks` writes them out a lot at a time, never all at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple, overload

import orjson

from tui.services.complaints import ComplaintView
from tui.store.quantities import from_milli
from tui.store.sql import as_date

# A trace converts the same few dates and quantities thousands of times: convert each once.
to_day = lru_cache(maxsize=8192)(as_date)
to_qty = lru_cache(maxsize=8192)(lambda milli: from_milli(int(milli)))
_qty_text = lru_cache(maxsize=8192)(lambda milli: format(to_qty(milli), "f"))


@lru_cache(maxsize=8192)
def _day_text(value: Any) -> str | None:
    dated = to_day(value)
    return None if dated is None else dated.isoformat()


new_node = tuple.__new__  # a NamedTuple from a full tuple, skipping its keyword-handling __new__


class TraceNode(NamedTuple):
    """One step of a tree: a material lot, a batch, a sale line or an order.

    `qty` and `unit` say what flowed along the branch, in the unit of the lot that gave it. In
    the forward tree: how much of the parent this batch consumed or this sale line sold. In the
    backward tree: how much of this lot went into the root along this branch, so under a batch
    that used 10 ml of a 50 ml blend batch, the blend's 40 ml of lavender shows as 8 ml (the
    share, rounded once to a thousandth). At the root: the quantity received or made. Sale
    nodes carry the order ref as `code` and as `order`.

    A NamedTuple rather than a frozen dataclass: it is cheap to build. A batch's sale lines
    are made only when its `children` are read (see `Children`): a recall can reach 100,000.
    """

    code: str
    kind: str
    item: str
    qty: Decimal | None
    unit: str
    dated: date | None = None
    supplier: str | None = None
    supplier_lot: str | None = None
    customer: str | None = None
    order: str | None = None
    children: Sequence[TraceNode] = ()

    def to_json(self) -> dict[str, Any]:
        return self._json_fields() | {"children": [child.to_json() for child in self.children]}

    def _json_fields(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "kind": self.kind,
            "item": self.item,
            "qty": None if self.qty is None else format(self.qty, "f"),
            "unit": self.unit,
            "dated": None if self.dated is None else self.dated.isoformat(),
            "supplier": self.supplier,
            "supplier_lot": self.supplier_lot,
            "customer": self.customer,
            "order": self.order,
        }

    def json_chunks(self) -> Iterator[bytes]:
        """`to_json()` as compact JSON, a piece at a time."""
        yield orjson.dumps(self._json_fields())[:-1] + b',"children":['
        children = self.children
        if isinstance(children, Children):
            yield from children.json_chunks()
        else:
            for i, child in enumerate(children):
                if i:
                    yield b","
                yield from child.json_chunks()
        yield b"]}"


class TracedCustomer(NamedTuple):
    name: str
    email: str | None
    orders: tuple[str, ...]
    phone: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class Trace:
    code: str
    kind: str
    """`material_lot`, `batch` or `order`."""
    material_lots: tuple[str, ...]
    batches: tuple[str, ...]
    customers: tuple[TracedCustomer, ...]
    suppliers: tuple[str, ...]
    backward: TraceNode
    forward: TraceNode
    walk_in_orders: tuple[str, ...] = ()
    """Orders that took some of it without a customer (market sales): no one to contact."""
    complaints: tuple[ComplaintView, ...] = ()
    """Complaints logged against any batch in `batches`, oldest first."""

    def to_json(self) -> dict[str, Any]:
        return self._head() | {
            "backward": self.backward.to_json(),
            "forward": self.forward.to_json(),
            "walk_in_orders": list(self.walk_in_orders),
            "complaints": [c.to_json() for c in self.complaints],
        }

    def _head(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "kind": self.kind,
            "material_lots": list(self.material_lots),
            "batches": list(self.batches),
            "customers": [
                {
                    "name": c.name,
                    "email": c.email,
                    "orders": list(c.orders),
                    "phone": c.phone,
                    "address": c.address,
                }
                for c in self.customers
            ],
            "suppliers": list(self.suppliers),
        }

    def json_chunks(self) -> Iterator[bytes]:
        """`to_json()` as compact JSON (the bytes orjson would write for it), a piece at a time:
        a recall's sale lines are turned into JSON a lot at a time, never all held at once."""
        yield orjson.dumps(self._head())[:-1] + b',"backward":'
        yield from self.backward.json_chunks()
        yield b',"forward":'
        yield from self.forward.json_chunks()
        yield b',"walk_in_orders":' + orjson.dumps(list(self.walk_in_orders))
        yield b',"complaints":' + orjson.dumps([c.to_json() for c in self.complaints]) + b"}"


class Sales:
    """One lot's sale lines as the columns the query gave; a line's node is made when read."""

    __slots__ = ("_order", "cids", "customers", "days", "item", "qtys", "refs", "unit")

    def __init__(
        self, item: str, unit: str, columns: list[list[Any]], customers: dict[int | None, str]
    ) -> None:
        self.item, self.unit, self.customers = item, unit, customers
        self.refs, self.days, self.cids, self.qtys = columns
        self._order: list[int] | None = None

    def __len__(self) -> int:
        return len(self.refs)

    def _sorted(self) -> list[int]:
        if self._order is None:
            refs, days = self.refs, self.days
            self._order = sorted(range(len(refs)), key=lambda i: (days[i], refs[i]))
        return self._order

    def node(self, index: int) -> TraceNode:
        """The `index`-th line by day, then order ref (then as sold)."""
        i = self._sorted()[index]
        ref, qty, cid = self.refs[i], self.qtys[i], self.cids[i]
        fields = (ref, "sale", self.item, to_qty(qty), self.unit, to_day(self.days[i]))
        return new_node(TraceNode, (*fields, None, None, self.customers.get(cid), ref, ()))

    def json_rows(self) -> list[dict[str, Any]]:
        """Every line as `TraceNode.to_json` would give it, in the same order."""
        item, unit, names = self.item, self.unit, self.customers
        columns = self.refs, self.days, self.cids, self.qtys
        rows = [
            {
                "code": ref,
                "kind": "sale",
                "item": item,
                "qty": _qty_text(milli),
                "unit": unit,
                "dated": _day_text(sold_on),
                "supplier": None,
                "supplier_lot": None,
                "customer": names[cid],
                "order": ref,
                "children": [],
            }
            for ref, sold_on, cid, milli in zip(*columns, strict=True)
        ]
        return [rows[i] for i in self._sorted()]


class Children(Sequence[TraceNode]):
    """A node's children: the lots below it (built with the tree), then its sale lines (made one
    by one as they are read: a screen shows a few of a batch's hundreds, a recall 100,000)."""

    __slots__ = ("_lots", "_sales")

    def __init__(self, lots: tuple[TraceNode, ...], sales: Sales | None = None) -> None:
        self._lots, self._sales = lots, sales

    def __len__(self) -> int:
        return len(self._lots) + (len(self._sales) if self._sales is not None else 0)

    @overload
    def __getitem__(self, index: int) -> TraceNode: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[TraceNode, ...]: ...
    def __getitem__(self, index: int | slice) -> TraceNode | tuple[TraceNode, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        size, lots = len(self), len(self._lots)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError("child index out of range")
        if index < lots:
            return self._lots[index]
        assert self._sales is not None
        return self._sales.node(index - lots)

    def __iter__(self) -> Iterator[TraceNode]:
        yield from self._lots
        if self._sales is not None:
            yield from (self._sales.node(i) for i in range(len(self._sales)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def json_chunks(self) -> Iterator[bytes]:
        for i, child in enumerate(self._lots):
            if i:
                yield b","
            yield from child.json_chunks()
        if self._sales is not None and len(self._sales):
            if self._lots:
                yield b","
            yield orjson.dumps(self._sales.json_rows())[1:-1]

    def __repr__(self) -> str:
        return f"Children({len(self._lots)} lots, {len(self) - len(self._lots)} sale lines)"
