"""What the App is handed at start: config, database target and devices (injected, so tests pass their own).

The App opens the store itself, inside its own task (Tortoise keeps its context per task), so the
context names the database rather than holding an open store. `today` freezes every date the
screens show or compute alerts from: snapshot tests and demos then look the same on any day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import platformdirs

from tui.config import APP_NAME, Config, PrinterConfig, ScannerConfig


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
    printers: tuple[PrinterConfig, ...] = field(default=())
    """Printers the print-queue runner sends to; none means jobs are kept, not sent."""
    clock_synced: Callable[[], bool | None] | None = None
    """Whether the system clock is synchronised (None: ask the kernel); dated labels wait until it is."""
    exports: Path = field(default_factory=default_exports_dir)
    """Folder for exported files (recall lists)."""
    expiring_days: int = 30
    """Home alerts and the stock filter count a lot as expiring this many days ahead."""

    @classmethod
    def from_config(cls, config: Config, db: str | None = None, today: date | None = None) -> AppContext:
        """The context for a real run: every configured scanner and printer."""
        return cls(
            config=config,
            db=db or config.db_target(),
            today=today,
            scanners=config.scanners,
            printers=config.printers,
        )

    @property
    def station(self) -> str:
        return self.config.store.station

    def day(self) -> date:
        return self.today or date.today()
