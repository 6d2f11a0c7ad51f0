"""Every benchmark figure in one table, with the machine's load noted: `python3 run.py bench`.

    .venv/bin/python benchmarks/all.py [--stores DIR] [--quick]

The stores are made by benchmarks/generate.py into DIR (default: lotkeeper-bench in the temp
folder) the first time and reused: the 100k-lot store (with the hot lot behind 2,000 batches,
100,000 sale lines and 20,000 customers) and a 360k-lot one for `stock --all`. Services run on a
copy, since they write. Each row gives the figure as the user meets it (wall time), the CPU
time where it was measured (a busy machine inflates wall time, not CPU time), and the target.
Commands are timed as whole processes; the App in a pseudo-terminal (benchmarks/bench_terminal.py).
`--quick` takes fewer samples.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench_backup
import bench_cli
import bench_labels
import bench_recall
import bench_store
import bench_terminal
from generate import generate


@dataclass(frozen=True)
class Row:
    name: str
    value: float
    unit: str
    target: float | None
    cpu: float | None = None

    def line(self) -> str:
        shown = f"{self.value:,.3f}" if self.unit == "s" else f"{self.value:,.1f}"
        cpu = "" if self.cpu is None else (f"{self.cpu:,.3f}" if self.unit == "s" else f"{self.cpu:,.1f}")
        target = "" if self.target is None else f"<= {self.target:g}"
        verdict = "" if self.target is None else ("ok" if self.value <= self.target else "MISSED")
        return f"| {self.name:<46} | {shown:>9} | {cpu:>9} | {self.unit:<3} | {target:>9} | {verdict:<6} |"


def store(folder: Path, name: str, lots: int) -> Path:
    path = folder / name
    if not path.exists():
        t0 = time.perf_counter()
        generate(path, lots=lots)
        print(f"generated {path} in {time.perf_counter() - t0:.0f} s", flush=True)
    return path


def cli_rows(big: Path, huge: Path, runs: int) -> list[Row]:
    targets = {"--version": 0.08, "scan": 0.25, "stock --json": 0.25, "trace": 0.8, "--all": 1.0}
    rows = []
    for name, argv in bench_cli.commands(big, huge).items():
        run = bench_cli.median_run(argv, runs)
        target = next(t for key, t in targets.items() if key in name)
        rows.append(Row(name, run.wall_s, "s", target, run.cpu_s))
        if "trace" in name:
            rows.append(Row("  its peak memory", run.peak_mib, "MiB", 150))
        if "--all" in name:  # written as it is read: the list is never held
            rows.append(Row("  its peak memory", run.peak_mib, "MiB", None))
    return rows


def recall_rows(big: Path, runs: int) -> list[Row]:
    found = bench_recall.measure(big, runs, (".csv", ".pdf"))
    return [
        Row(
            f"report recall HOT --out FILE{suffix}", run.wall_s, "s", bench_recall.TARGET_S[suffix], run.cpu_s
        )
        for suffix, run in found.items()
    ]


def terminal_rows(big: Path, scans: int, starts: int) -> list[Row]:
    got = bench_terminal.measure(big, scans, starts)
    return [
        Row("App first paint (pty, 80x24)", got["first paint s"], "s", 0.45),
        Row("App Home ready", got["home ready s"], "s", 0.6, got["home ready cpu s"]),
        Row("scan-to-screen p50 (pty)", got["scan p50 ms"], "ms", 25, got["scan cpu ms"]),
        Row("scan-to-screen p95 (pty)", got["scan p95 ms"], "ms", 40),
        Row("big recall: customer count shown (pty)", got["recall ms"], "ms", 400, got["recall cpu ms"]),
        Row("big recall: a key answered after it", got["recall key ms"], "ms", None),
        Row("big recall: next scan", got["recall next ms"], "ms", 40),
        Row("big recall: resident memory after", got["recall rss"], "MiB", 150),
        Row("big recall: resident memory after leaving", got["left rss"], "MiB", 110),
    ]


def store_rows(big: Path, folder: Path) -> list[Row]:
    copy = folder / "services-copy.db"
    shutil.copyfile(big, copy)
    try:
        bench_store.tune_collector()
        asyncio.run(bench_store.measure(copy, bench_store._stored(copy)))
    finally:
        for leftover in folder.glob("services-copy.db*"):
            leftover.unlink()
    fig, cpu = bench_store.FIGURES, bench_store.CPU_MS
    names = [
        ("lot lookup by code (find_lot)", "lookup p50"),
        ("trace forward, hot material lot", "trace forward"),
        ("trace of a batch (both ways)", "trace backward"),
        ("make a batch (make service)", "make"),
    ]
    return [
        Row(f"service: {name} p50", fig[name], "ms", bench_store.TARGETS_MS[key], cpu.get(name))
        for name, key in names
        if name in fig
    ]


def backup_rows(big: Path, runs: int) -> list[Row]:
    got = bench_backup.measure(big, runs)
    trip = got["export s"] + got["read s"] + got["restore s"]
    return [
        Row("backup of the 100k store (process)", got["backup s"], "s", 2, got["backup cpu s"]),
        Row("export + restore round trip (100k, SQLite)", trip, "s", None),
    ]


def label_rows() -> list[Row]:
    one = bench_labels.one_label(50)
    queued = asyncio.run(bench_labels.through_the_queue(30))
    return [
        Row("one 62 mm label, render + rasterise", one, "ms", 15),
        Row("print queue: enqueue + send, per label", queued, "ms", None),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", type=Path, default=Path(tempfile.gettempdir()) / "lotkeeper-bench")
    parser.add_argument("--quick", action="store_true", help="fewer samples")
    args = parser.parse_args()
    args.stores.mkdir(parents=True, exist_ok=True)
    big = store(args.stores, "big-100k.db", 100_000)
    huge = store(args.stores, "big-360k.db", 300_000)
    load_before = os.getloadavg()
    rows = [
        *cli_rows(big, huge, 3 if args.quick else 7),
        *recall_rows(big, 1 if args.quick else 3),
        *terminal_rows(big, 20 if args.quick else 60, 3 if args.quick else 7),
        *store_rows(big, args.stores),
        *backup_rows(big, 3 if args.quick else 5),
        *label_rows(),
    ]
    load_after = os.getloadavg()
    print()
    print(
        f"Lotkeeper benchmarks, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, load average "
        f"{load_before[0]:.1f} before and {load_after[0]:.1f} after (1 min; 5 min: {load_after[1]:.1f})"
    )
    print(f"| {'figure':<46} | {'wall':>9} | {'CPU':>9} | {'':<3} | {'target':>9} | {'':<6} |")
    print(f"|{'-' * 48}|{'-' * 11}|{'-' * 11}|{'-' * 5}|{'-' * 11}|{'-' * 8}|")
    for row in rows:
        print(row.line())


if __name__ == "__main__":
    main()
