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

`give_back_memory` is for the moment a screen lets go of something big (a recall's trace): the
C library keeps freed heap pages for reuse, so without it the process stays at its peak size.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from functools import cache

YOUNG = 20_000


def tune_collector() -> None:
    """Call once, after loading: the App does once its first screen is up, a CLI command once
    its imports are done (a listing of every lot builds hundreds of thousands of rows)."""
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG, middle, old)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    import ctypes

    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim  # glibc; not musl, macOS
    except (AttributeError, OSError):
        return None
    return trim


def give_back_memory() -> None:
    """Collect what was just let go of and return the freed pages to the system."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
