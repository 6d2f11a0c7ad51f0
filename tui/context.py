"""What the App is handed at start: config and the open store (injected, so tests pass their own)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.config import Config, PrinterConfig, ScannerConfig
from tui.store.db import Store


@dataclass(frozen=True)
class AppContext:
    config: Config
    store: Store
    scanners: tuple[ScannerConfig, ...] = field(default=())
    """Scanners to start; the wedge needs no entry (keys always pass the wedge detector)."""
    printers: tuple[PrinterConfig, ...] = field(default=())

    @property
    def station(self) -> str:
        return self.store.station
