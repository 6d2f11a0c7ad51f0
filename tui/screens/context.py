"""What every mode screen is handed when the App makes it: settings and services, never the App.

A screen reads the config and the day from here, queues labels through `printing`, and watches
the scanners and scales through `scanners` and `scales`; it never reaches for `self.app` to find
them. The App builds one from what it was handed (`AppContext.for_screens`), so a test's
printers and fixed day reach every screen the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tui.codes.dates import DateOrder
from tui.config import Config, PrinterConfig
from tui.services.printing import PrintService
from tui.widgets.scales import ScaleFeed
from tui.widgets.scans import ScanFeed


@dataclass(frozen=True)
class ScreenContext:
    config: Config
    printing: PrintService
    """Queue labels, act on jobs, read the queue and the clock rule."""
    scanners: ScanFeed
    """Scans and scanner statuses as they happen; the latest status of each scanner."""
    scales: ScaleFeed
    """The bench scales' readings, notices and statuses as they happen, and the latest of each."""
    printers: tuple[PrinterConfig, ...]
    """The printer entries this station uses (shown on the Devices screen)."""
    day: Callable[[], date]
    """Today: the real date, or the fixed day of a demo or a test."""
    exports: Path
    """Folder for exported files (recall lists)."""
    expiring_days: int
    """Home alerts and the stock filter count a lot as expiring this many days ahead."""
    date_order: DateOrder = "dmy"
    """How typed dates with dots or slashes are read here (config, else the locale)."""
    welcome: str | None = None
    """What Home says first (the demo's hint), instead of its usual one."""

    @property
    def station(self) -> str:
        return self.config.store.station
