"""Bench scales as the screens meet them: their latest reading, status and protocol, as they change.

The App reads every configured scale in a worker (`tui.weighing`) and publishes what it sends
here; screens that show a weight (Make, Devices) subscribe while they are shown, and never open
a port themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.dom import DOMNode
from textual.signal import Signal

from tui.codes.units import format_decimal
from tui.errors import ScaleError

if TYPE_CHECKING:  # the scale drivers load with the first scale, not with every App start
    from tui.devices.scales import ScaleNotice, ScaleReading, ScaleSource, ScaleStatus

    ScaleChange = ScaleReading | ScaleNotice | ScaleStatus


@dataclass
class ScaleState:
    """What is known of one scale now."""

    name: str
    status: ScaleStatus | None = None
    reading: ScaleReading | None = None
    notice: str = ""
    protocol: str = ""

    def shown(self) -> str:
        """The reading as the bench sees it: `350.2 g (stable)`, `... (moving)`, or why none."""
        if self.status is not None and not self.status.connected:
            return f"disconnected: {self.status.reason}" if self.status.reason else "disconnected"
        if self.notice:
            return self.notice
        if self.reading is None:
            return "no reading yet" if self.status is not None else "starting"
        q = self.reading.quantity
        return f"{format_decimal(q.value)} {q.unit.symbol} ({'stable' if self.reading.stable else 'moving'})"


class ScaleFeed:
    """Every scale's readings, notices and status changes, published by the App as they come."""

    def __init__(self, owner: DOMNode, names: tuple[str, ...] = ()) -> None:
        self.changes: Signal[ScaleChange] = Signal(owner, "scale-changes")
        """Every reading (stable or not), notice and status change, of every scale."""
        self.statuses: Signal[ScaleStatus] = Signal(owner, "scale-statuses")
        """A scale came or went (Home's alerts; readings many times a second are not sent here)."""
        self.scales: dict[str, ScaleState] = {name: ScaleState(name) for name in names}
        self.sources: dict[str, ScaleSource] = {}
        """The running sources by name (tare and zero go to them)."""

    @property
    def first(self) -> ScaleState | None:
        """The scale the bench weighs with: the first configured one."""
        return next(iter(self.scales.values()), None)

    def publish(self, change: ScaleChange) -> None:
        from tui.devices.scales import ScaleNotice, ScaleReading

        state = self.scales.setdefault(change.source, ScaleState(change.source))
        if isinstance(change, ScaleReading):
            state.reading, state.protocol, state.notice = change, change.protocol, ""
        elif isinstance(change, ScaleNotice):
            state.notice = change.message
        else:
            state.status = change
            if not change.connected:
                state.reading = None
            self.statuses.publish(change)
        self.changes.publish(change)

    def command(self, name: str, action: str) -> None:
        """Tare or zero a scale, or a `ScaleError` saying why not (press the key on the scale)."""
        source = self.sources.get(name)
        if source is None:
            raise ScaleError(f"scale {name!r} is not running: check it on the Devices screen")
        if action == "tare":
            source.tare()
        else:
            source.zero()
