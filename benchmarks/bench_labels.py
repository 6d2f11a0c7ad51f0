"""Label speed: render + rasterise one 62 mm label, and 100 labels through the persistent queue to a
Brother on a loopback port (a real socket, real SQLite). Run: .venv/bin/python benchmarks/bench_labels.py

Targets: one 62 mm label rendered and rasterised in <= 15 ms.
"""

from __future__ import annotations

import asyncio
import socket
import statistics
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from tui.config import PrinterConfig
from tui.devices.printers import BrotherPrinter
from tui.devices.printers.brother import brother_model, raster_job
from tui.labels import BatchData, label_size, render
from tui.services import catalog, inventory
from tui.services.printing import ClockGuard, PrintService
from tui.store.db import open_store

DATA = BatchData(
    "LAV261105-01",
    "Lavender soap bar",
    "LAV-SOAP-100",
    date(2026, 11, 5),
    date(2028, 5, 5),
    "00036000291452",
    "https://id.example.com/01/00036000291452/10/LAV261105-01",
)


def one_label(runs: int = 200) -> None:
    size, model = label_size("62"), brother_model("QL-820NWB")
    renders, rasters = [], []
    for _ in range(runs):
        start = time.perf_counter()
        label = render("batch", DATA, size)
        middle = time.perf_counter()
        raster_job(label, model)
        renders.append(middle - start)
        rasters.append(time.perf_counter() - middle)
    totals = [a + b for a, b in zip(renders, rasters, strict=True)]
    ms = 1000
    print(f"one 62 mm batch label (QR, UPC-A, GS1 DataMatrix), QL-820NWB; {runs} runs:")
    print("               median     p95    best")
    for what, times in (("render", renders), ("rasterise", rasters), ("total", totals)):
        p95 = statistics.quantiles(times, n=20)[18]
        print(f"  {what:<10} {statistics.median(times) * ms:7.2f} {p95 * ms:7.2f} {min(times) * ms:7.2f} ms")
    print("  target: total <= 15 ms")


class Sink:
    """A Brother-like port: takes each job until the client closes its side, then closes."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.jobs = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                data = b""
                while chunk := conn.recv(65536):
                    data += chunk
            self.jobs += data.endswith(b"\x1a")

    def close(self) -> None:
        self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


async def through_the_queue(count: int = 100) -> None:
    sink = Sink()
    with tempfile.TemporaryDirectory() as folder:
        async with open_store(str(Path(folder) / "bench.db")):
            await catalog.add_supplier("Oliveto")
            await catalog.add_material("Olive oil", "kg")
            lots = [
                (await inventory.receive("Olive oil", "1", supplier="Oliveto", expires="2027-11-05")).lot
                for _ in range(count)
            ]
            config = PrinterConfig(name="bench", kind="brother", uri=f"tcp://127.0.0.1:{sink.port}")
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:  # no SNMP agent there
                probe.bind(("127.0.0.1", 0))
                printer = BrotherPrinter(config, snmp_port=probe.getsockname()[1])
            queue = PrintService([printer], clock=ClockGuard(lambda: True))
            start = time.perf_counter()
            for lot in lots:
                await queue.enqueue_lot_label(lot)
            queued = time.perf_counter()
            sent = await queue.process_once()
            done = time.perf_counter()
    sink.close()
    assert len(sent) == count and sink.jobs == count, (len(sent), sink.jobs)
    print(f"{count} material-lot labels through the queue to a loopback Brother (SQLite, synchronous=FULL):")
    for what, seconds in (
        ("enqueue (read lot, render, store PNG)", queued - start),
        ("send (claim, rasterise, TCP, mark)", done - queued),
        ("total", done - start),
    ):
        print(f"  {what:<38} {seconds * 1000:7.0f} ms  {seconds / count * 1000:5.1f} ms/label")


if __name__ == "__main__":
    one_label()
    asyncio.run(through_the_queue())
