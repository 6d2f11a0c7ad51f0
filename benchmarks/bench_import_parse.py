"""How long reading a big Shopify orders export takes, before anything reaches the database.

    .venv/bin/python benchmarks/bench_import_parse.py [--lines 10000] [--keep PATH]

Generates an `orders_export_1.csv` with the real 79-column header and `--lines` line items
(1 to 4 per order, order fields on the first row only, accents, `'03801` zips, a quoted
two-line note on every 50th order, refunds and cancellations), then times, as the import
command will meet it: decoding the file from disk and parsing it into orders (best and median of
5 runs in one process), and a whole fresh process doing the same (Python start-up and imports
included). The whole import (parsing plus the store) has a 5 s target in issue 13; these figures
are the parsing share of it.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.imports import parse_orders, read_text_file
from tui.imports.formats import SHOPIFY_HEADER

NAMES = [
    "Zoë O'Brien",
    "François Lefèvre",
    "Aoife Ní Bhriain",
    "Jürgen Groß",
    "Mary-Kate Dunn",
    "Seán Ó Briain",
]
PRODUCTS = [
    ("LAV-SOAP", "Lavender Oat Soap", "8.00"),
    ("OAT-SOAP", "Oatmeal Honey Soap", "8.00"),
    ("CED-CANDLE", "Cedar Candle 8oz", "18.00"),
    ("ROSE-BALM", "Rose Lip Balm", "12.00"),
    ("", "Gift wrapping", "3.00"),
]


def generate(lines: int, seed: int = 13) -> str:
    """An export of `lines` line items, written the way Shopify writes one."""
    rnd = random.Random(seed)
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, SHOPIFY_HEADER, lineterminator="\n")
    writer.writeheader()
    written, number = 0, 1000
    while written < lines:
        number += 1
        name = rnd.choice(NAMES)
        count = min(rnd.randint(1, 4), lines - written)
        financial = rnd.choices(["paid", "partially_refunded", "refunded"], [90, 7, 3])[0]
        cancelled = "2026-10-02 17:40:12 -0400" if financial == "refunded" else ""
        for i in range(count):
            sku, item, price = rnd.choice(PRODUCTS)
            row = {
                "Name": f"#{number}",
                "Lineitem quantity": str(rnd.randint(1, 6)),
                "Lineitem name": item,
                "Lineitem price": price,
                "Lineitem sku": sku,
                "Lineitem fulfillment status": "pending",
            }
            if i == 0:
                row.update(
                    {
                        "Email": f"buyer{number}@example.com",
                        "Financial Status": financial,
                        "Created at": "2026-10-01 10:01:55 -0400",
                        "Currency": "USD",
                        "Total": "42.00",
                        "Refunded Amount": "5.00" if financial == "partially_refunded" else "0.00",
                        "Cancelled at": cancelled,
                        "Billing Name": name,
                        "Billing Address1": "12 Market Square",
                        "Billing City": "Portsmouth",
                        "Billing Zip": "'03801",
                        "Billing Province": "NH",
                        "Billing Country": "US",
                        "Shipping Name": name,
                        "Shipping Address1": "12 Market Square",
                        "Shipping City": "Portsmouth",
                        "Shipping Zip": "'03801",
                        "Shipping Country": "US",
                        "Notes": "Leave it at\nthe back door" if number % 50 == 0 else "",
                        "Id": str(5_900_000_000_000 + number),
                    }
                )
            writer.writerow(row)
        written += count
    return out.getvalue()


def timed_in_process(path: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        parse_orders(read_text_file(path))
        times.append(time.perf_counter() - start)
    return times


def timed_fresh_process(path: Path) -> float:
    code = (
        "import sys\n"
        "from tui.imports import parse_orders, read_text_file\n"
        "parse_orders(read_text_file(sys.argv[1]))\n"
    )
    root = Path(__file__).resolve().parents[1]
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, cwd=root)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="write the generated export here and keep it")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "orders_export_1.csv"
        path.write_text(generate(args.lines), encoding="utf-8")
        size = path.stat().st_size
        tracemalloc.start()
        result = parse_orders(read_text_file(path))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert not result.problems, result.problems[:3]
        lines = sum(len(o.lines) for o in result.orders)
        times = timed_in_process(path, 5)
        fresh = timed_fresh_process(path)

    print(f"export                {lines:,} line items, {len(result.orders):,} orders, {size / 1e6:.1f} MB")
    print(
        f"parse (in process)    best {min(times) * 1000:6.0f} ms   median {median(times) * 1000:6.0f} ms"
        f"   {lines / min(times):,.0f} line items/s"
    )
    print(f"parse (fresh process) {fresh * 1000:6.0f} ms   (Python start-up and imports included)")
    print(f"peak memory (parse)   {peak / 1e6:6.1f} MB")


if __name__ == "__main__":
    main()
