"""Scans as Textual messages, wherever focus is, and never as stray characters in an Input.

In Textual every key reaches `App.on_event` before the focused widget sees it (the App checks
priority bindings there, then forwards the key to the focused widget). `ScanCaptureMixin`
overrides that one method: each key goes through the wedge detector first; keys it gives back
take the normal path unchanged, keys that form a scan are swallowed. Scans and status changes
from every source (wedge, serial, evdev) arrive as `ScanReceived` / `ScannerStatusChanged`,
posted to the active screen (from where they bubble to the App).

    class LotkeeperApp(ScanCaptureMixin, App[None]):
        def on_mount(self) -> None:
            self.start_scanners(config.scanners)

        def on_scan_received(self, message: ScanReceived) -> None: ...
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import events
from textual.message import Message
from textual.timer import Timer
from textual.worker import Worker

from tui.config import ScannerConfig
from tui.devices.scanners import Scan, ScannerEvent, ScannerSource, ScannerStatus, make_scanner
from tui.devices.scanners.base import REOPEN
from tui.devices.scanners.wedge import WedgeScanner
from tui.errors import ConfigError, ScannerError

if TYPE_CHECKING:
    from textual.app import App

    _AppBase = App[Any]
else:
    _AppBase = object


@dataclass
class ScanReceived(Message):
    """A complete scan. Show `scan.text` only as literal text (`tui.widgets.literal`)."""

    scan: Scan


@dataclass
class ScannerStatusChanged(Message):
    """A scanner connected or went away; `status.reason` says what the maker can do."""

    status: ScannerStatus


class WedgeGap(Message, bubble=False):
    """The wedge's hold time ran out. A message, not a timer callback, so that it is handled
    after any keys already queued: a busy App must not split a scan it has not read yet."""


class ScanCaptureMixin(_AppBase):
    """Mix into the App before `App` in the bases; call `start_scanners()` once mounted."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scanner_status: dict[str, ScannerStatus] = {}
        """The latest status of every scanner by name (for a Devices screen opened later)."""
        self._scanner_sources: list[ScannerSource] = []
        self._wedge: WedgeScanner[events.Key] | None = None
        self._wedge_timer: Timer | None = None

    def start_scanners(self, configs: Iterable[ScannerConfig] = ()) -> list[Worker[None]]:
        """Start every configured scanner. Keys always pass a wedge detector: the configured
        `wedge` entry, or the defaults when there is none (a plugged-in scanner just works)."""
        configs = tuple(configs)
        wedges = [cfg for cfg in configs if cfg.kind == "wedge"]
        if len(wedges) > 1:
            raise ConfigError(
                "only one scanner of kind 'wedge' can be configured: every keyboard scanner types "
                "into the same terminal, so one entry describes them all"
            )
        sources: list[ScannerSource] = [make_scanner(cfg) for cfg in configs if cfg.kind != "wedge"]
        self._wedge = WedgeScanner(wedges[0] if wedges else ScannerConfig())
        return [self.run_scanner(source) for source in [self._wedge, *sources]]

    def run_scanner(self, source: ScannerSource) -> Worker[None]:
        """Run `source` in a worker owned by the App until the App exits: its scans and status
        changes become messages. A source that cannot open is retried with backoff, its error
        shown as a status, so plugging the scanner in later is enough."""
        return self.run_worker(
            self._pump(source), name=f"scanner {source.name}", group="scanners", exit_on_error=False
        )

    async def stop_scanners(self) -> None:
        """Stop every scanner and join its reader thread (also done when the App unmounts)."""
        for worker in self.workers:
            if worker.group == "scanners" and worker.node is self:
                worker.cancel()
        sources, self._scanner_sources = self._scanner_sources, []
        for source in sources:
            await source.stop()
        self._wedge = None

    async def _pump(self, source: ScannerSource) -> None:
        self._scanner_sources.append(source)
        delays = REOPEN.delays()
        try:
            while True:
                try:
                    await source.start()
                    break
                except ScannerError as exc:
                    self._scanner_event(ScannerStatus(source.name, False, exc.message))
                    await asyncio.sleep(next(delays))
            async for event in source.events():
                self._scanner_event(event)
        except Exception as exc:  # a bug must not take the App down, but must not hide either
            reason = f"scanner stopped after an unexpected error: {type(exc).__name__}: {exc}"
            self._scanner_event(ScannerStatus(source.name, False, reason))
            raise
        finally:
            await source.stop()

    def _scanner_event(self, event: ScannerEvent) -> None:
        message: Message
        if isinstance(event, Scan):
            message = ScanReceived(event)
        else:
            if self.scanner_status.get(event.source) == event:
                return  # the same failure again on a retry: nothing new to say
            self.scanner_status[event.source] = event
            message = ScannerStatusChanged(event)
        try:
            target: Any = self.screen
        except Exception:  # no screen yet (or any more): the App itself still hears it
            target = self
        target.post_message(message)

    async def on_event(self, event: events.Event) -> None:
        wedge = self._wedge
        if wedge is None or not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)
            return
        for stroke in wedge.feed(event.key, event.character, event.time, event):
            await super().on_event(stroke.ref)
        self._arm_wedge_timer()

    def _arm_wedge_timer(self) -> None:
        # Key times come from Textual's clock, which is time.monotonic() except on Windows.
        deadline = self._wedge.deadline() if self._wedge else None
        if deadline is None or self._wedge_timer is not None:
            return
        delay = max(deadline - time.monotonic(), 0.001)
        self._wedge_timer = self.set_timer(delay, self._post_wedge_gap, name="scan-wedge-gap")

    def _post_wedge_gap(self) -> None:
        self.post_message(WedgeGap())

    async def _on_wedge_gap(self, message: WedgeGap) -> None:
        """Held keys were typing after all: deliver them as if they had just been pressed."""
        self._wedge_timer = None
        if self._wedge is None:
            return
        for stroke in self._wedge.flush(time.monotonic()):
            await super().on_event(stroke.ref)
        self._arm_wedge_timer()

    async def _on_unmount(self, event: events.Unmount) -> None:
        await self.stop_scanners()
