"""Tracing: where a lot came from and where it went, through any depth of intermediate products.

A recall starts from one code: a supplier's bad lot of oil (who got soap made with it, even via
a fragrance blend?), a batch (what went into it, who has it?) or an order (what was in it?).
The genealogy is the `consumption` table; each direction is one recursive CTE, so a trace costs
a handful of queries however deep the chain. The SQL is written once with `$1` placeholders
(`tui.store.sql.fetch` translates them for SQLite).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from typing import Any, NamedTuple

from tui.errors import NotFound
from tui.services.catalog import clean_text
from tui.store.quantities import from_milli
from tui.store.sql import as_date, fetch

CODE_LENGTH = 64
"""Lot codes and order refs are at most this long (their columns are)."""

# A trace converts the same few dates and quantities thousands of times: convert each once.
_day = lru_cache(maxsize=8192)(as_date)
_qty = lru_cache(maxsize=8192)(lambda milli: from_milli(int(milli)))


class TraceNode(NamedTuple):
    """One step of a tree: a material lot, a batch, a sale line or an order.

    `qty` and `unit` say what flowed along the edge, in the unit of the lot that gave it: in the
    backward tree how much of this lot the parent batch consumed; in the forward tree how much
    of the parent this batch consumed or this sale line sold. At the root: the quantity received
    or made. Sale nodes carry the order ref as `code` and as `order`.

    A NamedTuple rather than a frozen dataclass: a recall can hold 100,000 sale lines, and a
    frozen dataclass takes three times as long to build (see benchmarks/bench_store.py).
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
    children: tuple[TraceNode, ...] = ()

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

    def to_json(self) -> dict[str, Any]:
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
            "backward": self.backward.to_json(),
            "forward": self.forward.to_json(),
            "walk_in_orders": list(self.walk_in_orders),
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
SELECT s.id, s.ref, s.sold_on, c.name, c.email, c.phone, c.address
FROM sale s LEFT JOIN customer c ON c.id = s.customer_id
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
# customer ids, quantities) in line order. 100,000 lines are 2,000 rows, which `json.loads` turns
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
    "sqlite": "SELECT json_group_array(json_array(c.id, c.name, c.email, c.phone, c.address))"
    " FROM json_each($1) j JOIN customer c ON c.id = j.value",
    "postgres": "SELECT json_agg(json_build_array(c.id, c.name, c.email, c.phone, c.address))::text"
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
       COALESCE(m.name, p.name), COALESCE(m.unit, p.unit), s.name, l.supplier_lot
FROM up u
JOIN consumption c ON c.batch_id = u.id
JOIN lot l ON l.id = c.source_id
LEFT JOIN material m ON m.id = l.material_id
LEFT JOIN product p ON p.id = l.product_id
LEFT JOIN supplier s ON s.id = l.supplier_id
GROUP BY c.batch_id, c.source_id, l.code, l.kind, l.dated, m.name, p.name, m.unit, p.unit,
         s.name, l.supplier_lot
"""

_ORDER_LINES = """
SELECT sl.lot_id, SUM(sl.qty_milli), l.code, l.dated, p.name, p.unit
FROM sale_line sl
JOIN lot l ON l.id = sl.lot_id
JOIN product p ON p.id = l.product_id
WHERE sl.sale_id = $1
GROUP BY sl.lot_id, l.code, l.dated, p.name, p.unit
"""

_KIND = {"material": "material_lot", "batch": "batch"}


_new_node = tuple.__new__  # a NamedTuple from a full tuple, skipping its keyword-handling __new__
_CODE, _DATED = itemgetter(0), itemgetter(5)  # every child node has a date


class _Graph:
    """Nodes fetched for one direction, assembled into a tree (shared subtrees built once)."""

    def __init__(self) -> None:
        self.edges: dict[int, list[tuple[int, TraceNode]]] = defaultdict(list)
        """Parent lot id -> (child lot id, node) for every lot below it."""
        self.leaves: dict[int, list[TraceNode]] = defaultdict(list)
        """Parent lot id -> sale lines (nodes that have no lot of their own)."""
        self._built: dict[int, tuple[TraceNode, ...]] = {}

    def add(self, parent: int, child: int, node: TraceNode) -> None:
        self.edges[parent].append((child, node))

    def tree(self, lot_id: int, node: TraceNode, path: frozenset[int] = frozenset()) -> TraceNode:
        kids = self._built.get(lot_id)
        if kids is None:
            inner = path | {lot_id}
            lots = [
                self.tree(child, n, inner)
                for child, n in self.edges.get(lot_id, ())
                if child not in inner  # a loop means a damaged store: cut it
            ]
            leaves = self.leaves.get(lot_id, [])
            for nodes in (lots, leaves):  # by date, then code: no key tuple per sale line
                nodes.sort(key=_CODE)
                nodes.sort(key=_DATED)
            kids = self._built[lot_id] = (*lots, *leaves)
        return node._replace(children=kids) if kids else node

    def lots(self) -> Iterable[tuple[int, TraceNode]]:
        """Every lot reached (once per edge), with its id."""
        for entries in self.edges.values():
            yield from entries


async def _forward(
    lot_id: int, root: TraceNode
) -> tuple[_Graph, tuple[TracedCustomer, ...], tuple[str, ...]]:
    """Batches and sale lines downstream; each node's qty is of its parent, in the parent's unit.

    Written for the worst recall (100,000 sale lines): see benchmarks/bench_store.py.
    """
    graph = _Graph()
    edges = await fetch(_FORWARD_EDGES, lot_id)
    items = {lot_id: (root.item, root.unit)} | {row[1]: (row[5], row[6]) for row in edges}
    for source, batch, qty, code, dated, item, _ in edges:
        graph.add(source, batch, TraceNode(code, "batch", item, _qty(qty), items[source][1], _day(dated)))
    sold = [(lot, json.loads(lines)) for lot, lines in await fetch(_FORWARD_SALES, lot_id)]
    sold = [(lot, lines) for lot, lines in sold if lines[0]]  # PostgreSQL: null if none
    orders: dict[int | None, set[str]] = defaultdict(set)
    for _, (refs, _, cids, _) in sold:
        for cid, ref in zip(cids, refs, strict=True):
            orders[cid].add(ref)
    walk_ins = orders.pop(None, set())  # sold without a customer: nobody to contact
    people: dict[int, tuple[str, str | None, str | None, str | None]] = {}
    if orders:
        ((packed,),) = await fetch(_CUSTOMERS, json.dumps(list(orders)))
        people = {
            cid: (name, email, phone, address) for cid, name, email, phone, address in json.loads(packed)
        }
    names: dict[int | None, str] = {cid: person[0] for cid, person in people.items()}
    for lot, (refs, days, cids, qtys) in sold:
        item, unit = items[lot]
        graph.leaves[lot] = [
            _new_node(
                TraceNode,
                (ref, "sale", item, _qty(qty), unit, _day(day), None, None, names.get(cid), ref, ()),
            )
            for ref, day, cid, qty in zip(refs, days, cids, qtys, strict=True)
        ]
    # Each customer's orders sorted in the order the sets were made (walking 20,000 sets in name
    # order reaches memory at random: three times as long), then the customers by name.
    customers = [
        _new_node(TracedCustomer, (*people[cid][:2], tuple(sorted(refs)), *people[cid][2:]))
        for cid, refs in orders.items()
        if cid in people
    ]
    customers.sort(key=lambda customer: customer.name.casefold())
    return graph, tuple(customers), tuple(sorted(walk_ins))


async def _backward(anchor: str, root_id: int) -> _Graph:
    graph = _Graph()
    rows = await fetch(_BACKWARD_EDGES.format(anchor=anchor), root_id)
    for batch, source, qty, code, kind, dated, item, unit, supplier, their_lot in rows:
        node = TraceNode(code, _KIND.get(kind, kind), item, _qty(qty), unit, _day(dated), supplier, their_lot)
        graph.add(batch, source, node)
    return graph


def _codes(graph: _Graph, kind: str, extra: Iterable[str] = ()) -> tuple[str, ...]:
    return tuple(sorted({n.code for _, n in graph.lots() if n.kind == kind} | set(extra)))


def _suppliers(graph: _Graph) -> set[str]:
    return {n.supplier for _, n in graph.lots() if n.supplier}


async def trace(code: str) -> Trace:
    """Trace a material lot code, a batch lot code or an order ref in both directions."""
    if not code.strip():
        raise NotFound("nothing to trace: scan or type a lot code or an order ref")
    wanted = clean_text(code, "lot code or order ref", CODE_LENGTH)
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
    down, customers, walk_ins = await _forward(lot_id, root)
    downstream = _codes(down, "batch")
    if kind == "material_lot":
        backward = root
        material_lots: tuple[str, ...] = (code,)
        suppliers = {supplier} if supplier else set()
        batches = downstream
    else:
        up = await _backward(_UP_FROM_LOT, lot_id)
        backward = up.tree(lot_id, root)
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
        walk_in_orders=walk_ins,
    )


async def _trace_order(row: Any) -> Trace:
    sale_id, ref, sold_on, name, email, phone, address = row
    root = TraceNode(ref, "order", name or "", None, "", as_date(sold_on), customer=name, order=ref)
    up = await _backward(_UP_FROM_ORDER, sale_id)
    # Batches sold hang off the order; lot ids never collide with the negative order key.
    order_key = -1
    for lot, qty, code, dated, item, unit in await fetch(_ORDER_LINES, sale_id):
        node = TraceNode(code, "batch", item, _qty(qty), unit, _day(dated))
        up.add(order_key, lot, node)
    return Trace(
        code=ref,
        kind="order",
        material_lots=_codes(up, "material_lot"),
        batches=_codes(up, "batch"),
        customers=() if name is None else (TracedCustomer(name, email, (ref,), phone, address),),
        suppliers=tuple(sorted(_suppliers(up))),
        backward=up.tree(order_key, root),
        forward=root,
        walk_in_orders=(ref,) if name is None else (),
    )
