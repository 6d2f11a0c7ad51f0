"""The Lotkeeper App: wiring only (store, modes, bindings, palette, theme, devices, scan routing).

Store: opened in the App's own task before any screen exists (`on_load`) and closed by that same
task after the message loop ends, because Tortoise keeps the open store in a context variable
that every screen and worker task inherits from the App's task.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
from collections.abc import Callable, Iterable
from contextlib import AsyncExitStack
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui.codes.commands import CommandKind
from tui.context import AppContext
from tui.devices.clock import system_clock_synced
from tui.errors import LotkeeperError
from tui.screens.base import LotScreen
from tui.services.printing import PrintService
from tui.services.resolver import ScanResult, resolve
from tui.store.db import Store, open_store
from tui.widgets.literal import clean
from tui.widgets.scan_capture import ScanCaptureMixin, ScannerStatusChanged, ScanReceived

if TYPE_CHECKING:
    from tui.screens.stock import StockScreen
    from tui.screens.trace import TraceScreen

MODE_SCREENS: dict[str, tuple[str, str, str]] = {
    "home": ("tui.screens.home", "HomeScreen", "Home"),
    "receive": ("tui.screens.receive", "ReceiveScreen", "Receive"),
    "make": ("tui.screens.make", "MakeScreen", "Make"),
    "sell": ("tui.screens.sell", "SellScreen", "Sell"),
    "trace": ("tui.screens.trace", "TraceScreen", "Trace"),
    "stock": ("tui.screens.stock", "StockScreen", "Stock"),
    "catalog": ("tui.screens.catalog", "CatalogScreen", "Catalog"),
    "labels": ("tui.screens.labels", "LabelsScreen", "Labels"),
    "devices": ("tui.screens.devices", "DevicesScreen", "Devices"),
}
"""Mode -> (module, screen class, title). Screens are imported when first shown: a fast start."""

MODE_HELP: dict[str, str] = {
    "home": "Scan anything, alerts, recent activity",
    "receive": "Book in a delivery of material",
    "make": "Record a production batch",
    "sell": "Record an order and the batches it took",
    "trace": "Trace a lot or order; recall list",
    "stock": "Lots on hand; adjust, waste, count",
    "catalog": "Materials, products, suppliers, customers",
    "labels": "Print queue and reprints",
    "devices": "Scanners, printers, clock",
}


COLLECT_EVERY = 50
"""Run a full garbage collection after this many scans, once the screen shows the last one.

Each trace leaves cyclic garbage, and Python's own full collections wait until it reaches a
quarter of the ~400k objects Textual and Tortoise hold from start-up: ~0.15 MiB a scan would pile
up. A full collection takes ~85 ms on a 100k-lot store (`benchmarks/bench_tui.py`).
"""


def _screen_factory(module: str, name: str) -> Callable[[], Screen[Any]]:
    def make() -> Screen[Any]:
        screen: Screen[Any] = getattr(importlib.import_module(module), name)()
        return screen

    return make


class LotkeeperApp(ScanCaptureMixin, App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Lotkeeper"
    DEFAULT_MODE = "home"
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        mode: _screen_factory(module, name) for mode, (module, name, _) in MODE_SCREENS.items()
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(f"f{n}", f"switch_mode('{mode}')", title, id=f"mode.{mode}", tooltip=MODE_HELP[mode])
            for n, (mode, (_, _, title)) in enumerate(MODE_SCREENS.items(), start=1)
        ),
        Binding("ctrl+t", "toggle_dark", "Theme", show=False, id="theme"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
    ]

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._resources = AsyncExitStack()
        self._store: Store | None = None
        self._scanners_down: set[str] = set()
        self._scans = 0
        self._stop_printing = asyncio.Event()
        self._printer_error = ""
        queue = partial(
            PrintService.from_config, ctx.config, sync=ctx.clock_synced or system_clock_synced, today=ctx.day
        )
        try:
            self.printing = queue(printers=ctx.printers)
            """Label jobs go here (`enqueue_new_lot`...); the App's worker sends them."""
        except LotkeeperError as exc:
            self.printing = queue(printers=())
            self._printer_error = f"labels will not print: {exc.message}"

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("the store is opened in on_load, before any screen")
        return self._store

    async def on_load(self) -> None:
        try:
            self._store = await self._resources.enter_async_context(open_store(self.ctx.db, self.ctx.station))
        except LotkeeperError as exc:
            self.exit(return_code=2, message=Text(f"error: {clean(exc.message)}"))

    def on_mount(self) -> None:
        try:
            self.start_scanners(self.ctx.scanners)
        except LotkeeperError as exc:
            self.warn(exc.message)
        if self._printer_error:
            self.warn(self._printer_error)
        if self.printing.printers:
            self.run_worker(
                self.printing.run(self._stop_printing),
                name="print queue",
                group="printing",
                exit_on_error=False,
            )

    async def action_quit(self) -> None:
        """Let a label being sent finish (a cut-off job would need a person to check it)."""
        self._stop_printing.set()
        printing = [w for w in self.workers if w.group == "printing"]
        if printing:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.workers.wait_for_complete(printing), timeout=10)
        self.exit()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            message = (
                error.message if isinstance(error, LotkeeperError) else f"{type(error).__name__}: {error}"
            )
            self.warn(f"{event.worker.name} stopped: {message}")

    def on_scanner_status_changed(self, message: ScannerStatusChanged) -> None:
        status = message.status
        if not status.connected:
            self._scanners_down.add(status.source)
            self.warn(f"scanner {status.source}: {status.reason}")
        elif status.source in self._scanners_down:
            self._scanners_down.discard(status.source)
            self.notify(clean(f"scanner {status.source} is back"), markup=False)

    async def on_scan_received(self, message: ScanReceived) -> None:
        await self.route_scan(message.scan.text)

    async def route_scan(self, raw: str) -> None:
        """A scan (or a code typed where any code is welcome): commands go to the active screen,
        then the screen may use the code; otherwise the App opens whatever it is."""
        self._scans += 1
        if self._scans % COLLECT_EVERY == 0:
            self.call_after_refresh(gc.collect)
        try:
            result = await resolve(raw, self.ctx.config.codes)
            screen = self.screen
            if result.command is not None:
                await self._command(screen, result)
            elif not isinstance(screen, LotScreen):
                self.warn(f"{result.message}: close the dialog first, then scan again")
            elif not await screen.handle_scan(result):
                await self.open_code(result)
        except LotkeeperError as exc:
            self.warn(exc.message)

    async def _command(self, screen: Screen[Any], result: ScanResult) -> None:
        command = result.command
        assert command is not None
        if command.kind is CommandKind.QTY:
            assert command.qty is not None
            used = isinstance(screen, LotScreen) and screen.handle_quantity(command.qty)
        else:
            used = await self.run_action(command.kind.value.lower(), screen)
        if not used:
            self.warn(f"{result.message}: nothing to apply it to on this screen")

    async def open_code(self, result: ScanResult) -> None:
        """Land on what was scanned: a lot or order in Trace, a product or material in Stock."""
        if result.kind in ("material_lot", "batch", "order"):
            await self.switch_mode("trace")
            await cast("TraceScreen", self.screen_stack[0]).show_code(result.code)
        elif result.kind in ("product", "material"):
            await self.switch_mode("stock")
            await cast("StockScreen", self.screen_stack[0]).show_item(result.code)
        else:
            self.warn(result.message)

    def warn(self, message: str) -> None:
        """A device or background problem: bell, and a message that stays a while."""
        self.bell()
        self.notify(clean(message), severity="error", markup=False, timeout=10)

    async def _process_messages(self, *args: Any, **kwargs: Any) -> None:
        # Close the store in the task that opened it (see the module docstring).
        try:
            await super()._process_messages(*args, **kwargs)
        finally:
            await self._resources.aclose()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for mode, (_, _, title) in MODE_SCREENS.items():
            yield SystemCommand(f"Go to {title}", MODE_HELP[mode], partial(self.switch_mode, mode))
        yield SystemCommand(
            "Toggle dark/light", "Switch between dark and light themes", self.action_toggle_dark
        )
        for active in screen.active_bindings.values():
            binding = active.binding
            if active.node is screen and binding.description and active.enabled:
                yield SystemCommand(
                    binding.description,
                    binding.tooltip or f"{binding.description} (key: {binding.key})",
                    partial(screen.run_action, binding.action),
                )
