"""What every scanner hands the rest of Lotkeeper: scans and status changes, as one async stream.

Screens never care whether a code came from a keyboard-wedge scanner, a serial one or a grabbed
HID device: each source yields `Scan` and `ScannerStatus` items from `events()`. The text of a
scan is cleaned here, once, so nothing downstream can be tricked by escape codes in a barcode.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from tui.config import ScannerConfig
from tui.devices.threaded import REOPEN as REOPEN
from tui.devices.threaded import EventQueue

GS = "\x1d"
"""GS1 field separator: the only control character a scan keeps (the codes layer splits on it)."""


@dataclass(frozen=True)
class Scan:
    """One complete scan, already stripped of prefix, suffix, terminator and control characters."""

    text: str
    source: str
    """Name of the scanner (`ScannerConfig.name`), so a screen can tell two readers apart."""
    received_at: float = field(default_factory=time.monotonic)
    """`time.monotonic()` when the scan ended: for latency figures and ordering, not for records."""


@dataclass(frozen=True)
class ScannerStatus:
    """A scanner came or went; `reason` is a sentence the maker can act on."""

    source: str
    connected: bool
    reason: str = ""


ScannerEvent = Scan | ScannerStatus


@runtime_checkable
class ScannerSource(Protocol):
    """A scanner the app can start, stop and listen to, whatever its kind."""

    name: str

    async def start(self) -> None:
        """Open the device; raise `ScannerError` with a clear message when it cannot be opened."""

    async def stop(self) -> None:
        """Release the device and end `events()`; safe to call twice or before `start()`."""

    def events(self) -> AsyncIterator[ScannerEvent]:
        """Scans and status changes, in order, until `stop()`."""
        ...


def clean_scan_text(text: str) -> str:
    """Drop control and format characters except GS (the rule `tui.codes.scan` applies too): a
    barcode may carry ESC sequences that would reach the terminal, bidi overrides that would
    disguise it, or a stray CR/LF/Tab from the scanner's own settings."""
    return "".join(c for c in text if c == GS or not unicodedata.category(c).startswith("C"))


def make_scan(raw: str, cfg: ScannerConfig, received_at: float | None = None) -> Scan | None:
    """Turn what a scanner sent into a `Scan`, or None when nothing meaningful is left.

    Prefix and suffix are stripped before control characters are dropped, because scanners are
    often set up to frame scans with STX/ETX, which cleaning would otherwise remove first.
    """
    text = raw.strip("\r\n")
    if cfg.prefix and text.startswith(cfg.prefix):
        text = text[len(cfg.prefix) :]
    if cfg.suffix and text.endswith(cfg.suffix):
        text = text[: -len(cfg.suffix)]
    text = clean_scan_text(text)
    if not text:
        return None
    return Scan(text, cfg.name, time.monotonic() if received_at is None else received_at)


class QueuedSource(EventQueue[ScannerEvent]):
    """The `events()` half of a scanner that is fed from the event loop (the keyboard wedge)."""

    def __init__(self, cfg: ScannerConfig) -> None:
        super().__init__(cfg.name)
        self.cfg = cfg
