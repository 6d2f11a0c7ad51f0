"""Which stable reading is a new weight for the line being weighed (pure, no I/O).

A scale in continuous mode sends the same stable weight over and over: the container weighed
for the last line may still be on the pan when the next lot is scanned. So a weight is taken
only once the pan has changed since weighing began: the stable weight shown at that moment is
not taken again until the reading moves (lifted and put back, or more poured) or changes. Zero
and below (an empty or tared pan) are never a weight.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.devices.scales.events import ScaleReading


@dataclass
class FreshWeight:
    before: ScaleReading | None
    """What the scale showed when weighing began (None: nothing yet)."""

    def take(self, reading: ScaleReading) -> bool:
        """True when `reading` is the weight to record."""
        held = self.before
        if not reading.stable or reading.quantity.value <= 0:
            self.before = None  # the pan changed: the next stable weight is new
            return False
        if held is not None and held.stable and held.quantity == reading.quantity:
            return False
        self.before = reading
        return True
