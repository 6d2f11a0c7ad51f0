"""Command barcodes: a printed sheet lets a gloved operator finish a flow with the scanner.

A command is the configured prefix plus a word, e.g. `LK!DONE`, `LK!QTY:7`. The prefix keeps
commands apart from every product, lot and GS1 code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from tui.codes.scan import printable
from tui.errors import InvalidInput

MAX_QTY = 999
SHEET_QUANTITIES = range(1, 11)


class CommandKind(Enum):
    DONE = "DONE"
    CANCEL = "CANCEL"
    UNDO = "UNDO"
    QTY = "QTY"


@dataclass(frozen=True)
class Command:
    kind: CommandKind
    qty: int | None = None
    """Only for QTY: 1..MAX_QTY."""

    def __post_init__(self) -> None:
        if (self.kind is CommandKind.QTY) != (self.qty is not None):
            raise InvalidInput("a quantity goes with the QTY command only")
        if self.qty is not None and not 1 <= self.qty <= MAX_QTY:
            raise InvalidInput(f"a quantity command takes 1 to {MAX_QTY}, not {self.qty}")

    @property
    def caption(self) -> str:
        if self.kind is CommandKind.QTY:
            return f"Quantity {self.qty}"
        return str(self.kind.value).capitalize()


DONE = Command(CommandKind.DONE)
CANCEL = Command(CommandKind.CANCEL)
UNDO = Command(CommandKind.UNDO)

_QTY = re.compile(r"QTY:([1-9][0-9]{0,2})")


def check_prefix(prefix: str) -> str:
    if not prefix or not prefix.isascii() or not prefix.isprintable() or " " in prefix:
        raise InvalidInput(
            f"codes.command_prefix {printable(prefix)!r} must be a few printable ASCII characters "
            "without spaces, e.g. LK!"
        )
    return prefix


def command_text(command: Command, prefix: str = "LK!") -> str:
    body = f"QTY:{command.qty}" if command.kind is CommandKind.QTY else command.kind.value
    return check_prefix(prefix) + body


def parse_command(text: str, prefix: str = "LK!") -> Command | None:
    """The command a scan stands for, or None. Case is ignored: Caps Lock flips a wedge scan."""
    if not prefix or not text.upper().startswith(prefix.upper()):
        return None
    body = text[len(prefix) :].upper()
    qty = _QTY.fullmatch(body)
    if qty:
        return Command(CommandKind.QTY, int(qty.group(1)))
    try:
        kind = CommandKind(body)
    except ValueError:
        return None
    return None if kind is CommandKind.QTY else Command(kind)


def command_sheet(prefix: str = "LK!") -> tuple[tuple[str, str], ...]:
    """(caption, barcode text) for the printable sheet: Done, Cancel, Undo, Quantity 1..10."""
    commands = [DONE, CANCEL, UNDO, *(Command(CommandKind.QTY, n) for n in SHEET_QUANTITIES)]
    return tuple((c.caption, command_text(c, prefix)) for c in commands)
