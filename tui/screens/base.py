"""What every Lotkeeper screen shares: its context, scans, command barcodes, errors, background work.

A screen never holds a business rule: it gathers input, calls a service from `tui.services`, and
shows the result. It is handed a `ScreenContext` (config, day, printing, scanners) when made, and
never reaches for the App to find them. The App resolves each scan and hands it to the active
screen (`handle_scan`); a screen that does not want it returns False, and the scan goes back up
to the App, which opens whatever the code is.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui.errors import LotkeeperError
from tui.screens.context import ScreenContext
from tui.widgets.literal import clean
from tui.widgets.scans import Scanned

if TYPE_CHECKING:
    from tui.services.resolver import ScanResult

T = TypeVar("T")


class LotScreen(Screen[None]):
    """Base of the mode screens. Subclasses set BINDINGS, compose, and override the hooks.

    The command barcodes DONE, CANCEL and UNDO call `action_done`, `action_cancel` and
    `action_undo` on whatever screen is active; the defaults here say so when a screen has
    nothing to finish or undo, and Escape (= CANCEL) goes back to Home.

    Background work: `@work(exclusive=True, group=..., exit_on_error=False)`; a failure of any
    worker of the screen is reported here (bell + message) instead of ending the App.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Back", tooltip="Cancel what is under way, or go back to Home"),
    ]

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__()
        self.ctx = ctx

    async def on_scanned(self, message: Scanned) -> None:
        if await self.handle_scan(message.result):
            message.stop()

    async def handle_scan(self, result: ScanResult) -> bool:
        """A scan arrived while this screen is active. Return True when the screen used it."""
        return False

    def handle_quantity(self, quantity: int) -> bool:
        """A quantity command barcode (1-10) was scanned. Return True when used."""
        return False

    def action_done(self) -> None:
        self.say("nothing to finish on this screen")

    def action_cancel(self) -> None:
        if self.app.current_mode != "home":
            self.app.switch_mode("home")

    def action_undo(self) -> None:
        self.say("nothing to undo on this screen")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.report(event.worker.error)

    def report(self, exc: BaseException) -> None:
        """Show an error so a maker can act on it: bell, then the message (never as markup)."""
        self.app.bell()
        if isinstance(exc, LotkeeperError):
            message = exc.message
        else:
            message = f"unexpected error: {type(exc).__name__}: {exc}"
        self.notify(clean(message), severity="error", markup=False, timeout=8)

    def say(self, message: str) -> None:
        self.notify(clean(message), markup=False)

    async def attempt(self, work: Awaitable[T], on_done: Callable[[T], Any] | None = None) -> T | None:
        """Run a service call; a LotkeeperError becomes a visible message, never a crash."""
        try:
            result = await work
        except LotkeeperError as exc:
            self.report(exc)
            return None
        if on_done is not None:
            on_done(result)
        return result
