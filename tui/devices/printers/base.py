"""What every printer offers, and the two ways a send can fail.

The print queue must never print a label twice, so a failed send says which side of the line
it fell on: `NotPrinted` (the printer cannot have printed anything: send again later) or
`MaybePrinted` (some or all of the job may have come out: a person has to look). Sending is
blocking code; the queue runs it in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from tui.errors import PrinterError

if TYPE_CHECKING:
    from tui.labels.output import RenderedLabel
    from tui.labels.sizes import LabelSize


class NotPrinted(PrinterError):
    """The job did not reach the printer far enough to print anything: safe to send again."""


class MaybePrinted(PrinterError):
    """The send broke off after the printer could have started printing: check before reprinting."""


@dataclass(frozen=True)
class PrinterStatus:
    ready: bool | None
    """True ready, False needs attention, None: the printer cannot report its status this way."""
    message: str
    """One sentence for the maker: what the printer says, or what to do about it."""


class Printer(Protocol):
    name: str
    label: LabelSize
    """The labels this printer is set up for; jobs are rendered at this size."""

    def send(self, label: RenderedLabel, copies: int) -> None:
        """Print, or raise NotPrinted / MaybePrinted / PrinterError. Blocking."""
        ...

    def status(self) -> PrinterStatus:
        """Ask the printer how it is, without printing. Blocking; never raises for an offline printer."""
        ...


def check_label(printer: Printer, label: RenderedLabel) -> None:
    """A job rendered for other labels than the printer has would print cut off or scaled."""
    if label.size.id != printer.label.id or label.size.dpi != printer.label.dpi:
        raise NotPrinted(
            f"this label was made for {label.size.name} at {label.size.dpi} dpi, but printer "
            f"{printer.name!r} is set up for {printer.label.name} at {printer.label.dpi} dpi: "
            "print a new label for this printer instead of reprinting"
        )
