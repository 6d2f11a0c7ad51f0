"""Bench scales: serial readers for the common protocols, behind one interface.

`make_scale(cfg)` gives a `ScaleSource`; `await source.start()`, then iterate `source.events()`
for `ScaleReading`, `ScaleNotice` and `ScaleStatus` until `await source.stop()`. Only readings
with `stable` set are ever to be recorded. `weigh_once(cfg)` takes one stable weight. Nothing in
this package imports Textual or the store.
"""

from tui.devices.scales.base import (
    ScaleSource,
    find_scale,
    make_scale,
    next_stable,
    weigh_once,
)
from tui.devices.scales.events import ScaleEvent, ScaleNotice, ScaleReading, ScaleStatus
from tui.devices.scales.protocols import PROTOCOLS

__all__ = [
    "PROTOCOLS",
    "ScaleEvent",
    "ScaleNotice",
    "ScaleReading",
    "ScaleSource",
    "ScaleStatus",
    "find_scale",
    "make_scale",
    "next_stable",
    "weigh_once",
]
