"""One line with the bench scale's live reading; while armed for a lot, it posts the next fresh
stable weight (`Weighed`) for the screen to record.

Which reading counts is `tui.devices.scales.fresh.FreshWeight`'s rule: stable, above zero, and
not the weight that was already on the pan when weighing began. Only the screen that is shown
takes a weight: a Make screen left armed in the background never fills a line unseen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message
from textual.widgets import Static

from tui.devices.scales import ScaleReading
from tui.devices.scales.fresh import FreshWeight
from tui.widgets.literal import literal
from tui.widgets.scales import ScaleFeed

if TYPE_CHECKING:
    from tui.widgets.scales import ScaleChange


class ScaleLine(Static):
    DEFAULT_CSS = "ScaleLine { height: 1; }"

    @dataclass
    class Weighed(Message):
        line: ScaleLine
        lot: str
        """The lot the weight is for (what `arm` was given)."""
        reading: ScaleReading

        @property
        def control(self) -> ScaleLine:
            return self.line

    def __init__(self, feed: ScaleFeed, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.feed = feed
        self.lot: str | None = None
        """The lot being weighed (None: not waiting for a weight)."""
        self._fresh: FreshWeight | None = None

    def on_mount(self) -> None:
        self.display = self.feed.first is not None
        self.feed.changes.subscribe(self, self._changed)
        self._show()

    @property
    def scale(self) -> str | None:
        first = self.feed.first
        return first.name if first else None

    def arm(self, lot: str) -> bool:
        """Wait for the next fresh stable weight for `lot`; False when no scale is configured."""
        first = self.feed.first
        if first is None:
            return False
        self.lot, self._fresh = lot, FreshWeight(first.reading)
        self._show()
        return True

    def disarm(self) -> None:
        self.lot, self._fresh = None, None
        self._show()

    def _changed(self, change: ScaleChange) -> None:
        if change.source != self.scale:
            return
        self._show()
        fresh, lot = self._fresh, self.lot
        if (
            isinstance(change, ScaleReading)
            and fresh is not None
            and lot is not None
            and self.screen.is_current
            and fresh.take(change)
        ):
            self.disarm()
            self.post_message(self.Weighed(self, lot, change))

    def _show(self) -> None:
        first = self.feed.first
        if first is None:
            return
        waiting = f"; weighing for {self.lot}" if self.lot else ""
        # One line, fixed: a reading many times a second must not lay the screen out again.
        self.update(literal(f"Scale {first.name}: {first.shown()}{waiting}"), layout=False)
