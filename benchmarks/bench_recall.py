"""The recall pack of the worst lot, as a script meets it: the whole `lotkeeper` process.

    .venv/bin/python benchmarks/bench_recall.py [--db STORE] [--runs 3]

The lot is the hot material lot of benchmarks/generate.py: behind 2,000 batches (through 10
blend batches) and 100,000 sale lines to 20,000 customers. Without `--db` a smaller store (20,000
material lots) is generated in the temp folder and reused; the hot lot's recall is the same size
in any generated store. Each format runs `--runs` times in a fresh process; printed: median wall
time, median CPU time of the process (user + system: what a busy machine cannot inflate), peak
resident memory, and the file's size.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench_cli
from generate import generate

TARGET_S = {".csv": 3.0, ".pdf": 3.0, ".xlsx": None}


def default_store() -> Path:
    path = Path(tempfile.gettempdir()) / "lotkeeper-bench" / "recall-20k.db"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        generate(path, lots=20_000, movements=300_000)
        print(f"generated {path} in {time.perf_counter() - t0:.0f} s", flush=True)
    return path


def measure(
    db: Path, runs: int, suffixes: tuple[str, ...] = (".csv", ".pdf", ".xlsx")
) -> dict[str, bench_cli.Run]:
    hot = bench_cli.hot_lot(db)
    out = Path(tempfile.mkdtemp(prefix="lotkeeper-recall-"))
    found = {}
    for suffix in suffixes:
        target = out / f"recall{suffix}"
        found[suffix] = bench_cli.median_run(
            ["--db", str(db), "report", "recall", hot, "--out", str(target)], runs
        )
        print(
            f"report recall HOT --out FILE{suffix:<6} wall {found[suffix].wall_s:6.3f} s"
            f"  CPU {found[suffix].cpu_s:6.3f} s  peak {found[suffix].peak_mib:5.0f} MiB"
            f"  file {target.stat().st_size / 2**20:5.1f} MiB"
            + (f"  (target <= {TARGET_S[suffix]:g} s)" if TARGET_S[suffix] else ""),
            flush=True,
        )
        target.unlink()
    out.rmdir()
    return found


def notices_per_customer(db: Path, customers: int = 200) -> float:
    """Seconds per customer to draft notices (an e-mail and a letter), in this process."""
    import asyncio

    from tui.documents.notices import write_notices
    from tui.documents.pack import Maker, notices
    from tui.services.recall_pack import recall_pack
    from tui.store.db import open_store

    async def gather() -> object:
        async with open_store(str(db)):
            return await recall_pack(bench_cli.hot_lot(db))

    pack = asyncio.run(gather())
    found = notices(pack)[:customers]  # type: ignore[arg-type]
    out = Path(tempfile.mkdtemp(prefix="lotkeeper-notices-"))
    t0 = time.perf_counter()
    write_notices(pack, found, out, Maker("Bench Soaps", email="hello@bench.example"))  # type: ignore[arg-type]
    seconds = (time.perf_counter() - t0) / len(found)
    for path in out.iterdir():
        path.unlink()
    out.rmdir()
    print(f"notices: {seconds * 1000:.1f} ms per customer (e-mail and letter, {len(found)} drafted)")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a store made by benchmarks/generate.py")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-xlsx", action="store_true", help="only the CSV and the PDF (the timed targets)")
    args = parser.parse_args()
    db = args.db or default_store()
    print(f"load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores")
    measure(db, args.runs, (".csv", ".pdf") if args.no_xlsx else (".csv", ".pdf", ".xlsx"))
    notices_per_customer(db)


if __name__ == "__main__":
    main()
