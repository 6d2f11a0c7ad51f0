"""TUI figures: cold start to a ready Home, scan-to-screen latency and memory on a 100k-lot store.

    .venv/bin/python benchmarks/bench_tui.py            # builds a 100k-lot store in a temp folder
    .venv/bin/python benchmarks/bench_tui.py --db big.db --keep

Every figure is taken in a fresh child process running the real App headless, as on the bench:
* cold start: from starting the process to Home showing its alerts and recent activity
  (interpreter, imports, store opening and Home's first load included), on the demo store and
  on the big one;
* scan-to-screen: a `ScanReceived` posted for a random lot code until the Trace screen shows
  that lot's trace (resolve, trace both ways, recall rows, trees and table filled);
* memory: resident set size of that process after the scans (and its peak).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

TARGET_START_S = 1.0
TARGET_SCAN_P50_MS = 30.0
TARGET_RSS_MIB = 90.0


def rss_mib() -> dict[str, float]:
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return {k: int(status[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM")}


def child(db: str, codes: list[str]) -> None:
    """Run the App headless: say READY when Home is loaded, then time the scans, then report RSS."""
    from textual.widgets import Static

    from tui.app import LotkeeperApp
    from tui.config import Config
    from tui.context import AppContext
    from tui.devices.scanners.base import Scan
    from tui.scanning import ScanReceived
    from tui.screens.home import HomeScreen
    from tui.screens.trace import TraceScreen

    def say(line: str) -> None:  # the App captures sys.stdout while it runs
        print(line, file=sys.__stdout__, flush=True)

    async def auto_pilot(pilot) -> None:  # type: ignore[no-untyped-def]
        app = pilot.app
        while not (
            isinstance(app.screen, HomeScreen) and str(app.screen.query_one("#alerts", Static).render())
        ):
            await asyncio.sleep(0.001)  # Home's first load fills the alerts (at least "Nothing needs...")
        say(f"READY {rss_mib()['VmRSS']:.1f}")
        latencies = []
        for code in codes:
            t0 = time.perf_counter()
            app.post_message(ScanReceived(Scan(code, "bench")))
            while not (
                isinstance(app.screen, TraceScreen)
                and app.screen.current is not None
                and app.screen.current.code == code
            ):
                await asyncio.sleep(0.0005)
            latencies.append((time.perf_counter() - t0) * 1000)
        say(json.dumps({"latencies_ms": latencies, "rss_mib": rss_mib()}))
        app.exit()

    ctx = AppContext(Config(), db=db, scanners=(), printers=(), clock_synced=lambda: True)
    LotkeeperApp(ctx).run(headless=True, size=(80, 24), auto_pilot=auto_pilot)


def run_child(db: Path, codes: list[str]) -> tuple[float, dict]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", str(db), *codes],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    ready = None
    result: dict = {}
    for line in proc.stdout:
        if line.startswith("READY"):
            ready = time.perf_counter() - t0
        elif line.startswith("{"):
            result = json.loads(line)
    if proc.wait() != 0 or ready is None:
        raise SystemExit(f"the App child failed (exit {proc.returncode})")
    return ready, result


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def demo_store(folder: Path) -> Path:
    from tui.services.demo import seed_demo
    from tui.store.db import open_store

    path = folder / "demo.db"

    async def seed() -> None:
        async with open_store(str(path)):
            await seed_demo(today=date.today())

    asyncio.run(seed())
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="100k-lot store to use (built there if missing)")
    parser.add_argument("--keep", action="store_true", help="keep the generated stores")
    parser.add_argument("--scans", type=int, default=200, help="scans to time (default 200)")
    parser.add_argument("--starts", type=int, default=5, help="cold starts to time (default 5)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="lk-bench-tui-"))
    big = args.db or folder / "big.db"
    try:
        if not big.exists():
            from generate import generate

            t0 = time.perf_counter()
            generate(big)
            print(f"generated {big} in {time.perf_counter() - t0:.1f} s")
        with sqlite3.connect(big) as db:
            (lots,) = db.execute("SELECT COUNT(*) FROM lot").fetchone()
            codes = [
                c for (c,) in db.execute("SELECT code FROM lot ORDER BY random() LIMIT ?", (args.scans,))
            ]
        demo = demo_store(folder)

        for name, path in (("demo store", demo), (f"{lots} lots", big)):
            starts = [run_child(path, [])[0] for _ in range(args.starts)]
            best, median = min(starts), statistics.median(starts)
            print(
                f"cold start to Home ready ({name}): median {median:.2f} s, best {best:.2f} s "
                f"(n={len(starts)})  target {TARGET_START_S:g} s: {verdict(median <= TARGET_START_S)}"
            )

        _, result = run_child(big, codes)
        first, rest = result["latencies_ms"][0], result["latencies_ms"][1:]
        p50 = pct(rest, 50)
        print(
            f"scan-to-screen, {lots} lots: p50 {p50:.1f} ms  p90 {pct(rest, 90):.1f} ms  "
            f"p99 {pct(rest, 99):.1f} ms  max {max(rest):.1f} ms  (n={len(rest)}; first scan, "
            f"opening Trace: {first:.0f} ms)  target p50 {TARGET_SCAN_P50_MS:g} ms: "
            f"{verdict(p50 <= TARGET_SCAN_P50_MS)}"
        )
        rss = result["rss_mib"]
        print(
            f"resident memory after {len(codes)} scans, {lots} lots: {rss['VmRSS']:.1f} MiB "
            f"(peak {rss['VmHWM']:.1f} MiB)  target {TARGET_RSS_MIB:g} MiB: "
            f"{verdict(rss['VmRSS'] <= TARGET_RSS_MIB)}"
        )
    finally:
        if args.keep:
            print(f"stores kept in {folder}" + (f" and {big}" if args.db else ""))
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3:])
    else:
        main()
