"""Tracing: where a lot came from and where it went, through any depth of intermediate products.

A recall starts from one code: a supplier's bad lot of oil (who got soap made with it, even via
a fragrance blend?), a batch (what went into it, who has it?) or an order (what was in it?).
The genealogy is the `consumption` table; each direction is one recursive CTE, so a trace costs
a handful of queries however deep the chain. The SQL is written once with `$1` placeholders
(`tui.store.sql.fetch` translates them for SQLite).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from operator import itemgetter
from typing import Any, NamedTuple, overload

import orjson

from tui.errors import NotFound
from tui.store.quantities import from_milli
from tui.store.sql import as_date, fetch

# A trace converts the same few dates and quantities thousands of times: convert each once.
_day = lru_cache(maxsize=8192)(as_date)
_qty = lru_cache(maxsize=8192)(lambda milli: from_milli(int(milli)))


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
            "children": [child.to_json() for child in self.children],
        }


class TracedCustomer(NamedTuple):
    name: str
    email: str | None
    orders: tuple[str, ...]
    phone: str | None = None
    """Not in `to_json` (whose keys are a contract); shown where people read the list."""


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

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "kind": self.kind,
            "material_lots": list(self.material_lots),
            "batches": list(self.batches),
            "customers": [
                {"name": c.name, "email": c.email, "orders": list(c.orders)} for c in self.customers
            ],
            "suppliers": list(self.suppliers),
            "backward": self.backward.to_json(),
            "forward": self.forward.to_json(),
        }


_LOT = """
SELECT l.id, l.code, l.kind, l.qty_milli, l.dated, COALESCE(m.name, p.name) AS item,
       COALESCE(m.unit, p.unit) AS unit, s.name AS supplier, l.supplier_lot
FROM lot l
LEFT JOIN material m ON m.id = l.material_id
LEFT JOIN product p ON p.id = l.product_id
LEFT JOIN supplier s ON s.id = l.supplier_id
WHERE l.code = $1
"""

_ORDER = """
SELECT s.id, s.ref, s.sold_on, c.name, c.email, c.phone
FROM sale s JOIN customer c ON c.id = s.customer_id
WHERE s.ref = $1
"""

_DOWN = """
WITH RECURSIVE down(id) AS (
    SELECT id FROM lot WHERE id = $1
    UNION
    SELECT c.batch_id FROM consumption c JOIN down d ON c.source_id = d.id
)
"""

# Every edge out of the lot and its descendants, with what the consuming batch is.
_FORWARD_EDGES = (
    _DOWN
    + """
SELECT c.source_id, c.batch_id, SUM(c.qty_milli), l.code, l.dated, p.name, p.unit
FROM down d
JOIN consumption c ON c.source_id = d.id
JOIN lot l ON l.id = c.batch_id
JOIN product p ON p.id = l.product_id
GROUP BY c.source_id, c.batch_id, l.code, l.dated, p.name, p.unit
"""
)

# The sale lines of the lot and its descendants, one row per lot: four JSON arrays (refs, days,
# customer ids, quantities) in line order. 100,000 lines are 2,000 rows, which orjson turns
# into values three times faster than sqlite3 makes 100,000 rows. Customers: see _CUSTOMERS.
_LINES_OF_D = "FROM sale_line sl JOIN sale s ON s.id = sl.sale_id WHERE sl.lot_id = d.id"
_FORWARD_SALES = {
    "sqlite": _DOWN
    + f"""SELECT d.id, (SELECT json_array(json_group_array(s.ref), json_group_array(s.sold_on),
    json_group_array(s.customer_id), json_group_array(sl.qty_milli)) {_LINES_OF_D}) FROM down d""",
    "postgres": _DOWN
    + f"""SELECT d.id, (SELECT json_build_array(json_agg(s.ref ORDER BY sl.id),
    json_agg(s.sold_on ORDER BY sl.id), json_agg(s.customer_id ORDER BY sl.id),
    json_agg(sl.qty_milli ORDER BY sl.id))::text {_LINES_OF_D}) FROM down d""",
}

# Customers by id, the ids given as one JSON array and read back as one: 20,000 names read once,
# not 100,000 times, and as one value, at half the cost of 20,000 rows.
_CUSTOMERS = {
    "sqlite": "SELECT json_group_array(json_array(c.id, c.name, c.email, c.phone))"
    " FROM json_each($1) j JOIN customer c ON c.id = j.value",
    "postgres": "SELECT json_agg(json_build_array(c.id, c.name, c.email, c.phone))::text"
    " FROM json_array_elements_text($1::json) j JOIN customer c ON c.id = j.value::int",
}

_UP_FROM_LOT = "SELECT id FROM lot WHERE id = $1"
_UP_FROM_ORDER = "SELECT lot_id FROM sale_line WHERE sale_id = $1"

# Every edge into the roots and their ancestors; `{anchor}` picks the roots.
_BACKWARD_EDGES = """
WITH RECURSIVE up(id) AS (
    {anchor}
    UNION
    SELECT c.source_id FROM consumption c JOIN up u ON c.batch_id = u.id
)
SELECT c.batch_id, c.source_id, SUM(c.qty_milli), l.code, l.kind, l.dated,
       COALESCE(m.name, p.name), COALESCE(m.unit, p.unit), s.name, l.supplier_lot, l.qty_milli
FROM up u
JOIN consumption c ON c.batch_id = u.id
JOIN lot l ON l.id = c.source_id
LEFT JOIN material m ON m.id = l.material_id
LEFT JOIN product p ON p.id = l.product_id
LEFT JOIN supplier s ON s.id = l.supplier_id
GROUP BY c.batch_id, c.source_id, l.code, l.kind, l.dated, m.name, p.name, m.unit, p.unit,
         s.name, l.supplier_lot, l.qty_milli
"""

_ORDER_LINES = """
SELECT sl.lot_id, SUM(sl.qty_milli), l.code, l.dated, p.name, p.unit, l.qty_milli
FROM sale_line sl
JOIN lot l ON l.id = sl.lot_id
JOIN product p ON p.id = l.product_id
WHERE sl.sale_id = $1
GROUP BY sl.lot_id, l.code, l.dated, p.name, p.unit, l.qty_milli
"""

_KIND = {"material": "material_lot", "batch": "batch"}


_new_node = tuple.__new__  # a NamedTuple from a full tuple, skipping its keyword-handling __new__
_CODE, _DATED = itemgetter(0), itemgetter(5)  # every child node has a date


class _Sales:
    """One lot's sale lines as the columns the query gave; a line's node is made when read."""

    __slots__ = ("_order", "cids", "customers", "days", "item", "qtys", "refs", "unit")

    def __init__(self, item: str, unit: str, columns: list[list[Any]], customers: dict[int, str]) -> None:
        self.item, self.unit, self.customers = item, unit, customers
        self.refs, self.days, self.cids, self.qtys = columns
        self._order: list[int] | None = None

    def __len__(self) -> int:
        return len(self.refs)

    def node(self, index: int) -> TraceNode:
        """The `index`-th line by day, then order ref (then as sold)."""
        if self._order is None:
            refs, days = self.refs, self.days
            self._order = sorted(range(len(refs)), key=lambda i: (days[i], refs[i]))
        i = self._order[index]
        ref, qty, cid = self.refs[i], self.qtys[i], self.cids[i]
        fields = (ref, "sale", self.item, _qty(qty), self.unit, _day(self.days[i]))
        return _new_node(TraceNode, (*fields, None, None, self.customers[cid], ref, ()))


class Children(Sequence[TraceNode]):
    """A node's children: the lots below it (built with the tree), then its sale lines (made one
    by one as they are read: a screen shows a few of a batch's hundreds, a recall 100,000)."""

    __slots__ = ("_lots", "_sales")

    def __init__(self, lots: tuple[TraceNode, ...], sales: _Sales | None = None) -> None:
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

    def __repr__(self) -> str:
        return f"Children({len(self._lots)} lots, {len(self) - len(self._lots)} sale lines)"


class _Graph:
    """Nodes fetched for one direction, assembled into a tree."""

    def __init__(self) -> None:
        self.edges: dict[int, list[tuple[int, TraceNode, int]]] = defaultdict(list)
        """Parent lot id -> (child lot id, node, quantity in thousandths) for every lot below it."""
        self.made: dict[int, int] = {}
        """Lot id -> thousandths received or made (the backward tree's shares)."""
        self.sales: dict[int, _Sales] = {}
        """Lot id -> its sale lines (nodes that have no lot of their own)."""
        self._built: dict[int, Sequence[TraceNode]] = {}

    def add(self, parent: int, child: int, node: TraceNode, milli: int = 0) -> None:
        self.edges[parent].append((child, node, milli))

    def tree(self, lot_id: int, node: TraceNode, path: frozenset[int] = frozenset()) -> TraceNode:
        """The forward tree: what each edge carried (a subtree shared by two parents built once)."""
        kids = self._built.get(lot_id)
        if kids is None:
            inner = path | {lot_id}
            lots = [
                self.tree(child, n, inner)
                for child, n, _ in self.edges.get(lot_id, ())
                if child not in inner  # a loop means a damaged store: cut it
            ]
            kids = self._built[lot_id] = Children(_by_day(lots), self.sales.get(lot_id))
        return node._replace(children=kids) if kids else node

    def shares(
        self, lot_id: int, node: TraceNode, share: Fraction, path: frozenset[int] = frozenset()
    ) -> TraceNode:
        """The backward tree: each lot with the amount of it that reached the root along the path.

        `share` is the part of `lot_id`'s own quantity that did (1 at the root).
        """
        inner = path | {lot_id}
        lots = []
        for child, n, milli in self.edges.get(lot_id, ()):
            if child in inner:  # a loop means a damaged store: cut it
                continue
            flowed = milli * share
            made = self.made.get(child) or 0
            lot = n._replace(qty=_qty(round(flowed))) if share != 1 else n
            lots.append(self.shares(child, lot, flowed / made if made > 0 else share, inner))
        return node._replace(children=_by_day(lots)) if lots else node

    def lots(self) -> Iterable[tuple[int, TraceNode]]:
        """Every lot reached (once per edge), with its id."""
        for entries in self.edges.values():
            for child, node, _ in entries:
                yield child, node


def _by_day(nodes: list[TraceNode]) -> tuple[TraceNode, ...]:
    nodes.sort(key=_CODE)
    nodes.sort(key=_DATED)
    return tuple(nodes)


async def _forward(lot_id: int, root: TraceNode) -> tuple[_Graph, tuple[TracedCustomer, ...]]:
    """Batches and sale lines downstream; each node's qty is of its parent, in the parent's unit.

    Written for the worst recall (100,000 sale lines): see benchmarks/bench_store.py.
    """
    graph = _Graph()
    edges = await fetch(_FORWARD_EDGES, lot_id)
    items = {lot_id: (root.item, root.unit)} | {row[1]: (row[5], row[6]) for row in edges}
    for source, batch, qty, code, dated, item, _ in edges:
        graph.add(source, batch, TraceNode(code, "batch", item, _qty(qty), items[source][1], _day(dated)))
    sold = [(lot, orjson.loads(lines)) for lot, lines in await fetch(_FORWARD_SALES, lot_id)]
    sold = [(lot, lines) for lot, lines in sold if lines[0]]  # PostgreSQL: null if none
    orders: dict[int, set[str]] = defaultdict(set)
    for _, (refs, _, cids, _) in sold:
        for cid, ref in zip(cids, refs, strict=True):
            orders[cid].add(ref)
    people: dict[int, tuple[str, str | None, str | None]] = {}
    if orders:
        ((packed,),) = await fetch(_CUSTOMERS, orjson.dumps(list(orders)).decode())
        people = {cid: (name, email, phone) for cid, name, email, phone in orjson.loads(packed)}
    names = {cid: name for cid, (name, _, _) in people.items()}
    for lot, columns in sold:
        item, unit = items[lot]
        graph.sales[lot] = _Sales(item, unit, columns, names)
    # Each customer's orders sorted in the order the sets were made (walking 20,000 sets in name
    # order reaches memory at random: three times as long), then the customers by name.
    customers = [
        _new_node(TracedCustomer, (name, email, tuple(sorted(orders[cid])), phone))
        for cid, (name, email, phone) in people.items()
    ]
    customers.sort(key=lambda customer: customer.name.casefold())
    return graph, tuple(customers)


async def _backward(anchor: str, root_id: int) -> _Graph:
    graph = _Graph()
    rows = await fetch(_BACKWARD_EDGES.format(anchor=anchor), root_id)
    for batch, source, qty, code, kind, dated, item, unit, supplier, their_lot, made in rows:
        node = TraceNode(code, _KIND.get(kind, kind), item, _qty(qty), unit, _day(dated), supplier, their_lot)
        graph.add(batch, source, node, qty)
        graph.made[source] = made
    return graph


def _codes(graph: _Graph, kind: str, extra: Iterable[str] = ()) -> tuple[str, ...]:
    return tuple(sorted({n.code for _, n in graph.lots() if n.kind == kind} | set(extra)))


def _suppliers(graph: _Graph) -> set[str]:
    return {n.supplier for _, n in graph.lots() if n.supplier}


async def trace(code: str) -> Trace:
    """Trace a material lot code, a batch lot code or an order ref in both directions."""
    wanted = code.strip()
    if not wanted:
        raise NotFound("nothing to trace: scan or type a lot code or an order ref")
    rows = await fetch(_LOT, wanted)
    if not rows and wanted.upper() != wanted:
        rows = await fetch(_LOT, wanted.upper())
    if rows:
        return await _trace_lot(rows[0])
    orders = await fetch(_ORDER, wanted)
    if orders:
        return await _trace_order(orders[0])
    raise NotFound(
        f"no lot or order has the code {wanted!r}: check the label or the order ref "
        "(`lotkeeper stock --all` lists every lot)"
    )


async def _trace_lot(row: Any) -> Trace:
    lot_id, code, kind, qty, dated, item, unit, supplier, supplier_lot = row
    kind = _KIND.get(kind, kind)
    root = TraceNode(code, kind, item, _qty(qty), unit, _day(dated), supplier, supplier_lot)
    down, customers = await _forward(lot_id, root)
    downstream = _codes(down, "batch")
    if kind == "material_lot":
        backward = root
        material_lots: tuple[str, ...] = (code,)
        suppliers = {supplier} if supplier else set()
        batches = downstream
    else:
        up = await _backward(_UP_FROM_LOT, lot_id)
        backward = up.shares(lot_id, root, Fraction(1))
        material_lots = _codes(up, "material_lot")
        suppliers = _suppliers(up)
        batches = _codes(up, "batch", (code, *downstream))
    return Trace(
        code=code,
        kind=kind,
        material_lots=material_lots,
        batches=batches,
        customers=customers,
        suppliers=tuple(sorted(suppliers)),
        backward=backward,
        forward=down.tree(lot_id, root),
    )


async def _trace_order(row: Any) -> Trace:
    sale_id, ref, sold_on, name, email, phone = row
    root = TraceNode(ref, "order", name, None, "", as_date(sold_on), customer=name, order=ref)
    up = await _backward(_UP_FROM_ORDER, sale_id)
    # Batches sold hang off the order; lot ids never collide with the negative order key.
    order_key = -1
    for lot, qty, code, dated, item, unit, made in await fetch(_ORDER_LINES, sale_id):
        node = TraceNode(code, "batch", item, _qty(qty), unit, _day(dated))
        up.add(order_key, lot, node, qty)
        up.made[lot] = made
    return Trace(
        code=ref,
        kind="order",
        material_lots=_codes(up, "material_lot"),
        batches=_codes(up, "batch"),
        customers=(TracedCustomer(name, email, (ref,), phone),),
        suppliers=tuple(sorted(_suppliers(up))),
        backward=up.shares(order_key, root, Fraction(1)),
        forward=root,
    )
