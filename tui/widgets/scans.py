"""Scans as the screens meet them: one resolved `Scanned` message, and a feed for device watchers.

The App resolves every scan once and posts `Scanned` to the active screen. A screen (or dialog)
that uses it stops it; one that does not lets it bubble back up to the App, which opens what was
scanned in the screen for it. Screens that show the devices themselves (the Devices screen's raw
scan view, Home's alerts) subscribe to the `ScanFeed` while they are shown: every scan as it
came in, and every change of a scanner's status, without a scan being routed through them.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.dom import DOMNode
from textual.message import Message
from textual.signal import Signal

from tui.devices.scanners import Scan, ScannerStatus
from tui.services.resolver import ScanResult


@dataclass
class Scanned(Message):
    """A scan and what it means. Show `scan.text` only as literal text (`tui.widgets.literal`)."""

    scan: Scan
    result: ScanResult
    opened: bool = False
    """True when the App switched to this screen for the scan (not used here: it says so)."""


class ScanFeed:
    """Scans and scanner statuses as they happen, published by the App to whoever subscribed."""

    def __init__(self, owner: DOMNode) -> None:
        self.scans: Signal[tuple[Scan, ScanResult]] = Signal(owner, "scans")
        """Every scan as it came in, with what it means, whichever screen it went to."""
        self.statuses: Signal[ScannerStatus] = Signal(owner, "scanner-statuses")
        """A scanner connected or went away (the same failure again on a retry is not repeated)."""
        self.status: dict[str, ScannerStatus] = {}
        """The latest status of every scanner by name (for a screen opened later)."""

    def report(self, status: ScannerStatus) -> bool:
        """Record and publish a status; False (and nothing published) when nothing changed."""
        if self.status.get(status.source) == status:
            return False
        self.status[status.source] = status
        self.statuses.publish(status)
        return True
