"""Label printers: one `Printer` protocol, one factory from the config.

`make_printer(config)` checks the whole printer entry (model, label size, address) up front, so
a typo is a config error at start-up rather than a failed job at the bench.
"""

from __future__ import annotations

from tui.config import PrinterConfig
from tui.devices.printers.base import MaybePrinted, NotPrinted, Printer, PrinterStatus
from tui.devices.printers.brother import BrotherPrinter
from tui.devices.printers.file import CupsPrinter, FilePrinter
from tui.devices.printers.zpl import ZplPrinter
from tui.errors import ConfigError

KINDS = {"brother": BrotherPrinter, "zpl": ZplPrinter, "file": FilePrinter, "cups": CupsPrinter}


def make_printer(config: PrinterConfig) -> Printer:
    try:
        kind = KINDS[config.kind]
    except KeyError:
        raise ConfigError(
            f"printer {config.name!r}: kind {config.kind!r} is not one of {', '.join(KINDS)}"
        ) from None
    if config.timeout_s <= 0:
        raise ConfigError(f"printer {config.name!r}: timeout_s must be more than 0")
    printer: Printer = kind(config)
    return printer


__all__ = [
    "KINDS",
    "BrotherPrinter",
    "CupsPrinter",
    "FilePrinter",
    "MaybePrinted",
    "NotPrinted",
    "Printer",
    "PrinterStatus",
    "ZplPrinter",
    "make_printer",
]
