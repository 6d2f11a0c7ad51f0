"""The Lotkeeper App: wiring only (store, modes, bindings, palette, theme, devices, scans).

The store is opened by the public entry that runs the App (`run_async`, `run_test`) in the
calling task, before Textual starts, and closed by it after: Tortoise keeps it in a context
variable that every screen and worker inherits. `tui.weighing` reads the scales; `tui.scanning`
supervises scanners (the key filter is the one hook here) and routes each scan, resolved once,
to the active screen; what it has no use for bubbles back up (`Scanned`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from contextlib import AsyncExitStack, asynccontextmanager
from functools import partial
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.pilot import Pilot
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui.collector import tune_collector
from tui.context import AppContext
from tui.errors import LotkeeperError
from tui.scanning import ScannerSupervisor, ScanReceived, ScanRouter
from tui.screens.modes import MODE_SCREENS, make_screen, mode_bindings, palette_commands
from tui.store.db import Store, open_store
from tui.weighing import ScaleSupervisor
from tui.widgets.literal import clean
from tui.widgets.scales import ScaleFeed
from tui.widgets.scans import ScanFeed, Scanned


class LotkeeperApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Lotkeeper"
    DEFAULT_MODE = "home"
    BINDINGS: ClassVar[list[BindingType]] = [
        *mode_bindings(),
        Binding("ctrl+t", "toggle_dark", "Theme", show=False, id="theme"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
    ]

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.feed = ScanFeed(self)
        self.scanners = ScannerSupervisor(self, self.feed, warn=self.warn)
        self.router = ScanRouter(self, self.feed, ctx.config.codes, warn=self.warn)
        self.scale_feed = ScaleFeed(self, tuple(cfg.name for cfg in ctx.scales))
        self.scales = ScaleSupervisor(self, self.scale_feed, warn=self.warn)
        self.printing, self._printing_error = ctx.print_service()  # its worker is the App's
        screens = ctx.for_screens(self.printing, self.feed, self.scale_feed)
        for mode in MODE_SCREENS:
            self.add_mode(mode, partial(make_screen, mode, screens))
        self.store: Store | None = None  # open from run_async/run_test until Textual has shut down
        self._store_error = ""
        self._stop_printing = asyncio.Event()

    async def run_async(self, **options: Any) -> None:
        async with self._open_store():
            return await super().run_async(**options)

    @asynccontextmanager
    async def run_test(self, **options: Any) -> AsyncIterator[Pilot[None]]:
        async with self._open_store(), super().run_test(**options) as pilot:
            yield pilot

    @asynccontextmanager
    async def _open_store(self) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            try:
                self.store = await stack.enter_async_context(open_store(self.ctx.db, self.ctx.station))
            except LotkeeperError as exc:
                self._store_error = exc.message  # said by on_load, once Textual can say it
            yield

    def on_load(self) -> None:
        if self._store_error:
            self.exit(return_code=2, message=Text(f"error: {clean(self._store_error)}"))

    def on_mount(self) -> None:
        try:
            self.scanners.start(self.ctx.scanners)
        except LotkeeperError as exc:
            self.warn(exc.message)
        self.scales.start(self.ctx.scales)
        if self._printing_error:
            self.warn(self._printing_error)
        if self.printing.printers:
            job = self.printing.run(self._stop_printing)
            self.run_worker(job, name="print queue", group="printing", exit_on_error=False)
        if self.ctx.config.backup.dir:  # a worker: first paint never waits for the copy
            self.run_worker(self._daily_backup(), name="daily backup", group="backup", exit_on_error=False)
        self.call_after_refresh(tune_collector)  # once Home is up: all that start-up loaded

    async def _daily_backup(self) -> None:
        """Today's automatic backup; a failure reaches the maker through `on_worker_state_changed`."""
        from tui.services.backup import daily

        if (made := await daily(self.ctx.db, self.ctx.config.backup)) is not None:
            self.notify(f"daily backup written to {made.path}", markup=False)

    async def on_event(self, event: events.Event) -> None:
        """The one hook scanning needs: keys pass the wedge detector before anything sees them."""
        await self.scanners.filter(event, super().on_event)

    async def action_quit(self) -> None:
        """A label being sent may finish (a cut-off one needs a person), for `quit_wait_s` at most
        and said on screen; Ctrl+Q again quits at once. One still sending then fails at once."""
        self._stop_printing.set()
        sending, wait = ", ".join(map(str, self.printing.sending)), self.ctx.quit_wait_s
        if sending and not any(w.name == "quitting" for w in self.workers):
            self.notify(f"waiting up to {wait:g} s for label job {sending} to finish sending", timeout=wait)
            self.run_worker(self._quit_when_sent(wait), name="quitting")
        else:
            self.exit()

    async def _quit_when_sent(self, wait: float) -> None:
        await self.printing.wind_down(wait)
        self.exit()

    async def on_unmount(self) -> None:
        await self.scanners.stop()  # joins the reader threads
        await self.scales.stop()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and (error := event.worker.error) is not None:
            said = error.message if isinstance(error, LotkeeperError) else f"{type(error).__name__}: {error}"
            self.warn(f"{event.worker.name} stopped: {said}")

    async def on_scan_received(self, message: ScanReceived) -> None:
        await self.router.received(message.scan)

    async def on_scanned(self, message: Scanned) -> None:
        """A scan the active screen had no use for (it bubbled up from there)."""
        await self.router.unused(message)

    def warn(self, message: str) -> None:
        """A device or background problem: bell, and a message that stays a while."""
        self.bell()
        self.notify(clean(message), severity="error", markup=False, timeout=10)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from palette_commands(self, screen)
