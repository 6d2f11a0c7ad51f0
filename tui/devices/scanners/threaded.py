"""Scanners read by a background thread (serial, evdev): the shared thread, hot-plug and
backoff live in `tui.devices.threaded`; this adds what makes the events scans."""

from __future__ import annotations

import time
from abc import ABC
from typing import TypeVar

from tui.config import ScannerConfig
from tui.devices.scanners.base import ScannerEvent, ScannerStatus, make_scan
from tui.devices.threaded import ThreadedDevice

H = TypeVar("H")


class ThreadedScanner(ThreadedDevice[H, ScannerEvent], ABC):
    """Subclasses open a handle, call `_emit_raw` per scan until told to stop, and close it."""

    thread_prefix = "scanner"

    def __init__(self, cfg: ScannerConfig) -> None:
        super().__init__(cfg.name)
        self.cfg = cfg

    def describe(self) -> str:
        return f"reading {self.cfg.port}"

    def _status(self, connected: bool, reason: str) -> ScannerEvent:
        return ScannerStatus(self.name, connected, reason)

    def _emit_raw(self, raw: str) -> None:
        scan = make_scan(raw, self.cfg, time.monotonic())
        if scan is not None:
            self._emit(scan)
