"""Run the chaos campaigns and print their figures.

    .venv/bin/python -m tests.chaos            # the short version (the test suite runs it too)
    .venv/bin/python -m tests.chaos --long     # the long one: 1,008 kills, 100,000 scans, ...
    python3 run.py chaos                       # the same as --long, after setting up .venv

`--only kills,damage` runs some campaigns; `--json FILE` also writes every figure as JSON.
Exit code 1 when any campaign found a failure (each is printed).
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tui.cli  # noqa: F401  (imported once here: every forked command starts without imports)
from tui.services import catalog, inventory, production, resolver, sales, tracing  # noqa: F401

from . import damage, diskfull, kills, printqueue, scans, stations, tui_scans
from .stores import Workdir, drop_templates, pg_available

SIZES: dict[str, dict[str, int]] = {
    "short": {
        "stride_first": 13,
        "stride_upgrade": 9,
        "kills": 1,
        "damage_rounds": 1,
        "disk_rounds": 1,
        "scans": 1_000,
        "pg_scans": 200,
        "operations": 90,
        "race": 8,
        "first_starts": 2,
        "tui_scans": 5,
        "print_rounds": 5,
    },
    "long": {
        "stride_first": 1,
        "stride_upgrade": 1,
        "kills": 84,
        "damage_rounds": 5,
        "disk_rounds": 10,
        "scans": 100_000,
        "pg_scans": 10_000,
        "operations": 10_000,
        "race": 300,
        "first_starts": 50,
        "tui_scans": 1_000,
        "print_rounds": 200,
    },
}
STOCK_SHORT_START = 12
"""The short run kills Tortoise's own upgrade from this statement on: past the migration's commit."""
CAMPAIGNS = ("steps", "kills", "damage", "diskfull", "scans", "stations", "tui", "printqueue")


def _run(name: str, root: Path, pg: bool, job: Callable[[Workdir], Any]) -> list[Any]:
    work = Workdir(root / f"{name}-{'pg' if pg else 'sqlite'}", pg=pg)
    try:
        found = job(work)
    finally:
        work.cleanup()
    return found if isinstance(found, list) else [found]


def campaign(name: str, size: dict[str, int], root: Path, backends: list[bool]) -> list[Any]:
    out: list[Any] = []
    if name == "steps":  # statement by statement: SQLite's trace hook
        for scenario, stride in (("first start", size["stride_first"]), ("upgrade", size["stride_upgrade"])):
            if size["stride_first"] == 1 or scenario == "upgrade":  # the fault, shown before it is fixed
                begin = 1 if size["stride_first"] == 1 else STOCK_SHORT_START
                first = functools.partial(kills.steps, scenario=scenario, start=begin, stock=True)
                out += _run(name, root, False, first)
            out += _run(name, root, False, functools.partial(kills.steps, scenario=scenario, stride=stride))
    elif name == "kills":
        for pg in backends:
            out += _run("first", root, pg, lambda w: kills.first_start(w, size["kills"]))
            out += _run("upgrade", root, pg, lambda w: kills.upgrade(w, size["kills"]))
            out += _run("changes", root, pg, lambda w: kills.changes(w, size["kills"]))
    elif name == "damage":
        every = size["damage_rounds"] > 1
        out += _run(
            name, root, False, lambda w: damage.damage_campaign(w, size["damage_rounds"], every=every)
        )
    elif name == "diskfull":
        out += _run(name, root, False, lambda w: diskfull.disk_full(w, size["disk_rounds"]))
    elif name == "scans":
        for pg in backends:
            count = size["pg_scans" if pg else "scans"]
            out += _run(name, root, pg, functools.partial(scans.scans, count=count))
    elif name == "stations":
        for pg in backends:
            out += _run(name, root, pg, lambda w: stations.stations(w, size["operations"]))
            out += _run("race", root, pg, lambda w: stations.duplicate_race(w, size["race"]))
            out += _run("together", root, pg, lambda w: stations.first_start_race(w, size["first_starts"]))
    elif name == "tui":
        out += _run(name, root, False, lambda w: tui_scans.tui_scans(w, size["tui_scans"]))
    elif name == "printqueue":
        for pg in backends:
            out += _run(name, root, pg, lambda w: printqueue.print_queue(w, size["print_rounds"]))
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.chaos", description=__doc__.split("\n\n")[0])
    parser.add_argument("--long", action="store_true", help="the long campaign (minutes, not seconds)")
    parser.add_argument("--only", default=",".join(CAMPAIGNS), help=f"some of: {', '.join(CAMPAIGNS)}")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    size = SIZES["long" if args.long else "short"]
    chosen = [c.strip() for c in args.only.split(",") if c.strip()]
    unknown = sorted(set(chosen) - set(CAMPAIGNS))
    if unknown:
        parser.error(f"unknown campaign(s) {', '.join(unknown)}")
    backends = [False]
    why_not = "not asked for" if args.no_postgres else pg_available()
    if why_not is None:
        backends.append(True)
    else:
        print(f"PostgreSQL skipped: {why_not}", flush=True)
    report: dict[str, Any] = {"size": "long" if args.long else "short", "postgres": why_not is None}
    # Stopped with kill (not Ctrl+C): unwind all the same, so the test databases are dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    failures = 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="lotkeeper-chaos-") as tmp:
        try:
            failures = _campaigns(chosen, size, Path(tmp), backends, report)
        finally:
            drop_templates()
    report["seconds"] = time.monotonic() - started
    report["failures"] = failures
    print(f"chaos ({report['size']}): {failures} failure(s) in {report['seconds']:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str))
    return 1 if failures else 0


def _campaigns(
    chosen: list[str], size: dict[str, int], root: Path, backends: list[bool], report: dict[str, Any]
) -> int:
    failures = 0
    for name in chosen:
        began = time.monotonic()
        figures = campaign(name, size, root, backends)
        report[name] = [_plain(dataclasses.asdict(f)) for f in figures]
        for figure in figures:
            print(figure.line(), flush=True)
            for failure in figure.failures[:10]:
                print(f"    FAILURE {failure[:400]}", flush=True)
            if isinstance(figure, kills.StepFigures) and "Tortoise" in figure.scenario:
                if not figure.bricked:  # the campaign must see the fault it guards against
                    print(
                        "    FAILURE no kill bricked Tortoise's own migrate: the kills miss the step",
                        flush=True,
                    )
                    failures += 1
                if figure.recovered != figure.bricked:
                    print("    FAILURE a store bricked by an earlier version stays unopenable", flush=True)
                    failures += 1
            else:
                failures += len(figure.failures)
        print(f"  ({name}: {time.monotonic() - began:.1f} s)", flush=True)
    return failures


def _plain(value: Any) -> Any:
    """JSON keys must be text (Counters of tuples are not)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
