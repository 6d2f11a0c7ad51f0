"""Label printers: one `Printer` protocol, one factory from the config.

`make_printer(config)` checks the whole printer entry (model, label size, address) up front, so
a typo is a config error at start-up rather than a failed job at the bench.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from tui.config import PrinterConfig
from tui.devices.printers.base import MaybePrinted, NotPrinted, Printer, PrinterStatus
from tui.errors import ConfigError

if TYPE_CHECKING:
    from tui.devices.printers.brother import BrotherPrinter
    from tui.devices.printers.file import CupsPrinter, FilePrinter
    from tui.devices.printers.zpl import ZplPrinter

KINDS = {"brother": "BrotherPrinter", "zpl": "ZplPrinter", "file": "FilePrinter", "cups": "CupsPrinter"}
"""Config `kind` -> printer class; each class is imported with its driver (Pillow, brother_ql)
only when a printer of that kind is made."""
_MODULES = {"BrotherPrinter": "brother", "ZplPrinter": "zpl", "FilePrinter": "file", "CupsPrinter": "file"}


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)


def make_printer(config: PrinterConfig) -> Printer:
    try:
        kind = __getattr__(KINDS[config.kind])
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
