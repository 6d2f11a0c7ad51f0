"""A question a maker answers with Enter or Escape, or with the DONE and CANCEL barcodes.

Used where one key must not lose work or record something odd without a second look: before a
filled form is thrown away, before a batch that strays from its recipe is recorded. Each answer
says on screen what it does; the keys and barcodes mean the same as everywhere else (Enter and
DONE go on, Escape and CANCEL back out), only the effect is named.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.widgets.literal import literal


@dataclass(frozen=True)
class Answer:
    label: str
    """What the key does, e.g. "keep the order"."""
    value: bool
    """What the dialog is dismissed with."""


class Ask(ModalScreen[bool]):
    DEFAULT_CSS = """
    Ask { align: center middle; }
    Ask #ask { width: 64; max-width: 100%; height: auto; border: thick $warning;
        background: $surface; padding: 0 1; }
    Ask #question { width: 100%; margin-bottom: 1; }
    Ask #keys { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "done", "Enter", id="ask.enter", priority=True),
        Binding("escape", "cancel", "Escape", id="ask.escape"),
    ]

    def __init__(self, question: str, *, enter: Answer, escape: Answer) -> None:
        super().__init__()
        self.question = question
        self.enter = enter
        self.escape = escape

    def compose(self) -> ComposeResult:
        with Vertical(id="ask"):
            yield Static(literal(self.question), id="question")
            keys = f"Enter (or DONE): {self.enter.label}\nEscape (or CANCEL): {self.escape.label}"
            yield Static(literal(keys), id="keys")

    def action_done(self) -> None:
        self.dismiss(self.enter.value)

    def action_cancel(self) -> None:
        self.dismiss(self.escape.value)
