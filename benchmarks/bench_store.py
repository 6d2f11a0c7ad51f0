"""How the store holds up after years of use: lot lookups, recall traces, making a batch.

    .venv/bin/python benchmarks/bench_store.py [--lots 100000] [--movements 1000000]
                                               [--db PATH] [--keep]

Generates a store (benchmarks/generate.py), then times the real services on it and prints
p50/p99 figures next to the targets for a Raspberry Pi-class machine. With --db pointing at an
existing benchmark store, the store is reused instead of generated again.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from statistics import median, quantiles

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generate import Generated, generate

from tui.collector import tune_collector
from tui.errors import InsufficientStock, NotFound
from tui.services.catalog import find_lot
from tui.services.production import make
from tui.services.tracing import trace
from tui.store.db import open_store
from tui.store.integrity import check

TARGETS_MS = {"lookup p50": 2.0, "trace forward": 250.0, "trace backward": 20.0, "make": 30.0}


def _pctl(samples: list[float], p: int) -> float:
    return quantiles(samples, n=100, method="inclusive")[p - 1] if len(samples) > 1 else samples[0]


CPU_MS: dict[str, float] = {}
"""Median CPU ms per call of the last `_timed` run under each name (wall time waits on a busy
machine; CPU time, the process's and its database thread's, does not)."""


async def _timed(work: Callable[[], Awaitable[object]], runs: int, name: str = "") -> list[float]:
    """Wall-clock ms per call; freeing a big result is left out (it happens after it is shown)."""
    times, cpu = [], []
    for _ in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        result = await work()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        del result
    if name:
        CPU_MS[name] = median(cpu)
    return times


FIGURES: dict[str, float] = {}
"""p50 ms of each figure printed by `_line`, for benchmarks/all.py."""


def _line(name: str, samples: list[float], target_key: str | None = None, extra: str = "") -> None:
    p50, p99 = median(samples), _pctl(samples, 99)
    FIGURES[name] = p50
    verdict = ""
    if target_key:
        target = TARGETS_MS[target_key]
        verdict = f"  target {target:g} ms: {'ok' if p50 <= target else 'MISSED'}"
    cpu = f", CPU {CPU_MS[name]:.1f} ms" if name in CPU_MS else ""
    print(f"{name:<34} p50 {p50:8.2f} ms  p99 {p99:8.2f} ms  (n={len(samples)}{cpu}){verdict}{extra}")


def _stored(path: Path) -> Generated:
    """The figures of a store generated earlier (reused with --db)."""
    db = sqlite3.connect(path)
    one = db.execute
    hot = one(
        "SELECT s.code FROM consumption c JOIN lot s ON s.id = c.source_id JOIN lot b ON b.id = c.batch_id "
        "JOIN product p ON p.id = b.product_id WHERE p.sku = 'BLEND' LIMIT 1"
    ).fetchone()[0]
    hot_batch = one(
        "SELECT b.code FROM lot b JOIN product p ON p.id = b.product_id "
        "WHERE p.sku = 'SOAP002' ORDER BY b.id LIMIT 1"
    ).fetchone()[0]
    counts = [
        one(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        for table in ("consumption", "sale_line", "movement")
    ]
    lots = one("SELECT COUNT(*) FROM lot WHERE kind = 'material'").fetchone()[0]
    batches = one("SELECT COUNT(*) FROM lot WHERE kind = 'batch'").fetchone()[0]
    db.close()
    consumptions, sale_lines, movements = counts
    return Generated(lots, batches, consumptions, sale_lines, movements, hot, hot_batch, "PROD012")


async def measure(path: Path, info: Generated) -> None:
    db = sqlite3.connect(path)
    codes = [row[0] for row in db.execute("SELECT code FROM lot")]
    db.close()
    rng = random.Random(7)
    async with open_store(str(path)):
        sample = rng.sample(codes, 2000)
        it = iter(sample)
        await find_lot(sample[0])  # warm the connection
        lookups = await _timed(lambda: find_lot(next(it)), 1999, "lot lookup by code (find_lot)")
        _line("lot lookup by code (find_lot)", lookups, "lookup p50")

        async def miss() -> None:
            with contextlib.suppress(NotFound):
                await find_lot(f"NOPE-{rng.randrange(10**6)}")

        async def slip() -> None:  # a digit left out: the hint has close codes to weigh
            with contextlib.suppress(NotFound):
                await find_lot(rng.choice(codes)[:-1].lower())

        _line("lot lookup, unknown code (find_lot)", await _timed(miss, 20))
        _line("lot lookup, code with a slip (find_lot)", await _timed(slip, 20))

        found = await trace(info.hot_lot)
        reached = f"\n{'':<34} {len(found.batches)} batches, {len(found.customers)} customers"
        del found  # a big result kept alive would make the collector's passes dearer
        _line(
            "trace forward, hot material lot",
            await _timed(lambda: trace(info.hot_lot), 15, "trace forward, hot material lot"),
            "trace forward",
            reached,
        )
        back = await trace(info.hot_batch)
        _line(
            "trace of a batch (both ways)",
            await _timed(lambda: trace(info.hot_batch), 50, "trace of a batch (both ways)"),
            "trace backward",
            f"\n{'':<34} {len(back.material_lots)} material lots upstream",
        )
        try:
            made = await _timed(lambda: make(info.make_sku, "1"), 30, "make a batch (make service)")
            _line("make a batch (make service)", made, "make")
        except InsufficientStock as exc:  # a store generated before ON_HAND_MILLI, reused often
            print(f"{'make a batch (make service)':<34} not measured: {exc.message}; generate anew")
        t0 = time.perf_counter()
        report = await check()
        took = (time.perf_counter() - t0) * 1000
        print(f"{'lotkeeper check (whole store)':<34} {took:8.0f} ms  ok={report.ok}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lots", type=int, default=100_000, help="material lots (default 100000)")
    parser.add_argument("--movements", type=int, default=1_000_000, help="ledger rows (default 1M)")
    parser.add_argument("--db", type=Path, help="where to build the store (reused if it exists)")
    parser.add_argument("--keep", action="store_true", help="keep the generated store")
    args = parser.parse_args()
    folder = None
    if args.db is None:
        folder = Path(tempfile.mkdtemp(prefix="lk-bench-"))
        path = folder / "bench.db"
    else:
        path = args.db
    try:
        if path.exists() and path.stat().st_size > 0:
            print(f"reusing {path}")
            info = _stored(path)
        else:
            t0 = time.perf_counter()
            info = generate(path, args.lots, args.movements)
            print(f"generated {path} in {time.perf_counter() - t0:.1f} s")
        print(
            f"{info.lots} material lots, {info.batches} batches, {info.consumptions} consumptions, "
            f"{info.sale_lines} sale lines, {info.movements} movements"
        )
        size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
        print(f"database size: {size / 1e6:.1f} MB")
        tune_collector()  # as the App does once it is up: traces are timed as a scan meets them
        asyncio.run(measure(path, info))
    finally:
        if folder is not None and not args.keep:
            shutil.rmtree(folder)
        elif folder is not None:
            print(f"kept {path}")


if __name__ == "__main__":
    main()
