"""Commands as a script meets them: the whole `lotkeeper` process, start to exit.

    .venv/bin/python benchmarks/bench_cli.py --db /tmp/h11/big.db [--all-db /tmp/h11/big360.db]

Each command runs `--runs` times in a fresh process (bytecode written and used, as installed);
printed: the median wall time, the median CPU time of the process (user + system, from the
kernel: what a busy machine cannot inflate), and its peak resident memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOTKEEPER = Path(os.environ.get("LOTKEEPER_BENCH_COMMAND", ROOT / ".venv" / "bin" / "lotkeeper"))
"""The command timed (LOTKEEPER_BENCH_COMMAND: another build of it, to compare)."""


@dataclass(frozen=True)
class Run:
    wall_s: float
    cpu_s: float
    peak_mib: float


def run_once(args: list[str]) -> Run:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [str(LOTKEEPER), "--config", os.devnull, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(
            f"lotkeeper {' '.join(args)} failed: {proc.stderr.read().decode() if proc.stderr else ''}"
        )
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def median_run(args: list[str], runs: int) -> Run:
    """After one run not counted: the first command on a store just generated checkpoints its
    write-ahead log and fills the page cache, which no maker's later command pays."""
    run_once(args)
    samples = [run_once(args) for _ in range(runs)]
    return Run(
        statistics.median(r.wall_s for r in samples),
        statistics.median(r.cpu_s for r in samples),
        max(r.peak_mib for r in samples),
    )


def hot_lot(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return str(
            conn.execute(
                "SELECT s.code FROM consumption c JOIN lot s ON s.id = c.source_id JOIN lot b"
                " ON b.id = c.batch_id JOIN product p ON p.id = b.product_id WHERE p.sku = 'BLEND' LIMIT 1"
            ).fetchone()[0]
        )


def commands(db: Path, all_db: Path | None) -> dict[str, list[str]]:
    hot = hot_lot(db)
    found = {
        "lotkeeper --version": ["--version"],
        "lotkeeper scan CODE --json": ["--db", str(db), "scan", hot, "--json"],
        "lotkeeper stock --json": ["--db", str(db), "stock", "--json"],
        "lotkeeper trace HOT --json": ["--db", str(db), "trace", hot, "--json"],
    }
    if all_db is not None:
        with sqlite3.connect(all_db) as conn:
            (lots,) = conn.execute("SELECT COUNT(*) FROM lot").fetchone()
        found[f"lotkeeper stock --all --json ({lots // 1000}k lots)"] = [
            "--db",
            str(all_db),
            "stock",
            "--all",
            "--json",
        ]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="store made by benchmarks/generate.py")
    parser.add_argument("--all-db", type=Path, help="a store with 360k lots, for stock --all")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"load average {os.getloadavg()[0]:.1f}")
    for name, argv in commands(args.db, args.all_db).items():
        run = median_run(argv, args.runs)
        print(f"{name:<44} wall {run.wall_s:6.3f} s  CPU {run.cpu_s:6.3f} s  peak {run.peak_mib:6.0f} MiB")


if __name__ == "__main__":
    main()
