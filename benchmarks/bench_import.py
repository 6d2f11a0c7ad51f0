"""How long `lotkeeper import orders` takes on a big Shopify export, the way the maker meets it.

    .venv/bin/python benchmarks/bench_import.py [--lines 10000] [--runs 3] [--db postgres://...]

Generates an `orders_export_1.csv` of `--lines` line items (the generator of
bench_import_parse.py: 1-4 lines an order, a new buyer each order, refunds and cancellations),
makes a store that already has the products, then times whole `lotkeeper` processes (Python
start-up, imports, opening the store, reading, planning, writing): the first import into a store
that has none of the orders, then the same file again, which must add nothing. Each is run
`--runs` times on a fresh copy of the store; best and median are printed. Targets (issue 13):
first import <= 5 s, re-import <= 3 s. With `--db` a PostgreSQL server is used instead of a
SQLite file (a fresh database per run, dropped afterwards).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_import_parse import PRODUCTS, generate  # noqa: E402

from tui.config import CodesConfig  # noqa: E402
from tui.services import products  # noqa: E402
from tui.store.db import open_store  # noqa: E402

TARGETS = {"import": 5.0, "re-import": 3.0}


async def _prepare(target: str) -> None:
    """A store with the exported products (what a maker importing orders already has)."""
    async with open_store(target):
        for sku, name, _ in PRODUCTS:
            if sku:
                await products.add_product(name, sku, codes=CodesConfig())


def _lotkeeper(target: str, *args: str) -> tuple[float, dict[str, object]]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--db", target, *args, "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"lotkeeper failed: {done.stderr.strip()}")
    return seconds, json.loads(done.stdout)


async def _admin(server: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(f"{server}/postgres")
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _one_run(export: Path, template: Path | None, server: str | None, folder: Path) -> dict[str, float]:
    if server is None:
        assert template is not None
        db = folder / f"run-{uuid.uuid4().hex[:6]}.db"
        shutil.copyfile(template, db)
        target = str(db)
    else:
        name = f"lk_bench_{uuid.uuid4().hex[:8]}"
        asyncio.run(_admin(server, f'CREATE DATABASE "{name}"'))
        target = f"{server}/{name}"
        asyncio.run(_prepare(target))
    try:
        first_s, first = _lotkeeper(target, "import", "orders", str(export))
        again_s, again = _lotkeeper(target, "import", "orders", str(export))
    finally:
        if server is not None:
            asyncio.run(_admin(server, f'DROP DATABASE "{name}" WITH (FORCE)'))
    assert first["orders_added"] and not first["problems"], first["problems"]
    assert (again["orders_added"], again["orders_updated"], again["lines_added"]) == (0, 0, 0), again
    assert again["orders_unchanged"] == first["orders_added"]
    return {"import": first_s, "re-import": again_s, "orders": float(first["orders_added"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", help="a PostgreSQL server URL (postgres://user@host:5432) instead of SQLite")
    args = parser.parse_args()
    server = args.db.rstrip("/").rsplit("/", 1)[0] if args.db and args.db.count("/") > 2 else args.db

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        export = folder / "orders_export_1.csv"
        export.write_text(generate(args.lines), encoding="utf-8")
        template = None
        if server is None:
            template = folder / "template.db"
            asyncio.run(_prepare(str(template)))
        runs = [_one_run(export, template, server, folder) for _ in range(args.runs)]

    where = "PostgreSQL" if server else "SQLite"
    orders = int(runs[0]["orders"])
    print(f"export        {args.lines:,} line items, {orders:,} orders, one new buyer each ({where})")
    for step, target in TARGETS.items():
        times = [run[step] for run in runs]
        verdict = "ok" if min(times) <= target else "OVER TARGET"
        print(
            f"{step:<12}  best {min(times):5.2f} s   median {median(times):5.2f} s   "
            f"(whole lotkeeper process; target <= {target:.0f} s: {verdict})"
        )


if __name__ == "__main__":
    main()
