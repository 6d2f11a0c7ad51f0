"""Scan-to-handler latency for serial and keyboard-wedge scanners.

Run: .venv/bin/python benchmarks/bench_scan_latency.py [scans per case, default 300]

serial -> events():   bytes written to a pseudo-terminal until `events()` yields the Scan.
serial -> App:        the same, until the Textual App's `on_scan_received` runs.
wedge detector:       the pure detector alone, per 34-key scan (CPU cost, no I/O).
wedge -> App:         34 key events posted 1 ms apart (as the terminal driver would), from
                      posting the Enter key until `on_scan_received` runs.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time

from textual import events
from textual._xterm_parser import XTermParser
from textual.app import App

from tui.config import ScannerConfig
from tui.devices.scanners import Scan, WedgeDetector
from tui.devices.scanners.serial import SerialScanner
from tui.scanning import ScannerSupervisor, ScanReceived
from tui.widgets.scans import ScanFeed

PAYLOAD = "]C1010950110102091710LAOS261109-07\x1d17270131"  # GS1 with AIM prefix and a GS
WEDGE_PAYLOAD = PAYLOAD[:33]  # 33 keys + Enter: the 34-key scan of the stack notes


def report(name: str, seconds: list[float]) -> None:
    ms = sorted(s * 1000 for s in seconds)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    p50 = statistics.median(ms)
    print(f"{name:<18} n={len(ms):<4} p50 {p50:7.3f} ms   p99 {p99:7.3f} ms   max {ms[-1]:7.3f} ms")


def new_pty() -> tuple[int, str]:
    master, slave = os.openpty()
    path = os.ttyname(slave)
    os.close(slave)
    return master, path


async def serial_events(n: int) -> list[float]:
    master, path = new_pty()
    scanner = SerialScanner(ScannerConfig(name="bench", kind="serial", port=path))
    await scanner.start()
    events = scanner.events()
    await anext(events)  # connected
    out = []
    try:
        for _ in range(n):
            sent = time.monotonic()
            os.write(master, PAYLOAD.encode() + b"\r")
            while not isinstance(await anext(events), Scan):
                pass
            out.append(time.monotonic() - sent)
    finally:
        await scanner.stop()
        os.close(master)
    return out


class BenchApp(App[None]):
    def __init__(self, configs: tuple[ScannerConfig, ...]) -> None:
        super().__init__()
        self.configs = configs
        self.feed = ScanFeed(self)
        self.scanners = ScannerSupervisor(self, self.feed, warn=print)
        self.arrived = asyncio.Event()
        self.handled_at = 0.0

    def on_mount(self) -> None:
        self.scanners.start(self.configs)

    async def on_event(self, event: events.Event) -> None:
        await self.scanners.filter(event, super().on_event)

    async def on_unmount(self) -> None:
        await self.scanners.stop()

    def on_scan_received(self, message: ScanReceived) -> None:
        self.handled_at = time.monotonic()
        self.arrived.set()


async def serial_app(n: int) -> list[float]:
    master, path = new_pty()
    app = BenchApp((ScannerConfig(name="bench", kind="serial", port=path),))
    out = []
    async with app.run_test() as pilot:
        while not app.feed.status.get("bench", None):
            await pilot.pause(0.01)
        for _ in range(n):
            app.arrived.clear()
            sent = time.monotonic()
            os.write(master, PAYLOAD.encode() + b"\r")
            await app.arrived.wait()
            out.append(app.handled_at - sent)
    os.close(master)
    return out


def wedge_detector(n: int) -> list[float]:
    keys = list(XTermParser().feed(WEDGE_PAYLOAD + "\r"))
    detector: WedgeDetector[int] = WedgeDetector(ScannerConfig())
    out = []
    for i in range(n):
        t0 = 100.0 + i
        start = time.perf_counter()
        for j, key in enumerate(keys):
            detector.feed(key.key, key.character, t0 + j * 0.001, j)
        out.append(time.perf_counter() - start)
    return out


async def wedge_app(n: int) -> list[float]:
    app = BenchApp(())
    out = []
    async with app.run_test():
        for _ in range(n):
            app.arrived.clear()
            keys = list(XTermParser().feed(WEDGE_PAYLOAD + "\r"))
            t0 = time.monotonic() - 0.001 * len(keys)  # stamped as if typed over the last 34 ms
            for j, key in enumerate(keys):
                key.time = t0 + j * 0.001
                app.post_message(key)
            enter_posted = time.monotonic()
            await app.arrived.wait()
            out.append(app.handled_at - enter_posted)
    return out


async def main(n: int) -> None:
    print(f"scan-to-handler latency, {n} scans per case ({len(PAYLOAD)}-character serial scan)")
    report("serial -> events()", await serial_events(n))
    report("serial -> App", await serial_app(n))
    report("wedge detector", wedge_detector(n))
    report("wedge -> App", await wedge_app(n))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 300))
