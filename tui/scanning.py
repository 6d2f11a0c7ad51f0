"""Scans in the App: the scanners supervised, and each scan routed to the screen that wants it.

`ScannerSupervisor`: every configured scanner is read by a worker of the App, as long as it runs.

Scans from every source (keyboard wedge, serial, evdev) reach the App as one `ScanReceived`
message; status changes go to the `ScanFeed`, and a scanner that goes away (or comes back) is
told to the maker. A source that cannot open is retried with backoff, its error published as a
status, so plugging the scanner in later is enough.

A keyboard-wedge scanner types into the terminal like a person. In Textual every key reaches
`App.on_event` before the focused widget sees it, so that is the one App hook this needs: the
App hands each event to `filter`, which passes keys through the wedge detector first; keys it
gives back take the normal path unchanged, keys that form a scan are swallowed (never stray
characters in an Input).

    class OurApp(App[None]):
        async def on_event(self, event: events.Event) -> None:
            await self.scanners.filter(event, super().on_event)

`ScanRouter`: the path of one scan, resolved once (see its docstring).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from textual import events
from textual.app import App
from textual.message import Message
from textual.timer import Timer
from textual.worker import Worker

from tui.codes.commands import CommandKind
from tui.config import CodesConfig, ScannerConfig
from tui.devices.scanners import Scan, ScannerSource, ScannerStatus, WedgeScanner, make_scanner
from tui.devices.threaded import start_when_there
from tui.errors import ConfigError, LotkeeperError
from tui.screens.base import LotScreen
from tui.screens.modes import OPENS
from tui.services.resolver import resolve
from tui.widgets.literal import clean
from tui.widgets.scans import ScanFeed, Scanned

Deliver = Callable[[events.Event], Awaitable[None]]


@dataclass
class ScanReceived(Message):
    """A complete scan, for the App to resolve. Show `scan.text` only as literal text."""

    scan: Scan


class WedgeGap(events.Event, bubble=False):
    """The wedge's hold time ran out. An event, not a timer callback, so that it is handled
    after any keys already queued: a busy App must not split a scan it has not read yet."""


class ScannerSupervisor:
    def __init__(self, app: App[Any], feed: ScanFeed, *, warn: Callable[[str], None]) -> None:
        self.app = app
        self.feed = feed
        self.warn = warn
        """How the maker hears that a scanner went away (it stays on screen a while)."""
        self._down: set[str] = set()
        self._sources: list[ScannerSource] = []
        self._wedge: WedgeScanner[events.Key] | None = None
        self._wedge_timer: Timer | None = None

    def start(self, configs: Iterable[ScannerConfig] = ()) -> list[Worker[None]]:
        """Start every configured scanner. Keys always pass a wedge detector: the configured
        `wedge` entry, or the defaults when there is none (a plugged-in scanner just works)."""
        configs = tuple(configs)
        wedges = [cfg for cfg in configs if cfg.kind == "wedge"]
        if len(wedges) > 1:
            raise ConfigError(
                "only one scanner of kind 'wedge' can be configured: every keyboard scanner types "
                "into the same terminal, so one entry describes them all"
            )
        sources = [make_scanner(cfg) for cfg in configs if cfg.kind != "wedge"]
        self._wedge = WedgeScanner(wedges[0] if wedges else ScannerConfig())
        return [self.run(source) for source in [self._wedge, *sources]]

    def run(self, source: ScannerSource) -> Worker[None]:
        """Read `source` in a worker of the App until the App exits."""
        return self.app.run_worker(
            self._pump(source), name=f"scanner {source.name}", group="scanners", exit_on_error=False
        )

    async def stop(self) -> None:
        """Stop every scanner and join its reader thread."""
        for worker in self.app.workers:
            if worker.group == "scanners" and worker.node is self.app:
                worker.cancel()
        sources, self._sources = self._sources, []
        for source in sources:
            await source.stop()
        self._wedge = None

    async def _pump(self, source: ScannerSource) -> None:
        self._sources.append(source)
        try:
            await start_when_there(
                source.start, lambda why: self._report(ScannerStatus(source.name, False, why))
            )
            async for event in source.events():
                if isinstance(event, Scan):
                    self.app.post_message(ScanReceived(event))
                else:
                    self._report(event)
        except Exception as exc:  # a bug must not take the App down, but must not hide either
            reason = f"scanner stopped after an unexpected error: {type(exc).__name__}: {exc}"
            self._report(ScannerStatus(source.name, False, reason))
            raise
        finally:
            await source.stop()

    def _report(self, status: ScannerStatus) -> None:
        if not self.feed.report(status):
            return  # the same failure again on a retry: nothing new to say
        if not status.connected:
            self._down.add(status.source)
            self.warn(f"scanner {status.source}: {status.reason}")
        elif status.source in self._down:
            self._down.discard(status.source)
            self.app.notify(clean(f"scanner {status.source} is back"), markup=False)

    async def filter(self, event: events.Event, deliver: Deliver) -> None:
        """Hand `event` on through `deliver` (the App's own handling), keys of a scan excepted."""
        wedge = self._wedge
        if isinstance(event, WedgeGap):  # held keys were typing after all: deliver them now
            self._wedge_timer = None
            for stroke in wedge.flush(time.monotonic()) if wedge else ():
                await deliver(stroke.ref)
        elif wedge is None or not isinstance(event, events.Key) or event.is_forwarded:
            await deliver(event)
            return
        else:
            for stroke in wedge.feed(event.key, event.character, event.time, event):
                await deliver(stroke.ref)
        self._arm_wedge_timer()

    def _arm_wedge_timer(self) -> None:
        # Key times come from Textual's clock, which is time.monotonic() except on Windows.
        deadline = self._wedge.deadline() if self._wedge else None
        if deadline is None or self._wedge_timer is not None:
            return
        delay = max(deadline - time.monotonic(), 0.001)
        self._wedge_timer = self.app.set_timer(
            delay, lambda: self.app.post_message(WedgeGap()), name="scan-wedge-gap"
        )


class ScanRouter:
    """Where a scan goes: resolved once, then a command acts on the active screen, anything else
    is handed to it (`Scanned`); what it has no use for is opened in its mode (a lot in Trace)."""

    def __init__(
        self, app: App[Any], feed: ScanFeed, codes: CodesConfig, *, warn: Callable[[str], None]
    ) -> None:
        self.app = app
        self.feed = feed
        self.codes = codes
        self.warn = warn

    async def received(self, scan: Scan) -> None:
        try:
            result = await resolve(scan.text, self.codes)
        except LotkeeperError as exc:
            self.warn(exc.message)
            return
        self.feed.scans.publish((scan, result))
        command, screen = result.command, self.app.screen
        if command is None:
            screen.post_message(Scanned(scan, result))
            return
        if command.kind is CommandKind.QTY:
            used = isinstance(screen, LotScreen) and screen.handle_quantity(command.qty or 0)
        else:
            used = await self.app.run_action(command.kind.value.lower(), screen)
        if not used:
            self.warn(f"{result.message}: nothing to apply it to on this screen")

    async def unused(self, message: Scanned) -> None:
        """The active screen had no use for the scan: open it in its mode, or say what it is."""
        result, mode = message.result, OPENS.get(message.result.kind)
        if not isinstance(self.app.screen, LotScreen):
            self.warn(f"{result.message}: close the dialog first, then scan again")
        elif mode is None or message.opened:
            self.warn(result.message)
        else:
            await self.app.switch_mode(mode)
            self.app.screen.post_message(Scanned(message.scan, result, opened=True))
