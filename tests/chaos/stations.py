"""Three stations working on one store at once, with duplicate names and order refs in the mix.

Each station is a process with the store open (as the app keeps it), calling the same services
the app and the CLI call, as fast as it can: receive, make, sell (by batch, by SKU, with an
order ref another station may use at the same moment), adjust, and add suppliers and customers
whose names other stations add too. Every refusal must be one of our errors; afterwards the
store passes `check`, each name exists exactly once, and the ledger holds exactly what the
stations were told succeeded.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .forking import collect, spawn
from .stores import CampaignFailure, Workdir, check_passes, fingerprint, seeded_store

KINDS = ("receive", "make", "sell batch", "sell sku", "sell ref", "adjust", "supplier", "customer")
DUPLICATE_NAMES = 40
"""Names (and order refs) drawn from a pool this small collide often across three stations."""


@dataclass
class StationFigures:
    backend: str
    stations: int = 0
    operations: int = 0
    seconds: float = 0.0
    done: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        ok = sum(self.done.values())
        return (
            f"stations {self.backend:<9} {self.stations} processes, {self.operations} operations in "
            f"{self.seconds:.1f} s: done {ok}, refused {sum(self.refused.values())} "
            f"({', '.join(f'{k} {v}' for k, v in self.refused.most_common(4))}), "
            f"failures {len(self.failures)}"
        )


async def _operate(
    target: str, station: int, count: int, oil_lot: str, batch: str, go: int
) -> dict[str, Any]:
    from tui.errors import Duplicate, LotkeeperError
    from tui.services import catalog, inventory, production, sales
    from tui.store.db import open_store

    rng = random.Random(station)
    done: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    unexpected: list[str] = []
    async with open_store(target, station=f"station-{station}", create=False):
        os.read(go, 1)  # all stations start together
        for _ in range(count):
            kind = rng.choice(KINDS)
            pick = rng.randrange(DUPLICATE_NAMES)
            try:
                if kind == "receive":
                    await inventory.receive("Olive oil", "10", supplier="Acme Oils", received="2026-02-01")
                elif kind == "make":
                    await production.make("SOAP", "1", made="2026-02-02")
                elif kind == "sell batch":
                    await sales.sell("Jo Bloggs", [(batch, "1")])
                elif kind == "sell sku":
                    await sales.sell("Jo Bloggs", [("SOAP", "1")])
                elif kind == "sell ref":
                    await sales.sell("Jo Bloggs", [(batch, "1")], order=f"DUP-{pick}")
                elif kind == "adjust":
                    await inventory.adjust(oil_lot, rng.choice(("-1", "1")), reason="chaos")
                elif kind == "supplier":
                    await catalog.add_supplier(f"Dup Supplier {pick}")
                else:
                    await catalog.add_customer(f"Dup Customer {pick}")
            except Duplicate:
                refused[f"{kind}: Duplicate"] += 1
            except LotkeeperError as exc:  # anything else is shown with what it said
                refused[f"{kind}: {type(exc).__name__} ({exc.message[:70]})"] += 1
            except Exception as exc:  # what the campaign exists to find
                unexpected.append(f"{kind}: {type(exc).__name__}: {exc}")
            else:
                done[kind] += 1
    return {"done": done, "refused": refused, "unexpected": unexpected}


def _together(figures: StationFigures, station: Callable[[int, int], dict[str, Any]]) -> None:
    """Fork the stations, let them open the store, start them at one word, gather what they did."""
    go_read, go_write = os.pipe()

    def report(n: int) -> int:
        print(json.dumps(station(n, go_read)))
        return 0

    started = time.monotonic()
    children = [spawn(functools.partial(report, n)) for n in range(figures.stations)]
    time.sleep(0.5)  # every station has opened the store and waits for the word
    os.write(go_write, b"x" * figures.stations)
    outcomes = collect(children, timeout=3600)
    figures.seconds = time.monotonic() - started
    os.close(go_read)
    os.close(go_write)
    for outcome in outcomes:
        if outcome.code != 0:
            figures.failures.append(f"station exit {outcome.code}: {outcome.err.strip()[-500:]}")
            continue
        result = json.loads(outcome.out.strip().splitlines()[-1])
        figures.done.update(result["done"])
        figures.refused.update(result["refused"])
        figures.failures.extend(result["unexpected"][:20])


def stations(work: Workdir, operations: int, processes: int = 3) -> StationFigures:
    figures = StationFigures("postgres" if work.pg else "sqlite", stations=processes, operations=operations)
    target, seeded = seeded_store(work)
    before = fingerprint(target)
    per_station = -(-operations // processes)
    figures.operations = per_station * processes

    def station(n: int, go: int) -> dict[str, Any]:
        return asyncio.run(_operate(target, n, per_station, seeded.oil_lot, seeded.batch, go))

    _together(figures, station)
    try:
        check_passes(work, target)
        _ledger_matches(figures, before, fingerprint(target))
    except CampaignFailure as exc:
        figures.failures.append(str(exc))
    return figures


def _ledger_matches(figures: StationFigures, before: dict[str, int], after: dict[str, int]) -> None:
    """What the stations were told succeeded is exactly what the store holds."""
    done = figures.done
    sales_done = done["sell batch"] + done["sell sku"] + done["sell ref"]
    expected = {
        "supplier.rows": done["supplier"],
        "customer.rows": done["customer"],
        "sale.rows": sales_done,
        "lot.rows": done["receive"] + done["make"],
        "consumption.rows": done["make"],
    }
    for key, count in expected.items():
        if after[key] - before[key] != count:
            raise CampaignFailure(
                f"{key}: the store gained {after[key] - before[key]}, stations were told {count}"
            )
    if done["supplier"] > DUPLICATE_NAMES or done["customer"] > DUPLICATE_NAMES:
        raise CampaignFailure("a duplicate name was added twice")
    if done["sell ref"] > DUPLICATE_NAMES:
        raise CampaignFailure("an order ref was recorded twice")


async def _race(target: str, station: int, names: int, batch: str, go: int) -> dict[str, Any]:
    from tui.errors import Duplicate, LotkeeperError
    from tui.services import catalog, sales
    from tui.store.db import open_store

    done: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    unexpected: list[str] = []
    adds = {
        "supplier": lambda i: catalog.add_supplier(f"Race Supplier {i}"),
        "customer": lambda i: catalog.add_customer(f"Race Customer {i}"),
        "order ref": lambda i: sales.sell("Jo Bloggs", [(batch, "1")], order=f"RACE-{i}"),
    }
    async with open_store(target, station=f"station-{station}", create=False):
        os.read(go, 1)
        for i in range(names):
            for kind, add in adds.items():
                try:
                    await add(i)
                except Duplicate:
                    refused[kind] += 1
                except LotkeeperError as exc:
                    unexpected.append(f"{kind}: {exc.message}")
                except Exception as exc:
                    unexpected.append(f"{kind}: {type(exc).__name__}: {exc}")
                else:
                    done[kind] += 1
    return {"done": done, "refused": refused, "unexpected": unexpected}


def duplicate_race(work: Workdir, names: int, processes: int = 3) -> StationFigures:
    """Every station adds the same names and order refs in the same order at the same moment:
    exactly one must win each, the others must hear `Duplicate`."""
    figures = StationFigures(
        "postgres" if work.pg else "sqlite", stations=processes, operations=3 * names * processes
    )
    target, seeded = seeded_store(work)

    def station(n: int, go: int) -> dict[str, Any]:
        return asyncio.run(_race(target, n, names, seeded.batch, go))

    _together(figures, station)
    for kind in ("supplier", "customer", "order ref"):
        if figures.done[kind] != names:
            figures.failures.append(f"{kind}: {figures.done[kind]} added, {names} names were raced for")
    try:
        check_passes(work, target)
    except CampaignFailure as exc:
        figures.failures.append(str(exc))
    return figures


@dataclass
class FirstStartFigures:
    backend: str
    rounds: int = 0
    processes: int = 0
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"first start together {self.backend:<9} {self.rounds} new stores, {self.processes} processes "
            f"starting on each at once: failures {len(self.failures)}"
        )


def first_start_race(work: Workdir, rounds: int, processes: int = 3) -> FirstStartFigures:
    """Stations started at the same moment on a store nobody has made yet: one makes it, the
    others wait and use it (they used to fail with `table "code_counter" already exists`)."""
    figures = FirstStartFigures("postgres" if work.pg else "sqlite", rounds=rounds, processes=processes)
    for _ in range(rounds):
        target = work.new_target()
        go_read, go_write = os.pipe()

        def station(n: int, target: str = target, go: int = go_read) -> int | None:
            from tui.cli import main

            os.read(go, 1)
            main(work.lk(target, "supplier", "add", f"Supplier {n}"))
            return 0

        children = [spawn(functools.partial(station, n)) for n in range(processes)]
        os.write(go_write, b"x" * processes)
        for outcome in collect(children, timeout=120):
            if outcome.code != 0:
                figures.failures.append(f"exit {outcome.code}: {outcome.err.strip()[-300:]}")
        os.close(go_read)
        os.close(go_write)
        try:
            check_passes(work, target)
            made = fingerprint(target).get("supplier.rows")
            if made != processes:
                raise CampaignFailure(f"{made} suppliers, not {processes}")
        except CampaignFailure as exc:
            figures.failures.append(str(exc))
    return figures
