"""Printing labels: a job is written (with its image) before it is sent, and never sent twice.

`PrintService` is what the App, the screens and the CLI hold; see `service` for its parts.
"""

from tui.services.printing.clock import ClockGuard, ClockState
from tui.services.printing.recovery import INTERRUPTED
from tui.services.printing.sender import RETRY
from tui.services.printing.service import LotLabel, PrintService
from tui.store.label_jobs import Job

__all__ = ["INTERRUPTED", "RETRY", "ClockGuard", "ClockState", "Job", "LotLabel", "PrintService"]
