"""Barcode scanners: keyboard wedge, serial port and Linux input device, behind one interface.

`make_scanner(cfg)` gives a `ScannerSource`; `await source.start()`, then iterate
`source.events()` for `Scan` and `ScannerStatus` until `await source.stop()`. The Textual glue is
`tui.scanning`; nothing in this package imports Textual.
"""

from tui.config import ScannerConfig
from tui.devices.scanners.base import (
    GS,
    Scan,
    ScannerEvent,
    ScannerSource,
    ScannerStatus,
    clean_scan_text,
    make_scan,
)
from tui.devices.scanners.wedge import Keystroke, WedgeDetector, WedgeScanner
from tui.errors import ConfigError


def make_scanner(cfg: ScannerConfig) -> ScannerSource:
    """The source for one `[[scanners]]` entry; the device is only touched by `start()`.

    Serial and evdev are imported only when configured: pyserial and evdev cost start-up time.
    """
    if cfg.kind == "wedge":
        return WedgeScanner(cfg)
    if cfg.kind == "serial":
        from tui.devices.scanners.serial import SerialScanner

        return SerialScanner(cfg)
    if cfg.kind == "evdev":
        from tui.devices.scanners.evdev import EvdevScanner

        return EvdevScanner(cfg)
    raise ConfigError(f"scanner {cfg.name!r}: unknown kind {cfg.kind!r}; use 'wedge', 'serial' or 'evdev'")


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
