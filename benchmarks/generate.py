"""Fill a Lotkeeper SQLite store with years of a busy workshop, fast, straight into the real schema.

The schema comes from `open_store` (all migrations applied); rows then go in with sqlite3
`executemany`, because a million movements through the services would take an hour. The data
is consistent: every lot's on-hand equals the sum of its movements (`lotkeeper check` passes),
old material lots are used up or wasted, and only the newest lots of each material have stock.

Shape for `lots` material lots and about `movements` ledger rows:
* 200 materials, 100 products, 20 suppliers, 20,000 customers; `lots // 5` batches.
* One "hot" material lot goes into 10 blend batches, which go into 1,990 soap batches
  (2,000 batches downstream) that sold 100,000 sale lines: the worst recall trace.
* The rest: each batch consumes the current lot of 4 recipe materials; the remaining
  movements are sale lines (2 per order) spread over the other batches.
* 40 locations (shelves SHELF-01 ...); every material lot is kept on one of them, and every
  consumption records the quantity the recipe planned.
"""

from __future__ import annotations

import asyncio
import sqlite3
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from tui.store.db import open_store

MATERIALS = 200
PRODUCTS = 100
SUPPLIERS = 20
CUSTOMERS = 20_000
HOT_BLENDS = 10
HOT_SOAPS = 1_990
HOT_SALE_LINES = 100_000
SPAN_DAYS = 1_000
LOCATIONS = 40
NEWEST_WITH_STOCK = 3
ON_HAND_MILLI = 1_000_000_000
"""Left on each of those lots (1,000 kg): a reused store survives a thousand benchmark runs of
`make`, 30 batches of 100 g from each of four materials a run."""
AT = "2026-01-01 09:00:00+00:00"


@dataclass(frozen=True)
class Generated:
    lots: int
    batches: int
    consumptions: int
    sale_lines: int
    movements: int
    hot_lot: str
    """Material lot behind 2,000 batches and 100,000 sale lines."""
    hot_batch: str
    """A soap batch two levels below the hot lot (blend in between)."""
    make_sku: str
    """A product whose materials all have stock today."""


def _codes(prefixes: list[str], days: list[date], width: int) -> list[str]:
    """Lot codes as the default templates make them: prefix, date, per-day sequence."""
    seq: dict[tuple[str, date], int] = {}
    out = []
    for pre, day in zip(prefixes, days, strict=True):
        n = seq[(pre, day)] = seq.get((pre, day), 0) + 1
        out.append(f"{pre}{day:%y%m%d}-{n:0{width}d}")
    return out


async def _create_schema(path: Path) -> None:
    async with open_store(str(path)):
        pass


def generate(path: Path, lots: int = 100_000, movements: int = 1_000_000) -> Generated:
    asyncio.run(_create_schema(path))
    start = date.today() - timedelta(days=SPAN_DAYS)
    batches = max(lots // 5, HOT_BLENDS + HOT_SOAPS + 100)

    # Material lots: lot i is material i % 200, received in date order.
    lot_material = [i % MATERIALS + 1 for i in range(lots)]
    lot_day = [start + timedelta(days=i * SPAN_DAYS // lots) for i in range(lots)]
    lot_code = _codes(["M"] * lots, lot_day, 3)
    by_material: list[list[int]] = [[] for _ in range(MATERIALS + 1)]
    for i, m in enumerate(lot_material):
        by_material[m].append(i)
    hot = by_material[1][len(by_material[1]) // 2]

    # Recipes: product 1 is the blend (materials 1, 2); 2..11 use the blend + 3 materials.
    recipe: dict[int, list[int]] = {1: [1, 2]}
    for p in range(2, PRODUCTS + 1):
        recipe[p] = [3 + (p * 7 + k * 13) % (MATERIALS - 2) for k in range(4 if p > 11 else 3)]
    skus = {p: ("BLEND" if p == 1 else f"SOAP{p:03d}" if p <= 11 else f"PROD{p:03d}") for p in recipe}

    batch_product: list[int] = []
    batch_day: list[date] = []
    edges: list[tuple[int, int, int]] = []  # (batch index, source lot id, qty_milli)
    hot_day = lot_day[hot]
    for b in range(HOT_BLENDS):
        batch_product.append(1)
        batch_day.append(hot_day)
        edges.append((b, hot + 1, 50_000))
    for s in range(HOT_SOAPS):
        batch_product.append(2 + s % 10)
        batch_day.append(hot_day + timedelta(days=1 + s // 20))
    rest = batches - HOT_BLENDS - HOT_SOAPS
    for r in range(rest):
        batch_product.append(12 + r % (PRODUCTS - 11))
        batch_day.append(start + timedelta(days=1 + r * (SPAN_DAYS - 1) // rest))
    material_days = {m: [lot_day[i] for i in idx] for m, idx in enumerate(by_material) if idx}
    for b, (p, day) in enumerate(zip(batch_product, batch_day, strict=True)):
        if p == 1:
            continue
        for m in recipe[p]:
            current = by_material[m][max(0, bisect_right(material_days[m], day) - 1)]
            edges.append((b, current + 1, 100_000))
        if p <= 11:  # the hot soaps: 3 ml of blend each, 199 soaps per blend batch
            edges.append((b, lots + 1 + (b - HOT_BLENDS) % HOT_BLENDS, 3_000))

    consumed = [0] * (lots + batches + 1)
    for _, source, qty in edges:
        consumed[source] += qty
    newest = {i for idx in by_material for i in idx[-NEWEST_WITH_STOCK:]}
    wasted = [i for i in range(lots) if consumed[i + 1] == 0 and i not in newest]

    fixed = lots + len(wasted) + len(edges) + batches
    sale_lines = max(movements - fixed, HOT_SALE_LINES + 2)
    sale_lines += sale_lines % 2
    sold = array("i", [0] * batches)
    for s in range(HOT_SOAPS):
        sold[HOT_BLENDS + s] = HOT_SALE_LINES // HOT_SOAPS + (s < HOT_SALE_LINES % HOT_SOAPS)
    others = sale_lines - HOT_SALE_LINES
    for r in range(rest):
        sold[HOT_BLENDS + HOT_SOAPS + r] = others // rest + (r < others % rest)
    line_batch = array("i")
    for b, n in enumerate(sold):
        line_batch.extend([b] * n)
    orders = sale_lines // 2

    def order_day(o: int) -> date:
        latest = max(batch_day[line_batch[o]], batch_day[line_batch[o + orders]])
        return min(latest + timedelta(days=1), date.today())

    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = DELETE")
    db.execute("PRAGMA synchronous = OFF")
    with db:
        db.execute("INSERT INTO station (id, name) VALUES (1, 'bench')")
        db.executemany(
            "INSERT INTO supplier (id, name, created_at) VALUES (?, ?, ?)",
            ((s, f"Supplier {s}", AT) for s in range(1, SUPPLIERS + 1)),
        )
        db.executemany(
            "INSERT INTO customer (id, name, email, created_at) VALUES (?, ?, ?, ?)",
            ((c, f"Customer {c}", f"c{c}@example.com", AT) for c in range(1, CUSTOMERS + 1)),
        )
        db.executemany(
            "INSERT INTO location (id, code, name, created_at) VALUES (?, ?, ?, ?)",
            ((n, f"SHELF-{n:02d}", f"Shelf {n}", AT) for n in range(1, LOCATIONS + 1)),
        )
        db.executemany(
            "INSERT INTO material (id, name, unit, reorder_milli, created_at) VALUES (?, ?, 'g', 0, ?)",
            ((m, f"Material {m}", AT) for m in range(1, MATERIALS + 1)),
        )
        db.executemany(
            "INSERT INTO product (id, name, sku, unit, shelf_life_days, created_at)"
            " VALUES (?, ?, ?, ?, 365, ?)",
            ((p, f"Product {p}", skus[p], "ml" if p == 1 else "pcs", AT) for p in recipe),
        )
        db.executemany(
            "INSERT INTO recipe_line (product_id, material_id, qty_milli) VALUES (?, ?, 100000)",
            ((p, m) for p, ms in recipe.items() for m in ms),
        )
        db.executemany(
            "INSERT INTO recipe_line (product_id, component_id, qty_milli) VALUES (?, 1, 3000)",
            ((p,) for p in range(2, 12)),
        )
        extra = {i: ON_HAND_MILLI for i in newest}
        db.executemany(
            "INSERT INTO lot (id, code, kind, material_id, supplier_id, supplier_lot, dated, expires,"
            " qty_milli, on_hand_milli, cost_cents, location_id, station_id, created_at)"
            " VALUES (?, ?, 'material', ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
            (
                (
                    i + 1,
                    lot_code[i],
                    lot_material[i],
                    lot_material[i] % SUPPLIERS + 1,
                    f"S{i:07d}",
                    lot_day[i].isoformat(),
                    (lot_day[i] + timedelta(days=1100)).isoformat(),
                    consumed[i + 1] + extra.get(i, 0) or 1_000_000,
                    extra.get(i, 0),
                    2_500,
                    lot_material[i] % LOCATIONS + 1,
                    AT,
                )
                for i in range(lots)
            ),
        )
        batch_code = _codes([skus[p] for p in batch_product], batch_day, 2)
        newest_batches = set(range(batches - 500, batches))
        left = [
            10_000 if b in newest_batches or consumed[lots + 1 + b] + sold[b] == 0 else 0
            for b in range(batches)
        ]
        made = [consumed[lots + 1 + b] + sold[b] * 1000 + left[b] for b in range(batches)]
        db.executemany(
            "INSERT INTO lot (id, code, kind, product_id, dated, expires, qty_milli, on_hand_milli,"
            " station_id, created_at) VALUES (?, ?, 'batch', ?, ?, ?, ?, ?, 1, ?)",
            (
                (
                    lots + 1 + b,
                    batch_code[b],
                    batch_product[b],
                    batch_day[b].isoformat(),
                    (batch_day[b] + timedelta(days=365)).isoformat(),
                    made[b],
                    left[b],
                    AT,
                )
                for b in range(batches)
            ),
        )
        db.executemany(
            "INSERT INTO consumption (batch_id, source_id, qty_milli, planned_milli) VALUES (?, ?, ?, ?)",
            ((lots + 1 + b, source, qty, qty) for b, source, qty in edges),
        )
        db.executemany(
            "INSERT INTO sale (id, ref, customer_id, channel, sold_on, station_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, 1, ?)",
            (
                (
                    o + 1,
                    f"O{o:07d}",
                    o * 31 % CUSTOMERS + 1,
                    ("market", "etsy", "shopify")[o % 3],
                    order_day(o).isoformat(),
                    AT,
                )
                for o in range(orders)
            ),
        )
        db.executemany(
            "INSERT INTO sale_line (sale_id, lot_id, qty_milli, price_cents) VALUES (?, ?, 1000, 650)",
            ((k % orders + 1, lots + 1 + line_batch[k]) for k in range(sale_lines)),
        )
        db.executemany(
            "INSERT INTO movement (lot_id, kind, delta_milli, at, station_id, reason, ref)"
            " VALUES (?, ?, ?, ?, 1, '', ?)",
            _movements(
                lots, batches, lot_code, batch_code, consumed, extra, made, edges, wasted, line_batch, orders
            ),
        )
    db.execute("PRAGMA journal_mode = WAL")
    db.close()
    return Generated(
        lots=lots,
        batches=batches,
        consumptions=len(edges),
        sale_lines=sale_lines,
        movements=fixed + sale_lines,
        hot_lot=lot_code[hot],
        hot_batch=batch_code[HOT_BLENDS],
        make_sku=skus[12],
    )


def _movements(
    lots: int,
    batches: int,
    lot_code: list[str],
    batch_code: list[str],
    consumed: list[int],
    extra: dict[int, int],
    made: list[int],
    edges: list[tuple[int, int, int]],
    wasted: list[int],
    line_batch: array[int],
    orders: int,
) -> Iterator[tuple[int, str, int, str, str]]:
    for i in range(lots):
        yield (i + 1, "receive", consumed[i + 1] + extra.get(i, 0) or 1_000_000, AT, lot_code[i])
    for i in wasted:
        yield (i + 1, "waste", -1_000_000, AT, lot_code[i])
    for b in range(batches):
        yield (lots + 1 + b, "produce", made[b], AT, batch_code[b])
    for b, source, qty in edges:
        yield (source, "consume", -qty, AT, batch_code[b])
    for k, b in enumerate(line_batch):
        yield (lots + 1 + b, "sell", -1000, AT, f"O{k % orders:07d}")
