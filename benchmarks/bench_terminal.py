"""The App as a maker meets it: the real `lotkeeper` in a pseudo-terminal at 80x24, timed from
the bytes a scanner sends to the bytes that show the answer.

    .venv/bin/python benchmarks/bench_terminal.py --db /tmp/h11/big.db [--scans 60]

Each figure starts when the harness writes to the terminal (a scan is its characters and Enter
in one burst, as a keyboard-wedge scanner types) and stops when the terminal output contains
what the maker looks for:
* first paint: Home's hint on screen; Home ready: its alerts loaded (from starting the process);
* scan-to-screen: a random lot's code on the Trace screen (the first scan, which opens Trace, is
  left out); the harness's own cost (a trivial program that echoes a line back through the same
  kind of terminal) is measured the same way and subtracted;
* big recall: the hot lot of benchmarks/generate.py (2,000 batches, 100,000 sale lines, 20,000
  customers) until its customer count shows; then a key (Down) until the screen answers; the
  App's resident memory after it, and after leaving the screen (F1); then the next scan.
The App's CPU time per scan is read from /proc as well: wall time on a busy machine waits for
the CPU, CPU time does not.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import random
import select
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOTKEEPER = Path(os.environ.get("LOTKEEPER_BENCH_COMMAND", ROOT / ".venv" / "bin" / "lotkeeper"))
"""The command timed (LOTKEEPER_BENCH_COMMAND: another build of it, to compare)."""
TARGET_SCAN_P50_MS, TARGET_SCAN_P95_MS = 25.0, 40.0
TARGET_RECALL_MS = 400.0
TARGET_RECALL_RSS, TARGET_LEFT_RSS = 150.0, 110.0
TARGET_PAINT_S, TARGET_READY_S = 0.45, 0.6
CODE_SHOWN = 1
"""Times a scanned code appears with its answer (once, in the summary; 2 for a build that also
echoes it into the code field first)."""
HOME_HINT = b"Scan any label"
HOME_READY = (b"Nothing needs attention", b"expir", b"reorder", b"held", b"failed")
ECHO = r"""
import os, sys, termios, tty
tty.setraw(0)
os.write(1, b"ready\r\n")
line = b""
while True:
    data = os.read(0, 1024)
    if not data:
        break
    line += data
    while b"\r" in line:
        text, _, line = line.partition(b"\r")
        os.write(1, b"\x1b[2;1H" + text + b"\r\n")
"""


class Terminal:
    """A program in a pseudo-terminal of 80x24; what it writes is read as it comes."""

    def __init__(self, argv: list[str], cols: int = 80, rows: int = 24) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor", COLUMNS=str(cols))
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as on the bench: bytecode is written and used
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
        )
        os.close(slave)
        self.seen = b""
        self.last_bytes = 0

    def read_until(
        self, markers: tuple[bytes, ...], timeout: float = 30.0, since: int = 0, times: int = 1
    ) -> float:
        """The time when any marker has been written `times` times after output offset `since`."""
        deadline = time.perf_counter() + timeout
        while not any(self.seen.count(m, since) >= times for m in markers):
            left = deadline - time.perf_counter()
            if left <= 0 or not self._read(left):
                raise TimeoutError(f"no {markers!r} in the output within {timeout} s")
        return time.perf_counter()

    def settle(self, quiet: float = 0.15, limit: float = 10.0) -> None:
        """Read until the program has written nothing for `quiet` seconds."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline and self._read(quiet):
            pass

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:
            return False
        self.seen += data
        return bool(data)

    def send(
        self, data: bytes, markers: tuple[bytes, ...], timeout: float = 30.0, times: int = 1
    ) -> tuple[float, float]:
        """Write `data`; (wall ms, the program's CPU ms) until a marker shows (`times` times)."""
        since = len(self.seen)
        cpu0 = self.cpu()
        t0 = time.perf_counter()
        os.write(self.master, data)
        t1 = self.read_until(markers, timeout, since, times)
        self.last_bytes = len(self.seen) - since
        return (t1 - t0) * 1000, (self.cpu() - cpu0) * 1000

    def cpu(self) -> float:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        os.close(self.master)


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def harness_cost(n: int) -> float:
    """Median ms for a line to come back through a pty from a program that only echoes it."""
    term = Terminal([sys.executable, "-c", ECHO])
    try:
        term.read_until((b"ready",))
        samples = []
        for i in range(n):
            marker = f"L{i:05d}X".encode()
            samples.append(term.send(marker + b"\r", (marker,))[0])
            term.settle(0.01)
        return statistics.median(samples)
    finally:
        term.close()


def app(db: Path) -> Terminal:
    return Terminal([str(LOTKEEPER), "--db", str(db), "--config", os.devnull])


def measure_start(db: Path, runs: int) -> tuple[list[float], list[float], list[float]]:
    """Seconds to first paint and to Home ready, and the App's CPU seconds until ready."""
    paint, ready, cpu = [], [], []
    for _ in range(runs):
        term = app(db)
        try:
            paint.append(term.read_until((HOME_HINT,)) - term.started)
            ready.append(term.read_until(HOME_READY) - term.started)
            cpu.append(term.cpu())
        finally:
            term.close()
    return paint, ready, cpu


def codes(db: Path, n: int, seed: int = 7) -> tuple[list[str], str]:
    with sqlite3.connect(db) as conn:
        all_codes = [c for (c,) in conn.execute("SELECT code FROM lot")]
        hot = conn.execute(
            "SELECT s.code FROM consumption c JOIN lot s ON s.id = c.source_id"
            " JOIN lot b ON b.id = c.batch_id JOIN product p ON p.id = b.product_id"
            " WHERE p.sku = 'BLEND' LIMIT 1"
        ).fetchone()
    return random.Random(seed).sample(all_codes, n), hot[0] if hot else ""


def measure(db: Path, scans: int = 60, starts: int = 5) -> dict[str, float]:
    """Every figure of the module docstring, printed and returned (ms, s or MiB by name)."""
    out: dict[str, float] = {}
    paint, ready, cpu = measure_start(db, starts)
    out["first paint s"], out["home ready s"] = statistics.median(paint), statistics.median(ready)
    out["home ready cpu s"] = statistics.median(cpu)
    print(
        f"first paint: median {out['first paint s']:.2f} s (target {TARGET_PAINT_S} s); "
        f"Home ready: median {out['home ready s']:.2f} s (target {TARGET_READY_S} s; App CPU "
        f"{out['home ready cpu s']:.2f} s)  (n={len(paint)})"
    )
    cost = harness_cost(40)
    sample, hot = codes(db, scans + 2)
    term = app(db)
    try:
        term.read_until(HOME_READY)
        term.settle()
        term.send(sample[0].encode() + b"\r", (sample[0].encode(),))  # opens Trace
        term.settle()
        wall, cpu, written = [], [], []
        for code in sample[1 : scans + 1]:
            # The code shows in the trace's summary line, with the answer.
            ms, used = term.send(code.encode() + b"\r", (code.encode(),), times=CODE_SHOWN)
            since = len(term.seen) - term.last_bytes
            term.settle(0.1)
            wall.append(ms - cost)
            cpu.append(used)
            written.append(len(term.seen) - since)
        out["scan p50 ms"], out["scan p95 ms"] = statistics.median(wall), pct(wall, 95)
        out["scan cpu ms"] = statistics.median(cpu)
        print(
            f"scan-to-screen: p50 {out['scan p50 ms']:.1f} ms  p95 {out['scan p95 ms']:.1f} ms  "
            f"max {max(wall):.1f} ms  (n={len(wall)}, harness {cost:.1f} ms subtracted; App CPU p50 "
            f"{out['scan cpu ms']:.1f} ms, {statistics.median(written) / 1024:.1f} KiB written per scan)"
            f"  target p50 {TARGET_SCAN_P50_MS:g} / p95 {TARGET_SCAN_P95_MS:g} ms"
        )
        if hot:
            out.update(big_recall(term, hot, sample[-1], cost))
    finally:
        term.close()
    return out


def big_recall(term: Terminal, hot: str, other: str, cost: float) -> dict[str, float]:
    counted = (b"20000 customer", b"20,000 customer")
    before = term.rss_mib()
    ms, used = term.send(hot.encode() + b"\r", counted, timeout=60)
    term.settle(0.3)
    key_ms, _ = term.send(b"\t", (b"\x1b[",), timeout=30)  # Tab: focus moves, the screen answers
    term.settle(0.3)
    after = term.rss_mib()
    next_ms, next_cpu = term.send(other.encode() + b"\r", (other.encode(),), times=CODE_SHOWN)
    term.settle(0.3)
    term.send(hot.encode() + b"\r", counted, timeout=60)
    term.settle(0.3)
    term.send(b"\x1bOP", (HOME_HINT,))  # F1: Home
    term.settle(1.0)
    left = term.rss_mib()
    print(
        f"big recall ({hot}): customer count shown {ms - cost:.0f} ms (App CPU {used:.0f} ms; target "
        f"{TARGET_RECALL_MS:g} ms); a key answered {key_ms - cost:.0f} ms later; "
        f"next scan {next_ms - cost:.0f} ms (CPU {next_cpu:.0f} ms)"
    )
    print(
        f"resident memory: {before:.0f} MiB before, {after:.0f} MiB after the recall "
        f"(target {TARGET_RECALL_RSS:g}), {left:.0f} MiB after leaving Trace "
        f"(target {TARGET_LEFT_RSS:g})"
    )
    return {
        "recall ms": ms - cost,
        "recall cpu ms": used,
        "recall key ms": key_ms - cost,
        "recall next ms": next_ms - cost,
        "recall rss": after,
        "left rss": left,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="store made by benchmarks/generate.py")
    parser.add_argument("--scans", type=int, default=60)
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} (2 cores); {args.db}")
    measure(args.db, args.scans, args.starts)


if __name__ == "__main__":
    main()
