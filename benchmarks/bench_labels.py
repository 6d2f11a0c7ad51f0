"""Label speed: render + rasterise one 62 mm label; render the richest compliant labels (a leave-on
cosmetic with a long INCI list and named allergens, a candle with its CLP block on 62red); and 100
labels through the persistent queue to a Brother on a loopback port (a real socket, real SQLite).
Run: .venv/bin/python benchmarks/bench_labels.py

Targets: one 62 mm label rendered and rasterised in <= 15 ms; the richest compliant label rendered
in <= 15 ms.
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import statistics
import tempfile
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from tui.compliance import Allergen, BatchInfo, ClpData, Component, Maker, ProductInfo, parse_net
from tui.config import PrinterConfig
from tui.devices.printers import BrotherPrinter
from tui.devices.printers.brother import brother_model, raster_job
from tui.labels import BatchData, LabelSize, label_size, pictograms, render
from tui.labels.compliant import ProfileLabelData
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


MAKER = Maker("Bench & Bloom", "12 Mill Lane, Bath BA1 1AA, UK", "hello@bench.example", "+44 1225 000000")
BASE = (
    ("Aqua", "68"),
    ("Prunus Amygdalus Dulcis Oil", "10"),
    ("Glycerin", "5"),
    ("Cetearyl Alcohol", "4"),
    ("Butyrospermum Parkii Butter", "4"),
    ("Glyceryl Stearate", "3"),
    ("Simmondsia Chinensis Seed Oil", "2"),
    ("Benzyl Alcohol", "0.9"),
    ("Tocopherol", "0.5"),
    ("Xanthan Gum", "0.4"),
    ("Dehydroacetic Acid", "0.1"),
    ("Citric Acid", "0.1"),
)
ROSE_ALLERGENS = (
    ("Citronellol", "30"),
    ("Geraniol", "15"),
    ("Linalool", "8"),
    ("Citral", "1.5"),
    ("Limonene", "0.8"),
    ("Eugenol", "0.3"),
)
LOTION = ProductInfo(
    "LOTION-ROSE",
    "Rose & geranium body lotion",
    "cosmetic",
    (
        *(Component(inci, Decimal(weight), inci) for inci, weight in BASE),
        Component(
            "Rose geranium oil",
            Decimal(1),
            "Parfum",
            tuple(Allergen(name, Decimal(pct)) for name, pct in ROSE_ALLERGENS),
        ),
    ),
    net=parse_net("200ml"),
    gtin="05069999000021",
)
CANDLE = ProductInfo(
    "CANDLE-ROSE",
    "Rose garden soy candle",
    "candle",
    (
        Component("Soy wax", Decimal(180)),
        Component(
            "Rose fragrance oil",
            Decimal(20),
            "Parfum",
            fragrance=True,
            clp=(
                ClpData(
                    Decimal(10),
                    ("GHS05", "GHS07", "GHS09"),
                    "Danger",
                    (
                        "H317 May cause an allergic skin reaction.",
                        "H318 Causes serious eye damage.",
                        "H411 Toxic to aquatic life with long lasting effects.",
                    ),
                    (
                        "P101 If medical advice is needed, have product container or label at hand.",
                        "P102 Keep out of reach of children.",
                        "P273 Avoid release to the environment.",
                        "P280 Wear protective gloves/eye protection.",
                        "P305+P351+P338 IF IN EYES: Rinse cautiously with water for several minutes.",
                        "P501 Dispose of contents/container in accordance with local regulations.",
                    ),
                    ("citronellol", "geraniol", "citral"),
                    "N1QV-R0VK-K00F-0P3D",
                ),
            ),
        ),
    ),
    net=parse_net("200g"),
    gtin="00614141000012",
)
RICHEST = (
    (
        "cosmetic",
        "62",
        ProfileLabelData(LOTION, BatchInfo("ROSE261105-01", date(2026, 11, 5), date(2028, 5, 5)), MAKER),
    ),
    ("candle", "62red", ProfileLabelData(CANDLE, BatchInfo("CROS261105-01", date(2026, 11, 5)), MAKER)),
)


def richest_labels(runs: int = 200) -> None:
    """Each run prints the next batch (a new lot, so a new QR, DataMatrix and lot line); the first
    run is what one `lotkeeper label` command costs, the others what the print queue meets."""
    ms = 1000
    print(f"richest compliant labels, render only (layout, symbols, barcodes, image); {runs} batches:")
    print("                                       first  median     p95    best")
    for template, size_id, data in RICHEST:
        size: LabelSize = label_size(size_id)
        times = []
        for n in range(runs + 1):
            batch = dataclasses.replace(data.batch, lot=f"{data.batch.lot[:-3]}{n:03}")
            start = time.perf_counter()
            render(template, dataclasses.replace(data, batch=batch), size)
            times.append(time.perf_counter() - start)
        first, times = times[0], times[1:]
        p95 = statistics.quantiles(times, n=20)[18]
        what = f"{template} on {size.name}"
        print(
            f"  {what:<36} {first * ms:6.2f} {statistics.median(times) * ms:7.2f} {p95 * ms:7.2f}"
            f" {min(times) * ms:7.2f} ms"
        )
    print("  target: <= 15 ms (first: fonts, symbols and repeated lines are drawn once, then kept)")


def symbols_drawn() -> None:
    """Every symbol drawn once at 16 mm on a 300 dpi label (the first label that needs each)."""
    side = label_size("62").dots(16.0)
    start = time.perf_counter()
    for name in pictograms.SYMBOLS:
        if name.startswith("GHS"):
            pictograms.ghs(name, side, 1, 2)
        else:
            pictograms.symbol(name, side, 1)
    took = time.perf_counter() - start
    count = len(pictograms.SYMBOLS)
    print(f"{count} symbols drawn from their outlines at 16 mm, 300 dpi: {took * 1000:.1f} ms, then kept")


def one_label(runs: int = 200) -> float:
    """Prints the figures; returns the median ms to render and rasterise one label."""
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
    return statistics.median(totals) * ms


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


async def through_the_queue(count: int = 100) -> float:
    """Prints the figures; returns ms per label, enqueued and sent."""
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
    return (done - start) / count * 1000


if __name__ == "__main__":
    one_label()
    symbols_drawn()
    richest_labels()
    asyncio.run(through_the_queue())
