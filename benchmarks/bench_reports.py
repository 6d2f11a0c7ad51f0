"""How long the office reports take on a store years old (100k material lots, 1M ledger rows).

    .venv/bin/python benchmarks/bench_reports.py [--lots 100000] [--movements 1000000]
                                                 [--db PATH] [--keep]

Generates a store (benchmarks/generate.py) or reuses one given with --db, then runs each report
service a few times and prints the median, with how many rows it gave.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from statistics import median
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generate import generate

from tui.collector import tune_collector
from tui.services import money, stock_reports
from tui.services.report_tables import Period
from tui.store.db import open_store

RUNS = 3


async def _timed(name: str, work: Callable[[], Awaitable[Any]]) -> None:
    samples, rows = [], 0
    for _ in range(RUNS):
        t0 = time.perf_counter()
        report = await work()
        samples.append((time.perf_counter() - t0) * 1000)
        rows = len(report.table().rows)
    print(f"{name:<34} {median(samples):8.0f} ms  ({rows} rows)")


async def measure(path: Path) -> None:
    today = date.today()
    async with open_store(str(path)):
        await _timed("report cogs (all time)", lambda: money.cogs(Period(), "USD"))
        await _timed("report valuation (today)", lambda: money.valuation(today, "USD"))
        await _timed("report sales (all time)", lambda: stock_reports.sales(Period()))
        await _timed("report waste (all time)", lambda: stock_reports.waste(Period(), "USD"))
        await _timed("report expiring (30 days)", lambda: stock_reports.expiring(30, today, "USD"))
        await _timed("report reorder", lambda: stock_reports.reorder(today))


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
        else:
            t0 = time.perf_counter()
            info = generate(path, args.lots, args.movements)
            print(
                f"generated {path} in {time.perf_counter() - t0:.1f} s: {info.lots} material lots, "
                f"{info.batches} batches, {info.sale_lines} sale lines, {info.movements} movements"
            )
        tune_collector()
        asyncio.run(measure(path))
    finally:
        if folder is not None and not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
