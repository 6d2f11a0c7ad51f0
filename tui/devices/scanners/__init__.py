"""Barcode scanners: keyboard wedge, serial port and Linux input device, behind one interface.

`make_scanner(cfg)` gives a `ScannerSource`; `await source.start()`, then iterate
`source.events()` for `Scan` and `ScannerStatus` until `await source.stop()`. The Textual glue is
`tui.widgets.scan_capture`; nothing in this package imports Textual.
"""

from tui.devices.scanners.base import (
    GS,
    Scan,
    ScannerEvent,
    ScannerSource,
    ScannerStatus,
    clean_scan_text,
    make_scan,
    make_scanner,
)
from tui.devices.scanners.wedge import Keystroke, WedgeDetector, WedgeScanner

__all__ = [
    "GS",
    "Keystroke",
    "Scan",
    "ScannerEvent",
    "ScannerSource",
    "ScannerStatus",
    "WedgeDetector",
    "WedgeScanner",
    "clean_scan_text",
    "make_scan",
    "make_scanner",
]
