"""What the three daily-flow screens (receive, make, sell) share: a hint per field, one confirm.

Each declares `HINTS` (field id -> what to type there, shown in `#hint` while that field has
the focus) and a `#confirm` button that does what Enter on the last field, Ctrl+S or the DONE
barcode do (`action_done`). `busy` keeps a second DONE from recording the same thing twice
while the first is still being written.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.widgets import Button, Static

from tui.screens.base import LotScreen
from tui.screens.context import ScreenContext
from tui.widgets.literal import literal


class FormScreen(LotScreen):
    HINTS: ClassVar[dict[str, str]] = {}

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.busy = False

    def on_descendant_focus(self) -> None:
        focused = self.focused
        for node in (focused, *(focused.ancestors if focused else ())):
            if node.id in self.HINTS:
                self.query_one("#hint", Static).update(literal(self.HINTS[node.id]))
                return

    @on(Button.Pressed, "#confirm")
    def _confirm_pressed(self) -> None:
        self.action_done()
