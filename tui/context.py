"""What the App is handed at start: config, database target and devices (injected, so tests pass their own).

The App opens the store itself, around its whole run (Tortoise keeps its context per task), so
the context names the database rather than holding an open store. `today` freezes every date the
screens show or compute alerts from: snapshot tests and demos then look the same on any day.
From it the App makes its printing service (`print_service`) and what each screen is handed
(`for_screens`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

import platformdirs

from tui.codes.dates import order_from_locale
from tui.config import APP_NAME, Config, PrinterConfig, ScaleConfig, ScannerConfig
from tui.devices.clock import system_clock_synced
from tui.errors import LotkeeperError
from tui.screens.context import ScreenContext
from tui.services.printing import PrintService
from tui.widgets.scales import ScaleFeed
from tui.widgets.scans import ScanFeed


def default_exports_dir() -> Path:
    """Where recall lists and other exports go unless the user names a path."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / "exports"


@dataclass(frozen=True)
class AppContext:
    config: Config
    db: str
    """SQLite file path or PostgreSQL URL the App opens before any screen is shown."""
    today: date | None = None
    """A fixed day for display and alerts (None: the real date, read each time it is needed)."""
    scanners: tuple[ScannerConfig, ...] = field(default=())
    """Scanners the App starts; keys always pass a wedge detector (a `wedge` entry only tunes it)."""
    scales: tuple[ScaleConfig, ...] = field(default=())
    """Bench scales the App reads (in workers, reopened when unplugged); the Make screen weighs
    with the first."""
    printers: tuple[PrinterConfig, ...] = field(default=())
    """Printers the print-queue runner sends to; none means jobs are kept, not sent."""
    clock_synced: Callable[[], bool | None] | None = None
    """Whether the system clock is synchronised (None: ask the kernel); dated labels wait until it is."""
    exports: Path = field(default_factory=default_exports_dir)
    """Folder for exported files (recall lists)."""
    expiring_days: int = 30
    """Home alerts and the stock filter count a lot as expiring this many days ahead."""
    quit_wait_s: float = 5.0
    """How long Quit waits for a label being sent before it stops (the job is then failed)."""
    welcome: str | None = None
    """What Home says first instead of its usual hint (the demo names a lot to trace)."""

    @classmethod
    def from_config(cls, config: Config, db: str | None = None, today: date | None = None) -> AppContext:
        """The context for a real run: every configured scanner and printer."""
        return cls(
            config=config,
            db=db or config.db_target(),
            today=today,
            scanners=config.scanners,
            scales=config.scales,
            printers=config.printers,
        )

    @property
    def station(self) -> str:
        return self.config.store.station

    def day(self) -> date:
        return self.today or date.today()

    def for_screens(self, printing: PrintService, scanners: ScanFeed, scales: ScaleFeed) -> ScreenContext:
        """What the mode screens are handed: these settings and the services the App made."""
        return ScreenContext(
            config=self.config,
            printing=printing,
            scanners=scanners,
            scales=scales,
            printers=self.printers or self.config.printers,
            day=self.day,
            exports=self.exports,
            expiring_days=self.expiring_days,
            date_order=self.config.store.date_order or order_from_locale(os.environ),
            welcome=self.welcome,
        )

    def print_service(self) -> tuple[PrintService, str]:
        """The configured printing; when a printer entry is wrong, printing that keeps jobs
        unsent, and the sentence that says so."""
        build = partial(
            PrintService.from_config,
            self.config,
            sync=self.clock_synced or system_clock_synced,
            today=self.day,
        )
        try:
            return build(printers=self.printers), ""
        except LotkeeperError as exc:
            return build(printers=()), f"labels will not print: {exc.message}"
