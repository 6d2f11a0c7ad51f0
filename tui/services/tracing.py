"""Tracing: where a lot came from and where it went, through any depth of intermediate products.

A recall starts from one code: a supplier's bad lot of oil (who got soap made with it, even via
a fragrance blend?), a batch (what went into it, who has it?) or an order (what was in it?).
The genealogy is the `consumption` table; each direction is one recursive CTE, so a trace costs
a handful of queries however deep the chain. The SQL is written once with `$1` placeholders
(`tui.store.sql.fetch` translates them for SQLite).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from fractions import Fraction
from operator import itemgetter
from typing import Any

import orjson

from tui.errors import NotFound
from tui.services.catalog import clean_text
from tui.services.complaints import complaints_on
from tui.services.trace_tree import (
    Children,
    Sales,
    Trace,
    TracedCustomer,
    TraceNode,
    new_node,
    to_day,
    to_qty,
)
from tui.store.sql import as_date, fetch

CODE_LENGTH = 64
"""Lot codes and order refs are at most this long (their columns are)."""

__all__ = ["Trace", "TraceNode", "TracedCustomer", "trace", "upstream"]

_CODE, _DATED = itemgetter(0), itemgetter(5)  # every child node has a date


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


class _Graph:
    """Nodes fetched for one direction, assembled into a tree."""

    def __init__(self) -> None:
        self.edges: dict[int, list[tuple[int, TraceNode, int]]] = defaultdict(list)
        """Parent lot id -> (child lot id, node, quantity in thousandths) for every lot below it."""
        self.made: dict[int, int] = {}
        """Lot id -> thousandths received or made (the backward tree's shares)."""
        self.sales: dict[int, Sales] = {}
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
            kids = self._built[lot_id] = Children(_byday(lots), self.sales.get(lot_id))
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
            lot = n._replace(qty=to_qty(round(flowed))) if share != 1 else n
            lots.append(self.shares(child, lot, flowed / made if made > 0 else share, inner))
        return node._replace(children=_byday(lots)) if lots else node

    def lots(self) -> Iterable[tuple[int, TraceNode]]:
        """Every lot reached (once per edge), with its id."""
        for entries in self.edges.values():
            for child, node, _ in entries:
                yield child, node


def _byday(nodes: list[TraceNode]) -> tuple[TraceNode, ...]:
    nodes.sort(key=_CODE)
    nodes.sort(key=_DATED)
    return tuple(nodes)


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
        graph.add(source, batch, TraceNode(code, "batch", item, to_qty(qty), items[source][1], to_day(dated)))
    sold = [(lot, orjson.loads(lines)) for lot, lines in await fetch(_FORWARD_SALES, lot_id)]
    sold = [(lot, lines) for lot, lines in sold if lines[0]]  # PostgreSQL: null if none
    orders: dict[int | None, set[str]] = defaultdict(set)
    for _, (refs, _, cids, _) in sold:
        for cid, ref in zip(cids, refs, strict=True):
            orders[cid].add(ref)
    walk_ins = orders.pop(None, set())  # sold without a customer: nobody to contact
    people: dict[int, tuple[str, str | None, str | None, str | None]] = {}
    if orders:
        ((packed,),) = await fetch(_CUSTOMERS, orjson.dumps(list(orders)).decode())
        people = {cid: tuple(person) for cid, *person in orjson.loads(packed)}
    names: dict[int | None, str] = {cid: person[0] for cid, person in people.items()}
    for lot, columns in sold:
        item, unit = items[lot]
        graph.sales[lot] = Sales(item, unit, columns, names)
    # Each customer's orders sorted in the order the sets were made (walking 20,000 sets in name
    # order reaches memory at random: three times as long), then the customers by name.
    customers = [
        new_node(TracedCustomer, (name, email, tuple(sorted(orders[cid])), phone, address))
        for cid, (name, email, phone, address) in people.items()
    ]
    customers.sort(key=lambda customer: customer.name.casefold())
    return graph, tuple(customers), tuple(sorted(walk_ins))


async def _backward(anchor: str, root_id: int) -> _Graph:
    graph = _Graph()
    rows = await fetch(_BACKWARD_EDGES.format(anchor=anchor), root_id)
    for batch, source, qty, code, kind, dated, item, unit, supplier, their_lot, made in rows:
        node = TraceNode(
            code, _KIND.get(kind, kind), item, to_qty(qty), unit, to_day(dated), supplier, their_lot
        )
        graph.add(batch, source, node, int(qty))  # PostgreSQL sums to a Decimal
        graph.made[source] = int(made)
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
        return await _with_complaints(await _trace_lot(rows[0]))
    orders = await fetch(_ORDER, wanted)
    if orders:
        return await _with_complaints(await _trace_order(orders[0]))
    raise NotFound(
        f"no lot or order has the code {wanted!r}: check the label or the order ref "
        "(`lotkeeper stock --all` lists every lot)"
    )


async def upstream(lot_id: int, root: TraceNode) -> TraceNode:
    """The backward tree of one lot (`root` is its node): every lot that went into it, with shares."""
    return (await _backward(_UP_FROM_LOT, lot_id)).shares(lot_id, root, Fraction(1))


async def _with_complaints(found: Trace) -> Trace:
    """The trace with the complaints logged against its batches (one small query)."""
    logged = await complaints_on(found.batches)
    return replace(found, complaints=logged) if logged else found


async def _trace_lot(row: Any) -> Trace:
    lot_id, code, kind, qty, dated, item, unit, supplier, supplier_lot = row
    kind = _KIND.get(kind, kind)
    root = TraceNode(code, kind, item, to_qty(qty), unit, to_day(dated), supplier, supplier_lot)
    down, customers, walk_ins = await _forward(lot_id, root)
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
        walk_in_orders=walk_ins,
    )


async def _trace_order(row: Any) -> Trace:
    sale_id, ref, sold_on, name, email, phone, address = row
    root = TraceNode(ref, "order", name or "", None, "", as_date(sold_on), customer=name, order=ref)
    up = await _backward(_UP_FROM_ORDER, sale_id)
    # Batches sold hang off the order; lot ids never collide with the negative order key.
    order_key = -1
    for lot, qty, code, dated, item, unit, made in await fetch(_ORDER_LINES, sale_id):
        node = TraceNode(code, "batch", item, to_qty(qty), unit, to_day(dated))
        up.add(order_key, lot, node, int(qty))
        up.made[lot] = int(made)
    return Trace(
        code=ref,
        kind="order",
        material_lots=_codes(up, "material_lot"),
        batches=_codes(up, "batch"),
        customers=() if name is None else (TracedCustomer(name, email, (ref,), phone, address),),
        suppliers=tuple(sorted(_suppliers(up))),
        backward=up.shares(order_key, root, Fraction(1)),
        forward=root,
        walk_in_orders=(ref,) if name is None else (),
    )
