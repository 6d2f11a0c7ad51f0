"""The store's self-check: the ledger is the truth, everything else must agree with it.

`Lot.on_hand_milli` is a cache kept in step with `movement` inside each service's transaction;
a bug, a hand edit with the sqlite3 shell or a restore of half a backup can still break it.
`check` finds such damage and says which lot and how; `rebuild_cache` puts the cache back from
the ledger (it never touches the ledger itself).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass

from tortoise.connection import get_connection
from tortoise.exceptions import OperationalError
from tortoise.transactions import in_transaction

from tui.store.quantities import fmt_qty
from tui.store.sql import fetch

_CACHE = """
SELECT l.code, l.on_hand_milli, COALESCE(t.total, 0), COALESCE(m.unit, p.unit, '')
FROM lot l
LEFT JOIN (SELECT lot_id, SUM(delta_milli) AS total FROM movement GROUP BY lot_id) t
       ON t.lot_id = l.id
LEFT JOIN material m ON m.id = l.material_id
LEFT JOIN product p ON p.id = l.product_id
WHERE l.on_hand_milli <> COALESCE(t.total, 0) OR COALESCE(t.total, 0) < 0
ORDER BY l.code
"""

_LOT_SHAPE = """
SELECT code, kind, material_id, product_id FROM lot
WHERE NOT ((kind = 'material' AND material_id IS NOT NULL AND product_id IS NULL)
        OR (kind = 'batch' AND product_id IS NOT NULL AND material_id IS NULL))
ORDER BY code
"""

_CONSUMED_BY_NON_BATCH = """
SELECT l.code, s.code FROM consumption c
JOIN lot l ON l.id = c.batch_id JOIN lot s ON s.id = c.source_id
WHERE l.kind <> 'batch' ORDER BY l.code, s.code
"""

_BAD_QTY = """
SELECT 'consumption', b.code, s.code, c.qty_milli FROM consumption c
JOIN lot b ON b.id = c.batch_id JOIN lot s ON s.id = c.source_id WHERE c.qty_milli <= 0
UNION ALL
SELECT 'sale', sa.ref, l.code, sl.qty_milli FROM sale_line sl
JOIN sale sa ON sa.id = sl.sale_id JOIN lot l ON l.id = sl.lot_id WHERE sl.qty_milli <= 0
"""

_SOLD_NON_BATCH = """
SELECT s.ref, l.code FROM sale_line sl
JOIN sale s ON s.id = sl.sale_id JOIN lot l ON l.id = sl.lot_id
WHERE l.kind <> 'batch' ORDER BY s.ref, l.code
"""

_ORDER_LINES = """
SELECT 'other', s.ref, o.ref, ol.position, 0, 0 FROM sale_line sl
JOIN order_line ol ON ol.id = sl.order_line_id
JOIN sale s ON s.id = sl.sale_id JOIN sale o ON o.id = ol.sale_id
WHERE ol.sale_id <> sl.sale_id
UNION ALL
SELECT 'over', s.ref, s.ref, ol.position, ol.qty_milli, SUM(sl.qty_milli) FROM order_line ol
JOIN sale_line sl ON sl.order_line_id = ol.id JOIN sale s ON s.id = ol.sale_id
GROUP BY s.ref, ol.id, ol.position, ol.qty_milli HAVING SUM(sl.qty_milli) > ol.qty_milli
"""

_EDGES = "SELECT c.batch_id, c.source_id FROM consumption c"
_CODES_OF = "SELECT id, code FROM lot WHERE id IN ({ids})"
_COUNT_LOTS = "SELECT COUNT(*) FROM lot"

_REBUILD = """
UPDATE lot SET on_hand_milli =
    COALESCE((SELECT SUM(m.delta_milli) FROM movement m WHERE m.lot_id = lot.id), 0)
WHERE on_hand_milli <>
    COALESCE((SELECT SUM(m.delta_milli) FROM movement m WHERE m.lot_id = lot.id), 0)
"""


@dataclass(frozen=True)
class CheckReport:
    problems: tuple[str, ...]
    lots_checked: int

    @property
    def ok(self) -> bool:
        return not self.problems


async def check() -> CheckReport:
    """Every inconsistency in the store, each as one sentence naming the lot or order.

    On SQLite the file itself is checked first, page by page: a damaged file is reported as such
    (the other checks would only trip over its bad pages).
    """
    damage = await _file_damage()
    if damage:
        return CheckReport(problems=tuple(damage), lots_checked=0)
    problems: list[str] = []
    for code, cached_sum, ledger_sum, unit in await fetch(_CACHE):
        cached, ledger = int(cached_sum), int(ledger_sum)  # PostgreSQL sums are numeric
        if cached != ledger:
            problems.append(
                f"lot {code}: on-hand says {fmt_qty(cached)} {unit} but its movements add up to "
                f"{fmt_qty(ledger)} {unit} (`lotkeeper check --rebuild-cache` trusts the movements)"
            )
        if ledger < 0:
            problems.append(f"lot {code}: movements add up to {fmt_qty(ledger)} {unit}, below zero")
    for code, kind, material_id, product_id in await fetch(_LOT_SHAPE):
        problems.append(
            f"lot {code}: kind {kind!r} with material id {material_id} and product id "
            f"{product_id} (a material lot needs a material only, a batch a product only)"
        )
    for batch, source in await fetch(_CONSUMED_BY_NON_BATCH):
        problems.append(f"lot {batch} is not a batch but is recorded as consuming {source}")
    for what, owner, code, qty in await fetch(_BAD_QTY):
        where = f"batch {owner} consumed" if what == "consumption" else f"order {owner} sold"
        problems.append(f"{where} {fmt_qty(int(qty))} of {code}: a quantity must be above zero")
    for ref, code in await fetch(_SOLD_NON_BATCH):
        problems.append(f"order {ref} sells {code}, which is a material lot, not a batch")
    for what, ref, owner, position, asked, packed in await fetch(_ORDER_LINES):
        if what == "other":
            problems.append(f"order {ref} has a sale line filling line {position} of order {owner}")
        else:
            packed_qty, asked_qty = fmt_qty(int(packed)), fmt_qty(int(asked))
            problems.append(f"order {ref} line {position}: {packed_qty} packed but {asked_qty} ordered")
    problems.extend(await _cycles())
    problems.extend(await _foreign_keys())
    (count,) = (await fetch(_COUNT_LOTS))[0]
    return CheckReport(problems=tuple(problems), lots_checked=int(count))


async def _cycles() -> list[str]:
    """A batch that (via other batches) consumed itself would make every trace endless."""
    inputs: dict[int, list[int]] = defaultdict(list)
    for batch, source in await fetch(_EDGES):
        inputs[batch].append(source)
    done: set[int] = set()
    looped: set[int] = set()
    for start in list(inputs):
        if start in done:
            continue
        on_path: set[int] = {start}
        stack = [(start, iter(inputs[start]))]
        while stack:
            node, pending = stack[-1]
            nxt = next(pending, None)
            if nxt is None:
                stack.pop()
                on_path.discard(node)
                done.add(node)
            elif nxt in on_path:
                for member, _ in reversed(stack):  # every batch on the loop, not just one
                    looped.add(member)
                    if member == nxt:
                        break
            elif nxt not in done:
                on_path.add(nxt)
                stack.append((nxt, iter(inputs.get(nxt, ()))))
    if not looped:
        return []
    ids = ", ".join(str(int(i)) for i in sorted(looped))
    codes = sorted(code for _, code in await fetch(_CODES_OF.format(ids=ids)))
    return [f"batch {code} consumes itself through a loop of batches" for code in codes]


FILE_PROBLEMS_SHOWN = 10


async def _file_damage() -> list[str]:
    """SQLite's own full check of every page and index (`PRAGMA integrity_check`)."""
    conn = get_connection("default")
    if conn.capabilities.dialect != "sqlite":
        return []
    try:
        _, rows = await conn.execute_query(f"PRAGMA integrity_check({FILE_PROBLEMS_SHOWN})")
        found = [str(row[0]) for row in rows]
    except (OperationalError, sqlite3.DatabaseError) as exc:
        found = [str(exc.__context__ or exc)]
    if found == ["ok"]:
        return []
    details = "; ".join(found[:FILE_PROBLEMS_SHOWN])
    return [
        f"the database file is damaged ({details}): restore it from your latest backup "
        "(copy this one aside first, in case it is needed)"
    ]


async def _foreign_keys() -> list[str]:
    """SQLite only: PostgreSQL never lets a broken reference in."""
    conn = get_connection("default")
    if conn.capabilities.dialect != "sqlite":
        return []
    _, rows = await conn.execute_query("PRAGMA foreign_key_check")
    return [
        f"table {row['table']} row {row['rowid']} points at a missing {row['parent']} row" for row in rows
    ]


async def rebuild_cache() -> int:
    """Set every lot's on-hand to the sum of its movements; returns how many lots changed."""
    async with in_transaction() as conn:
        changed, _ = await conn.execute_query(_REBUILD)
    return int(changed)
