"""Cost of reading a typed quantity (it sits on the scan path), and of the units table vs pint.

Run: .venv/bin/python benchmarks/bench_units.py
pint is compared when it is importable (it is not a dependency): install it in a scratch venv and
run with that venv's site-packages on PYTHONPATH.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import timeit
from decimal import Decimal

from tui.codes.amounts import ItemUnits
from tui.errors import InvalidInput
from tui.store.quantities import to_milli

OLIVE = ItemUnits.of("Olive oil", "g", density="0.91", packs=["drum=25kg"])
JAR = ItemUnits.of("Amber jar 120 ml", "pcs", packs=["case=12"])


def _refused() -> None:
    with contextlib.suppress(InvalidInput):
        OLIVE.read("abc")


CASES = {
    "to_milli('300') (today's parser)": lambda: to_milli("300"),
    "read '300' (bare, stock unit)": lambda: OLIVE.read("300"),
    "read '2.5kg'": lambda: OLIVE.read("2.5kg"),
    "read '2.5 kg'": lambda: OLIVE.read("2.5 kg"),
    "read '1 oz' (rounded)": lambda: OLIVE.read("1 oz"),
    "read '250 ml' (by density)": lambda: OLIVE.read("250 ml"),
    "read '3case' (pack)": lambda: JAR.read("3case"),
    "read 'abc' (refused)": _refused,
    "ItemUnits.of (from a stored row)": lambda: ItemUnits.of("Olive oil", "g", "0.91", ["drum=25 kg"]),
}

IMPORT = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


def cold_import(module: str, runs: int = 5) -> float:
    """Best of `runs` fresh interpreters: what the module adds to a command's start-up."""
    times = []
    for _ in range(runs):
        code = IMPORT.format(module=module)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if out.returncode != 0:
            return float("nan")
        times.append(float(out.stdout))
    return min(times)


def pint_figures() -> None:
    try:
        import pint
    except ImportError:
        print("pint                                   not installed: figures skipped")
        return
    started = timeit.default_timer()
    registry = pint.UnitRegistry(non_int_type=Decimal)
    setup = timeit.default_timer() - started
    print(f"pint {pint.__version__} import (cold)            {cold_import('pint') * 1e3:9.1f} ms")
    print(f"pint UnitRegistry(non_int_type=Decimal) {setup * 1e3:9.1f} ms")
    one_oz = registry.Quantity(Decimal(1), "oz").to("g").magnitude
    floz = registry.Quantity(Decimal(1), "fluid_ounce").to("ml").magnitude
    print(f"pint 1 oz -> g = {one_oz!r}, 1 fl oz -> ml = {floz!r}")
    float_registry = pint.UnitRegistry()
    print(f"pint float registry: 1 oz -> g = {float_registry.Quantity(1, 'oz').to('g').magnitude!r}")
    for name, run in (
        ("pint parse '2.5 kg' -> g", lambda: registry.Quantity("2.5 kg").to("g")),
        ("pint Quantity(2.5, kg) -> g", lambda: registry.Quantity(Decimal("2.5"), "kg").to("g")),
    ):
        best = min(timeit.repeat(run, number=500, repeat=3)) / 500
        print(f"{name:38s} {best * 1e6:9.1f} µs")


if __name__ == "__main__":
    for name, run in CASES.items():
        best = min(timeit.repeat(run, number=2000, repeat=5)) / 2000
        print(f"{name:38s} {best * 1e6:9.1f} µs")
    print(f"{'import tui.codes.amounts (cold)':38s} {cold_import('tui.codes.amounts') * 1e3:9.1f} ms")
    pint_figures()
