"""How long to wait before trying a device again: capped exponential delays.

Scanners that went away are reopened with it and label jobs that did not reach a printer are
retried with it: quick to notice a device that is back, quiet while it stays away.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

MAX_DOUBLINGS = 64
"""Past this many failures the delay is the cap anyway; stops `factor ** n` overflowing a float
for a printer left off for days."""


@dataclass(frozen=True)
class Backoff:
    first_s: float
    """Wait after the first failure."""
    max_s: float
    """Never wait longer than this."""
    factor: float = 2.0

    def delay_s(self, failures: int) -> float:
        """Seconds to wait after `failures` failed attempts in a row (1 for the first)."""
        doublings = min(max(failures - 1, 0), MAX_DOUBLINGS)
        return min(self.max_s, self.first_s * self.factor**doublings)

    def delays(self) -> Iterator[float]:
        """The waits after the 1st, 2nd, 3rd... failure: one iterator per outage."""
        return (self.delay_s(n) for n in itertools.count(1))
