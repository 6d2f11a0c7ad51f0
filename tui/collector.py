"""The garbage collector, set once at start-up: the one tuning Lotkeeper does.

Two things make CPython's defaults a poor fit for the App. Start-up leaves hundreds of thousands
of long-lived objects (Textual, Tortoise, the modules), which every full collection walks again.
And a big recall builds a few hundred thousand small objects that all stay alive until it is
shown: with a young generation of 700 they are walked again and again while they are built. So,
once loading is done:

* `gc.freeze()` moves everything alive into the permanent generation: full collections skip it;
* the young generation is collected every `YOUNG` new container objects instead of every 700
  (each young collection walks at most that many objects).

Cyclic garbage is still collected, by the same generations; the collector is never switched
off. Measured with benchmarks/bench_store.py (trace) and benchmarks/bench_tui.py (memory).
"""

from __future__ import annotations

import gc

YOUNG = 20_000


def tune_collector() -> None:
    """Call once, after loading: the App does, once its first screen is up. A CLI command is
    over too soon to gain from it."""
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG, middle, old)
