"""Backups of the 100k-lot store: `lotkeeper backup` as a whole process, and the export + restore
round trip a move to PostgreSQL makes (here into a new SQLite file).

    .venv/bin/python benchmarks/bench_backup.py [--db STORE] [--runs N]

Without --db a store is generated (benchmarks/generate.py) into a temporary folder and removed
after. Prints wall times; `measure` gives the figures to benchmarks/all.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generate import generate

from tui.services.export import export_json, restore_json
from tui.services.export_file import read_export
from tui.store.db import open_store

LOTKEEPER = [sys.executable, "-m", "tui.cli"]


def backup_process(store: Path, folder: Path, runs: int) -> tuple[float, float, int]:
    """Median wall and CPU time of `lotkeeper backup FOLDER --json` (copy, check, event), and the size."""
    times, cpus, size = [], [], 0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        out = subprocess.run(
            [*LOTKEEPER, "--db", str(store), "backup", str(folder), "--json"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        times.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        made = json.loads(out)
        size = made["bytes"]
        Path(made["path"]).unlink()
        time.sleep(1.01)  # backups are named to the second
    return statistics.median(times), statistics.median(cpus), size


async def round_trip(store: Path, folder: Path) -> dict[str, float]:
    """Export the store to JSON, then restore it into a new SQLite store (checked before commit)."""
    export, target = folder / "export.json", folder / "restored.db"
    t0 = time.perf_counter()
    async with open_store(str(store), create=False):
        await export_json(export)
    t1 = time.perf_counter()
    read = read_export(export)
    t2 = time.perf_counter()
    async with open_store(str(target)):
        rows = sum((await restore_json(read, str(target))).values())
    t3 = time.perf_counter()
    size = export.stat().st_size
    export.unlink()
    for leftover in folder.glob("restored.db*"):
        leftover.unlink()
    return {"export s": t1 - t0, "read s": t2 - t1, "restore s": t3 - t2, "rows": rows, "json MB": size / 1e6}


def measure(store: Path, runs: int = 3) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="lk-backup-") as scratch:
        folder = Path(scratch)
        backup_s, cpu_s, size = backup_process(store, folder, runs)
        trip = asyncio.run(round_trip(store, folder))
    return {"backup s": backup_s, "backup cpu s": cpu_s, "backup MB": size / 1e6, **trip}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing benchmark store (else one is generated)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = None
    store = args.db
    if store is None:
        folder = Path(tempfile.mkdtemp(prefix="lk-bench-"))
        store = folder / "bench.db"
        t0 = time.perf_counter()
        generate(store)
        print(f"generated {store} in {time.perf_counter() - t0:.1f} s")
    try:
        got = measure(store, args.runs)
    finally:
        if folder is not None:
            shutil.rmtree(folder)
    wall, cpu, size = got["backup s"], got["backup cpu s"], got["backup MB"]
    print(
        f"{'lotkeeper backup (process, median)':<40} {wall:8.3f} s   CPU {cpu:.3f} s, target <= 2 s "
        f"({size:.1f} MB)"
    )
    print(f"{'export --out FILE.json':<40} {got['export s']:8.3f} s   ({got['json MB']:.1f} MB)")
    print(f"{'read its header':<40} {got['read s']:8.3f} s")
    print(f"{'restore into a new SQLite store':<40} {got['restore s']:8.3f} s   ({got['rows']:,.0f} rows)")
    total = got["export s"] + got["read s"] + got["restore s"]
    print(f"{'export + restore round trip':<40} {total:8.3f} s")


if __name__ == "__main__":
    main()
