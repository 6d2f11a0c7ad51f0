"""How fast any scan is understood on a big store: the resolver, lookups included.

    .venv/bin/python benchmarks/bench_resolver.py [--db PATH] [--scans 5000]

Uses the store of benchmarks/generate.py (100k material lots, 1M movements; reused with --db),
gives 50 products a GTIN and 50 materials a supplier GTIN, then resolves a mix of what a bench
sees: our lot and batch codes, SKUs, UPC/EAN in both forms, GS1 strings from our labels and
from suppliers' (with AIM prefix and GS), a case's GTIN (a supplier code on a pack), location
labels, order refs, command barcodes and unknown text.
Prints throughput and p50/p99 per kind of scan next to the target (p99 <= 5 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from statistics import median, quantiles

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generate import generate

from tui.codes.gtin import check_digit, to_ean13
from tui.config import CodesConfig
from tui.services.resolver import resolve
from tui.store.db import open_store

TARGET_P99_MS = 5.0
GS = "\x1d"


def _gtin(n: int, prefix: str) -> str:
    body = f"{prefix}{n:05d}"
    return "0" + body + str(check_digit(body))


def _prepare(path: Path) -> dict[str, list[str]]:
    """Give products and materials GTINs (idempotent) and pick the scans to make."""
    db = sqlite3.connect(path)
    rng = random.Random(7)
    products = db.execute("SELECT id, sku FROM product ORDER BY id LIMIT 50").fetchall()
    for n, (pid, _) in enumerate(products):
        db.execute("UPDATE product SET gtin = ? WHERE id = ?", (_gtin(n, "0614141"), pid))
    materials = db.execute("SELECT id FROM material ORDER BY id LIMIT 50").fetchall()
    for n, (mid,) in enumerate(materials):
        db.execute(
            "INSERT OR IGNORE INTO supplier_code (code, material_id) VALUES (?, ?)",
            (_gtin(n, "0950110"), mid),
        )
    for n, (mid,) in enumerate(materials[:10]):  # ten materials come in cases with a GTIN of their own
        db.execute(
            "INSERT OR IGNORE INTO material_pack (material_id, name, size) VALUES (?, 'case', '12 g')", (mid,)
        )
        (pack,) = db.execute("SELECT id FROM material_pack WHERE material_id = ?", (mid,)).fetchone()
        db.execute(
            "INSERT OR IGNORE INTO supplier_code (code, material_id, pack_id) VALUES (?, ?, ?)",
            (_gtin(n, "0950111"), mid, pack),
        )
    db.execute("UPDATE lot SET supplier_lot = 'SUP' || id WHERE kind = 'material' AND supplier_lot IS NULL")
    db.commit()
    pick = lambda sql: [r[0] for r in db.execute(sql)]  # noqa: E731
    lots = pick("SELECT code FROM lot WHERE kind = 'material' ORDER BY random() LIMIT 500")
    batches = db.execute(
        "SELECT l.code, p.gtin FROM lot l JOIN product p ON p.id = l.product_id "
        "WHERE l.kind = 'batch' AND p.gtin IS NOT NULL ORDER BY random() LIMIT 500"
    ).fetchall()
    supplier = db.execute(
        "SELECT sc.code, l.supplier_lot FROM lot l JOIN supplier_code sc ON sc.material_id = l.material_id "
        "ORDER BY random() LIMIT 500"
    ).fetchall()
    gtins = pick("SELECT gtin FROM product WHERE gtin IS NOT NULL")
    orders = pick("SELECT ref FROM sale ORDER BY random() LIMIT 500")
    skus = pick("SELECT sku FROM product")
    cases = pick("SELECT code FROM supplier_code WHERE pack_id IS NOT NULL")
    locations = pick("SELECT code FROM location")
    db.close()
    return {
        "material lot code": lots,
        "batch code": [code for code, _ in batches],
        "SKU": skus,
        "EAN-13": [to_ean13(g) for g in gtins],
        "GTIN-14": gtins,
        "GS1 (our label)": [f"]C101{g}10{code}" for code, g in batches],
        "GS1 (supplier)": [f"]C101{g}17280131{GS}10{b}" for g, b in supplier],
        "case GTIN": cases,
        "location": locations,
        "order ref": orders,
        "command": ["LK!DONE", "LK!QTY:3", "LK!CANCEL"],
        "unknown": [f"NOPE-{rng.randrange(10**6)}" for _ in range(100)],
        "bad check digit": [g[:-1] + str((int(g[-1]) + 1) % 10) for g in gtins],
    }


async def measure(path: Path, scans: int) -> None:
    kinds = _prepare(path)
    rng = random.Random(1)
    plan = [(kind, rng.choice(values)) for kind in kinds for values in [kinds[kind]] if values]
    work = [rng.choice(plan) for _ in range(scans)]
    codes = CodesConfig()
    times: dict[str, list[float]] = defaultdict(list)
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    async with open_store(str(path)):
        for _, text in plan:  # warm the page cache once per kind
            await resolve(text, codes)
        t_all = time.perf_counter()
        for kind, text in work:
            t0 = time.perf_counter()
            result = await resolve(text, codes)
            times[kind].append((time.perf_counter() - t0) * 1000)
            seen[kind][result.kind] += 1
        total = time.perf_counter() - t_all
    every = [t for samples in times.values() for t in samples]
    print(f"{len(work)} scans in {total:.2f} s: {len(work) / total:.0f} scans/s")
    for kind, samples in sorted(times.items()):
        p99 = quantiles(samples, n=100, method="inclusive")[98] if len(samples) > 1 else samples[0]
        resolved = ", ".join(f"{k} {n}" for k, n in seen[kind].most_common())
        print(f"{kind:<20} p50 {median(samples):5.2f} ms  p99 {p99:5.2f} ms  (n={len(samples)}: {resolved})")
    p99 = quantiles(every, n=100, method="inclusive")[98]
    verdict = "ok" if p99 <= TARGET_P99_MS else "MISSED"
    target = f"target p99 {TARGET_P99_MS:g} ms: {verdict}"
    print(f"{'all scans':<20} p50 {median(every):5.2f} ms  p99 {p99:5.2f} ms  {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="benchmark store (generated there if missing, and kept)")
    parser.add_argument("--scans", type=int, default=5000)
    args = parser.parse_args()
    folder = None if args.db else Path(tempfile.mkdtemp(prefix="lk-resolver-"))
    path = args.db or folder / "bench.db"  # type: ignore[operator]
    try:
        if not (path.exists() and path.stat().st_size > 0):
            t0 = time.perf_counter()
            generate(path)
            print(f"generated {path} in {time.perf_counter() - t0:.1f} s")
        asyncio.run(measure(path, args.scans))
    finally:
        if folder is not None:
            shutil.rmtree(folder)


if __name__ == "__main__":
    main()
